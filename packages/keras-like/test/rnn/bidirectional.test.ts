/**
 * Bidirectional: the explicit backward against TensorFlow.js autodiff of a reference written here
 * in plain tf ops from Keras 3's equations (not the code under test), Keras 3's structure (forward_/backward_ sublayers, weight order, states order), configs,
 * summary, training in a model and the constructor's Keras-worded errors. Keras's own numbers are
 * in test/parity/layers_rnn*.test.ts.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Bidirectional, Dense, GRU, GRUCell, keras, LSTM, RNN, Sequential, SimpleRNN, ValueError } from 'keras-like';

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

const list = (t: tf.Tensor | tf.Tensor[]) => (Array.isArray(t) ? t : [t]);

type Step = (x: tf.Tensor, states: tf.Tensor[], w: tf.Tensor[]) => tf.Tensor[];

/** Keras 3's LSTMCell: z = xW + hU + b, gates i, f, c, o (a reference in plain tf ops, not the code under test). */
const lstmStep: Step = (x, [h, c], [W, U, b]) => {
  const [zi, zf, zc, zo] = tf.split(tf.add(tf.add(tf.matMul(x, W!), tf.matMul(h!, U!)), b!), 4, 1);
  const cNext = tf.add(tf.mul(tf.sigmoid(zf!), c!), tf.mul(tf.sigmoid(zi!), tf.tanh(zc!)));
  return [tf.mul(tf.sigmoid(zo!), tf.tanh(cNext)), cNext];
};

/** Keras 3's GRUCell with reset_after=True (bias [2, 3u]). */
const gruStep: Step = (x, [h], [W, U, b]) => {
  const [bx, bh] = tf.unstack(b!, 0);
  const [xz, xr, xh] = tf.split(tf.add(tf.matMul(x, W!), bx!), 3, 1);
  const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h!, U!), bh!), 3, 1);
  const z = tf.sigmoid(tf.add(xz!, rz!));
  const hh = tf.tanh(tf.add(xh!, tf.mul(tf.sigmoid(tf.add(xr!, rr!)), rh!)));
  return [tf.add(tf.mul(z, h!), tf.mul(tf.sub(1, z), hh))];
};

interface Direction {
  step: Step;
  stateSizes: number[];
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
}

/**
 * Keras's backend.rnn for one direction: a masked step keeps the states, and (Bidirectional forces
 * zero_output_for_mask = return_sequences) outputs zeros. Returns [output, ...final states].
 */
function referenceLoop(d: Direction, x: tf.Tensor, weights: tf.Tensor[], mask: tf.Tensor | null): tf.Tensor[] {
  const [batch, steps] = x.shape as [number, number];
  let states = d.stateSizes.map((s) => tf.zeros([batch, s]));
  const outputs: tf.Tensor[] = [];
  for (let k = 0; k < steps; k++) {
    const t = d.goBackwards ? steps - 1 - k : k;
    const next = d.step(tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]), states, weights);
    const m = mask === null ? null : tf.slice(tf.cast(mask, 'bool'), [0, t], [-1, 1]);
    states = m === null ? next : next.map((s, j) => tf.where(m, s, states[j]!));
    outputs.push(m !== null && d.returnSequences ? tf.where(m, states[0]!, tf.zerosLike(states[0]!)) : states[0]!);
  }
  return [d.returnSequences ? tf.stack(outputs, 1) : outputs.at(-1)!, ...states];
}

/** Bidirectional written out: both directions, the backward's sequence flipped back, the merge. */
function referenceBidirectional(layer: Bidirectional, step: Step, x: tf.Tensor, weights: tf.Tensor[], mask: tf.Tensor | null): tf.Tensor[] {
  const f = layer.forward_layer;
  const half = weights.length / 2;
  const d = (goBackwards: boolean): Direction => ({ step, stateSizes: f.cell.state_size, returnSequences: f.return_sequences, returnState: f.return_state, goBackwards });
  const [y, ...forwardStates] = referenceLoop(d(false), x, weights.slice(0, half), mask);
  const [yBackward, ...backwardStates] = referenceLoop(d(true), x, weights.slice(half), mask);
  const yRev = f.return_sequences ? tf.reverse(yBackward!, 1) : yBackward!;
  const merged = { concat: [tf.concat([y!, yRev], -1)], sum: [tf.add(y!, yRev)], ave: [tf.div(tf.add(y!, yRev), 2)], mul: [tf.mul(y!, yRev)], none: [y!, yRev] }[layer.merge_mode ?? 'none'];
  return f.return_state ? [...merged, ...forwardStates, ...backwardStates] : merged;
}

