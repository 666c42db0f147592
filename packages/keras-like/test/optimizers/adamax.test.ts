import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adamax } from '../../src/optimizers/adamax.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, singleStep, variable } from './helpers.js';

describe('Adamax', () => {
  it("matches Keras's single step", () => {
    expectAllClose(singleStep(Adamax({ learning_rate: 0.5 })), [0.5, 1.5, 2.5, 3.5], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(Adamax({ learning_rate: 0.2, beta_1: 0.85, beta_2: 0.95, epsilon: 1e-6 }), [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
  });

  it('uses the infinity norm u = max(beta_2 · u, |g|), by hand', () => {
    // lr 0.1, g = 2 then -1: t1: m = 0.2, u = 2, w = 1 - 0.1 · 0.2 / (0.1 · (2 + 1e-7))
    // t2: m = 0.18 - 0.1 = 0.08, u = max(1.998, 1) = 1.998, w -= 0.1 · 0.08 / (0.19 · (1.998 + 1e-7))
    const w = variable(1);
    const optimizer = Adamax(0.1);
    const [g1, g2] = [tf.scalar(2), tf.scalar(-1)];
    optimizer.apply_gradients([[g1, w]]);
    optimizer.apply_gradients([[g2, w]]);
    const w1 = 1 - (0.1 * 0.2) / (0.1 * (2 + 1e-7));
    expectAllClose(w, [w1 - (0.1 * 0.08) / (0.19 * (1.998 + 1e-7))]);
    const [m] = optimizer.momentums;
    const [u] = optimizer.norms;
    expectAllClose(m!, [0.08]);
    expectAllClose(u!, [1.998]);
    tf.dispose([w, g1, g2, m!, u!]);
  });

  it("applies Keras's weight decay", () => {
    expectKerasWeightDecay(() => Adamax({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('round-trips its config', () => {
    expectConfigRoundTrip(Adamax({ learning_rate: 0.5, beta_1: 0.8, beta_2: 0.95, epsilon: 1e-5 }));
    expect(Adamax().get_config()).toMatchObject({ name: expect.stringMatching(/^adamax(_\d+)?$/), learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
  });

  it('rejects bad arguments', () => {
    expect(() => Adamax({ beta_2: 1.01 })).toThrow('Adamax: `beta_2` must be a float between [0, 1]. Received: beta_2=1.01');
  });
});
