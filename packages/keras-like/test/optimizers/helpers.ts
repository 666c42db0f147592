/**
 * Shared pieces of the optimizer tests: Keras's own test shapes (single step, golden
 * table, weight decay), written once so each optimizer's file lists only its numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { ready } from '../../src/backend/kernels.js';
import type { Optimizer } from '../../src/optimizers/base.js';

await ready();

let variableCount = 0;

/** A float32 tf.Variable with a unique name (TensorFlow.js names are global). */
export function variable(values: number | number[] | number[][], name = 'v'): tf.Variable {
  variableCount += 1;
  return tf.variable(tf.tensor(values, undefined, 'float32'), true, `${name}_${variableCount}`);
}

/** Keras's `assertAllClose`: |actual - expected| <= atol + rtol * |expected|, element by element. */
export function expectAllClose(actual: tf.Tensor | ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 1e-6): void {
  const values = actual instanceof tf.Tensor ? actual.dataSync() : actual;
  expect(values.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = values[i]!;
    if (Math.abs(a - e) > atol + rtol * Math.abs(e)) {
      throw new Error(`element ${i}: ${a} is not close to ${e} (rtol ${rtol}, atol ${atol}); all: [${Array.from(values).join(', ')}]`);
    }
  }
}

/** Keras's `test_single_step`: grads [1, 6, 7, 2] on variables [1, 2, 3, 4]. */
export function singleStep(optimizer: Optimizer): Float32Array {
  const v = variable([1, 2, 3, 4]);
  const grads = tf.tensor1d([1, 6, 7, 2]);
  optimizer.apply_gradients([[grads, v]]);
  const values = v.dataSync() as Float32Array;
  grads.dispose();
  v.dispose();
  return values;
}

/**
 * Keras's `test_correctness_with_golden`: one step with gradient 0.01 everywhere, then
 * five steps with gradients 0.1, 0.2, ..., 1.0, checking the table before each.
 */
export function expectGolden(optimizer: Optimizer, golden: number[][], tolerance = 5e-4): void {
  const x = variable(new Array<number>(10).fill(1));
  const grads = tf.tensor1d(Array.from({ length: 10 }, (_, i) => (i + 1) / 10));
  const firstGrads = tf.fill([10], 0.01);
  optimizer.apply_gradients([[firstGrads, x]]);
  for (const row of golden) {
    expectAllClose(x, row, tolerance, tolerance);
    optimizer.apply_gradients([[grads, x]]);
  }
  tf.dispose([x, grads, firstGrads]);
}

/** `golden` rows where every element of a row is the same value. */
export function tiled(values: number[]): number[][] {
  return values.map((value) => new Array<number>(10).fill(value));
}

/**
 * Keras's `test_weight_decay`: three optimizers with weight_decay 0.004 and lr 1 decay var1
 * three times (2 · 0.996³ = 1.9760959), while the excluded variables stay at 2.
 */
export function expectKerasWeightDecay(make: () => Optimizer): void {
  const zeros = tf.zeros([]);
  const var1 = variable(2.0);
  const var2 = variable(2.0, 'exclude');
  const var3 = variable(2.0);
  make().apply_gradients([[zeros, var1]]);
  const byName = make();
  byName.exclude_from_weight_decay({ var_names: ['exclude'] });
  byName.apply_gradients([
    [zeros, var1],
    [zeros, var2],
  ]);
  const byList = make();
  byList.exclude_from_weight_decay([var3]);
  byList.apply_gradients([
    [zeros, var1],
    [zeros, var3],
  ]);
  expect(var1.dataSync()[0]).toBeCloseTo(1.9760959, 6);
  expect(var2.dataSync()[0]).toBeCloseTo(2.0, 6);
  expect(var3.dataSync()[0]).toBeCloseTo(2.0, 6);
  tf.dispose([zeros, var1, var2, var3]);
}

/** Keras's `test_clip_norm` and `test_clip_value`, seen through one SGD-like step at lr 1 from 0. */
export function clippedGradient(optimizer: Optimizer, gradient: number[]): Float32Array {
  const v = variable(new Array<number>(gradient.length).fill(0));
  const g = tf.tensor1d(gradient);
  optimizer.apply_gradients([[g, v]]);
  const values = v.dataSync() as Float32Array;
  tf.dispose([v, g]);
  return values;
}

/** `get_config` → `from_config` → `get_config` gives the same config (Keras's `run_class_serialization_test`). */
export function expectConfigRoundTrip(optimizer: Optimizer): void {
  const config = optimizer.get_config();
  const rebuilt = (optimizer.constructor as unknown as { from_config(c: object): Optimizer }).from_config(config);
  expect(rebuilt.constructor).toBe(optimizer.constructor);
  expect(rebuilt.get_config()).toEqual(config);
}

/** A seeded stream of numbers in [-1, 1) (mulberry32), for "arbitrary" gradients that repeat. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