/** C = Σ_k Σ R_k ⊙ output_k: the hand-written backward against tf.grads of the reference above. */
function checkAgainstAutodiff(layer: Bidirectional, step: Step, x: tf.Tensor, mask: tf.Tensor | null = null): void {
  const pass = layer.forward(x, true, mask);
  const outputs = list(pass.outputs);
  const weights = layer.trainable_weights;
  const reference = referenceBidirectional(layer, step, x, weights, mask);
  expect(outputs).toHaveLength(reference.length);
  outputs.forEach((o, k) => expect(relativeError(o, reference[k]!)).toBeLessThan(1e-5));
  const R = outputs.map((o, k) => tf.randomUniform(o.shape, -1, 1, 'float32', 20 + k));
  const { inputGradient, weightGradients } = layer.backward(Array.isArray(pass.outputs) ? R : R[0]!, pass, true);
  const grads = tf.grads((xIn: tf.Tensor, ...w: tf.Tensor[]) => tf.addN(referenceBidirectional(layer, step, xIn, w, mask).map((o, k) => tf.sum(tf.mul(o, R[k]!)))));
  const [dx, ...dw] = grads([x, ...weights]);
  expect(relativeError(inputGradient as tf.Tensor, dx!)).toBeLessThan(1e-5);
  expect(weightGradients).toHaveLength(weights.length);
  weightGradients.forEach((g, i) => expect(relativeError(g, dw[i]!)).toBeLessThan(1e-5));
}

describe('Bidirectional backward against autodiff', () => {
  const x = () => tf.randomUniform([3, 5, 2], -1, 1, 'float32', 7);
  for (const merge_mode of ['concat', 'sum', 'mul', 'ave', null] as const) {
    for (const return_sequences of [false, true]) {
      it(`LSTM merge_mode=${merge_mode} return_sequences=${return_sequences}`, () => {
        tf.tidy(() => {
          const layer = Bidirectional(LSTM(3, { return_sequences, bias_initializer: 'random_normal' }), { merge_mode });
          layer.build([null, 5, 2]);
          checkAgainstAutodiff(layer, lstmStep, x());
          layer.dispose();
        });
      });
    }
  }

  it('return_state: [output, forward h, c, backward h, c], each with its own ∂C', () => {
    tf.tidy(() => {
      const layer = Bidirectional(LSTM(3, { return_state: true, return_sequences: true }));
      layer.build([null, 5, 2]);
      checkAgainstAutodiff(layer, lstmStep, x());
      layer.dispose();
    });
  });

  it('a mask, GRU, merge_mode=null with return_state', () => {
    tf.tidy(() => {
      const layer = Bidirectional(GRU(2, { return_sequences: true, return_state: true }), { merge_mode: null });
      layer.build([null, 5, 2]);
      const mask = tf.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]], undefined, 'bool');
      checkAgainstAutodiff(layer, gruStep, x(), mask);
      layer.dispose();
    });
  });

  it('a frozen layer gives no weight gradients and still passes ∂C/∂x', () => {
    tf.tidy(() => {
      const layer = Bidirectional(SimpleRNN(2));
      layer.build([null, 5, 2]);
      layer.trainable = false;
      const pass = layer.forward(x(), true);
      const g = layer.backward(tf.onesLike(pass.outputs as tf.Tensor), pass, true);
      expect(g.weightGradients).toEqual([]);
      expect((g.inputGradient as tf.Tensor).shape).toEqual([3, 5, 2]);
      layer.dispose();
    });
  });
});

