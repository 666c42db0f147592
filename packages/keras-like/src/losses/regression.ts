/**
 * Keras's regression losses, each as its forward (Keras 3's formula, keras/src/losses/losses.py)
 * beside its derivative `c ⊙ ∂l/∂ŷ`. Per-sample values are means over the last axis,
 * so each derivative carries a 1/D, D the size of that axis.
 */
import * as tf from '@tensorflow/tfjs-core';
import { epsilon } from '../backend/index.js';
import { type Coefficient, type LossSpec, scaled, times } from './loss.js';

function lastDim(t: tf.Tensor): number {
  return t.rank === 0 ? 1 : t.shape[t.rank - 1]!;
}

/** l = mean((y − ŷ)²); ∂l/∂ŷ = 2(ŷ − y)/D. */
export const meanSquaredError: LossSpec = {
  name: 'mean_squared_error',
  perSample: (y, p) => tf.mean(tf.squaredDifference(y, p), -1),
  derivative: (y, p, c) => times(tf.sub(p, y), scaled(c, 2 / lastDim(p))),
};

/** l = mean(|y − ŷ|); ∂l/∂ŷ = sign(ŷ − y)/D. */
export const meanAbsoluteError: LossSpec = {
  name: 'mean_absolute_error',
  perSample: (y, p) => tf.mean(tf.abs(tf.sub(y, p)), -1),
  derivative: (y, p, c) => times(tf.sign(tf.sub(p, y)), scaled(c, 1 / lastDim(p))),
};

/** l = 100 · mean(|y − ŷ| / max(|y|, ε)); ∂l/∂ŷ = 100 · sign(ŷ − y) / max(|y|, ε) / D. */
export const meanAbsolutePercentageError: LossSpec = {
  name: 'mean_absolute_percentage_error',
  perSample: (y, p) => tf.mul(tf.mean(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), epsilon()))), -1), 100),
  derivative: (y, p, c) => times(tf.div(tf.sign(tf.sub(p, y)), tf.maximum(tf.abs(y), epsilon())), scaled(c, 100 / lastDim(p))),
};

/**
 * l = mean((log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))²);
 * ∂l/∂ŷ = 2(log(ŷ' + 1) − log(y' + 1)) / (ŷ' + 1) / D where ŷ ≥ ε (ŷ' = max(ŷ, ε)), else 0.
 */
export const meanSquaredLogarithmicError: LossSpec = {
  name: 'mean_squared_logarithmic_error',
  // log(x + 1) rather than log1p(x): the float32 rounding Keras's formula has.
  perSample: (y, p) => tf.mean(tf.squaredDifference(tf.log(tf.add(tf.maximum(p, epsilon()), 1)), tf.log(tf.add(tf.maximum(y, epsilon()), 1))), -1),
  derivative: (y, p, c) => {
    const p1 = tf.add(tf.maximum(p, epsilon()), 1);
    const diff = tf.sub(tf.log(p1), tf.log(tf.add(tf.maximum(y, epsilon()), 1)));
    const inRange = tf.cast(tf.greaterEqual(p, epsilon()), 'float32');
    return times(tf.mul(tf.div(diff, p1), inRange), scaled(c, 2 / lastDim(p)));
  },
};

/**
 * Huber with threshold `delta`: ½e² for |e| ≤ δ, δ|e| − ½δ² beyond (e = ŷ − y), written as
 * ½m² + δ(|e| − m) with m = min(|e|, δ) so autodiff can follow it; ∂l/∂ŷ = clip(e, −δ, δ)/D.
 */
export function huberSpec(delta: number): LossSpec {
  return {
    name: 'huber',
    perSample: (y, p) => {
      const absError = tf.abs(tf.sub(p, y));
      const inside = tf.minimum(absError, delta);
      return tf.mean(tf.add(tf.mul(tf.square(inside), 0.5), tf.mul(tf.sub(absError, inside), delta)), -1);
    },
    derivative: (y, p, c) => times(tf.clipByValue(tf.sub(p, y), -delta, delta), scaled(c, 1 / lastDim(p))),
  };
}

/**
 * Keras's log_cosh: with x = ŷ − y, log(cosh x) = x + softplus(−2x) − log 2 (stable for large |x|);
 * ∂l/∂ŷ = tanh(x)/D.
 */
export const logCosh: LossSpec = {
  name: 'log_cosh',
  perSample: (y, p) => {
    const x = tf.sub(p, y);
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.LN2), -1);
  },
  derivative: (y, p, c) => times(tf.tanh(tf.sub(p, y)), scaled(c, 1 / lastDim(p))),
};

/** Keras's l2 normalisation: x · rsqrt(max(Σx², ε²)), the clamp keeping zero vectors finite. */
function inverseNorm(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), epsilon() * epsilon()));
}

/**
 * l = −Σ (y/‖y‖)(ŷ/‖ŷ‖) along `axis`: −1 for parallel vectors, 0 for orthogonal ones.
 * With u = ŷ/‖ŷ‖ and t = y/‖y‖: ∂l/∂ŷ = −(t − u·(t·u)) / ‖ŷ‖ (the u·(t·u) term
 * vanishes where the norm is clamped).
 */
export function cosineSimilaritySpec(axis: number): LossSpec {
  return {
    name: 'cosine_similarity',
    perSample: (y, p) => tf.neg(tf.sum(tf.mul(tf.mul(y, inverseNorm(y, axis)), tf.mul(p, inverseNorm(p, axis))), axis)),
    derivative: (y, p, c) => {
      const invP = inverseNorm(p, axis);
      const u = tf.mul(p, invP);
      const t = tf.mul(y, inverseNorm(y, axis));
      const unclamped = tf.cast(tf.greaterEqual(tf.sum(tf.square(p), axis, true), epsilon() * epsilon()), 'float32');
      const projection = tf.mul(u, tf.mul(tf.sum(tf.mul(t, u), axis, true), unclamped));
      return times(tf.mul(tf.sub(projection, t), invP), moveCoefficient(c, axis, p.rank));
    },
  };
}

/** A coefficient shaped [..., 1] for the last axis, moved to `axis` when the loss reduces another one. */
export function moveCoefficient(c: Coefficient, axis: number, rank: number): Coefficient {
  if (typeof c === 'number' || axis === -1 || axis === rank - 1) return c;
  return tf.expandDims(tf.squeeze(c, [-1]), axis);
}
