/**
 * Tensor-in, tensor-out forms of the activations that take more than one op, shared by
 * the public functions (./functions.ts) and the engine's forwards (./builtins.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

/** `selu`'s constants, from Klambauer et al. 2017 (the values Keras and TensorFlow.js use). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** Keras 3's hard sigmoid: clip(z / 6 + 0.5, 0, 1), in Keras's order of ops (so its float32 roundings). */
export function hardSigmoidOf(t: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.add(tf.div(t, 6), 0.5), 0, 1);
}

/**
 * SELU: scale (relu(z) + α (e^min(z, 0) − 1)), with e^z − 1 from expm1 as Keras's: near 0,
 * exp(z) − 1 in float32 cancels (1e-5 relative at z = −1e-3 on wasm).
 */
export function seluOf(t: tf.Tensor): tf.Tensor {
  return tf.mul(tf.add(tf.relu(t), tf.mul(tf.expm1(tf.minimum(t, 0)), SELU_ALPHA)), SELU_SCALE);
}

/** Exact GELU: ½ z (1 + erf(z / √2)). */
export function geluErf(t: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2))));
}

/** CELU: relu(z) + alpha (exp(min(z, 0) / alpha) − 1), the last factor from expm1 as Keras's. */
export function celuOf(t: tf.Tensor, alpha: number): tf.Tensor {
  return tf.add(tf.relu(t), tf.mul(tf.expm1(tf.div(tf.minimum(t, 0), alpha)), alpha));
}

/** z where |z| > threshold, else 0: z · step(|z| − threshold). */
export function hardShrinkOf(t: tf.Tensor, threshold: number): tf.Tensor {
  return tf.mul(t, tf.step(tf.sub(tf.abs(t), threshold)));
}

/** (z + √(z² + b)) / 2. */
export function squareplusOf(t: tf.Tensor, b: number): tf.Tensor {
  return tf.mul(tf.add(t, tf.sqrt(tf.add(tf.square(t), b))), 0.5);
}

// With m = clip(x, −1, 1): (m + 1)²/4 is the curved middle, relu(x − m) the linear part above 1.
export function sparsePlusOf(t: tf.Tensor): tf.Tensor {
  const m = tf.clipByValue(t, -1, 1);
  return tf.add(tf.div(tf.square(tf.add(m, 1)), 4), tf.relu(tf.sub(t, m)));
}
