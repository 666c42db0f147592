/**
 * Bidirectional over stacked cells with `return_state`: each direction's states nested per cell,
 * as Keras 3 returns them (layers/rnn/bidirectional.ts, stacked_states.ts), against real Keras 3.16
 * (torch backend): test/fixtures/keras/bidirectional_stacked.json, written by
 * scripts/keras-golden/bidirectional_stacked.py. For each case: the eager call's nesting and values;
 * for each form of `initial_state` (nested per cell and direction, as Keras splits it) the nesting,
 * the values, and the gradients of C = Σ R_k · leaf_k: ∂C/∂x, ∂C/∂(each initial state) and ∂C/∂w of
 * the layer's backward equal torch autograd's and TensorFlow.js autodiff of the nested eager call;
 * the symbolic call's nesting; a functional model's flat `outputs`, nested `predict` and
 * `output_layers`. Then a functional encoder-decoder whose decoder starts from the encoder's nested
 * states trains one SGD step as autodiff of its eager layer calls says.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { compareNested, expectSymbolicAsKeras, leaves, structureOf, symbolicStates, tensors, type Structure, type Tree } from './nested_states.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';
import { Dense } from '../../src/layers/dense.js';
import { Concatenate } from '../../src/layers/merge/concatenate.js';
import { Input } from '../../src/layers/input_layer.js';
import { KerasTensor } from '../../src/layers/keras_tensor.js';
import { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import { GRUCell } from '../../src/layers/rnn/gru_cell.js';
import { LSTMCell } from '../../src/layers/rnn/lstm_cell.js';
import { RNN } from '../../src/layers/rnn/rnn.js';
import { SimpleRNNCell } from '../../src/layers/rnn/simple_rnn_cell.js';
import { StackedRNNCells } from '../../src/layers/rnn/user_cell.js';
import { Model } from '../../src/models/model.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { load_model } from '../../src/saving/index.js';
import { kerasFile } from '../saving/encoder_decoder_interop.js';


interface StateCase {
  name: string;
  states: Tree<GoldenTensor>;
  structure: Structure;
  output: Tree<GoldenTensor>;
  output_gradients: GoldenTensor[];
  input_gradient: GoldenTensor;
  state_gradients: Tree<GoldenTensor>;
  weight_gradients: GoldenTensor[];
  symbolic: Structure;
}

interface Case extends GoldenCase {
  cells: Array<[keyof typeof CELLS, number]>;
  stacked_rnn_cells: boolean;
  options: Record<string, boolean>;
  merge_mode: 'concat' | 'sum' | null;
  input: GoldenTensor;
  weights: GoldenTensor[];
  eager: { structure: Structure; output: Tree<GoldenTensor> };
  initial_states: StateCase[];
  symbolic: Structure;
  model: { outputs: number; predict_structure: Structure; predict: Tree<GoldenTensor>; output_layers: Tree<string | number> };
}

interface FileCase extends GoldenCase {
  file: string;
  x: GoldenTensor[];
  predictions: GoldenTensor;
  inbound_nodes: Record<string, unknown[]>;
}

const MODULE = 'bidirectional_stacked';
const fixture = loadFixture<Case | FileCase>(MODULE);
const layerCases = fixture.cases.filter((c): c is Case => 'cells' in c);
const [writtenByKeras, writtenHere] = fixture.cases.filter((c): c is FileCase => 'file' in c) as [FileCase, FileCase];
reportWorstErrors(MODULE);
const CELLS = { LSTMCell, GRUCell, SimpleRNNCell };

function makeLayer(c: Case) {
  const cells = c.cells.map(([name, units]) => CELLS[name](units));
  return Bidirectional(RNN(c.stacked_rnn_cells ? new StackedRNNCells(cells) : cells, { return_state: true, ...c.options }), { merge_mode: c.merge_mode });
}

/** The flat leaves put back in the nesting of `like`. */
function refill<T>(like: Tree<unknown>, flat: T[]): Tree<T> {
  let i = 0;
  const fill = (node: Tree<unknown>): Tree<T> => (Array.isArray(node) ? node.map(fill) : flat[i++]!);
  return fill(like);
}

