/**
 * Checks a layer's hand-written forward and backward against TensorFlow.js autodiff: `reference`
 * computes the same output from the input and the layer's weights with plain tf ops, and
 * `tf.grads` of it (on the cpu backend, which has every gradient kernel) gives ∂C/∂x and ∂C/∂w for
 * C = Σ output · dy. The layer runs on the current backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Layer } from '../src/layers/layer.js';
import { randomValues } from './conv_reference.js';

export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < actual.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!));
  return m;
}

/** Deterministic float32 values in [-1, 1). */
export function randomTensor(shape: readonly number[], seed: number): tf.Tensor {
  return tf.tensor(Float32Array.from(randomValues(shape.reduce((a, b) => a * b, 1), seed)), [...shape]);
}

/** The kernel with d − 1 zeros between its taps along axes 0 and 1: a dilated kernel as an ordinary one. */
export function dilateKernel(w: tf.Tensor, [d0, d1]: [number, number]): tf.Tensor {
  const along = (k: tf.Tensor, axis: 0 | 1, d: number): tf.Tensor => {
    if (d === 1) return k;
    const [a, b, c, e] = k.shape as [number, number, number, number];
    const split = axis === 0 ? [a, 1, b, c, e] : [a, b, 1, c, e];
    const spaced = tf.pad(tf.reshape(k, split), axis === 0 ? [[0, 0], [0, d - 1], [0, 0], [0, 0], [0, 0]] : [[0, 0], [0, 0], [0, d - 1], [0, 0], [0, 0]]);
    const merged = tf.reshape(spaced, axis === 0 ? [a * d, b, c, e] : [a, b * d, c, e]);
    return axis === 0 ? tf.slice(merged, [0, 0, 0, 0], [(a - 1) * d + 1, b, c, e]) : tf.slice(merged, [0, 0, 0, 0], [a, (b - 1) * d + 1, c, e]);
  };
  return along(along(w, 0, d0), 1, d1);
}

export async function expectMatchesAutodiff(
  layer: Layer,
  xShape: readonly number[],
  reference: (x: tf.Tensor, ...weights: tf.Tensor[]) => tf.Tensor,
  tolerance = 1e-5,
): Promise<void> {
  layer.build([null, ...xShape.slice(1)]);
  layer.set_weights(layer.get_weights().map((w, i) => randomTensor(w.shape, 100 + i)));
  const x = randomTensor(xShape, 7);
  const pass = layer.forward(x, true);
  const dy = randomTensor(pass.outputs.shape, 8);
  const grads = layer.backward(dy, pass, true);
  const ours = [pass.outputs, grads.inputGradient!, ...grads.weightGradients].map((t) => Array.from(t.dataSync()));
  const values = [x, ...layer.trainable_weights].map((t) => ({ data: t.dataSync().slice(), shape: t.shape }));
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    let referenceShape: number[] = [];
    const expected = tf.tidy(() => {
      const inputs = values.map((v) => tf.tensor(v.data, v.shape));
      const f = (...args: tf.Tensor[]) => reference(args[0]!, ...args.slice(1));
      const out = f(...inputs);
      referenceShape = out.shape;
      const g = tf.grads(f)(inputs, tf.tensor(dy.dataSync().slice(), dy.shape));
      return [out, ...g].map((t) => Array.from(t.dataSync()));
    });
    expect(pass.outputs.shape).toEqual(referenceShape);
    ours.forEach((got, i) => {
      const label = ['output', 'input gradient', ...layer.trainable_weights.map((w) => `gradient of ${w.name}`)][i];
      expect(maxAbsDiff(got, expected[i]!), label).toBeLessThan(tolerance);
    });
  } finally {
    await tf.setBackend(previous);
  }
}
