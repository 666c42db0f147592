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

/** Products of m·n·k multiply-adds above this transpose first on wasm (W1's are below 10³, W2's above 3·10⁵). */
const EXPLICIT_TRANSPOSE_ABOVE = 1e5;

export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const [m, k] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  if (m * n * k <= EXPLICIT_TRANSPOSE_ABOVE || tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b));
}
