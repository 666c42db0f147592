/**
 * ∂C/∂states(0): the gradient a recurrent layer's explicit backward returns for a given
 * `initial_state` (issue 17), checked against TensorFlow.js autodiff of the same forward written
 * here with tfjs ops (Keras 3's equations: SimpleRNN; LSTM with gates i, f, c, o; GRU with
 * reset_after, bias [input; recurrent]), for LSTM, GRU and SimpleRNN, with go_backwards and
 * return_sequences both ways, on the default backend. C = Σ output · R (and Σ state · R_s for the
 * returned states), so ∂C/∂output = R. Then a functional encoder-decoder (the decoder starts from
 * the encoder's states) trained 3 SGD steps: the encoder's weights, which learn only through
 * ∂C/∂states(0), follow autodiff of the whole model.
 */
import { describe, expect, it } from 'vitest';
import { keras, tf } from 'keras-like';
import { elementError } from '../parity/golden.js';

type Kind = 'LSTM' | 'GRU' | 'SimpleRNN';
const L = keras.layers;
const RTOL = 1e-5;
// |a − e| ≤ rtol · max(|e|, floor): the floor (the repo's for recurrent layers) keeps values near 0,
// float32 sums of ±O(1) terms rounded in another order, from dominating.
const FLOOR = 0.1;
let worstSeen = 0;

function expectClose(actual: tf.Tensor, expected: tf.Tensor, label: string): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, elementError(a[i]!, e[i]!, FLOOR));
  expect(worst, `${label}: worst error ${worst.toExponential(2)}`).toBeLessThanOrEqual(RTOL);
  worstSeen = Math.max(worstSeen, worst);
}

/** One step of each cell, Keras 3's equations: returns h(t) and the new states. */
function step(kind: Kind, x: tf.Tensor, states: tf.Tensor[], [kernel, recurrent, bias]: tf.Tensor[]): tf.Tensor[] {
  const h = states[0]!;
  if (kind === 'SimpleRNN') return [tf.tanh(tf.add(tf.add(tf.matMul(x, kernel!), tf.matMul(h, recurrent!)), bias!))];
  if (kind === 'LSTM') {
    const z = tf.add(tf.add(tf.matMul(x, kernel!), tf.matMul(h, recurrent!)), bias!);
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const c = tf.add(tf.mul(tf.sigmoid(zf!), states[1]!), tf.mul(tf.sigmoid(zi!), tf.tanh(zc!)));
    return [tf.mul(tf.sigmoid(zo!), tf.tanh(c)), c];
  }
  // GRU, reset_after: the reset gate multiplies the recurrent part after its bias.
  const [inputBias, recurrentBias] = tf.unstack(bias!);
  const [xz, xr, xh] = tf.split(tf.add(tf.matMul(x, kernel!), inputBias!), 3, 1);
  const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, recurrent!), recurrentBias!), 3, 1);
  const zGate = tf.sigmoid(tf.add(xz!, rz!));
  const rGate = tf.sigmoid(tf.add(xr!, rr!));
  const candidate = tf.tanh(tf.add(xh!, tf.mul(rGate, rh!)));
  return [tf.add(tf.mul(zGate, h), tf.mul(tf.sub(1, zGate), candidate))];
}

/** The layer's forward written with tfjs ops: [output (h(T) or every h(t) in processing order), ...final states]. */
function reference(kind: Kind, x: tf.Tensor, states0: tf.Tensor[], weights: tf.Tensor[], options: { go_backwards: boolean; return_sequences: boolean }): tf.Tensor[] {
  // A copy: reversing the array tf.unstack returned in place would reorder its outputs on
  // TensorFlow.js's tape too, and autodiff would then give ∂C/∂x(t) at the mirrored step.
  const steps = [...tf.unstack(x, 1)];
  if (options.go_backwards) steps.reverse();
  let states = states0;
  const outputs: tf.Tensor[] = [];
  for (const xt of steps) {
    states = step(kind, xt, states, weights);
    outputs.push(states[0]!);
  }
  return [options.return_sequences ? tf.stack(outputs, 1) : outputs.at(-1)!, ...states];
}

