/**
 * keras.saving.save_tfjs writes the TensorFlow.js layers format: tfjs-layers' own
 * `tf.loadLayersModel` loads it (through an IOHandler that reads model.json and its shards from
 * disk the way tfjs's http / file handlers do: `tf.io.getModelArtifactsForJSON` and the manifest's
 * paths) and predicts what keras-like predicts, for a Dense net, a CNN, an LSTM, a GRU
 * (reset_after=False) and RNN(cell) over each built-in cell and over stacked cells, Sequential and
 * functional; what tfjs-layers cannot rebuild (GRU reset_after=True, a user's cell) is refused by name.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, Dropout, keras, Sequential, tensorflowjs, tf } from 'keras-like';

const root = mkdtempSync(join(tmpdir(), 'keras-like-tfjs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const L = keras.layers;

/** tfjs's loading path for a folder on disk (what `tf.loadLayersModel('file://...')` of tfjs-node does). */
function fileHandler(dir: string): tf.io.IOHandler {
  return {
    load: () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => new Uint8Array(readFileSync(join(dir, p))).buffer));
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

type Predictor = keras.saving.TfjsModel & { predict(x: tf.Tensor | tf.Tensor[], o?: object): tf.Tensor | tf.Tensor[]; dispose(): void };

async function expectSamePredictions(name: string, model: Predictor, x: tf.Tensor | tf.Tensor[]) {
  const dir = join(root, name);
  keras.saving.save_tfjs(model, dir);
  const loaded = await tfl.loadLayersModel(fileHandler(dir));
  const ours = [model.predict(x, { verbose: 0 })].flat();
  const theirs = [loaded.predict(x)].flat();
  expect(theirs.length).toBe(ours.length);
  ours.forEach((p, k) => {
    expect(theirs[k]!.shape).toEqual(p.shape);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(p, theirs[k]!))).dataSync()[0]!);
    const scale = tf.tidy(() => tf.max(tf.abs(p)).dataSync()[0]!);
    expect(diff).toBeLessThanOrEqual(1e-6 * Math.max(scale, 1e-3));
  });
  expect(loaded.weights.length).toBe((model as unknown as { weights: unknown[] }).weights.length);
  tf.dispose([...ours, ...theirs]);
  loaded.dispose();
  return { dir, loaded };
}

/** Weights far from their initial values, BatchNormalization statistics included. */
function scramble(model: { get_weights(): tf.Tensor[]; set_weights(w: tf.Tensor[]): void }, seed: number) {
  const weights = model.get_weights();
  model.set_weights(weights.map((w, i) => tf.tidy(() => tf.abs(tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i)).add(i % 4 === 3 ? 0.5 : 0))));
  tf.dispose(weights);
}

