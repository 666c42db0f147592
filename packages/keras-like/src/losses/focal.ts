/**
 * Keras 3's focal crossentropies (Lin et al. 2017): the crossentropy of each element scaled
 * by (1 − p_t)^γ, so well-classified elements weigh less and training focuses on hard ones.
 * Formulas as keras/src/losses/losses.py computes them; derivatives by the product rule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { epsilon } from '../backend/index.js';
import { type Coefficient, type LossSpec, scaled, times } from './loss.js';
import { checkSameShape } from './probabilistic.js';

/** Options of the binary focal crossentropy. */
export interface BinaryFocalConfig {
  readonly apply_class_balancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly from_logits: boolean;
  readonly label_smoothing: number;
}

/** (1 − p_t)^γ and its derivative with respect to p_t, −γ(1 − p_t)^(γ−1) (0 when γ = 0). */
function focalFactor(pT: tf.Tensor, gamma: number): [tf.Tensor, tf.Tensor] {
  const rest = tf.sub(1, pT);
  const factor = gamma === 0 ? tf.onesLike(pT) : tf.pow(rest, gamma);
  const slope = gamma === 0 ? tf.zerosLike(pT) : tf.mul(tf.pow(rest, gamma - 1), -gamma);
  return [factor, slope];
}

/**
 * Binary focal crossentropy, averaged over the last axis: with t the (smoothed) label and p the
 * probability, p_t = t·p + (1 − t)(1 − p) and l = mean(w · (1 − p_t)^γ · bce), w = t·α + (1 − t)(1 − α)
 * with class balancing, else 1. From logits (or after a sigmoid output, whose logits Keras reads),
 * bce = softplus(z) − z·t without clipping.
 */
export function binaryFocalCrossentropySpec(o: BinaryFocalConfig): LossSpec {
  const eps = epsilon();
  const smooth = (y: tf.Tensor) => (o.label_smoothing ? tf.add(tf.mul(y, 1 - o.label_smoothing), 0.5 * o.label_smoothing) : y);
  const balance = (t: tf.Tensor, x: tf.Tensor) => (o.apply_class_balancing ? tf.mul(x, tf.add(tf.mul(t, 2 * o.alpha - 1), 1 - o.alpha)) : x);
  const pTrue = (t: tf.Tensor, p: tf.Tensor) => tf.add(tf.mul(t, p), tf.mul(tf.sub(1, t), tf.sub(1, p)));
  const lastDim = (p: tf.Tensor) => p.shape[p.rank - 1] ?? 1;
  const name = 'binary_focal_crossentropy';

  /** Per element: bce from the logits z, with p = σ(z) in the focal factor. */
  const fromLogits = (y: tf.Tensor, z: tf.Tensor) => {
    checkSameShape(name, y, z);
    const t = smooth(y);
    const bce = tf.sub(tf.softplus(z), tf.mul(z, t));
    const [factor] = focalFactor(pTrue(t, tf.sigmoid(z)), o.gamma);
    return tf.mean(balance(t, tf.mul(factor, bce)), -1);
  };
  /** ∂l/∂z = w·[(1 − p_t)^γ (a − t) + ∂(1 − p_t)^γ/∂p_t · (2t − 1) · a(1 − a) · bce] / D, a = σ(z). */
  const logitsDerivative = (y: tf.Tensor, z: tf.Tensor, a: tf.Tensor, c: Coefficient) => {
    const t = smooth(y);
    const bce = tf.sub(tf.softplus(z), tf.mul(z, t));
    const [factor, slope] = focalFactor(pTrue(t, a), o.gamma);
    const dpT = tf.mul(tf.sub(tf.mul(t, 2), 1), tf.mul(a, tf.sub(1, a)));
    const d = tf.add(tf.mul(factor, tf.sub(a, t)), tf.mul(tf.mul(slope, dpT), bce));
    return times(balance(t, d), scaled(c, 1 / lastDim(z)));
  };

  return {
    name,
    perSample: (y, p) => {
      if (o.from_logits) return fromLogits(y, p);
      checkSameShape(name, y, p);
      const t = smooth(y);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const bce = tf.neg(tf.add(tf.mul(t, tf.log(pc)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, pc)))));
      const [factor] = focalFactor(pTrue(t, p), o.gamma);
      return tf.mean(balance(t, tf.mul(factor, bce)), -1);
    },
    derivative: (y, p, c) => {
      if (o.from_logits) return logitsDerivative(y, p, tf.sigmoid(p), c);
      // ∂l/∂p = w·[(1 − p_t)^γ ∂bce/∂p + ∂(1 − p_t)^γ/∂p_t · (2t − 1) · bce] / D; the clip stops ∂bce/∂p outside [ε, 1 − ε].
      const t = smooth(y);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const bce = tf.neg(tf.add(tf.mul(t, tf.log(pc)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, pc)))));
      const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(p, eps), tf.lessEqual(p, 1 - eps)), 'float32');
      const dBce = tf.div(tf.mul(tf.sub(pc, t), inside), tf.mul(pc, tf.sub(1, pc)));
      const [factor, slope] = focalFactor(pTrue(t, p), o.gamma);
      const d = tf.add(tf.mul(factor, dBce), tf.mul(tf.mul(slope, tf.sub(tf.mul(t, 2), 1)), bce));
      return times(balance(t, d), scaled(c, 1 / lastDim(p)));
    },
    logits: {
      activation: 'sigmoid',
      perSample: fromLogits,
      derivative: logitsDerivative,
    },
  };
}

