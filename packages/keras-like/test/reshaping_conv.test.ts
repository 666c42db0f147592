/**
 * ZeroPadding1D, Cropping1D/2D, UpSampling1D/2D and SpatialDropout1D/2D: Keras 3's arguments,
 * shapes and config, and the hand-written backward against TensorFlow.js autodiff (odd sizes,
 * batch 1, channels_first). Keras's own values are in the layers_conv fixture.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Cropping1D, Cropping2D } from '../src/layers/cropping.js';
import { ZeroPadding1D } from '../src/layers/zero_padding1d.js';
import { UpSampling1D, UpSampling2D } from '../src/layers/up_sampling.js';
import { SpatialDropout1D, SpatialDropout2D } from '../src/layers/spatial_dropout.js';
import { deserialize, serialize } from '../src/layers/serialization.js';
import * as layers from '../src/layers/index.js';
import type { Layer } from '../src/layers/layer.js';
import { Sequential } from '../src/models/sequential.js';
import { Input } from '../src/layers/input_layer.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { expectMatchesAutodiff } from './layer_autodiff.js';

const toLast = (x: tf.Tensor) => tf.transpose(x, [0, 2, 3, 1]);
const toFirst = (x: tf.Tensor) => tf.transpose(x, [0, 3, 1, 2]);

/**
 * Up-sampling written with gathers (whose gradient TensorFlow.js derives as a segment sum): its own
 * ResizeNearestNeighborGrad and ResizeBilinearGrad give wrong results here (tfjs 4.22: a transposed
 * shape for bilinear with half-pixel centres, misplaced sums for nearest). The forward is also
 * compared with tf.image.resizeBilinear / resizeNearestNeighbor below.
 */
function resizeAlong(x: tf.Tensor, axis: number, f: number, mode: 'nearest' | 'bilinear'): tf.Tensor {
  const n = x.shape[axis]!;
  const out = Array.from({ length: n * f }, (_, i) => i);
  if (mode === 'nearest') return tf.gather(x, out.map((i) => Math.floor(i / f)), axis);
  const source = out.map((i) => (i + 0.5) / f - 0.5);
  const clamp = (j: number) => Math.min(Math.max(j, 0), n - 1);
  const low = tf.gather(x, source.map((s) => clamp(Math.floor(s))), axis);
  const high = tf.gather(x, source.map((s) => clamp(Math.floor(s) + 1)), axis);
  const shape = x.shape.map((size, a) => (a === axis ? n * f : 1));
  const t = tf.tensor(source.map((s) => s - Math.floor(s)), shape);
  return tf.add(tf.mul(low, tf.sub(1, t)), tf.mul(high, t));
}
const resize2d = (x: tf.Tensor, [fh, fw]: [number, number], mode: 'nearest' | 'bilinear') => resizeAlong(resizeAlong(x, 1, fh, mode), 2, fw, mode);

const CASES: Array<[name: string, make: () => Layer, xShape: number[], reference: (x: tf.Tensor) => tf.Tensor]> = [
  ['ZeroPadding1D 2', () => ZeroPadding1D(2), [2, 5, 3], (x) => tf.pad(x, [[0, 0], [2, 2], [0, 0]])],
  ['ZeroPadding1D [0, 3] channels_first', () => ZeroPadding1D([0, 3], { data_format: 'channels_first' }), [1, 2, 4], (x) => tf.pad(x, [[0, 0], [0, 0], [0, 3]])],
  ['Cropping1D default', () => Cropping1D(), [2, 5, 3], (x) => tf.slice(x, [0, 1, 0], [-1, 3, -1])],
  ['Cropping1D [2, 0]', () => Cropping1D([2, 0]), [1, 6, 2], (x) => tf.slice(x, [0, 2, 0], [-1, 4, -1])],
  ['Cropping2D [[1, 2], [0, 1]]', () => Cropping2D([[1, 2], [0, 1]]), [2, 6, 5, 3], (x) => tf.slice(x, [0, 1, 0, 0], [-1, 3, 4, -1])],
  ['Cropping2D [1, 2] channels_first', () => Cropping2D([1, 2], { data_format: 'channels_first' }), [1, 2, 5, 7], (x) => tf.slice(x, [0, 0, 1, 2], [-1, -1, 3, 3])],
  ['UpSampling1D 3', () => UpSampling1D(3), [2, 4, 3], (x) => resizeAlong(x, 1, 3, 'nearest')],
  ['UpSampling2D nearest', () => UpSampling2D(), [2, 3, 5, 2], (x) => resize2d(x, [2, 2], 'nearest')],
  ['UpSampling2D nearest [3, 2] channels_first', () => UpSampling2D([3, 2], { data_format: 'channels_first' }), [1, 2, 3, 3], (x) => toFirst(resize2d(toLast(x), [3, 2], 'nearest'))],
  ['UpSampling2D bilinear 2', () => UpSampling2D(2, { interpolation: 'bilinear' }), [2, 3, 4, 2], (x) => resize2d(x, [2, 2], 'bilinear')],
  ['UpSampling2D bilinear [3, 2], odd sizes, batch 1', () => UpSampling2D([3, 2], { interpolation: 'bilinear' }), [1, 5, 3, 2], (x) => resize2d(x, [3, 2], 'bilinear')],
  ['UpSampling2D bilinear channels_first', () => UpSampling2D(2, { interpolation: 'bilinear', data_format: 'channels_first' }), [1, 2, 3, 4], (x) => toFirst(resize2d(toLast(x), [2, 2], 'bilinear'))],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`padding, cropping and up-sampling against TensorFlow.js autodiff (${backend})`, () => {
    for (const [name, make, xShape, reference] of CASES) {
      it(name, async () => {
        await tf.setBackend(backend);
        await expectMatchesAutodiff(make(), xShape, reference, 1e-6);
      });
    }
  });
}

