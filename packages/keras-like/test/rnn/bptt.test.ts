/**
 * Back-propagation through time, checked against TensorFlow.js autodiff: each recurrent
 * layer's hand-written backward (rnn.ts + the cells) against `tf.grads` of a reference
 * forward written here with plain tf ops from Keras 3's equations (not the code under test).
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LSTM, type LSTMOptions } from '../../src/layers/rnn/lstm.js';
import { SimpleRNN } from '../../src/layers/rnn/simple_rnn.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import type { RNNLayer } from '../../src/layers/rnn/rnn.js';

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

type Step = (x: tf.Tensor, states: tf.Tensor[], w: tf.Tensor[]) => tf.Tensor[];

/** Keras 3's LSTMCell.call (implementation 2): z = xW + hU + b, gates i, f, c, o. */
const lstmStep =
  (act: (z: tf.Tensor) => tf.Tensor = tf.tanh, sigma: (z: tf.Tensor) => tf.Tensor = tf.sigmoid): Step =>
  (x, [h, c], [W, U, b]) => {
    const z = tf.add(tf.add(tf.matMul(x, W!), tf.matMul(h!, U!)), b!);
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const cNext = tf.add(tf.mul(sigma(zf!), c!), tf.mul(sigma(zi!), act(zc!)));
    return [tf.mul(sigma(zo!), act(cNext)), cNext];
  };

/** Keras 3's GRUCell.call (implementation 2), reset_after True (bias [2, 3u]) or False (bias [3u]). */
const gruStep =
  (resetAfter: boolean, act: (z: tf.Tensor) => tf.Tensor = tf.tanh): Step =>
  (x, [h], [W, U, b]) => {
    const u = h!.shape[1]!;
    const [bx, bh] = resetAfter ? tf.unstack(b!, 0) : [b!, null];
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(x, W!), bx!), 3, 1);
    let hh: tf.Tensor, z: tf.Tensor;
    if (resetAfter) {
      const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h!, U!), bh!), 3, 1);
      z = tf.sigmoid(tf.add(xz!, rz!));
      hh = act(tf.add(xh!, tf.mul(tf.sigmoid(tf.add(xr!, rr!)), rh!)));
    } else {
      const [rz, rr] = tf.split(tf.matMul(h!, tf.slice(U!, [0, 0], [-1, 2 * u])), 2, 1);
      z = tf.sigmoid(tf.add(xz!, rz!));
      const r = tf.sigmoid(tf.add(xr!, rr!));
      hh = act(tf.add(xh!, tf.matMul(tf.mul(r, h!), tf.slice(U!, [0, 2 * u], [-1, u]))));
    }
    return [tf.add(tf.mul(z, h!), tf.mul(tf.sub(1, z), hh))];
  };

/** Activations for the LSTM cases: a user's (no hand-written derivative) and Keras 3's hard_sigmoid, relu6(z + 3) / 6. */
const steep = (z: tf.Tensor) => tf.sigmoid(tf.mul(z, 2));
const hardSigmoid = (z: tf.Tensor) => tf.clipByValue(tf.add(tf.div(z, 6), 0.5), 0, 1);

const simpleStepWith =
  (act: (z: tf.Tensor) => tf.Tensor): Step =>
  (x, [h], [W, U, b]) => [act(tf.add(tf.add(tf.matMul(x, W!), tf.matMul(h!, U!)), b!))];
const simpleStep = simpleStepWith(tf.tanh);

interface LoopOptions {
  returnSequences: boolean;
  goBackwards: boolean;
  mask: number[][] | null;
}

/** Keras's backend.rnn: steps in order (reversed with go_backwards), a masked step keeps the states. */
function referenceLoop(step: Step, stateSizes: number[], x: tf.Tensor, weights: tf.Tensor[], o: LoopOptions): tf.Tensor {
  const [batch, steps] = x.shape as [number, number];
  let states = stateSizes.map((s) => tf.zeros([batch, s]));
  const outputs: tf.Tensor[] = [];
  for (let k = 0; k < steps; k++) {
    const t = o.goBackwards ? steps - 1 - k : k;
    const xt = tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]);
    const next = step(xt, states, weights);
    if (o.mask !== null) {
      const m = tf.tensor2d(o.mask.map((row) => [row[t]!]));
      states = next.map((s, j) => tf.where(tf.cast(m, 'bool'), s, states[j]!));
    } else {
      states = next;
    }
    outputs.push(states[0]!);
  }
  return o.returnSequences ? tf.stack(outputs, 1) : outputs[outputs.length - 1]!;
}

