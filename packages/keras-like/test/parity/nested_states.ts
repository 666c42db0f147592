/**
 * Shared by the parity tests of recurrent layers whose states come back nested (stacked cells, and
 * Bidirectional over them): trees of golden tensors, their structure written as 'T' leaves, and the
 * symbolic half of a case (the layer on KerasTensors and a functional model around it) checked
 * against what Keras 3 recorded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { expectGolden, toTensor, type GoldenTensor, type Tolerance } from './golden.js';
import { Input } from '../../src/layers/input_layer.js';
import { KerasTensor } from '../../src/layers/keras_tensor.js';
import type { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import type { RNN } from '../../src/layers/rnn/rnn.js';
import { Model } from '../../src/models/model.js';

export type Tree<T> = T | Tree<T>[];
export type Structure = Tree<'T'>;
/** The layers whose states come back nested. */
type NestingLayer = RNN | Bidirectional;

export const structureOf = (value: unknown): Structure => (Array.isArray(value) ? value.map(structureOf) : 'T');
export const leaves = <T>(tree: Tree<T>): T[] => (Array.isArray(tree) ? tree.flatMap((t) => leaves(t)) : [tree]);
/** Golden tensors → tf tensors, nested the same way (an `initial_state` as Keras was given it). */
export const tensors = (tree: Tree<GoldenTensor>): Tree<tf.Tensor> => (Array.isArray(tree) ? tree.map(tensors) : toTensor(tree));
/** KerasTensors shaped as the states, nested the same way. */
export const symbolicStates = (tree: Tree<GoldenTensor>): Tree<KerasTensor> => (Array.isArray(tree) ? tree.map(symbolicStates) : Input([tree.shape[1]!]));

/** Compares a nested result with Keras's: the structure exactly, then each leaf within `tolerance`. */
export type CompareNested = (actual: unknown, expected: { structure: Structure; output: Tree<GoldenTensor> }, label: string) => void;
export function compareNested(module: string, caseName: string, tolerance: Tolerance): CompareNested {
  return (actual, expected, label) => {
    expect(structureOf(actual), label).toEqual(expected.structure);
    const ours = leaves(actual as Tree<tf.Tensor>);
    leaves(expected.output).forEach((e, i) => expectGolden(module, caseName, `${label} ${i}`, ours[i]!, e, tolerance));
  };
}

/** What a case recorded of Keras's symbolic call and of the functional model around the layer. */
export interface SymbolicCase {
  input: GoldenTensor;
  initial_states: Array<{ name: string; states: Tree<GoldenTensor>; symbolic: Structure }>;
  symbolic: Structure;
  model: { outputs: number; predict_structure: Structure; predict: Tree<GoldenTensor>; output_layers: Tree<string | number> };
}

/**
 * The layer on KerasTensors (with each initial_state given nested, on a fresh layer from `makeLayer`)
 * nests its outputs as Keras's did; a Model on `layer`'s outputs has them flat in `outputs`, nested in
 * `output` and `predict` (compared by `compare`), and Keras's nested `output_layers` refs.
 */
export function expectSymbolicAsKeras(
  c: SymbolicCase,
  makeLayer: () => NestingLayer,
  layer: NestingLayer,
  x: tf.Tensor,
  compare: CompareNested,
): void {
  for (const s of c.initial_states) {
    const symbolic = makeLayer()(Input(c.input.shape.slice(1)), { initial_state: symbolicStates(s.states) as KerasTensor[] });
    expect(structureOf(symbolic), `symbolic, initial_state ${s.name}`).toEqual(s.symbolic);
  }
  const inputs = Input(c.input.shape.slice(1));
  const outputs = layer(inputs);
  expect(structureOf(outputs), 'symbolic').toEqual(c.symbolic);
  const model = Model(inputs, outputs as KerasTensor[]);
  expect(model.outputs).toHaveLength(c.model.outputs);
  expect(model.outputs.every((t) => t instanceof KerasTensor)).toBe(true);
  expect(structureOf(model.output)).toEqual(c.symbolic);
  tf.tidy(() => compare(model.predict(x, { verbose: 0 }), { structure: c.model.predict_structure, output: c.model.predict }, 'predict'));
  // Keras's refs, nested as the outputs, e.g. [[rnn, 0, 0], [[rnn, 0, 1], [rnn, 0, 2]], [rnn, 0, 3]].
  const rename = (tree: Tree<string | number>): Tree<string | number> => (Array.isArray(tree) ? tree.map(rename) : typeof tree === 'string' ? layer.name : tree);
  expect(model.get_config().output_layers).toEqual(rename(c.model.output_layers));
  model.dispose();
}
