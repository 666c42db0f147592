/**
 * Stacked cells' states as Keras 3 returns them (layers/rnn/stacked_states.ts), against real
 * Keras 3.16 (NumPy backend): test/fixtures/keras/layers_rnn_stacked.json, written by
 * scripts/keras-golden/layers_rnn_stacked.py. For each case: the eager call's nesting and numbers
 * (with and without `initial_state` in each form Keras takes), the symbolic call's nesting, and a
 * functional model's flat `outputs`, nested `predict` and nested `output_layers` in its config.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { compareNested, expectSymbolicAsKeras, leaves, structureOf, symbolicStates, tensors, type Structure, type Tree } from './nested_states.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';
import { Dense } from '../../src/layers/dense.js';
import { Input } from '../../src/layers/input_layer.js';
import { KerasTensor } from '../../src/layers/keras_tensor.js';
import { GRUCell } from '../../src/layers/rnn/gru_cell.js';
import { LSTMCell } from '../../src/layers/rnn/lstm_cell.js';
import { RNN } from '../../src/layers/rnn/rnn.js';
import { SimpleRNNCell } from '../../src/layers/rnn/simple_rnn_cell.js';
import { StackedRNNCells } from '../../src/layers/rnn/user_cell.js';
import { Model } from '../../src/models/model.js';

/** A result nested as Keras returns it: a tensor, or a list of results. */

interface Called {
  structure: Structure;
  output: Tree<GoldenTensor>;
}

interface Case extends GoldenCase {
  cells: Array<[keyof typeof CELLS, number]>;
  stacked_rnn_cells: boolean;
  options: Record<string, boolean>;
  input: GoldenTensor;
  weights: GoldenTensor[];
  eager: Called;
  symbolic: Structure;
  initial_states: Array<{ name: string; states: Tree<GoldenTensor>; eager?: Called; eager_error?: string; symbolic: Structure }>;
  model: { outputs: number; predict_structure: Structure; predict: Tree<GoldenTensor>; output_layers: Tree<string | number> };
}

const MODULE = 'layers_rnn_stacked';
const fixture = loadFixture<Case>(MODULE);
reportWorstErrors(MODULE);

const CELLS = { LSTMCell, GRUCell, SimpleRNNCell };

function makeLayer(c: Case) {
  const cells = c.cells.map(([name, units]) => CELLS[name](units));
  return RNN(c.stacked_rnn_cells ? new StackedRNNCells(cells) : cells, c.options);
}

describe('stacked cells return their states nested as Keras 3 does', () => {
  afterAll(() => tf.disposeVariables());
  for (const c of fixture.cases) {
    it(c.name, () => {
      const compare = compareNested(MODULE, c.name, c.tolerance ?? fixture.tolerance);
      const layer = makeLayer(c);
      const x = toTensor(c.input);
      layer.build([null, ...x.shape.slice(1)]);
      layer.set_weights(c.weights.map(toTensor));
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        compare(layer(x), c.eager, 'eager');
        for (const s of c.initial_states) {
          // Keras 3.16 fails on a flat list when a cell has two states; keras-like accepts it and answers flat.
          if (s.eager === undefined) {
            expect(s.eager_error).toBe('IndexError');
            expect(structureOf(layer(x, { initial_state: tensors(s.states) as tf.Tensor[] }))).toEqual(['T', ...leaves(s.states).map(() => 'T')]);
            continue;
          }
          compare(layer(x, { initial_state: tensors(s.states) as tf.Tensor[] }), s.eager, `eager, initial_state ${s.name}`);
        }
      });
      expect(tf.memory().numTensors).toBe(before);

      expectSymbolicAsKeras(c, () => makeLayer(c), layer, x, compare);
      x.dispose();
    });
  }
});

describe("a functional model's outputs nested in lists", () => {
  it('are flat in model.outputs, nested in model.output, predict and get_config, and come back nested from from_config', () => {
    const inputs = Input([3]);
    const [a, b, d] = [Dense(2, { name: 'a' }), Dense(1, { name: 'b' }), Dense(4, { name: 'd' })];
    const model = Model(inputs, [a(inputs), [b(inputs), d(inputs)]]);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 2], [null, 1], [null, 4]]);
    expect(structureOf(model.output)).toEqual(['T', ['T', 'T']]);
    expect(model.get_config().output_layers).toEqual([['a', 0, 0], [['b', 0, 0], ['d', 0, 0]]]);
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
    const predicted = model.predict(x, { verbose: 0 }) as unknown as [tf.Tensor, [tf.Tensor, tf.Tensor]];
    expect(structureOf(predicted)).toEqual(['T', ['T', 'T']]);
    // The numbers are the layers' own: predict only packs what the graph computed.
    const expected = [a, b, d].map((layer) => layer.apply(x) as tf.Tensor);
    leaves<tf.Tensor>(predicted).forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(expected[i]!.dataSync())));
    const restored = Model.from_config(model.get_config());
    expect(structureOf(restored.output)).toEqual(['T', ['T', 'T']]);
    expect(restored.outputs.map((t) => t.shape)).toEqual([[null, 2], [null, 1], [null, 4]]);
    tf.dispose([x, ...expected, ...leaves<tf.Tensor>(predicted)]);
    model.dispose();
    restored.dispose();
  });
});
