/**
 * `model.save('x.h5')`: the legacy HDF5 file, checked against real Keras 3 from committed files
 * (no Python in CI). scripts/keras-golden/legacy_h5_write.ts wrote keras_like_*_legacy.h5 with
 * keras-like; scripts/keras-golden/legacy_h5.py loaded each in Keras 3 (`keras.models.load_model`)
 * and read it with h5py, and recorded Keras's predictions, what h5py saw, and the layout of the
 * file Keras 3 itself writes for the model it loaded (test/fixtures/keras/legacy_h5.json).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dense, keras, Sequential, tf } from 'keras-like';
import { datasetValues, getGroup, getNode, readHdf5, type H5Attribute, type H5Dataset, type H5Group } from '../../src/saving/hdf5.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from '../parity/golden.js';

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
}
interface Layout {
  root_attrs: string[];
  model_config: { class_name: string; config: Record<string, unknown> };
  layer_names: string[];
  weights: Record<string, WeightEntry[]>;
  optimizer_weight_names: string[] | null;
}
interface LegacyCase extends GoldenCase {
  file: string;
  x: GoldenTensor | GoldenTensor[];
  predictions: GoldenTensor | GoldenTensor[];
  optimizer_variables: GoldenTensor[];
  optimizer_class: string;
  layers: string[];
  h5py: Layout & { keras_version: string; training_config: Record<string, unknown> | null };
  keras_writes: Layout;
}

const fixture = loadFixture<LegacyCase>('legacy_h5');
reportWorstErrors(fixture.module);
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keras-like-legacy-h5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The legacy-format warning Keras prints on every `.h5` save is expected here.
beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

type LoadedModel = {
  predict(x: tf.Tensor | tf.Tensor[], o: object): tf.Tensor | tf.Tensor[];
  optimizer: { variables: tf.Tensor[]; class_name: string };
  layers: Array<{ name: string }>;
  dispose(): void;
};

function names(value: H5Attribute | undefined): string[] {
  return value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

const H5PY_DTYPE: Record<string, string> = { '<f': 'float32', '<i': 'int32' };

/** The file as keras-like's HDF5 reader sees it, in the fixture's terms. */
function layoutOf(tree: H5Group): Layout {
  const modelWeights = getGroup(tree, 'model_weights')!;
  const weights: Record<string, WeightEntry[]> = {};
  for (const layer of [...names(modelWeights.attrs.layer_names), 'top_level_model_weights']) {
    const group = getGroup(modelWeights, layer)!;
    weights[layer] = names(group.attrs.weight_names).map((name) => {
      const cut = name.lastIndexOf('/');
      const dataset = getGroup(group, name.slice(0, Math.max(cut, 0)))!.children.get(name.slice(cut + 1))!;
      if (dataset.kind !== 'dataset') throw new Error(`${name} is not a dataset`);
      return { name, shape: dataset.shape, dtype: H5PY_DTYPE[dataset.dtype] ?? dataset.dtype };
    });
  }
  const optimizer = getGroup(tree, 'optimizer_weights');
  return {
    root_attrs: Object.keys(tree.attrs).sort(),
    model_config: JSON.parse(String(tree.attrs.model_config)),
    layer_names: names(modelWeights.attrs.layer_names),
    weights,
    optimizer_weight_names: optimizer === undefined ? null : names(optimizer.attrs.weight_names),
  };
}

/** A model config reduced to its graph: class names, layer names, nodes, inputs and outputs (not each layer's own options). */
function graphOf(config: { class_name: string; config: Record<string, unknown> }): unknown {
  const { layers, ...rest } = config.config as { layers: Array<{ class_name: string; config: Record<string, unknown> }> };
  return {
    class_name: config.class_name,
    ...rest,
    layers: layers.map((layer) => {
      const { config: inner, ...entry } = layer;
      return { ...entry, layer_name: inner.name, ...(Array.isArray(inner.layers) ? { nested: graphOf(layer) } : {}) };
    }),
  };
}