describe('keras.saving.save_tfjs → tf.loadLayersModel (tfjs-layers 4.22)', () => {
  it('a Dense net (Sequential: Dense, Dropout, BatchNormalization)', async () => {
    keras.utils.set_random_seed(1);
    const model = Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'relu' }), Dropout(0.3), L.BatchNormalization(), Dense(3, { activation: 'softmax' })]);
    scramble(model, 10);
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 2);
    const { dir } = await expectSamePredictions('dense', model, x);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 4]);
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(
      model.layers.flatMap((l) => l.weights.map((w) => `${l.name}/${w.name.split('/').at(-1)!.replace(/_\d+$/, '')}`)),
    );
    model.dispose();
    x.dispose();
  });

  it('a CNN (Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dense)', async () => {
    keras.utils.set_random_seed(3);
    const model = Sequential([
      keras.Input({ shape: [8, 8, 2] }),
      L.Conv2D(4, 3, { activation: 'relu', padding: 'same' }),
      L.BatchNormalization(),
      L.MaxPooling2D(2),
      L.Conv2D(3, 2, { strides: 2 }),
      L.Flatten(),
      Dense(3, { activation: 'softmax' }),
    ]);
    scramble(model, 20);
    const x = tf.randomNormal([4, 8, 8, 2], 0, 1, 'float32', 4);
    await expectSamePredictions('cnn', model, x);
    model.dispose();
    x.dispose();
  });

  it('the other convolution layers tfjs-layers has: Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, Cropping2D, UpSampling2D', async () => {
    keras.utils.set_random_seed(4);
    const model = Sequential([
      keras.Input({ shape: [6, 6, 2] }),
      L.Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }),
      L.DepthwiseConv2D(3, { depth_multiplier: 2 }),
      L.SeparableConv2D(4, 3, { activation: 'relu' }),
      L.Cropping2D([[1, 1], [2, 0]]),
      L.UpSampling2D(2),
      L.GlobalAveragePooling2D(),
      Dense(2),
    ]);
    scramble(model, 25);
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 5);
    await expectSamePredictions('conv_more', model, x);
    model.dispose();
    x.dispose();
  });

  it('an LSTM (LSTM with return_sequences, LSTM, Dense)', async () => {
    keras.utils.set_random_seed(5);
    const model = Sequential([keras.Input({ shape: [6, 3] }), L.LSTM(5, { return_sequences: true }), L.LSTM(4), Dense(2)]);
    scramble(model, 30);
    const x = tf.randomNormal([3, 6, 3], 0, 1, 'float32', 6);
    await expectSamePredictions('lstm', model, x);
    model.dispose();
    x.dispose();
  });

  it('a GRU with reset_after=False, the one GRU tfjs-layers implements (GRU with return_sequences, GRU, Dense)', async () => {
    keras.utils.set_random_seed(6);
    const model = Sequential([keras.Input({ shape: [6, 3] }), L.GRU(5, { reset_after: false, return_sequences: true }), L.GRU(4, { reset_after: false, go_backwards: true }), Dense(2)]);
    scramble(model, 35);
    const x = tf.randomNormal([3, 6, 3], 0, 1, 'float32', 7);
    const { dir } = await expectSamePredictions('gru_before', model, x);
    const manifest = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON).weightsManifest[0]!.weights.map((w) => `${w.name} ${w.shape.join('x')}`);
    const [g1, g2, d] = model.layers.map((l) => l.name);
    expect(manifest).toEqual([`${g1}/kernel 3x15`, `${g1}/recurrent_kernel 5x15`, `${g1}/bias 15`, `${g2}/kernel 5x12`, `${g2}/recurrent_kernel 4x12`, `${g2}/bias 12`, `${d}/kernel 4x2`, `${d}/bias 2`]);
    model.dispose();
    x.dispose();
  });

  it('RNN(cell) over each built-in cell, and over a list of cells / StackedRNNCells (tfjs-layers names cell i RNNCell_<i>)', async () => {
    keras.utils.set_random_seed(8);
    const seq = keras.Input({ shape: [5, 3] });
    const a = L.RNN(L.LSTMCell(4), { return_sequences: true, name: 'over_lstm' }).apply(seq) as keras.KerasTensor;
    const b = L.RNN(L.GRUCell(3, { reset_after: false }), { go_backwards: true, name: 'over_gru' }).apply(a) as keras.KerasTensor;
    const c = L.RNN(L.SimpleRNNCell(2, { activation: 'relu' }), { name: 'over_simple' }).apply(seq) as keras.KerasTensor;
    const d = L.RNN([L.LSTMCell(3), L.GRUCell(2, { reset_after: false })], { name: 'over_list' }).apply(seq) as keras.KerasTensor;
    const e = L.RNN(new L.StackedRNNCells([L.SimpleRNNCell(3), L.LSTMCell(2)]), { return_sequences: true, name: 'over_stack' }).apply(seq) as keras.KerasTensor;
    const model = keras.Model(seq, [L.Concatenate().apply([b, c, d]), e]);
    scramble(model, 70);
    const x = tf.randomNormal([3, 5, 3], 0, 1, 'float32', 13);
    const { dir } = await expectSamePredictions('rnn_cells', model, x);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const names = json.weightsManifest[0]!.weights.map((w) => w.name);
    expect(names.filter((n) => n.startsWith('over_list/') || n.startsWith('over_lstm/'))).toEqual([
      'over_lstm/kernel', 'over_lstm/recurrent_kernel', 'over_lstm/bias',
      'over_list/RNNCell_0/kernel', 'over_list/RNNCell_0/recurrent_kernel', 'over_list/RNNCell_0/bias',
      'over_list/RNNCell_1/kernel', 'over_list/RNNCell_1/recurrent_kernel', 'over_list/RNNCell_1/bias',
    ]);
    const cellOf = (layer: string) => ((json.modelTopology as { config: { layers: Array<{ name: string; config: { cell: { class_name: string; config: Record<string, unknown> } } }> } }).config.layers.find((l) => l.name === layer)!.config.cell);
    expect(cellOf('over_gru')).toMatchObject({ class_name: 'GRUCell', config: { units: 3, reset_after: false, dtype: 'float32', kernel_initializer: { class_name: 'GlorotUniform' } } });
    expect(cellOf('over_stack').class_name).toBe('StackedRNNCells');
    model.dispose();
    x.dispose();
  });

  it('Bidirectional over LSTM, GRU(reset_after=False) and SimpleRNN, each merge mode (weights bidirectional/forward_lstm/kernel, ...)', async () => {
    keras.utils.set_random_seed(12);
    const seq = keras.Sequential([
      keras.Input({ shape: [5, 3] }),
      L.Bidirectional(L.LSTM(4, { return_sequences: true })),
      L.Bidirectional(L.GRU(3, { reset_after: false }), { merge_mode: 'sum' }),
      Dense(2),
    ]);
    scramble(seq, 80);
    const x = tf.randomNormal([3, 5, 3], 0, 1, 'float32', 14);
    const { dir } = await expectSamePredictions('bidirectional', seq, x);
    const names = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON).weightsManifest[0]!.weights.map((w) => w.name);
    const bi = seq.layers[0] as keras.layers.Bidirectional;
    const lstm = bi.forward_layer.name.replace(/^forward_/, '');
    expect(names.slice(0, 6)).toEqual(['forward', 'backward'].flatMap((d) => ['kernel', 'recurrent_kernel', 'bias'].map((w) => `${bi.name}/${d}_${lstm}/${w}`)));
    const input = keras.Input({ shape: [5, 3] });
    const a = L.Bidirectional(L.SimpleRNN(3, { return_sequences: true }), { merge_mode: 'ave' }).apply(input) as keras.KerasTensor;
    const b = L.Bidirectional(L.SimpleRNN(2), { merge_mode: 'mul' }).apply(a) as keras.KerasTensor;
    const c = L.Bidirectional(L.LSTM(2)).apply(input) as keras.KerasTensor;
    const functional = keras.Model(input, L.Concatenate().apply([b, c]));
    scramble(functional, 90);
    await expectSamePredictions('bidirectional_functional', functional, x);
    for (const t of [seq, functional, x]) t.dispose();
  });

  it('a functional model: two inputs, two outputs, a shared layer, merges, a nested functional model and a nested Sequential', async () => {
    keras.utils.set_random_seed(7);
    const a = keras.Input({ shape: [4], name: 'a' });
    const b = keras.Input({ shape: [3], name: 'b' });
    const shared = Dense(5, { activation: 'tanh', name: 'shared' });
    const h1 = shared.apply(Dense(5, { name: 'pa' }).apply(a));
    const h2 = shared.apply(Dense(5, { name: 'pb' }).apply(b));
    const m = L.BatchNormalization().apply(L.Add().apply([h1, h2]));
    const innerIn = keras.Input({ shape: [5] });
    const inner = keras.Model(innerIn, Dense(2, { name: 'inner_dense' }).apply(innerIn), { name: 'inner' });
    const stack = Sequential([keras.Input({ shape: [10] }), Dense(3, { activation: 'relu', name: 'stack_dense' })], { name: 'stack' });
    const o1 = inner.apply(m) as keras.KerasTensor;
    const o2 = L.Multiply().apply([stack.apply(L.Concatenate().apply([h1, m])) as keras.KerasTensor, Dense(3, { name: 'gate' }).apply(a)]);
    const model = keras.Model([a, b], [o1, o2]);
    scramble(model, 40);
    const xs = [tf.randomNormal([4, 4], 0, 1, 'float32', 8), tf.randomNormal([4, 3], 0, 1, 'float32', 9)];
    await expectSamePredictions('functional', model, xs);
    model.dispose();
    tf.dispose(xs);
  });

  it('a functional CNN and a functional LSTM', async () => {
    keras.utils.set_random_seed(9);
    const image = keras.Input({ shape: [6, 6, 1] });
    const c = L.Conv2D(2, 3, { activation: 'relu' }).apply(image);
    const cnn = keras.Model(image, Dense(2).apply(L.Flatten().apply(L.MaxPooling2D(2).apply(c))));
    scramble(cnn, 50);
    const xi = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 10);
    await expectSamePredictions('functional_cnn', cnn, xi);
    const seq = keras.Input({ shape: [5, 2] });
    const lstm = keras.Model(seq, Dense(1).apply(L.LSTM(3).apply(seq)));
    scramble(lstm, 60);
    const xq = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 11);
    await expectSamePredictions('functional_lstm', lstm, xq);
    for (const t of [cnn, lstm, xi, xq]) t.dispose();
  });

  it('cuts the weights in 4 MiB shards that tfjs reads back in order', async () => {
    keras.utils.set_random_seed(11);
    const model = Sequential([keras.Input({ shape: [1100] }), Dense(1000), Dense(2)]); // 4.2 MiB of weights
    const x = tf.randomNormal([2, 1100], 0, 1, 'float32', 12);
    const { dir } = await expectSamePredictions('sharded', model, x);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
    expect(readFileSync(join(dir, 'group1-shard1of2.bin')).length).toBe(4 * 1024 * 1024);
    model.dispose();
    x.dispose();
  });

  it("is also Python's tensorflowjs.converters.save_keras_model", () => {
    expect(tensorflowjs.converters.save_keras_model).toBe(keras.saving.save_tfjs);
  });
});