describe('Bidirectional over stacked cells returns and takes its states nested as Keras 3 does', () => {
  afterAll(() => tf.disposeVariables());
  for (const c of layerCases) {
    it(c.name, () => {
      const tolerance = c.tolerance ?? fixture.tolerance;
      const compare = compareNested(MODULE, c.name, tolerance);
      const layer = makeLayer(c);
      const x = toTensor(c.input);
      layer.build([null, ...x.shape.slice(1)]);
      layer.set_weights(c.weights.map(toTensor));
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        compare(layer(x), c.eager, 'eager');
        for (const s of c.initial_states) {
          const given = tensors(s.states) as tf.Tensor[];
          compare(layer(x, { initial_state: given }), s, `eager, initial_state ${s.name}`);
          // The layer's backward on the flat list [x, ...forward states, ...backward states].
          const flatStates = leaves(given);
          const R = s.output_gradients.map(toTensor);
          const pass = layer.forward([x, ...flatStates], true);
          const { inputGradient, weightGradients } = layer.backward(R, pass, true);
          const [dx, ...dStates] = inputGradient as tf.Tensor[];
          expectGolden(MODULE, c.name, `${s.name}: dC/dx`, dx!, s.input_gradient, tolerance);
          expect(structureOf(refill(s.state_gradients, dStates))).toEqual(structureOf(s.state_gradients));
          leaves(s.state_gradients).forEach((e, j) => expectGolden(MODULE, c.name, `${s.name}: dC/d initial_state leaf ${j}`, dStates[j]!, e, tolerance));
          expect(weightGradients).toHaveLength(s.weight_gradients.length);
          weightGradients.forEach((g, k) => expectGolden(MODULE, c.name, `${s.name}: dC/dw ${k}`, g, s.weight_gradients[k]!, tolerance));
          // TensorFlow.js autodiff through the nested eager call: the states given nested, the result's leaves.
          const weights = layer.trainable_weights;
          const cost = () => tf.addN(leaves(layer(x, { initial_state: refill(s.states, flatStates) as tf.Tensor[] }) as Tree<tf.Tensor>).map((o, k) => tf.sum(tf.mul(o, R[k]!)))) as tf.Scalar;
          const autodiff = tf.grads((xIn: tf.Tensor, ...st: tf.Tensor[]) =>
            tf.addN(leaves(layer(xIn, { initial_state: refill(s.states, st) as tf.Tensor[] }) as Tree<tf.Tensor>).map((o, k) => tf.sum(tf.mul(o, R[k]!)))),
          )([x, ...flatStates]);
          const closeTo = (a: tf.Tensor, e: tf.Tensor, label: string) => expect(tf.max(tf.abs(tf.sub(a, e))).dataSync()[0]!, label).toBeLessThanOrEqual(1e-5 * Math.max(1, tf.max(tf.abs(e)).dataSync()[0]!));
          closeTo(dx!, autodiff[0]!, `${s.name}: dC/dx against tf.grads`);
          dStates.forEach((d, j) => closeTo(d, autodiff[1 + j]!, `${s.name}: dC/d initial_state leaf ${j} against tf.grads`));
          const { grads } = tf.variableGrads(cost, weights);
          weightGradients.forEach((g, k) => closeTo(g, grads[weights[k]!.name]!, `${s.name}: dC/dw ${k} against tf.variableGrads`));
        }
      });
      expect(tf.memory().numTensors).toBe(before);

      expectSymbolicAsKeras(c, () => makeLayer(c), layer, x, compare);
      x.dispose();
    });
  }
});

describe("a functional encoder-decoder over stacked cells, the decoder started from the encoder's nested states", () => {
  it('one SGD step moves every weight (the encoder\'s through the states) as autodiff of the eager layer calls', () => {
    const enc = Input([5, 3]);
    const dec = Input([4, 2]);
    const encoder = Bidirectional(RNN([LSTMCell(3), GRUCell(2)], { return_state: true }));
    const decoder = Bidirectional(RNN([LSTMCell(3), GRUCell(2)], { return_sequences: true }), { merge_mode: 'sum' });
    const head = Dense(1);
    const [, forwardLSTM, forwardGRU, backwardLSTM, backwardGRU] = encoder(enc) as [KerasTensor, KerasTensor[], KerasTensor, KerasTensor[], KerasTensor];
    expect(structureOf([forwardLSTM, forwardGRU, backwardLSTM, backwardGRU])).toEqual([['T', 'T'], 'T', ['T', 'T'], 'T']);
    const decoded = decoder(dec, { initial_state: [forwardLSTM!, forwardGRU!, backwardLSTM!, backwardGRU!] }) as KerasTensor;
    const model = Model([enc, dec], head(decoded) as KerasTensor);
    const learningRate = 0.1;
    model.compile({ optimizer: SGD({ learning_rate: learningRate }), loss: 'mean_squared_error' });
    const xe = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 81);
    const xd = tf.randomNormal([4, 4, 2], 0, 1, 'float32', 82);
    const y = tf.randomNormal([4, 4, 1], 0, 1, 'float32', 83);
    const weights = model.trainable_weights;
    const expected = tf.tidy(() => {
      const loss = () => {
        const [, ...states] = encoder(xe) as Tree<tf.Tensor>[];
        const out = head(decoder(xd, { initial_state: states as tf.Tensor[] }) as tf.Tensor) as tf.Tensor;
        return tf.mean(tf.square(tf.sub(out, y))) as tf.Scalar;
      };
      const { value, grads } = tf.variableGrads(loss, weights);
      return { loss: value.dataSync()[0]!, weights: weights.map((w) => tf.sub(w, tf.mul(grads[w.name]!, learningRate))) };
    });
    const initialEncoder = encoder.get_weights();
    const before = tf.memory().numTensors;
    const got = model.train_on_batch([xe, xd], y) as unknown as number;
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(got - expected.loss)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(expected.loss), 0.1));
    weights.forEach((w, k) => {
      const error = tf.tidy(() => tf.max(tf.abs(tf.sub(w, expected.weights[k]!))).dataSync()[0]!);
      expect(error, `weight ${k} (${w.name})`).toBeLessThanOrEqual(1e-6);
    });
    const moved = encoder.get_weights().map((w, j) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, initialEncoder[j]!))).dataSync()[0]!));
    expect(Math.min(...moved), 'every encoder weight moved').toBeGreaterThan(1e-5);
    tf.dispose([xe, xd, y, ...expected.weights, ...initialEncoder]);
    model.dispose();
  });
});

