/**
 * Details of Keras 3's configs and errors, against real Keras 3.16
 * (test/fixtures/keras/config_details.json, written by scripts/keras-golden/config_details.py):
 * - "Could not locate class" is a TypeError, as Keras's serialization_lib raises it;
 * - the config.json of a .keras file keras-like writes is Keras's, key for key and value for
 *   value, for the same models built in a fresh session (compile_config `{}` when uncompiled,
 *   build_config's batch dimension null, a nested Sequential's entry);
 * - optimizers are auto-named as Keras names them: adam, adam_1, ... counted with the layers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, Dense, Input, Sequential } from 'keras-like';
import { loadFixture, type GoldenCase } from './golden.js';

interface ErrorCase extends GoldenCase {
  kind: 'error';
  call: string;
  error: string;
  message: string;
}
interface FileCase extends GoldenCase {
  kind: 'file';
  model: string;
  config_json: unknown;
  metadata_keys: string[];
}
interface NamesCase extends GoldenCase {
  kind: 'names';
  names: Array<string | string[]>;
}

const fixture = loadFixture<ErrorCase | FileCase | NamesCase>('config_details');
const dir = mkdtempSync(join(tmpdir(), 'keras-like-config-details-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Saveable {
  save(path: string): void;
  dispose(): void;
}

/** The models the script saves, built the same way. */
const MODELS: Record<string, () => Saveable> = {
  'sequential, uncompiled': () => Sequential([Input({ shape: [3] }), Dense(2, { activation: 'relu' }), Dense(1)]),
  'sequential, compiled': () => {
    const model = Sequential([Input({ shape: [3] }), Dense(2, { activation: 'relu' }), Dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    return model;
  },
  'sequential, built by build()': () => {
    const model = Sequential([Dense(2)]);
    model.build([null, 3]);
    return model;
  },
  'functional holding a sequential, uncompiled': () => {
    const inner = Sequential([Input({ shape: [3] }), Dense(2)]);
    const x = Input({ shape: [3] });
    return keras.Model(x, Dense(1).apply(inner.apply(x) as never) as never) as unknown as Saveable;
  },
};

/**
 * What keras-like writes otherwise, each for a reason (docs/saving.md, "config.json"):
 * - `jit_compile`: Keras resolves compile's 'auto' per backend (true on NumPy and JAX, false on
 *   torch and on TensorFlow without an accelerator); keras-like has no XLA and writes false.
 * - A Sequential without an Input that is built by `build()` (or by its first data): Keras puts
 *   the InputLayer it makes then at the head of `layers`; keras-like makes none (its config
 *   still loads in Keras, which makes the InputLayer from `build_input_shape`).
 * - The functional model's automatic name: every Sequential built with an input shape makes an
 *   internal functional model in Keras, which takes the name 'functional' (so the user's model is
 *   'functional_1'); keras-like's Sequential makes none.
 */
const KNOWN_DIFFERENCES: Record<string, string[]> = {
  'sequential, compiled': ['$.compile_config.jit_compile: false instead of true'],
  'sequential, built by build()': ['$.config.layers: [Dense] instead of [InputLayer, Dense]'],
  'functional holding a sequential, uncompiled': ['$.config.name: "functional" instead of "functional_1"'],
};

/**
 * Where `actual` differs from `expected`: a missing or extra key, or another leaf value, by path.
 * `shared_object_id` is left out: Keras writes a Python object's id() there (not reproducible),
 * to share one dtype policy between layers; keras-like writes each layer's policy whole.
 */
function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      // A list of serialized objects (a model's layers) is told by its classes.
      const brief = (list: unknown) => (Array.isArray(list) && list.every((o) => typeof o === 'object' && o !== null && 'class_name' in o) ? `[${list.map((o) => (o as { class_name: string }).class_name).join(', ')}]` : JSON.stringify(list));
      return [`${path}: ${brief(actual)} instead of ${brief(expected)}`];
    }
    return expected.flatMap((e, i) => differences(actual[i], e, `${path}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} instead of an object`];
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== 'shared_object_id');
    const missing = keys(e).filter((k) => !(k in a)).map((k) => `${path}.${k}: missing`);
    const extra = keys(a).filter((k) => !(k in e)).map((k) => `${path}.${k}: not in Keras's file`);
    return [...missing, ...extra, ...keys(e).filter((k) => k in a).flatMap((k) => differences(a[k], e[k], `${path}.${k}`))];
  }
  // Keras writes the float32 learning rate as the double it widens to (0.0010000000474974513).
  if (typeof expected === 'number' && typeof actual === 'number' && Math.fround(expected) === Math.fround(actual)) return [];
  return Object.is(actual, expected) ? [] : [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
}

describe('"Could not locate class" is a TypeError, as in Keras', () => {
  // keras.saving.deserialize_keras_object (Keras's third such call in the fixture) is not ported.
  const calls: Record<string, () => unknown> = {
    'keras.layers.deserialize': () => keras.layers.deserialize({ class_name: 'Nope', config: {} } as never),
    'keras.models.model_from_json': () => keras.models.model_from_json(JSON.stringify({ class_name: 'Nope', config: {} })),
  };
  it('keras.saving.deserialize_keras_object is not ported (its case in the fixture is not compared)', () => {
    expect('deserialize_keras_object' in keras.saving).toBe(false);
  });
  for (const c of fixture.cases.filter((c): c is ErrorCase => c.kind === 'error' && c.call in calls)) {
    it(c.call, () => {
      expect(c.error).toBe('TypeError');
      const run = calls[c.call]!;
      expect(run).toThrow(TypeError);
      // Keras's text, with keras-like's way of passing a class (custom_objects) added.
      expect(run).toThrow(/^Could not locate class 'Nope'\. Make sure custom classes are decorated with `@keras\.saving\.register_keras_serializable\(\)`/);
    });
  }
});

describe("config.json of a .keras file is Keras's, key for key", () => {
  for (const c of fixture.cases.filter((c): c is FileCase => c.kind === 'file')) {
    it(c.model, () => {
      keras.backend.clear_session();
      const model = MODELS[c.model]!();
      const path = join(dir, `${c.model.replace(/\W+/g, '_')}.keras`);
      model.save(path);
      const files = unzipSync(new Uint8Array(readFileSync(path)));
      const config = JSON.parse(strFromU8(files['config.json']!)) as unknown;
      expect(differences(config, c.config_json)).toEqual(KNOWN_DIFFERENCES[c.model] ?? []);
      expect(Object.keys(JSON.parse(strFromU8(files['metadata.json']!)) as object).sort()).toEqual(c.metadata_keys);
      model.dispose();
    });
  }
});

describe('optimizer names, as Keras auto-names them', () => {
  it('numbers them in the session with the layers, keeps a given name, restarts after clear_session', () => {
    const c = fixture.cases.find((c): c is NamesCase => c.kind === 'names')!;
    keras.backend.clear_session();
    const first = keras.optimizers.Adam();
    const second = keras.optimizers.Adam();
    const given = keras.optimizers.SGD({ name: 'sgd' });
    const unnamed = keras.optimizers.SGD();
    const model = Sequential([Input({ shape: [3] }), Dense(2, { activation: 'relu' }), Dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const names: Array<string | string[]> = [first.name, second.name, given.name, unnamed.name, (model as unknown as { optimizer: { name: string } }).optimizer.name, model.layers.map((l) => l.name)];
    keras.backend.clear_session();
    names.push(keras.optimizers.Adam().name);
    expect(names).toEqual(c.names);
    model.dispose();
  });
});
