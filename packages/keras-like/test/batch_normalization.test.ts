import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BatchNormalization } from '../src/layers/batch_normalization.js';
import { L2 } from '../src/regularizers.js';

type Nested = number | Nested[];
function close(actual: tf.Tensor, expected: Nested[], digits = 5): void {
  const a = [actual.dataSync()].flatMap((d) => Array.from(d));
  const e = (expected as unknown[]).flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, digits));
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1e-3))).dataSync()[0]!);
}

describe('BatchNormalization', () => {
  it('has Keras 3 defaults and four weights, two of them non-trainable', () => {
    const layer = BatchNormalization();
    expect([layer.axis, layer.momentum, layer.epsilon, layer.center, layer.scale]).toEqual([-1, 0.99, 1e-3, true, true]);
    layer.build([null, 3]);
    expect(layer.trainable_weights.map((w) => w.shape)).toEqual([[3], [3]]);
    expect(layer.non_trainable_weights.length).toBe(2);
    expect(layer.count_params()).toBe(12);
    // gamma, beta, moving_mean, moving_variance start at 1, 0, 0, 1
    expect(layer.get_weights().map((w) => Array.from(w.dataSync()))).toEqual([
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(layer.get_config()).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 1e-3, center: true, scale: true });
  });

  it('normalizes with batch statistics and updates the moving ones by Keras\'s rule (hand-computed)', () => {
    // x = [[1, 2], [3, 6]]: feature 0 has mean 2, variance 1; feature 1 mean 4, variance 4 (biased).
    const layer = BatchNormalization();
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
    ]);
    layer.build([null, 2]);
    const pass = layer.forward(x, true);
    // (x - μ) / √(σ² + 0.001)
    const a = 1 / Math.sqrt(1.001);
    const b = 2 / Math.sqrt(4.001);
    close(pass.outputs, [
      [-a, -b],
      [a, b],
    ]);
    // moving_mean = 0 · 0.99 + μ · 0.01;  moving_variance = 1 · 0.99 + σ² · 0.01
    close(layer.moving_mean, [0.02, 0.04], 6);
    close(layer.moving_variance, [1.0, 1.03], 6);
    // a second step with the same batch: 0.02 · 0.99 + 2 · 0.01 = 0.0398; 1 · 0.99 + 1 · 0.01 = 1 and 1.03 · 0.99 + 0.04 = 1.0597
    layer.forward(x, true);
    close(layer.moving_mean, [0.0398, 0.0796], 6);
    close(layer.moving_variance, [1.0, 1.0597], 6);
  });

  it('uses the moving statistics at inference and when frozen', () => {
    const layer = BatchNormalization({ epsilon: 0.01 });
    layer.build([null, 2]);
    layer.set_weights([
      [2, 1],
      [0.5, 0],
      [1, -1],
      [3.99, 0.99],
    ]);
    const x = tf.tensor2d([[3, 1]]);
    // γ (x - moving_mean) / √(moving_variance + ε) + β = [2 · 2 / 2 + 0.5, 1 · 2 / 1 + 0] = [2.5, 2]
    close(layer.apply(x), [[2.5, 2]]);
    const before = layer.moving_mean.dataSync().slice();
    layer.trainable = false;
    const frozen = layer.forward(x, true);
    close(frozen.outputs, [[2.5, 2]]);
    expect(Array.from(layer.moving_mean.dataSync())).toEqual(Array.from(before));
    expect(layer.backward(tf.ones([1, 2]), frozen, true).weightGradients).toEqual([]);
  });

  it('training-mode outputs have per-feature mean ≈ 0 and variance ≈ 1', () => {
    const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([512, 4], 0, 1, 'float32', 9), [1, 5, 0.1, 30]), [3, -2, 100, 0]));
    const layer = BatchNormalization();
    layer.build([null, 4]);
    const { outputs } = layer.forward(x, true);
    const { mean, variance } = tf.moments(outputs, 0);
    // float32 rounding of inputs around 100 leaves ~1e-4
    (mean.arraySync() as number[]).forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-3));
    // the variance is σ² / (σ² + ε): ≈ 1 except for the feature with σ = 0.1 (0.01 / 0.011)
    const v = variance.arraySync() as number[];
    const sigma2 = (tf.moments(x, 0).variance.arraySync() as number[]);
    v.forEach((value, i) => expect(value).toBeCloseTo(sigma2[i]! / (sigma2[i]! + 1e-3), 4));
    expect(v[0]).toBeCloseTo(1, 2);
    expect(v[3]).toBeCloseTo(1, 4);
  });

  for (const [label, training] of [
    ['batch statistics (training)', true],
    ['moving statistics (inference)', false],
  ] as const) {
    it(`backward matches autodiff with ${label}`, () => {
      const x = tf.randomNormal([6, 3], 1, 2, 'float32', 5);
      const dy = tf.randomNormal([6, 3], 0, 1, 'float32', 6);
      const layer = BatchNormalization({ momentum: 0.9 });
      layer.build([null, 3]);
      layer.set_weights([
        [1.5, -0.5, 2],
        [0.1, 0.2, 0.3],
        [0.5, 1, 1.5],
        [2, 0.5, 1],
      ]);
      const [, , movingMean, movingVariance] = layer.get_weights();
      const pass = layer.forward(x, training);
      const ours = layer.backward(dy, pass, true);
      // The same function written independently: γ (x - μ) / √(σ² + ε) + β.
      const f = (t: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const { mean, variance } = training ? tf.moments(t, 0) : { mean: movingMean!, variance: movingVariance! };
        return tf.sum(tf.mul(dy, tf.add(tf.mul(gamma, tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-3)))), beta)));
      };
      const [dx, dGamma, dBeta] = tf.grads((t, g, b) => f(t, g, b) as tf.Scalar)([x, layer.gamma!, layer.beta!]);
      expect(maxRelDiff(ours.inputGradient!, dx!)).toBeLessThan(1e-4);
      expect(maxRelDiff(ours.weightGradients[0]!, dGamma!)).toBeLessThan(1e-5);
      expect(maxRelDiff(ours.weightGradients[1]!, dBeta!)).toBeLessThan(1e-5);
    });
  }

  it('normalizes over another axis and without center / scale', () => {
    // [batch, features, steps] with axis 1: statistics over batch and steps
    const x = tf.tensor3d([
      [
        [1, 3],
        [10, 10],
      ],
      [
        [5, 7],
        [10, 10],
      ],
    ]);
    const layer = BatchNormalization({ axis: 1, center: false, scale: false, epsilon: 0 + 1e-3 });
    layer.build([null, 2, 2]);
    expect(layer.weights.length).toBe(2);
    const { outputs } = layer.forward(x, true);
    // feature 0: values 1, 3, 5, 7 → mean 4, variance 5; feature 1 is constant → 0
    const s = Math.sqrt(5.001);
    close(outputs, [
      [
        [-3 / s, -1 / s],
        [0, 0],
      ],
      [
        [1 / s, 3 / s],
        [0, 0],
      ],
    ]);
    expect(() => BatchNormalization({ axis: 0 }).build([null, 3])).toThrow('BatchNormalization: `axis` must name a feature axis');
  });

  it('registers gamma / beta regularizers and validates its arguments', () => {
    const layer = BatchNormalization({ gamma_regularizer: L2(0.1), beta_regularizer: 'l1' });
    layer.build([null, 2]);
    expect(layer.regularized_weights.map((r) => r.variable.shape)).toEqual([[2], [2]]);
    expect(() => BatchNormalization({ epsilon: 0 })).toThrow('BatchNormalization: `epsilon` must be a positive float. Received: epsilon=0');
    expect(() => BatchNormalization({ momentum: '0.9' as never })).toThrow('`momentum` must be a float');
    expect(() => BatchNormalization({ synchronized: true as never })).toThrow('`synchronized` is only supported with the TensorFlow backend');
    expect(() => BatchNormalization({ momentun: 0.9 } as never)).toThrow('Did you mean `momentum`?');
  });

  it('leaks no tensors across training steps', () => {
    const layer = BatchNormalization();
    const x = tf.randomNormal([8, 3]);
    layer.build([null, 3]);
    const step = () => {
      tf.tidy(() => {
        layer.backward(tf.onesLike(x), layer.forward(x, true), true);
      });
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
