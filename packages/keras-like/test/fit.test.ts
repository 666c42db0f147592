import { readFileSync } from 'node:fs';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dense, keras, optimizers, Sequential } from 'keras-like';
import type { Logs } from '../src/callbacks/callback.js';

function loadPima(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const url = new URL('../../../examples/data/pima_indians_diabetes.csv', import.meta.url);
  const rows = readFileSync(url, 'utf8').trim().split('\n').map((line) => line.split(',').map(Number));
  return { x: tf.tensor2d(rows.map((r) => r.slice(0, 8))), y: tf.tensor2d(rows.map((r) => [r[8]!])) };
}

/** Deterministic values in [-1, 1) without a random source: sin of the index. */
function fixedValues(shape: number[], phase: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + phase));
}

describe('fit', () => {
  it('trains the Pima classifier (Dense 12-8-1, Adam, binary crossentropy) to ≥ 0.75 training accuracy in 150 epochs', () => {
    // As in Keras, the result depends on the initial weights: over seeds 1-6 this run ends
    // between 0.74 and 0.78 (Keras users report about 0.77). The seed keeps the test repeatable.
    keras.utils.set_random_seed(1);
    const { x, y } = loadPima();
    const model = Sequential();
    model.add(Dense(12, { input_shape: [8], activation: 'relu' }));
    model.add(Dense(8, { activation: 'relu' }));
    model.add(Dense(1, { activation: 'sigmoid' }));
    model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const history = model.fit(x, y, { epochs: 150, batch_size: 10, verbose: 0 });
    expect(history.epoch).toHaveLength(150);
    expect(history.history.accuracy!.at(-1)!).toBeGreaterThanOrEqual(0.75);
    // PORTING_SPEC §7's line, with no cast: tsc (part of the test command) checks that it type-checks.
    const [, accuracy] = model.evaluate(x, y, { verbose: 0 });
    expect(accuracy!).toBeGreaterThanOrEqual(0.75);
    tf.dispose([x, y]);
    model.dispose();
  }, 300_000);

  const PEER_LOSS = { binary_crossentropy: 'binaryCrossentropy', mean_squared_error: 'meanSquaredError', categorical_crossentropy: 'categoricalCrossentropy' } as const;
  for (const [loss, hidden, output, units] of [
    ['binary_crossentropy', 'tanh', 'sigmoid', 1],
    ['mean_squared_error', 'relu', 'linear', 1],
    ['categorical_crossentropy', 'elu', 'softmax', 3],
  ] as const) {
    it(`matches tfjs-layers model.fit with tf.train.sgd after one epoch (${loss}, ${hidden} → ${output})`, async () => {
      const x = tf.tensor2d(fixedValues([23, 3], 0), [23, 3]);
      const targets = fixedValues([23, 1], 1);
      const y =
        loss === 'categorical_crossentropy'
          ? tf.oneHot(tf.tensor1d(targets.map((v) => Math.floor((v + 1) * 1.5)), 'int32'), 3)
          : tf.tensor2d(targets.map((v) => (loss === 'binary_crossentropy' ? (v > 0 ? 1 : 0) : v)), [23, 1]);
      const initial = [
        tf.tensor2d(fixedValues([3, 4], 2), [3, 4]),
        tf.tensor1d(fixedValues([4], 3).map((v) => v / 10)),
        tf.tensor2d(fixedValues([4, units], 4), [4, units]),
        tf.tensor1d(fixedValues([units], 5).map((v) => v / 20)),
      ];

      const peer = tfl.sequential();
      peer.add(tfl.layers.dense({ units: 4, inputShape: [3], activation: hidden }));
      peer.add(tfl.layers.dense({ units, activation: output }));
      peer.compile({ optimizer: tf.train.sgd(0.1), loss: PEER_LOSS[loss] });
      peer.setWeights(initial);
      const peerHistory = await peer.fit(x, y, { batchSize: 5, epochs: 1, shuffle: false, verbose: 0 });

      const model = Sequential([Dense(4, { input_shape: [3], activation: hidden }), Dense(units, { activation: output })]);
      model.compile({ optimizer: optimizers.SGD({ learning_rate: 0.1 }), loss });
      model.set_weights(initial);
      const history = model.fit(x, y, { batch_size: 5, epochs: 1, shuffle: false, verbose: 0 });

      const ours = model.get_weights();
      const theirs = peer.getWeights();
      ours.forEach((w, i) => {
        const a = w.dataSync();
        const b = theirs[i]!.dataSync();
        for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-5);
      });
      expect(history.history.loss![0]!).toBeCloseTo(peerHistory.history.loss![0] as number, 5);
      tf.dispose([x, y, ...initial, ...ours]);
      model.dispose();
      peer.dispose();
    });
  }

  it('keeps tf.memory().numTensors unchanged between epoch 2 and epoch 20', () => {
    const counts: number[] = [];
    class CountTensors extends keras.callbacks.Callback {
      override on_epoch_end(): void {
        counts.push(tf.memory().numTensors);
      }
    }
    const model = Sequential([Dense(6, { input_shape: [4], activation: 'relu', kernel_regularizer: 'l2' }), keras.layers.Dropout(0.2), Dense(3, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const x = tf.randomNormal([50, 4], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([...Array(50).keys()].map((i) => i % 3), 'int32'), 3);
    model.fit(x, y, { epochs: 20, batch_size: 8, verbose: 0, validation_split: 0.2, callbacks: [new CountTensors()] });
    expect(counts).toHaveLength(20);
    expect(counts[19]).toBe(counts[1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("returns a History with Keras's keys, val_ keys and the epoch indices", () => {
    const model = Sequential([Dense(1, { input_shape: [2], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy', 'mae'] });
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const y = [1, 0, 1, 0];
    const history = model.fit(x, y, { epochs: 3, verbose: 0, validation_data: [x, y] });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'mae', 'val_accuracy', 'val_loss', 'val_mae']);
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(history.history.loss).toHaveLength(3);
    expect(model.history).toBe(history);
    const resumed = model.fit(x, y, { epochs: 5, initial_epoch: 3, verbose: 0 });
    expect(resumed.epoch).toEqual([3, 4]);
    model.dispose();
  });

  it('holds out the last fraction with validation_split, before shuffling', () => {
    // y = x: the validation set is the last 2 of 10 samples, so val_loss on a model that
    // predicts 0 is mean(8², 9²) = 72.5 (the weights start at zero and lr is tiny).
    const model = Sequential([Dense(1, { input_shape: [1], kernel_initializer: 'zeros' })]);
    model.compile({ optimizer: optimizers.SGD({ learning_rate: 1e-9 }), loss: 'mse' });
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const history = model.fit(x, x, { epochs: 1, validation_split: 0.2, verbose: 0 });
    expect(history.history.val_loss![0]).toBeCloseTo(72.5, 3);
    // Training loss over the first 8: mean(0..7 squared) = 17.5
    expect(history.history.loss![0]).toBeCloseTo(17.5, 3);
    model.dispose();
  });

  it('reads a 1-D x and y as columns for Dense(1, input_shape=(1,)) and learns y = 2x + 1', () => {
    keras.utils.set_random_seed(3);
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile({ optimizer: optimizers.SGD({ learning_rate: 0.05 }), loss: 'mean_squared_error' });
    const x = new Float32Array([-2, -1, 0, 1, 2, 3]);
    const y = Array.from(x, (v) => 2 * v + 1);
    model.fit(x, y, { epochs: 300, batch_size: 6, verbose: 0 });
    const [m, b] = model.get_weights();
    expect(m!.dataSync()[0]).toBeCloseTo(2, 2);
    expect(b!.dataSync()[0]).toBeCloseTo(1, 2);
    model.dispose();
  });

  it('weights samples by class_weight and sample_weight as Keras does (sum of w·l over the batch size)', () => {
    // One SGD step from w = 0, b = 0 on x = [1, 1], y = [1, 3], MSE, weights [1, 3]:
    // loss = (1·1² + 3·3²) / 2 = 14; ∂loss/∂b = (1·(−2·1) + 3·(−2·3)) / 2 = −10 → b = 0.1·10 = 1.
    const model = Sequential([Dense(1, { input_shape: [1], kernel_initializer: 'zeros' })]);
    model.compile({ optimizer: optimizers.SGD({ learning_rate: 0.1 }), loss: 'mse' });
    const history = model.fit([1, 1], [1, 3], { sample_weight: [1, 3], epochs: 1, shuffle: false, verbose: 0 });
    expect(history.history.loss![0]).toBeCloseTo(14, 5);
    expect(model.get_weights()[1]!.dataSync()[0]).toBeCloseTo(1, 5);

    const classifier = Sequential([Dense(1, { input_shape: [1], kernel_initializer: 'zeros', activation: 'sigmoid' })]);
    classifier.compile({ optimizer: optimizers.SGD({ learning_rate: 1 }), loss: 'binary_crossentropy' });
    // At z = 0, a = 0.5: δ_i = w_i (a − y_i) / 2 = [1·0.5, 4·(−0.5)] / 2 → Σδ = −0.75 → b = 0.75.
    classifier.fit([[1], [1]], [0, 1], { class_weight: { 0: 1, 1: 4 }, epochs: 1, shuffle: false, verbose: 0 });
    expect(classifier.get_weights()[1]!.dataSync()[0]).toBeCloseTo(0.75, 5);
    model.dispose();
    classifier.dispose();
  });

  it('adds weight and activity regularization to the loss and to the gradients, as Keras 3', () => {
    // Dense(1) with w = 1, b = 0, x = 1, y = 1, MSE: data loss 0; l2(0.1) on the kernel adds 0.1·1² = 0.1,
    // l1(0.5) on the activity adds 0.5·|1| = 0.5. ∂/∂w: 0.2 (kernel) + 0.5·sign(a)·x = 0.5 (activity); ∂/∂b: 0.5.
    const model = Sequential([
      Dense(1, { input_shape: [1], kernel_initializer: 'ones', kernel_regularizer: keras.regularizers.l2(0.1), activity_regularizer: keras.regularizers.l1(0.5) }),
    ]);
    model.compile({ optimizer: optimizers.SGD({ learning_rate: 0.1 }), loss: 'mse' });
    expect(model.evaluate([1], [1], { verbose: 0 })).toBeCloseTo(0.6, 6);
    const history = model.fit([1], [1], { epochs: 1, verbose: 0 });
    expect(history.history.loss![0]).toBeCloseTo(0.6, 6);
    const [w, b] = model.get_weights();
    expect(w!.dataSync()[0]).toBeCloseTo(1 - 0.1 * 0.7, 6);
    expect(b!.dataSync()[0]).toBeCloseTo(-0.1 * 0.5, 6);
    model.dispose();
  });

  it('stops when a callback sets model.stop_training', () => {
    class StopAtTwo extends keras.callbacks.Callback {
      override on_epoch_end(epoch: number): void {
        if (epoch === 1) this.model!.stop_training = true;
      }
    }
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    const history = model.fit([1, 2], [1, 2], { epochs: 10, verbose: 0, callbacks: [new StopAtTwo()] });
    expect(history.epoch).toEqual([0, 1]);
    model.dispose();
  });

  it('calls every callback hook in order, with logs, params and model', () => {
    const calls: string[] = [];
    let seenParams: unknown;
    let batchLoss = NaN;
    class Recorder extends keras.callbacks.Callback {
      override on_train_begin() { calls.push('train_begin'); seenParams = this.params; }
      override on_epoch_begin(e: number) { calls.push(`epoch_begin ${e}`); }
      override on_train_batch_begin(b: number) { calls.push(`batch_begin ${b}`); }
      override on_train_batch_end(b: number, logs?: Logs) { calls.push(`batch_end ${b}`); batchLoss = logs!.loss!; }
      override on_test_begin() { calls.push('test_begin'); }
      override on_test_end() { calls.push('test_end'); }
      override on_epoch_end(e: number, logs?: Logs) { calls.push(`epoch_end ${e} ${Object.keys(logs!).join(',')}`); }
      override on_train_end() { calls.push('train_end'); }
    }
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    model.fit([1, 2, 3], [1, 2, 3], { epochs: 1, batch_size: 2, verbose: 0, validation_data: [[1], [1]], callbacks: [new Recorder()] });
    expect(calls).toEqual(['train_begin', 'epoch_begin 0', 'batch_begin 0', 'batch_end 0', 'batch_begin 1', 'batch_end 1', 'test_begin', 'test_end', 'epoch_end 0 loss,val_loss', 'train_end']);
    expect(seenParams).toEqual({ verbose: 0, epochs: 1, steps: 2 });
    expect(Number.isFinite(batchLoss)).toBe(true);
    model.dispose();
  });

  it("takes Keras's positional order: fit(x, y, batch_size, epochs, verbose), evaluate(x, y, batch_size, verbose)", () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    const history = model.fit([1, 2, 3], [1, 2, 3], 2, 4, 0);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(history.params).toEqual({ verbose: 0, epochs: 4, steps: 2 });
    expect(typeof model.evaluate([1, 2], [1, 2], 1, 0)).toBe('number');
    expect(model.predict([1, 2, 3], 2, 0).shape).toEqual([3, 1]);
    expect(model.fit({ x: [1], y: [1], verbose: 0 }).epoch).toEqual([0]);
    expect(() => model.fit([1], [1], 2, { batch_size: 3 } as never)).toThrow("Sequential.fit got multiple values for argument 'batch_size'");
    model.dispose();
  });

  it('is synchronous and also awaitable', async () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    const history = await model.fit([1, 2], [1, 2], { verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    const loss = await model.evaluate([1, 2], [1, 2], { verbose: 0 });
    expect(typeof loss).toBe('number');
    model.dispose();
  });

  it('refuses data it cannot read before training', () => {
    const model = Sequential([Dense(1, { input_shape: [2] })]);
    model.compile('sgd', 'mse');
    expect(() => model.fit([[1, 2], [3]], [1, 2], { verbose: 0 })).toThrow('`x` is a ragged array');
    expect(() => model.fit([[1, 2], [3, NaN]], [1, 2], { verbose: 0 })).toThrow('`x` contains NaN at [1][1]');
    expect(() => model.fit([[1, 2]], [['a']] as never, { verbose: 0 })).toThrow("`y` must hold only numbers, but y[0][0] is 'a'");
    expect(() => model.fit([], [], { verbose: 0 })).toThrow('`x` is empty');
    model.dispose();
  });
});
