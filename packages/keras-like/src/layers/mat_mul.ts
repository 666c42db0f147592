/**
 * `a · b` with an operand transposed, in the form that is fastest on the running backend.
 *
 * TensorFlow.js's wasm BatchMatMul is 5-30× slower on a transposed operand than on a plain
 * one: for W2's first-layer ∂C/∂W = a_prevᵀ · δ ([128, 784]ᵀ · [128, 256]) it takes 90 ms with
 * `transposeA` against 3 ms for a Transpose kernel then a plain product (bench probe, issue 8).
 * So on wasm a large product transposes first; a small one keeps the flag, where the extra
 * Transpose dispatch would cost more than it saves. On the other backends the flag is as fast.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Products of m·n·k multiply-adds above this are large (W1's are below 10³, W2's above 3·10⁵). */
const EXPLICIT_TRANSPOSE_ABOVE = 1e5;

/**
 * Whether an [m, k] · [k, n] product is small enough that dispatches, not arithmetic, set its
 * cost. Then Dense also prefers plain matMul + add + σ (3 kernels) to `tf.fused.matMul`, which
 * reshapes its operands and result to rank 3 (1 kernel + 3 Reshape dispatches and a gradient
 * wrapper): W1's layers take 15-55 µs unfused against 16-88 µs fused on wasm, while W2's
 * [128, 784] · [784, 256] takes 2.0 ms fused against 3.1 ms unfused (bench probe, issue 8).
 */
export function isSmallProduct(m: number, k: number, n: number): boolean {
  return m * k * n <= EXPLICIT_TRANSPOSE_ABOVE;
}

export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const [m, k] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  if (isSmallProduct(m, k, n) || tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b));
}

/**
 * Σ over the rows of δ [n, units] as the product 1ᵀ · δ: a bias gradient. Both backends reduce
 * over the outer axis slowly (wasm transposes first; cpu walks the columns): for W2's δ [128, 256]
 * `tf.sum(δ, 0)` takes 2.3 ms on cpu against 0.19 ms for the product, 95 against 16 µs on wasm;
 * for W1's δ [10, 12] 12.6 against 5.9 µs on cpu, the same on wasm (bench probe).
 */
export function sumOverRows(delta: tf.Tensor2D | tf.Tensor): tf.Tensor1D {
  const [n, units] = delta.shape as [number, number];
  return tf.tidy(() => tf.reshape(tf.matMul(tf.ones([1, n]), delta), [units]));
}
