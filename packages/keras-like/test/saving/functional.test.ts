/**
 * Functional models in Keras 3's config (`inbound_nodes` with `__keras_tensor__` arguments,
 * `input_layers`, `output_layers`): the config keras-like writes is the one Keras 3 wrote for
 * the same model (test/fixtures/keras-files/keras_functional.keras, scripts/keras-golden/saving.py),
 * and save + load_model rebuild the graph (shared layers, merges, nested models, several inputs
 * and outputs) so that training resumes bit-identically.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, keras, Sequential, tf } from 'keras-like';

const dir = mkdtempSync(join(tmpdir(), 'keras-like-functional-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));
const L = keras.layers;

type Config = { config: { layers: Array<Record<string, unknown>>; input_layers: unknown; output_layers: unknown } };
function configOf(path: string): Config {
  return JSON.parse(strFromU8(unzipSync(new Uint8Array(readFileSync(path)))['config.json']!)) as Config;
}

/** Two inputs, a shared layer, merges, a nested functional model and a nested Sequential, two outputs. */
function twoHeads(seed = 4, dropout = 0.2) {
  keras.utils.set_random_seed(seed);
  const a = keras.Input({ shape: [4], name: 'a' });
  const b = keras.Input({ shape: [3], name: 'b' });
  const shared = Dense(5, { activation: 'tanh', name: 'shared' });
  const h1 = shared.apply(Dense(5, { name: 'pa' }).apply(a));
  const h2 = shared.apply(Dense(5, { name: 'pb' }).apply(b));
  const m = L.BatchNormalization({ name: 'bn' }).apply(L.Dropout(dropout, { name: 'drop' }).apply(L.Add({ name: 'add' }).apply([h1, h2])));
  const innerIn = keras.Input({ shape: [5], name: 'inner_in' });
  const inner = keras.Model(innerIn, Dense(2, { name: 'inner_dense' }).apply(innerIn), { name: 'inner' });
  const stack = Sequential([keras.Input({ shape: [10] }), Dense(3, { activation: 'relu', name: 'stack_dense' })], { name: 'stack' });
  const o1 = inner.apply(m) as keras.KerasTensor;
  const o2 = L.Multiply({ name: 'multiply' }).apply([stack.apply(L.Concatenate({ name: 'concatenate' }).apply([h1, m])) as keras.KerasTensor, Dense(3, { name: 'gate' }).apply(a)]);
  const model = keras.Model([a, b], [o1, o2], { name: 'two_heads' });
  model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: ['mse', 'mse'], loss_weights: [1, 0.5] });
  return model;
}

const xs = [tf.randomNormal([24, 4], 0, 1, 'float32', 1), tf.randomNormal([24, 3], 0, 1, 'float32', 2)];
const ys = [tf.randomNormal([24, 2], 0, 1, 'float32', 3), tf.randomNormal([24, 3], 0, 1, 'float32', 4)];

