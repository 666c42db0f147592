/**
 * The loops behind `fit`, `evaluate` and `predict`: batches, callbacks, and the
 * moments the host reads values from the backend (once per epoch, or when a
 * callback or the progress bar asks for them).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { CallbackList } from '../callbacks/callback_list.js';
import type { Layer } from '../layers/layer.js';
import type { Metric } from '../metrics.js';
import { pythonFloat } from '../utils/python_format.js';
import { shuffledIndices } from '../utils/random.js';
import { epochBatches, type Dataset } from './data_adapter.js';
import { DeferredLogs } from './deferred_logs.js';
import { allMetrics, LossTracker, predictStep, testStep, trainStep, type Compiled } from './train_step.js';

/** What the loops need from the model. */
export interface TrainableModel {
  readonly layers: readonly Layer[];
  stop_training: boolean;
}

export interface FitLoopOptions {
  batch_size: number;
  epochs: number;
  initial_epoch: number;
  shuffle: boolean;
  validation_batch_size: number;
  validation_freq: number;
}

/** A metric's current value as a number (one host read). */
function metricValue(metric: Metric): number {
  return metric.result();
}

/** `{loss, ...metrics}` read now from the backend, after the deferred batches are added. */
function readLogs(tracker: LossTracker, metrics: readonly Metric[], deferred: DeferredLogs | null = null): Logs {
  deferred?.flush();
  const logs: Logs = { loss: tracker.result() };
  for (const metric of metrics) logs[metric.name] = metricValue(metric);
  return logs;
}

/**
 * The logs of a batch hook: plain numbers when a user callback reads them; otherwise values
 * read from the backend only when the progress bar draws, during that same hook.
 */
function batchLogs(tracker: LossTracker, metrics: readonly Metric[], eager: boolean, deferred: DeferredLogs | null = null): Logs {
  if (eager) return readLogs(tracker, metrics, deferred);
  const logs: Logs = {};
  const define = (key: string, read: () => number) =>
    Object.defineProperty(logs, key, {
      enumerable: true,
      configurable: true,
      get: read,
      set: (value: number) => Object.defineProperty(logs, key, { value, writable: true, enumerable: true, configurable: true }),
    });
  define('loss', () => {
    deferred?.flush();
    return tracker.result();
  });
  for (const metric of metrics) {
    define(metric.name, () => {
      deferred?.flush();
      return metricValue(metric);
    });
  }
  return logs;
}

function resetMetrics(tracker: LossTracker, metrics: readonly Metric[]): void {
  tracker.reset();
  for (const metric of metrics) metric.reset_state();
}

/**
 * The epochs of `fit`; returns after `epochs` or when `model.stop_training` is set,
 * with the last epoch's logs (null when no epoch ran).
 */
