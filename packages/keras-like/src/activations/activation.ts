/**
 * What the engine needs from an activation: the forward `a = σ(z)` and the backward
 * `δ = dA ⊙ σ'(z)` (the notebook's "output error times the derivative").
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The activations `tf.fused.matMul` can apply inside the matrix product. */
export type FusedActivationName = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

export interface Activation {
  /** Keras's name: 'relu', 'sigmoid', 'linear', ... (a user function's own name). */
  readonly name: string;
  /** `a = σ(z)`. */
  forward(z: tf.Tensor): tf.Tensor;
  /**
   * `δ = dA ⊙ σ'(z)`: the gradient with respect to `z`, given the gradient `dA` with respect
   * to `a`. Both `z` and `a = forward(z)` are passed so each derivative uses its cheapest form
   * (sigmoid′ = a(1 − a), tanh′ = 1 − a², relu′ = step(z)). For softmax it is the full
   * Jacobian-vector product, not an element-wise product.
   */
  backward(dA: tf.Tensor, z: tf.Tensor, a: tf.Tensor): tf.Tensor;
  /** Set when `tf.fused.matMul({ activation: fusedName })` computes the same forward. */
  readonly fusedName?: FusedActivationName;
  /** The slope `tf.fused.matMul` needs as `leakyreluAlpha` when `fusedName` is 'leakyrelu'. */
  readonly leakyreluAlpha?: number;
}