/** scripts/keras-golden/bidirectional_stacked_write.ts's model (and the Python script's), built here. */
function stackedSeq2seq() {
  const enc = Input([5, 3], { name: 'enc' });
  const dec = Input([4, 2], { name: 'dec' });
  const cells = () => [LSTMCell(3), GRUCell(2)];
  const [, fl, fg, bl, bg] = Bidirectional(RNN(cells(), { return_state: true }), { name: 'encoder' })(enc) as [KerasTensor, KerasTensor[], KerasTensor, KerasTensor[], KerasTensor];
  const y = Bidirectional(RNN(cells(), { return_sequences: true }), { merge_mode: 'sum', name: 'decoder' })(dec, { initial_state: [fl, fg, bl, bg] }) as KerasTensor;
  const [, l, g] = RNN(cells(), { return_state: true, name: 'renc' })(enc) as [KerasTensor, KerasTensor[], KerasTensor];
  const z = RNN(cells(), { return_sequences: true, name: 'rdec' })(dec, { initial_state: [l, g] }) as KerasTensor;
  return Model([enc, dec], Dense(1, { name: 'out' })(Concatenate()([y, z]) as KerasTensor) as KerasTensor, { name: 'stacked_seq2seq' });
}

/** The decoders' recorded calls as [layer, node, tensor] refs, nested as written. */
function decoderNodes(model: { get_config(): Record<string, unknown> }): Record<string, unknown> {
  const refs = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(refs);
    if (v !== null && typeof v === 'object') {
      const o = v as { class_name?: string; config?: { keras_history?: unknown } };
      if (o.class_name === '__keras_tensor__') return o.config!.keras_history;
      return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, refs(e)]));
    }
    return v;
  };
  const layers = model.get_config().layers as Array<{ name: string; inbound_nodes: unknown[] }>;
  return Object.fromEntries(layers.filter((l) => l.name === 'decoder' || l.name === 'rdec').map((l) => [l.name, refs(l.inbound_nodes)]));
}

describe("a model whose decoders start from stacked cells' states, nested per cell, saved as Keras 3 saves it", () => {
  it("writes initial_state nested in the decoders' inbound nodes, as Keras writes it ([[h, c], g, [h_b, c_b], g_b])", () => {
    const model = stackedSeq2seq();
    expect(decoderNodes(model)).toEqual(writtenByKeras.inbound_nodes);
    const restored = Model.from_config(model.get_config());
    expect(decoderNodes(restored)).toEqual(writtenByKeras.inbound_nodes);
    model.dispose();
    restored.dispose();
  });

  for (const c of [writtenByKeras, writtenHere]) {
    it(`${c.file} gives here the predictions Keras 3 computed from it, and its nested inbound nodes`, () => {
      const model = load_model(kerasFile(c.file)) as ReturnType<typeof Model>;
      const x = c.x.map(toTensor);
      const predictions = model.predict(x, { verbose: 0 }) as tf.Tensor;
      expectGolden(MODULE, c.name, 'predictions', predictions, c.predictions, fixture.tolerance);
      expect(decoderNodes(model)).toEqual(c.inbound_nodes);
      tf.dispose([...x, predictions]);
      model.dispose();
    });
  }
});
