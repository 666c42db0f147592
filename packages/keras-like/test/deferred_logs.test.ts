import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dense, keras, Sequential } from 'keras-like';
import type { Logs } from '../src/callbacks/callback.js';

/** Deterministic values in [-1, 1) without a random source: sin of the index. */
function fixedValues(n: number, phase: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + phase));
}

/** A callback that reads every batch's logs, so fit computes the loss and metrics in each step (no deferral). */
class EveryBatch extends keras.callbacks.Callback {
  readonly losses: number[] = [];
  override on_train_batch_end(_batch: number, logs?: Logs): void {
    this.losses.push(logs!.loss!);
  }
}

type Case = { loss: string; output: string; units: number; metrics: unknown[]; sampleWeight?: boolean; sparse?: boolean };

/** One fit from fixed weights; returns the History dict. */
function fitOnce(c: Case, callbacks: keras.callbacks.Callback[]): Record<string, number[]> {
  const x = tf.tensor2d(fixedValues(57 * 3, 0), [57, 3]);
  const labels = fixedValues(57, 1);
  const classes = labels.map((v) => Math.floor((v + 1) * 1.5));
  const y = c.sparse
    ? tf.tensor1d(classes, 'int32')
    : c.units === 1
      ? tf.tensor2d(labels.map((v) => (c.loss === 'binary_crossentropy' ? (v > 0 ? 1 : 0) : v)), [57, 1])
      : tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), 3));
  const model = Sequential([Dense(5, { input_shape: [3], activation: 'relu' }), Dense(c.units, { activation: c.output })]);
  const weights = [fixedValues(15, 2), fixedValues(5, 3), fixedValues(5 * c.units, 4), fixedValues(c.units, 5)].map((v, i) =>
    i % 2 === 0 ? tf.tensor2d(v, [i === 0 ? 3 : 5, i === 0 ? 5 : c.units]) : tf.tensor1d(v),
  );
  model.set_weights(weights);
  tf.dispose(weights);
  model.compile({ loss: c.loss, optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), metrics: c.metrics as never });
  const sw = c.sampleWeight ? tf.tensor1d(fixedValues(57, 6).map((v) => v + 1.5)) : undefined;
  const history = model.fit(x, y, { epochs: 3, batch_size: 8, shuffle: false, verbose: 0, callbacks, sample_weight: sw });
  tf.dispose([x, y, ...(sw ? [sw] : [])]);
  model.dispose();
  return history.history as Record<string, number[]>;
}

describe('fit computes the loss and metrics at read time (DeferredLogs)', () => {
  const userMetric = Object.defineProperty((t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.abs(tf.sub(t, p))), 'name', { value: 'batch_mae' });
  const cases: Array<[string, Case]> = [
    ['sigmoid + binary crossentropy (logits path), accuracy', { loss: 'binary_crossentropy', output: 'sigmoid', units: 1, metrics: ['accuracy', 'mae'] }],
    ['softmax + categorical crossentropy, accuracy', { loss: 'categorical_crossentropy', output: 'softmax', units: 3, metrics: ['accuracy'] }],
    ['softmax + sparse categorical crossentropy, int32 labels', { loss: 'sparse_categorical_crossentropy', output: 'softmax', units: 3, metrics: ['accuracy'], sparse: true }],
    ['mse, a user metric giving one value per batch', { loss: 'mse', output: 'linear', units: 1, metrics: [userMetric] }],
    ['sample weights (computed per step)', { loss: 'mse', output: 'tanh', units: 1, metrics: ['mae'], sampleWeight: true }],
  ];

  it.each(cases)('%s: the same History as computing them in every step', (_name, c) => {
    const perStep = fitOnce(c, [new EveryBatch()]);
    const before = tf.memory().numTensors;
    const deferred = fitOnce(c, []);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(deferred).sort()).toEqual(Object.keys(perStep).sort());
    for (const key of Object.keys(perStep)) {
      deferred[key]!.forEach((value, epoch) => {
        // Float32 rounding only: the sums are taken in another order.
        expect(Math.abs(value - perStep[key]![epoch]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(perStep[key]![epoch]!)));
      });
    }
  });

  it('a user metric that averages per batch keeps its per-batch meaning', () => {
    // batch_mae is the mean of per-batch means (8 batches of 8 and one of 1), not the mean over all samples.
    const history = fitOnce({ loss: 'mse', output: 'linear', units: 1, metrics: [userMetric] }, []);
    const perStep = fitOnce({ loss: 'mse', output: 'linear', units: 1, metrics: [userMetric] }, [new EveryBatch()]);
    expect(history.batch_mae![0]).toBeCloseTo(perStep.batch_mae![0]!, 6);
  });
});
