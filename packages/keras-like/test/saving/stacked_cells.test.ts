/**
 * An RNN over a list of cells (`RNN([LSTMCell(4), GRUCell(2)])`, Keras's StackedRNNCells) saved and
 * loaded (issue 16/17). Checked against real Keras 3 (scripts/keras-golden/stacked_cells.py, torch
 * backend; fixture test/fixtures/keras/stacked_cells.json): the files Keras wrote load here with
 * Keras's predictions and configs (the cell `{class_name: 'StackedRNNCells', config: {cells: [...]}}`)
 * and train as Keras trained them (three SGD steps); the file keras-like wrote
 * (scripts/keras-golden/stacked_cells_write.ts) gives here what Keras computed after loading it; the
 * weights file has Keras's groups (`layers/rnn/cell/cells/lstm_cell/vars`, ...); `to_json` and
 * `.keras` round-trip here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, tf } from 'keras-like';
import { loadFixture, reportWorstErrors, toTensor, expectGolden } from '../parity/golden.js';
import { readHdf5, type H5Group } from '../../src/saving/hdf5.js';
import { expectKerasRoundTrip, expectTrainsAsKeras, expectWhatKerasComputedFromOurFile, kerasFile, type KerasFileCase } from './encoder_decoder_interop.js';

const L = keras.layers;
type Model = ReturnType<typeof keras.Model>;
type LayerConfig = { class_name: string; config: Record<string, unknown> };

interface StackedCase extends KerasFileCase {
  groups: Record<string, number[]>;
  legacy_file?: string;
  layer_configs?: LayerConfig[];
}

const MODULE = 'stacked_cells';
const fixture = loadFixture<StackedCase>(MODULE);
reportWorstErrors(MODULE);
const [twoCells, oneCell, bidirectional, writtenHere] = fixture.cases as [StackedCase, StackedCase, StackedCase, StackedCase];
const tolerance = fixture.tolerance;
const dir = mkdtempSync(join(tmpdir(), 'keras-like-stacked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stacked_cells.py's third model (and stacked_cells_write.ts's), built here. */
function stackedBidirectional() {
  return keras.Sequential([
    keras.Input({ shape: [5, 3] }),
    L.RNN([L.LSTMCell(4), L.GRUCell(3)], { return_sequences: true }),
    L.Bidirectional(L.RNN([L.GRUCell(2), L.SimpleRNNCell(2)])),
    L.Dense(1),
  ]);
}

/** The datasets of a weights tree, {path: shape}, as h5py's `visititems` lists them. */
function datasets(group: H5Group, prefix = ''): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, node] of group.children) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (node.kind === 'dataset') out[path] = [...node.shape];
    else Object.assign(out, datasets(node, path));
  }
  return out;
}

/** Keras's groups without the optimizer's (a model built here and not compiled has none). */
const layerGroups = (groups: Record<string, number[]>) => Object.fromEntries(Object.entries(groups).filter(([path]) => !path.startsWith('optimizer/')));

function expectKerasPredictionsAndConfigs(c: StackedCase): void {
  const model = keras.models.load_model(kerasFile(c.file)) as Model;
  expect(model.layers.map((l) => l.name)).toEqual(c.layers);
  const x = c.x.map(toTensor);
  const predictions = model.predict(x, { verbose: 0 }) as tf.Tensor;
  expectGolden(MODULE, c.name, 'predictions', predictions, c.predictions, tolerance);
  // Every layer's config is Keras's, key for key (the RNNs' StackedRNNCells with their cells, Bidirectional's two RNNs).
  expect(model.get_config().layers).toEqual(c.layer_configs);
  tf.dispose([...x, predictions]);
  model.dispose();
}

describe('an RNN over a list of cells written by Keras 3 loads and trains in keras-like', () => {
  it("RNN([LSTMCell(4), GRUCell(2)]): Keras's predictions, and its config written back (StackedRNNCells with its cells)", () => {
    expectKerasPredictionsAndConfigs(twoCells);
    const model = keras.models.load_model(kerasFile(twoCells.file)) as Model;
    const rnn = model.layers[0] as keras.layers.RNN;
    const stack = (rnn.cell as unknown as { cell: keras.layers.StackedRNNCells }).cell;
    expect(stack).toBeInstanceOf(keras.layers.StackedRNNCells);
    expect(stack.cells.map((c) => (c as { name: string }).name)).toEqual(['lstm_cell', 'gru_cell']);
    expect(model.weights.length).toBe(twoCells.weight_paths!.length);
    model.dispose();
  });

  it("RNN([LSTMCell(4), GRUCell(2)]) in Keras's legacy .h5 file: the same predictions (the config's StackedRNNCells, the cells' weights in order)", () => {
    const model = keras.models.load_model(kerasFile(twoCells.legacy_file!)) as Model;
    const x = twoCells.x.map(toTensor);
    const predictions = model.predict(x, { verbose: 0 }) as tf.Tensor;
    expectGolden(MODULE, twoCells.name, 'predictions of the legacy .h5 file', predictions, twoCells.predictions, tolerance);
    tf.dispose([...x, predictions]);
    model.dispose();
  });

  it("RNN([LSTMCell(4), GRUCell(2)]) trains: three SGD steps give Keras's losses and weights", () => {
    expectTrainsAsKeras(MODULE, twoCells, tolerance, []);
  });

  it('RNN([LSTMCell(4)]): Keras keeps a StackedRNNCells of one cell, and so does keras-like', () => {
    expectKerasPredictionsAndConfigs(oneCell);
  });

  it("Bidirectional(RNN([GRUCell, SimpleRNNCell])) after RNN([LSTMCell, GRUCell]): Keras's predictions and configs, three SGD steps", () => {
    expectKerasPredictionsAndConfigs(bidirectional);
    expectTrainsAsKeras(MODULE, bidirectional, tolerance, []);
  });
});

