import 'keras-like';
// The reference autodiff runs on cpu: wasm has no Conv2DBackpropFilter kernel.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Conv1D } from '../src/layers/conv1d.js';
import { Conv1DTranspose } from '../src/layers/conv1d_transpose.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { Conv2DTranspose } from '../src/layers/conv2d_transpose.js';
import { SeparableConv1D, SeparableConv2D } from '../src/layers/separable_conv.js';
import { conv2dGradientsReference, conv2dReference, randomValues } from './conv_reference.js';

function tensor(values: Float64Array, shape: readonly number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), [...shape], 'float32');
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
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

const CASES = [
  { name: 'valid', steps: 9, k: 3, s: 1, d: 1, padding: 'valid' as const },
  { name: 'same, stride 2, odd length', steps: 9, k: 4, s: 2, d: 1, padding: 'same' as const },
  { name: 'causal, dilation 2', steps: 10, k: 3, s: 1, d: 2, padding: 'causal' as const },
  { name: 'causal, stride 3', steps: 10, k: 2, s: 3, d: 1, padding: 'causal' as const },
];

describe('Conv1D', () => {
  it('has Keras weights [k, in / groups, filters] and output shapes, causal included', () => {
    const layer = Conv1D(8, 3, { padding: 'causal', input_shape: [10, 4] });
    layer.build([null, 10, 4]);
    expect(layer.kernel!.shape).toEqual([3, 4, 8]);
    expect(layer.bias!.shape).toEqual([8]);
    expect(layer.compute_output_shape([null, 10, 4])).toEqual([null, 10, 8]);
    expect(Conv1D(8, 3, { strides: 2 }).compute_output_shape([null, 10, 4])).toEqual([null, 4, 8]);
    expect(Conv1D(8, 5, { data_format: 'channels_first' }).compute_output_shape([null, 4, 10])).toEqual([null, 8, 6]);
    expect(layer.get_config()).toMatchObject({ filters: 8, kernel_size: [3], strides: [1], padding: 'causal', dilation_rate: [1] });
    expect(() => Conv1D(8, [3, 3])).toThrow('Conv1D: The `kernel_size` argument must be a tuple of 1 integers. Received kernel_size=[3, 3]');
    expect(() => Conv1D(8, 3, { name: 'c' }).apply(tf.zeros([2, 5, 5, 1]))).toThrow('expected min_ndim=3, found ndim=4');
  });

  for (const c of CASES) {
    it(`${c.name}: forward and backward against the plain-loop reference, causal outputs blind to later steps`, async () => {
      const [n, cin, f] = [2, 3, 4];
      const layer = Conv1D(f, c.k, { strides: c.s, dilation_rate: c.d, padding: c.padding, activation: 'tanh' });
      layer.build([null, c.steps, cin]);
      const w = randomValues(c.k * cin * f, 1);
      const b = randomValues(f, 2);
      layer.set_weights([tensor(w, [c.k, cin, f]), tensor(b, [f])]);
      const x = randomValues(n * c.steps * cin, 3);
      // 'causal' is 'valid' on the input with (k − 1)·d zeros before it.
      const pad = c.padding === 'causal' ? (c.k - 1) * c.d : 0;
      const padded = new Float64Array(n * (c.steps + pad) * cin);
      for (let i = 0; i < n; i++) padded.set(x.subarray(i * c.steps * cin, (i + 1) * c.steps * cin), (i * (c.steps + pad) + pad) * cin);
      const g = { strides: [1, c.s] as [number, number], dilations: [1, c.d] as [number, number], padding: c.padding === 'same' ? ('same' as const) : ('valid' as const), groups: 1 };
      const xImage = { shape: [n, 1, c.steps + pad, cin] as [number, number, number, number], data: padded };
      const wImage = { shape: [1, c.k, cin, f] as [number, number, number, number], data: w };
      const z = conv2dReference(xImage, wImage, b, g);
      const pass = layer.forward(tensor(x, [n, c.steps, cin]), true);
      expect(pass.outputs.shape).toEqual(layer.compute_output_shape([n, c.steps, cin]));
      expect(maxAbsDiff(pass.outputs.dataSync(), z.data.map(Math.tanh))).toBeLessThan(1e-5);
      const dy = randomValues(pass.outputs.size, 4);
      const grads = layer.backward(tensor(dy, pass.outputs.shape), pass, true);
      const delta = dy.map((v, i) => v * (1 - Math.tanh(z.data[i]!) ** 2));
      const { dx, dw } = conv2dGradientsReference(xImage, wImage, delta, g);
      const dxUnpadded = new Float64Array(n * c.steps * cin);
      for (let i = 0; i < n; i++) dxUnpadded.set(dx.subarray((i * (c.steps + pad) + pad) * cin, (i + 1) * (c.steps + pad) * cin), i * c.steps * cin);
      expect(maxAbsDiff(grads.inputGradient!.dataSync(), dxUnpadded)).toBeLessThan(1e-4);
      expect(maxAbsDiff(grads.weightGradients[0]!.dataSync(), dw)).toBeLessThan(1e-4);
      // And against autodiff of tf.conv1d (dilation 1 only: TensorFlow.js's gradient refuses more).
      if (c.d === 1) {
        const reference = await onCpu(() =>
          tf.tidy(() => {
            const fn = (xv: tf.Tensor, wv: tf.Tensor) => {
              const xp = pad === 0 ? xv : tf.pad(xv, [[0, 0], [pad, 0], [0, 0]]);
              return tf.tanh(tf.add(tf.conv1d(xp as tf.Tensor3D, wv as tf.Tensor3D, c.s, c.padding === 'same' ? 'same' : 'valid'), tensor(b, [f])));
            };
            return tf.grads(fn)([tensor(x, [n, c.steps, cin]), tensor(w, [c.k, cin, f])], tensor(dy, pass.outputs.shape)).map((t) => t.dataSync());
          }),
        );
        expect(maxAbsDiff(grads.inputGradient!.dataSync(), reference[0]!)).toBeLessThan(1e-5);
        expect(maxAbsDiff(grads.weightGradients[0]!.dataSync(), reference[1]!)).toBeLessThan(1e-5);
      }
      if (c.padding === 'causal') {
        // Changing the last step changes no output before it.
        const later = new Float64Array(x);
        for (let i = 0; i < n; i++) for (let ch = 0; ch < cin; ch++) later[(i * c.steps + c.steps - 1) * cin + ch]! += 5;
        const a = layer.apply(tensor(x, [n, c.steps, cin])).arraySync() as number[][][];
        const b2 = layer.apply(tensor(later, [n, c.steps, cin])).arraySync() as number[][][];
        const out = a[0]!.length;
        for (let t = 0; t < out - 1; t++) expect(b2[0]![t]).toEqual(a[0]![t]);
      }
    });
  }
});

