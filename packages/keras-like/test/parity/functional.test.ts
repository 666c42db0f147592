/**
 * Functional models against Keras 3 (test/fixtures/keras/functional.json, written by
 * scripts/keras-golden/functional.py on Keras's torch backend, where real `fit` runs):
 * - predict: each model is built here layer for layer as the script builds it, given Keras's
 *   weights through `set_weights` in `model.get_weights()` order, and its outputs compared;
 *   `model.layers` is compared name by name (Keras's graph order);
 * - fit: the same initial weights, optimizer, losses, loss_weights and metrics, Keras's data with
 *   shuffle off; the weights after every epoch and `history.history` (every key Keras logs and
 *   every value) are compared with what Keras's own `fit` produced.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import { clear_session } from '../../src/backend/session.js';
import { LambdaCallback } from '../../src/callbacks/index.js';
import * as layers from '../../src/layers/index.js';
import { Dense, Input } from '../../src/layers/index.js';
import type { KerasTensor } from '../../src/layers/keras_tensor.js';
import type { Layer } from '../../src/layers/layer.js';
import { Model, Sequential, type ModelClass } from '../../src/models/index.js';
import * as optimizers from '../../src/optimizers/index.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

type Nested = GoldenTensor | Nested[] | { [key: string]: Nested };

interface PredictCase extends GoldenCase {
  kind: 'predict';
  layer_names: string[];
  weights: GoldenTensor[];
  x: Nested;
  y: Nested;
}

interface FitCase extends GoldenCase {
  kind: 'fit';
  compile: { optimizer: [string, Record<string, number>]; loss: unknown; loss_weights?: unknown; metrics?: unknown };
  epochs: number;
  batch_size: number;
  layer_names: string[];
  initial_weights: GoldenTensor[];
  x: Nested;
  y: Nested;
  validation: Nested | null;
  weights_per_epoch: GoldenTensor[][];
  history: Record<string, number[]>;
}

const fixture = loadFixture<PredictCase | FitCase>('functional');
reportWorstErrors('functional');

// ---- the script's models, written again ----

function twoHeads(): ModelClass {
  const features = Input({ shape: [4], name: 'features' });
  const aux = Input({ shape: [2], name: 'aux' });
  const h = Dense(8, { activation: 'relu', name: 'hidden' }).apply(features);
  const c = layers.Concatenate({ name: 'concat' }).apply([h, aux]);
  const price = Dense(1, { name: 'price' }).apply(c);
  const buy = Dense(1, { activation: 'sigmoid', name: 'buy' }).apply(c);
  return Model([features, aux], [price, buy], { name: 'two_heads' });
}

function sharedFanOut(): ModelClass {
  const left = Input({ shape: [3], name: 'left' });
  const right = Input({ shape: [3], name: 'right' });
  const shared = Dense(4, { activation: 'tanh', name: 'shared' });
  const p = shared.apply(left);
  const q = shared.apply(right);
  const r = Dense(4, { activation: 'sigmoid', name: 'gate' }).apply(p);
  const m = layers.Concatenate({ name: 'concat' }).apply([layers.Add({ name: 'add' }).apply([p, q]), layers.Multiply({ name: 'mul' }).apply([p, r]), p]);
  return Model([left, right], Dense(2, { name: 'head' }).apply(m), { name: 'shared_fan_out' });
}

function nestedModels(): ModelClass {
  const innerIn = Input({ shape: [3], name: 'inner_in' });
  const inner = Model(innerIn, Dense(5, { activation: 'tanh', name: 'inner_dense' }).apply(innerIn), { name: 'inner' });
  const tail = Sequential([Input({ shape: [5] }), Dense(4, { activation: 'relu', name: 'tail_1' }), Dense(2, { name: 'tail_2' })], { name: 'tail' });
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const s = layers.Add({ name: 'sum' }).apply([inner.apply(a) as KerasTensor, inner.apply(b) as KerasTensor]);
  return Model([a, b], [tail.apply(s) as KerasTensor, s], { name: 'nested' });
}

function dictModel(): ModelClass {
  const zeta = Input({ shape: [2], name: 'zeta' });
  const alpha = Input({ shape: [3], name: 'alpha' });
  const h = Dense(4, { activation: 'tanh', name: 'h' }).apply(layers.Concatenate({ name: 'c' }).apply([alpha, zeta]));
  const outZ = Dense(1, { activation: 'sigmoid', name: 'dense_z' }).apply(h);
  const outY = Dense(2, { name: 'dense_y' }).apply(h);
  return Model({ inputs: { zeta, alpha }, outputs: { out_z: outZ, out_y: outY }, name: 'dicts' });
}

/** Embedding(mask_zero) then `head`: the padded steps' mask reaches the output through layers that support masking. */
function maskedTokens(head: () => Layer[]): ModelClass {
  const tokens = Input({ shape: [5], name: 'tokens' });
  let x = layers.Embedding(7, 3, { mask_zero: true, name: 'embedding' }).apply(tokens);
  for (const layer of head()) x = layer.apply(x) as KerasTensor;
  return Model(tokens, x, { name: 'masked' });
}

