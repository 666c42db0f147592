/**
 * Tensor-in, tensor-out forms of the activations that take more than one op, shared by
 * the public functions (./functions.ts) and the engine's forwards (./builtins.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

/** `selu`'s constants, from Klambauer et al. 2017 (the values Keras and TensorFlow.js use). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** Keras 3's hard sigmoid: relu6(z + 3) / 6. */
export function hardSigmoidOf(t: tf.Tensor): tf.Tensor {
  return tf.div(tf.relu6(tf.add(t, 3)), 6);
}

/** Exact GELU: ½ z (1 + erf(z / √2)). */
export function geluErf(t: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2))));
}

/** CELU: relu(z) + alpha (exp(min(z, 0) / alpha) − 1). */
export function celuOf(t: tf.Tensor, alpha: number): tf.Tensor {
  return tf.add(tf.relu(t), tf.mul(tf.sub(tf.exp(tf.div(tf.minimum(t, 0), alpha)), 1), alpha));
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
