import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SGD, SGDOptimizer } from '../../src/optimizers/sgd.js';
import {
  clippedGradient,
  expectAllClose,
  expectConfigRoundTrip,
  expectGolden,
  expectKerasWeightDecay,
  singleStep,
  variable,
} from './helpers.js';

/** Runs `steps` updates with the same gradient on a scalar weight starting at 1; returns w after each. */
function trajectory(optimizer: SGDOptimizer, gradient: number, steps: number): number[] {
  const w = variable(1);
  const g = tf.scalar(gradient);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.apply_gradients([[g, w]]);
    out.push(w.dataSync()[0]!);
  }
  tf.dispose([w, g]);
  return out;
}

describe('SGD', () => {
  it("matches Keras's single step and variables (lr 0.5: w - 0.5 g)", () => {
    const optimizer = SGD(0.5);
    expectAllClose(singleStep(optimizer), [0.5, -1.0, -0.5, 3.0], 1e-4, 1e-4);
    const variables = optimizer.variables;
    expect(variables.map((v) => v.dataSync()[0])).toEqual([1, 0.5]); // iterations, learning_rate
    tf.dispose(variables);
  });

  it("reproduces Keras's golden table (nesterov)", () => {
    // prettier-ignore
    expectGolden(SGD({ nesterov: true }), [
      [0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ]);
  });

  it('plain gradient descent, by hand: w = 1 - 0.1 · 2 per step', () => {
    // g = 2, lr = 0.1: 1 → 0.8 → 0.6 → 0.4
    expectAllClose(trajectory(SGD(0.1), 2, 3), [0.8, 0.6, 0.4]);
  });

  it("momentum in Keras's form v = μv − lr·g, w = w + v, by hand", () => {
    // lr 0.1, μ 0.9, g 1: v = -0.1, -0.19, -0.271 → w = 0.9, 0.71, 0.439
    const optimizer = SGD({ learning_rate: 0.1, momentum: 0.9 });
    expectAllClose(trajectory(optimizer, 1, 3), [0.9, 0.71, 0.439]);
    const [velocity] = optimizer.momentums;
    expectAllClose(velocity!, [-0.271]);
    velocity!.dispose();
  });

  it("Nesterov in Keras's form w = w + μv − lr·g, by hand", () => {
    // lr 0.1, μ 0.9, g 1: v1 = -0.1, w1 = 1 - 0.09 - 0.1 = 0.81;
    // v2 = -0.19, w2 = 0.81 - 0.171 - 0.1 = 0.539; v3 = -0.271, w3 = 0.539 - 0.2439 - 0.1 = 0.1951
    expectAllClose(trajectory(SGD({ learning_rate: 0.1, momentum: 0.9, nesterov: true }), 1, 3), [0.81, 0.539, 0.1951]);
  });

  it("TF2's decay: lr_t = lr / (1 + decay · iterations), by hand", () => {
    // lr 0.1, decay 0.5, g 1: lr_t = 0.1, 0.0666…, 0.05 → w = 0.9, 0.8333…, 0.7833…
    const optimizer = SGD({ lr: 0.1, decay: 0.5 });
    expectAllClose(trajectory(optimizer, 1, 3), [0.9, 0.9 - 0.1 / 1.5, 0.9 - 0.1 / 1.5 - 0.05]);
    expect(optimizer.last_learning_rate).toBeCloseTo(0.05, 12);
    expect(optimizer.learning_rate).toBe(0.1); // the undecayed rate, as TF2's `lr`
  });

  it("runs the notebook's cell: SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)", () => {
    const optimizer = SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });
    expect(optimizer.get_config()).toMatchObject({ learning_rate: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true, name: expect.stringMatching(/^sgd(_\d+)?$/) });
    // first step: lr_0 = 0.01, v = -0.01 g, w = 1 + 0.9 v - 0.01 g = 1 - 0.019 g; g = 1
    expectAllClose(trajectory(optimizer, 1, 1), [0.981]);
  });

  it("runs the notebook's clipping cells: SGD(lr=0.01, clipvalue=0.5) and SGD(lr=0.01, clipnorm=1.)", () => {
    // clipvalue: g = [2, -0.1] → [0.5, -0.1] → w = -0.01 · g = [-0.005, 0.001]
    expectAllClose(clippedGradient(SGD({ lr: 0.01, clipvalue: 0.5 }), [2, -0.1]), [-0.005, 0.001]);
    // clipnorm: g = [3, 4], norm 5 → [0.6, 0.8] → w = [-0.006, -0.008]
    expectAllClose(clippedGradient(SGD({ lr: 0.01, clipnorm: 1 }), [3, 4]), [-0.006, -0.008]);
  });

  it("applies Keras's weight decay and exclusions", () => {
    expectKerasWeightDecay(() => SGD({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it("clips like Keras's test_clip_norm / test_clip_value", () => {
    // from w = 0 at lr 1, w = -clipped gradient
    expectAllClose(clippedGradient(SGD({ learning_rate: 1, clipnorm: 1 }), [100, 100]), [-(2 ** 0.5) / 2, -(2 ** 0.5) / 2]);
    expectAllClose(clippedGradient(SGD({ learning_rate: 1, clipvalue: 1 }), [100, 100]), [-1, -1]);
  });

  it('round-trips its config, and `new` is optional', () => {
    expectConfigRoundTrip(SGD({ learning_rate: 0.5, momentum: 0.06, nesterov: true, weight_decay: 0.004 }));
    expect(new SGD(0.3)).toBeInstanceOf(SGDOptimizer);
    expect(SGD(0.3).learning_rate).toBe(0.3);
    expect(SGD().get_config()).toMatchObject({ learning_rate: 0.01, momentum: 0, nesterov: false, name: expect.stringMatching(/^sgd(_\d+)?$/) });
    expect(SGD({ learningRate: 0.2 }).learning_rate).toBe(0.2);
  });

  it("rejects bad arguments in Keras's words", () => {
    expect(() => SGD({ momentum: 2 })).toThrow('SGD: `momentum` must be a float between [0, 1]. Received: momentum=2');
    expect(() => SGD({ momentum: -0.1 })).toThrow('SGD: `momentum` must be a float between [0, 1]. Received: momentum=-0.1');
    // @ts-expect-error: a string is not a momentum
    expect(() => SGD({ momentum: '0.9' })).toThrow("SGD: `momentum` must be a float between [0, 1]. Received: momentum='0.9'");
    // @ts-expect-error: nesterov is a boolean
    expect(() => SGD({ nesterov: 'yes' })).toThrow("SGD: `nesterov` must be a boolean. Received: nesterov='yes'");
    expect(() => SGD({ learnig_rate: 0.1 } as never)).toThrow('Did you mean `learning_rate`?');
    expect(() => SGD(0.1, { momentum: 0.9, nesterov: true, moment: 1 } as never)).toThrow(
      "Unrecognized keyword arguments passed to SGD: {'moment': 1}. Did you mean `momentum`?",
    );
  });
});
