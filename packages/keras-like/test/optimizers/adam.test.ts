import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamOptimizer } from '../../src/optimizers/adam.js';
import {
  clippedGradient,
  expectAllClose,
  expectConfigRoundTrip,
  expectGolden,
  expectKerasWeightDecay,
  singleStep,
  tiled,
  variable,
} from './helpers.js';

describe('Adam', () => {
  it("matches Keras's single step (lr 0.5: every weight moves by 0.5 on the first step)", () => {
    expectAllClose(singleStep(Adam({ learning_rate: 0.5 })), [0.5, 1.5, 2.5, 3.5], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table (amsgrad)", () => {
    expectGolden(Adam({ amsgrad: true }), tiled([0.999, 0.9982, 0.9974, 0.9965, 0.9955]));
  });

  it('two steps by hand, with epsilon on √v (epsilon hat)', () => {
    // lr 0.1, g = 1 then 1, eps 1e-7:
    // t=1: m = 0.1, v = 0.001, alpha = 0.1·√0.001/0.1 = √0.001 → w = 1 - √0.001·0.1/(√0.001 + 1e-7)
    // t=2: m = 0.19, v = 0.001999, alpha = 0.1·√(1-0.998001)/0.19 → w -= alpha·0.19/(√0.001999 + 1e-7)
    const w = variable(1);
    const g = tf.scalar(1);
    const optimizer = Adam(0.1);
    optimizer.apply_gradients([[g, w]]);
    const w1 = 1 - (Math.sqrt(0.001) * 0.1) / (Math.sqrt(0.001) + 1e-7);
    expectAllClose(w, [w1]);
    optimizer.apply_gradients([[g, w]]);
    const alpha2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    expectAllClose(w, [w1 - (alpha2 * 0.19) / (Math.sqrt(0.001999) + 1e-7)]);
    const [m] = optimizer.momentums;
    const [v] = optimizer.velocities;
    expectAllClose(m!, [0.19]);
    expectAllClose(v!, [0.001999]);
    expect(optimizer.velocity_hats).toEqual([]);
    tf.dispose([w, g, m!, v!]);
  });

  it("applies Keras's weight decay and clipping", () => {
    expectKerasWeightDecay(() => Adam({ learning_rate: 1.0, weight_decay: 0.004 }));
    // Adam's first step is lr · sign(g) whatever the scale, so check the clipped gradient through m = 0.1 g
    const optimizer = Adam({ clipnorm: 1 });
    const v = variable([0, 0]);
    const g = tf.tensor1d([100, 100]);
    optimizer.apply_gradients([[g, v]]);
    const [m] = optimizer.momentums;
    expectAllClose(m!, [0.1 * (2 ** 0.5 / 2), 0.1 * (2 ** 0.5 / 2)]);
    const clipped = Adam({ clipvalue: 1 });
    clippedGradient(clipped, [100, -100]);
    expect(clipped.get_config().clipvalue).toBe(1);
    tf.dispose([v, g, m!]);
  });

  it("runs the notebook's cells and round-trips its config", () => {
    expect(Adam({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, amsgrad: false }).get_config()).toMatchObject({
      name: expect.stringMatching(/^adam(_\d+)?$/),
      learning_rate: 0.001,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
    expect(Adam({ learning_rate: 0.9 }).learning_rate).toBe(0.9);
    expectConfigRoundTrip(Adam({ learning_rate: 0.5, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5, amsgrad: true }));
    expect(Adam(0.01)).toBeInstanceOf(AdamOptimizer);
  });

  it('rejects bad arguments', () => {
    expect(() => Adam({ beta_1: 1.5 })).toThrow('Adam: `beta_1` must be a float between [0, 1]. Received: beta_1=1.5');
    expect(() => Adam({ beta_2: -1 })).toThrow('Adam: `beta_2` must be a float between [0, 1]. Received: beta_2=-1');
    expect(() => Adam({ epsilon: -1e-7 })).toThrow('Adam: `epsilon` must be a float >= 0. Received: epsilon=-1e-7');
    // @ts-expect-error: amsgrad is a boolean
    expect(() => Adam({ amsgrad: 1 })).toThrow('Adam: `amsgrad` must be a boolean. Received: amsgrad=1');
    expect(() => Adam({ beta1: 0.9, beta_1: 0.9 })).toThrow('both `beta_1` and `beta1` were given');
  });
});
