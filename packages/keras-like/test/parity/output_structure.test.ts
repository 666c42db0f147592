/**
 * A functional model's eager call and `predict` keep the structure of its `outputs`, against real
 * Keras 3 (test/fixtures/keras/output_structure.json, written by scripts/keras-golden/output_structure.py):
 * a dict by key, a list holding lists, a list, a list of one (its tensor: Keras's unpack_singleton),
 * one tensor, each with Keras's values for the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clear_session } from '../../src/backend/index.js';
import { initBackend } from '../../src/backend/kernels.js';
import { Dense, Input } from '../../src/layers/index.js';
import type { KerasTensor } from '../../src/layers/keras_tensor.js';
import { Model, model_from_json } from '../../src/models/index.js';
import { isKerasTensor } from '../../src/layers/keras_tensor.js';
import { expectGolden, goldenValues, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

type Spec = string | Spec[] | { [key: string]: Spec };
type Encoded = GoldenTensor | { list: Encoded[] } | { dict: Array<[string, Encoded]> };
type EncodedSymbolic = { keras_tensor: Array<number | null> } | { list: EncodedSymbolic[] } | { dict: Array<[string, EncodedSymbolic]> };
interface StructureCase extends GoldenCase {
  outputs: Spec;
  call: Encoded;
  predict: Encoded;
  /** The model called on a KerasTensor (nested in another model), and that outer model's predict. */
  symbolic: EncodedSymbolic;
  outer_predict: Encoded;
}
interface InputsCase extends GoldenCase {
  x: GoldenTensor;
  weights: Record<string, GoldenTensor[]>;
}

const fixture = loadFixture<StructureCase | InputsCase>('output_structure');
reportWorstErrors(fixture.module);
const inputs = fixture.cases.find((c) => c.name === 'inputs') as InputsCase;
const cases = fixture.cases.filter((c) => c.name !== 'inputs') as StructureCase[];
const UNITS: Record<string, number> = { a: 2, b: 1, c: 4 };

type Built = KerasTensor | Built[] | { [key: string]: KerasTensor };
function build(spec: Spec, tensors: Record<string, KerasTensor>): Built {
  if (typeof spec === 'string') return tensors[spec]!;
  if (Array.isArray(spec)) return spec.map((s) => build(s, tensors));
  return Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, build(s, tensors) as KerasTensor]));
}

/** `actual` has the structure of `expected` (a dict with its keys in Keras's order) and its values. */
function expectStructure(label: string, actual: unknown, expected: Encoded): void {
  if ('list' in expected) {
    expect(Array.isArray(actual), `${label}: a list`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${label}: its length`).toBe(expected.list.length);
    expected.list.forEach((e, i) => expectStructure(`${label}[${i}]`, list[i], e));
  } else if ('dict' in expected) {
    expect(actual instanceof tf.Tensor || Array.isArray(actual), `${label}: a dict`).toBe(false);
    const dict = actual as Record<string, unknown>;
    expect(Object.keys(dict), `${label}: its keys`).toEqual(expected.dict.map(([k]) => k));
    for (const [k, e] of expected.dict) expectStructure(`${label}.${k}`, dict[k], e);
  } else {
    expect(actual, `${label}: a tensor`).toBeInstanceOf(tf.Tensor);
    expect((actual as tf.Tensor).shape).toEqual(expected.shape);
    expectGolden(fixture.module, label.split(':')[0]!, label, Array.from((actual as tf.Tensor).dataSync()), goldenValues(expected), fixture.tolerance);
  }
}

function model(spec: Spec) {
  clear_session();
  const x = Input({ shape: [3], name: 'x' });
  const tensors: Record<string, KerasTensor> = {};
  for (const [name, units] of Object.entries(UNITS)) {
    const layer = Dense(units, { name });
    tensors[name] = layer.apply(x);
    layer.set_weights(inputs.weights[name]!.map(toTensor));
  }
  return Model({ inputs: x, outputs: build(spec, tensors) as never });
}

/** `actual` (KerasTensors) has the structure of `expected`, each KerasTensor Keras's shape. */
function expectSymbolic(label: string, actual: unknown, expected: EncodedSymbolic): void {
  if ('list' in expected) {
    expect(Array.isArray(actual), `${label}: a list`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${label}: its length`).toBe(expected.list.length);
    expected.list.forEach((e, i) => expectSymbolic(`${label}[${i}]`, list[i], e));
  } else if ('dict' in expected) {
    expect(isKerasTensor(actual) || Array.isArray(actual), `${label}: a dict`).toBe(false);
    const dict = actual as Record<string, unknown>;
    expect(Object.keys(dict), `${label}: its keys`).toEqual(expected.dict.map(([k]) => k));
    for (const [k, e] of expected.dict) expectSymbolic(`${label}.${k}`, dict[k], e);
  } else {
    expect(isKerasTensor(actual), `${label}: a KerasTensor`).toBe(true);
    expect([...(actual as KerasTensor).shape]).toEqual(expected.keras_tensor);
  }
}

describe("a functional model nested in another (called on a KerasTensor) returns Keras's structure", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const inner = model(c.outputs);
    const outerInput = Input({ shape: [3], name: 'outer_x' });
    const symbolic = inner.apply(outerInput);
    expectSymbolic(`${name}: inner.apply(outer_x)`, symbolic, c.symbolic);
    expectSymbolic(`${name}: inner(outer_x)`, (inner as unknown as (x: KerasTensor) => unknown)(outerInput), c.symbolic);
    // The structure builds the outer model, whose predict is Keras's, and which survives to_json.
    const outer = Model({ inputs: outerInput, outputs: symbolic as never });
    const reloaded = model_from_json(outer.to_json()) as unknown as Model;
    const x = toTensor(inputs.x);
    for (const [which, m] of [['outer', outer], ['outer from to_json', reloaded]] as const) {
      if (which === 'outer from to_json') {
        const weights = outer.get_weights();
        m.set_weights(weights);
        tf.dispose(weights);
      }
      const before = tf.memory().numTensors;
      const predicted = m.predict(x, { verbose: 0 });
      expectStructure(`${name}: ${which}.predict(x)`, predicted, c.outer_predict);
      tf.dispose(predicted as never);
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
    reloaded.dispose();
    inner.dispose();
  });
});

describe("a functional model's eager call and predict return Keras's structure", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = model(c.outputs);
    const x = toTensor(inputs.x);
    const before = tf.memory().numTensors;
    const called = m.apply(x);
    expectStructure(`${name}: model.apply(x)`, called, c.call);
    const viaCall = (m as unknown as (x: tf.Tensor) => unknown)(x);
    expectStructure(`${name}: model(x)`, viaCall, c.call);
    const predicted = m.predict(x, { verbose: 0 });
    expectStructure(`${name}: predict(x)`, predicted, c.predict);
    tf.dispose([called, viaCall, predicted] as never);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });
});