const FIT_MODELS: Array<[string, () => ModelClass]> = [
  ['two heads', twoHeads],
  ['shared', sharedFanOut],
  ['nested', nestedModels],
  ['dict', dictModel],
  ['mask in the loss: Embedding(mask_zero) -> Dense(tanh) -> Dense(softmax)', () => maskedTokens(() => [Dense(4, { activation: 'tanh', name: 'hidden' }), Dense(3, { activation: 'softmax', name: 'classes' })])],
  ['mask in the loss: Embedding(mask_zero) -> Dense -> Dense', () => maskedTokens(() => [Dense(4, { activation: 'relu', name: 'hidden' }), Dense(2, { name: 'values' })])],
  [
    'mask dropped by LSTM',
    () => maskedTokens(() => [layers.LSTM(4, { return_sequences: true, name: 'lstm' }) as unknown as Layer, layers.TimeDistributed(Dense(2, { name: 'dense' }), { name: 'per_step' })]),
  ],
  ['mask dropped by TimeDistributed', () => maskedTokens(() => [layers.TimeDistributed(Dense(2, { name: 'dense' }), { name: 'per_step' })])],
];

function mergeModel(merge: Layer<tf.Tensor[]>, shapes: number[][], name: string): ModelClass {
  const inputs = shapes.map((shape, k) => Input({ shape, name: `in_${k}` }));
  return Model(inputs, merge.apply(inputs), { name: `merge_${name}` });
}

const flat2 = [[3], [3]];
const MODELS: Record<string, () => ModelClass> = {
  'two inputs, two outputs (Concatenate, Dense heads)': twoHeads,
  'shared layer and fan-out': sharedFanOut,
  'nested functional (called twice) and Sequential models': nestedModels,
  'dict inputs and outputs': dictModel,
  'merge: Add of three': () => mergeModel(layers.Add({ name: 'add' }), [[3], [3], [3]], 'add'),
  'merge: Subtract': () => mergeModel(layers.Subtract({ name: 'subtract' }), flat2, 'subtract'),
  'merge: Multiply of three': () => mergeModel(layers.Multiply({ name: 'multiply' }), [[3], [3], [3]], 'multiply'),
  'merge: Average': () => mergeModel(layers.Average({ name: 'average' }), flat2, 'average'),
  'merge: Maximum': () => mergeModel(layers.Maximum({ name: 'maximum' }), flat2, 'maximum'),
  'merge: Minimum': () => mergeModel(layers.Minimum({ name: 'minimum' }), flat2, 'minimum'),
  'merge: Concatenate axis -1': () => mergeModel(layers.Concatenate({ name: 'concatenate' }), [[2, 3], [2, 4]], 'c1'),
  'merge: Concatenate axis 1': () => mergeModel(layers.Concatenate({ axis: 1, name: 'concatenate_1' }), [[2, 3], [4, 3]], 'c2'),
  'merge: Dot axes 1': () => mergeModel(layers.Dot(1, { name: 'dot' }), flat2, 'd1'),
  'merge: Dot axes 1 normalize': () => mergeModel(layers.Dot(1, { normalize: true, name: 'dot_1' }), flat2, 'd2'),
  'merge: Dot axes [2, 2] on sequences': () => mergeModel(layers.Dot([2, 2], { name: 'dot_2' }), [[2, 3], [4, 3]], 'd3'),
  'merge: Dot axes [1, 1] on sequences': () => mergeModel(layers.Dot([1, 1], { name: 'dot_3' }), [[2, 3], [2, 4]], 'd4'),
  'merge: Dot axes [1, 2] on sequences': () => mergeModel(layers.Dot([1, 2], { name: 'dot_4' }), [[2, 3], [4, 2]], 'd5'),
  'merge: Dot axes -1 normalize on sequences': () => mergeModel(layers.Dot(-1, { normalize: true, name: 'dot_5' }), [[2, 3], [4, 3]], 'd6'),
};

// ---- fixture structures to tensors ----

function isTensor(value: Nested): value is GoldenTensor {
  return !Array.isArray(value) && 'values' in value && 'shape' in value;
}

