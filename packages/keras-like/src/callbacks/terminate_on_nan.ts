/**
 * `keras.callbacks.TerminateOnNaN({raise_error})`: stops training at the end of the
 * first batch whose loss is NaN or infinite, as Keras 3 does; the message names the
 * epoch and the batch. With `raise_error: true` it throws instead, skipping the
 * other callbacks' `on_train_end`.
 */
import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { pythonFloat } from '../utils/python_format.js';
import { Callback, type Logs } from './callback.js';

const terminateOnNaNSchema = z.object({ raise_error: z.boolean().default(false) });

export type TerminateOnNaNOptions = KerasOptions<typeof terminateOnNaNSchema>;

export class TerminateOnNaNCallback extends Callback {
  readonly raise_error: boolean;
  private epoch = 0;

  /** @param options.raise_error throw a `RuntimeError` instead of stopping gracefully. Defaults to `false`. */
  constructor(options?: TerminateOnNaNOptions) {
    super();
    this.raise_error = parseArgs('TerminateOnNaN', terminateOnNaNSchema, [], [options]).raise_error;
  }

  override on_epoch_begin(epoch: number, _logs?: Logs): void {
    this.epoch = epoch;
  }

  override on_train_batch_end(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss === undefined || loss === null || Number.isFinite(loss)) return;
    if (this.raise_error) {
      throw new RuntimeError(
        `NaN or Inf loss encountered at epoch ${this.epoch + 1}, batch ${batch}. Loss value: ${pythonFloat(loss)}. ` +
          'Terminating training immediately.',
      );
    }
    console.log(`Epoch ${this.epoch + 1}, batch ${batch}: Invalid loss, terminating training`);
    this.model!.stop_training = true;
  }
}

export const TerminateOnNaN = callable(TerminateOnNaNCallback);
export type TerminateOnNaN = TerminateOnNaNCallback;
