/**
 * Keras's `CallbackList`: the user's callbacks plus the default History (and a
 * ProgbarLogger when `verbose` is not 0), called in order for every hook.
 */
import type { ModelClass } from '../models/model.js';
import { Callback, type CallbackParams, type Logs } from './callback.js';
import { HistoryCallback } from './history.js';
import { ProgbarLoggerCallback } from './progbar_logger.js';

export interface CallbackListOptions {
  add_history?: boolean;
  add_progbar?: boolean;
  model: ModelClass;
  params: CallbackParams;
}

export class CallbackList {
  readonly callbacks: Callback[];
  readonly history: HistoryCallback | null = null;

  constructor(callbacks: readonly Callback[] | undefined, options: CallbackListOptions) {
    this.callbacks = [...(callbacks ?? [])];
    this.callbacks.forEach((cb, i) => {
      if (!(cb instanceof Callback)) {
        throw new TypeError(`\`callbacks[${i}]\` must be a keras.callbacks.Callback. Received: ${String(cb)}`);
      }
    });
    const existingHistory = this.callbacks.find((cb): cb is HistoryCallback => cb instanceof HistoryCallback);
    if (existingHistory) this.history = existingHistory;
    else if (options.add_history) {
      this.history = new HistoryCallback();
      this.callbacks.push(this.history);
    }
    if (options.add_progbar && !this.callbacks.some((cb) => cb instanceof ProgbarLoggerCallback)) {
      this.callbacks.push(new ProgbarLoggerCallback());
    }
    for (const cb of this.callbacks) {
      cb.set_model(options.model);
      cb.set_params(options.params);
    }
  }

  /**
   * Whether a callback other than the progress bar reads batch logs: then `fit` reads the
   * values after every batch, as Keras does; otherwise it hands the progress bar logs that
   * read the backend only when drawn, and training never waits for the host per batch.
   */
  readsBatchLogs(kind: 'train' | 'test'): boolean {
    return this.callbacks.some((cb) => !(cb instanceof ProgbarLoggerCallback) && overridesBatchEnd(cb, kind));
  }

  /** Whether any callback (the progress bar included) has a batch-end hook that may read the logs. */
  hasBatchHooks(kind: 'train' | 'test'): boolean {
    return this.callbacks.some((cb) => overridesBatchEnd(cb, kind));
  }

  on_train_begin(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_train_begin(logs);
  }
  on_train_end(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_train_end(logs);
  }
  on_epoch_begin(epoch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_epoch_begin(epoch, logs);
  }
  on_epoch_end(epoch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_epoch_end(epoch, logs);
  }
  on_train_batch_begin(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) {
      cb.on_batch_begin(batch, logs);
      cb.on_train_batch_begin(batch, logs);
    }
  }
  on_train_batch_end(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) {
      cb.on_batch_end(batch, logs);
      cb.on_train_batch_end(batch, logs);
    }
  }
  on_test_begin(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_test_begin(logs);
  }
  on_test_end(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_test_end(logs);
  }
  on_test_batch_begin(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_test_batch_begin(batch, logs);
  }
  on_test_batch_end(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_test_batch_end(batch, logs);
  }
  on_predict_begin(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_predict_begin(logs);
  }
  on_predict_end(logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_predict_end(logs);
  }
  on_predict_batch_begin(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_predict_batch_begin(batch, logs);
  }
  on_predict_batch_end(batch: number, logs?: Logs): void {
    for (const cb of this.callbacks) cb.on_predict_batch_end(batch, logs);
  }
}

function overridesBatchEnd(cb: Callback, kind: 'train' | 'test'): boolean {
  const hooks: ReadonlyArray<keyof Callback> = kind === 'train' ? ['on_train_batch_end', 'on_batch_end'] : ['on_test_batch_end'];
  return hooks.some((hook) => cb[hook] !== Callback.prototype[hook]);
}
