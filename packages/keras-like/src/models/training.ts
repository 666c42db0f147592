/**
 * The loops behind `fit`, `evaluate` and `predict`: batches, callbacks, and the
 * moments the host reads values from the backend (once per epoch, or when a
 * callback or the progress bar asks for them).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { CallbackList } from '../callbacks/callback_list.js';
import type { AnyLayer } from '../layers/keras_tensor.js';
import type { Metric } from '../metrics.js';
import { pythonFloat } from '../utils/python_format.js';
import { ValueError } from '../errors.js';
import type { Dataset } from './data_adapter.js';
import type { EpochSource } from './generator_adapter.js';
import { DeferredLogs } from './deferred_logs.js';
import { allMetricKeys, allMetrics, LossTrackers, predictStep, stepPlan, testStep, trainStep, type Compiled, type EngineModel } from './train_step.js';

/** What the loops need from the model. */
export interface TrainableModel extends EngineModel {
  /** Every layer, nested ones included (for the deferred logs' checks). */
  _flatten_layers(include_self?: boolean): AnyLayer[];
  stop_training: boolean;
  /** The epoch a callback restored in `on_train_begin` (Keras's `model._initial_epoch`), or null. */
  _initial_epoch: number | null;
}

export interface FitLoopOptions {
  epochs: number;
  initial_epoch: number;
  validation_freq: number;
}

/** A metric's current value as a number (one host read). */
function metricValue(metric: Metric): number {
  return metric.result();
}

/** The values a loop reports: the loss trackers and the metrics, with their log keys. */
interface Reported {
  readonly trackers: LossTrackers;
  readonly metrics: readonly Metric[];
  /** Each value's key and how to read it: `loss`, each output's `<name>_loss`, then the metrics. */
  readonly readers: ReadonlyArray<readonly [string, () => number]>;
}

function reported(trackers: LossTrackers, compiled: Compiled): Reported {
  const metrics = allMetrics(compiled);
  const keys = allMetricKeys(compiled);
  const readers: Array<[string, () => number]> = [['loss', () => trackers.total.result()]];
  trackers.outputs.forEach((tracker, k) => readers.push([`${trackers.outputNames[k]}_loss`, () => tracker.result()]));
  metrics.forEach((metric, i) => readers.push([keys[i]!, () => metricValue(metric)]));
  return { trackers, metrics, readers };
}

/** `{loss, ...metrics}` read now from the backend, after the deferred batches are added. */
function readLogs(r: Reported, deferred: DeferredLogs | null = null): Logs {
  deferred?.flush();
  const logs: Logs = {};
  for (const [key, read] of r.readers) logs[key] = read();
  return logs;
}

/**
 * The logs of a batch hook: plain numbers when a user callback reads them; otherwise values
 * read from the backend only when the progress bar draws, during that same hook.
 */
function batchLogs(r: Reported, eager: boolean, deferred: DeferredLogs | null = null): Logs {
  if (eager) return readLogs(r, deferred);
  const logs: Logs = {};
  for (const [key, read] of r.readers) {
    Object.defineProperty(logs, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        deferred?.flush();
        return read();
      },
      set: (value: number) => Object.defineProperty(logs, key, { value, writable: true, enumerable: true, configurable: true }),
    });
  }
  return logs;
}

function resetMetrics(r: Reported): void {
  r.trackers.reset();
  for (const metric of r.metrics) metric.reset_state();
}

/**
 * The epochs of `fit`; returns after `epochs` or when `model.stop_training` is set,
 * with the last epoch's logs (null when no epoch ran).
 */
