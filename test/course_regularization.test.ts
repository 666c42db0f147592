/**
 * The course's regularization notebook patterns, ported as PORTING_SPEC.md says and
 * run end to end: three EarlyStopping callbacks at once with validation_split 0.2,
 * Dropout between Dense layers, an l2 grid over lambdas, and BatchNormalization in
 * an iris-sized net. The data is a synthetic, seeded 3-class set shaped like iris
 * (4 features around the three species' means).
 */
import { describe, expect, it, vi } from 'vitest';
import { keras, tf, Sequential, Dense, Dropout, BatchNormalization } from 'keras-like';

// A seeded source for the data, independent of keras-like's own.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 150 samples, 50 per class, features ~ N(species mean, 0.3²), rows shuffled. */
function irisLike(seed = 1): { x: number[][]; labels: number[] } {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const means = [
    [5.0, 3.4, 1.5, 0.2],
    [5.9, 2.8, 4.3, 1.3],
    [6.6, 3.0, 5.6, 2.0],
  ];
  const rows: Array<{ x: number[]; label: number }> = [];
  means.forEach((mean, label) => {
    for (let i = 0; i < 50; i++) rows.push({ x: mean.map((m) => m + 0.3 * gauss()), label });
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return { x: rows.map((r) => r.x), labels: rows.map((r) => r.label) };
}

const { x, labels } = irisLike();
const y = keras.utils.to_categorical(labels);

/** Keras's categorical crossentropy written out: -mean Σ y log(clip(p, ε, 1 - ε)). */
function crossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
    return -tf.mean(tf.sum(tf.mul(yTrue, tf.log(p)), -1)).dataSync()[0]!;
  });
}

function sumOfSquares(weights: tf.Tensor[]): number {
  return weights.reduce((total, w) => total + tf.tidy(() => tf.sum(tf.square(w)).dataSync()[0]!), 0);
}

