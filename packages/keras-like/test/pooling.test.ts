import 'keras-like';
// The reference autodiff runs on cpu, the backend with every gradient kernel.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AveragePooling1D, AveragePooling2D, AvgPool2D } from '../src/layers/average_pooling.js';
import { MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D } from '../src/layers/max_pooling.js';
import type { BasePoolingLayer } from '../src/layers/base_pooling.js';
import { averagePool2dGradientReference, pool2dReference, randomValues } from './conv_reference.js';

interface Case {
  name: string;
  x: [number, number, number, number];
  pool: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
}

const CASES: Case[] = [
  { name: '2×2, the defaults', x: [2, 6, 6, 3], pool: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: 'odd sizes, valid drops the last row and column', x: [2, 7, 5, 2], pool: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: 'same, partial windows at the border', x: [1, 7, 5, 2], pool: [3, 3], strides: [2, 2], padding: 'same' },
  { name: 'same, tiling windows, a row and a column added after', x: [2, 7, 5, 2], pool: [2, 2], strides: [2, 2], padding: 'same' },
  { name: 'same, tiling 3×3 windows, a row added before', x: [1, 7, 8, 2], pool: [3, 3], strides: [3, 3], padding: 'same' },
  { name: 'valid, tiling 3×2 windows, rows and columns no window reads', x: [3, 8, 7, 3], pool: [3, 2], strides: [3, 2], padding: 'valid' },
  { name: 'overlapping windows, strides 1', x: [2, 5, 6, 1], pool: [3, 2], strides: [1, 1], padding: 'valid' },
  { name: 'same, strides [1, 2]', x: [2, 4, 7, 2], pool: [2, 3], strides: [1, 2], padding: 'same' },
];

const MODES = [
  { mode: 'max' as const, make: (c: Case) => MaxPooling2D(c.pool, c.strides, c.padding), op: tf.maxPool },
  { mode: 'average' as const, make: (c: Case) => AveragePooling2D(c.pool, c.strides, c.padding), op: tf.avgPool },
];

// keras-like's kernels run on both backends the package ships (the default is wasm).
const BACKENDS = ['wasm', 'cpu'] as const;
const DEFAULT_BACKEND = tf.getBackend();

function tensor(values: Float64Array, shape: readonly number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), [...shape], 'float32');
}

function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < actual.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!));
  return m;
}

async function onCpu<T>(fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}

