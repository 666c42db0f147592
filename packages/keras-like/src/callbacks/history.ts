/**
 * `keras.callbacks.History`: what `fit` returns. `history.history.loss` lists the
 * loss of each epoch; `history.history['val_accuracy']`, ... likewise, with
 * Keras's key names; `history.epoch` lists the epoch indices.
 */
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';

export class HistoryCallback extends Callback {
  history: Record<string, number[]> = {};
  epoch: number[] = [];

  override on_train_begin(): void {
    this.epoch = [];
  }

  override on_epoch_end(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      (this.history[key] ??= []).push(value);
    }
    if (this.model !== null) this.model.history = this;
  }
}

export const History = callable(HistoryCallback);
export type History = HistoryCallback;