export function fitLoop(
  model: TrainableModel,
  compiled: Compiled,
  train: EpochSource,
  validation: EpochSource | null,
  options: FitLoopOptions,
  callbacks: CallbackList,
): Logs | null {
  const trackers = new LossTrackers(compiled.outputs.map((o) => o.name));
  const r = reported(trackers, compiled);
  let lastLogs: Logs | null = null;
  const eagerLogs = callbacks.readsBatchLogs('train');
  // No callback with a batch hook (verbose 0, History only): no batch logs to make.
  const batchHooks = callbacks.hasBatchHooks('train');
  // A callback that reads every batch's logs would flush every step: nothing to save then.
  const deferred = eagerLogs ? null : DeferredLogs.forFit(model, compiled, trackers.total);
  const plan = stepPlan(model);
  let warnedNonFinite = false;
  try {
    model.stop_training = false;
    model._initial_epoch = null;
    callbacks.on_train_begin();
    // BackupAndRestore resumes at the epoch it restored (Keras: `self._initial_epoch or initial_epoch`).
    const initialEpoch = model._initial_epoch || options.initial_epoch;
    model._initial_epoch = null;
    for (let epoch = initialEpoch; epoch < options.epochs; epoch++) {
      resetMetrics(r);
      callbacks.on_epoch_begin(epoch);
      let step = 0;
      for (const batch of train.epoch()) {
        try {
          callbacks.on_train_batch_begin(step);
          trainStep(model, compiled, batch.x, batch.y!, batch.sampleWeight, trackers, deferred, plan);
        } finally {
          disposeBatch(batch);
        }
        callbacks.on_train_batch_end(step, batchHooks ? batchLogs(r, eagerLogs, deferred) : undefined);
        step += 1;
        if (model.stop_training) break;
      }
      // A generator that has ended gives no batch: training stops there (its source warned).
      if (step === 0) break;
      const logs = readLogs(r, deferred);
      if (!warnedNonFinite && !model.stop_training && !Number.isFinite(logs.loss)) {
        warnedNonFinite = true;
        warnNonFiniteLoss(epoch, logs.loss!);
      }
      if (validation !== null && (epoch + 1) % options.validation_freq === 0) {
        const valLogs = testLoop(model, compiled, validation, callbacks, true);
        if (valLogs !== null) for (const [key, value] of Object.entries(valLogs)) logs[`val_${key}`] = value;
      }
      callbacks.on_epoch_end(epoch, logs);
      lastLogs = logs;
      if (model.stop_training) break;
    }
    // Keras's fit ends by letting the optimizer swap in its moving averages (`use_ema`).
    if (options.epochs > initialEpoch) compiled.optimizer.finalize_variable_values(model.trainable_weights);
    callbacks.on_train_end(lastLogs ?? undefined);
    return lastLogs;
  } finally {
    deferred?.dispose();
    trackers.dispose();
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

/**
 * `evaluate`'s loop (also `fit`'s validation): the loss and metrics over `data`. With `skipEmpty`
 * (a validation generator that has ended), null when no batch came.
 */
export function testLoop(model: TrainableModel, compiled: Compiled, data: EpochSource, callbacks: CallbackList, skipEmpty: true): Logs | null;
export function testLoop(model: TrainableModel, compiled: Compiled, data: EpochSource, callbacks: CallbackList, skipEmpty?: false): Logs;
export function testLoop(model: TrainableModel, compiled: Compiled, data: EpochSource, callbacks: CallbackList, skipEmpty = false): Logs | null {
  const trackers = new LossTrackers(compiled.outputs.map((o) => o.name));
  const r = reported(trackers, compiled);
  try {
    resetMetrics(r);
    const eagerLogs = callbacks.readsBatchLogs('test');
    const batchHooks = callbacks.hasBatchHooks('test');
    const plan = stepPlan(model);
    callbacks.on_test_begin();
    let step = 0;
    for (const batch of data.epoch()) {
      try {
        callbacks.on_test_batch_begin(step);
        testStep(model, compiled, batch.x, batch.y!, batch.sampleWeight, trackers, plan);
      } finally {
        disposeBatch(batch);
      }
      callbacks.on_test_batch_end(step, batchHooks ? batchLogs(r, eagerLogs) : undefined);
      step += 1;
    }
    if (skipEmpty && step === 0) return null;
    const logs = readLogs(r);
    callbacks.on_test_end(logs);
    return logs;
  } finally {
    trackers.dispose();
  }
}

/** `predict`'s loop: the outputs of every batch, concatenated, one tensor per model output. */
export function predictLoop(model: TrainableModel, data: EpochSource, callbacks: CallbackList): tf.Tensor[] {
  callbacks.on_predict_begin();
  const outputs: tf.Tensor[][] = [];
  try {
    let step = 0;
    for (const batch of data.epoch()) {
      try {
        callbacks.on_predict_batch_begin(step);
        outputs.push(tf.tidy(() => predictStep(model, batch.x).map((t) => (batch.x.includes(t) ? t.clone() : t))));
      } finally {
        disposeBatch(batch);
      }
      callbacks.on_predict_batch_end(step);
      step += 1;
    }
    if (outputs.length === 0) throw new ValueError('Unexpected result of `predict_function` (Empty batch_outputs). Please use `Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly(True)` for more information of where went wrong, or file a issue/bug to `tf.keras`.');
    const result = outputs[0]!.map((_, k) => (outputs.length === 1 ? outputs[0]![k]! : tf.concat(outputs.map((o) => o[k]!), 0)));
    callbacks.on_predict_end();
    return result;
  } finally {
    if (outputs.length > 1) tf.dispose(outputs.flat());
  }
}

function disposeBatch(batch: Dataset): void {
  if (batch.borrowed === true) return;
  for (const t of batch.x) t.dispose();
  for (const t of batch.y ?? []) t.dispose();
  batch.sampleWeight?.dispose();
}
