/**
 * Adafactor against Keras's tests (keras/src/optimizers/adafactor_test.py) and against
 * a float64 transcription of Keras's update rule, written here as plain loops over
 * nested arrays so the factoring over the last two axes is spelled out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adafactor, AdafactorOptimizer } from '../../src/optimizers/adafactor.js';
import { get } from '../../src/optimizers/index.js';
import {
  expectAllClose,
  expectConfigRoundTrip,
  expectGolden,
  expectKerasWeightDecay,
  seededUniform,
  singleStep,
  variable,
} from './helpers.js';

interface AdafactorHyper {
  learning_rate: number;
  beta_2_decay: number;
  epsilon_1: number;
  epsilon_2: number;
  clip_threshold: number;
  relative_step: boolean;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rms = (xs: number[]) => Math.sqrt(mean(xs.map((x) => x * x)));

/** Reference state of one variable: `matrices` holds [batch][row][col] for rank >= 2. */
interface RefState {
  shape: number[];
  w: number[];
  v: number[];
  r: number[][];
  c: number[][];
}

function refState(shape: number[], w: number[]): RefState {
  const rank = shape.length;
  const rows = rank >= 2 ? shape[rank - 2]! : 0;
  const cols = rank >= 2 ? shape[rank - 1]! : 0;
  const batch = rank >= 2 ? w.length / (rows * cols) : 0;
  return {
    shape,
    w: [...w],
    v: w.map(() => 0),
    r: Array.from({ length: batch }, () => new Array<number>(rows).fill(0)),
    c: Array.from({ length: batch }, () => new Array<number>(cols).fill(0)),
  };
}

/** Keras's Adafactor `update_step` in float64, `t` = iterations + 1. */
function referenceAdafactor(s: RefState, g: number[], t: number, h: AdafactorHyper): void {
  let lr = h.learning_rate;
  if (h.relative_step) lr = Math.min(lr, 1 / Math.sqrt(t));
  const rho_t = Math.min(lr, 1 / Math.sqrt(t));
  const alpha_t = Math.max(h.epsilon_2, rms(s.w)) * rho_t;
  const g2 = g.map((x) => x * x + h.epsilon_1);
  const beta_2_t = 1 - t ** h.beta_2_decay;
  if (s.shape.length >= 2) {
    const rows = s.shape[s.shape.length - 2]!;
    const cols = s.shape[s.shape.length - 1]!;
    s.r.forEach((r, b) => {
      const c = s.c[b]!;
      const at = (i: number, j: number) => b * rows * cols + i * cols + j;
      for (let i = 0; i < rows; i++) {
        const rowMean = mean(Array.from({ length: cols }, (_, j) => g2[at(i, j)]!));
        r[i] = beta_2_t * r[i]! + (1 - beta_2_t) * rowMean;
      }
      for (let j = 0; j < cols; j++) {
        const colMean = mean(Array.from({ length: rows }, (_, i) => g2[at(i, j)]!));
        c[j] = beta_2_t * c[j]! + (1 - beta_2_t) * colMean;
      }
      const rMean = mean(r);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) s.v[at(i, j)] = (r[i]! / rMean) * c[j]!;
    });
  } else {
    s.v = s.v.map((v, i) => beta_2_t * v + (1 - beta_2_t) * g2[i]!);
  }
  const u = g.map((x, i) => x / Math.sqrt(s.v[i]!));
  const uHat = u.map((x) => x / Math.max(1, rms(u) / h.clip_threshold));
  s.w = s.w.map((x, i) => x - alpha_t * uHat[i]!);
}

const kerasGoldenHyper: AdafactorHyper = {
  learning_rate: 0.5,
  beta_2_decay: -0.65,
  epsilon_1: 1e-15,
  epsilon_2: 1e-4,
  clip_threshold: 0.9,
  relative_step: false,
};

