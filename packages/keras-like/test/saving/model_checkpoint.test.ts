/** ModelCheckpoint: Keras's filepath templates, save_best_only by monitor / mode, weights-only files. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Dense, keras, Sequential, tf } from 'keras-like';
import { formatFilepath } from '../../src/callbacks/filepath_format.js';

const x = tf.randomNormal([32, 3], 0, 1, 'float32', 1);
const y = tf.randomNormal([32, 1], 0, 1, 'float32', 2);
function model() {
  keras.utils.set_random_seed(3);
  const m = Sequential([keras.Input({ shape: [3] }), Dense(4, { activation: 'relu' }), Dense(1)]);
  m.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.05 }), loss: 'mse' });
  return m;
}

describe('ModelCheckpoint', () => {
  it('save_freq: n saves every n batches, counted across epochs as Keras counts them, with {batch} in the path (1-based)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const m = model();
    const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));
    // 32 samples, batch 8: 4 batches an epoch. Saves after batches 3 (epoch 1) and 2 of epoch 2 (3 more seen), as Keras.
    m.fit(x, y, { epochs: 2, batch_size: 8, shuffle: false, verbose: 0, callbacks: [keras.callbacks.ModelCheckpoint(join(dir, 'e{epoch}-b{batch}.weights.h5'), { save_weights_only: true, save_freq: 3 })] });
    expect(readdirSync(dir).sort()).toEqual(['e1-b3.weights.h5', 'e2-b2.weights.h5']);
    // The first file holds the weights after exactly 3 steps.
    const three = model();
    three.fit(x.slice([0, 0], [24, 3]), y.slice([0, 0], [24, 1]), { epochs: 1, batch_size: 8, shuffle: false, verbose: 0 });
    const restored = model();
    restored.load_weights(join(dir, 'e1-b3.weights.h5'));
    expect(bits(restored.get_weights())).toEqual(bits(three.get_weights()));
    expect(() => keras.callbacks.ModelCheckpoint('m.keras', { save_freq: 'batch' as never })).toThrow(/`save_freq` must be 'epoch' or an integer/);
  });

  it("formats paths as Python's str.format", () => {
    expect(formatFilepath('w-{epoch:02d}-{val_loss:.2f}.keras', { epoch: 3, val_loss: 0.4567 })).toBe('w-03-0.46.keras');
    expect(formatFilepath('{epoch}-{loss:.3e}', { epoch: 12, loss: 0.000123 })).toBe('12-1.230e-04');
    expect(() => formatFilepath('{epoch}-{val_acc}', { epoch: 1 })).toThrow("KeyError('val_acc')");
  });

  it('saves every epoch under the templated name; the last file predicts as the model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const m = model();
    m.fit(x, y, { epochs: 3, verbose: 0, validation_split: 0.25, callbacks: [keras.callbacks.ModelCheckpoint(join(dir, 'sub', 'm-{epoch:02d}.keras'))] });
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual(['m-01.keras', 'm-02.keras', 'm-03.keras']);
    const loaded = keras.models.load_model(join(dir, 'sub', 'm-03.keras')) as unknown as ReturnType<typeof model>;
    expect(Array.from(loaded.predict(x, { verbose: 0 }).dataSync())).toEqual(Array.from(m.predict(x, { verbose: 0 }).dataSync()));
  });

  it('save_best_only keeps the epochs where val_loss improved (mode auto = min)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const m = model();
    const history = m.fit(x, y, {
      epochs: 6,
      verbose: 0,
      validation_split: 0.25,
      callbacks: [keras.callbacks.ModelCheckpoint(join(dir, 'w-{epoch:02d}.weights.h5'), { save_best_only: true, save_weights_only: true })],
    });
    // Expected files from the History: an epoch is saved when its val_loss beats every earlier one.
    const expected: string[] = [];
    let best = Infinity;
    history.history.val_loss!.forEach((v, i) => {
      if (v < best) {
        best = v;
        expected.push(`w-${String(i + 1).padStart(2, '0')}.weights.h5`);
      }
    });
    expect(readdirSync(dir).sort()).toEqual(expected);
  });

  it('checks the extension as Keras does', () => {
    expect(() => keras.callbacks.ModelCheckpoint('m.h5')).toThrow('The filepath provided must end in `.keras` (Keras model format). Received: filepath=m.h5');
    expect(() => keras.callbacks.ModelCheckpoint('m.keras', { save_weights_only: true })).toThrow('must end in `.weights.h5`');
  });
});
