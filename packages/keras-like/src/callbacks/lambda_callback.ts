/**
 * `keras.callbacks.LambdaCallback({on_epoch_end, ...})`: a callback made of plain
 * functions, one per hook, as in Keras 3. Each function takes the hook's arguments:
 * `(epoch, logs)` for epochs, `(batch, logs)` for batches, `(logs)` for begin/end.
 *
 *   keras.callbacks.LambdaCallback({ on_epoch_end: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';

type IndexHook = (index: number, logs?: Logs) => void;
type LogsHook = (logs?: Logs) => void;

const indexHook = z.custom<IndexHook>((v) => typeof v === 'function', { error: 'must be a function' }).optional();
const logsHook = z.custom<LogsHook>((v) => typeof v === 'function', { error: 'must be a function' }).optional();

// Every hook of `Callback` may be given, as Keras's `**kwargs` allows.
const lambdaCallbackSchema = z.object({
  on_epoch_begin: indexHook,
  on_epoch_end: indexHook,
  on_train_begin: logsHook,
  on_train_end: logsHook,
  on_train_batch_begin: indexHook,
  on_train_batch_end: indexHook,
  on_test_begin: logsHook,
  on_test_end: logsHook,
  on_test_batch_begin: indexHook,
  on_test_batch_end: indexHook,
  on_predict_begin: logsHook,
  on_predict_end: logsHook,
  on_predict_batch_begin: indexHook,
  on_predict_batch_end: indexHook,
  on_batch_begin: indexHook,
  on_batch_end: indexHook,
});

export type LambdaCallbackOptions = KerasOptions<typeof lambdaCallbackSchema>;

export class LambdaCallbackImpl extends Callback {
  /**
   * @param options one function per hook to run: `on_epoch_begin`, `on_epoch_end`, `on_train_begin`,
   *   `on_train_end`, `on_train_batch_begin`, `on_train_batch_end`, and any other hook of `Callback`.
   */
  constructor(options?: LambdaCallbackOptions) {
    super();
    const hooks = parseArgs('LambdaCallback', lambdaCallbackSchema, [], [options]);
    // Own properties shadow the base's no-op methods, as Keras assigns `self.on_epoch_end = fn`.
    for (const [name, hook] of Object.entries(hooks)) {
      if (hook !== undefined) Object.defineProperty(this, name, { value: hook, writable: true, configurable: true });
    }
  }
}

export const LambdaCallback = callable(LambdaCallbackImpl);
export type LambdaCallback = LambdaCallbackImpl;
