/**
 * A user's layer inside wrappers and nested models (issue 17): `.keras` files written by real
 * Keras 3 (scripts/keras-golden/custom_objects.py) with TimeDistributed(MyScale),
 * Bidirectional(RNN(MyCell)) and MyScale inside a Sequential nested in a functional model and in
 * a Sequential load here with Keras's predictions when the class is given in `custom_objects`, in
 * a `custom_object_scope` or registered with `register_keras_serializable`; without it the load
 * fails with "Could not locate class" naming custom_objects. The same on model_from_json and
 * from_config, and round trips of files written here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, layerSchema, Layer, tf, type Shape } from 'keras-like';
import { expectGolden, loadFixture, toTensor, type GoldenCase, type GoldenTensor } from '../parity/golden.js';

interface CustomCase extends GoldenCase {
  file: string;
  x: GoldenTensor;
  predictions: GoldenTensor;
  weights: GoldenTensor[];
  config: Record<string, unknown>;
}
const fixture = loadFixture<CustomCase>('custom_objects');
const caseOf = (file: string) => fixture.cases.find((c) => c.file === file)!;
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keras-like-custom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Keras's MyScale of the script: y = x · w · factor, w (features,) initialised to ones. */
class MyScale extends Layer {
  readonly factor: number;
  w: tf.Variable | null = null;
  constructor({ factor = 1, ...options }: { factor?: number; name?: string; trainable?: boolean; dtype?: 'float32' } = {}) {
    super(layerSchema.parse(options), 'my_scale');
    this.factor = factor;
  }
  override build(shape: Shape): void {
    this.w = this.add_weight({ name: 'w', shape: [shape.at(-1)!], initializer: (s) => tf.ones(s) });
    super.build(shape);
  }
  override call(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.mul(x, this.w!), this.factor);
  }
  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), factor: this.factor };
  }
}

/** Keras's MyCell of the script: h(t) = tanh(x(t) K + h(t−1) R), registered as 'course>MyCell'. */
class MyCell extends keras.layers.AbstractRNNCell {
  readonly units: number;
  kernel: tf.Variable | null = null;
  recurrent_kernel: tf.Variable | null = null;
  constructor({ units, name }: { units: number; name?: string }) {
    super({ name });
    this.units = units;
  }
  get state_size(): number {
    return this.units;
  }
  override build(input_shape: Shape): void {
    this.kernel = this.add_weight({ name: 'kernel', shape: [input_shape.at(-1)!, this.units] });
    this.recurrent_kernel = this.add_weight({ name: 'recurrent_kernel', shape: [this.units, this.units] });
    super.build(input_shape);
  }
  call(x: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const h = tf.tanh(tf.add(tf.matMul(x, this.kernel!), tf.matMul(states[0]!, this.recurrent_kernel!)));
    return [h, [h]];
  }
  get_config(): Record<string, unknown> {
    return { name: this.name, trainable: true, units: this.units };
  }
}
keras.saving.register_keras_serializable({ package: 'course' })(MyCell);

interface Predictor {
  predict(x: tf.Tensor, options: object): tf.Tensor;
  get_weights(): tf.Tensor[];
  layers: Layer[];
  dispose(): void;
}

function expectKerasPredictions(c: CustomCase, model: Predictor) {
  const x = toTensor(c.x);
  const y = model.predict(x, { verbose: 0 });
  expectGolden(fixture.module, c.name, 'predictions', y, c.predictions, fixture.tolerance);
  const weights = model.get_weights();
  expect(weights.length).toBe(c.weights.length);
  weights.forEach((w, i) => expectGolden(fixture.module, c.name, `weight ${i}`, w, c.weights[i]!, { rtol: 0, floor: 0 }));
  tf.dispose([x, y, ...weights]);
}

const FILES = ['keras_custom_td.keras', 'keras_custom_nested.keras', 'keras_custom_nested_seq.keras'];

