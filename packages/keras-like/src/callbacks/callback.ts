/**
 * `keras.callbacks.Callback`: the base of objects that hook into `fit`,
 * `evaluate` and `predict`. Override the hooks you need; each receives the
 * epoch or batch index and the `logs` (loss and metrics so far, as numbers).
 *
 *   class PrintLoss extends keras.callbacks.Callback {
 *     override on_epoch_end(epoch: number, logs: Logs = {}) { console.log(epoch, logs.loss); }
 *   }
 *
 * As in Keras, `this.model` is the model being trained and `this.params` holds
 * `{ verbose, epochs, steps }`. Setting `this.model.stop_training = true` ends `fit`
 * after the current epoch.
 *
 * Batch-level `logs` read their values from the backend only when a key is read,
 * so a callback that ignores them costs no host synchronisation per batch.
 */
import type { ModelClass } from '../models/model.js';

/** Loss and metric values by Keras name: `{ loss: 0.45, accuracy: 0.78, val_loss: ... }`. */
export type Logs = Record<string, number>;

/** What `set_params` receives (Keras's `params`). */
export interface CallbackParams {
  verbose: number;
  epochs: number;
  /** Batches per epoch (or per evaluate / predict run); null when unknown (a generator read until it ends), as Keras's None. */
  steps: number | null;
}

export class Callback {
  model: ModelClass | null = null;
  params: CallbackParams = { verbose: 1, epochs: 1, steps: 0 };

  set_model(model: ModelClass): void {
    this.model = model;
  }

  set_params(params: CallbackParams): void {
    this.params = params;
  }

  on_train_begin(_logs?: Logs): void {}
  on_train_end(_logs?: Logs): void {}
  on_epoch_begin(_epoch: number, _logs?: Logs): void {}
  on_epoch_end(_epoch: number, _logs?: Logs): void {}
  on_train_batch_begin(_batch: number, _logs?: Logs): void {}
  on_train_batch_end(_batch: number, _logs?: Logs): void {}
  on_test_begin(_logs?: Logs): void {}
  on_test_end(_logs?: Logs): void {}
  on_test_batch_begin(_batch: number, _logs?: Logs): void {}
  on_test_batch_end(_batch: number, _logs?: Logs): void {}
  on_predict_begin(_logs?: Logs): void {}
  on_predict_end(_logs?: Logs): void {}
  on_predict_batch_begin(_batch: number, _logs?: Logs): void {}
  on_predict_batch_end(_batch: number, _logs?: Logs): void {}

  /** Keras's older names for the training-batch hooks; `fit` calls both. */
  on_batch_begin(_batch: number, _logs?: Logs): void {}
  on_batch_end(_batch: number, _logs?: Logs): void {}
}
