/**
 * RNN(cell) with a cell written by the user (Keras 3's duck-typed cell): a cell computing what
 * SimpleRNNCell computes gives the built-in's outputs and gradients (the built-in's backward is
 * hand-written; the user's comes from TensorFlow.js autodiff), lists of cells stack, and a
 * Keras-docstring MinimalRNNCell trains in a model.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras, Dense, LSTM, LSTMCell, RNN, Sequential, SimpleRNN, ValueError, type Shape } from 'keras-like';
import type { KerasTensor } from '../../src/layers/keras_tensor.js';

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return worst / Math.max(scale, 1e-12);
}

/** SimpleRNNCell written as a user would: h(t) = tanh(x(t) W + h(t−1) U + b). */
class MySimpleRNNCell extends keras.layers.AbstractRNNCell {
  kernel!: tf.Variable;
  recurrent_kernel!: tf.Variable;
  bias!: tf.Variable;
  constructor(readonly units: number) {
    super();
  }
  get state_size(): number {
    return this.units;
  }
  override build(input_shape: Shape): void {
    this.kernel = this.add_weight({ name: 'kernel', shape: [input_shape[1]!, this.units] });
    this.recurrent_kernel = this.add_weight({ name: 'recurrent_kernel', shape: [this.units, this.units], initializer: 'orthogonal' });
    this.bias = this.add_weight({ name: 'bias', shape: [this.units], initializer: 'zeros' });
    super.build(input_shape);
  }
  call(inputs: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const h = tf.tanh(tf.add(tf.add(tf.matMul(inputs, this.kernel), tf.matMul(states[0]!, this.recurrent_kernel)), this.bias));
    return [h, [h]];
  }
}

const list = (t: tf.Tensor | tf.Tensor[]) => (Array.isArray(t) ? t : [t]);

