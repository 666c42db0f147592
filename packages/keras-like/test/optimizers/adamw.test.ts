import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamOptimizer } from '../../src/optimizers/adam.js';
import { AdamW, AdamWOptimizer } from '../../src/optimizers/adamw.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, singleStep, variable } from './helpers.js';

describe('AdamW', () => {
  it("matches Keras's single step (Adam's step after w · (1 - 0.004 · 0.5))", () => {
    expectAllClose(singleStep(AdamW({ learning_rate: 0.5 })), [0.498, 1.496, 2.494, 3.492], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(AdamW({ learning_rate: 1.0, weight_decay: 0.5, epsilon: 2 }), [
      [0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ]);
  });

  it('decays by hand: w · (1 - wd · lr), then Adam', () => {
    // w = 2, g = 0 (Adam's step is 0), lr 0.5, wd 0.1: 2 · 0.95 = 1.9, then 1.805
    const w = variable(2);
    const g = tf.scalar(0);
    const optimizer = AdamW({ learning_rate: 0.5, weight_decay: 0.1 });
    optimizer.apply_gradients([[g, w]]);
    optimizer.apply_gradients([[g, w]]);
    expectAllClose(w, [1.805]);
    tf.dispose([w, g]);
  });

  it("applies Keras's weight decay exclusions", () => {
    expectKerasWeightDecay(() => AdamW({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('is an Adam with its own name, and round-trips its config', () => {
    const optimizer = AdamW();
    expect(optimizer).toBeInstanceOf(AdamOptimizer);
    expect(optimizer).toBeInstanceOf(AdamWOptimizer);
    expect(optimizer.get_config()).toMatchObject({ name: expect.stringMatching(/^adam_w(_\d+)?$/), weight_decay: 0.004, learning_rate: 0.001, amsgrad: false });
    expect(optimizer.class_name).toBe('AdamW');
    expectConfigRoundTrip(AdamW({ learning_rate: 0.5, weight_decay: 0.008, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5, amsgrad: true }));
  });

  it("rejects bad arguments, in AdamW's name", () => {
    expect(() => AdamW({ weight_decay: null } as never)).toThrow('AdamW: `weight_decay` must be a float. Received: weight_decay=null');
    expect(() => AdamW({ weight_decay: -1 })).toThrow('AdamW: `weight_decay` must be a float >= 0. Received: weight_decay=-1');
    expect(() => AdamW({ beta_1: 2 })).toThrow('AdamW: `beta_1` must be a float between [0, 1]. Received: beta_1=2');
    expect(() => AdamW({ weight_decai: 0.1 } as never)).toThrow('Unrecognized keyword arguments passed to AdamW');
  });
});