for (const backend of BACKENDS) {
  describe(`MaxPooling2D / AveragePooling2D (${backend})`, () => {
    beforeAll(() => tf.setBackend(backend));
    afterAll(() => tf.setBackend(DEFAULT_BACKEND));

    it('have Keras defaults, aliases and shapes', () => {
      const layer = MaxPooling2D();
      expect([layer.pool_size, layer.strides, layer.padding, layer.data_format]).toEqual([[2, 2], [2, 2], 'valid', 'channels_last']);
      expect(MaxPool2D).toBe(MaxPooling2D);
      expect(AvgPool2D).toBe(AveragePooling2D);
      expect(MaxPooling2D([3, 3], { strides: 1 }).compute_output_shape([null, 26, 26, 32])).toEqual([null, 24, 24, 32]);
      expect(MaxPooling2D(2).compute_output_shape([null, 11, 11, 64])).toEqual([null, 5, 5, 64]);
      expect(AveragePooling2D(3, 2, 'same').compute_output_shape([null, 7, 5, 2])).toEqual([null, 4, 3, 2]);
      expect(MaxPooling2D(2, null, 'valid', 'channels_first').compute_output_shape([null, 3, 8, 6])).toEqual([null, 3, 4, 3]);
      expect(MaxPooling2D({ pool_size: [2, 3], name: 'p' }).get_config()).toMatchObject({ name: 'p', pool_size: [2, 3], strides: [2, 3], padding: 'valid', data_format: 'channels_last' });
      expect(MaxPooling2D().count_params).toBeDefined();
    });

    for (const c of CASES) {
      for (const { mode, make, op } of MODES) {
        it(`${mode}, ${c.name}: forward against a plain loop, backward against TensorFlow.js autodiff`, async () => {
          const layer: BasePoolingLayer = make(c);
          const x = randomValues(c.x.reduce((a, b) => a * b, 1), 21);
          const pass = layer.forward(tensor(x, c.x), true);
          const expected = pool2dReference({ shape: c.x, data: x }, c.pool, c.strides, c.padding, mode);
          expect(pass.outputs.shape).toEqual(expected.shape);
          expect(maxAbsDiff(pass.outputs.dataSync(), expected.data)).toBeLessThan(1e-6);
          const dy = randomValues(pass.outputs.size, 22);
          const dx = layer.backward(tensor(dy, pass.outputs.shape), pass, true).inputGradient!.dataSync();
          // Average: a plain loop, because TensorFlow.js's own gradient of avgPool divides δ by the full
          // window even where 'same' padding left it partial (the Keras fixture agrees with the loop).
          const reference =
            mode === 'average'
              ? averagePool2dGradientReference(c.x, dy, c.pool, c.strides, c.padding)
              : await onCpu(() =>
                  tf.tidy(() => tf.grad((v: tf.Tensor) => op(v as tf.Tensor4D, c.pool, c.strides, c.padding))(tensor(x, c.x), tensor(dy, pass.outputs.shape)).dataSync()),
                );
          expect(maxAbsDiff(dx, reference)).toBeLessThan(1e-6);
        });
      }
    }

    it('gives δ to every input that ties for its window\'s max (hand-derived), on both kinds of windows', () => {
    // One channel, 2×2 windows: the first window is all zeros (what follows a relu), the second has one max.
    const x = tf.tensor4d([0, 0, 1, 3, 0, 0, 2, 3], [1, 2, 4, 1]);
    for (const layer of [MaxPooling2D(2), MaxPooling2D(2, 1, 'valid')]) {
      const pass = layer.forward(x, true);
      const dx = layer.backward(tf.onesLike(pass.outputs), pass, true).inputGradient!;
      // strides 2: windows [[0,0],[0,0]] and [[1,3],[2,3]]; strides 1 adds the middle window [[0,1],[0,2]].
      expect(Array.from(dx.dataSync())).toEqual(layer.strides[1] === 2 ? [1, 1, 0, 1, 1, 1, 0, 1] : [1, 1, 0, 1, 1, 1, 1, 1]);
    }
  });

  it('channels_first pools the same windows', () => {
      const x = tensor(randomValues(2 * 6 * 5 * 3, 5), [2, 6, 5, 3]);
      const last = MaxPooling2D(2).apply(x);
      const first = MaxPooling2D(2, null, 'valid', 'channels_first').apply(tf.transpose(x, [0, 3, 1, 2]));
      expect(maxAbsDiff(tf.transpose(first, [0, 2, 3, 1]).dataSync(), last.dataSync())).toBe(0);
    });

    it('rejects bad arguments and inputs in Keras words', () => {
      expect(() => MaxPooling2D(0)).toThrow('MaxPooling2D: The `pool_size` argument must be a tuple of 2 integers. Received pool_size=0, including values {0}');
      expect(() => MaxPooling2D(2, 0)).toThrow('MaxPooling2D: The `strides` argument must be a tuple of 2 integers. Received strides=0');
      // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
      expect(() => MaxPooling2D(2, { padding: 'full' })).toThrow("MaxPooling2D: `padding` must be one of {'valid', 'same'}. Received: padding='full'");
      expect(() => MaxPooling2D(2, { name: 'p' }).apply(tf.zeros([2, 8]))).toThrow(
        'Input 0 of layer "p" is incompatible with the layer: expected ndim=4, found ndim=2. Full shape received: (2, 8)',
      );
      expect(() => MaxPooling2D(4).apply(tf.zeros([1, 3, 3, 1]))).toThrow(
        'MaxPooling2D: Computed output size would be zero or negative. Received `inputs shape=(1, 3, 3, 1)`, `pool_size=(4, 4)`, `strides=(4, 4)`, `padding=valid`.',
      );
    });

    it('leaves no tensors behind', () => {
      const layer = MaxPooling2D(2);
      const x = tf.ones([2, 4, 4, 1]);
      const step = () => tf.tidy(() => layer.backward(tf.ones([2, 2, 2, 1]), layer.forward(x, true), true).inputGradient!);
      step().dispose();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step().dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

for (const backend of BACKENDS) {
  describe(`MaxPooling1D / AveragePooling1D (${backend})`, () => {
    beforeAll(() => tf.setBackend(backend));
    afterAll(() => tf.setBackend(DEFAULT_BACKEND));

    it('pool over the steps axis as the 2-D layers over a height-1 image', () => {
      expect(MaxPool1D).toBe(MaxPooling1D);
      const layer = MaxPooling1D(3, 2, 'same');
      expect(layer.pool_size).toEqual([3]);
      expect(layer.compute_output_shape([null, 7, 4])).toEqual([null, 4, 4]);
      const x = randomValues(2 * 7 * 4, 31);
      for (const [one, mode] of [[layer, 'max'], [AveragePooling1D(3, 2, 'same'), 'average']] as const) {
        const out = one.apply(tensor(x, [2, 7, 4]));
        const expected = pool2dReference({ shape: [2, 1, 7, 4], data: x }, [1, 3], [1, 2], 'same', mode);
        expect(out.shape).toEqual([2, 4, 4]);
        expect(maxAbsDiff(out.dataSync(), expected.data)).toBeLessThan(1e-6);
      }
    });

    it('backward against TensorFlow.js autodiff', async () => {
      const x = randomValues(2 * 9 * 3, 41);
      for (const [layer, op] of [
        [MaxPooling1D(2), tf.maxPool],
        [AveragePooling1D(3, 1), tf.avgPool],
      ] as const) {
        const pass = layer.forward(tensor(x, [2, 9, 3]), true);
        const dy = randomValues(pass.outputs.size, 42);
        const dx = layer.backward(tensor(dy, pass.outputs.shape), pass, true).inputGradient!;
        expect(dx.shape).toEqual([2, 9, 3]);
        const reference = await onCpu(() =>
          tf.tidy(() => {
            const f = (v: tf.Tensor) => tf.squeeze(op(tf.expandDims(v, 1) as tf.Tensor4D, [1, layer.pool_size[0]!], [1, layer.strides[0]!], 'valid'), [1]);
            return tf.grad(f)(tensor(x, [2, 9, 3]), tensor(dy, pass.outputs.shape)).dataSync();
          }),
        );
        expect(maxAbsDiff(dx.dataSync(), reference)).toBeLessThan(1e-6);
      }
    });
  });
}
