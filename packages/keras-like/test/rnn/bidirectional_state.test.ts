/**
 * Bidirectional's `initial_state` (the forward layer's states, then the backward layer's), checked
 * against real Keras 3 (scripts/keras-golden/bidirectional_state.py, torch backend; fixture
 * test/fixtures/keras/bidirectional_state.json): eager calls give Keras's outputs, ∂C/∂x, ∂C/∂w and
 * ∂C/∂(each initial state) from torch autograd; a bidirectional encoder-decoder written by Keras loads
 * here with its predictions and inbound nodes and three SGD steps give Keras's losses and weights
 * (the encoders learn only through the states); the file keras-like wrote
 * (scripts/keras-golden/bidirectional_state_write.ts) gives here what Keras computed after loading it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, tf } from 'keras-like';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from '../parity/golden.js';
import { expectKerasPredictionsAndNodes, expectKerasRoundTrip, expectTrainsAsKeras, expectWhatKerasComputedFromOurFile, type KerasFileCase } from '../saving/encoder_decoder_interop.js';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;

interface EagerCase extends GoldenCase {
  input: GoldenTensor;
  initial_state: GoldenTensor[];
  weights: GoldenTensor[];
  outputs: GoldenTensor[];
  output_gradients: GoldenTensor[];
  input_gradient: GoldenTensor;
  state_gradients: GoldenTensor[];
  weight_gradients: GoldenTensor[];
}

const MODULE = 'bidirectional_state';
const fixture = loadFixture<GoldenCase>(MODULE);
reportWorstErrors(MODULE);
const tolerance = fixture.tolerance;
const [lstmCase, gruCase, writtenByKeras, writtenHere] = fixture.cases as [EagerCase, EagerCase, KerasFileCase, KerasFileCase];
const dir = mkdtempSync(join(tmpdir(), 'keras-like-bidirectional-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** bidirectional_state.py's encoder-decoder, built here. */
function encoderDecoder() {
  const enc = keras.Input({ shape: [5, 3], name: 'enc' });
  const dec = keras.Input({ shape: [4, 2], name: 'dec' });
  const [, hf, cf, hb, cb] = L.Bidirectional(L.LSTM(3, { return_state: true }), { name: 'encoder' }).apply(enc) as KerasTensor[];
  const y = L.Bidirectional(L.LSTM(3, { return_sequences: true }), { name: 'decoder' }).apply(dec, { initial_state: [hf!, cf!, hb!, cb!] }) as KerasTensor;
  const [, gf, gb] = L.Bidirectional(L.GRU(2, { return_state: true }), { merge_mode: 'sum', name: 'gru_encoder' }).apply(enc) as KerasTensor[];
  const yg = L.Bidirectional(L.GRU(2, { return_sequences: true }), { merge_mode: 'sum', name: 'gru_decoder' }).apply(dec, { initial_state: [gf!, gb!] }) as KerasTensor;
  return keras.Model([enc, dec], L.Dense(2, { name: 'out' }).apply(L.Concatenate().apply([y, yg])), { name: 'bidirectional_seq2seq' });
}

describe('eager Bidirectional(x, { initial_state }): outputs and gradients equal Keras 3 (torch autograd)', () => {
  const cases: Array<[EagerCase, () => keras.layers.Bidirectional]> = [
    [lstmCase, () => L.Bidirectional(L.LSTM(3, { return_sequences: true }))],
    [gruCase, () => L.Bidirectional(L.GRU(2, { return_state: true }), { merge_mode: 'sum' })],
  ];
  for (const [c, make] of cases) {
    it(c.name, () => {
      const layer = make();
      const x = toTensor(c.input);
      const states = c.initial_state.map(toTensor);
      // `apply` (the user's call) builds the layer and gives Keras's outputs.
      layer.apply(x, { initial_state: states });
      layer.set_weights(c.weights.map(toTensor));
      const called = layer.apply(x, { initial_state: states });
      const outputs = Array.isArray(called) ? called : [called];
      outputs.forEach((o, k) => expectGolden(MODULE, c.name, `output ${k}`, o, c.outputs[k]!, tolerance));
      // The explicit backward: ∂C/∂x, then ∂C/∂(each initial state), and ∂C/∂w.
      const pass = layer.forward([x, ...states], true);
      const R = c.output_gradients.map(toTensor);
      const { inputGradient, weightGradients } = layer.backward(Array.isArray(pass.outputs) ? R : R[0]!, pass, true);
      const [dx, ...dStates] = inputGradient as tf.Tensor[];
      expectGolden(MODULE, c.name, 'dC/dx', dx!, c.input_gradient, tolerance);
      expect(dStates).toHaveLength(c.state_gradients.length);
      dStates.forEach((d, j) => expectGolden(MODULE, c.name, `dC/d initial_state[${j}]`, d, c.state_gradients[j]!, tolerance));
      expect(weightGradients).toHaveLength(c.weight_gradients.length);
      weightGradients.forEach((g, i) => expectGolden(MODULE, c.name, `dC/dw ${i}`, g, c.weight_gradients[i]!, tolerance));
      tf.dispose([x, ...states, ...outputs, ...R, ...(inputGradient as tf.Tensor[]), ...weightGradients]);
      layer.dispose();
    });
  }
});

