/**
 * Lamb against Keras's tests (keras/src/optimizers/lamb_test.py) and against a float64
 * transcription of Keras's update rule, written here as plain loops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Lamb, LambOptimizer } from '../../src/optimizers/lamb.js';
import { get } from '../../src/optimizers/index.js';
import {
  expectAllClose,
  expectConfigRoundTrip,
  expectGolden,
  expectKerasWeightDecay,
  seededUniform,
  singleStep,
  tiled,
  variable,
} from './helpers.js';

interface LambHyper {
  learning_rate: number;
  beta_1: number;
  beta_2: number;
  epsilon: number;
  weight_decay: number;
}

/**
 * Keras's Lamb for one variable in float64, `t` = iterations + 1, after the base's
 * decoupled weight decay (w -= w * weight_decay * lr).
 */
function referenceLamb(w: Float64Array, m: Float64Array, v: Float64Array, g: ArrayLike<number>, t: number, h: LambHyper): void {
  for (let i = 0; i < w.length; i++) w[i] = w[i]! - w[i]! * h.weight_decay * h.learning_rate;
  const update = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! + (g[i]! - m[i]!) * (1 - h.beta_1);
    v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - h.beta_2);
    const mHat = m[i]! / (1 - h.beta_1 ** t);
    const vSqrt = Math.sqrt(v[i]! / (1 - h.beta_2 ** t)) + h.epsilon;
    update[i] = mHat / vSqrt;
  }
  const wNorm = Math.hypot(...w);
  const gNorm = Math.hypot(...update);
  const ratio = wNorm > 0 ? (gNorm > 0 ? wNorm / gNorm : 1) : 1;
  for (let i = 0; i < w.length; i++) w[i] = w[i]! - ratio * h.learning_rate * update[i]!;
}

describe('Lamb', () => {
  it("matches Keras's single step", () => {
    // By hand, lr 0.5, t = 1: update = g / (|g| + ε) ≈ 1 everywhere, ‖update‖ = 2,
    // ‖w‖ = √30, so each weight falls by √30 / 2 · 0.5 = 1.3693
    expectAllClose(singleStep(Lamb({ learning_rate: 0.5 })), [-0.3693, 0.6306, 1.6306, 2.6306], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    expectGolden(Lamb(), tiled([0.999, 0.9982, 0.9974, 0.9965, 0.9955]));
  });

  it("decays weights as Keras's test_weight_decay (2 · 0.996³), skipping excluded variables", () => {
    expectKerasWeightDecay(() => Lamb({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('agrees with the float64 transcription over 20 steps with arbitrary gradients (rel. error <= 1e-5)', () => {
    const grid: LambHyper[] = [
      { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, weight_decay: 0 },
      { learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5, weight_decay: 0 },
      { learning_rate: 0.01, beta_1: 0.0, beta_2: 0.9, epsilon: 0.1, weight_decay: 0.05 },
    ];
    for (const h of grid) {
      const random = seededUniform(5);
      // Two variables of different sizes and scales: the trust ratio is per variable.
      const kernelStart = Array.from({ length: 6 }, () => random() * 3);
      const biasStart = Array.from({ length: 2 }, () => random() * 0.1);
      const kernel = variable([kernelStart.slice(0, 3), kernelStart.slice(3)]);
      const bias = variable(biasStart);
      const optimizer = Lamb(h);
      const ref = [kernelStart, biasStart].map((start) => ({
        w: Float64Array.from(start),
        m: new Float64Array(start.length),
        v: new Float64Array(start.length),
      }));
      for (let step = 0; step < 20; step++) {
        const kernelGrad = Array.from({ length: 6 }, () => random());
        const biasGrad = Array.from({ length: 2 }, () => random() * 5);
        const gk = tf.tensor(kernelGrad, [2, 3]);
        const gb = tf.tensor(biasGrad, [2]);
        optimizer.apply_gradients([[gk, kernel], [gb, bias]]);
        referenceLamb(ref[0]!.w, ref[0]!.m, ref[0]!.v, kernelGrad, step + 1, h);
        referenceLamb(ref[1]!.w, ref[1]!.m, ref[1]!.v, biasGrad, step + 1, h);
        tf.dispose([gk, gb]);
        expectAllClose(kernel, ref[0]!.w, 1e-5, 1e-7);
        expectAllClose(bias, ref[1]!.w, 1e-5, 1e-7);
      }
      const momentums = optimizer.momentums;
      const velocities = optimizer.velocities;
      expectAllClose(momentums[1]!, ref[1]!.m, 1e-5, 1e-7);
      expectAllClose(velocities[0]!, ref[0]!.v, 1e-5, 1e-7);
      tf.dispose([kernel, bias, ...momentums, ...velocities]);
    }
  });

  it("round-trips its config (Keras's test_config) and is found by name", () => {
    const optimizer = Lamb({ learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 });
    expectConfigRoundTrip(optimizer);
    expect(optimizer.get_config()).toMatchObject({ name: expect.stringMatching(/^lamb(_\d+)?$/), learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 });
    expect(get('lamb')).toBeInstanceOf(LambOptimizer);
    expect(Lamb().get_config()).toMatchObject({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
  });

  it('rejects bad arguments', () => {
    expect(() => Lamb({ beta_1: 1.5 })).toThrow('Lamb: `beta_1` must be a float between [0, 1]. Received: beta_1=1.5');
    expect(() => Lamb({ beta_2: -0.1 })).toThrow('Lamb: `beta_2` must be a float between [0, 1]. Received: beta_2=-0.1');
    expect(() => Lamb({ epsilon: -1e-7 })).toThrow('Lamb: `epsilon` must be a float >= 0. Received: epsilon=-1e-7');
    expect(() => Lamb({ epsilom: 1e-7 } as never)).toThrow('Did you mean `epsilon`?');
    expect(() => Lamb({ gradient_accumulation_steps: 1 })).toThrow(
      'Lamb: `gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=1',
    );
  });

  it('keeps tf.memory().numTensors flat across 1,000 apply_gradients calls', () => {
    const w = variable([[1, 2], [3, 4]]);
    const b = variable([0.5, -0.5]);
    const gw = tf.ones([2, 2]);
    const gb = tf.ones([2]);
    const optimizer = Lamb({ learning_rate: 1e-3, weight_decay: 0.01 });
    optimizer.apply_gradients([[gw, w], [gb, b]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) optimizer.apply_gradients([[gw, w], [gb, b]]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, b, gw, gb]);
  });
});
