/**
 * Saving a subclassed `keras.Model` (its own `call`), checked against real Keras 3
 * (scripts/keras-golden/subclassed_model.py, NumPy backend): Keras's `.keras` files of TwoDense
 * (registered, constructor takes get_config's keys) and Tower (not registered: custom_objects; its
 * constructor takes a layer, so it has its own from_config) load here with Keras's predictions,
 * exact weights and its get_config; keras-like's files of the same classes (trained here) load in
 * Keras with keras-like's predictions and optimizer state; keras-like writes the weights at the
 * HDF5 paths Keras's attribute walk gives; a round trip here resumes training bit-identically;
 * without get_config, the class or a constructor that takes the config, the errors Keras 3.16 raises.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, tf, NotImplementedError, type Layer, type ModelOptions } from 'keras-like';
import { readHdf5, type H5Group } from '../../src/saving/hdf5.js';
import { readKerasArchive } from '../../src/saving/keras_archive.js';
import { expectGolden, loadFixture, toTensor, type GoldenCase, type GoldenTensor } from '../parity/golden.js';
import { Tower, TwoDense } from './subclass_models.js';

interface SubclassCase extends GoldenCase {
  file: string;
  x: GoldenTensor;
  predictions: GoldenTensor;
  weights: GoldenTensor[];
  optimizer_variables?: GoldenTensor[];
  layers?: string[];
  config: Record<string, unknown>;
  datasets: string[];
}
interface ErrorCase extends GoldenCase {
  save_without_get_config: { type: string; message: string };
  load_without_the_class: { type: string; message: string };
  load_constructor_refuses_config: { type: string; message: string };
  legacy_h5_load: Record<'without_the_class' | 'with_the_class', { type: string; message: string }>;
}
const fixture = loadFixture<SubclassCase>('subclassed_model');
const caseOf = (file: string) => fixture.cases.find((c) => c.file === file)!;
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keras-like-subclass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const custom_objects = { Tower };

/** The datasets of a `.keras` file's model.weights.h5, as h5py's visititems lists them (sorted). */
function datasets(path: string): string[] {
  const found: string[] = [];
  const walk = (group: H5Group, prefix: string) => {
    for (const [name, node] of group.children) {
      const at = prefix === '' ? name : `${prefix}/${name}`;
      if (node.kind === 'dataset') found.push(at);
      else walk(node, at);
    }
  };
  walk(readHdf5(readKerasArchive(path).weights, path), '');
  return found.sort();
}

/** The layers' datasets, without the optimizer's. */
const layerDatasets = (list: string[]) => list.filter((p) => !p.startsWith('optimizer/'));

function expectKerasValues(c: SubclassCase, model: keras.Model, what = 'predictions') {
  const x = toTensor(c.x);
  const y = model.predict(x, { verbose: 0 });
  expectGolden(fixture.module, c.name, what, y, c.predictions, fixture.tolerance);
  const weights = model.get_weights();
  expect(weights.length).toBe(c.weights.length);
  weights.forEach((w, i) => expectGolden(fixture.module, c.name, `weight ${i}`, w, c.weights[i]!, { rtol: 0, floor: 0 }));
  tf.dispose([x, y, ...weights]);
}

describe('a subclassed Model saved by Keras 3 loads here', () => {
  it('keras_subclass_two_dense.keras: a registered class, rebuilt from its config, built by running call, Keras\'s weights at d1/vars and layers/dense_1/vars', () => {
    const c = caseOf('keras_subclass_two_dense.keras');
    const model = keras.models.load_model(file(c.file)) as TwoDense;
    expect(model).toBeInstanceOf(TwoDense);
    expect(model.hidden).toBe(5);
    expect(model.name).toBe('two_dense');
    expect(model.layers.length).toBe(c.layers!.length);
    // config.json's config, as Keras's get_config gives it (keras-like's get_config names the dtype, serializing writes the policy).
    expect((JSON.parse(model.to_json()) as { config: unknown }).config).toEqual(c.config);
    expectKerasValues(c, model);
    // Saved again here: the same HDF5 datasets as Keras's file.
    const path = join(dir, 'again_two_dense.keras');
    model.save(path);
    // Keras saved an optimizer it had not built (iterations, learning rate); keras-like builds it on loading.
    expect(layerDatasets(datasets(path))).toEqual(layerDatasets(c.datasets));
    model.dispose();
  });

  it('keras_subclass_tower.keras: an unregistered class with its own from_config loads with custom_objects (list field, private field), and fails without', () => {
    const c = caseOf('keras_subclass_tower.keras');
    const model = keras.models.load_model(file(c.file), { custom_objects }) as Tower;
    expect(model).toBeInstanceOf(Tower);
    expect(model.depth).toBe(2);
    expect(model.head.name).toBe('tower_head');
    expect(model.layers.map((l) => l === model.head)).toEqual([false, false, true, false]);
    const config = (JSON.parse(model.to_json()) as { config: Record<string, unknown> }).config;
    expect({ ...config, head: undefined }).toEqual({ ...c.config, head: undefined });
    expect((config.head as { class_name: string }).class_name).toBe('Dense');
    expectKerasValues(c, model);
    const path = join(dir, 'again_tower.keras');
    model.save(path);
    expect(layerDatasets(datasets(path))).toEqual(layerDatasets(c.datasets));
    const scoped = keras.saving.custom_object_scope(custom_objects, () => keras.models.load_model(file(c.file))) as Tower;
    expectKerasValues(c, scoped);
    expect(() => keras.models.load_model(file(c.file))).toThrow(/^Could not locate class 'Tower'\..*custom_objects: \{ Tower \}/s);
    tf.dispose([model, scoped] as never);
  });
});