describe('filters positional, kernel_size as a keyword', () => {
  // Python's Conv1D(8, kernel_size=7): the positional argument stays, the keywords go in the options
  // (PORTING_SPEC §2); tsc checks these calls, so the types accept them as the parser does.
  it('is accepted by every layer whose first two arguments are filters and kernel_size', () => {
    const oneD = { kernel_size: 7, padding: 'same' as const };
    const twoD = { kernel_size: [3, 5], strides: 2 };
    expect(Conv1D(8, oneD).get_config()).toMatchObject({ filters: 8, kernel_size: [7], padding: 'same' });
    expect(Conv1DTranspose(8, oneD).get_config()).toMatchObject({ filters: 8, kernel_size: [7], padding: 'same' });
    expect(SeparableConv1D(8, oneD).get_config()).toMatchObject({ filters: 8, kernel_size: [7], padding: 'same' });
    expect(Conv2D(8, twoD).get_config()).toMatchObject({ filters: 8, kernel_size: [3, 5], strides: [2, 2] });
    expect(Conv2DTranspose(8, twoD).get_config()).toMatchObject({ filters: 8, kernel_size: [3, 5], strides: [2, 2] });
    expect(SeparableConv2D(8, twoD).get_config()).toMatchObject({ filters: 8, kernel_size: [3, 5], strides: [2, 2] });
  });
});

describe('Conv1D and global pooling configs', () => {
  it('round-trip through keras.layers.serialize / deserialize with their weights shapes', async () => {
    const { serialize, deserialize } = await import('../src/layers/serialization.js');
    const { GlobalMaxPooling1D } = await import('../src/layers/global_pooling.js');
    const conv = Conv1D(4, 3, { padding: 'causal', dilation_rate: 2, activation: 'relu', name: 'c1' });
    conv.build([null, 10, 2]);
    const again = deserialize(serialize(conv)) as InstanceType<typeof Conv1D>;
    expect(again.get_config()).toEqual(conv.get_config());
    const pool = GlobalMaxPooling1D({ keepdims: true, name: 'g1' });
    expect((deserialize(serialize(pool)) as InstanceType<typeof GlobalMaxPooling1D>).get_config()).toEqual(pool.get_config());
  });
});
