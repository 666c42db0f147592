/**
 * Lion against Keras's tests (keras/src/optimizers/lion_test.py) and against a float64
 * transcription of Keras's update rule, written here as plain loops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Lion, LionOptimizer } from '../../src/optimizers/lion.js';
import { get } from '../../src/optimizers/index.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, seededUniform, singleStep, tiled, variable } from './helpers.js';

interface LionHyper {
  learning_rate: number;
  beta_1: number;
  beta_2: number;
  weight_decay: number;
}

/**
 * Keras's Lion, element by element in float64: the base's decoupled weight decay
 * (w -= w * weight_decay * lr), then
 *   w -= lr * sign(beta_1 * m + (1 - beta_1) * g);  m = beta_2 * m + (1 - beta_2) * g
 */
function referenceLion(w: Float64Array, m: Float64Array, g: ArrayLike<number>, h: LionHyper): void {
  for (let i = 0; i < w.length; i++) {
    w[i] = w[i]! - w[i]! * h.weight_decay * h.learning_rate;
    w[i] = w[i]! - h.learning_rate * Math.sign(h.beta_1 * m[i]! + (1 - h.beta_1) * g[i]!);
    m[i] = h.beta_2 * m[i]! + (1 - h.beta_2) * g[i]!;
  }
}

describe('Lion', () => {
  it("matches Keras's single step: every weight moves by exactly lr = 0.5", () => {
    expectAllClose(singleStep(Lion({ learning_rate: 0.5 })), [0.5, 1.5, 2.5, 3.5], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    expectGolden(Lion(), tiled([0.999, 0.998, 0.997, 0.996, 0.995]));
  });

  it("decays weights as Keras's test_weight_decay (2 · 0.996³), skipping excluded variables", () => {
    expectKerasWeightDecay(() => Lion({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('agrees with the float64 transcription over 20 steps with arbitrary gradients (rel. error <= 1e-5)', () => {
    const grid: LionHyper[] = [
      { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.99, weight_decay: 0 },
      { learning_rate: 0.05, beta_1: 0.5, beta_2: 0.67, weight_decay: 0 },
      { learning_rate: 0.01, beta_1: 1.0, beta_2: 0.9, weight_decay: 0.1 },
    ];
    for (const h of grid) {
      const random = seededUniform(7);
      const start = Array.from({ length: 6 }, () => random() * 2);
      const w = variable([start.slice(0, 3), start.slice(3)]);
      const optimizer = Lion(h);
      const wRef = Float64Array.from(start);
      const mRef = new Float64Array(6);
      for (let step = 0; step < 20; step++) {
        const values = Array.from({ length: 6 }, () => random());
        const g = tf.tensor(values, [2, 3]);
        optimizer.apply_gradients([[g, w]]);
        referenceLion(wRef, mRef, values, h);
        g.dispose();
        expectAllClose(w, wRef, 1e-5, 1e-7);
      }
      const [momentum] = optimizer.momentums;
      expectAllClose(momentum!, mRef, 1e-5, 1e-7);
      tf.dispose([w, momentum!]);
    }
  });

  it("round-trips its config (Keras's test_config) and is found by name", () => {
    const optimizer = Lion({ learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67 });
    expectConfigRoundTrip(optimizer);
    expect(optimizer.get_config()).toMatchObject({ name: expect.stringMatching(/^lion(_\d+)?$/), learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67 });
    expect(get('lion')).toBeInstanceOf(LionOptimizer);
    expect(new Lion(0.1).get_config().learning_rate).toBe(0.1);
  });

  it("rejects beta_1 outside (0, 1] with Keras's message, and other bad arguments", () => {
    for (const beta_1 of [-0.1, 0, 1.1]) {
      expect(() => Lion({ beta_1 })).toThrow(
        `Lion: \`beta_1\` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1=${beta_1}`,
      );
    }
    expect(() => Lion({ beta_2: 1.5 })).toThrow('Lion: `beta_2` must be a float between [0, 1]. Received: beta_2=1.5');
    expect(() => Lion({ beta_1: '0.9' } as never)).toThrow("`beta_1` must be in the [0, 1] range");
    expect(() => Lion({ beta1: 0.9, beta_1: 0.9 } as never)).toThrow('both `beta_1` and `beta1` were given');
    expect(() => Lion({ beta_3: 0.9 } as never)).toThrow('Did you mean `beta_1`?');
    expect(() => Lion({ learning_rate: -1 })).toThrow('Lion: `learning_rate` must be a float >= 0');
  });

  it('keeps tf.memory().numTensors flat across 1,000 apply_gradients calls', () => {
    const w = variable([[1, 2], [3, 4]]);
    const b = variable([0.5, -0.5]);
    const gw = tf.ones([2, 2]);
    const gb = tf.ones([2]);
    const optimizer = Lion({ learning_rate: 1e-3, weight_decay: 0.01 });
    optimizer.apply_gradients([[gw, w], [gb, b]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) optimizer.apply_gradients([[gw, w], [gb, b]]);
    expect(tf.memory().numTensors).toBe(before);
    // 1,001 steps of sign(·) = 1 with decay: still a smooth fall, by less than lr per step each
    expect(w.dataSync()[0]).toBeLessThan(1);
    tf.dispose([w, b, gw, gb]);
  });
});