function checkAgainstAutodiff(layer: RNNLayer, step: Step, stateSizes: number[], shape: [number, number, number], o: LoopOptions): void {
  const x = tf.randomUniform(shape, -1, 1, 'float32', 11);
  const mask = o.mask === null ? null : tf.tensor2d(o.mask);
  const pass = layer.forward(x, true, mask);
  const weights = layer.trainable_weights;
  const reference = referenceLoop(step, stateSizes, x, weights, o);
  expect(relativeError((pass.outputs as tf.Tensor), reference)).toBeLessThan(1e-5);

  // C = Σ R ⊙ output, so ∂C/∂output = R.
  const R = tf.randomUniform(reference.shape, -1, 1, 'float32', 12);
  const { inputGradient, weightGradients } = layer.backward(R, pass, true);
  const grads = tf.grads((xIn: tf.Tensor, ...w: tf.Tensor[]) => tf.sum(tf.mul(referenceLoop(step, stateSizes, xIn, w, o), R)));
  const [dx, ...dw] = grads([x, ...weights]);
  expect(relativeError(inputGradient as tf.Tensor, dx!)).toBeLessThan(1e-4);
  expect(weightGradients).toHaveLength(dw.length);
  weightGradients.forEach((g, i) => expect(relativeError(g, dw[i]!)).toBeLessThan(1e-4));
}

const CASES: Array<[string, LoopOptions]> = [
  ['the last output', { returnSequences: false, goBackwards: false, mask: null }],
  ['return_sequences', { returnSequences: true, goBackwards: false, mask: null }],
  ['go_backwards', { returnSequences: false, goBackwards: true, mask: null }],
  ['go_backwards + return_sequences', { returnSequences: true, goBackwards: true, mask: null }],
  ['a mask', { returnSequences: false, goBackwards: false, mask: [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]] }],
  ['a mask + return_sequences + go_backwards', { returnSequences: true, goBackwards: true, mask: [[1, 1, 1, 0, 0], [1, 0, 1, 1, 1], [0, 1, 1, 1, 0]] }],
];