describe('a bidirectional encoder-decoder written by Keras 3 loads and trains in keras-like', () => {
  it("gives Keras's predictions, layers and inbound nodes (initial_state as a keyword)", () => {
    expectKerasPredictionsAndNodes(MODULE, writtenByKeras, tolerance);
  });

  it("trains with the explicit backward: three SGD steps give Keras's losses and weights (the encoders learn through the states)", () => {
    // The LSTM encoder's 6 weights (both directions).
    expectTrainsAsKeras(MODULE, writtenByKeras, tolerance, [0, 1, 2, 3, 4, 5]);
  });
});

describe('a bidirectional encoder-decoder written by keras-like loads in Keras 3', () => {
  it(`${writtenHere.file} gives here the predictions and optimizer state Keras 3 computed from it`, () => {
    expectWhatKerasComputedFromOurFile(MODULE, writtenHere, tolerance);
  });

  it('the model built here has the inbound nodes Keras 3 wrote, and round-trips through .keras', () => {
    const model = encoderDecoder();
    const nodes = Object.fromEntries((model.get_config().layers as Array<{ name: string; inbound_nodes: unknown[] }>).map((l) => [l.name, l.inbound_nodes]));
    expect(nodes.decoder).toEqual(writtenByKeras.inbound_nodes!.decoder);
    expect(nodes.gru_decoder).toEqual(writtenByKeras.inbound_nodes!.gru_decoder);
    const x = [tf.randomNormal([3, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 4, 2], 0, 1, 'float32', 2)];
    expectKerasRoundTrip(model, x, join(dir, 'bidirectional_state.keras'));
    tf.dispose(x);
    model.dispose();
  });

  it('fit keeps the tensor count', () => {
    const model = encoderDecoder();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = [tf.randomNormal([8, 5, 3], 0, 1, 'float32', 3), tf.randomNormal([8, 4, 2], 0, 1, 'float32', 4)];
    const y = tf.randomNormal([8, 4, 2], 0, 1, 'float32', 5);
    model.fit(x, y, { epochs: 1, batch_size: 4, verbose: 0 });
    const count = tf.memory().numTensors;
    model.fit(x, y, { epochs: 2, batch_size: 4, verbose: 0 });
    const layer = L.Bidirectional(L.LSTM(2));
    const states = [0, 1, 2, 3].map(() => tf.zeros([8, 2]));
    tf.dispose(layer.apply(x[1]!, { initial_state: states }));
    tf.dispose(states);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([...x, y]);
    model.dispose();
  });
});

describe('Bidirectional initial_state: bad input fails at the call', () => {
  it('the wrong number of states, or a state of the wrong shape, is refused naming the layer and the shapes', () => {
    const dec = keras.Input({ shape: [4, 2] });
    const h = keras.Input({ shape: [3] });
    const wrong = keras.Input({ shape: [5] });
    expect(() => L.Bidirectional(L.LSTM(3), { name: 'bi' }).apply(dec, { initial_state: [h, h] })).toThrow(
      /Layer "bi" expects 4 initial state tensor\(s\): the forward layer's 2, then the backward layer's 2\. Received 2: \(None, 3\), \(None, 3\)/,
    );
    expect(() => L.Bidirectional(L.GRU(3)).apply(dec, { initial_state: [h, wrong] })).toThrow(/initial_state\[0\] must have shape \(None, 3\) .* Received: shape=\(None, 5\)/);
    expect(() => L.Bidirectional(L.GRU(3)).apply(dec, { initial_state: [h, tf.zeros([1, 3])] as never })).toThrow(/not made of KerasTensors/);
    const x = tf.zeros([2, 4, 2]);
    expect(() => L.Bidirectional(L.SimpleRNN(3), { name: 'eager' }).apply(x, { initial_state: [tf.zeros([2, 3])] })).toThrow(/Layer "eager" expects 2 initial state tensor/);
    expect(() => L.Bidirectional(L.SimpleRNN(3)).apply(x, { initial_state: 'h' as never })).toThrow(/initial_state/);
    x.dispose();
  });
});
