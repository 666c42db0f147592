/**
 * Cutting a sequence into its time steps: `splitRows(x, T)` returns the T equal blocks of
 * x's first axis, e.g. the rows [T·batch, n] of a time-major sequence as T tensors [batch, n].
 *
 * It is `tf.split(x, T, 0)`, except on wasm. tfjs-backend-wasm 4.22's Slice kernel (which
 * `split` and `unstack` run once per piece) first copies its whole input out of the wasm heap
 * (`readSync`) and then keeps the part it needs, so cutting T steps copies the sequence T
 * times: for W5's [50·32, 256] input projection that was 120 ms per batch, a third of the
 * training step (bench/recurrent.ts). On wasm the sequence is therefore read once and each
 * step written back as its own tensor: one copy out, one copy in. Those tensors have no
 * gradient, so while TensorFlow.js records a tape (autodiff through a built-in cell, as
 * `RNN([LSTMCell(8), GRUCell(4)])` runs its cells) it is `tf.split` on wasm too.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * @param shape each block's shape, when it is not x's with the first axis divided by `parts`
 *   (a reshape of the result would not do on wasm: some of its kernels, such as the fused
 *   matMul's bias, read the shape a tensor was written with).
 */
export function splitRows(x: tf.Tensor, parts: number, shape: number[] = [x.shape[0]! / parts, ...x.shape.slice(1)]): tf.Tensor[] {
  if (parts === 1) return [tf.reshape(x, shape)];
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || tf.engine().isTapeOn()) return tf.split(x, parts, 0).map((block) => tf.reshape(block, shape));
  const size = x.size / parts;
  const values = x.dataSync() as Float32Array;
  return Array.from({ length: parts }, (_, i) => tf.tensor(values.subarray(i * size, (i + 1) * size), shape, 'float32'));
}