describe('model.save("x.h5") writes the file Keras 3 loads (fixture: Keras 3.16 on torch, h5py)', () => {
  for (const c of fixture.cases) {
    const tolerance = c.tolerance ?? fixture.tolerance;
    it(`${c.file}: keras-like's load_model predicts what Keras 3 predicted from it`, () => {
      const model = keras.models.load_model(file(c.file)) as unknown as LoadedModel;
      expect(model.layers.map((l) => l.name)).toEqual(c.layers);
      expect(model.optimizer.class_name).toBe(c.optimizer_class);
      const x = Array.isArray(c.x) ? c.x.map(toTensor) : toTensor(c.x);
      const predictions = model.predict(x, { verbose: 0 });
      const got = Array.isArray(predictions) ? predictions : [predictions];
      const expected = Array.isArray(c.predictions) ? c.predictions : [c.predictions];
      expect(got.length).toBe(expected.length);
      got.forEach((p, k) => expectGolden(fixture.module, c.name, `predictions[${k}]`, p, expected[k]!, tolerance));
      // Keras 3.16's legacy loader restores the iteration count and learning rate only (its own
      // files too); keras-like restores every slot (checked bit for bit below).
      const variables = model.optimizer.variables;
      c.optimizer_variables.forEach((v, i) => expectGolden(fixture.module, c.name, `optimizer variable ${i}`, variables[i]!, v, tolerance));
      tf.dispose([x, predictions, ...variables] as tf.Tensor[]);
      model.dispose();
    });

    it(`${c.file}: h5py reads the layout keras-like wrote, and it is the layout Keras 3 writes`, () => {
      const ours = layoutOf(readHdf5(new Uint8Array(readFileSync(file(c.file))), c.file));
      const { keras_version, training_config, ...h5py } = c.h5py;
      expect(ours).toEqual(h5py);
      expect(keras_version).toBe('3.16.0');
      expect(training_config === null ? null : Object.keys(training_config).sort()).toEqual(
        ['jit_compile', 'loss', 'loss_weights', 'metrics', 'optimizer_config', 'run_eagerly', 'steps_per_execution', 'weighted_metrics'],
      );
      // Keras 3 re-saving the model it loaded: the same attributes, layer groups, weight names,
      // shapes and dtypes, and the same graph in model_config.
      const keras3 = c.keras_writes;
      expect(ours.root_attrs).toEqual(keras3.root_attrs);
      expect(ours.layer_names).toEqual(keras3.layer_names);
      expect(ours.weights).toEqual(keras3.weights);
      expect(graphOf(ours.model_config)).toEqual(graphOf(keras3.model_config));
    });
  }
});

describe('Keras 3\'s own legacy file, loaded and saved again by keras-like', () => {
  it('keras_dense_legacy.h5 (written by Keras 3.16, saving.py): the same groups, weight names, optimizer weight names and values', () => {
    const original = readHdf5(new Uint8Array(readFileSync(file('keras_dense_legacy.h5'))), 'keras_dense_legacy.h5');
    const model = keras.models.load_model(file('keras_dense_legacy.h5')) as unknown as LoadedModel & { save(p: string): void };
    const path = join(dir, 'again.h5');
    model.save(path);
    const again = readHdf5(new Uint8Array(readFileSync(path)), path);
    const theirs = layoutOf(original);
    const ours = layoutOf(again);
    expect(ours.root_attrs).toEqual(theirs.root_attrs);
    expect(ours.layer_names).toEqual(theirs.layer_names);
    expect(ours.weights).toEqual(theirs.weights);
    expect(graphOf(ours.model_config)).toEqual(graphOf(theirs.model_config));
    // Keras wrote Adam's slots by its variables' paths: 'adam/sequential_hidden_kernel_momentum', ...
    expect(ours.optimizer_weight_names).toEqual(theirs.optimizer_weight_names);
    for (const layer of ours.layer_names) {
      for (const { name } of ours.weights[layer]!) {
        const value = (tree: H5Group) => Array.from(datasetValues(getNode(getGroup(tree, `model_weights/${layer}`)!, name) as H5Dataset));
        expect(value(again)).toEqual(value(original));
      }
    }
    model.dispose();
  });
});

const x = tf.randomNormal([24, 4], 0, 1, 'float32', 3);
const y = tf.randomNormal([24, 2], 0, 1, 'float32', 4);
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));

function net() {
  keras.utils.set_random_seed(6);
  // BatchNormalization before Dense: the legacy weight order (trainable first) is not `weights`' order.
  const inner = Sequential([keras.Input({ shape: [6] }), keras.layers.BatchNormalization(), Dense(3, { activation: 'tanh' })], { name: 'inner' });
  const m = Sequential([keras.Input({ shape: [4] }), Dense(6, { activation: 'relu' }), inner, Dense(2)]);
  m.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mean_squared_error' });
  return m;
}