describe('files written by Keras 3 with a user layer inside a wrapper or a nested model', () => {
  for (const name of FILES) {
    it(`${name}: loads with custom_objects, in a custom_object_scope, and fails without`, () => {
      const c = caseOf(name);
      const loaded = keras.models.load_model(file(name), { custom_objects: { MyScale } }) as unknown as Predictor;
      expectKerasPredictions(c, loaded);
      const scoped = keras.saving.custom_object_scope({ MyScale }, () => keras.models.load_model(file(name))) as unknown as Predictor;
      expectKerasPredictions(c, scoped);
      expect(() => keras.models.load_model(file(name))).toThrow(
        /^Could not locate class 'MyScale'\. Make sure custom classes are decorated with `@keras.saving.register_keras_serializable\(\)` .* or passed in `custom_objects`, such as keras\.models\.load_model\(path, \{ custom_objects: \{ MyScale \} \}\)\..*Full object config: \{"module":null,"class_name":"MyScale"/s,
      );
      // The scope ended with the callback.
      expect(() => keras.models.load_model(file(name))).toThrow(/Could not locate class 'MyScale'/);
      tf.dispose([loaded, scoped] as never);
    });
  }
  it('keras_custom_bidirectional.keras: a registered cell inside Bidirectional(RNN(cell)) loads with nothing passed', () => {
    const c = caseOf('keras_custom_bidirectional.keras');
    const loaded = keras.models.load_model(file('keras_custom_bidirectional.keras')) as unknown as Predictor;
    expectKerasPredictions(c, loaded);
    const bi = loaded.layers[0] as unknown as { forward_layer: { cell: { cell: unknown } }; backward_layer: { cell: { cell: unknown } } };
    expect(bi.forward_layer.cell.cell).toBeInstanceOf(MyCell);
    expect(bi.backward_layer.cell.cell).toBeInstanceOf(MyCell);
    loaded.dispose();
  });
  it('model_from_json and from_config find the classes of nested layers the same way', () => {
    const c = caseOf('keras_custom_nested.keras');
    // Keras's config.json of that file, as Keras's model.to_json() would hold it.
    const json = JSON.stringify({ module: 'keras.src.models.functional', class_name: 'Functional', config: c.config, registered_name: 'Functional' });
    expect(() => keras.models.model_from_json(json)).toThrow(/Could not locate class 'MyScale'.*custom_objects/s);
    const fromJson = keras.models.model_from_json(json, { MyScale }) as unknown as Predictor;
    expect(fromJson.layers.map((l) => l.name)).toEqual(['a', 'inner', 'head']);
    expect((fromJson.layers[1] as unknown as Predictor).layers[0]).toBeInstanceOf(MyScale);
    expect(((fromJson.layers[1] as unknown as Predictor).layers[0] as MyScale).factor).toBe(2);
    expect(() => keras.Model.from_config(c.config)).toThrow(/Could not locate class 'MyScale'/);
    const fromConfig = keras.Model.from_config(c.config, { MyScale });
    expect((fromConfig.layers[1] as unknown as Predictor).layers[0]).toBeInstanceOf(MyScale);
    const seq = caseOf('keras_custom_nested_seq.keras');
    expect(() => keras.Sequential.from_config(seq.config)).toThrow(/Could not locate class 'MyScale'/);
    const fromSeq = keras.Sequential.from_config(seq.config, { MyScale });
    expect(((fromSeq.layers[0] as unknown as Predictor).layers[0] as MyScale).factor).toBe(0.5);
    tf.dispose([fromJson, fromConfig, fromSeq] as never);
  });
});

describe('files written here with a user layer inside wrappers and nested models', () => {
  it('TimeDistributed(MyScale) and a nested Sequential round-trip with custom_objects; the weights and predictions are equal', () => {
    keras.utils.set_random_seed(21);
    const inner = keras.Sequential([keras.Input({ shape: [12] }), new MyScale({ factor: 1.5 }), keras.layers.Dense(3)], { name: 'inner' });
    const model = keras.Sequential([keras.Input({ shape: [4, 3] }), keras.layers.TimeDistributed(new MyScale({ factor: 2 })), keras.layers.Flatten(), inner as never, keras.layers.Dense(2)]);
    const path = join(dir, 'td.keras');
    model.save(path);
    expect(() => keras.models.load_model(path)).toThrow(/Could not locate class 'MyScale'/);
    const loaded = keras.models.load_model(path, { custom_objects: { MyScale } }) as unknown as Predictor;
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5);
    const a = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const b = loaded.predict(x, { verbose: 0 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const wa = model.get_weights();
    const wb = loaded.get_weights();
    expect(wb.map((w) => Array.from(w.dataSync()))).toEqual(wa.map((w) => Array.from(w.dataSync())));
    tf.dispose([x, a, b, ...wa, ...wb, model, loaded] as never);
  });
  it('a registered layer is written under its registered name and loads with nothing passed', () => {
    class Registered extends MyScale {}
    keras.saving.register_keras_serializable({ package: 'course', name: 'Scale2' })(Registered);
    expect(keras.saving.get_registered_name(Registered)).toBe('course>Scale2');
    expect(keras.saving.get_registered_object('course>Scale2')).toBe(Registered);
    expect(keras.saving.get_custom_objects()['course>Scale2']).toBe(Registered);
    keras.utils.set_random_seed(22);
    const a = keras.Input({ shape: [3] });
    const inner = keras.Sequential([keras.Input({ shape: [3] }), new Registered({ factor: 3 })], { name: 'inner_seq' });
    const model = keras.Model({ inputs: a, outputs: keras.layers.Dense(1).apply(keras.layers.TimeDistributed(new Registered({ factor: 2 })).apply(keras.layers.Reshape([3, 1]).apply(inner.apply(a) as never) as never) as never) as never });
    const json = model.to_json();
    expect(json).toContain('"class_name":"Registered","config":{"name"');
    expect(json).toContain('"registered_name":"course>Scale2"');
    const path = join(dir, 'registered.keras');
    model.save(path);
    const loaded = keras.models.load_model(path) as unknown as Predictor;
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 6);
    const ya = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const yb = loaded.predict(x, { verbose: 0 });
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb, model, loaded] as never);
  });
  it('Bidirectional(RNN(MyCell)) round-trips (the cell is registered, as Keras requires)', () => {
    keras.utils.set_random_seed(23);
    const model = keras.Sequential([keras.Input({ shape: [4, 2] }), keras.layers.Bidirectional(keras.layers.RNN(new MyCell({ units: 3 }))), keras.layers.Dense(1)]);
    const path = join(dir, 'bi.keras');
    model.save(path);
    const loaded = keras.models.load_model(path) as unknown as Predictor;
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 7);
    const ya = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const yb = loaded.predict(x, { verbose: 0 });
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb, model, loaded] as never);
  });
  it('bad arguments fail at the call', () => {
    expect(() => keras.saving.register_keras_serializable({ package: 3 as never })).toThrow('`package` must be a string');
    expect(() => keras.saving.register_keras_serializable()(class NoConfig {})).toThrow('Cannot register a class that does not have a get_config() method.');
    expect(() => keras.saving.custom_object_scope({ MyScale }, undefined as never)).toThrow(/pass the code to run inside the scope as a function/);
  });
});