/** What the encoder-decoder test reads of a layer. */
interface WeightHolder {
  readonly name: string;
  get_weights(): tf.Tensor[];
}

const stateCount = (kind: Kind) => (kind === 'LSTM' ? 2 : 1);
const make = (kind: Kind, units: number, options: Record<string, unknown>) =>
  kind === 'LSTM' ? L.LSTM(units, options) : kind === 'GRU' ? L.GRU(units, options) : L.SimpleRNN(units, options);

describe('∂C/∂initial_state of the explicit backward equals autodiff of the forward', () => {
  const [batch, time, features, units] = [3, 4, 2, 3];
  let seed = 100;
  const normal = (shape: number[], scale = 1) => tf.randomNormal(shape, 0, scale, 'float32', seed++);
  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
    for (const go_backwards of [false, true]) {
      for (const return_sequences of [false, true]) {
        it(`${kind} go_backwards=${go_backwards} return_sequences=${return_sequences} (return_state: its states' gradients too)`, () => {
          const layer = make(kind, units, { go_backwards, return_sequences, return_state: true });
          const x = normal([batch, time, features]);
          const states = Array.from({ length: stateCount(kind) }, () => normal([batch, units], 0.8));
          tf.dispose(layer.apply(x, { initial_state: states }));
          layer.set_weights(layer.get_weights().map((w) => tf.mul(normal(w.shape), 0.6)));
          const weights = layer.get_weights();
          // R: one upstream gradient per output (the sequence or h(T), then each final state).
          const R = [normal(return_sequences ? [batch, time, units] : [batch, units]), ...states.map(() => normal([batch, units]))];

          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const pass = layer.forward([x, ...states], true);
            const { inputGradient, weightGradients } = layer.backward(R, pass, true);
            const [dx, ...dStates] = inputGradient as tf.Tensor[];
            const cost = (xs: tf.Tensor, s: tf.Tensor[], w: tf.Tensor[]) =>
              tf.addN(reference(kind, xs, s, w, { go_backwards, return_sequences }).map((o, k) => tf.sum(tf.mul(o, R[k]!)))) as tf.Scalar;
            const expected = reference(kind, x, states, weights, { go_backwards, return_sequences });
            const grads = tf.grads((...args: tf.Tensor[]) => cost(args[0]!, args.slice(1, 1 + states.length), args.slice(1 + states.length)))([x, ...states, ...weights]);
            (pass.outputs as tf.Tensor[]).forEach((o, k) => expectClose(o, expected[k]!, `output ${k}`));
            expect(dStates).toHaveLength(states.length);
            dStates.forEach((d, j) => expectClose(d!, grads[1 + j]!, `dC/d initial_state[${j}]`));
            expectClose(dx!, grads[0]!, 'dC/dx');
            expect(weightGradients).toHaveLength(weights.length);
            weightGradients.forEach((g, i) => expectClose(g, grads[1 + states.length + i]!, `dC/dw ${i}`));
          });
          // Nothing the forward kept for the backward outlives it.
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([x, ...states, ...weights, ...R]);
          layer.dispose();
        });
      }
    }
  }
});