describe('UpSampling2D forward against tf.image resizing (half-pixel centres, as TensorFlow 2 and Keras)', () => {
  it('bilinear and nearest', () => {
    const x = tf.randomNormal([2, 5, 3, 2], 0, 1, 'float32', 3);
    const bilinear = UpSampling2D([3, 2], { interpolation: 'bilinear' }).apply(x);
    expect(tf.max(tf.abs(tf.sub(bilinear, tf.image.resizeBilinear(x as tf.Tensor4D, [15, 6], false, true)))).dataSync()[0]).toBeLessThan(1e-6);
    const nearest = UpSampling2D([3, 2]).apply(x);
    expect(Array.from(nearest.dataSync())).toEqual(Array.from(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [15, 6], false, true).dataSync()));
  });
});

describe('padding, cropping and up-sampling: shapes, config and errors as Keras 3', () => {
  it('computes Keras output shapes and round-trips its config', () => {
    expect(ZeroPadding1D([1, 2]).compute_output_shape([null, 5, 3])).toEqual([null, 8, 3]);
    expect(Cropping1D(2).compute_output_shape([null, null, 3])).toEqual([null, null, 3]);
    expect(Cropping2D([[1, 0], [2, 2]]).compute_output_shape([null, 6, 7, 3])).toEqual([null, 5, 3, 3]);
    expect(UpSampling1D(4).compute_output_shape([null, 5, 3])).toEqual([null, 20, 3]);
    expect(UpSampling2D([2, 3], { data_format: 'channels_first' }).compute_output_shape([null, 3, 4, null])).toEqual([null, 3, 8, null]);
    for (const layer of [ZeroPadding1D([1, 2]), Cropping1D(2), Cropping2D([[1, 0], [2, 2]]), UpSampling1D(3), UpSampling2D(2, { interpolation: 'Bilinear' }), SpatialDropout2D(0.2, { seed: 3 })]) {
      const copy = deserialize(serialize(layer));
      expect(copy.constructor).toBe(layer.constructor);
      expect(copy.get_config()).toEqual(layer.get_config());
    }
    expect(UpSampling2D(2, { interpolation: 'Bilinear' }).get_config()).toMatchObject({ size: [2, 2], interpolation: 'bilinear', data_format: 'channels_last' });
    expect(Cropping2D(1).get_config()).toMatchObject({ cropping: [[1, 1], [1, 1]] });
    expect(layers.UpSampling2D).toBe(UpSampling2D);
    expect(layers.Cropping2D).toBe(Cropping2D);
  });

  it('rejects bad arguments and inputs in Keras words, at the call that received them', () => {
    expect(() => Cropping1D(-1)).toThrow('Cropping1D: The `cropping` argument must be a tuple of 2 integers. Received cropping=-1, including values {-1} that do not satisfy `value >= 0`');
    expect(() => Cropping2D([1, 2, 3] as never)).toThrow('Cropping2D: `cropping` should have two elements. Received: cropping=[1, 2, 3].');
    expect(() => Cropping2D(-2)).toThrow('Cropping2D: `cropping` cannot be negative. Received: cropping=-2.');
    expect(() => Cropping1D([2, 3]).apply(tf.zeros([1, 5, 2]))).toThrow(
      '`cropping` parameter of `Cropping1D` layer must be smaller than the input length. Received: input_shape=(1, 5, 2), cropping=(2, 3)',
    );
    expect(() => Cropping2D([[1, 1], [2, 2]]).apply(tf.zeros([1, 5, 4, 2]))).toThrow(
      'Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape=(1, 5, 4, 2), cropping=((1, 1), (2, 2))',
    );
    expect(() => UpSampling1D(0)).toThrow('UpSampling1D: Argument `size` should be a positive integer. Received: size=0');
    expect(() => UpSampling1D([2] as never)).toThrow('UpSampling1D: Expected an integer value for `size`. Received: size=[2]');
    expect(() => UpSampling2D(2, { interpolation: 'bicubic' })).toThrow("`interpolation` must be 'nearest' or 'bilinear' in keras-like. Received: interpolation='bicubic'");
    expect(() => ZeroPadding1D(-1)).toThrow('ZeroPadding1D: The `padding` argument must be a tuple of 2 integers.');
    expect(() => UpSampling2D(2, { name: 'up' }).apply(tf.zeros([2, 4, 3]))).toThrow('Input 0 of layer "up" is incompatible with the layer: expected ndim=4, found ndim=3.');
  });
});

