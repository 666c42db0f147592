import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAvgPool2D, GlobalMaxPooling1D, GlobalMaxPooling2D } from '../src/layers/global_pooling.js';
import { randomValues } from './conv_reference.js';

function tensor(values: Float64Array, shape: readonly number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), [...shape], 'float32');
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('GlobalAveragePooling / GlobalMaxPooling', () => {
  it('have Keras shapes, keepdims and aliases', () => {
    expect(GlobalAvgPool2D).toBe(GlobalAveragePooling2D);
    expect(GlobalAveragePooling2D().compute_output_shape([null, 5, 5, 64])).toEqual([null, 64]);
    expect(GlobalMaxPooling2D({ keepdims: true }).compute_output_shape([null, 5, 5, 64])).toEqual([null, 1, 1, 64]);
    expect(GlobalAveragePooling2D({ data_format: 'channels_first' }).compute_output_shape([null, 3, 5, 5])).toEqual([null, 3]);
    expect(GlobalMaxPooling1D().compute_output_shape([null, 10, 8])).toEqual([null, 8]);
    expect(GlobalAveragePooling2D({ keepdims: true, name: 'g' }).get_config()).toMatchObject({ name: 'g', keepdims: true, data_format: 'channels_last' });
    expect(() => GlobalAveragePooling2D({ name: 'g' }).apply(tf.zeros([2, 8]))).toThrow('Input 0 of layer "g" is incompatible with the layer: expected ndim=4, found ndim=2');
  });

  const cases = [
    { name: 'GlobalAveragePooling2D', make: () => GlobalAveragePooling2D(), shape: [2, 3, 4, 5], f: (x: tf.Tensor) => tf.mean(x, [1, 2]) },
    { name: 'GlobalMaxPooling2D', make: () => GlobalMaxPooling2D(), shape: [2, 3, 4, 5], f: (x: tf.Tensor) => tf.max(x, [1, 2]) },
    { name: 'GlobalAveragePooling1D, keepdims', make: () => GlobalAveragePooling1D({ keepdims: true }), shape: [2, 7, 3], f: (x: tf.Tensor) => tf.mean(x, [1], true) },
    { name: 'GlobalMaxPooling2D, channels_first', make: () => GlobalMaxPooling2D({ data_format: 'channels_first' }), shape: [2, 3, 4, 5], f: (x: tf.Tensor) => tf.max(x, [2, 3]) },
    { name: 'GlobalAveragePooling2D, channels_first', make: () => GlobalAveragePooling2D({ data_format: 'channels_first' }), shape: [2, 3, 4, 5], f: (x: tf.Tensor) => tf.mean(x, [2, 3]) },
    { name: 'GlobalAveragePooling1D', make: () => GlobalAveragePooling1D(), shape: [3, 6, 2], f: (x: tf.Tensor) => tf.mean(x, [1]) },
  ];
  for (const c of cases) {
    it(`${c.name}: forward and backward against TensorFlow.js's reduction and its autodiff`, () => {
      const layer = c.make();
      const x = tensor(randomValues(c.shape.reduce((a, b) => a * b, 1), 8), c.shape);
      const pass = layer.forward(x, true);
      expect(maxAbsDiff(pass.outputs.dataSync(), c.f(x).dataSync())).toBeLessThan(1e-6);
      const dy = tensor(randomValues(pass.outputs.size, 9), pass.outputs.shape);
      const dx = layer.backward(dy, pass, true).inputGradient!;
      expect(maxAbsDiff(dx.dataSync(), tf.grad(c.f)(x, dy).dataSync())).toBeLessThan(1e-6);
    });
  }
});
