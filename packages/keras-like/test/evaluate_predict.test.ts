import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dense, optimizers, Sequential } from 'keras-like';

/** A model with known weights: y = sigmoid(x₀ − x₁). */
function fixedClassifier(metrics: string[] = ['accuracy']) {
  const model = Sequential([Dense(1, { input_shape: [2], activation: 'sigmoid' })]);
  model.set_weights([[[1], [-1]], [0]]);
  model.compile({ optimizer: optimizers.SGD({ learning_rate: 0.1 }), loss: 'binary_crossentropy', metrics });
  return model;
}

function captureStdout(): { text: () => string; restore: () => void } {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

afterEach(() => vi.restoreAllMocks());

describe('evaluate', () => {
  it('returns the loss alone without metrics, else [loss, ...metrics], or a dict', () => {
    const x = [[2, 0], [0, 2]];
    const y = [1, 1];
    // p = σ(2) = 0.880797, σ(−2) = 0.119203; BCE = mean(−ln 0.880797, −ln 0.119203) = mean(0.126928, 2.126928) = 1.126928
    const plain = fixedClassifier([]);
    expect(plain.evaluate(x, y, { verbose: 0 }) as number).toBeCloseTo(1.126928, 5);
    const withAccuracy = fixedClassifier();
    const [loss, accuracy] = withAccuracy.evaluate(x, y, { verbose: 0 }) as number[];
    expect(loss).toBeCloseTo(1.126928, 5);
    expect(accuracy).toBe(0.5);
    expect(withAccuracy.evaluate(x, y, { verbose: 0, return_dict: true })).toEqual({ loss: expect.closeTo(1.126928, 5), accuracy: 0.5 });
    plain.dispose();
    withAccuracy.dispose();
  });

  it('leaves `metrics` unweighted and weights `weighted_metrics` by sample_weight, as Keras', () => {
    const model = Sequential([Dense(1, { input_shape: [2], activation: 'sigmoid' })]);
    model.set_weights([[[1], [-1]], [0]]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'], weighted_metrics: ['accuracy'] });
    // Sample 1 is right (p = 0.88), sample 2 wrong (p = 0.12); weights 1 and 3 → weighted accuracy 1/4.
    const logs = model.evaluate([[2, 0], [0, 2]], [1, 1], { sample_weight: [1, 3], verbose: 0, return_dict: true });
    expect(logs).toMatchObject({ accuracy: 0.5, weighted_accuracy: 0.25 });
    // The loss is weighted: (1·0.126928 + 3·2.126928) / 2 = 3.253856
    expect((logs as Record<string, number>).loss).toBeCloseTo(3.253856, 4);
    expect(model.metrics_names).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
    model.dispose();
  });

  it('gives the same result whatever the batch size', () => {
    const model = fixedClassifier(['accuracy', 'mse']);
    const x = tf.randomNormal([37, 2], 0, 1, 'float32', 3);
    const y = tf.cast(tf.greater(tf.randomUniform([37, 1], 0, 1, 'float32', 4), 0.5), 'float32');
    const whole = model.evaluate(x, y, { batch_size: 37, verbose: 0 }) as number[];
    const batched = model.evaluate(x, y, { batch_size: 5, verbose: 0 }) as number[];
    whole.forEach((v, i) => expect(batched[i]).toBeCloseTo(v, 5));
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('predict', () => {
  it('returns one tensor of outputs, the same for every batch size, without leaking', () => {
    const model = fixedClassifier();
    const x = tf.randomNormal([70, 2], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const a = model.predict(x, { verbose: 0 });
    const b = model.predict(x, { batch_size: 7, verbose: 0 });
    expect(a.shape).toEqual([70, 1]);
    tf.tidy(() => {
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
      const expected = tf.sigmoid(tf.sub(tf.slice(x, [0, 0], [-1, 1]), tf.slice(x, [0, 1], [-1, 1])));
      expect(tf.max(tf.abs(tf.sub(a, expected))).dataSync()[0]).toBeLessThan(1e-6);
    });
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('predict_classes: 0/1 for a sigmoid output, the argmax for several', () => {
    const binary = fixedClassifier();
    expect(binary.predict_classes([[2, 0], [0, 2]]).arraySync()).toEqual([[1], [0]]);
    const multi = Sequential([Dense(3, { input_shape: [3], kernel_initializer: 'identity', activation: 'softmax' })]);
    expect(multi.predict_classes([[0, 5, 1], [9, 0, 0]]).arraySync()).toEqual([1, 0]);
    binary.dispose();
    multi.dispose();
  });
});

describe('on_batch', () => {
  it('train_on_batch updates the weights once and returns that batch loss', () => {
    const model = fixedClassifier();
    const [loss, accuracy] = model.train_on_batch([[2, 0], [0, 2]], [1, 1]) as number[];
    expect(loss).toBeCloseTo(1.126928, 5);
    expect(accuracy).toBe(0.5);
    // δ = (a − y) / 2 = [(0.880797 − 1) / 2, (0.119203 − 1) / 2]; ∂C/∂b = Σδ = −0.5 → b = 0 + 0.1·0.5 = 0.05
    expect(model.get_weights()[1]!.dataSync()[0]).toBeCloseTo(0.05, 5);
    const after = model.test_on_batch([[2, 0], [0, 2]], [1, 1]) as number[];
    expect(after[0]).toBeLessThan(loss!);
    expect(model.predict_on_batch([[2, 0]]).shape).toEqual([1, 1]);
    model.dispose();
  });
});

describe('tensor hygiene', () => {
  it('evaluate, predict_classes and the on_batch methods leave no tensors behind', () => {
    const model = fixedClassifier(['accuracy', 'mse']);
    const x = tf.randomNormal([20, 2], 0, 1, 'float32', 9);
    const y = tf.cast(tf.greater(tf.randomUniform([20, 1], 0, 1, 'float32', 10), 0.5), 'float32');
    // The first calls resolve the metrics and create the optimizer's state.
    model.train_on_batch(x, y);
    model.evaluate(x, y, { verbose: 0, batch_size: 6 });
    const before = tf.memory().numTensors;
    model.evaluate(x, y, { verbose: 0, batch_size: 6 });
    model.train_on_batch(x, y);
    model.test_on_batch(x, y);
    model.predict_classes(x).dispose();
    model.predict_on_batch(x).dispose();
    model.fit(x, y, { epochs: 2, batch_size: 7, verbose: 0, validation_split: 0.25 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('progress output (not a terminal)', () => {
  it('fit verbose 1 prints "Epoch i/n" and one finished bar per epoch, with val_ values', () => {
    const model = fixedClassifier();
    const out = captureStdout();
    model.fit([[2, 0], [0, 2], [1, 1]], [1, 0, 1], { epochs: 2, batch_size: 2, validation_data: [[[2, 0]], [1]] });
    out.restore();
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^2\/2 \[==============================\] - \d+s \d+(ms|us|s)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: 1\.0000$/);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[4]).toBe('');
    model.dispose();
  });

  it('fit verbose 2 prints one summary line per epoch; verbose 0 prints nothing', () => {
    const model = fixedClassifier([]);
    const out = captureStdout();
    model.fit([[2, 0]], [1], { epochs: 1, verbose: 2 });
    model.fit([[2, 0]], [1], { epochs: 3, verbose: 0 });
    out.restore();
    expect(out.text()).toMatch(/^1\/1 - \d+s - loss: \d\.\d{4} - \d+(ms|us|s)\/epoch - \d+(ms|us|s)\/step\n$/);
    model.dispose();
  });

  it('evaluate and predict print their bar too', () => {
    const model = fixedClassifier();
    const out = captureStdout();
    model.evaluate([[2, 0], [0, 2]], [1, 1]);
    model.predict([[2, 0]]).dispose();
    out.restore();
    const lines = out.text().split('\n');
    expect(lines[0]).toMatch(/^1\/1 \[=+\] - \d+s \d+(ms|us|s)\/step - loss: 1\.1269 - accuracy: 0\.5000$/);
    expect(lines[1]).toMatch(/^1\/1 \[=+\] - \d+s \d+(ms|us|s)\/step$/);
    model.dispose();
  });

  it('redraws the bar in place on a terminal', () => {
    const model = fixedClassifier([]);
    const tty = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    const out = captureStdout();
    try {
      model.fit(tf.zeros([40, 2]), tf.ones([40, 1]), { epochs: 1, batch_size: 1 });
    } finally {
      out.restore();
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    }
    const text = out.text();
    expect(text.startsWith('\r')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/\r40\/40 \[==============================\] - \d+s \d+(ms|us|s)\/step - loss: \d\.\d{4} *\n$/);
    model.dispose();
  });
});
