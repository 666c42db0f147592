/**
 * The checks an encoder-decoder fixture from real Keras 3 goes through (seq2seq.test.ts,
 * rnn/bidirectional_state.test.ts): the file Keras wrote loads here with Keras's predictions and
 * inbound nodes and trains as Keras trained it; the file keras-like wrote gives here what Keras
 * computed after loading it; a model built here round-trips through `.keras`.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { keras, tf } from 'keras-like';
import { expectGolden, toTensor, type GoldenCase, type GoldenTensor, type Tolerance } from '../parity/golden.js';

/** One `.keras` file of a fixture and what Keras 3 computed with it. */
export interface KerasFileCase extends GoldenCase {
  file: string;
  x: GoldenTensor[];
  predictions: GoldenTensor;
  layers: string[];
  inbound_nodes?: Record<string, unknown[]>;
  target?: GoldenTensor;
  train_losses?: number[];
  trained_weights?: GoldenTensor[];
  weight_paths?: string[];
  optimizer_variables?: GoldenTensor[];
}

type Model = ReturnType<typeof keras.Model>;

export const kerasFile = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));

const load = (c: KerasFileCase) => keras.models.load_model(kerasFile(c.file)) as Model;

/** The file Keras wrote: its layers, Keras's predictions, and the states passed as `kwargs.initial_state`. */
export function expectKerasPredictionsAndNodes(module: string, c: KerasFileCase, tolerance: Tolerance, also?: (model: Model) => void): void {
  const model = load(c);
  expect(model.layers.map((l) => l.name)).toEqual(c.layers);
  also?.(model);
  const x = c.x.map(toTensor);
  const predictions = model.predict(x, { verbose: 0 }) as tf.Tensor;
  expectGolden(module, c.name, 'predictions', predictions, c.predictions, tolerance);
  const layers = model.get_config().layers as Array<{ name: string; inbound_nodes: unknown[] }>;
  expect(Object.fromEntries(layers.map((l) => [l.name, l.inbound_nodes]))).toEqual(c.inbound_nodes);
  tf.dispose([...x, predictions]);
  model.dispose();
}

/**
 * Three `train_on_batch` steps with the explicit backward give Keras's losses and weights; the
 * weights at `learnThroughStates` (the encoders') move, though their only path to the loss is the
 * decoders' initial states.
 */
export function expectTrainsAsKeras(module: string, c: KerasFileCase, tolerance: Tolerance, learnThroughStates: number[]): void {
  const model = load(c);
  const x = c.x.map(toTensor);
  const target = toTensor(c.target!);
  const before = model.get_weights();
  const losses = [0, 1, 2].map(() => model.train_on_batch(x, target) as number);
  losses.forEach((loss, i) => expectGolden(module, c.name, `loss of step ${i + 1}`, loss, c.train_losses![i]!, tolerance));
  const after = model.get_weights();
  after.forEach((w, i) => expectGolden(module, c.name, `${c.weight_paths?.[i] ?? `weight ${i}`} after 3 steps`, w, c.trained_weights![i]!, tolerance));
  for (const i of learnThroughStates) expect(tf.max(tf.abs(tf.sub(after[i]!, before[i]!))).dataSync()[0]).toBeGreaterThan(1e-4);
  tf.dispose([...x, target, ...before, ...after]);
  model.dispose();
}

/** The file keras-like wrote gives here the predictions and optimizer state Keras 3 computed from it. */
export function expectWhatKerasComputedFromOurFile(module: string, c: KerasFileCase, tolerance: Tolerance): void {
  const model = load(c);
  expect(model.layers.map((l) => l.name)).toEqual(c.layers);
  const x = c.x.map(toTensor);
  const predictions = model.predict(x, { verbose: 0 }) as tf.Tensor;
  expectGolden(module, c.name, 'predictions', predictions, c.predictions, tolerance);
  const variables = model.optimizer!.variables;
  expect(variables.length).toBe(c.optimizer_variables!.length);
  variables.forEach((v, i) => expectGolden(module, c.name, `optimizer variable ${i}`, v, c.optimizer_variables![i]!, tolerance));
  tf.dispose([...x, predictions]);
  model.dispose();
}

/** Saved to `path` and loaded: the same predictions, bit for bit, and the same config. */
export function expectKerasRoundTrip(model: Model, x: tf.Tensor[], path: string): void {
  model.save(path);
  const loaded = keras.models.load_model(path) as Model;
  const [a, b] = [model.predict(x, { verbose: 0 }) as tf.Tensor, loaded.predict(x, { verbose: 0 }) as tf.Tensor];
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  expect(loaded.get_config()).toEqual(model.get_config());
  tf.dispose([a, b]);
  loaded.dispose();
}
