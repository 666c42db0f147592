/**
 * DepthwiseConv1D/2D and SeparableConv1D/2D: Keras 3's arguments, weights (names, layouts),
 * shapes and config, and the hand-written forward and backward against TensorFlow.js autodiff
 * of tf.depthwiseConv2d (dilation through a kernel with the zeros written in) and a 1×1 conv2d.
 * Keras's own values are in the layers_conv fixture.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DepthwiseConv1D, DepthwiseConv2D, DepthwiseConv2DLayer } from '../src/layers/depthwise_conv.js';
import { SeparableConv1D, SeparableConv2D, SeparableConv2DLayer, SeparableConvolution2D } from '../src/layers/separable_conv.js';
import { deserialize, serialize } from '../src/layers/serialization.js';
import { Sequential } from '../src/models/sequential.js';
import { Input } from '../src/layers/input_layer.js';
import { Flatten } from '../src/layers/flatten.js';
import { Dense } from '../src/layers/dense.js';
import { dilateKernel, expectMatchesAutodiff } from './layer_autodiff.js';

interface Case {
  name: string;
  x: [number, number, number, number];
  kernel: [number, number];
  dm: number;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilation: [number, number];
}

const CASES: Case[] = [
  { name: '3×3 valid', x: [2, 6, 5, 3], kernel: [3, 3], dm: 1, strides: [1, 1], padding: 'valid', dilation: [1, 1] },
  { name: 'depth_multiplier 2, stride 2, same, odd sizes', x: [2, 7, 5, 2], kernel: [3, 3], dm: 2, strides: [2, 2], padding: 'same', dilation: [1, 1] },
  { name: 'strides [2, 3], even kernel, valid', x: [1, 8, 9, 3], kernel: [2, 4], dm: 1, strides: [2, 3], padding: 'valid', dilation: [1, 1] },
  { name: 'dilation 2, depth_multiplier 3, same, batch 1', x: [1, 7, 6, 2], kernel: [3, 2], dm: 3, strides: [1, 1], padding: 'same', dilation: [2, 2] },
];

const depthwiseRef = (c: Case, x: tf.Tensor, w: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, dilateKernel(w, c.dilation) as tf.Tensor4D, c.strides, c.padding);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`DepthwiseConv2D / SeparableConv2D against TensorFlow.js autodiff (${backend})`, () => {
    for (const c of CASES) {
      const options = { strides: c.strides, padding: c.padding, depth_multiplier: c.dm, dilation_rate: c.dilation };
      it(`DepthwiseConv2D ${c.name}, sigmoid`, async () => {
        await tf.setBackend(backend);
        await expectMatchesAutodiff(DepthwiseConv2D(c.kernel, { ...options, activation: 'sigmoid' }), c.x, (x, w, b) => tf.sigmoid(tf.add(depthwiseRef(c, x, w!), b!)));
      });
      it(`DepthwiseConv2D ${c.name}, relu (fused)`, async () => {
        await tf.setBackend(backend);
        await expectMatchesAutodiff(DepthwiseConv2D(c.kernel, { ...options, activation: 'relu' }), c.x, (x, w, b) => tf.relu(tf.add(depthwiseRef(c, x, w!), b!)));
      });
      it(`SeparableConv2D ${c.name}, tanh`, async () => {
        await tf.setBackend(backend);
        await expectMatchesAutodiff(SeparableConv2D(3, c.kernel, { ...options, activation: 'tanh' }), c.x, (x, wd, wp, b) =>
          tf.tanh(tf.add(tf.conv2d(depthwiseRef(c, x, wd!) as tf.Tensor4D, wp as tf.Tensor4D, 1, 'valid'), b!)),
        );
      });
    }

    it('the 1-D layers are the 2-D ones on a height-1 image', async () => {
      await tf.setBackend(backend);
      const c: Case = { name: '', x: [2, 1, 7, 3], kernel: [1, 3], dm: 2, strides: [1, 2], padding: 'same', dilation: [1, 1] };
      const squeeze = (y: tf.Tensor) => tf.squeeze(y, [1]);
      await expectMatchesAutodiff(DepthwiseConv1D(3, { strides: 2, padding: 'same', depth_multiplier: 2 }), [2, 7, 3], (x, w, b) =>
        tf.add(squeeze(depthwiseRef(c, tf.expandDims(x, 1), tf.expandDims(w!, 0))), b!),
      );
      await expectMatchesAutodiff(SeparableConv1D(4, 3, { strides: 2, padding: 'same', depth_multiplier: 2, use_bias: false }), [2, 7, 3], (x, wd, wp) =>
        squeeze(tf.conv2d(depthwiseRef(c, tf.expandDims(x, 1), tf.expandDims(wd!, 0)) as tf.Tensor4D, tf.expandDims(wp!, 0) as tf.Tensor4D, 1, 'valid')),
      );
    });
  });
}

describe('DepthwiseConv2D / SeparableConv2D: weights, shapes, config as Keras 3', () => {
  it('has Keras weight names, layouts and parameter counts', () => {
    const depthwise = DepthwiseConv2D(3, { depth_multiplier: 2 });
    depthwise.build([null, 8, 8, 5]);
    expect(depthwise.weights.map((w) => [w.name.split('/').pop()!.replace(/_\d+$/, ''), w.shape])).toEqual([
      ['kernel', [3, 3, 5, 2]],
      ['bias', [10]],
    ]);
    expect(depthwise.count_params()).toBe(3 * 3 * 5 * 2 + 10);
    expect(depthwise.compute_output_shape([null, 8, 8, 5])).toEqual([null, 6, 6, 10]);
    const separable = SeparableConv2D(16, 3, { depth_multiplier: 2, padding: 'same' });
    expect(SeparableConvolution2D).toBe(SeparableConv2D);
    separable.build([null, 8, 8, 5]);
    expect(separable.weights.map((w) => [w.name.split('/').pop()!.replace(/_\d+$/, ''), w.shape])).toEqual([
      ['depthwise_kernel', [3, 3, 5, 2]],
      ['pointwise_kernel', [1, 1, 10, 16]],
      ['bias', [16]],
    ]);
    expect(separable.count_params()).toBe(90 + 160 + 16);
    expect(separable.compute_output_shape([null, 8, null, 5])).toEqual([null, 8, null, 16]);
    const oneD = SeparableConv1D(4, 3);
    oneD.build([null, 9, 2]);
    expect(oneD.pointwise_kernel!.shape).toEqual([1, 2, 4]);
    expect(DepthwiseConv1D(3, { data_format: 'channels_first' }).compute_output_shape([null, 2, 9])).toEqual([null, 2, 7]);
  });

  it('round-trips its config and rejects bad arguments in Keras words', () => {
    for (const layer of [DepthwiseConv2D(3, 2, 'same', { depth_multiplier: 3 }), SeparableConv2D(4, [3, 2], { activation: 'relu', pointwise_initializer: 'he_normal' })]) {
      const copy = deserialize(serialize(layer));
      expect(copy).toBeInstanceOf(layer instanceof DepthwiseConv2DLayer ? DepthwiseConv2DLayer : SeparableConv2DLayer);
      expect(copy.get_config()).toEqual(layer.get_config());
    }
    expect(() => DepthwiseConv2D(3, { depth_multiplier: 0 })).toThrow('DepthwiseConv2D: `depth_multiplier` must be a strictly positive integer. Received: depth_multiplier=0');
    expect(() => SeparableConv2D(-2, 3)).toThrow('SeparableConv2D: `filters` must be a strictly positive integer. Received: filters=-2');
    // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
    expect(() => DepthwiseConv2D(3, { padding: 'causal' })).toThrow("must be one of {'valid', 'same'}");
    expect(() => DepthwiseConv2D(3, { strides: 2, dilation_rate: 2 })).toThrow('`strides > 1` not supported in conjunction with `dilation_rate > 1`');
    expect(() => DepthwiseConv2D(5, { name: 'd' }).apply(tf.zeros([1, 3, 3, 2]))).toThrow('DepthwiseConv2D: Computed output size would be zero or negative.');
    expect(() => SeparableConv2D(2, 3, { name: 's' }).apply(tf.zeros([3, 8]))).toThrow('expected min_ndim=4, found ndim=2');
  });

  it('trains in a model without tensor growth', () => {
    const model = Sequential([Input({ shape: [8, 8, 2] }), DepthwiseConv2D(3, { depth_multiplier: 2, activation: 'relu' }), SeparableConv2D(4, 3, { activation: 'relu' }), Flatten(), Dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomUniform([8, 8, 8, 2], 0, 1, 'float32', 1);
    const y = tf.randomUniform([8, 1], 0, 1, 'float32', 2);
    const first = model.fit(x, y, { epochs: 1, batch_size: 4, verbose: 0 }).history.loss as number[];
    const before = tf.memory().numTensors;
    const later = model.fit(x, y, { epochs: 15, batch_size: 4, verbose: 0 }).history.loss as number[];
    expect(tf.memory().numTensors).toBe(before);
    expect(later.at(-1)!).toBeLessThan(first[0]!);
  });
});
