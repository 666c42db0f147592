/**
 * Keras's hinge losses (maximum-margin classification), forward beside derivative.
 * Labels are expected in {−1, 1}; labels that are all in {0, 1} are first mapped to
 * {−1, 1}, as Keras's `convert_binary_labels_to_hinge` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type LossSpec, scaled, times } from './loss.js';

/**
 * 2y − 1 when every label is 0 or 1, else y unchanged; decided on the backend (no host read):
 * y + b·(y − 1) with b = 1 for binary labels, since 2y − 1 = y + (y − 1).
 */
export function toHingeLabels(y: tf.Tensor): tf.Tensor {
  const binary = tf.cast(tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))), 'float32');
  return tf.add(y, tf.mul(binary, tf.sub(y, 1)));
}

function lastDim(t: tf.Tensor): number {
  return t.rank === 0 ? 1 : t.shape[t.rank - 1]!;
}

/** l = mean(max(1 − y·ŷ, 0)); ∂l/∂ŷ = −y/D where the margin 1 − y·ŷ is positive. */
export const hinge: LossSpec = {
  name: 'hinge',
  perSample: (y, p) => tf.mean(tf.relu(tf.sub(1, tf.mul(toHingeLabels(y), p))), -1),
  derivative: (y, p, c) => {
    const labels = toHingeLabels(y);
    return times(tf.mul(labels, tf.step(tf.sub(1, tf.mul(labels, p)))), scaled(c, -1 / lastDim(p)));
  },
};

/** l = mean(max(1 − y·ŷ, 0)²); ∂l/∂ŷ = −2y·max(1 − y·ŷ, 0)/D. */
export const squaredHinge: LossSpec = {
  name: 'squared_hinge',
  perSample: (y, p) => tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(toHingeLabels(y), p)))), -1),
  derivative: (y, p, c) => {
    const labels = toHingeLabels(y);
    return times(tf.mul(labels, tf.relu(tf.sub(1, tf.mul(labels, p)))), scaled(c, -2 / lastDim(p)));
  },
};

/**
 * l = max(neg − pos + 1, 0), pos = Σ y·ŷ (the true class's score), neg = max((1 − y)·ŷ)
 * (the best wrong class). Where l > 0: ∂l/∂ŷ = (1 − y)·[ŷ attains neg] − y.
 */
export const categoricalHinge: LossSpec = {
  name: 'categorical_hinge',
  perSample: (y, p) => {
    const pos = tf.sum(tf.mul(y, p), -1);
    const neg = tf.max(tf.mul(tf.sub(1, y), p), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  },
  derivative: (y, p, c) => {
    const notTrue = tf.sub(1, y);
    const wrongScores = tf.mul(notTrue, p);
    const neg = tf.max(wrongScores, -1, true);
    const active = tf.step(tf.add(tf.sub(neg, tf.sum(tf.mul(y, p), -1, true)), 1));
    const atMax = tf.cast(tf.equal(wrongScores, neg), 'float32');
    return times(tf.mul(tf.sub(tf.mul(notTrue, atMax), y), active), c);
  },
};
