/**
 * An encoder-decoder (seq2seq) in the functional API: a decoder LSTM started from an encoder
 * LSTM's [h, c] (`initial_state`), a decoder GRU from a GRU encoder's h. Checked against real
 * Keras 3 (scripts/keras-golden/seq2seq.py, torch backend; fixture test/fixtures/keras/seq2seq.json):
 * the file Keras wrote loads here with Keras's predictions, its config's inbound nodes (the states
 * as `kwargs.initial_state`), and three `train_on_batch` steps of SGD give Keras's losses and
 * weights (the encoders learn only through the states); the file keras-like wrote
 * (scripts/keras-golden/seq2seq_write.ts) gives here what Keras computed after loading it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, tf } from 'keras-like';
import { loadFixture, reportWorstErrors } from '../parity/golden.js';
import { expectKerasPredictionsAndNodes, expectKerasRoundTrip, expectTrainsAsKeras, expectWhatKerasComputedFromOurFile, type KerasFileCase } from './encoder_decoder_interop.js';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;


const MODULE = 'seq2seq';
const fixture = loadFixture<KerasFileCase>(MODULE);
reportWorstErrors(MODULE);
const [writtenByKeras, writtenHere] = fixture.cases as [KerasFileCase, KerasFileCase];
const tolerance = fixture.tolerance;
const dir = mkdtempSync(join(tmpdir(), 'keras-like-seq2seq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** seq2seq.py's model, built here. */
function seq2seq() {
  const enc = keras.Input({ shape: [5, 3], name: 'enc' });
  const dec = keras.Input({ shape: [4, 2], name: 'dec' });
  const [, h, c] = L.LSTM(6, { return_state: true, name: 'encoder' }).apply(enc) as KerasTensor[];
  const y = L.LSTM(6, { return_sequences: true, name: 'decoder' }).apply(dec, { initial_state: [h!, c!] }) as KerasTensor;
  const [, g] = L.GRU(3, { return_state: true, name: 'gru_encoder' }).apply(enc) as KerasTensor[];
  const yg = L.GRU(3, { return_sequences: true, name: 'gru_decoder' }).apply(dec, { initial_state: g! }) as KerasTensor;
  return keras.Model([enc, dec], L.Dense(2, { name: 'out' }).apply(L.Concatenate().apply([y, yg])), { name: 'seq2seq' });
}

describe('a seq2seq model written by Keras 3 loads and trains in keras-like', () => {
  it('gives Keras\'s predictions, layers and inbound nodes (initial_state as a keyword)', () => {
    expectKerasPredictionsAndNodes(MODULE, writtenByKeras, tolerance, (model) =>
      expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'InputLayer', 'LSTM', 'GRU', 'LSTM', 'GRU', 'Concatenate', 'Dense']),
    );
  });

  it("trains with the explicit backward: three SGD steps give Keras's losses and weights (the encoders learn through the states)", () => {
    expectTrainsAsKeras(MODULE, writtenByKeras, tolerance, [0, 1, 2, 3, 4, 5]);
  });
});

describe('a seq2seq model written by keras-like loads in Keras 3', () => {
  it(`${writtenHere.file} gives here the predictions and optimizer state Keras 3 computed from it`, () => {
    expectWhatKerasComputedFromOurFile(MODULE, writtenHere, tolerance);
  });

  it('round-trips here: save, load, equal predictions and the same graph', () => {
    const model = seq2seq();
    const x = [tf.randomNormal([3, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 4, 2], 0, 1, 'float32', 2)];
    expectKerasRoundTrip(model, x, join(dir, 'seq2seq.keras'));
    tf.dispose(x);
    model.dispose();
  });
});

describe('seq2seq: summary, memory', () => {
  it('summary shows the states in "Connected to", as Keras 3 does', () => {
    const model = seq2seq();
    const lines: string[] = [];
    model.summary({ line_length: 120, print_fn: (line: string) => lines.push(line) });
    const text = lines.join('\n');
    // Keras 3.16 prints `dec[0][0], encoder[0][1], encoder[0][2]` for the decoder (seq2seq.py's model).
    const row = (name: string) => {
      const start = lines.findIndex((l) => l.trimStart().startsWith(name));
      const connected = [];
      for (let i = start; i < lines.length && lines[i]!.trim() !== ''; i++) connected.push(lines[i]!.slice(80).trim());
      return connected.filter((s) => s !== '');
    };
    expect(text).toContain('decoder (LSTM)');
    expect(row('decoder (LSTM)')).toEqual(['dec[0][0]', 'encoder[0][1]', 'encoder[0][2]']);
    expect(row('gru_decoder (GRU)')).toEqual(['dec[0][0]', 'gru_encoder[0][1]']);
    model.dispose();
  });

  it('fit keeps the tensor count', () => {
    const model = seq2seq();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = [tf.randomNormal([8, 5, 3], 0, 1, 'float32', 3), tf.randomNormal([8, 4, 2], 0, 1, 'float32', 4)];
    const y = tf.randomNormal([8, 4, 2], 0, 1, 'float32', 5);
    model.fit(x, y, { epochs: 1, batch_size: 4, verbose: 0 });
    const count = tf.memory().numTensors;
    model.fit(x, y, { epochs: 2, batch_size: 4, verbose: 0 });
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([...x, y]);
    model.dispose();
  });
});

describe('initial_state: bad input fails at the call', () => {
  it('a wrong number of states, or a state of the wrong shape, is refused with the layer and the shapes named', () => {
    const dec = keras.Input({ shape: [4, 2] });
    const h = keras.Input({ shape: [6] });
    const wrong = keras.Input({ shape: [5] });
    expect(() => L.LSTM(6, { name: 'two_states' }).apply(dec, { initial_state: [h] })).toThrow(/Layer "two_states" expects 2 initial state tensor\(s\) \(the cell's state_size is \[6, 6\]\), but it received 1: \(None, 6\)/);
    expect(() => L.GRU(6, { name: 'one_state' }).apply(dec, { initial_state: [h, wrong] })).toThrow(/Layer "one_state" expects 1 initial state/);
    expect(() => L.LSTM(6, { name: 'shaped' }).apply(dec, { initial_state: [h, wrong] })).toThrow(/Layer "shaped": initial_state\[1\] must have shape \(None, 6\) .* Received: shape=\(None, 5\)/);
    // Eagerly too, with the batch size in the message.
    const x = tf.zeros([2, 4, 2]);
    expect(() => L.SimpleRNN(3, { name: 'eager' }).apply(x, { initial_state: tf.zeros([2, 4]) })).toThrow(/Layer "eager": initial_state\[0\] must have shape \(2, 3\)/);
    x.dispose();
  });

  it('an eager call starts from the given states: SimpleRNN with h(0) given equals the same loop written with tf ops', () => {
    const layer = L.SimpleRNN(3, { return_sequences: true });
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 7);
    const h0 = tf.randomNormal([2, 3], 0, 1, 'float32', 8);
    const y = layer.apply(x, { initial_state: h0 }) as tf.Tensor;
    const [W, U, b] = layer.get_weights();
    let h = h0;
    const steps: tf.Tensor[] = [];
    for (let t = 0; t < 4; t++) {
      h = tf.tanh(tf.add(tf.add(tf.matMul(tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]), W!), tf.matMul(h, U!)), b!));
      steps.push(h);
    }
    const expected = tf.stack(steps, 1);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-6);
    layer.dispose();
  });
});
