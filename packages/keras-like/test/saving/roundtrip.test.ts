/** Saving and loading in keras-like itself: resume bit-identically, JSON, faults, no leaks, atomic writes. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, keras, Sequential, tf } from 'keras-like';

const dir = mkdtempSync(join(tmpdir(), 'keras-like-saving-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const x = tf.randomNormal([40, 4], 0, 1, 'float32', 11);
const y = tf.randomNormal([40, 2], 0, 1, 'float32', 12);

function model(name = 'hidden') {
  keras.utils.set_random_seed(5);
  const m = Sequential([keras.Input({ shape: [4] }), Dense(6, { activation: 'tanh', name }), Dense(2)]);
  m.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
  return m;
}
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));

describe('model.save / load_model', () => {
  it('training resumes bit-identically after save + load_model (weights and Adam state)', () => {
    const straight = model();
    straight.fit(x, y, { epochs: 4, batch_size: 8, shuffle: false, verbose: 0 });
    const resumed = model();
    resumed.fit(x, y, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    const path = join(dir, 'half.keras');
    resumed.save(path);
    const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof model>;
    loaded.fit(x, y, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0 });
    expect(bits(loaded.get_weights())).toEqual(bits(straight.get_weights()));
    expect(loaded.optimizer.iterations).toBe(straight.optimizer.iterations);
    expect(bits(loaded.optimizer.variables)).toEqual(bits(straight.optimizer.variables));
  });

  it('to_json / model_from_json rebuild the architecture and compile config', () => {
    const m = model('first');
    const json = m.to_json();
    const config = JSON.parse(json);
    expect(config.class_name).toBe('Sequential');
    expect(config.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dense']);
    expect(config.compile_config.optimizer.class_name).toBe('Adam');
    const rebuilt = keras.models.model_from_json(json) as unknown as ReturnType<typeof model>;
    expect(rebuilt.layers.map((l) => l.name)).toEqual(['first', m.layers[1]!.name]);
    expect(rebuilt.count_params()).toBe(m.count_params());
  });

  it('save_weights / load_weights carry the weights into a model built in code', () => {
    const a = model();
    a.fit(x, y, { epochs: 1, verbose: 0 });
    const path = join(dir, 'a.weights.h5');
    a.save_weights(path);
    const b = model();
    b.load_weights(path);
    expect(bits(b.get_weights())).toEqual(bits(a.get_weights()));
  });

  it('leaves tf.memory().numTensors unchanged', () => {
    const m = model();
    const path = join(dir, 'mem.keras');
    m.save(path);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      m.save(path);
      m.load_weights(path);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('faults', () => {
  const m = model();
  const good = join(dir, 'good.keras');
  m.save(good);
  const bytes = readFileSync(good);

  it('a truncated .keras file', () => {
    const path = join(dir, 'truncated.keras');
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    expect(() => keras.models.load_model(path)).toThrow(/damaged `.keras` zip file \(truncated or corrupt\)/);
  });
  it('a file of another format', () => {
    const path = join(dir, 'other.keras');
    writeFileSync(path, readFileSync(new URL('../../../../test/fixtures/keras-files/keras_dense.weights.h5', import.meta.url)));
    expect(() => keras.models.load_model(path)).toThrow(/is not a `.keras` zip file: it does not start with a zip header/);
    const junk = join(dir, 'junk.weights.h5');
    writeFileSync(junk, 'not hdf5 at all');
    expect(() => m.load_weights(junk)).toThrow(/junk.weights.h5 is not a readable HDF5 file/);
  });
  it('a missing file', () => {
    expect(() => keras.models.load_model(join(dir, 'nope.keras'))).toThrow(/File not found: filepath=.*nope.keras/);
  });
  it('a config naming an unknown layer names custom_objects', () => {
    const config = JSON.parse(m.to_json());
    config.config.layers[1].class_name = 'MyDense';
    expect(() => keras.models.model_from_json(JSON.stringify(config))).toThrow(/Could not locate class 'MyDense'. Make sure custom classes are decorated with `@keras.saving.register_keras_serializable\(\)` .* or passed in `custom_objects`/);
    // The same config loads once the class is given.
    const MyDense = class extends keras.layers.DenseLayer {};
    const loaded = keras.models.model_from_json(JSON.stringify(config), { MyDense: MyDense as unknown as keras.layers.LayerClass }) as unknown as ReturnType<typeof model>;
    expect(loaded.layers[0]).toBeInstanceOf(MyDense);
  });
  it('weights of the wrong shapes name the layer and both shapes, and change nothing', () => {
    const path = join(dir, 'wide.weights.h5');
    const wide = Sequential([keras.Input({ shape: [4] }), Dense(7, { name: 'hidden' }), Dense(2)]);
    wide.save_weights(path);
    const target = model();
    const before = bits(target.get_weights());
    expect(() => target.load_weights(path)).toThrow(
      /A total of 2 objects could not be loaded\. Example error message for object <Dense name=hidden, built=True>:\n\nThe shape of the target variable and the shape of the target value in `variable.assign\(value\)` must match\. variable\.shape=\(4, 6\), Received: value\.shape=\(4, 7\)/,
    );
    expect(bits(target.get_weights())).toEqual(before);
  });
  it('saving into a folder that does not exist, or is not writable', () => {
    expect(() => m.save(join(dir, 'no-such-folder', 'm.keras'))).toThrow(/the folder .*no-such-folder does not exist/);
    const locked = mkdtempSync(join(dir, 'locked-'));
    chmodSync(locked, 0o500);
    // root ignores permission bits; the message is checked where the OS refuses.
    try {
      m.save(join(locked, 'm.keras'));
    } catch (error) {
      expect(String(error)).toMatch(/is not writable/);
    }
    chmodSync(locked, 0o700);
  });
  it('a wrong extension gets Keras 3 message', () => {
    expect(() => m.save(join(dir, 'm.pb'))).toThrow(/Invalid filepath extension for saving/);
    expect(() => m.save_weights(join(dir, 'm.h5'))).toThrow('The filename must end in `.weights.h5`');
  });
  it('an existing file is never left half-written: a failed save keeps the old bytes and no temporary file', () => {
    const path = join(dir, 'keep.keras');
    m.save(path);
    const old = readFileSync(path);
    // A layer whose config cannot be made: the save fails while encoding.
    const doomed = model();
    doomed.layers[0]!.get_config = () => {
      throw new Error('no config');
    };
    expect(() => doomed.save(path)).toThrow('no config');
    expect(readFileSync(path).equals(old)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });
});