describe('Adafactor', () => {
  it("matches Keras's single step on a vector", () => {
    // By hand, t = 1: beta_2_t = 0 so v = g² (+1e-30), u = sign(g), rms(u) = 1;
    // alpha = rms([1, 2, 3, 4]) · min(0.5, 1) = √7.5 · 0.5 = 1.3693
    expectAllClose(singleStep(Adafactor({ learning_rate: 0.5 })), [-0.3693, 0.6307, 1.6307, 2.6307], 1e-4, 1e-4);
  });

  it("matches Keras's single step on a matrix (factored second moment)", () => {
    const optimizer = Adafactor({ learning_rate: 0.5 });
    const w = variable([[1, 2], [3, 4]]);
    const g = tf.tensor2d([[1, 6], [7, 2]]);
    optimizer.apply_gradients([[g, w]]);
    expectAllClose(w, [0.7007, -0.0081, 1.2492, 3.4407], 1e-4, 1e-4);
    // t = 1, beta_2_t = 0: r = row means of g² = [18.5, 26.5], c = column means = [25, 20]
    const r = optimizer.get_slot(w, 'r');
    const c = optimizer.get_slot(w, 'c');
    expect(r.shape).toEqual([2]);
    expectAllClose(r, [18.5, 26.5]);
    expectAllClose(c, [25, 20]);
    tf.dispose([w, g, r, c]);
  });

  it("reproduces Keras's golden table", () => {
    // prettier-ignore
    expectGolden(Adafactor(kerasGoldenHyper), [
      [0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55],
      [0.3031, 0.3026, 0.3025, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024],
      [0.1671, 0.1665, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663],
      [0.0923, 0.0916, 0.0915, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914],
      [0.0554, 0.0548, 0.0546, 0.0546, 0.0546, 0.0546, 0.0546, 0.0545, 0.0545, 0.0545],
    ]);
  });

  it("decays weights as Keras's test_weight_decay (2 · 0.996³), skipping excluded variables", () => {
    expectKerasWeightDecay(() => Adafactor({ learning_rate: 1.0, weight_decay: 0.004 }));
  });

  it('agrees with the float64 transcription over 20 steps with arbitrary gradients (rel. error <= 1e-5)', () => {
    const grid: AdafactorHyper[] = [
      { learning_rate: 0.001, beta_2_decay: -0.8, epsilon_1: 1e-30, epsilon_2: 1e-3, clip_threshold: 1, relative_step: true },
      kerasGoldenHyper,
      { learning_rate: 0.05, beta_2_decay: -0.5, epsilon_1: 1e-10, epsilon_2: 0.5, clip_threshold: 0.1, relative_step: true },
    ];
    // A batch of matrices, a matrix, a vector and a scalar: factored and unfactored paths.
    const shapes = [[2, 2, 3], [3, 4], [5], []];
    for (const h of grid) {
      const random = seededUniform(3);
      const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
      const refs = shapes.map((shape) => refState(shape, Array.from({ length: sizeOf(shape) }, () => random())));
      const vars = refs.map((s) => tf.variable(tf.tensor(s.w, s.shape, 'float32')));
      const optimizer = Adafactor(h);
      for (let step = 0; step < 20; step++) {
        const grads = refs.map((s) => Array.from({ length: s.w.length }, () => random() * 3));
        const tensors = grads.map((g, k) => tf.tensor(g, shapes[k]!));
        optimizer.apply_gradients(tensors.map((g, k) => [g, vars[k]!] as [tf.Tensor, tf.Variable]));
        refs.forEach((s, k) => referenceAdafactor(s, grads[k]!, step + 1, h));
        tf.dispose(tensors);
        refs.forEach((s, k) => expectAllClose(vars[k]!, s.w, 1e-5, 1e-7));
      }
      const velocities = optimizer.velocities;
      refs.forEach((s, k) => expectAllClose(velocities[k]!, s.v, 1e-5, 1e-30));
      const r = optimizer.get_slot(vars[0]!, 'r');
      const c = optimizer.get_slot(vars[0]!, 'c');
      expect(r.shape).toEqual([2, 2]);
      expect(c.shape).toEqual([2, 3]);
      expectAllClose(r, refs[0]!.r.flat(), 1e-5, 1e-30);
      expectAllClose(c, refs[0]!.c.flat(), 1e-5, 1e-30);
      tf.dispose([...vars, ...velocities, r, c]);
    }
  });

  it('updates variables given by position when apply() gets only gradients, skipping null ones', () => {
    // The same two steps through apply(grads) after a first apply_gradients must match a fresh run.
    const h = kerasGoldenHyper;
    const shapes = [[2, 3], [3]];
    const starts = [[1, 2, 3, 4, 5, 6], [1, -1, 0.5]];
    const grads = [[0.1, 0.2, 0.3, -0.4, 0.5, 0.6], [1, 2, 3]];
    const refs = shapes.map((shape, k) => refState(shape, starts[k]!));
    const vars = refs.map((s) => tf.variable(tf.tensor(s.w, s.shape, 'float32')));
    const tensors = grads.map((g, k) => tf.tensor(g, shapes[k]!));
    const optimizer = Adafactor(h);
    optimizer.apply_gradients([[tensors[0]!, vars[0]!], [tensors[1]!, vars[1]!]]);
    refs.forEach((s, k) => referenceAdafactor(s, grads[k]!, 1, h));
    optimizer.apply([tensors[0]!, tensors[1]!]);
    refs.forEach((s, k) => referenceAdafactor(s, grads[k]!, 2, h));
    optimizer.apply([null, tensors[1]!]);
    referenceAdafactor(refs[1]!, grads[1]!, 3, h);
    refs.forEach((s, k) => expectAllClose(vars[k]!, s.w, 1e-5, 1e-7));
    tf.dispose([...vars, ...tensors]);
  });

  it("round-trips its config (Keras's test_config) and is found by name", () => {
    const optimizer = Adafactor(kerasGoldenHyper);
    expectConfigRoundTrip(optimizer);
    expect(optimizer.get_config()).toMatchObject({ name: expect.stringMatching(/^adafactor(_\d+)?$/), ...kerasGoldenHyper });
    expect(get('adafactor')).toBeInstanceOf(AdafactorOptimizer);
    expect(Adafactor().get_config()).toMatchObject({
      learning_rate: 0.001,
      beta_2_decay: -0.8,
      epsilon_1: 1e-30,
      epsilon_2: 1e-3,
      clip_threshold: 1.0,
      relative_step: true,
    });
  });

  it('rejects bad arguments, and reading a factored moment a variable does not have', () => {
    expect(() => Adafactor({ epsilon_1: -1 })).toThrow('Adafactor: `epsilon_1` must be a float >= 0. Received: epsilon_1=-1');
    expect(() => Adafactor({ epsilon_2: -1 })).toThrow('Adafactor: `epsilon_2` must be a float >= 0. Received: epsilon_2=-1');
    expect(() => Adafactor({ clip_threshold: 0 })).toThrow('Adafactor: `clip_threshold` must be a float > 0. Received: clip_threshold=0');
    expect(() => Adafactor({ beta_2_decay: '-0.8' } as never)).toThrow(
      "Adafactor: `beta_2_decay` must be a number. Received: beta_2_decay='-0.8'",
    );
    expect(() => Adafactor({ relative_step: 1 } as never)).toThrow('`relative_step` must be a boolean. Received: relative_step=1');
    expect(() => Adafactor({ clip_treshold: 1 } as never)).toThrow('Did you mean `clip_threshold`?');
    const optimizer = Adafactor();
    const bias = variable([1, 2]);
    const g = tf.ones([2]);
    optimizer.apply_gradients([[g, bias]]);
    expect(() => optimizer.get_slot(bias, 'r')).toThrow("Adafactor.get_slot: variable '" + bias.name + "' has no factored moment 'r'");
    tf.dispose([bias, g]);
  });

  it('keeps tf.memory().numTensors flat across 1,000 apply_gradients calls', () => {
    const w = variable([[1, 2], [3, 4]]);
    const b = variable([0.5, -0.5]);
    const gw = tf.ones([2, 2]);
    const gb = tf.ones([2]);
    const optimizer = Adafactor({ learning_rate: 1e-3, weight_decay: 0.01 });
    optimizer.apply_gradients([[gw, w], [gb, b]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) optimizer.apply_gradients([[gw, w], [gb, b]]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, b, gw, gb]);
  });
});