type Data = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

function toData(value: Nested): Data {
  if (isTensor(value)) return toTensor(value);
  if (Array.isArray(value)) return value.map((v) => toTensor(v as GoldenTensor));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTensor(v as GoldenTensor)]));
}

function flatTensors(value: Nested): GoldenTensor[] {
  if (isTensor(value)) return [value];
  return Array.isArray(value) ? value.flatMap(flatTensors) : Object.values(value).flatMap(flatTensors);
}

function disposeData(data: Data): void {
  tf.dispose(data instanceof tf.Tensor ? data : Array.isArray(data) ? data : Object.values(data));
}

function optimizerFrom([className, kwargs]: [string, Record<string, number>]) {
  if (className === 'SGD') return optimizers.SGD(kwargs);
  if (className === 'Adam') return optimizers.Adam(kwargs);
  throw new Error(`no optimizer ${className} in this test`);
}

describe('functional models: predict against Keras 3', () => {
  for (const c of fixture.cases) {
    if (c.kind !== 'predict') continue;
    it(c.name, () => {
      clear_session();
      const build = MODELS[c.name];
      if (build === undefined) throw new Error(`no builder for case ${c.name}`);
      const model = build();
      expect(model.layers.map((l) => l.name)).toEqual(c.layer_names);
      const weights = c.weights.map(toTensor);
      model.set_weights(weights);
      const x = toData(c.x);
      const before = tf.memory().numTensors;
      const y = model.predict(x as tf.Tensor, { verbose: 0 });
      const byKey = !isTensor(c.y) && !Array.isArray(c.y);
      // A dict model's predict returns a dict, its keys in the order the model was given them.
      if (byKey) expect(Object.keys(y)).toEqual(Object.keys(c.y));
      const got = y instanceof tf.Tensor ? [y] : Array.isArray(y) ? y : Object.values(y as Record<string, tf.Tensor>);
      const expected = flatTensors(c.y);
      expect(got.length).toBe(expected.length);
      got.forEach((t, k) => expectGolden('functional', c.name, `output ${k}`, t, expected[k]!, c.tolerance ?? fixture.tolerance));
      tf.dispose(got);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(weights);
      disposeData(x);
      model.dispose();
    });
  }
});

describe('functional models: fit against Keras 3 (its torch backend, real model.fit)', () => {
  for (const c of fixture.cases) {
    if (c.kind !== 'fit') continue;
    it(c.name, () => {
      clear_session();
      const build = FIT_MODELS.find(([prefix]) => c.name.startsWith(prefix))?.[1];
      if (build === undefined) throw new Error(`no builder for case ${c.name}`);
      const model = build();
      expect(model.layers.map((l) => l.name)).toEqual(c.layer_names);
      const initial = c.initial_weights.map(toTensor);
      model.set_weights(initial);
      model.compile({
        optimizer: optimizerFrom(c.compile.optimizer),
        loss: c.compile.loss as string,
        ...(c.compile.loss_weights === undefined ? {} : { loss_weights: c.compile.loss_weights as number[] }),
        ...(c.compile.metrics === undefined ? {} : { metrics: c.compile.metrics as string[] }),
      });
      const perEpoch: tf.Tensor[][] = [];
      const recorder = LambdaCallback({ on_epoch_end: () => perEpoch.push(model.get_weights()) });
      const x = toData(c.x);
      const y = toData(c.y);
      const validation = c.validation === null ? null : (c.validation as Nested[]).map(toData);
      const history = model.fit(x as tf.Tensor, y as tf.Tensor, {
        epochs: c.epochs,
        batch_size: c.batch_size,
        shuffle: false,
        verbose: 0,
        callbacks: [recorder],
        ...(validation === null ? {} : { validation_data: validation as [tf.Tensor, tf.Tensor] }),
      });
      const tolerance = c.tolerance ?? fixture.tolerance;
      expect(Object.keys(history.history).sort()).toEqual(Object.keys(c.history).sort());
      for (const [key, values] of Object.entries(c.history)) {
        expectGolden('functional', c.name, `history.${key}`, history.history[key]!, values, tolerance);
      }
      expect(perEpoch.length).toBe(c.epochs);
      perEpoch.forEach((weights, e) =>
        weights.forEach((w, k) => expectGolden('functional', c.name, `epoch ${e + 1} weight ${k}`, w, c.weights_per_epoch[e]![k]!, tolerance)),
      );
      tf.dispose(perEpoch.flat());
      tf.dispose(initial);
      for (const data of [x, y, ...(validation ?? [])]) disposeData(data);
      model.dispose();
    });
  }
});
