/**
 * `keras.callbacks.EarlyStopping`: stops training when a monitored metric has
 * stopped improving, with Keras 3's exact rule (keras/src/callbacks/early_stopping.py):
 *
 *   at the end of each epoch from `start_from_epoch` on:
 *     wait += 1
 *     if current improves on best by more than min_delta:
 *       best = current; remember the weights (restore_best_weights)
 *       wait = 0 unless a `baseline` is set and not beaten
 *     else if wait >= patience and epoch > 0: stop
 *
 *   callbacks: [keras.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 100 })]
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';
import { metricDirection, warnOnce } from './monitor.js';

const earlyStoppingSchema = z.object({
  monitor: z.string().default('val_loss'),
  min_delta: z.number().finite().default(0),
  patience: z.number().int({ error: 'must be a non-negative integer' }).min(0, { error: 'must be a non-negative integer' }).default(0),
  verbose: z.number().int().default(0),
  mode: z.string().default('auto'),
  baseline: z.number().nullish().transform((v) => v ?? null),
  restore_best_weights: z.boolean().default(false),
  start_from_epoch: z.number().int({ error: 'must be a non-negative integer' }).min(0, { error: 'must be a non-negative integer' }).default(0),
});

export type EarlyStoppingOptions = KerasOptions<typeof earlyStoppingSchema>;

export class EarlyStoppingCallback extends Callback {
  readonly monitor: string;
  /** Positive as given; its sign follows the direction once the direction is known, as in Keras. */
  min_delta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly baseline: number | null;
  readonly restore_best_weights: boolean;
  readonly start_from_epoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training stopped at (0 when it did not stop early). */
  stopped_epoch = 0;
  best = Number.POSITIVE_INFINITY;
  best_epoch = 0;
  best_weights: tf.Tensor[] | null = null;
  private direction: 'min' | 'max' | null = null;

  /**
   * @param options.monitor the quantity to watch, a key of the epoch logs. Defaults to `'val_loss'`.
   * @param options.min_delta the smallest change that counts as an improvement. Defaults to 0.
   * @param options.patience epochs without improvement before training stops. Defaults to 0.
   * @param options.verbose 1 prints when the callback acts. Defaults to 0.
   * @param options.mode `'min'`, `'max'` or `'auto'` (inferred from the metric's name). Defaults to `'auto'`.
   * @param options.baseline a value the metric must beat for `wait` to restart. Defaults to `null`.
   * @param options.restore_best_weights put back the weights of the best epoch at the end of training.
   *   Defaults to `false`.
   * @param options.start_from_epoch epochs to wait before monitoring (a warm-up). Defaults to 0.
   */
  constructor(options?: EarlyStoppingOptions) {
    super();
    const args = parseArgs('EarlyStopping', earlyStoppingSchema, [], [options]);
    this.monitor = args.monitor;
    this.min_delta = Math.abs(args.min_delta);
    this.patience = args.patience;
    this.verbose = args.verbose;
    this.baseline = args.baseline;
    this.restore_best_weights = args.restore_best_weights;
    this.start_from_epoch = args.start_from_epoch;
    if (args.mode !== 'auto' && args.mode !== 'min' && args.mode !== 'max') {
      warnOnce(`EarlyStopping mode ${args.mode} is unknown, fallback to auto mode.`);
      this.mode = 'auto';
    } else {
      this.mode = args.mode;
    }
  }

  override on_train_begin(_logs?: Logs): void {
    // Instances may be reused across fits.
    this.wait = 0;
    this.stopped_epoch = 0;
    this.disposeBestWeights();
    this.best_epoch = 0;
  }

  override on_epoch_end(epoch: number, logs?: Logs): void {
    // Delayed until the model's metrics exist, as Keras does.
    if (this.direction === null) this.setDirection();
    const current = this.get_monitor_value(logs);
    if (current === undefined || epoch < this.start_from_epoch) return;
    const model = this.model!;
    if (this.restore_best_weights && this.best_weights === null) {
      // Until something improves, the current weights are the best.
      this.best_weights = model.get_weights();
      this.best_epoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.best_epoch = epoch;
      if (this.restore_best_weights) {
        this.disposeBestWeights();
        this.best_weights = model.get_weights();
      }
      // Restart the wait only when both the baseline and the previous best are beaten.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stopped_epoch = epoch;
      model.stop_training = true;
    }
  }

  override on_train_end(_logs?: Logs): void {
    if (this.stopped_epoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stopped_epoch + 1}: early stopping`);
    if (this.restore_best_weights && this.best_weights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.best_epoch + 1}.`);
      this.model!.set_weights(this.best_weights);
      this.disposeBestWeights();
    }
  }

  /** The monitored value in `logs`, or `undefined` with Keras's warning listing the available keys. */
  get_monitor_value(logs?: Logs): number | undefined {
    const value = logs?.[this.monitor];
    if (value === undefined || value === null) {
      warnOnce(
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs ?? {}).join(',')}`,
      );
      return undefined;
    }
    return value;
  }

  private setDirection(): void {
    const direction = this.mode === 'auto' ? metricDirection(this.monitor, modelMetrics(this.model)) : this.mode;
    if (direction === undefined) {
      throw new ValueError(
        `EarlyStopping callback received monitor=${this.monitor} but Keras isn't able to automatically determine ` +
          "whether that metric should be maximized or minimized. Pass `mode='max'` in order to do early stopping " +
          "based on the highest metric value, or pass `mode='min'` in order to use the lowest value.",
      );
    }
    this.direction = direction;
    if (direction === 'min') this.min_delta *= -1;
    this.best = direction === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  private isImprovement(value: number, reference: number): boolean {
    const shifted = value - this.min_delta;
    return this.direction === 'min' ? shifted < reference : shifted > reference;
  }

  private disposeBestWeights(): void {
    for (const w of this.best_weights ?? []) w.dispose();
    this.best_weights = null;
  }
}

// The model's metric objects, when it exposes them, for their Keras `_direction`.
function modelMetrics(model: unknown): readonly unknown[] {
  const metrics = (model as { metrics?: unknown } | null)?.metrics;
  return Array.isArray(metrics) ? metrics : [];
}

export const EarlyStopping = callable(EarlyStoppingCallback);
export type EarlyStopping = EarlyStoppingCallback;
