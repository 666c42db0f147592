/**
 * Ftrl against Keras's tests (keras/src/optimizers/ftrl_test.py) and against a float64
 * transcription of Keras's update rule, written here as plain loops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Ftrl, FtrlOptimizer } from '../../src/optimizers/ftrl.js';
import { get } from '../../src/optimizers/index.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, seededUniform, singleStep, variable } from './helpers.js';

interface FtrlHyper {
  learning_rate: number;
  learning_rate_power: number;
  initial_accumulator_value: number;
  l1_regularization_strength: number;
  l2_regularization_strength: number;
  l2_shrinkage_regularization_strength: number;
  beta: number;
}

/** Keras's `update_step` of Ftrl, element by element in float64 (n: accumulator, z: linear). */
function referenceFtrl(w: Float64Array, n: Float64Array, z: Float64Array, g: ArrayLike<number>, h: FtrlHyper): void {
  const lr = h.learning_rate;
  const l2 = h.l2_regularization_strength + h.beta / (2.0 * lr);
  for (let i = 0; i < w.length; i++) {
    const gradToUse = g[i]! + 2 * h.l2_shrinkage_regularization_strength * w[i]!;
    const newAccum = n[i]! + g[i]! ** 2;
    z[i] = z[i]! + (gradToUse - ((newAccum ** -h.learning_rate_power - n[i]! ** -h.learning_rate_power) / lr) * w[i]!);
    const quadratic = newAccum ** -h.learning_rate_power / lr + 2 * l2;
    const l1 = h.l1_regularization_strength;
    const linearClipped = Math.min(Math.max(z[i]!, -l1), l1);
    w[i] = (linearClipped - z[i]!) / quadratic;
    n[i] = newAccum;
  }
}

/** The hyperparameters of Keras's test_config and test_correctness_with_golden. */
const kerasTestHyper: FtrlHyper = {
  learning_rate: 0.05,
  learning_rate_power: -0.2,
  initial_accumulator_value: 0.4,
  l1_regularization_strength: 0.05,
  l2_regularization_strength: 0.15,
  l2_shrinkage_regularization_strength: 0.01,
  beta: 0.3,
};

describe('Ftrl', () => {
  it("matches Keras's single step", () => {
    // First weight by hand, lr 0.5, n = 0.1, g = 1, w = 1: n' = 1.1,
    // z = 1 - (√1.1 − √0.1) / 0.5 · 1 = -0.465162, w = 0.465162 / (√1.1 / 0.5) = 0.22176
    expectAllClose(singleStep(Ftrl({ learning_rate: 0.5 })), [0.2218, 1.3954, 2.3651, 2.8814], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(Ftrl(kerasTestHyper), [
      [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
      [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
      [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
      [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
    ]);
  });

  it('agrees with the float64 transcription over 20 steps with arbitrary gradients (rel. error <= 1e-5)', () => {
    const defaults: FtrlHyper = {
      learning_rate: 0.001,
      learning_rate_power: -0.5,
      initial_accumulator_value: 0.1,
      l1_regularization_strength: 0,
      l2_regularization_strength: 0,
      l2_shrinkage_regularization_strength: 0,
      beta: 0,
    };
    const grid: FtrlHyper[] = [
      defaults,
      kerasTestHyper,
      { ...defaults, learning_rate: 0.3, learning_rate_power: 0, initial_accumulator_value: 0, l2_regularization_strength: 0.5 },
      { ...defaults, learning_rate: 0.1, learning_rate_power: -1, l1_regularization_strength: 0.001, beta: 1 },
    ];
    for (const h of grid) {
      const random = seededUniform(11);
      const start = Array.from({ length: 6 }, () => random());
      const w = variable([start.slice(0, 3), start.slice(3)]);
      const optimizer = Ftrl(h);
      const wRef = Float64Array.from(start);
      const nRef = new Float64Array(6).fill(h.initial_accumulator_value);
      const zRef = new Float64Array(6);
      for (let step = 0; step < 20; step++) {
        const values = Array.from({ length: 6 }, () => random());
        const g = tf.tensor(values, [2, 3]);
        optimizer.apply_gradients([[g, w]]);
        referenceFtrl(wRef, nRef, zRef, values, h);
        g.dispose();
        expectAllClose(w, wRef, 1e-5, 1e-7);
      }
      const [accumulator] = optimizer.accumulators;
      const [linear] = optimizer.linears;
      expectAllClose(accumulator!, nRef, 1e-5, 1e-7);
      expectAllClose(linear!, zRef, 1e-5, 1e-7);
      tf.dispose([w, accumulator!, linear!]);
    }
  });

  it("round-trips its config (Keras's test_config) and is found by name", () => {
    const optimizer = Ftrl(kerasTestHyper);
    expectConfigRoundTrip(optimizer);
    expect(optimizer.get_config()).toMatchObject({ name: expect.stringMatching(/^ftrl(_\d+)?$/), ...kerasTestHyper });
    expect(get('Ftrl')).toBeInstanceOf(FtrlOptimizer);
    expect(Ftrl().get_config()).toMatchObject({
      learning_rate: 0.001,
      learning_rate_power: -0.5,
      initial_accumulator_value: 0.1,
      l1_regularization_strength: 0,
      l2_regularization_strength: 0,
      l2_shrinkage_regularization_strength: 0,
      beta: 0,
    });
  });

  it("rejects bad arguments in Keras's words", () => {
    expect(() => Ftrl({ initial_accumulator_value: -1 })).toThrow(
      'Ftrl: `initial_accumulator_value` must be positive or zero. Received: initial_accumulator_value=-1',
    );
    expect(() => Ftrl({ learning_rate_power: 0.5 })).toThrow(
      'Ftrl: `learning_rate_power` must be negative or zero. Received: learning_rate_power=0.5',
    );
    for (const key of ['l1_regularization_strength', 'l2_regularization_strength', 'l2_shrinkage_regularization_strength'] as const) {
      expect(() => Ftrl({ [key]: -0.1 })).toThrow(`Ftrl: \`${key}\` must be positive or zero. Received: ${key}=-0.1`);
    }
    expect(() => Ftrl({ beta: 'big' } as never)).toThrow("Ftrl: `beta` must be a number. Received: beta='big'");
    expect(() => Ftrl({ l1_regularisation_strength: 0.1 } as never)).toThrow('Did you mean `l1_regularization_strength`?');
  });

  it('keeps tf.memory().numTensors flat across 1,000 apply_gradients calls', () => {
    const w = variable([[1, 2], [3, 4]]);
    const b = variable([0.5, -0.5]);
    const gw = tf.ones([2, 2]);
    const gb = tf.ones([2]);
    const optimizer = Ftrl({ learning_rate: 0.1, l1_regularization_strength: 0.01 });
    optimizer.apply_gradients([[gw, w], [gb, b]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) optimizer.apply_gradients([[gw, w], [gb, b]]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, b, gw, gb]);
  });
});
