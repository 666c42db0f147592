/** What the two scalers share: reading X as a 2-D float32 tensor, and the fitted-or-not check. */
import * as tf from '@tensorflow/tfjs-core';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { ValueError } from '../errors.js';

/** Runs `fn` on X as a 2-D tensor, disposing the conversion when it made one. */
export function withMatrix<T>(owner: string, X: TensorInput, fn: (x: tf.Tensor) => T): T {
  const x = convertToTensor(X);
  try {
    if (x.rank !== 2) {
      throw new ValueError(`${owner}: expected a 2D array, got a ${x.rank}D array of shape [${x.shape.join(', ')}]. Reshape your data with X.reshape([-1, 1]) if it has a single feature.`);
    }
    return fn(x);
  } finally {
    if (x !== X) x.dispose();
  }
}

export function notFitted(owner: string): never {
  throw new ValueError(`This ${owner} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.`);
}

export function checkFeatures(owner: string, x: tf.Tensor, expected: number): void {
  if (x.shape[1] !== expected) {
    throw new ValueError(`${owner}: X has ${x.shape[1]} features, but ${owner} is expecting ${expected} features as input.`);
  }
}
