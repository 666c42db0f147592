/**
 * Keras's crossentropies, as its TensorFlow backend computes them
 * (keras/src/backend/tensorflow/nn.py): probabilities are clipped to [ε, 1 − ε],
 * ε = 1e-7, before the log; from logits no clipping is needed. When the output
 * activation is sigmoid (binary) or softmax (categorical, sparse), Keras reads the
 * logits behind it (`_keras_logits`) and so does keras-like: then ∂loss/∂z is simply
 * (a − y) · c, the most famous line of back-propagation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { epsilon } from '../backend/index.js';
import { ValueError } from '../errors.js';
import { type Coefficient, type LossSpec, scaled, times } from './loss.js';
import { moveCoefficient } from './regression.js';

function axisSize(t: tf.Tensor, axis: number): number {
  if (t.rank === 0) return 1;
  return t.shape[axis < 0 ? axis + t.rank : axis]!;
}

/** 1 where clipping to [ε, 1 − ε] left x unchanged (where it passes a gradient), else 0. */
function insideClip(x: tf.Tensor, low: number, high: number): tf.Tensor {
  return tf.cast(tf.logicalAnd(tf.greaterEqual(x, low), tf.lessEqual(x, high)), 'float32');
}

function logSoftmaxAlong(z: tf.Tensor, axis: number): tf.Tensor {
  return axis === -1 || axis === z.rank - 1 ? tf.logSoftmax(z) : tf.sub(z, tf.logSumExp(z, axis, true));
}

function softmaxAlong(z: tf.Tensor, axis: number): tf.Tensor {
  return tf.exp(logSoftmaxAlong(z, axis));
}

/**
 * Keras's check that targets and predictions have the same shape: without it, labels of
 * shape [N, 1] against [N, classes] predictions would broadcast into a wrong, silent loss.
 */
export function checkSameShape(name: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i])) return;
  const classIndices = name === 'categorical_crossentropy' && yTrue.shape[yTrue.rank - 1] === 1 && yPred.shape[yPred.rank - 1]! > 1;
  throw new ValueError(
    `${name}: arguments \`target\` and \`output\` must have the same shape. ` +
      `Received: target.shape=[${yTrue.shape.join(', ')}], output.shape=[${yPred.shape.join(', ')}].` +
      (classIndices ? ' For integer class labels, use sparse_categorical_crossentropy (or keras.utils.to_categorical).' : ''),
  );
}

/** Options shared by the binary and categorical crossentropies. */
export interface CrossentropyConfig {
  readonly from_logits: boolean;
  readonly label_smoothing: number;
  readonly axis: number;
}

/**
 * Element-wise sigmoid crossentropy from logits: softplus(z) − z·y, which equals TensorFlow's
 * max(z, 0) − z·y + log(1 + e^−|z|). tfjs's softplus is stable for any z on every backend,
 * while its log1p loses the small tail on wasm; it is also 3 ops instead of 8.
 */
function sigmoidCrossentropy(y: tf.Tensor, z: tf.Tensor): tf.Tensor {
  return tf.sub(tf.softplus(z), tf.mul(z, y));
}

/**
 * Binary crossentropy: l = −mean(y·log ŷ + (1 − y)·log(1 − ŷ)) over `axis`, ŷ clipped;
 * label smoothing squeezes y towards ½: y(1 − s) + s/2.
 * ∂l/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)) / D inside the clip range; from logits ∂l/∂z = (σ(z) − y)/D.
 */
