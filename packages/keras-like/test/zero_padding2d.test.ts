import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ZeroPadding2D } from '../src/layers/zero_padding2d.js';

describe('ZeroPadding2D', () => {
  it('pads as Keras (int, [h, w], [[top, bottom], [left, right]]); backward against autodiff of tf.pad', () => {
    expect(ZeroPadding2D().compute_output_shape([null, 28, 28, 1])).toEqual([null, 30, 30, 1]);
    expect(ZeroPadding2D([1, 2]).compute_output_shape([null, 4, 4, 3])).toEqual([null, 6, 8, 3]);
    expect(ZeroPadding2D([[1, 0], [2, 3]], { data_format: 'channels_first' }).compute_output_shape([null, 3, 4, 4])).toEqual([null, 3, 5, 9]);
    const layer = ZeroPadding2D([[1, 0], [2, 3]]);
    const x = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 1);
    const pass = layer.forward(x, true);
    const reference = (t: tf.Tensor) => tf.pad(t, [[0, 0], [1, 0], [2, 3], [0, 0]]);
    expect(Array.from(pass.outputs.dataSync())).toEqual(Array.from(reference(x).dataSync()));
    const dy = tf.randomNormal(pass.outputs.shape, 0, 1, 'float32', 2);
    expect(Array.from(layer.backward(dy, pass, true).inputGradient!.dataSync())).toEqual(Array.from(tf.grad(reference)(x, dy).dataSync()));
    expect(layer.get_config()).toMatchObject({ padding: [[1, 0], [2, 3]], data_format: 'channels_last' });
    expect(() => ZeroPadding2D(-1)).toThrow('ZeroPadding2D: `padding` should be either an int');
    expect(() => ZeroPadding2D([1, 2, 3] as never)).toThrow('Received: padding=[1, 2, 3]');
  });
});