/** Options of the categorical focal crossentropy. */
export interface CategoricalFocalConfig {
  readonly alpha: number;
  readonly gamma: number;
  readonly from_logits: boolean;
  readonly label_smoothing: number;
}

/**
 * Categorical focal crossentropy: p (softmax of the logits with `from_logits`) is renormalised
 * to q = p/Σp and clipped; l = Σ α (1 − q)^γ · (−t log q) over the last axis.
 */
export function categoricalFocalCrossentropySpec(o: CategoricalFocalConfig): LossSpec {
  const eps = epsilon();
  const name = 'categorical_focal_crossentropy';
  const smooth = (y: tf.Tensor) =>
    o.label_smoothing ? tf.add(tf.mul(y, 1 - o.label_smoothing), o.label_smoothing / (y.shape[y.rank - 1] ?? 1)) : y;

  const fromProbabilities = (t: tf.Tensor, p: tf.Tensor) => {
    const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), eps, 1 - eps);
    const [factor] = focalFactor(q, o.gamma);
    return tf.mul(tf.sum(tf.mul(factor, tf.mul(tf.neg(t), tf.log(q))), -1), o.alpha);
  };
  /** ∂l/∂p through the clip and the renormalisation q = p/S: (g − Σ g·q)/S with g = ∂l/∂q. */
  const probabilityGradient = (t: tf.Tensor, p: tf.Tensor) => {
    const total = tf.sum(p, -1, true);
    const q = tf.div(p, total);
    const qc = tf.clipByValue(q, eps, 1 - eps);
    const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(q, eps), tf.lessEqual(q, 1 - eps)), 'float32');
    const [factor, slope] = focalFactor(qc, o.gamma);
    // ∂/∂q of (1 − q)^γ · (−t log q): slope·(−t log q) + (1 − q)^γ·(−t/q).
    const g = tf.mul(tf.mul(tf.sub(tf.mul(slope, tf.mul(tf.neg(t), tf.log(qc))), tf.div(tf.mul(factor, t), qc)), inside), o.alpha);
    return tf.div(tf.sub(g, tf.sum(tf.mul(g, q), -1, true)), total);
  };

  return {
    name,
    perSample: (y, p) => {
      checkSameShape(name, y, p);
      return fromProbabilities(smooth(y), o.from_logits ? tf.softmax(p) : p);
    },
    derivative: (y, p, c) => {
      const t = smooth(y);
      if (!o.from_logits) return times(probabilityGradient(t, p), c);
      // Through the softmax: s ⊙ (G − Σ G·s).
      const s = tf.softmax(p);
      const g = probabilityGradient(t, s);
      return times(tf.mul(s, tf.sub(g, tf.sum(tf.mul(g, s), -1, true))), c);
    },
  };
}
