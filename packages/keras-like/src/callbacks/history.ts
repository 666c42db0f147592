/**
 * `keras.callbacks.History`: what `fit` returns. `history.history.loss` lists the
 * loss of each epoch; `history.history['val_accuracy']`, ... likewise, with
 * Keras's key names; `history.epoch` lists the epoch indices.
 */
import { z } from 'zod';
import { parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';

export class HistoryCallback extends Callback {
  history: Record<string, number[]> = {};
  epoch: number[] = [];

  /** Takes no arguments, as Keras 3's `History()`; `fit` adds one itself. */
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('History', z.object({}), [], [options]);
  }

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
