/**
 * Conv2DTranspose / Conv1DTranspose: Keras 3's arguments, weights, shapes and config, and the
 * hand-written forward and backward against TensorFlow.js autodiff of `tf.conv2dTranspose`
 * (its dilation through a kernel with the zeros written in). Keras's own values are in the
 * layers_conv fixture (test/parity/layers_conv.test.ts).
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Conv2DTranspose, Convolution2DTranspose, type Conv2DTransposeLayer } from '../src/layers/conv2d_transpose.js';
import { Conv1DTranspose, Conv1DTransposeLayer } from '../src/layers/conv1d_transpose.js';
import { deserialize, serialize } from '../src/layers/serialization.js';
import { Sequential } from '../src/models/sequential.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { Input } from '../src/layers/input_layer.js';
import { dilateKernel, expectMatchesAutodiff } from './layer_autodiff.js';
import { Conv1DTranspose as Conv1DTransposeFromIndex } from '../src/layers/index.js';

interface Case {
  name: string;
  x: [number, number, number, number];
  kernel: [number, number];
  filters: number;
  strides: [number, number];
  padding: 'valid' | 'same';
  output_padding?: [number, number];
  dilation: [number, number];
  /**
   * Where TensorFlow's 'same' cannot give Keras's output length, the reference takes the full
   * 'valid' output and crops it as Keras's rule does (hand-derived: kernel 4, stride 2,
   * output_padding 0 → total padding 4 + 0 − 2 + 0 = 2, 1 before, so 4 − 1 − 1 = 2 rows cropped first).
   */
  crop?: { begin: [number, number]; size: [number, number] };
}

const CASES: Case[] = [
  { name: 'valid 3×3', x: [2, 4, 5, 2], kernel: [3, 3], filters: 3, strides: [1, 1], padding: 'valid', dilation: [1, 1] },
  { name: 'same, stride 2, odd sizes', x: [2, 3, 5, 3], kernel: [3, 3], filters: 2, strides: [2, 2], padding: 'same', dilation: [1, 1] },
  { name: 'valid, stride 2, 2×2 kernel (the U-Net upsampler)', x: [2, 3, 3, 2], kernel: [2, 2], filters: 2, strides: [2, 2], padding: 'valid', dilation: [1, 1] },
  { name: 'valid, stride 3 > kernel 2 (gaps)', x: [1, 3, 2, 2], kernel: [2, 2], filters: 2, strides: [3, 3], padding: 'valid', dilation: [1, 1] },
  { name: 'valid, strides [2, 3], output_padding [1, 2]', x: [2, 3, 3, 2], kernel: [3, 2], filters: 2, strides: [2, 3], padding: 'valid', output_padding: [1, 2], dilation: [1, 1] },
  { name: 'same, stride 2, kernel 4, output_padding 0', x: [2, 3, 3, 2], kernel: [4, 4], filters: 2, strides: [2, 2], padding: 'same', output_padding: [0, 0], dilation: [1, 1], crop: { begin: [2, 2], size: [4, 4] } },
  { name: 'same, stride 2, kernel [2, 3], output_padding 1', x: [1, 4, 3, 2], kernel: [2, 3], filters: 3, strides: [2, 2], padding: 'same', output_padding: [1, 1], dilation: [1, 1] },
  { name: 'dilation 2, same', x: [2, 5, 4, 2], kernel: [3, 3], filters: 2, strides: [1, 1], padding: 'same', dilation: [2, 2] },
  { name: 'dilation [2, 3], valid, batch 1', x: [1, 3, 4, 2], kernel: [2, 3], filters: 2, strides: [1, 1], padding: 'valid', dilation: [2, 3] },
];

function layerFor(c: Case, activation: string | null = null): Conv2DTransposeLayer {
  return Conv2DTranspose(c.filters, c.kernel, { strides: c.strides, padding: c.padding, output_padding: c.output_padding ?? null, dilation_rate: c.dilation, activation });
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`Conv2DTranspose forward and backward against TensorFlow.js autodiff (${backend})`, () => {
    for (const c of CASES) {
      for (const activation of [null, 'sigmoid']) {
        it(`${c.name}${activation ? `, ${activation}` : ''}`, async () => {
          await tf.setBackend(backend);
          const layer = layerFor(c, activation);
          const outShape = layer.compute_output_shape(c.x) as number[];
          await expectMatchesAutodiff(layer, c.x, (x, w, b) => {
            const kernel = dilateKernel(w!, c.dilation) as tf.Tensor4D;
            const transposed = c.crop
              ? tf.slice(
                  tf.conv2dTranspose(x as tf.Tensor4D, kernel, [c.x[0], (c.x[1] - 1) * c.strides[0] + kernel.shape[0], (c.x[2] - 1) * c.strides[1] + kernel.shape[1], c.filters], c.strides, 'valid'),
                  [0, ...c.crop.begin, 0],
                  [-1, ...c.crop.size, -1],
                )
              : tf.conv2dTranspose(x as tf.Tensor4D, kernel, outShape as [number, number, number, number], c.strides, c.padding);
            const z = tf.add(transposed, b!);
            return activation === 'sigmoid' ? tf.sigmoid(z) : z;
          });
        });
      }
    }

    it('Conv1DTranspose is the 2-D layer on a height-1 image', async () => {
      await tf.setBackend(backend);
      for (const [strides, padding, output_padding] of [[2, 'valid', null], [2, 'same', 1], [1, 'same', null]] as const) {
        const layer = Conv1DTranspose(3, 3, { strides, padding, output_padding });
        const outShape = layer.compute_output_shape([2, 5, 2]) as number[];
        await expectMatchesAutodiff(layer, [2, 5, 2], (x, w, b) =>
          tf.add(
            tf.squeeze(tf.conv2dTranspose(tf.expandDims(x, 1) as tf.Tensor4D, tf.expandDims(w!, 0) as tf.Tensor4D, [2, 1, outShape[1]!, 3], [1, strides], padding), [1]),
            b!,
          ),
        );
      }
    });
  });
}