describe('keras-like reads its own .h5 back', () => {
  it('training resumes bit-identically after save("x.h5") + load_model (weights, statistics, Adam slots)', () => {
    const straight = net();
    straight.fit(x, y, { epochs: 4, batch_size: 8, shuffle: false, verbose: 0 });
    const resumed = net();
    resumed.fit(x, y, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    const path = join(dir, 'half.h5');
    resumed.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof net>;
    loaded.fit(x, y, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    expect(bits(loaded.get_weights())).toEqual(bits(straight.get_weights()));
    expect(bits(loaded.optimizer.variables)).toEqual(bits(straight.optimizer.variables));
    [straight, resumed, loaded].forEach((m) => m.dispose());
  });

  it('include_optimizer: false writes no training_config and no optimizer_weights (Keras\'s rule); the model loads uncompiled', () => {
    const m = net();
    m.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
    const path = join(dir, 'no_optimizer.hdf5');
    m.save(path, { include_optimizer: false });
    const tree = readHdf5(new Uint8Array(readFileSync(path)), path);
    expect(Object.keys(tree.attrs).sort()).toEqual(['backend', 'keras_version', 'model_config']);
    expect(getGroup(tree, 'optimizer_weights')).toBeUndefined();
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof net>;
    expect(bits(loaded.get_weights())).toEqual(bits(m.get_weights()));
    expect(() => loaded.optimizer).toThrow();
    [m, loaded].forEach((model) => model.dispose());
  });

  it('a functional model round-trips (keras-like writes Keras\'s nodes; the legacy loader rebuilds the graph)', () => {
    keras.utils.set_random_seed(7);
    const a = keras.Input({ shape: [4], name: 'a' });
    const b = keras.Input({ shape: [4], name: 'b' });
    const shared = Dense(3, { name: 'shared' });
    const out = keras.layers.Concatenate().apply([shared.apply(a) as keras.KerasTensor, shared.apply(b) as keras.KerasTensor]);
    const m = keras.Model([a, b], out);
    const path = join(dir, 'functional.h5');
    m.save(path);
    const loaded = keras.models.load_model(path) as unknown as typeof m;
    const inputs = [x, tf.randomNormal([24, 4], 0, 1, 'float32', 5)];
    const before = m.predict(inputs, { verbose: 0 }) as tf.Tensor;
    const after = loaded.predict(inputs, { verbose: 0 }) as tf.Tensor;
    expect(bits([after])).toEqual(bits([before]));
    tf.dispose([before, after, inputs[1]!]);
    [m, loaded].forEach((model) => model.dispose());
  });

  it('a Sequential nested in a Sequential loads, from .h5 and from .keras (its config is a model class, not a layer)', () => {
    const m = net();
    for (const name of ['nested.h5', 'nested.keras']) {
      m.save(join(dir, name));
      const loaded = keras.models.load_model(join(dir, name)) as unknown as ReturnType<typeof net>;
      expect(loaded.layers.map((l) => l.className)).toEqual(['Dense', 'Sequential', 'Dense']);
      expect(bits(loaded.get_weights())).toEqual(bits(m.get_weights()));
      loaded.dispose();
    }
    m.dispose();
  });

  it('leaves tf.memory().numTensors unchanged', () => {
    const m = net();
    m.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
    const path = join(dir, 'leak.h5');
    m.save(path);
    const before = tf.memory().numTensors;
    m.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof net>;
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('faults', () => {
  it('a folder that does not exist, an existing file with overwrite: false, a bad option: errors at save; no temporary file left', () => {
    const m = net();
    expect(() => m.save(join(dir, 'missing', 'm.h5'))).toThrow(/the folder .*missing does not exist/);
    const path = join(dir, 'kept.h5');
    writeFileSync(path, 'an existing file');
    expect(() => m.save(path, { overwrite: false })).toThrow(/exists and `overwrite` is false/);
    expect(readFileSync(path, 'utf8')).toBe('an existing file');
    expect(() => m.save(path, { include_optimizer: 'yes' as never })).toThrow(/include_optimizer/);
    expect(() => m.save(join(dir, 'm.json'))).toThrow(/Please add either a `.keras` extension .* or a `.h5` extension/);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
    m.dispose();
  });

  it('an existing .h5 is never left half-written: a failed save keeps the old bytes', () => {
    const path = join(dir, 'keep.h5');
    const m = net();
    m.save(path);
    const old = readFileSync(path);
    const doomed = net();
    doomed.layers[0]!.get_config = () => {
      throw new Error('no config');
    };
    expect(() => doomed.save(path)).toThrow('no config');
    expect(readFileSync(path).equals(old)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    [m, doomed].forEach((model) => model.dispose());
  });

  it('prints Keras\'s warning that the format is legacy', () => {
    const m = net();
    m.save(join(dir, 'warned.h5'));
    expect(vi.mocked(console.warn).mock.calls.flat().join('\n')).toMatch(/This file format is considered legacy/);
    m.dispose();
  });
});