describe('a functional encoder-decoder learns its encoders through ∂C/∂states(0)', () => {
  it('3 SGD steps: every weight, the encoders\' included, follows autodiff of the whole model (rtol 1e-5)', () => {
    keras.utils.set_random_seed(7);
    const enc = keras.Input({ shape: [5, 3], name: 'enc' });
    const dec = keras.Input({ shape: [4, 2], name: 'dec' });
    const lstmEncoder = L.LSTM(4, { return_state: true });
    const lstmDecoder = L.LSTM(4, { return_sequences: true });
    const gruEncoder = L.GRU(3, { return_state: true, go_backwards: true });
    const gruDecoder = L.GRU(3, { return_sequences: true, go_backwards: true });
    const rnnEncoder = L.SimpleRNN(2, { return_state: true });
    const rnnDecoder = L.SimpleRNN(2, { return_sequences: true });
    const head = L.Dense(2);
    const [, h, c] = lstmEncoder.apply(enc) as keras.KerasTensor[];
    const [, g] = gruEncoder.apply(enc) as keras.KerasTensor[];
    const [, s] = rnnEncoder.apply(enc) as keras.KerasTensor[];
    const decoded = [
      lstmDecoder.apply(dec, { initial_state: [h!, c!] }) as keras.KerasTensor,
      gruDecoder.apply(dec, { initial_state: g! }) as keras.KerasTensor,
      rnnDecoder.apply(dec, { initial_state: s! }) as keras.KerasTensor,
    ];
    const model = keras.Model([enc, dec], head.apply(L.Concatenate().apply(decoded)));
    const learningRate = 0.1;
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: learningRate }), loss: 'mean_squared_error' });

    const pairs: Array<[Kind, WeightHolder, WeightHolder, boolean]> = [
      ['LSTM', lstmEncoder, lstmDecoder, false],
      ['GRU', gruEncoder, gruDecoder, true],
      ['SimpleRNN', rnnEncoder, rnnDecoder, false],
    ];
    const xe = tf.randomNormal([6, 5, 3], 0, 1, 'float32', 71);
    const xd = tf.randomNormal([6, 4, 2], 0, 1, 'float32', 72);
    const y = tf.randomNormal([6, 4, 2], 0, 1, 'float32', 73);
    // The reference weights: each layer's, in the order `forward` below reads them.
    const layersInOrder = [...pairs.flatMap(([, e, d]) => [e, d]), head];
    let expected = layersInOrder.map((layer) => layer.get_weights());
    const initialEncoders = pairs.map(([, e]) => e.get_weights());

    const loss = (flat: tf.Tensor[]) => {
      let i = 0;
      const take = (n: number) => flat.slice(i, (i += n));
      const sequences = pairs.map(([kind, , , backwards]) => {
        const [, ...states] = reference(kind, xe, [tf.zeros([6, kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 2]), ...(kind === 'LSTM' ? [tf.zeros([6, 4])] : [])], take(3), { go_backwards: backwards, return_sequences: false });
        return reference(kind, xd, states, take(3), { go_backwards: backwards, return_sequences: true })[0]!;
      });
      const [kernel, bias] = take(2);
      const prediction = tf.add(tf.matMul(tf.reshape(tf.concat(sequences, -1), [-1, 9]), kernel!), bias!);
      return tf.mean(tf.square(tf.sub(tf.reshape(prediction, [6, 4, 2]), y))) as tf.Scalar;
    };
    for (let stepIndex = 0; stepIndex < 3; stepIndex++) {
      const flat = expected.flat();
      const expectedLoss = tf.tidy(() => loss(flat).dataSync()[0]!);
      const grads = tf.grads((...w: tf.Tensor[]) => loss(w))(flat);
      const updated = flat.map((w, k) => tf.sub(w, tf.mul(grads[k]!, learningRate)));
      tf.dispose([...flat, ...grads]);
      let k = 0;
      expected = layersInOrder.map((layer) => layer.get_weights().map((w) => (w.dispose(), updated[k++]!)));

      const before = tf.memory().numTensors;
      const got = model.train_on_batch([xe, xd], y) as unknown as number;
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.abs(got - expectedLoss)).toBeLessThanOrEqual(RTOL * Math.max(Math.abs(expectedLoss), FLOOR));
      layersInOrder.forEach((layer, l) => {
        const weights = layer.get_weights();
        weights.forEach((w, j) => expectClose(w, expected[l]![j]!, `step ${stepIndex + 1}: ${layer.name} weight ${j}`));
        tf.dispose(weights);
      });
    }
    // The encoders moved, and only ∂C/∂states(0) reaches them.
    pairs.forEach(([, encoder], p) => {
      const now = encoder.get_weights();
      const moved = now.map((w, j) => tf.max(tf.abs(tf.sub(w, initialEncoders[p]![j]!))).dataSync()[0]!);
      expect(Math.min(...moved), `${encoder.name} moved`).toBeGreaterThan(1e-4);
      tf.dispose([...now, ...initialEncoders[p]!]);
    });
    if (process.env.KERAS_PARITY_REPORT) console.log(`initial_state_gradients: worst error ${worstSeen.toExponential(2)} (rtol ${RTOL}, floor ${FLOOR})`);
    tf.dispose([xe, xd, y, ...expected.flat()]);
    model.dispose();
  });
});
