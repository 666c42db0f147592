import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { clippedGradient, expectAllClose, expectConfigRoundTrip, expectGolden, expectKerasWeightDecay, singleStep, variable } from './helpers.js';

describe('Adagrad', () => {
  it("matches Keras's single step", () => {
    expectAllClose(singleStep(Adagrad({ learning_rate: 0.5 })), [0.5233, 1.5007, 2.5005, 3.5061], 1e-4, 1e-4);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(Adagrad({ learning_rate: 0.2, initial_accumulator_value: 0.3, epsilon: 1e-6 }), [
      [0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ]);
  });

  it('accumulates g² from 0.1, epsilon inside the root, by hand', () => {
    // g = 1, lr 0.1: accumulator 1.1 → w = 1 - 0.1/√(1.1 + 1e-7); then 2.1 → w -= 0.1/√(2.1 + 1e-7)
    const w = variable(1);
    const g = tf.scalar(1);
    const optimizer = Adagrad(0.1);
    optimizer.apply_gradients([[g, w]]);
    optimizer.apply_gradients([[g, w]]);
    expectAllClose(w, [1 - 0.1 / Math.sqrt(1.1 + 1e-7) - 0.1 / Math.sqrt(2.1 + 1e-7)]);
    const [accumulator] = optimizer.accumulators;
    expectAllClose(accumulator!, [2.1]);
    tf.dispose([w, g, accumulator!]);
  });

  it("applies Keras's weight decay and clipping", () => {
    expectKerasWeightDecay(() => Adagrad({ learning_rate: 1.0, weight_decay: 0.004 }));
    // initial accumulator 0, clipnorm 1 on [100, 100]: g = [√½, √½], accumulator = ½, step = g/√½ = 1
    expectAllClose(clippedGradient(Adagrad({ learning_rate: 1, initial_accumulator_value: 0, clipnorm: 1 }), [100, 100]), [-1, -1], 1e-5, 1e-5);
  });

  it('round-trips its config', () => {
    expectConfigRoundTrip(Adagrad({ learning_rate: 0.5, initial_accumulator_value: 0.2, epsilon: 1e-5 }));
    expect(Adagrad().get_config()).toMatchObject({ name: expect.stringMatching(/^adagrad(_\d+)?$/), learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 });
  });

  it('rejects bad arguments', () => {
    expect(() => Adagrad({ initial_accumulator_value: -0.1 })).toThrow(
      'Adagrad: `initial_accumulator_value` must be a float >= 0. Received: initial_accumulator_value=-0.1',
    );
    expect(() => Adagrad({ epsilon: -1 })).toThrow('Adagrad: `epsilon` must be a float >= 0. Received: epsilon=-1');
  });
});
