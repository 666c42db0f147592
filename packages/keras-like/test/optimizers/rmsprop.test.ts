import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
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

describe('RMSprop', () => {
  it("matches Keras's single step", () => {
    // velocity = 0.1 g², so lr · g / √(0.1 g²) = 0.5 · √10 = 1.5811 for every g
    expectAllClose(singleStep(RMSprop({ learning_rate: 0.5 })), [-0.5811, 0.4189, 1.4189, 2.4189], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table (centered)", () => {
    expectGolden(RMSprop({ centered: true }), tiled([0.9967, 0.9933, 0.9908, 0.9885, 0.9864]));
  });

  it('momentum and centered, by hand for one step', () => {
    // g = 2, rho 0.9, lr 0.1, momentum 0.5, centered: velocity = 0.4, average_gradient = 0.2,
    // denominator = 0.4 - 0.04 + 1e-7, increment = 0.2 / √0.3600001; momentum slot = increment
    const w = variable(1);
    const g = tf.scalar(2);
    const optimizer = RMSprop({ learning_rate: 0.1, momentum: 0.5, centered: true });
    optimizer.apply_gradients([[g, w]]);
    const increment = 0.2 / Math.sqrt(0.36 + 1e-7);
    expectAllClose(w, [1 - increment]);
    const [velocity] = optimizer.velocities;
    const [average] = optimizer.average_gradients;
    const [momentum] = optimizer.momentums;
    expectAllClose(velocity!, [0.4]);
    expectAllClose(average!, [0.2]);
    expectAllClose(momentum!, [increment]);
    // second step, g = 2: velocity 0.76, average 0.38, increment2 = 0.2/√(0.76 - 0.1444 + 1e-7), slot = 0.5·inc1 + inc2
    optimizer.apply_gradients([[g, w]]);
    const increment2 = 0.2 / Math.sqrt(0.76 - 0.1444 + 1e-7);
    expectAllClose(w, [1 - increment - (0.5 * increment + increment2)]);
    tf.dispose([w, g, velocity!, average!, momentum!]);
  });

  it("applies Keras's weight decay and clipping", () => {
    expectKerasWeightDecay(() => RMSprop({ learning_rate: 1.0, weight_decay: 0.004 }));
    // rho 0: velocity = g², so the step is lr · sign(g) — and clipvalue 1 on [100, -0.5] gives [1, -0.5] → [-1, 1]
    expectAllClose(clippedGradient(RMSprop({ learning_rate: 1, rho: 0, clipvalue: 1 }), [100, -0.5]), [-1, 1], 1e-5, 1e-5);
  });

  it('round-trips its config', () => {
    expectConfigRoundTrip(RMSprop({ learning_rate: 0.5, rho: 0.8, momentum: 0.05, epsilon: 1e-6, centered: true }));
    expect(RMSprop().get_config()).toMatchObject({ name: expect.stringMatching(/^rm_sprop(_\d+)?$/), learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
  });

  it('rejects bad arguments', () => {
    expect(() => RMSprop({ rho: 1.1 })).toThrow('RMSprop: `rho` must be a float between [0, 1]. Received: rho=1.1');
    expect(() => RMSprop({ momentum: -0.1 })).toThrow('RMSprop: `momentum` must be a float between [0, 1]. Received: momentum=-0.1');
    expect(() => RMSprop({ epsilon: -1 })).toThrow('RMSprop: `epsilon` must be a float >= 0. Received: epsilon=-1');
    // @ts-expect-error: centered is a boolean
    expect(() => RMSprop({ centered: 'no' })).toThrow("RMSprop: `centered` must be a boolean. Received: centered='no'");
  });
});
