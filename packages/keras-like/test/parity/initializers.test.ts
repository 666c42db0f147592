/**
 * Initializers against real Keras 3 (test/fixtures/keras/initializers.json, written by
 * scripts/keras-golden/initializers.py). Keras's seeded draws come from another generator
 * (NumPy's, JAX's or TensorFlow's), so random initializers are compared as distributions:
 * the fixture holds the distribution Keras uses for each shape (its fans, limit or stddev)
 * and the statistics of Keras's own draw; keras-like's draw must have the same family and
 * parameters: mean and standard deviation within 5 standard errors of the distribution's and
 * of Keras's sample, every value inside the bounds (uniform limits, truncation at 2σ), and the
 * extremes near them. Zeros, Ones, Constant and Identity are compared value by value;
 * Orthogonal by its defining property, WᵀW = gain²·I.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import * as initializers from '../../src/initializers.js';
import { expectGolden, loadFixture, reportWorstErrors, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

type Distribution =
  | { distribution: 'uniform'; minval: number; maxval: number; fan_in?: number; fan_out?: number }
  | { distribution: 'normal' | 'truncated_normal'; mean: number; stddev: number; fan_in?: number; fan_out?: number };

interface Statistics {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

interface InitializerCase extends GoldenCase {
  kind: 'random' | 'deterministic' | 'orthogonal';
  class_name: string;
  kwargs: Record<string, unknown>;
  shape: number[];
  distribution?: Distribution;
  keras_statistics?: Statistics;
  values?: GoldenTensor;
  gain?: number;
  keras_gram_error?: number;
}

type Make = (options: Record<string, unknown>) => (shape: number[]) => tf.Tensor;

const fixture = loadFixture<InitializerCase>('initializers');
reportWorstErrors('initializers');

/** Truncation at two standard deviations keeps 0.8796 of the standard deviation (Keras's constant). */
const TRUNCATED_STD = 0.87962566103423978;

function statisticsOf(values: Float32Array): Statistics {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { count: values.length, mean, std: Math.sqrt(squares / values.length), min, max };
}

/** The population mean and standard deviation of the distribution Keras uses. */
function moments(d: Distribution): { mean: number; std: number } {
  if (d.distribution === 'uniform') return { mean: (d.minval + d.maxval) / 2, std: (d.maxval - d.minval) / Math.sqrt(12) };
  return { mean: d.mean, std: d.distribution === 'truncated_normal' ? d.stddev * TRUNCATED_STD : d.stddev };
}

let worstZ = { z: 0, label: '' };
function expectWithinStandardErrors(label: string, actual: number, expected: number, standardError: number): void {
  const z = Math.abs(actual - expected) / standardError;
  if (z > worstZ.z) worstZ = { z, label };
  expect(z, `${label}: ${actual} vs ${expected} (standard error ${standardError})`).toBeLessThan(5);
}

afterAll(() => {
  if (process.env['KERAS_PARITY_REPORT']) console.log(`keras parity initializers (statistics): worst deviation ${worstZ.z.toFixed(2)} standard errors (${worstZ.label})`);
});

function make(c: InitializerCase, extra: Record<string, unknown> = {}): (shape: number[]) => tf.Tensor {
  const factory = (initializers as unknown as Record<string, Make | undefined>)[c.class_name];
  expect(factory, `keras.initializers.${c.class_name}`).toBeTypeOf('function');
  return factory!({ ...c.kwargs, ...extra });
}

describe('random initializers draw from the distribution Keras 3 uses', () => {
  const cases = fixture.cases.filter((c) => c.kind === 'random');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = c.distribution!;
    const keras = c.keras_statistics!;
    const draw = make(c, { seed: 14 })(c.shape);
    expect(draw.shape).toEqual(c.shape);
    const ours = statisticsOf(draw.dataSync() as Float32Array);
    draw.dispose();
    const { mean, std } = moments(d);
    const n = ours.count;
    // Standard errors of a sample mean and a sample standard deviation (normal approximation).
    const meanError = std / Math.sqrt(n);
    const stdError = std / Math.sqrt(2 * n);
    expectWithinStandardErrors(`${c.name} mean`, ours.mean, mean, meanError);
    expectWithinStandardErrors(`${c.name} std`, ours.std, std, stdError);
    // Keras's own draw fits the recorded distribution (the fixture's reading of Keras is right),
    // and keras-like's statistics agree with Keras's sample (two samples: √2 the error).
    expectWithinStandardErrors(`${c.name} Keras mean`, keras.mean, mean, meanError);
    expectWithinStandardErrors(`${c.name} Keras std`, keras.std, std, stdError);
    expectWithinStandardErrors(`${c.name} mean vs Keras`, ours.mean, keras.mean, Math.SQRT2 * meanError);
    expectWithinStandardErrors(`${c.name} std vs Keras`, ours.std, keras.std, Math.SQRT2 * stdError);
    if (d.distribution === 'uniform') {
      // Inside [minval, maxval), and reaching within 20/n of the width of either end, as Keras's draw does.
      const width = d.maxval - d.minval;
      expect(ours.min).toBeGreaterThanOrEqual(Math.fround(d.minval));
      expect(ours.max).toBeLessThanOrEqual(Math.fround(d.maxval));
      expect(ours.min - d.minval).toBeLessThan((20 * width) / n);
      expect(d.maxval - ours.max).toBeLessThan((20 * width) / n);
      expect(keras.min - d.minval).toBeLessThan((20 * width) / n);
    } else if (d.distribution === 'truncated_normal') {
      // Truncated at two standard deviations of the untruncated normal, as Keras's.
      for (const x of [ours.min, ours.max, keras.min, keras.max]) expect(Math.abs(x - d.mean)).toBeLessThanOrEqual(2 * d.stddev * (1 + 1e-6));
      expect(ours.max - d.mean).toBeGreaterThan(1.9 * d.stddev);
    } else {
      // An untruncated normal reaches past 3σ in a sample of 5000 or more, as Keras's does.
      expect(Math.max(ours.max - d.mean, d.mean - ours.min)).toBeGreaterThan(3 * d.stddev);
      expect(Math.max(keras.max - d.mean, d.mean - keras.min)).toBeGreaterThan(3 * d.stddev);
    }
  });
});

describe('deterministic initializers match Keras 3 value by value', () => {
  const cases = fixture.cases.filter((c) => c.kind === 'deterministic');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const values = make(c)(c.shape);
    expectGolden('initializers', c.name, 'values', values, c.values!, c.tolerance ?? fixture.tolerance);
    values.dispose();
  });
});

describe('Orthogonal is orthogonal times gain, as Keras 3', () => {
  const cases = fixture.cases.filter((c) => c.kind === 'orthogonal');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const gramError = tf.tidy(() => {
      const w = make(c, { seed: 14 })(c.shape);
      expect(w.shape).toEqual(c.shape);
      const m = tf.reshape(w, [-1, c.shape.at(-1)!]);
      const gram = m.shape[0]! >= m.shape[1]! ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true);
      const target = tf.mul(tf.eye(gram.shape[0]!), c.gain! ** 2);
      return tf.max(tf.abs(tf.sub(gram, target))).dataSync()[0]!;
    });
    // Keras's float32 draw is orthogonal to a few ulp (keras_gram_error); keras-like's to 1e-5.
    expect(c.keras_gram_error!).toBeLessThan(1e-5);
    expect(gramError).toBeLessThan(1e-5 * Math.max(1, c.gain! ** 2));
  });
});
