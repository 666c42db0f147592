/**
 * A tensor's values on the host without a copy where the backend allows it. The optimizers
 * read gradients this way, and the training loop cuts batches from the dataset this way.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The wasm backend's method that views a tensor's memory in place (tfjs-backend-wasm 4.x). */
interface HeapViews {
  typedArrayFromHeap(info: { shape: number[]; dtype: tf.DataType; dataId: object }): tf.TypedArray;
}

/**
 * On wasm, a view of the backend's memory (valid until that memory next grows, so read it at
 * once, before any tensor is created); on cpu, `dataSync` already returns the tensor's own
 * array. Never write to it.
 */
export function readOnlyData(tensor: tf.Tensor): tf.TypedArray {
  const kernels = tf.backend() as tf.KernelBackend & Partial<HeapViews>;
  const onThisBackend = kernels.refCount(tensor.dataId) > 0;
  if (tensor.dtype !== 'string' && tensor.dtype !== 'complex64' && onThisBackend && typeof kernels.typedArrayFromHeap === 'function') {
    return kernels.typedArrayFromHeap(tensor);
  }
  return tensor.dataSync() as tf.TypedArray;
}

/** `readOnlyData` as float32 (a copy only when the tensor holds another type). */
export function readOnlyValues(tensor: tf.Tensor): Float32Array {
  const values = readOnlyData(tensor);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