describe("Keras 3's structure", () => {
  it('two new sublayers, forward_<name> and backward_<name>, tracked in that order', () => {
    keras.backend.clear_session();
    const lstm = LSTM(4, { return_sequences: true });
    const layer = Bidirectional(lstm);
    expect(layer.name).toBe('bidirectional');
    expect(layer.forward_layer).not.toBe(lstm);
    expect([layer.forward_layer.name, layer.backward_layer.name]).toEqual(['forward_lstm', 'backward_lstm']);
    expect([layer.forward_layer.go_backwards, layer.backward_layer.go_backwards]).toEqual([false, true]);
    // Keras forces zero outputs at masked steps of a returned sequence.
    expect([layer.forward_layer.zero_output_for_mask, layer.backward_layer.zero_output_for_mask]).toEqual([true, true]);
    layer.build([null, 5, 3]);
    expect(lstm.built).toBe(false);
    expect(layer.weights).toEqual([...layer.forward_layer.weights, ...layer.backward_layer.weights]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 16], [4, 16], [16], [3, 16], [4, 16], [16]]);
    expect(layer.count_params()).toBe(2 * (3 * 16 + 4 * 16 + 16));
    layer.dispose();
    lstm.dispose();
  });

  it('output shapes (compute_output_shape, symbolic calls) as Keras 3', () => {
    const shape = (o: Parameters<typeof Bidirectional>[1], inner: RNN = LSTM(4, { return_state: true })) => Bidirectional(inner, o).compute_output_shape([null, 5, 3]);
    expect(shape({ merge_mode: 'concat' })).toEqual([[null, 8], [null, 4], [null, 4], [null, 4], [null, 4]]);
    expect(shape({ merge_mode: null })).toEqual([[null, 4], [null, 4], [null, 4], [null, 4], [null, 4], [null, 4]]);
    expect(shape({ merge_mode: 'sum' }, LSTM(4, { return_sequences: true }))).toEqual([null, 5, 4]);
    expect(shape({ merge_mode: null }, GRU(2, { return_sequences: true }))).toEqual([[null, 5, 2], [null, 5, 2]]);
    const inputs = keras.Input({ shape: [5, 3] });
    const outputs = Bidirectional(SimpleRNN(2, { return_state: true }))(inputs) as unknown as keras.KerasTensor[];
    expect(outputs.map((t) => t.shape)).toEqual([[null, 4], [null, 2], [null, 2]]);
  });

  it("`weights` sets the initial weights, forward half first; Python's positional merge_mode", () => {
    tf.tidy(() => {
      const source = Bidirectional(SimpleRNN(2));
      source.build([null, 4, 1]);
      const weights = source.get_weights();
      const copy = Bidirectional(SimpleRNN(2), { weights });
      copy.build([null, 4, 1]);
      copy.weights.forEach((w, i) => expect(w.arraySync()).toEqual(weights[i]!.arraySync()));
      expect(Bidirectional(SimpleRNN(2), null).merge_mode).toBeNull();
      expect(Bidirectional(SimpleRNN(2), 'mul').merge_mode).toBe('mul');
      source.dispose();
      copy.dispose();
    });
  });

  it('get_config / from_config / keras.layers.deserialize give the same layer and outputs', () => {
    tf.tidy(() => {
      const layer = Bidirectional(LSTM(3, { return_sequences: true }), { merge_mode: 'ave' });
      const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 3);
      const y = layer.apply(x) as tf.Tensor;
      const copy = keras.layers.deserialize(keras.layers.serialize(layer as never)) as unknown as Bidirectional;
      expect(copy).toBeInstanceOf(Bidirectional);
      expect(copy.merge_mode).toBe('ave');
      expect([copy.forward_layer.name, copy.backward_layer.name]).toEqual([layer.forward_layer.name, layer.backward_layer.name]);
      // Built as the source (its directions' build_config is in the config once built, as Keras writes it).
      copy.build([null, 4, 2]);
      expect(copy.get_config()).toEqual(layer.get_config());
      copy.set_weights(layer.get_weights());
      expect(relativeError(copy.apply(x) as tf.Tensor, y)).toBe(0);
      layer.dispose();
      copy.dispose();
    });
  });

  it('Bidirectional(RNN(GRUCell(2))) copies the RNN through its config (the cell serialized) and computes Bidirectional(GRU(2))', () => {
    tf.tidy(() => {
      const viaCell = Bidirectional(RNN(GRUCell(2), { return_sequences: true }));
      const viaLayer = Bidirectional(GRU(2, { return_sequences: true }));
      expect(viaCell.backward_layer.cell).toBeInstanceOf(GRUCell);
      expect(viaCell.backward_layer.go_backwards).toBe(true);
      const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 12);
      viaLayer.build([null, 4, 3]);
      viaCell.build([null, 4, 3]);
      viaCell.set_weights(viaLayer.get_weights());
      expect(relativeError(viaCell.apply(x) as tf.Tensor, viaLayer.apply(x) as tf.Tensor)).toBe(0);
      const copy = keras.layers.deserialize(keras.layers.serialize(viaCell as never)) as unknown as Bidirectional;
      copy.build([null, 4, 3]);
      expect(copy.get_config()).toEqual(viaCell.get_config());
      viaCell.dispose();
      viaLayer.dispose();
      copy.dispose();
    });
  });

  it('a given backward_layer is used as is', () => {
    const backward = LSTM(3, { activation: 'relu', go_backwards: true });
    const layer = Bidirectional(LSTM(3), { backward_layer: backward });
    expect(layer.backward_layer).toBe(backward);
    expect(layer.get_config().backward_layer).toMatchObject({ class_name: 'LSTM', config: { activation: 'relu', go_backwards: true } });
  });

  it('stateful: both directions keep their states; reset_states zeroes them', () => {
    tf.tidy(() => {
      const layer = Bidirectional(SimpleRNN(2, { stateful: true }));
      const x = tf.randomUniform([2, 3, 1], -1, 1, 'float32', 9);
      const first = layer.apply(x) as tf.Tensor;
      expect(layer.states).toHaveLength(2);
      expect(relativeError(layer.apply(x) as tf.Tensor, first)).toBeGreaterThan(1e-3);
      layer.reset_states();
      expect(relativeError(layer.apply(x) as tf.Tensor, first)).toBe(0);
      layer.dispose();
    });
    expect(() => Bidirectional(SimpleRNN(2)).reset_states()).toThrow(ValueError);
  });
});

