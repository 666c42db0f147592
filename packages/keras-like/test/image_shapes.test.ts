/**
 * The layers a CNN puts between convolutions, on image-shaped input (rank 4 and above):
 * Flatten, Reshape and BatchNormalization(axis=-1), each against TensorFlow.js autodiff.
 */
import 'keras-like';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BatchNormalization } from '../src/layers/batch_normalization.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { Flatten } from '../src/layers/flatten.js';
import { Reshape } from '../src/layers/reshape.js';
import { Sequential } from '../src/models/sequential.js';
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

async function onCpu<T>(fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}

describe('Flatten on any rank', () => {
  it('flattens [batch, h, w, c] and [batch, d1, d2, d3, d4] in row-major order; backward reshapes back', () => {
    for (const shape of [
      [2, 3, 4, 5],
      [1, 2, 3, 2, 2],
    ]) {
      const x = tensor(randomValues(shape.reduce((a, b) => a * b, 1), 3), shape);
      const layer = Flatten();
      const size = shape.slice(1).reduce((a, b) => a * b, 1);
      expect(layer.compute_output_shape([null, ...shape.slice(1)])).toEqual([null, size]);
      const pass = layer.forward(x, true);
      expect(pass.outputs.shape).toEqual([shape[0], size]);
      expect(Array.from(pass.outputs.dataSync())).toEqual(Array.from(x.dataSync()));
      const dy = tensor(randomValues(pass.outputs.size, 4), pass.outputs.shape);
      const dx = layer.backward(dy, pass, true).inputGradient!;
      expect(dx.shape).toEqual(shape);
      expect(Array.from(dx.dataSync())).toEqual(Array.from(dy.dataSync()));
    }
  });

  it("with 'channels_first' on [batch, c, h, w] gives the channels-last order, as Keras", () => {
    const x = tensor(randomValues(2 * 3 * 4 * 5, 5), [2, 3, 4, 5]);
    const layer = Flatten({ data_format: 'channels_first' });
    const pass = layer.forward(x, true);
    expect(Array.from(pass.outputs.dataSync())).toEqual(Array.from(tf.transpose(x, [0, 2, 3, 1]).dataSync()));
    const dy = tensor(randomValues(pass.outputs.size, 6), pass.outputs.shape);
    const reference = tf.grad((t: tf.Tensor) => tf.reshape(tf.transpose(t, [0, 2, 3, 1]), [2, -1]))(x, dy);
    expect(maxAbsDiff(layer.backward(dy, pass, true).inputGradient!.dataSync(), reference.dataSync())).toBe(0);
  });

  it('shows Keras shapes in a CNN summary: (None, 26, 26, 32) then (None, 21632)', () => {
    const model = Sequential();
    model.add(Conv2D(32, [3, 3], { activation: 'relu', input_shape: [28, 28, 1] }));
    model.add(Flatten());
    const lines: string[] = [];
    model.summary({ print_fn: (line: string) => lines.push(line) });
    const text = lines.join('\n');
    expect(text).toContain('(None, 26, 26, 32)');
    expect(text).toContain('(None, 21632)');
    expect(text).toMatch(/320/);
  });
});

describe('Reshape to and from images', () => {
  it('reshapes rows to [h, w, c] and back, with -1 inferred', () => {
    const x = tensor(randomValues(2 * 48, 7), [2, 48]);
    const toImage = Reshape([4, -1, 3]);
    expect(toImage.compute_output_shape([null, 48])).toEqual([null, 4, 4, 3]);
    const pass = toImage.forward(x, true);
    expect(pass.outputs.shape).toEqual([2, 4, 4, 3]);
    const back = Reshape([48]).forward(pass.outputs, true);
    expect(Array.from(back.outputs.dataSync())).toEqual(Array.from(x.dataSync()));
    const dy = tensor(randomValues(pass.outputs.size, 8), pass.outputs.shape);
    expect(toImage.backward(dy, pass, true).inputGradient!.shape).toEqual([2, 48]);
  });
});

describe('BatchNormalization on 4-D input', () => {
  for (const axis of [-1, 1]) {
    it(`axis=${axis}: one gamma and beta per channel; forward and backward against autodiff`, async () => {
      const shape = [3, 4, 5, 2];
      const layer = BatchNormalization({ axis });
      layer.build([null, ...shape.slice(1)]);
      const channels = shape[axis < 0 ? shape.length + axis : axis]!;
      expect(layer.gamma!.shape).toEqual([channels]);
      layer.set_weights([
        tensor(randomValues(channels, 1), [channels]),
        tensor(randomValues(channels, 2), [channels]),
        tf.zeros([channels]),
        tf.ones([channels]),
      ]);
      const xv = randomValues(shape.reduce((a, b) => a * b, 1), 9);
      const pass = layer.forward(tensor(xv, shape), true);
      const dyv = randomValues(pass.outputs.size, 10);
      const grads = layer.backward(tensor(dyv, shape), pass, true);
      const [gammaV, betaV] = layer.get_weights().map((w) => w.dataSync());
      const ours = [pass.outputs, grads.inputGradient!, ...grads.weightGradients].map((t) => t.dataSync());
      const reference = await onCpu(() =>
        tf.tidy(() => {
          const featureAxis = axis < 0 ? shape.length + axis : axis;
          const reduce = [0, 1, 2, 3].filter((a) => a !== featureAxis);
          const broadcast = shape.map((s, i) => (i === featureAxis ? s : 1));
          const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
            const { mean, variance } = tf.moments(x, reduce, true);
            const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
            return tf.add(tf.mul(normalized, tf.reshape(gamma, broadcast)), tf.reshape(beta, broadcast));
          };
          const inputs = [tensor(xv, shape), tf.tensor(gammaV!), tf.tensor(betaV!)];
          const dy = tensor(dyv, shape);
          return [f(inputs[0]!, inputs[1]!, inputs[2]!), ...tf.grads(f)(inputs, dy)].map((t) => t.dataSync());
        }),
      );
      ours.forEach((values, i) => expect(maxAbsDiff(values, reference[i]!)).toBeLessThan(1e-4));
    });
  }
});
