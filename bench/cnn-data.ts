/**
 * W4's data and initial weights (issue 15) as plain typed arrays: bench/cnn.ts turns them into
 * tensors for each contender, and scripts/keras-golden/w4_data_write.ts writes them to files for
 * real Keras (scripts/keras-golden/w4_accuracy.py), so all train on the same arrays.
 */
import { imageDataset, seededUniform } from './data.js';
import { DATA_SEED, WEIGHTS_SEED } from './workloads.js';

/** Samples after the training ones, never trained on: the accuracy and loss are measured on them. */
export const HELD_OUT = 512;

export interface W4Data {
  /** [samples, 28, 28, 1] and [samples, 10] one-hot, row-major. */
  x: Float32Array;
  y: Float32Array;
  /** [HELD_OUT, 28, 28, 1] and [HELD_OUT, 10]. */
  xHeldOut: Float32Array;
  yHeldOut: Float32Array;
}

/** One draw of samples + HELD_OUT, so the held-out images share the training images' class patterns. */
export function w4Data(samples: number): W4Data {
  const data = imageDataset(samples + HELD_OUT, 28, 10, DATA_SEED);
  const pixels = 28 * 28;
  return {
    x: data.x.subarray(0, samples * pixels),
    y: data.y.subarray(0, samples * 10),
    xHeldOut: data.x.subarray(samples * pixels),
    yHeldOut: data.y.subarray(samples * 10),
  };
}

/** Glorot-uniform kernels, zero biases, Keras's layouts: conv [3, 3, in, out], dense [1600, 10]. */
export function initialWeights(): Array<{ shape: number[]; values: Float32Array }> {
  const uniform = seededUniform(WEIGHTS_SEED);
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (uniform() * 2 - 1) * limit;
    return { shape, values };
  };
  const zeros = (n: number) => ({ shape: [n], values: new Float32Array(n) });
  return [glorot([3, 3, 1, 32], 9, 9 * 32), zeros(32), glorot([3, 3, 32, 64], 9 * 32, 9 * 64), zeros(64), glorot([1600, 10], 1600, 10), zeros(10)];
}