describe('a user cell equal to SimpleRNNCell matches the built-in SimpleRNN', () => {
  const variants: Array<[string, Record<string, boolean>, number[][] | null]> = [
    ['the last output', {}, null],
    ['return_sequences', { return_sequences: true }, null],
    ['go_backwards + return_sequences', { go_backwards: true, return_sequences: true }, null],
    ['return_state', { return_state: true, return_sequences: true }, null],
    ['a mask', {}, [[1, 1, 1, 0, 0], [1, 0, 1, 1, 1], [0, 1, 1, 1, 0]]],
    ['a mask + return_sequences + zero_output_for_mask', { return_sequences: true, zero_output_for_mask: true }, [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]]],
  ];
  for (const [label, options, maskRows] of variants) {
    it(label, () => {
      const before = tf.memory().numTensors;
      const builtIn = SimpleRNN(4, { ...options, bias_initializer: 'random_normal' });
      const custom = RNN(new MySimpleRNNCell(4), options);
      builtIn.build([null, 5, 3]);
      custom.build([null, 5, 3]);
      expect(custom.weights.map((w) => w.shape)).toEqual(builtIn.weights.map((w) => w.shape));
      tf.tidy(() => custom.set_weights(builtIn.get_weights()));
      tf.tidy(() => {
        const x = tf.randomUniform([3, 5, 3], -1, 1, 'float32', 4);
        const mask = maskRows === null ? null : tf.tensor2d(maskRows, undefined, 'bool');
        const a = builtIn.forward(x, true, mask);
        const b = custom.forward(x, true, mask);
        list(b.outputs).forEach((o, k) => expect(relativeError(o, list(a.outputs)[k]!)).toBeLessThan(1e-6));
        const R = list(a.outputs).map((o, k) => tf.randomUniform(o.shape, -1, 1, 'float32', 30 + k));
        const dOut = Array.isArray(a.outputs) ? R : R[0]!;
        const ga = builtIn.backward(dOut, a, true);
        const gb = custom.backward(dOut, b, true);
        expect(relativeError(gb.inputGradient as tf.Tensor, ga.inputGradient as tf.Tensor)).toBeLessThan(1e-5);
        expect(gb.weightGradients).toHaveLength(3);
        gb.weightGradients.forEach((g, i) => expect(relativeError(g, ga.weightGradients[i]!)).toBeLessThan(1e-5));
      });
      builtIn.dispose();
      custom.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('user cells in models', () => {
  it("Keras's MinimalRNNCell docstring: RNN(cell) on keras.Input, then fit lowers the loss without leaking", () => {
    keras.backend.clear_session();
    keras.utils.set_random_seed(3);
    // class MinimalRNNCell(keras.Layer): state_size = units; call returns output, [output]
    class MinimalRNNCell extends keras.layers.AbstractRNNCell {
      kernel!: tf.Variable;
      recurrent_kernel!: tf.Variable;
      constructor(readonly units: number) {
        super();
      }
      get state_size(): number {
        return this.units;
      }
      override build(input_shape: Shape): void {
        this.kernel = this.add_weight({ shape: [input_shape.at(-1)!, this.units], initializer: 'uniform', name: 'kernel' });
        this.recurrent_kernel = this.add_weight({ shape: [this.units, this.units], initializer: 'uniform', name: 'recurrent_kernel' });
      }
      call(inputs: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
        const output = tf.add(tf.matMul(inputs, this.kernel), tf.matMul(states[0]!, this.recurrent_kernel));
        return [output, [output]];
      }
    }
    const cell = new MinimalRNNCell(8);
    const x = keras.Input({ shape: [null, 2] });
    const y = RNN(cell)(x);
    expect((y as keras.KerasTensor).shape).toEqual([null, 8]);
    const model = Sequential([keras.Input({ shape: [6, 2] }), RNN(new MinimalRNNCell(8)), Dense(1)]);
    expect(model.layers[0]!.weights.map((w) => w.name.replace(/_\d+$/, '').split('/').at(-1))).toEqual(['kernel', 'recurrent_kernel']);
    model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
    const X = tf.randomUniform([32, 6, 2], 0, 0.3, 'float32', 8);
    const target = tf.sum(X, [1, 2]).reshape([32, 1]);
    const first = model.fit(X, target, { epochs: 1, verbose: 0 }).history.loss[0]!;
    const before = tf.memory().numTensors;
    const last = model.fit(X, target, { epochs: 40, verbose: 0 }).history.loss.at(-1)!;
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first / 4);
    model.dispose();
    tf.dispose([X, target]);
  });

  it('a list of cells is StackedRNNCells: two LSTMCells give what two stacked LSTM layers give', () => {
    tf.tidy(() => {
      const stacked = RNN([LSTMCell(3), LSTMCell(2)], { return_state: true });
      const first = LSTM(3, { return_sequences: true });
      const second = LSTM(2, { return_state: true });
      const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 6);
      stacked.build([null, 4, 3]);
      first.build([null, 4, 3]);
      second.build([null, 4, 3]);
      expect(stacked.weights.map((w) => w.shape)).toEqual([...first.weights, ...second.weights].map((w) => w.shape));
      stacked.set_weights([...first.get_weights(), ...second.get_weights()]);
      // Each cell's states in a list of its own, as Keras 3's eager call returns them (stacked_states.ts).
      const [out, [h1, c1], [h2, c2]] = stacked(x) as [tf.Tensor, tf.Tensor[], tf.Tensor[]];
      const [out2, h2b, c2b] = second.apply(first.apply(x) as tf.Tensor) as tf.Tensor[];
      expect(relativeError(out!, out2!)).toBeLessThan(1e-6);
      expect(relativeError(h2!, h2b!)).toBeLessThan(1e-6);
      expect(relativeError(c2!, c2b!)).toBeLessThan(1e-6);
      expect([h1!.shape, c1!.shape]).toEqual([[2, 3], [2, 3]]);
      stacked.dispose();
      first.dispose();
      second.dispose();
    });
  });

  it("a list of built-in cells trains: its gradients equal two stacked layers' (their hand-written BPTT), on wasm too", () => {
    // The stack runs its cells under autodiff; on wasm a step's cutting into gates had no gradient (time_steps.ts).
    tf.tidy(() => {
      const stacked = RNN([LSTMCell(3), keras.layers.GRUCell(2)]);
      const first = LSTM(3, { return_sequences: true });
      const second = keras.layers.GRU(2);
      const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 7);
      stacked.build([null, 4, 3]);
      first.build([null, 4, 3]);
      second.build([null, 4, 3]);
      stacked.set_weights([...first.get_weights(), ...second.get_weights()]);
      const dOut = tf.randomUniform([2, 2], -1, 1, 'float32', 8);
      const pass = stacked.forward(x, true);
      const ours = stacked.backward(dOut, pass, true);
      const p1 = first.forward(x, true);
      const p2 = second.forward(p1.outputs as tf.Tensor, true);
      const g2 = second.backward(dOut, p2, true);
      const g1 = first.backward(g2.inputGradient as tf.Tensor, p1, true);
      [...g1.weightGradients, ...g2.weightGradients].forEach((g, i) => expect(relativeError(ours.weightGradients[i]!, g)).toBeLessThan(1e-5));
      expect(relativeError(ours.inputGradient as tf.Tensor, g1.inputGradient as tf.Tensor)).toBeLessThan(1e-5);
      [stacked, first, second].forEach((l) => l.dispose());
    });
  });

  it('a plain object cell without weights, with its own get_initial_state', () => {
    tf.tidy(() => {
      // A running sum that starts from ones: h(t) = h(t−1) + x(t).
      const cell = {
        state_size: 2,
        call: (inputs: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] => {
          const h = tf.add(states[0]!, inputs);
          return [h, [h]];
        },
        get_initial_state: (batch_size: number) => tf.ones([batch_size, 2]),
      };
      expect(RNN(cell).return_sequences).toBe(false);
      const layer = RNN(cell, { return_sequences: true });
      const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
      expect((layer.apply(x) as tf.Tensor).arraySync()).toEqual([[[2, 3], [5, 7], [10, 13]]]);
      expect(layer.weights).toEqual([]);
      // Its input gradient comes from autodiff: each x(t) reaches every later output.
      const pass = layer.forward(x, true);
      const { inputGradient } = layer.backward(tf.onesLike(pass.outputs as tf.Tensor), pass, true);
      expect((inputGradient as tf.Tensor).arraySync()).toEqual([[[3, 3], [2, 2], [1, 1]]]);
    });
  });

  it("Keras's errors for a cell without call or state_size", () => {
    expect(() => RNN({ cell: { state_size: 2 } } as never)).toThrow(new ValueError('Argument `cell` should have a `call` method. Received: cell={state_size: 2}'));
    expect(() => RNN({ call: () => null } as never)).toThrow(
      new ValueError('The RNN cell should have a `state_size` attribute (single integer or list of integers, one integer per RNN state). Received: cell={call: <function call>}'),
    );
  });
});

describe("stacked cells' states given and returned nested (stacked_states.ts)", () => {
  /** An encoder RNN([LSTMCell, GRUCell]) whose states start a decoder's, passed as `pass` makes them from [h1, c1], h2. */
  function seq2seq(pass: (h1: KerasTensor, c1: KerasTensor, h2: KerasTensor) => unknown, weights: tf.Tensor[] | null) {
    const source = keras.Input([4, 3]);
    const target = keras.Input([3, 2]);
    const [, [h1, c1], h2] = RNN([LSTMCell(3), keras.layers.GRUCell(2)], { return_state: true })(source) as [KerasTensor, KerasTensor[], KerasTensor];
    const decoded = RNN([LSTMCell(3), keras.layers.GRUCell(2)])(target, { initial_state: pass(h1!, c1!, h2) as KerasTensor[] });
    const model = keras.Model({ inputs: [source, target], outputs: Dense(1)(decoded as KerasTensor) });
    if (weights !== null) model.set_weights(weights);
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.5 }), loss: 'mse' });
    return model;
  }

  it('a decoder given [[h1, c1], h2] trains as one given the flat [h1, c1, h2]: the same weights after 3 SGD steps, the encoder included', () => {
    const x = [tf.randomNormal([6, 4, 3], 0, 1, 'float32', 1), tf.randomNormal([6, 3, 2], 0, 1, 'float32', 2)];
    const y = tf.randomNormal([6, 1], 0, 1, 'float32', 3);
    const nested = seq2seq((h1, c1, h2) => [[h1, c1], h2], null);
    const start = nested.get_weights();
    const flat = seq2seq((h1, c1, h2) => [h1, c1, h2], start);
    const before = tf.memory().numTensors;
    for (const model of [nested, flat]) model.fit(x, y, { epochs: 3, batch_size: 6, verbose: 0, shuffle: false });
    expect(tf.memory().numTensors).toBe(before);
    const [a, b] = [nested.get_weights(), flat.get_weights()];
    a.forEach((w, i) => expect(relativeError(w, b[i]!)).toBeLessThan(1e-6));
    // The encoder's kernel moved: the decoder's ∂C/∂states(0) reached it through the nested states.
    expect(relativeError(a[0]!, start[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([...x, y, ...start, ...a, ...b]);
    nested.dispose();
    flat.dispose();
  });

  it('a nested initial_state with the wrong number of states fails at the call, with the layer’s message', () => {
    const rnn = RNN([LSTMCell(3), keras.layers.GRUCell(2)]);
    const x = tf.zeros([2, 4, 3]);
    expect(() => rnn(x, { initial_state: [[tf.zeros([2, 3])], [tf.zeros([2, 2])]] })).toThrow(
      new ValueError(`Layer "${rnn.name}" expects 3 initial state tensor(s) (the cell's state_size is [3, 3, 2]), but it received 2: (2, 3), (2, 2)`),
    );
    tf.dispose(x);
    rnn.dispose();
  });
});
