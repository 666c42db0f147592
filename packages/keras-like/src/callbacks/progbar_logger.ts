/**
 * `keras.callbacks.ProgbarLogger`: prints `Epoch 3/30` and the progress bar
 * (models/progbar.ts) during `fit`, `evaluate` and `predict`. `fit` adds one when
 * `verbose` is not 0, as Keras does.
 */
import { z } from 'zod';
import { Progbar } from '../models/progbar.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { stdout } from '../utils/notebook.js';
import { Callback, type Logs } from './callback.js';

const progbarLoggerSchema = z.object({
  count_mode: z.enum(['samples', 'steps'], { message: "must be one of 'samples', 'steps'" }).default('samples'),
});

export type ProgbarLoggerOptions = KerasOptions<typeof progbarLoggerSchema>;

export class ProgbarLoggerCallback extends Callback {
  /** TF2's argument, kept so notebooks that pass it run; the bar counts steps either way, as Keras 3's. */
  readonly count_mode: 'samples' | 'steps';
  private progbar: Progbar | null = null;
  private seen = 0;
  private calledInFit = false;

  /**
   * Keras 3's `ProgbarLogger()` takes no arguments; TF2's took `count_mode`, which course
   * notebooks may still pass, so it is accepted, checked and otherwise ignored.
   * @param options.count_mode `'samples'` or `'steps'`. Defaults to `'samples'` (TF2's default).
   */
  constructor(...args: [ProgbarLoggerOptions?] | ['samples' | 'steps']) {
    super();
    this.count_mode = parseArgs('ProgbarLogger', progbarLoggerSchema, ['count_mode'], args).count_mode;
  }

  private get verbose(): number {
    return this.params.verbose;
  }

  override on_train_begin(): void {
    this.calledInFit = true;
  }

  override on_train_end(): void {
    this.calledInFit = false;
  }

  override on_test_begin(): void {
    if (!this.calledInFit) this.reset();
  }

  override on_predict_begin(): void {
    this.reset();
  }

  override on_epoch_begin(epoch: number): void {
    this.reset();
    if (this.verbose !== 0 && this.params.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
  }

  override on_train_batch_end(batch: number, logs?: Logs): void {
    this.updateBar(batch, logs);
  }

  override on_test_batch_end(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateBar(batch, logs);
  }

  override on_predict_batch_end(batch: number): void {
    this.updateBar(batch, undefined);
  }

  override on_epoch_end(_epoch: number, logs?: Logs): void {
    this.finish(logs);
  }

  override on_test_end(logs?: Logs): void {
    if (!this.calledInFit) this.finish(logs);
  }

  override on_predict_end(): void {
    this.finish(undefined);
  }

  private reset(): void {
    this.seen = 0;
    // Redraws at most 10 times a second: each one reads the running loss and metrics from the backend.
    this.progbar = this.verbose === 0 ? null : new Progbar(this.params.steps, { verbose: this.verbose, interval: 0.1 });
  }

  private updateBar(batch: number, logs: Logs | undefined): void {
    this.seen = batch + 1;
    const bar = this.progbar;
    // The last step is drawn by `finish`, with the epoch's final values.
    if (bar === null || (bar.target !== null && this.seen >= bar.target) || !bar.wantsUpdate(this.seen, false)) return;
    bar.update(this.seen, valuesOf(logs), false);
  }

  private finish(logs: Logs | undefined): void {
    const bar = this.progbar;
    if (bar === null) return;
    // An unknown number of steps is known at the end: the steps seen (Keras's _finalize_progbar).
    bar.target ??= this.seen;
    bar.update(Math.max(this.seen, bar.target), valuesOf(logs), true);
    this.progbar = null;
  }

  private write(text: string): void {
    // The stream the bar uses: the notebook's output in Deno's kernel, which does not capture process.stdout.
    stdout().write(text);
  }
}

// In log order: loss, then metrics, then (at epoch end) the `val_*` values, as Keras prints them.
function valuesOf(logs: Logs | undefined): Array<[string, number]> {
  if (logs === undefined) return [];
  return Object.keys(logs).map((key) => [key, logs[key]!] as [string, number]);
}

export const ProgbarLogger = callable(ProgbarLoggerCallback);
export type ProgbarLogger = ProgbarLoggerCallback;
