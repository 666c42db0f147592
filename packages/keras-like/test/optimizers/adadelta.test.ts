import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adadelta } from '../../src/optimizers/adadelta.js';
import { expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, singleStep, tiled, variable } from './helpers.js';

describe('Adadelta', () => {
  it("matches Keras's single step", () => {
    expectAllClose(singleStep(Adadelta({ learning_rate: 0.5 })), [0.9993, 1.9993, 2.9993, 3.9993], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    expectGolden(Adadelta({ learning_rate: 1.0, rho: 0.8, epsilon: 1e-6 }), tiled([0.9978, 0.9947, 0.9915, 0.9882, 0.9849]));
  });

  it('keeps two running averages, by hand for one step', () => {
    // g = 2, rho 0.5, eps 0.01, lr 1: accumulated_grad = 0.5 · 4 = 2;
    // delta = -√(0 + 0.01) / √(2 + 0.01) · 2 = -0.2/√2.01; accumulated_delta_var = 0.5 · delta²
    const w = variable(1);
    const g = tf.scalar(2);
    const optimizer = Adadelta({ learning_rate: 1.0, rho: 0.5, epsilon: 0.01 });
    optimizer.apply_gradients([[g, w]]);
    const delta = -0.2 / Math.sqrt(2.01);
    expectAllClose(w, [1 + delta]);
    const [accumulatedGrad] = optimizer.accumulated_grads;
    const [accumulatedDelta] = optimizer.accumulated_delta_vars;
    expectAllClose(accumulatedGrad!, [2]);
    expectAllClose(accumulatedDelta!, [0.5 * delta * delta]);
    tf.dispose([w, g, accumulatedGrad!, accumulatedDelta!]);
  });

  it("applies Keras's weight decay", () => {
    expectKerasWeightDecay(() => Adadelta({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it("runs the notebook's cell and round-trips its config", () => {
    expect(Adadelta({ learning_rate: 1.0, rho: 0.95 }).get_config()).toMatchObject({ name: expect.stringMatching(/^adadelta(_\d+)?$/), learning_rate: 1, rho: 0.95, epsilon: 1e-7 });
    expect(Adadelta().learning_rate).toBe(0.001);
    expectConfigRoundTrip(Adadelta({ learning_rate: 0.5, rho: 0.9, epsilon: 1e-5, clipvalue: 3 }));
  });

  it('rejects bad arguments', () => {
    expect(() => Adadelta({ rho: 2 })).toThrow('Adadelta: `rho` must be a float between [0, 1]. Received: rho=2');
    expect(() => Adadelta({ epsilon: -1 })).toThrow('Adadelta: `epsilon` must be a float >= 0. Received: epsilon=-1');
  });
});