describe('course: regularization patterns', () => {
  it('three EarlyStopping callbacks at once with validation_split 0.2', () => {
    keras.utils.set_random_seed(3);
    const model = Sequential();
    model.add(Dense(16, { activation: 'relu', input_shape: [4] }));
    model.add(Dense(3, { activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const es1 = keras.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 5 });
    const es2 = keras.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 10 });
    const es3 = keras.callbacks.EarlyStopping({ monitor: 'loss', patience: 3, min_delta: 0.05 });
    const history = model.fit(x, y, { epochs: 500, batch_size: 16, validation_split: 0.2, verbose: 0, callbacks: [es1, es2, es3] });

    const epochs = history.history.loss!.length;
    expect(epochs).toBeLessThan(500);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    // The callback(s) that fired did so at the last epoch run; the others did not fire.
    const stopped = [es1, es2, es3].map((cb) => cb.stopped_epoch);
    expect(stopped.filter((e) => e > 0).every((e) => e === epochs - 1)).toBe(true);
    expect(stopped.some((e) => e === epochs - 1)).toBe(true);
    // Keras's rule, checked on the history: the callback that fired saw `patience` epochs in a row
    // without beating its best by more than min_delta.
    const fired = [es1, es2, es3].find((cb) => cb.stopped_epoch === epochs - 1)!;
    const series = history.history[fired.monitor]!;
    const sign = fired.monitor === 'val_accuracy' ? -1 : 1; // compare as "lower is better"
    const bestBefore = Math.min(...series.slice(0, epochs - fired.patience).map((v) => sign * v));
    for (const v of series.slice(epochs - fired.patience)) expect(sign * v).toBeGreaterThan(bestBefore - Math.abs(fired.min_delta) - 1e-12);
  });

  it('Dropout between Dense layers trains, and predict is deterministic (no dropout at inference)', () => {
    keras.utils.set_random_seed(4);
    const model = Sequential([
      Dense(32, { activation: 'relu', input_shape: [4] }),
      Dropout(0.2),
      Dense(32, { activation: 'relu' }),
      Dropout(0.2),
      Dense(3, { activation: 'softmax' }),
    ]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), metrics: ['accuracy'] });
    model.fit(x, y, { epochs: 60, batch_size: 16, verbose: 0 });
    const [, accuracy] = model.evaluate(x, y, { verbose: 0 }) as number[];
    expect(accuracy).toBeGreaterThan(0.9);
    const a = model.predict(x, { verbose: 0 });
    const b = model.predict(x, { verbose: 0 });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    tf.dispose([a, b]);
  });

  it('l2 grid over lambdas: the reported loss is the crossentropy plus λ·ΣW², and larger λ gives smaller weights', () => {
    const lambdas = [0, 0.001, 0.01, 0.1];
    const squares: number[] = [];
    for (const lam of lambdas) {
      keras.utils.set_random_seed(5);
      const model = Sequential([
        Dense(8, { activation: 'relu', input_shape: [4], kernel_regularizer: keras.regularizers.l2(lam) }),
        Dense(3, { activation: 'softmax', kernel_regularizer: keras.regularizers.l2(lam) }),
      ]);
      model.compile({ loss: 'categorical_crossentropy', optimizer: keras.optimizers.SGD({ learning_rate: 0.05 }), metrics: ['accuracy'] });

      // One full-batch epoch reports the loss of the initial weights, before the update.
      const [k1, , k2] = model.get_weights();
      const predicted = model.predict(x, { verbose: 0 });
      const yTensor = y;
      const expectedFirst = crossentropy(yTensor, predicted) + lam * sumOfSquares([k1!, k2!]);
      const first = model.fit(x, y, { epochs: 1, batch_size: 150, shuffle: false, verbose: 0 });
      expect(first.history.loss![0]).toBeCloseTo(expectedFirst, 4);

      model.fit(x, y, { epochs: 80, batch_size: 16, verbose: 0 });
      // evaluate reports the same sum for the trained weights
      const kernels = model.get_weights().filter((w) => w.rank === 2);
      const after = model.predict(x, { verbose: 0 });
      const [loss] = model.evaluate(x, y, { verbose: 0 }) as number[];
      expect(loss).toBeCloseTo(crossentropy(yTensor, after) + lam * sumOfSquares(kernels), 4);
      squares.push(sumOfSquares(kernels));
      tf.dispose([predicted, after]);
    }
    for (let i = 1; i < squares.length; i++) expect(squares[i]).toBeLessThan(squares[i - 1]!);
  });

  it('BatchNormalization in an iris-sized net: trains, keeps moving statistics, summary counts them as non-trainable', () => {
    keras.utils.set_random_seed(6);
    const model = Sequential();
    model.add(Dense(8, { activation: 'relu', input_shape: [4] }));
    model.add(BatchNormalization());
    model.add(Dense(3, { activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    model.summary();
    vi.restoreAllMocks();
    const text = lines.join('\n');
    // Dense 4·8 + 8 = 40, BatchNormalization 4·8 = 32 (16 trainable), Dense 8·3 + 3 = 27
    expect(text).toMatch(/Total params: 99\b/);
    expect(text).toMatch(/Trainable params: 83\b/);
    expect(text).toMatch(/Non-trainable params: 16\b/);

    const history = model.fit(x, y, { epochs: 100, batch_size: 16, validation_split: 0.2, verbose: 0 });
    expect(history.history.val_accuracy!.at(-1)).toBeGreaterThan(0.9);
    // The course's point: the same net without BatchNormalization, same seed and epochs, learns less.
    keras.utils.set_random_seed(6);
    const plain = Sequential([Dense(8, { activation: 'relu', input_shape: [4] }), Dense(3, { activation: 'softmax' })]);
    plain.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const plainHistory = plain.fit(x, y, { epochs: 100, batch_size: 16, validation_split: 0.2, verbose: 0 });
    expect(history.history.loss!.at(-1)).toBeLessThan(plainHistory.history.loss!.at(-1)!);
    const bn = model.layers[1] as BatchNormalization;
    // the moving mean has moved from its zero start towards the batch means of the ReLU outputs (≥ 0)
    const movingMean = Array.from(bn.moving_mean.dataSync());
    expect(movingMean.some((m) => m > 0.01)).toBe(true);
    expect(movingMean.every((m) => m >= 0)).toBe(true);
    const before = tf.memory().numTensors;
    model.fit(x, y, { epochs: 2, batch_size: 16, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
