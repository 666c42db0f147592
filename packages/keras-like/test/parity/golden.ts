/**
 * Golden values from real Keras 3: loads test/fixtures/keras/<module>.json (written by
 * scripts/keras-golden/, see its README) and compares keras-like's numbers with them.
 *
 * A fixture's arrays are tensors `{ shape, dtype, values }` (flat, row-major; NaN and
 * infinities as the strings "NaN", "Infinity", "-Infinity"). An element passes when
 * |actual − expected| ≤ rtol · max(|expected|, floor): relative above `floor`, absolute
 * (rtol · floor) below it, where float32 cancellation makes relative error meaningless.
 * NaN must meet NaN and an infinity the same infinity.
 *
 * Every comparison is recorded with its error, so a test file can print the worst error of
 * its module and the number of cases (KERAS_PARITY_REPORT=1), the figures issue 14 asks for.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll } from 'vitest';

export interface GoldenTensor {
  readonly shape: number[];
  readonly dtype: string;
  readonly values: Array<number | string | boolean>;
}

export interface Tolerance {
  readonly rtol: number;
  readonly floor: number;
}

export interface GoldenCase {
  readonly name: string;
  readonly tolerance?: Tolerance;
  readonly [key: string]: unknown;
}

export interface Fixture<Case extends GoldenCase = GoldenCase> {
  readonly format: 'keras-golden/1';
  readonly module: string;
  readonly generated_by: string;
  readonly keras: { version: string; commit: string; backend: string; numpy: string; promotion: string };
  readonly tolerance: Tolerance;
  readonly notes: string[];
  readonly cases: Case[];
}

const FIXTURES = new URL('../../../../test/fixtures/keras/', import.meta.url);

/** Reads a module's fixture; `Case` is the shape its script writes (checked by the tests that use it). */
export function loadFixture<Case extends GoldenCase = GoldenCase>(module: string): Fixture<Case> {
  const fixture = JSON.parse(fs.readFileSync(new URL(`${module}.json`, FIXTURES), 'utf8')) as Fixture<Case>;
  if (fixture.format !== 'keras-golden/1') throw new Error(`${module}.json: unknown format ${String(fixture.format)}`);
  return fixture;
}

function decode(value: number | string | boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  throw new Error(`not a number in a golden tensor: ${value}`);
}

/** The tensor's values as numbers (float32 values are exact: the fixture holds their shortest round-trip text). */
export function goldenValues(t: GoldenTensor): number[] {
  const values = t.values.map(decode);
  return t.dtype === 'float32' ? values.map(Math.fround) : values;
}

/** The golden tensor as a tf.Tensor (float32 unless it holds integers or booleans). */
export function toTensor(t: GoldenTensor): tf.Tensor {
  const dtype = t.dtype.startsWith('int') || t.dtype.startsWith('uint') ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32';
  return tf.tensor(goldenValues(t), t.shape, dtype);
}

/** The golden tensor as nested arrays, the way a user passes data (`x`, `set_weights`). */
export function toArray(t: GoldenTensor): number | unknown[] {
  const values = goldenValues(t);
  if (t.shape.length === 0) return values[0]!;
  const nest = (offset: number, axis: number): unknown[] => {
    const size = t.shape[axis]!;
    const stride = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) =>
      axis === t.shape.length - 1 ? values[offset + i] : nest(offset + i * stride, axis + 1),
    );
  };
  return nest(0, 0);
}

/** The error of one element under a tolerance's floor: |a − e| / max(|e|, floor); 0 or Infinity for NaN/∞. */
export function elementError(actual: number, expected: number, floor: number): number {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual) ? 0 : Infinity;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected ? 0 : Infinity;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}

type Actual = tf.Tensor | ArrayLike<number> | number;

function actualValues(actual: Actual): ArrayLike<number> {
  if (typeof actual === 'number') return [actual];
  if (actual instanceof tf.Tensor) return actual.dataSync() as ArrayLike<number>;
  return actual;
}

function expectedValues(expected: GoldenTensor | ArrayLike<number> | number): ArrayLike<number> {
  if (typeof expected === 'number') return [expected];
  if ('values' in expected && 'shape' in expected) return goldenValues(expected);
  return expected;
}

interface Worst {
  error: number;
  label: string;
  cases: Set<string>;
}

const worstByModule = new Map<string, Worst>();

/**
 * Compares `actual` with Keras's `expected` element by element and throws a message naming
 * the case, the label and the worst element when one is outside the tolerance. Returns the
 * worst error, which is also recorded for the module's report.
 */
export function expectGolden(
  module: string,
  caseName: string,
  label: string,
  actual: Actual,
  expected: GoldenTensor | ArrayLike<number> | number,
  tolerance: Tolerance,
): number {
  const a = actualValues(actual);
  const e = expectedValues(expected);
  if (a.length !== e.length) throw new Error(`${caseName} / ${label}: ${a.length} values, Keras has ${e.length}`);
  if (actual instanceof tf.Tensor && typeof expected === 'object' && 'shape' in expected) {
    const shape = actual.shape.join(',');
    if (shape !== expected.shape.join(',')) throw new Error(`${caseName} / ${label}: shape [${shape}], Keras has [${expected.shape.join(',')}]`);
  }
  let worst = 0;
  let at = 0;
  for (let i = 0; i < e.length; i++) {
    const error = elementError(a[i]!, e[i]!, tolerance.floor);
    if (error > worst) [worst, at] = [error, i];
  }
  const record = worstByModule.get(module) ?? { error: 0, label: '', cases: new Set<string>() };
  record.cases.add(caseName);
  if (worst > record.error || record.label === '') Object.assign(record, { error: worst, label: `${caseName} / ${label}` });
  worstByModule.set(module, record);
  if (!(worst <= tolerance.rtol)) {
    throw new Error(
      `${caseName} / ${label}: element ${at} is ${a[at]}, Keras ${e[at]} (error ${worst.toExponential(2)} > rtol ${tolerance.rtol}, floor ${tolerance.floor})`,
    );
  }
  return worst;
}

/**
 * Prints `module: N cases, worst error E (case / label)` after the file's tests when
 * KERAS_PARITY_REPORT is set: the per-module figures of the closing note.
 */
export function reportWorstErrors(module: string): void {
  afterAll(() => {
    if (!process.env['KERAS_PARITY_REPORT']) return;
    const record = worstByModule.get(module);
    if (!record) return;
    console.log(`keras parity ${module}: ${record.cases.size} cases, worst error ${record.error.toExponential(2)} (${record.label})`);
  });
}