describe('save_tfjs faults', () => {
  it('a model not built yet, a path that is a file, a layer tfjs-layers lacks, hard_sigmoid', () => {
    expect(() => keras.saving.save_tfjs(Sequential([Dense(2)]), join(root, 'unbuilt'))).toThrow(/has not been built yet/);
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const model = Sequential([keras.Input({ shape: [3] }), Dense(2)]);
    expect(() => keras.saving.save_tfjs(model, file)).toThrow(/exists and is not a folder/);
    const gru = Sequential([keras.Input({ shape: [4, 2] }), L.GRU(2)]);
    expect(() => keras.saving.save_tfjs(gru, join(root, 'gru'))).toThrow(/class GRU has no TensorFlow.js layers equivalent/);
    expect(existsSync(join(root, 'gru', 'model.json'))).toBe(false);
    const hard = Sequential([keras.Input({ shape: [3] }), Dense(2, { activation: 'hard_sigmoid' })]);
    expect(() => keras.saving.save_tfjs(hard, join(root, 'hard'))).toThrow(/hard_sigmoid.*relu6/);
    for (const m of [model, gru, hard]) m.dispose();
  });

  it("GRU and GRUCell with Keras 3's default reset_after=True, a cell of your own, hard_sigmoid inside a cell: refused naming the layer", () => {
    const refused = (name: string, layer: Parameters<keras.Sequential['add']>[0], message: RegExp) => {
      const model = Sequential([keras.Input({ shape: [4, 2] })]);
      model.add(layer);
      expect(() => keras.saving.save_tfjs(model, join(root, name))).toThrow(message);
      expect(existsSync(join(root, name, 'model.json'))).toBe(false);
      model.dispose();
    };
    // tfjs-layers 4.22's GRUCell constructor: "GRUCell does not support reset_after parameter set to true".
    refused('gru_after', L.GRU(2, { name: 'g' }), /layer 'g' of class GRU has no TensorFlow.js layers equivalent that keras-like writes with reset_after=True/);
    refused('gru_cell_after', L.RNN(L.GRUCell(2), { name: 'r' }), /layer 'r' has a cell of class GRUCell, which has no TensorFlow.js layers equivalent that keras-like writes with reset_after=True/);
    refused('stack_after', L.RNN([L.LSTMCell(2), L.GRUCell(2)], { name: 's' }), /layer 's' has a cell of class GRUCell, .*reset_after=True/);
    class MinimalCell {
      readonly state_size = 2;
      call(x: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
        const h = tf.add(tf.sum(x, -1, true), states[0]!);
        return [h, [h]];
      }
    }
    refused('user_cell', L.RNN(new MinimalCell(), { name: 'u' }), /layer 'u' has a cell of class MinimalCell, which has no TensorFlow.js layers equivalent that keras-like writes/);
    refused('cell_hard', L.RNN(L.LSTMCell(2, { recurrent_activation: 'hard_sigmoid' }), { name: 'h' }), /layer 'h' uses recurrent_activation='hard_sigmoid'/);
    refused('bidirectional_gru', L.Bidirectional(L.GRU(2, { name: 'bg' })), /layer 'bg' of class GRU has no TensorFlow.js layers equivalent that keras-like writes with reset_after=True/);
    // tfjs-layers 4.22 fails on it: "layer: Improper config format ... 'className' and 'config' must set".
    refused('bidirectional_rnn_cell', L.Bidirectional(L.RNN([L.LSTMCell(2), L.GRUCell(2, { reset_after: false })]), { name: 'b1' }), /layer 'b1' of class Bidirectional wraps an RNN\(cell\)/);
    refused('bidirectional_own_backward', L.Bidirectional(L.LSTM(2), { backward_layer: L.LSTM(3, { go_backwards: true }), name: 'b2' }), /layer 'b2' of class Bidirectional has a backward_layer that is not a copy of its layer/);
  });

  it('leaves tf.memory().numTensors unchanged', () => {
    const model = Sequential([keras.Input({ shape: [3] }), Dense(2)]);
    keras.saving.save_tfjs(model, join(root, 'mem'));
    const before = tf.memory().numTensors;
    keras.saving.save_tfjs(model, join(root, 'mem'));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
