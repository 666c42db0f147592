/**
 * `keras.callbacks.ProgbarLogger`: prints `Epoch 3/30` and the progress bar
 * (models/progbar.ts) during `fit`, `evaluate` and `predict`. `fit` adds one when
 * `verbose` is not 0, as Keras does.
 */
import { Progbar, type ProgbarStream } from '../models/progbar.js';
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';

export class ProgbarLoggerCallback extends Callback {
  private progbar: Progbar | null = null;
  private seen = 0;
  private calledInFit = false;
  private readonly stream: ProgbarStream | undefined;

  /** @param stream where to print; `process.stdout` by default. */
  constructor(stream?: ProgbarStream) {
    super();
    this.stream = stream;
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
    this.progbar = this.verbose === 0 ? null : new Progbar(this.params.steps, { verbose: this.verbose, stream: this.stream, interval: 0.1 });
  }

  private updateBar(batch: number, logs: Logs | undefined): void {
    this.seen = batch + 1;
    const bar = this.progbar;
    // The last step is drawn by `finish`, with the epoch's final values.
    if (bar === null || this.seen >= bar.target || !bar.wantsUpdate(this.seen, false)) return;
    bar.update(this.seen, valuesOf(logs), false);
  }

  private finish(logs: Logs | undefined): void {
    const bar = this.progbar;
    if (bar === null) return;
    bar.update(Math.max(this.seen, bar.target), valuesOf(logs), true);
    this.progbar = null;
  }

  private write(text: string): void {
    (this.stream ?? process.stdout).write(text);
  }
}

// In log order: loss, then metrics, then (at epoch end) the `val_*` values, as Keras prints them.
function valuesOf(logs: Logs | undefined): Array<[string, number]> {
  if (logs === undefined) return [];
  return Object.keys(logs).map((key) => [key, logs[key]!] as [string, number]);
}

export const ProgbarLogger = callable(ProgbarLoggerCallback);
export type ProgbarLogger = ProgbarLoggerCallback;