describe('SpatialDropout1D / SpatialDropout2D', () => {
  it('drops whole channels in training, the same mask on every position, and back-propagates through it', () => {
    for (const [layer, shape, spatial] of [
      [SpatialDropout2D(0.5, { seed: 1 }), [4, 3, 5, 8], [1, 2]],
      [SpatialDropout2D(0.5, { seed: 2, data_format: 'channels_first' }), [4, 8, 3, 5], [2, 3]],
      [SpatialDropout1D(0.5, { seed: 3 }), [4, 6, 8], [1]],
    ] as const) {
      const x = tf.add(tf.randomUniform([...shape], 0, 1, 'float32', 9), 1); // no zeros of its own
      const pass = layer.forward(x, true);
      const ratio = tf.div(pass.outputs, x);
      // One value per sample and channel: max = min over the spatial axes, each 0 or 1 / (1 − rate) = 2.
      const [max, min] = [tf.max(ratio, [...spatial]), tf.min(ratio, [...spatial])];
      expect(Array.from(max.dataSync())).toEqual(Array.from(min.dataSync()));
      expect(new Set(Array.from(max.dataSync()).map((v) => Math.round(v * 1e5) / 1e5))).toEqual(new Set([0, 2]));
      const dy = tf.randomNormal([...shape], 0, 1, 'float32', 4);
      const dx = layer.backward(dy, pass, true).inputGradient!;
      expect(tf.max(tf.abs(tf.sub(dx, tf.mul(dy, ratio)))).dataSync()[0]).toBeLessThan(1e-5);
      // Inference is the identity.
      expect(Array.from(layer.apply(x).dataSync())).toEqual(Array.from(x.dataSync()));
    }
  });

  it("keeps about 1 − rate of the channels and has Keras's config (rate, seed, name, dtype)", () => {
    const layer = SpatialDropout2D(0.25, { seed: 7, name: 'sd' });
    const kept = tf.mean(tf.cast(tf.greater(layer.forward(tf.ones([200, 2, 2, 10]), true).outputs, 0), 'float32')).dataSync()[0]!;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.05);
    expect(Object.keys(layer.get_config()).sort()).toEqual(['data_format', 'dtype', 'name', 'rate', 'seed']);
    expect(Object.keys(SpatialDropout1D(0.1).get_config()).sort()).toEqual(['dtype', 'name', 'rate', 'seed']);
    expect(() => SpatialDropout1D(1)).toThrow('SpatialDropout1D: `rate` must be a float in the range [0, 1)');
    expect(() => SpatialDropout1D(0.1, { noise_shape: [1] } as never)).toThrow('noise_shape');
  });

  it('trains in a CNN without tensor growth', () => {
    const model = Sequential([Input({ shape: [6, 6, 2] }), Conv2D(4, 3, { activation: 'relu' }), SpatialDropout2D(0.3), UpSampling2D(2), Cropping2D(1), Conv2D(1, 1)]);
    expect(model.output_shape).toEqual([null, 6, 6, 1]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomUniform([8, 6, 6, 2], 0, 1, 'float32', 1);
    const y = tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 2);
    model.fit(x, y, { epochs: 1, batch_size: 4, verbose: 0 });
    const before = tf.memory().numTensors;
    model.fit(x, y, { epochs: 3, batch_size: 4, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