describe('a subclassed Model saved here loads in Keras 3', () => {
  for (const name of ['keras_like_subclass_two_dense.keras', 'keras_like_subclass_tower.keras']) {
    it(`${name}: Keras's predictions, weights and optimizer state equal keras-like's`, () => {
      const c = caseOf(name);
      expect(datasets(file(name))).toEqual(c.datasets);
      const model = keras.models.load_model(file(name), { custom_objects }) as keras.Model;
      expect(model.constructor.name).toBe((c as SubclassCase & { class: string }).class);
      expectKerasValues(c, model, 'Keras predictions of the file');
      const variables = model.optimizer.variables;
      expect(variables.length).toBe(c.optimizer_variables!.length);
      variables.forEach((v, i) => expectGolden(fixture.module, c.name, `optimizer variable ${i}`, v, c.optimizer_variables![i]!, { rtol: 0, floor: 0 }));
      tf.dispose(variables);
      (model as unknown as { dispose(): void }).dispose();
    });
  }
});

describe('a subclassed Model round trip here', () => {
  const x = tf.tensor2d([[0.5, -1, 2], [1, 0.25, -0.5], [-2, 1, 0], [0.1, 0.2, 0.3]]);
  const y = tf.tensor2d([[1, 0], [0, 1], [0.5, 0.5], [-1, 1]]);

  it('save / load_model: same class, predictions, and training resumes bit-identically (Adam state)', () => {
    keras.utils.set_random_seed(3);
    const model = new TwoDense({ hidden: 3 });
    model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.05 }), loss: 'mean_squared_error' });
    model.fit(x, y, { epochs: 2, batch_size: 2, verbose: 0, shuffle: false });
    const path = join(dir, 'round_trip.keras');
    model.save(path);
    const config = JSON.parse(readKerasArchive(path).config) as Record<string, unknown>;
    expect(config).toMatchObject({ module: null, class_name: 'TwoDense', registered_name: 'course>TwoDense', build_config: { input_shape: [null, 3] } });
    expect(config.config).toEqual({ name: model.name, trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, hidden: 3 });
    const loaded = keras.models.load_model(path) as TwoDense;
    expect(loaded).toBeInstanceOf(TwoDense);
    const [a, b] = [model.predict(x, { verbose: 0 }), loaded.predict(x, { verbose: 0 })];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    model.train_on_batch(x, y);
    loaded.train_on_batch(x, y);
    const [wa, wb] = [model.get_weights(), loaded.get_weights()];
    wa.forEach((w, i) => expect(Array.from(wb[i]!.dataSync())).toEqual(Array.from(w.dataSync())));
    tf.dispose([a, b, ...wa, ...wb]);
    model.dispose();
    loaded.dispose();
  });

  it('to_json / model_from_json and from_config rebuild the class; load_weights fills it', () => {
    const model = new Tower({ head: keras.layers.Dense(2), depth: 3 });
    const before = model.predict(x, { verbose: 0 });
    const again = keras.models.model_from_json(model.to_json(), custom_objects) as Tower;
    expect(again).toBeInstanceOf(Tower);
    expect(again.blocks.length).toBe(3);
    expect(again.built).toBe(true); // built from build_config, by running call
    const path = join(dir, 'tower.weights.h5');
    model.save_weights(path);
    again.load_weights(path);
    const after = again.predict(x, { verbose: 0 });
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    const direct = Tower.from_config(model.get_config());
    expect(direct.depth).toBe(3);
    tf.dispose([before, after]);
    [model, again, direct].forEach((m) => m.dispose());
  });

  it('load_model, predict and dispose leave no tensors behind', () => {
    const path = file('keras_subclass_two_dense.keras');
    (keras.models.load_model(path) as TwoDense).dispose();
    const before = tf.memory().numTensors;
    const model = keras.models.load_model(path) as TwoDense;
    tf.dispose(model.predict(x, { verbose: 0 }));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('what Keras 3.16 raises, and keras-like with it', () => {
  const errors = fixture.cases.find((c) => c.name === 'errors without get_config / from_config') as unknown as ErrorCase;
  const words = (text: string) => text.replace(/\s+/g, ' ');

  class NoGetConfig extends keras.Model {
    readonly d = keras.layers.Dense(2);
    override call(x: tf.Tensor): tf.Tensor {
      return this.d.apply(x);
    }
  }

  it('save without get_config: NotImplementedError "must override get_config()"; save_weights needs none', () => {
    const model = new NoGetConfig();
    tf.dispose(model.predict(tf.ones([1, 3]), { verbose: 0 }));
    expect(errors.save_without_get_config.type).toBe('NotImplementedError');
    const keras316 = 'and therefore the object must override `get_config()` in order to be serializable. Please implement `get_config()`';
    expect(words(errors.save_without_get_config.message)).toContain(keras316);
    for (const call of [() => model.save(join(dir, 'no_config.keras')), () => model.to_json(), () => model.get_config()]) {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NotImplementedError);
      expect(words((thrown as Error).message)).toContain(keras316);
      expect((thrown as Error).message).toMatch(/^Object NoGetConfig is a subclass of keras.Model without its own `get_config\(\)`/);
    }
    model.save_weights(join(dir, 'no_config.weights.h5'));
    // The TensorFlow.js layers format has no place for a class of the user's.
    expect(() => keras.saving.save_tfjs(model as never, join(dir, 'no_config_tfjs'))).toThrow(/^save_tfjs: NoGetConfig is a subclassed model/);
    model.dispose();
  });

  it('the legacy .h5 file: written, but not loadable, as in Keras 3.16 (its legacy loader does not build a subclass)', () => {
    const model = new TwoDense({ hidden: 3 });
    tf.dispose(model.predict(tf.ones([2, 3]), { verbose: 0 }));
    const path = join(dir, 'two_dense.h5');
    model.save(path);
    const { with_the_class: withClass, without_the_class: withoutClass } = errors.legacy_h5_load;
    expect(withClass.message).toBe('Layer count mismatch when loading weights from file. Model expected 0 layers, found 2 saved layers.');
    expect(() => keras.models.load_model(path, { custom_objects: { TwoDense } })).toThrow(withClass.message);
    // The legacy config names the class without its package, so the registration does not find it (Keras: "Unknown layer: 'TwoDense'").
    expect(withoutClass.message).toMatch(/^Unknown layer: 'TwoDense'/);
    expect(() => keras.models.load_model(path)).toThrow(/^Could not locate class 'TwoDense'/);
    model.dispose();
  });

  it('a constructor that does not take the config: TypeError "Unable to revive model from config"', () => {
    // The constructor hands every option to keras.Model, which refuses `units` (Python's "unexpected keyword argument").
    class Forgetful extends keras.Model {
      readonly units = 2;
      readonly d: Layer;
      constructor(options: ModelOptions = {}) {
        super(options);
        this.d = keras.layers.Dense(this.units);
      }
      override call(x: tf.Tensor): tf.Tensor {
        return this.d.apply(x);
      }
      override get_config(): Record<string, unknown> {
        return { ...super.get_config(), units: this.units };
      }
    }
    const model = new Forgetful();
    tf.dispose(model.predict(tf.ones([1, 3]), { verbose: 0 }));
    const path = join(dir, 'forgetful.keras');
    model.save(path);
    const revive = errors.load_constructor_refuses_config;
    expect(revive.type).toBe('TypeError');
    const prefix = 'Unable to revive model from config. When overriding the `get_config()` method, make sure that the returned config contains all items used as arguments in the';
    expect(revive.message).toContain(prefix);
    expect(() => keras.models.load_model(path, { custom_objects: { Forgetful } })).toThrow(TypeError);
    expect(() => keras.models.load_model(path, { custom_objects: { Forgetful } })).toThrow(prefix);
    expect(() => keras.models.load_model(path, { custom_objects: { Forgetful } })).toThrow(/Error encountered during deserialization: .*units/s);
    expect(errors.load_without_the_class.message).toMatch(/^Could not locate class 'NoKwargs'/);
    expect(() => keras.models.load_model(path)).toThrow(/^Could not locate class 'Forgetful'/);
    model.dispose();
  });
});
