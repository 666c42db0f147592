/**
 * `keras.callbacks.ReduceLROnPlateau`: multiplies the learning rate by `factor`
 * when a monitored metric has not improved for `patience` epochs, as Keras 3 does
 * (keras/src/callbacks/reduce_lr_on_plateau.py):
 *
 *   improvement:  current < best - min_delta   (or > best + min_delta in 'max' mode)
 *   after `patience` epochs without one, outside the cooldown:
 *     lr ← max(lr · factor, min_lr);  wait = 0;  cooldown restarts
 *
 * In `mode: 'auto'` a monitor whose name contains "acc" is maximized, anything else minimized.
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { pythonFloat } from '../utils/python_format.js';
import { Callback, type Logs } from './callback.js';
import { warnOnce } from './monitor.js';

const nonNegativeInt = z.number().int({ error: 'must be a non-negative integer' }).min(0, { error: 'must be a non-negative integer' });

const reduceLROnPlateauSchema = z.object({
  monitor: z.string().default('val_loss'),
  factor: z.number().finite().default(0.1),
  patience: nonNegativeInt.default(10),
  verbose: z.number().int().default(0),
  mode: z.string().default('auto'),
  min_delta: z.number().finite().default(1e-4),
  cooldown: nonNegativeInt.default(0),
  min_lr: z.number().finite().min(0, { error: 'must be a non-negative float' }).default(0),
});

export type ReduceLROnPlateauOptions = KerasOptions<typeof reduceLROnPlateauSchema>;

export class ReduceLROnPlateauCallback extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  mode: 'auto' | 'min' | 'max';
  readonly min_delta: number;
  readonly cooldown: number;
  readonly min_lr: number;
  /** Epochs left before reductions resume. */
  cooldown_counter = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  best = 0;
  private maximize = false;

  /**
   * @param options.monitor the quantity to watch, a key of the epoch logs. Defaults to `'val_loss'`.
   * @param options.factor the learning rate is multiplied by it, below 1. Defaults to 0.1.
   * @param options.patience epochs without improvement before a reduction. Defaults to 10.
   * @param options.verbose 1 prints each reduction. Defaults to 0.
   * @param options.mode `'min'`, `'max'` or `'auto'`. Defaults to `'auto'`.
   * @param options.min_delta the smallest change that counts as an improvement. Defaults to 1e-4.
   * @param options.cooldown epochs to wait after a reduction before counting again. Defaults to 0.
   * @param options.min_lr the learning rate is never reduced below it. Defaults to 0.
   */
  constructor(options?: ReduceLROnPlateauOptions) {
    super();
    const args = parseArgs('ReduceLROnPlateau', reduceLROnPlateauSchema, [], [options]);
    if (args.factor >= 1) {
      throw new ValueError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${pythonFloat(args.factor)}`);
    }
    this.monitor = args.monitor;
    this.factor = args.factor;
    this.patience = args.patience;
    this.verbose = args.verbose;
    this.mode = 'auto';
    this.min_delta = args.min_delta;
    this.cooldown = args.cooldown;
    this.min_lr = args.min_lr;
    if (args.mode === 'auto' || args.mode === 'min' || args.mode === 'max') this.mode = args.mode;
    else warnOnce(`Learning rate reduction mode ${args.mode} is unknown, fallback to auto mode.`);
    this.reset();
  }

  override on_train_begin(_logs?: Logs): void {
    this.reset();
  }

  override on_epoch_end(epoch: number, logs?: Logs): void {
    const optimizer = this.model!.optimizer;
    // Keras records the learning rate in the epoch logs (and so in History).
    if (logs) logs.learning_rate = optimizer.learning_rate;
    const current = logs?.[this.monitor];
    if (current === undefined || current === null) {
      warnOnce(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs ?? {}).join(',')}.`,
      );
      return;
    }
    if (this.in_cooldown()) {
      this.cooldown_counter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.in_cooldown()) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const oldLr = optimizer.learning_rate;
    // Keras holds the rate in a float32 variable and compares in float32.
    if (Math.fround(oldLr) > Math.fround(this.min_lr)) {
      const newLr = Math.max(oldLr * this.factor, this.min_lr);
      optimizer.learning_rate = newLr;
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloat(newLr)}.`);
      this.cooldown_counter = this.cooldown;
      this.wait = 0;
    }
  }

  /** Whether a reduction happened less than `cooldown` epochs ago. */
  in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  private reset(): void {
    this.maximize = this.mode === 'max' || (this.mode === 'auto' && this.monitor.includes('acc'));
    this.best = this.maximize ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    this.cooldown_counter = 0;
    this.wait = 0;
  }

  private isImprovement(current: number): boolean {
    return this.maximize ? current > this.best + this.min_delta : current < this.best - this.min_delta;
  }
}

export const ReduceLROnPlateau = callable(ReduceLROnPlateauCallback);
export type ReduceLROnPlateau = ReduceLROnPlateauCallback;
