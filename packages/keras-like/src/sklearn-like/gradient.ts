/**
 * `np.gradient(y)` of a 1-D array with unit spacing: central differences (y[i+1] − y[i−1]) / 2
 * inside, one-sided differences at both ends, as NumPy computes them. TensorFlow.js has no such op.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { ValueError } from '../errors.js';

export function gradient(y: TensorInput): tf.Tensor {
  const t = convertToTensor(y);
  try {
    if (t.rank !== 1 || t.shape[0]! < 2) {
      throw new ValueError(`gradient: expects a 1-D array of at least 2 values. Received shape [${t.shape.join(', ')}].`);
    }
    const v = t.dataSync();
    const n = v.length;
    const out = new Float32Array(n);
    out[0] = v[1]! - v[0]!;
    out[n - 1] = v[n - 1]! - v[n - 2]!;
    for (let i = 1; i < n - 1; i++) out[i] = (v[i + 1]! - v[i - 1]!) / 2;
    return tf.tensor1d(out, 'float32');
  } finally {
    if (t !== y) t.dispose();
  }
}