export function fitLoop(
  model: TrainableModel,
  compiled: Compiled,
  train: Dataset,
  validation: Dataset | null,
  options: FitLoopOptions,
  callbacks: CallbackList,
): Logs | null {
  const tracker = new LossTracker();
  let lastLogs: Logs | null = null;
  const metrics = allMetrics(compiled);
  const n = train.x.shape[0]!;
  const order = options.shuffle ? new Int32Array(n) : null;
  const eagerLogs = callbacks.readsBatchLogs('train');
  // A callback that reads every batch's logs would flush every step: nothing to save then.
  const deferred = eagerLogs ? null : DeferredLogs.forFit(model.layers, compiled, tracker);
  let warnedNonFinite = false;
  try {
    model.stop_training = false;
    callbacks.on_train_begin();
    for (let epoch = options.initial_epoch; epoch < options.epochs; epoch++) {
      resetMetrics(tracker, metrics);
      callbacks.on_epoch_begin(epoch);
      const batches = epochBatches(train, options.batch_size, order === null ? null : shuffledIndices(n, order));
      for (let step = 0; step < batches.count; step++) {
        callbacks.on_train_batch_begin(step);
        const batch = batches.batch(step);
        try {
          trainStep(model.layers, compiled, batch.x, batch.y!, batch.sampleWeight, tracker, deferred);
        } finally {
          disposeBatch(batch);
        }
        callbacks.on_train_batch_end(step, batchLogs(tracker, metrics, eagerLogs, deferred));
        if (model.stop_training) break;
      }
      const logs = readLogs(tracker, metrics, deferred);
      if (!warnedNonFinite && !model.stop_training && !Number.isFinite(logs.loss)) {
        warnedNonFinite = true;
        warnNonFiniteLoss(epoch, logs.loss!);
      }
      if (validation !== null && (epoch + 1) % options.validation_freq === 0) {
        const valLogs = testLoop(model, compiled, validation, options.validation_batch_size, callbacks);
        for (const [key, value] of Object.entries(valLogs)) logs[`val_${key}`] = value;
      }
      callbacks.on_epoch_end(epoch, logs);
      lastLogs = logs;
      if (model.stop_training) break;
    }
    // Keras's fit ends by letting the optimizer swap in its moving averages (`use_ema`).
    if (options.epochs > options.initial_epoch) {
      compiled.optimizer.finalize_variable_values(model.layers.flatMap((layer) => layer.trainable_weights));
    }
    callbacks.on_train_end(lastLogs ?? undefined);
    return lastLogs;
  } finally {
    deferred?.dispose();
    tracker.dispose();
  }
}

/**
 * Keras trains on silently once the loss is NaN; a student then sees only `nan` in the
 * history. Said once per fit; a callback that stops training (TerminateOnNaN) speaks instead.
 */
function warnNonFiniteLoss(epoch: number, loss: number): void {
  console.warn(
    `UserWarning: The loss is ${pythonFloat(loss)} at epoch ${epoch + 1}: training has diverged, and the next epochs ` +
      'will not recover. Lower the learning rate, or pass `callbacks: [keras.callbacks.TerminateOnNaN()]` to stop at the first bad batch.',
  );
}

/** `evaluate`'s loop (also `fit`'s validation): the loss and metrics over `data`. */
export function testLoop(model: TrainableModel, compiled: Compiled, data: Dataset, batchSize: number, callbacks: CallbackList): Logs {
  const tracker = new LossTracker();
  const metrics = allMetrics(compiled);
  try {
    resetMetrics(tracker, metrics);
    const eagerLogs = callbacks.readsBatchLogs('test');
    callbacks.on_test_begin();
    const batches = epochBatches(data, batchSize, null);
    for (let step = 0; step < batches.count; step++) {
      callbacks.on_test_batch_begin(step);
      const batch = batches.batch(step);
      try {
        testStep(model.layers, compiled, batch.x, batch.y!, batch.sampleWeight, tracker);
      } finally {
        disposeBatch(batch);
      }
      callbacks.on_test_batch_end(step, batchLogs(tracker, metrics, eagerLogs));
    }
    const logs = readLogs(tracker, metrics);
    callbacks.on_test_end(logs);
    return logs;
  } finally {
    tracker.dispose();
  }
}

/** `predict`'s loop: the outputs of every batch, concatenated. */
export function predictLoop(model: TrainableModel, x: tf.Tensor, batchSize: number, callbacks: CallbackList): tf.Tensor {
  callbacks.on_predict_begin();
  const n = x.shape[0]!;
  const outputs: tf.Tensor[] = [];
  try {
    for (let start = 0, step = 0; start < n; start += batchSize, step++) {
      callbacks.on_predict_batch_begin(step);
      const size = Math.min(batchSize, n - start);
      outputs.push(tf.tidy(() => predictStep(model.layers, size === n ? x : tf.slice(x, start, size))));
      callbacks.on_predict_batch_end(step);
    }
    const result = outputs.length === 1 ? outputs[0]! : tf.concat(outputs, 0);
    callbacks.on_predict_end();
    return result;
  } finally {
    if (outputs.length > 1) tf.dispose(outputs);
  }
}

function disposeBatch(batch: Dataset): void {
  batch.x.dispose();
  batch.y?.dispose();
  batch.sampleWeight?.dispose();
}
