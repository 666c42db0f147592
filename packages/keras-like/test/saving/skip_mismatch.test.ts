/**
 * `model.load_weights(path, { skip_mismatch })` and `{ by_name }` against real Keras 3
 * (scripts/keras-golden/skip_mismatch.py): files Keras wrote, loaded into a model of another shape,
 * give here the weights Keras's load gave (layers that fit load, the others keep their values),
 * Keras's warnings (skip_mismatch) and Keras's error (without it; keras-like then changes nothing,
 * where Keras has already loaded the layers before the failing one). Then the same with a file
 * written here, where the expected weights are the source's or the target's own, by construction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { Dense, keras, LSTM, Sequential, tf } from 'keras-like';
import { goldenValues, loadFixture, toArray, type GoldenCase, type GoldenTensor } from '../parity/golden.js';

interface SkipCase extends GoldenCase {
  file: string;
  options: { skip_mismatch?: boolean; by_name?: boolean };
  layer_names: string[];
  last_bias: boolean;
  before: GoldenTensor[];
  after: GoldenTensor[];
  warnings: string[];
  error: string | null;
}
const fixture = loadFixture<SkipCase>('skip_mismatch');
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keras-like-skip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Keras's text without the variable's values (Keras prints them in `<Variable ...>`), and with
 * the space Keras's legacy messages lack after "(named dst2)". */
function kerasText(message: string): string {
  return message.replace(/, value=\[[\s\S]*?\]>/g, '>').replace(/\)(for|due) /g, ') $1 ');
}
/** keras-like's text without the location in the file it adds to the shape message. */
function ourText(message: string): string {
  return message.replace(/ \(the file holds it at '[^']*'\)/g, '');
}

let warn: MockInstance;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());
const warnings = () => warn.mock.calls.map((call) => ourText(String(call[0])).replace(/^UserWarning: /, ''));

/** The fixture's target net: Dense 3 -> Dense 5 -> Dense 2 -> Dense 2 (bias only in the legacy cases). */
function target(c: SkipCase) {
  const [a, b, d, e] = c.layer_names;
  const model = Sequential(
    [keras.Input({ shape: [4] }), Dense(3, { name: a }), Dense(5, { name: b }), Dense(2, { name: d }), Dense(2, { use_bias: c.last_bias, name: e })],
    { name: 'target' },
  );
  model.set_weights(c.before.map(toArray) as never);
  return model;
}

describe('load_weights skip_mismatch, files written by Keras 3', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = target(c);
      const load = () => model.load_weights(file(c.file), c.options);
      if (c.error !== null) {
        let message = '';
        try {
          load();
        } catch (error) {
          message = (error as Error).message;
        }
        expect(ourText(message)).toBe(kerasText(c.error));
        // keras-like checks every layer first, so nothing changed.
        expect(model.get_weights().map((w) => Array.from(w.dataSync()))).toEqual(c.before.map(goldenValues));
      } else {
        load();
        expect(model.get_weights().map((w) => Array.from(w.dataSync()))).toEqual(c.after.map(goldenValues));
        expect(warnings()).toEqual(c.warnings.map(kerasText));
      }
      model.dispose();
    });
  }
});

describe('load_weights skip_mismatch, a file written by keras-like', () => {
  it('the LSTM that fits loads, the Dense of another shape and the Dense of another weight count keep theirs', () => {
    keras.utils.set_random_seed(3);
    const source = Sequential([keras.Input({ shape: [5, 3] }), LSTM(4, { name: 'rec' }), Dense(2, { name: 'out' }), Dense(2, { name: 'last' })], { name: 'src' });
    const path = join(dir, 'src.weights.h5');
    source.save_weights(path);
    const dest = Sequential([keras.Input({ shape: [5, 3] }), LSTM(4, { name: 'rec' }), Dense(3, { name: 'out' }), Dense(2, { use_bias: false, name: 'last' })], {
      name: 'dest',
    });
    const before = dest.get_weights().map((w) => Array.from(w.dataSync()));
    const sourceWeights = source.get_weights().map((w) => Array.from(w.dataSync()));
    expect(() => dest.load_weights(path)).toThrow(/A total of 2 objects could not be loaded/);
    expect(dest.get_weights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    const start = tf.memory().numTensors;
    dest.load_weights(path, { skip_mismatch: true });
    expect(tf.memory().numTensors).toBe(start);
    const after = dest.get_weights().map((w) => Array.from(w.dataSync()));
    // LSTM: kernel, recurrent_kernel, bias from the file; 'out' (kernel (4, 3), bias (3,)) and 'last' (kernel) unchanged.
    expect(after.slice(0, 3)).toEqual(sourceWeights.slice(0, 3));
    expect(after.slice(3)).toEqual(before.slice(3));
    expect(warnings()).toEqual([
      'A total of 2 objects could not be loaded. Example error message for object <Dense name=out, built=True>:\n\n' +
        'The shape of the target variable and the shape of the target value in `variable.assign(value)` must match. ' +
        'variable.shape=(4, 3), Received: value.shape=(4, 2). Target variable: <Variable path=dest/out/kernel, shape=(4, 3), dtype=float32>\n\n' +
        'List of objects that could not be loaded:\n[<Dense name=out, built=True>, <Dense name=last, built=True>]',
    ]);
    expect(String(warn.mock.calls[0]![0])).toContain("(the file holds it at 'layers/dense/vars/0')");
    tf.dispose([source, dest] as never);
  });
  it('skip_mismatch from a .keras archive', () => {
    keras.utils.set_random_seed(4);
    const source = Sequential([keras.Input({ shape: [4] }), Dense(3, { name: 'k1' }), Dense(2, { name: 'k2' })], { name: 'archive_src' });
    const path = join(dir, 'src.keras');
    source.save(path);
    const dest = Sequential([keras.Input({ shape: [4] }), Dense(3, { name: 'k1' }), Dense(6, { name: 'k2' })], { name: 'archive_dest' });
    const before = dest.get_weights().map((w) => Array.from(w.dataSync()));
    dest.load_weights(path, { skip_mismatch: true });
    const after = dest.get_weights().map((w) => Array.from(w.dataSync()));
    expect(after.slice(0, 2)).toEqual(source.get_weights().slice(0, 2).map((w) => Array.from(w.dataSync())));
    expect(after.slice(2)).toEqual(before.slice(2));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/^A total of 1 objects could not be loaded\. Example error message for object <Dense name=k2, built=True>/);
  });
  it('bad options fail at the call', () => {
    const model = Sequential([keras.Input({ shape: [4] }), Dense(3)]);
    expect(() => model.load_weights(file('keras_skip_source.weights.h5'), { skip_mismatch: 1 as never })).toThrow(/skip_mismatch/);
    expect(() => model.load_weights(file('keras_skip_source.weights.h5'), { by_name: true })).toThrow(
      "`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: ",
    );
    expect(() => model.load_weights(file('keras_skip_source.weights.h5'), { nope: true } as never)).toThrow(/nope/);
  });
});