export function binaryCrossentropySpec({ from_logits, label_smoothing, axis }: CrossentropyConfig): LossSpec {
  const eps = epsilon();
  const smooth = (y: tf.Tensor) => (label_smoothing ? tf.add(tf.mul(y, 1 - label_smoothing), 0.5 * label_smoothing) : y);
  const name = 'binary_crossentropy';
  const fromLogits = (y: tf.Tensor, z: tf.Tensor) => {
    checkSameShape(name, y, z);
    return tf.mean(sigmoidCrossentropy(smooth(y), z), axis);
  };
  const logitsDerivative = (y: tf.Tensor, a: tf.Tensor, c: Coefficient) =>
    times(tf.sub(a, smooth(y)), moveCoefficient(scaled(c, 1 / axisSize(a, axis)), axis, a.rank));
  return {
    name,
    perSample: (y, p) => {
      if (from_logits) return fromLogits(y, p);
      checkSameShape(name, y, p);
      const t = smooth(y);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(pc)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, pc)))), axis));
    },
    derivative: (y, p, c) => {
      if (from_logits) return logitsDerivative(y, tf.sigmoid(p), c);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const d = tf.div(tf.mul(tf.sub(pc, smooth(y)), insideClip(p, eps, 1 - eps)), tf.mul(pc, tf.sub(1, pc)));
      return times(d, moveCoefficient(scaled(c, 1 / axisSize(p, axis)), axis, p.rank));
    },
    logits: {
      activation: 'sigmoid',
      perSample: fromLogits,
      derivative: (y, _z, a, c) => logitsDerivative(y, a, c),
    },
  };
}

/**
 * Categorical crossentropy: ŷ is renormalised to sum to 1 over `axis`, clipped, then
 * l = −Σ y·log ŷ. Label smoothing: y(1 − s) + s/C. From logits: l = −Σ y·log_softmax(z) and
 * ∂l/∂z = softmax(z) − y (TensorFlow's kernel, exact when each row of y sums to 1).
 */
export function categoricalCrossentropySpec({ from_logits, label_smoothing, axis }: CrossentropyConfig): LossSpec {
  const eps = epsilon();
  const smooth = (y: tf.Tensor) =>
    label_smoothing ? tf.add(tf.mul(y, 1 - label_smoothing), label_smoothing / axisSize(y, axis)) : y;
  const name = 'categorical_crossentropy';
  const fromLogits = (y: tf.Tensor, z: tf.Tensor) => {
    checkSameShape(name, y, z);
    return tf.neg(tf.sum(tf.mul(smooth(y), logSoftmaxAlong(z, axis)), axis));
  };
  const logitsDerivative = (y: tf.Tensor, a: tf.Tensor, c: Coefficient) => times(tf.sub(a, smooth(y)), moveCoefficient(c, axis, a.rank));
  return {
    name,
    perSample: (y, p) => {
      if (from_logits) return fromLogits(y, p);
      checkSameShape(name, y, p);
      const q = tf.clipByValue(tf.div(p, tf.sum(p, axis, true)), eps, 1 - eps);
      return tf.neg(tf.sum(tf.mul(smooth(y), tf.log(q)), axis));
    },
    derivative: (y, p, c) => {
      if (from_logits) return logitsDerivative(y, softmaxAlong(p, axis), c);
      // Through the clip (g = −y/q where unclipped), then the renormalisation q = p / S:
      // ∂l/∂p_j = (g_j − Σ_k g_k q_k) / S.
      const total = tf.sum(p, axis, true);
      const q = tf.div(p, total);
      const g = tf.mul(tf.div(tf.neg(smooth(y)), tf.clipByValue(q, eps, 1 - eps)), insideClip(q, eps, 1 - eps));
      const d = tf.div(tf.sub(g, tf.sum(tf.mul(g, q), axis, true)), total);
      return times(d, moveCoefficient(c, axis, p.rank));
    },
    logits: {
      activation: 'softmax',
      perSample: fromLogits,
      derivative: (y, _z, a, c) => logitsDerivative(y, a, c),
    },
  };
}

/** Sparse labels as a one-hot matrix matching `yPred`'s classes (labels of shape [N] or [N, 1]). */
function oneHotLabels(y: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const classes = yPred.shape[yPred.rank - 1]!;
  return tf.reshape(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), classes), yPred.shape);
}

/** Keras's shape rule for sparse labels: one axis fewer than `y_pred` (a trailing 1 is squeezed). */
export function checkSparseShapes(name: string, yTrueShape: readonly number[], yPredShape: readonly number[]): void {
  let labels = [...yTrueShape];
  if (labels.length === yPredShape.length && labels[labels.length - 1] === 1) labels = labels.slice(0, -1);
  const expected = yPredShape.slice(0, -1);
  if (labels.length === expected.length && labels.every((d, i) => d === expected[i])) return;
  const oneHot = yTrueShape.length === yPredShape.length && yTrueShape[yTrueShape.length - 1] === yPredShape[yPredShape.length - 1];
  throw new ValueError(
    `${name} expects integer class labels with one axis fewer than y_pred ` +
      `(shape [${expected.join(', ')}] or [${[...expected, 1].join(', ')}]). ` +
      `Received: y_true.shape=[${yTrueShape.join(', ')}], y_pred.shape=[${yPredShape.join(', ')}].` +
      (oneHot ? ' These look like one-hot labels: use categorical_crossentropy, or pass class indices.' : ''),
  );
}