describe('in a model', () => {
  it('Sequential: input_shape from the wrapped layer, summary, fit lowers the loss, no tensor left behind', () => {
    keras.backend.clear_session();
    keras.utils.set_random_seed(16);
    const model = Sequential();
    // The course's Bidirectional(LSTM(50, activation='relu'), input_shape=(n_steps, n_features)) and the
    // spelling with input_shape on the LSTM.
    model.add(Bidirectional(LSTM(8, { activation: 'relu', input_shape: [3, 1] })));
    model.add(Dense(1));
    const lines: string[] = [];
    model.summary({ print_fn: (line: string) => lines.push(line) });
    const row = lines.find((l) => l.startsWith(' bidirectional (Bidirectiona'))!;
    expect(row).toContain('(None, 16)');
    expect(row).toContain(String(2 * (1 * 32 + 8 * 32 + 32)));
    model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
    // The notebook's sequence problem: [10, 20, 30] → 40, ...
    const X = tf.tensor3d([[[10], [20], [30]], [[20], [30], [40]], [[30], [40], [50]], [[40], [50], [60]]]).div(100);
    const y = tf.tensor2d([[40], [50], [60], [70]]).div(100);
    const first = model.fit(X, y, { epochs: 1, verbose: 0 }).history.loss[0]!;
    const before = tf.memory().numTensors;
    const last = model.fit(X, y, { epochs: 60, verbose: 0 }).history.loss.at(-1)!;
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first / 4);
    model.dispose();
    tf.dispose([X, y]);
  });

  it('return_state: a functional model reads the states; Sequential refuses the layer (several outputs)', () => {
    keras.backend.clear_session();
    const inputs = keras.Input({ shape: [4, 2] });
    const [merged, hForward, , hBackward] = Bidirectional(LSTM(3, { return_state: true }))(inputs) as unknown as keras.KerasTensor[];
    const model = keras.Model({ inputs, outputs: [merged!, hForward!, hBackward!] });
    const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 5);
    const [m, hf, hb] = model.predict(x, { verbose: 0 }) as tf.Tensor[];
    // concat: the forward half of the merged output is the forward direction's last h, the other half the backward's.
    expect(relativeError(tf.slice(m!, [0, 0], [-1, 3]), hf!)).toBe(0);
    expect(relativeError(tf.slice(m!, [0, 3], [-1, 3]), hb!)).toBe(0);
    tf.dispose([x, m!, hf!, hb!]);
    model.dispose();
  });
});