describe('LSTM backward (BPTT) against autodiff', () => {
  for (const [label, o] of CASES) {
    it(label, () => {
      tf.tidy(() => {
        const layer = LSTM(4, { return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
        layer.build([null, 5, 3]);
        checkAgainstAutodiff(layer, lstmStep(), [4, 4], [3, 5, 3], o);
        layer.dispose();
      });
    });
  }

  it('batch 1, one step', () => {
    tf.tidy(() => {
      const layer = LSTM(3);
      layer.build([null, 1, 2]);
      checkAgainstAutodiff(layer, lstmStep(), [3, 3], [1, 1, 2], CASES[0]![1]);
      layer.dispose();
    });
  });

  it("activation='relu' (the S16 notebook's LSTM(50, activation='relu'))", () => {
    tf.tidy(() => {
      const layer = LSTM(4, { activation: 'relu', return_sequences: true });
      layer.build([null, 6, 2]);
      checkAgainstAutodiff(layer, lstmStep(tf.relu), [4, 4], [2, 6, 2], CASES[1]![1]);
      layer.dispose();
    });
  });

  // The derivatives of element-wise activations are computed for all steps before the walk
  // back (lstm_cell.ts startBackward); softmax and a user's function take the per-step equations.
  const ACTIVATION_CASES: Array<[string, LSTMOptions, Step]> = [
    ["activation='softmax' (its derivative mixes a row: applied step by step)", { activation: 'softmax' }, lstmStep((z) => tf.softmax(z))],
    ['a recurrent_activation of the user (autodiff derivative, applied step by step)', { recurrent_activation: steep }, lstmStep(tf.tanh, steep)],
    ["recurrent_activation='hard_sigmoid' (element-wise with kinks: derivatives computed ahead)", { recurrent_activation: 'hard_sigmoid' }, lstmStep(tf.tanh, hardSigmoid)],
  ];
  for (const [label, options, step] of ACTIVATION_CASES) {
    it(`${label}, with a mask, return_sequences and go_backwards`, () => {
      tf.tidy(() => {
        const o = CASES[5]![1];
        const layer = LSTM(4, { ...options, return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
        layer.build([null, 5, 3]);
        checkAgainstAutodiff(layer, step, [4, 4], [3, 5, 3], o);
        layer.dispose();
      });
    });
  }
});

describe('SimpleRNN backward (BPTT) against autodiff', () => {
  for (const [label, o] of CASES) {
    it(label, () => {
      tf.tidy(() => {
        const layer = SimpleRNN(4, { return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
        layer.build([null, 5, 3]);
        checkAgainstAutodiff(layer, simpleStep, [4], [3, 5, 3], o);
        layer.dispose();
      });
    });
  }

  // φ′ is computed for all steps ahead for an element-wise φ (relu: from z); softmax's per step.
  for (const [name, act] of [['relu', tf.relu], ['softmax', (z: tf.Tensor) => tf.softmax(z)]] as const) {
    it(`activation='${name}', with a mask, return_sequences and go_backwards`, () => {
      tf.tidy(() => {
        const o = CASES[5]![1];
        const layer = SimpleRNN(4, { activation: name, return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
        layer.build([null, 5, 3]);
        checkAgainstAutodiff(layer, simpleStepWith(act), [4], [3, 5, 3], o);
        layer.dispose();
      });
    });
  }
});

for (const resetAfter of [true, false]) {
  describe(`GRU(reset_after=${resetAfter}) backward (BPTT) against autodiff`, () => {
    for (const [label, o] of CASES) {
      it(label, () => {
        tf.tidy(() => {
          const layer = GRU(4, { reset_after: resetAfter, return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
          layer.build([null, 5, 3]);
          checkAgainstAutodiff(layer, gruStep(resetAfter), [4], [3, 5, 3], o);
          layer.dispose();
        });
      });
    }

    // With reset_after the factors of δ are computed for all steps ahead (relu: from z); softmax's per step.
    for (const [name, act] of [['relu', tf.relu], ['softmax', (z: tf.Tensor) => tf.softmax(z)]] as const) {
      it(`activation='${name}', with a mask, return_sequences and go_backwards`, () => {
        tf.tidy(() => {
          const o = CASES[5]![1];
          const layer = GRU(4, { activation: name, reset_after: resetAfter, return_sequences: o.returnSequences, go_backwards: o.goBackwards, bias_initializer: 'random_normal' });
          layer.build([null, 5, 3]);
          checkAgainstAutodiff(layer, gruStep(resetAfter, act), [4], [3, 5, 3], o);
          layer.dispose();
        });
      });
    }
  });
}

/** The dropout masks a training forward drew (kept in its saved sequence). */
function savedMasks(pass: ReturnType<RNNLayer['forward']>): { input: tf.Tensor[] | null; recurrent: tf.Tensor[] | null } {
  return (pass.saved as { sequence: { masks: { input: tf.Tensor[] | null; recurrent: tf.Tensor[] | null } } }).sequence.masks;
}

/** Masks drawn separately differ (with 4 units and rate ≥ 0.3, equal draws are vanishingly unlikely). */
function expectDistinct(masks: tf.Tensor[]): void {
  const texts = masks.map((m) => m.dataSync().join(','));
  expect(new Set(texts).size).toBe(masks.length);
}

/** A training pass's outputs and backward against the reference loop of `step` with the same masks. */
function checkPass(layer: RNNLayer, pass: ReturnType<RNNLayer['forward']>, x: tf.Tensor, step: Step, stateSizes: number[]): void {
  const o = { returnSequences: true, goBackwards: false, mask: null };
  expect(relativeError(pass.outputs as tf.Tensor, referenceLoop(step, stateSizes, x, layer.trainable_weights, o))).toBeLessThan(1e-5);
  const R = tf.randomUniform((pass.outputs as tf.Tensor).shape, -1, 1, 'float32', 6);
  const { inputGradient, weightGradients } = layer.backward(R, pass, true);
  const [dx, ...dw] = tf.grads((xIn: tf.Tensor, ...w: tf.Tensor[]) => tf.sum(tf.mul(referenceLoop(step, stateSizes, xIn, w, o), R)))([x, ...layer.trainable_weights]);
  expect(relativeError(inputGradient as tf.Tensor, dx!)).toBeLessThan(1e-4);
  expect(weightGradients).toHaveLength(dw.length);
  weightGradients.forEach((g, i) => expect(relativeError(g, dw[i]!)).toBeLessThan(1e-4));
}

describe('BPTT through stacked layers, dropout and the model', () => {
  it('LSTM(return_sequences) → SimpleRNN: the input gradient of the upper layer feeds the lower one', () => {
    tf.tidy(() => {
      const lower = LSTM(4, { return_sequences: true, bias_initializer: 'random_normal' });
      const upper = SimpleRNN(3, { go_backwards: true });
      lower.build([null, 5, 2]);
      upper.build([null, 5, 4]);
      const x = tf.randomUniform([2, 5, 2], -1, 1, 'float32', 3);
      const p1 = lower.forward(x, true);
      const p2 = upper.forward((p1.outputs as tf.Tensor), true);
      const R = tf.randomUniform((p2.outputs as tf.Tensor).shape, -1, 1, 'float32', 4);
      const g2 = upper.backward(R, p2, true);
      const g1 = lower.backward(g2.inputGradient!, p1, true);
      const seq = { returnSequences: true, goBackwards: false, mask: null };
      const last = { returnSequences: false, goBackwards: true, mask: null };
      const loss = (xIn: tf.Tensor, ...w: tf.Tensor[]) => {
        const h = referenceLoop(lstmStep(), [4, 4], xIn, w.slice(0, 3), seq);
        return tf.sum(tf.mul(referenceLoop(simpleStep, [3], h, w.slice(3), last), R));
      };
      const [dx, ...dw] = tf.grads(loss)([x, ...lower.trainable_weights, ...upper.trainable_weights]);
      expect(relativeError(g1.inputGradient as tf.Tensor, dx!)).toBeLessThan(1e-4);
      [...g1.weightGradients, ...g2.weightGradients].forEach((g, i) => expect(relativeError(g, dw[i]!)).toBeLessThan(1e-4));
      lower.dispose();
      upper.dispose();
    });
  });

  it('dropout alone (implementation 2): one mask of x(t) for every gate, the same at every step', () => {
    tf.tidy(() => {
      const layer = LSTM(4, { dropout: 0.3, return_sequences: true, seed: 7 });
      layer.build([null, 5, 3]);
      expect(layer.cell.implementation).toBe(2);
      const x = tf.randomUniform([3, 5, 3], -1, 1, 'float32', 5);
      const pass = layer.forward(x, true);
      const { input, recurrent } = savedMasks(pass);
      expect(input).toHaveLength(1);
      expect(recurrent).toBeNull();
      // Kept entries are 1 / (1 − rate), dropped ones 0.
      expect([...new Set(input![0]!.dataSync())].sort()).toEqual([0, Math.fround(1 / 0.7)].sort());
      const dropped: Step = (xt, states, w) => lstmStep()(tf.mul(xt, input![0]!), states, w);
      checkPass(layer, pass, x, dropped, [4, 4]);
      // Inference draws no mask: the output is the plain loop's.
      const o = { returnSequences: true, goBackwards: false, mask: null };
      expect(relativeError(layer.forward(x, false).outputs as tf.Tensor, referenceLoop(lstmStep(), [4, 4], x, layer.trainable_weights, o))).toBeLessThan(1e-5);
      layer.dispose();
    });
  });

  it("recurrent_dropout: Keras 3's implementation=1, one mask per gate for x(t) and for h(t−1)", () => {
    tf.tidy(() => {
      const layer = LSTM(4, { dropout: 0.3, recurrent_dropout: 0.4, return_sequences: true, seed: 7 });
      layer.build([null, 5, 3]);
      // Keras 3's LSTMCell sets implementation = 1 when recurrent_dropout is not 0.
      expect(layer.cell.implementation).toBe(1);
      const x = tf.randomUniform([3, 5, 3], -1, 1, 'float32', 5);
      const pass = layer.forward(x, true);
      const { input, recurrent } = savedMasks(pass);
      expect(input).toHaveLength(4);
      expect(recurrent).toHaveLength(4);
      expectDistinct(input!);
      expectDistinct(recurrent!);
      // Keras's LSTMCell.call, implementation 1: gate g sees x ⊙ m_g and h ⊙ r_g (the carried h is not dropped).
      const perGate: Step = (xt, [h, c], [W, U, b]) => {
        const [Wg, Ug, bg] = [tf.split(W!, 4, 1), tf.split(U!, 4, 1), tf.split(b!, 4)];
        const [zi, zf, zc, zo] = [0, 1, 2, 3].map((g) =>
          tf.add(tf.add(tf.matMul(tf.mul(xt, input![g]!), Wg[g]!), bg[g]!), tf.matMul(tf.mul(h!, recurrent![g]!), Ug[g]!)),
        );
        const cNext = tf.add(tf.mul(tf.sigmoid(zf!), c!), tf.mul(tf.sigmoid(zi!), tf.tanh(zc!)));
        return [tf.mul(tf.sigmoid(zo!), tf.tanh(cNext)), cNext];
      };
      checkPass(layer, pass, x, perGate, [4, 4]);
      layer.dispose();
    });
  });

  for (const resetAfter of [true, false]) {
    it(`GRU(reset_after=${resetAfter}) with dropout and recurrent_dropout: one mask per gate z, r, h`, () => {
      tf.tidy(() => {
        const layer = GRU(4, { dropout: 0.2, recurrent_dropout: 0.5, reset_after: resetAfter, return_sequences: true, seed: 3, bias_initializer: 'random_normal' });
        layer.build([null, 5, 3]);
        expect(layer.cell.implementation).toBe(1);
        const x = tf.randomUniform([3, 5, 3], -1, 1, 'float32', 8);
        const pass = layer.forward(x, true);
        const { input, recurrent } = savedMasks(pass);
        expect(input).toHaveLength(3);
        expect(recurrent).toHaveLength(3);
        expectDistinct(recurrent!);
        // Keras's GRUCell.call, implementation 1.
        const perGate: Step = (xt, [h], [W, U, b]) => {
          const [bx, bh] = resetAfter ? tf.unstack(b!, 0) : [b!, null];
          const [Wg, Ug, bxg] = [tf.split(W!, 3, 1), tf.split(U!, 3, 1), tf.split(bx!, 3)];
          const bhg = bh === null ? null : tf.split(bh, 3);
          const [xz, xr, xh] = [0, 1, 2].map((g) => tf.add(tf.matMul(tf.mul(xt, input![g]!), Wg[g]!), bxg[g]!));
          const [hz, hr, hhIn] = [0, 1, 2].map((g) => tf.mul(h!, recurrent![g]!));
          const withB1 = (v: tf.Tensor, g: number) => (bhg === null ? v : tf.add(v, bhg[g]!));
          const z = tf.sigmoid(tf.add(xz!, withB1(tf.matMul(hz!, Ug[0]!), 0)));
          const r = tf.sigmoid(tf.add(xr!, withB1(tf.matMul(hr!, Ug[1]!), 1)));
          const rh = resetAfter ? tf.mul(r, withB1(tf.matMul(hhIn!, Ug[2]!), 2)) : tf.matMul(tf.mul(r, hhIn!), Ug[2]!);
          const hh = tf.tanh(tf.add(xh!, rh));
          return [tf.add(tf.mul(z, h!), tf.mul(tf.sub(1, z), hh))];
        };
        checkPass(layer, pass, x, perGate, [4]);
        layer.dispose();
      });
    });
  }

  it('SimpleRNN with dropout and recurrent_dropout: one mask each (it has one gate)', () => {
    tf.tidy(() => {
      const layer = SimpleRNN(4, { dropout: 0.3, recurrent_dropout: 0.3, return_sequences: true, seed: 2 });
      layer.build([null, 5, 3]);
      const x = tf.randomUniform([3, 5, 3], -1, 1, 'float32', 9);
      const pass = layer.forward(x, true);
      const { input, recurrent } = savedMasks(pass);
      expect(input).toHaveLength(1);
      expect(recurrent).toHaveLength(1);
      const dropped: Step = (xt, [h], w) => simpleStep(tf.mul(xt, input![0]!), [tf.mul(h!, recurrent![0]!)], w);
      checkPass(layer, pass, x, dropped, [4]);
      layer.dispose();
    });
  });
});
