/**
 * Resources: tensors and process memory stay flat across 100 fits and 10,000 predicts,
 * a model disposed gives back every tensor, and `clear_session()` does what Keras's does
 * (see the last describe block). About 5 s of CPU: the machine is shared.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keras, tf, Dense, Sequential } from 'keras-like';
import { beforeAll, describe, expect, it } from 'vitest';

const MB = 1024 * 1024;

/** The notebook-sized classifier: 8 features → 12 relu → 1 sigmoid, Adam, accuracy. */
function smallClassifier(): Sequential {
  const model = Sequential();
  model.add(Dense(12, { input_shape: [8], activation: 'relu' }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

function pimaLikeData(n: number): { x: number[][]; y: number[] } {
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(i * 7 + j * 3)));
  const y = x.map((row) => (row[0]! + row[3]! > 0 ? 1 : 0));
  return { x, y };
}

interface Measure {
  tensors: number;
  bytes: number;
  rss: number;
}
interface ProbeResult {
  backend: string;
  fits: { before: Measure; after: Measure };
  predicts: { before: Measure; after: Measure };
}

// RSS is only meaningful after a full collection, which needs --expose-gc: vitest's workers
// have none, so fixtures/memory_probe.ts runs the fits and predicts in a process of its own.
let probe: ProbeResult;
beforeAll(() => {
  const script = fileURLToPath(new URL('./fixtures/memory_probe.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
  probe = JSON.parse(out.trim().split('\n').at(-1)!) as ProbeResult;
});

// Measured on this machine (wasm): after the warm-up, RSS moves by -3 to +2 MB across either loop. A leak of 1 KB
// per predict (10 MB) or of one copy of the data per fit would cross this bound.
const RSS_GROWTH_LIMIT = 8 * MB;

describe('100 fits of a small model', () => {
  it('leave tf.memory() and RSS flat', () => {
    const { before, after } = probe.fits;
    expect(after.tensors).toBe(before.tensors);
    expect(after.bytes).toBe(before.bytes);
    expect(after.rss - before.rss).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  it('building, fitting and disposing a new model each time returns every tensor', () => {
    const { x, y } = pimaLikeData(20);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      keras.backend.clear_session();
      const model = smallClassifier();
      model.fit(x, y, { epochs: 1, batch_size: 10, verbose: 0 });
      model.evaluate(x, y, { verbose: 0 });
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('10,000 predict calls', () => {
  it('leave tf.memory() and RSS flat', () => {
    const { before, after } = probe.predicts;
    expect(after.tensors).toBe(before.tensors);
    expect(after.bytes).toBe(before.bytes);
    expect(after.rss - before.rss).toBeLessThan(RSS_GROWTH_LIMIT);
  });
});

describe('keras.backend.clear_session()', () => {
  // Keras 3's clear_session resets the global state: automatic names start again, and models
  // built before the call keep working. It frees no model's weights (Python's garbage collector
  // does that in Keras); in keras-like, `model.dispose()` frees them.
  it('starts automatic names again', () => {
    keras.backend.clear_session();
    const first = [Dense(1), Dense(1), Sequential()].map((obj) => obj.name);
    keras.backend.clear_session();
    const second = [Dense(1), Sequential()].map((obj) => obj.name);
    expect(first).toEqual(['dense', 'dense_1', 'sequential']);
    expect(second).toEqual(['dense', 'sequential']);
  });

  it('leaves models built before it working, and a new model with the same names apart from them', () => {
    keras.backend.clear_session();
    const old = Sequential();
    old.add(Dense(1, { input_shape: [2], kernel_initializer: 'ones' }));
    keras.backend.clear_session();
    const fresh = Sequential();
    fresh.add(Dense(1, { input_shape: [2], kernel_initializer: 'zeros' }));
    expect(fresh.layers[0]!.name).toBe(old.layers[0]!.name);
    const before = tf.memory().numTensors;
    const oldOut = old.predict([[1, 2]], { verbose: 0 });
    const freshOut = fresh.predict([[1, 2]], { verbose: 0 });
    // ones: 1 + 2 = 3; zeros: 0.
    expect(oldOut.arraySync()).toEqual([[3]]);
    expect(freshOut.arraySync()).toEqual([[0]]);
    tf.dispose([oldOut, freshOut]);
    expect(tf.memory().numTensors).toBe(before);
    old.dispose();
    fresh.dispose();
  });

  it('holds no tensor itself: after the models are disposed, the count is back where it started', () => {
    const start = tf.memory().numTensors;
    const models = [smallClassifier(), smallClassifier()];
    models[0]!.fit([[1, 2, 3, 4, 5, 6, 7, 8]], [1], { verbose: 0 });
    keras.backend.clear_session();
    expect(tf.memory().numTensors).toBeGreaterThan(start);
    models.forEach((model) => model.dispose());
    expect(tf.memory().numTensors).toBe(start);
  });
});