describe('an RNN over a list of cells written by keras-like loads in Keras 3', () => {
  it(`${writtenHere.file} gives here the predictions and optimizer state Keras 3 computed from it`, () => {
    expectWhatKerasComputedFromOurFile(MODULE, writtenHere, tolerance);
  });

  it("the weights file has Keras's groups: layers/rnn/cell/cells/lstm_cell/vars, .../forward_layer/cell/cells/gru_cell/vars, ...", () => {
    for (const [c, build] of [
      [twoCells, () => keras.Sequential([keras.Input({ shape: [5, 3] }), L.RNN([L.LSTMCell(4), L.GRUCell(2)]), L.Dense(1)])],
      [oneCell, () => keras.Sequential([keras.Input({ shape: [5, 3] }), L.RNN([L.LSTMCell(4)]), L.Dense(1)])],
      [bidirectional, stackedBidirectional],
    ] as const) {
      const model = build();
      const path = join(dir, `${c.file}.weights.h5`);
      model.save_weights(path);
      expect(datasets(readHdf5(new Uint8Array(readFileSync(path)), path))).toEqual(layerGroups(c.groups));
      model.dispose();
    }
  });
});

describe('an RNN over a list of cells round-trips in keras-like', () => {
  it('to_json / model_from_json and from_config: the same config, and the same predictions with the weights copied', () => {
    const model = keras.Sequential([keras.Input({ shape: [5, 3] }), L.RNN([L.LSTMCell(4), L.GRUCell(2)]), L.Dense(1)]);
    const x = tf.randomNormal([3, 5, 3], 0, 1, 'float32', 3);
    for (const copy of [keras.models.model_from_json(model.to_json()) as Model, keras.Sequential.from_config(model.get_config()) as Model]) {
      expect(copy.get_config()).toEqual(model.get_config());
      copy.set_weights(model.get_weights());
      const [a, b] = [model.predict(x, { verbose: 0 }) as tf.Tensor, copy.predict(x, { verbose: 0 }) as tf.Tensor];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
      copy.dispose();
    }
    x.dispose();
    model.dispose();
  });

  it('.keras: save, load, equal predictions and config (stacked cells and Bidirectional over them)', () => {
    const model = stackedBidirectional();
    const x = [tf.randomNormal([3, 5, 3], 0, 1, 'float32', 4)];
    expectKerasRoundTrip(model, x, join(dir, 'stacked.keras'));
    tf.dispose(x);
    model.dispose();
  });

  it('loading and predicting keeps the tensor count', () => {
    const x = toTensor(bidirectional.x[0]!);
    const run = () => {
      const model = keras.models.load_model(kerasFile(bidirectional.file)) as Model;
      (model.predict(x, { verbose: 0 }) as tf.Tensor).dispose();
      model.dispose();
    };
    run();
    const count = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(count);
    x.dispose();
  });
});

describe('save_tfjs', () => {
  it("refuses an RNN over a list of cells holding a GRUCell with Keras 3's default reset_after=True, naming the layer (tfjs-layers' GRUCell has reset_after=False only; the other stacks are written: test/saving/tfjs_format.test.ts)", () => {
    const model = keras.Sequential([keras.Input({ shape: [5, 3] }), L.RNN([L.LSTMCell(4), L.GRUCell(2)], { name: 'stacked' }), L.Dense(1)]);
    expect(() => keras.saving.save_tfjs(model, join(dir, 'tfjs'))).toThrow(/save_tfjs: layer 'stacked' has a cell of class GRUCell, which has no TensorFlow.js layers equivalent that keras-like writes with reset_after=True/);
    model.dispose();
  });
});

describe('StackedRNNCells: bad input fails at the call', () => {
  it('a wrong keyword argument, or a config whose cells are not a list, is refused with Keras-worded errors', () => {
    expect(() => new keras.layers.StackedRNNCells([L.LSTMCell(2)], { name: '' })).toThrow(/StackedRNNCells: .*name/);
    expect(() => new keras.layers.StackedRNNCells([L.LSTMCell(2)], { units: 3 } as never)).toThrow(/StackedRNNCells/);
    const config = { module: 'keras.layers', class_name: 'RNN', config: { name: 'rnn', cell: { module: 'keras.layers', class_name: 'StackedRNNCells', config: { name: 's', cells: 'lstm' } } } };
    expect(() => keras.layers.deserialize(config)).toThrow(/StackedRNNCells: the config's `cells` must be a list of serialized cells. Received: cells='lstm'/);
  });
});