describe('Conv2DTranspose: arguments, weights, shapes and config as Keras 3', () => {
  it('has a kernel [kh, kw, filters, in_channels], Keras output lengths and parameter counts', () => {
    const layer = Conv2DTranspose(16, 3, { strides: 2, padding: 'same' });
    expect(Convolution2DTranspose).toBe(Conv2DTranspose);
    expect(Conv1DTransposeFromIndex).toBe(Conv1DTranspose);
    layer.build([null, 7, 7, 8]);
    expect(layer.kernel!.shape).toEqual([3, 3, 16, 8]);
    expect(layer.weights.map((w) => w.name.split('/').pop()!.replace(/_\d+$/, ''))).toEqual(['kernel', 'bias']);
    expect(layer.count_params()).toBe(3 * 3 * 16 * 8 + 16);
    // Hand-derived from Keras's rule: valid (n − 1)·s + max(k, s) (+ op); same n·s, or (n − 1)·s + k mod 2 + op.
    const shape = (args: Parameters<typeof Conv2DTranspose>, input: Array<number | null>) => Conv2DTranspose(...args).compute_output_shape(input);
    expect(shape([4, 3], [null, 5, 6, 2])).toEqual([null, 7, 8, 4]);
    expect(shape([4, 2, { strides: 3 }], [null, 5, 6, 2])).toEqual([null, 15, 18, 4]);
    expect(shape([4, 3, { strides: 2, padding: 'same' }], [null, 5, 6, 2])).toEqual([null, 10, 12, 4]);
    expect(shape([4, 4, { strides: 2, padding: 'same', output_padding: 0 }], [null, 5, 6, 2])).toEqual([null, 8, 10, 4]);
    expect(shape([4, 3, { strides: [2, 3], output_padding: [1, 2] }], [null, 3, 3, 2])).toEqual([null, 8, 11, 4]);
    expect(shape([4, 3, { dilation_rate: 2 }], [null, 5, null, 2])).toEqual([null, 9, null, 4]);
    expect(shape([4, 3, { data_format: 'channels_first' }], [null, 2, 5, 6])).toEqual([null, 4, 7, 8]);
    expect(Conv1DTranspose(4, 3, { strides: 2 }).compute_output_shape([null, 5, 2])).toEqual([null, 11, 4]);
  });

  it("writes Keras's config (output_padding, no groups) and round-trips through serialize", () => {
    const layer = Conv2DTranspose(4, [3, 2], { strides: 2, output_padding: [1, 0], activation: 'relu', name: 'up' });
    const config = layer.get_config();
    expect(config).toMatchObject({ filters: 4, kernel_size: [3, 2], strides: [2, 2], padding: 'valid', output_padding: [1, 0], dilation_rate: [1, 1], activation: 'relu' });
    expect('groups' in config).toBe(false);
    const copy = deserialize(serialize(layer)) as Conv2DTransposeLayer;
    expect(copy).toBeInstanceOf(Conv2DTranspose);
    expect(copy.get_config()).toEqual(config);
    expect(deserialize(serialize(Conv1DTranspose(2, 3)))).toBeInstanceOf(Conv1DTransposeLayer);
  });

  it('rejects bad arguments in Keras words', () => {
    expect(() => Conv2DTranspose(4, 3, { strides: 2, output_padding: 2 })).toThrow(
      'Conv2DTranspose: `output_padding` must be strictly less than `strides` for all dimensions. At dimension 0, `output_padding` is 2 but `strides` is 2. Received: output_padding=(2, 2), strides=(2, 2)',
    );
    // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
    expect(() => Conv2DTranspose(4, 3, { padding: 'causal' })).toThrow("must be one of {'valid', 'same'}");
    expect(() => Conv2DTranspose(-1, 3)).toThrow('Received: filters=-1');
    expect(() => Conv2DTranspose(4, 3, { groups: 2 } as never)).toThrow('groups');
    expect(() => Conv2DTranspose(4, 3, { name: 't' }).apply(tf.zeros([2, 5, 3]))).toThrow('expected min_ndim=4, found ndim=3');
  });

  it('trains in a model (an autoencoder) without tensor growth', () => {
    const model = Sequential([Input({ shape: [8, 8, 1] }), Conv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' }), Conv2DTranspose(1, 3, { strides: 2, padding: 'same' })]);
    expect(model.output_shape).toEqual([null, 8, 8, 1]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 5);
    const first = model.fit(x, x, { epochs: 1, batch_size: 8, verbose: 0 }).history.loss as number[];
    const before = tf.memory().numTensors;
    const later = model.fit(x, x, { epochs: 20, batch_size: 8, verbose: 0 }).history.loss as number[];
    expect(tf.memory().numTensors).toBe(before);
    expect(later.at(-1)!).toBeLessThan(first[0]!);
  });
});