describe('functional config (Keras 3 form)', () => {
  it("the config of a model loaded from Keras's file is the config Keras wrote: layers, inbound_nodes, input_layers, output_layers", () => {
    const path = fixture('keras_functional.keras');
    const written = configOf(path);
    const model = keras.models.load_model(path) as unknown as ReturnType<typeof twoHeads>;
    const again = model.get_config() as Config['config'];
    const graphOf = (layers: Array<Record<string, unknown>>) => layers.map((l) => ({ class_name: l.class_name, name: l.name, inbound_nodes: l.inbound_nodes }));
    expect(graphOf(again.layers)).toEqual(graphOf(written.config.layers));
    expect(again.input_layers).toEqual(written.config.input_layers);
    // A nested functional model's reference counts its construction as call 0, as in Keras: ['inner', 1, 0].
    expect(again.output_layers).toEqual(written.config.output_layers);
    expect(again.output_layers).toEqual([['inner', 1, 0], ['multiply', 0, 0]]);
    const nested = again.layers.find((l) => l.name === 'inner')!;
    expect(nested).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional' });
    model.dispose();
  });

  it('keras.Model.from_config(model.get_config()) rebuilds the same graph with new weights', () => {
    const model = twoHeads();
    const rebuilt = keras.Model.from_config(model.get_config());
    expect(rebuilt.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(rebuilt.count_params()).toBe(model.count_params());
    expect(rebuilt.get_config()).toEqual(model.get_config());
    model.dispose();
    rebuilt.dispose();
  });

  it('a layer shared at two depths (A(B(A(x)))) and a layer also used outside the model are numbered as Keras numbers them', () => {
    const x = keras.Input({ shape: [3], name: 'x' });
    const A = Dense(3, { name: 'A' });
    const B = Dense(3, { name: 'B' });
    A.apply(keras.Input({ shape: [3] })); // a call outside the model: not one of its nodes
    const out = A.apply(B.apply(A.apply(x)));
    const model = keras.Model(x, out);
    const config = model.get_config() as Config['config'];
    const history = (name: string) =>
      (config.layers.find((l) => l.name === name)!.inbound_nodes as Array<{ args: Array<{ config: { keras_history: unknown } }> }>).map((n) => n.args[0]!.config.keras_history);
    expect(history('A')).toEqual([['x', 0, 0], ['B', 0, 0]]);
    expect(config.output_layers).toEqual(['A', 1, 0]);
    const rebuilt = keras.Model.from_config(config);
    const input = tf.randomNormal([2, 3]);
    rebuilt.set_weights(model.get_weights());
    const [p, q] = [model.predict(input, { verbose: 0 }), rebuilt.predict(input, { verbose: 0 })];
    expect(bits([q])).toEqual(bits([p]));
    tf.dispose([input, p, q]);
  });
});

describe('a model with dict inputs and outputs', () => {
  function dictModel() {
    keras.utils.set_random_seed(6);
    const a = keras.Input({ shape: [4], name: 'a' });
    const b = keras.Input({ shape: [3], name: 'b' });
    const h = L.Concatenate().apply([a, b]);
    return keras.Model({ b, a }, { price: Dense(1, { name: 'price' }).apply(h), buy: Dense(2, { name: 'buy' }).apply(h) });
  }

  it("writes Keras's dicts of refs, keys in the order given (what Keras 3.16 writes for this model), and loads back to the same dict model", () => {
    const model = dictModel();
    const config = model.get_config() as Config['config'];
    // Keras 3.16, keras.Model({"b": b, "a": a}, {"price": ..., "buy": ...}).get_config():
    expect(JSON.stringify(config.input_layers)).toBe('{"b":["b",0,0],"a":["a",0,0]}');
    expect(JSON.stringify(config.output_layers)).toBe('{"price":["price",0,0],"buy":["buy",0,0]}');
    const path = join(dir, 'dict.keras');
    model.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof dictModel>;
    expect(Object.keys(loaded.input)).toEqual(['b', 'a']);
    const x = { a: tf.randomNormal([3, 4], 0, 1, 'float32', 1), b: tf.randomNormal([3, 3], 0, 1, 'float32', 2) };
    const [p, q] = [model.predict(x, { verbose: 0 }) as unknown as Record<string, tf.Tensor>, loaded.predict(x, { verbose: 0 }) as unknown as Record<string, tf.Tensor>];
    expect(Object.keys(q)).toEqual(['price', 'buy']);
    for (const key of ['price', 'buy']) expect(bits([q[key]!])).toEqual(bits([p[key]!]));
    tf.dispose([...Object.values(x), ...Object.values(p), ...Object.values(q)]);
    model.dispose();
    loaded.dispose();
  });
});

describe('functional save / load_model', () => {
  // Without dropout: its random draws are not part of the file (nor in Keras's).
  it('training resumes bit-identically after save + load_model (two inputs, two outputs, shared and nested layers, Adam state)', () => {
    const straight = twoHeads(4, 0);
    straight.fit(xs, ys, { epochs: 4, batch_size: 8, shuffle: false, verbose: 0 });
    const resumed = twoHeads(4, 0);
    resumed.fit(xs, ys, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    const path = join(dir, 'two_heads.keras');
    resumed.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof twoHeads>;
    expect(loaded.className).toBe('Functional');
    expect(loaded.name).toBe('two_heads');
    loaded.fit(xs, ys, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    expect(bits(loaded.get_weights())).toEqual(bits(straight.get_weights()));
    expect(bits(loaded.optimizer.variables)).toEqual(bits(straight.optimizer.variables));
    for (const m of [straight, resumed, loaded]) m.dispose();
  });

  it('to_json / model_from_json, and the compile config keeps the per-output losses and loss_weights', () => {
    const model = twoHeads();
    const json = JSON.parse(model.to_json());
    expect(json).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null } });
    expect(json.compile_config).toMatchObject({ loss: ['mse', 'mse'], loss_weights: [1, 0.5] });
    const rebuilt = keras.models.model_from_json(model.to_json()) as unknown as ReturnType<typeof twoHeads>;
    expect(rebuilt.output_names).toEqual(model.output_names);
    expect(rebuilt.count_params()).toBe(model.count_params());
    model.dispose();
    rebuilt.dispose();
  });

  it('leaves tf.memory().numTensors unchanged', () => {
    const model = twoHeads();
    const path = join(dir, 'mem.keras');
    model.save(path);
    (keras.models.load_model(path) as unknown as { dispose(): void }).dispose();
    const before = tf.memory().numTensors;
    model.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof twoHeads>;
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('functional config faults', () => {
  const base = () => JSON.parse(twoHeads().to_json());
  it('a layer call naming a layer the config does not define', () => {
    const json = base();
    json.config.layers = json.config.layers.filter((l: { name: string }) => l.name !== 'pa');
    expect(() => keras.models.model_from_json(JSON.stringify(json))).toThrow(/a node reads layer 'pa', which the config does not define/);
  });
  it('input_layers that are not refs get a clear message', () => {
    const json = base();
    json.config.input_layers = 'a';
    expect(() => keras.models.model_from_json(JSON.stringify(json))).toThrow(/`input_layers` must be a \[layer_name, node_index, tensor_index\] entry, or a list or dict of them/);
  });
  it('an unknown layer class names custom_objects', () => {
    const json = base();
    json.config.layers[2].class_name = 'MyDense';
    expect(() => keras.models.model_from_json(JSON.stringify(json))).toThrow(/Could not locate class 'MyDense'.*custom_objects/);
  });
});