/** Reads the labels back once and checks they are class indices in [0, classes). */
export function checkSparseLabels(name: string, yTrue: tf.Tensor, yPredShape: readonly number[]): void {
  checkSparseShapes(name, yTrue.shape, yPredShape);
  const classes = yPredShape[yPredShape.length - 1]!;
  const labels = yTrue.dataSync();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ValueError(
        `${name}: labels must be integer class indices in [0, ${classes}) for an output of ${classes} classes. ` +
          `Received: y_true[${i}]=${label}.`,
      );
    }
  }
}

/**
 * Sparse categorical crossentropy: labels are class indices. As Keras's backend: ŷ is
 * clipped, its log taken as logits of a softmax, so l = −log ŷ_y + log Σ ŷ.
 * From logits: l = −log_softmax(z)_y and ∂l/∂z = softmax(z) − onehot(y).
 */
export function sparseCategoricalCrossentropySpec({ from_logits }: { from_logits: boolean }): LossSpec {
  const eps = epsilon();
  const name = 'sparse_categorical_crossentropy';
  const fromLogits = (y: tf.Tensor, z: tf.Tensor) => tf.neg(tf.sum(tf.mul(oneHotLabels(y, z), tf.logSoftmax(z)), -1));
  const logitsDerivative = (y: tf.Tensor, a: tf.Tensor, c: Coefficient) => times(tf.sub(a, oneHotLabels(y, a)), c);
  return {
    name,
    sparse: true,
    perSample: (y, p) => {
      checkSparseShapes(name, y.shape, p.shape);
      if (from_logits) return fromLogits(y, p);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const picked = tf.sum(tf.mul(oneHotLabels(y, p), tf.log(pc)), -1);
      return tf.sub(tf.log(tf.sum(pc, -1)), picked);
    },
    derivative: (y, p, c) => {
      if (from_logits) return logitsDerivative(y, tf.softmax(p), c);
      // ∂l/∂ŷ_k = −[k = y]/ŷ_k + 1/Σŷ inside the clip range.
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const d = tf.sub(tf.reciprocal(tf.sum(pc, -1, true)), tf.div(oneHotLabels(y, p), pc));
      return times(tf.mul(d, insideClip(p, eps, 1 - eps)), c);
    },
    logits: {
      activation: 'softmax',
      perSample: fromLogits,
      derivative: (y, _z, a, c) => logitsDerivative(y, a, c),
    },
    checkTargets: (y, shape) => checkSparseLabels(name, y, shape),
  };
}

/** l = Σ y'·log(y'/ŷ') with y', ŷ' clipped to [ε, 1]; ∂l/∂ŷ = −y'/ŷ' inside the clip range. */
export const klDivergence: LossSpec = {
  name: 'kl_divergence',
  perSample: (y, p) => {
    const yc = tf.clipByValue(y, epsilon(), 1);
    return tf.sum(tf.mul(yc, tf.log(tf.div(yc, tf.clipByValue(p, epsilon(), 1)))), -1);
  },
  derivative: (y, p, c) => {
    const d = tf.div(tf.clipByValue(y, epsilon(), 1), tf.clipByValue(p, epsilon(), 1));
    return times(tf.mul(d, insideClip(p, epsilon(), 1)), scaled(c, -1));
  },
};

/** l = mean(ŷ − y·log(ŷ + ε)); ∂l/∂ŷ = (1 − y/(ŷ + ε))/D. */
export const poisson: LossSpec = {
  name: 'poisson',
  perSample: (y, p) => tf.mean(tf.sub(p, tf.mul(y, tf.log(tf.add(p, epsilon())))), -1),
  derivative: (y, p, c) => times(tf.sub(1, tf.div(y, tf.add(p, epsilon()))), scaled(c, 1 / axisSize(p, -1))),
};
