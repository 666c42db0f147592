import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Nadam } from '../../src/optimizers/nadam.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, singleStep, variable } from './helpers.js';

describe('Nadam', () => {
  it("matches Keras's single step", () => {
    expectAllClose(singleStep(Nadam({ learning_rate: 0.5 })), [0.4686, 1.4686, 2.4686, 3.4686], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(Nadam({ learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 }), [
      [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ]);
  });

  it('first step by hand, with the momentum schedule', () => {
    // beta_1 0.9, beta_2 0.999, lr 0.1, g = 1: u_1 = 0.9 (1 - 0.5 · 0.96) = 0.468, u_2 = 0.9 (1 - 0.5 · 0.9216) = 0.48528;
    // u_product = 0.468; m = 0.1, v = 0.001;
    // m_hat = 0.48528 · 0.1 / (1 - 0.468 · 0.48528) + (1 - 0.468) · 1 / (1 - 0.468); v_hat = 1
    const w = variable(1);
    const g = tf.scalar(1);
    const optimizer = Nadam(0.1);
    optimizer.apply_gradients([[g, w]]);
    const mHat = (0.48528 * 0.1) / (1 - 0.468 * 0.48528) + 1;
    expectAllClose(w, [1 - (0.1 * mHat) / (1 + 1e-7)]);
    // A float32 variable, as Keras's `_u_product`, computed from float32 factors as Keras does:
    // fround(0.9) · fround(1 - 0.5 · 0.96) = 0.46799996 (real Keras: test/parity/optimizers.test.ts).
    expect(optimizer.u_product).toBe(Math.fround(Math.fround(0.9) * Math.fround(0.52)));
    tf.dispose([w, g]);
  });

  it("applies Keras's weight decay", () => {
    expectKerasWeightDecay(() => Nadam({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('round-trips its config', () => {
    expectConfigRoundTrip(Nadam({ learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 }));
    expect(Nadam().get_config()).toMatchObject({ name: expect.stringMatching(/^nadam(_\d+)?$/), learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
  });

  it('rejects bad arguments', () => {
    expect(() => Nadam({ beta_1: -0.5 })).toThrow('Nadam: `beta_1` must be a float between [0, 1]. Received: beta_1=-0.5');
    expect(() => Nadam({ epsilon: -1 })).toThrow('Nadam: `epsilon` must be a float >= 0. Received: epsilon=-1');
  });
});
