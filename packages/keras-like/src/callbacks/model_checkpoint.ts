/**
 * `keras.callbacks.ModelCheckpoint(filepath, {...})`: saves the model (or its weights) at the
 * end of each epoch, as Keras 3's keras/src/callbacks/model_checkpoint.py:
 *
 *   at the end of each epoch:
 *     path = filepath formatted with epoch (1-based) and the epoch's logs ('{epoch:02d}-{val_loss:.2f}')
 *     if save_best_only: save only when `monitor` improves on the best so far (mode min / max)
 *     else: save
 *
 *   callbacks: [keras.callbacks.ModelCheckpoint('ckpt/model-{epoch:02d}.keras', { save_best_only: true })]
 *
 * Files are `.keras` archives (`model.save`) or, with `save_weights_only`, `.weights.h5` files.
 * The folder is created when missing, as Keras does. `save_freq: n` saves every n batches instead
 * of at epoch ends (the path may then hold `{batch}`, 1-based, as Keras's), counting batches across
 * epochs as Keras does.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Callback, type Logs } from './callback.js';
import { metricDirection, warnOnce } from './monitor.js';
import { formatFilepath } from './filepath_format.js';

const checkpointSchema = z.object({
  filepath: z.string({ error: 'must be a path, such as "model-{epoch:02d}.keras"' }),
  monitor: z.string().default('val_loss'),
  verbose: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }).default(0),
  save_best_only: z.boolean().default(false),
  save_weights_only: z.boolean().default(false),
  mode: z.string().default('auto'),
  save_freq: z
    .union([z.literal('epoch'), z.number().int().positive({ error: 'must be a positive number of batches' })], { error: "must be 'epoch' or an integer (Keras: Unrecognized save_freq)" })
    .default('epoch'),
  initial_value_threshold: z.number().nullish().transform((v) => v ?? null),
});
export type ModelCheckpointOptions = Omit<KerasOptions<typeof checkpointSchema>, 'filepath'>;

export class ModelCheckpointCallback extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly save_best_only: boolean;
  readonly save_weights_only: boolean;
  readonly save_freq: 'epoch' | number;
  private readonly mode: 'auto' | 'min' | 'max';
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen: number | null = null;
  /** The best monitored value so far (Keras's `best`). */
  best: number | null;

  /**
   * @param filepath where to save; may hold `{epoch}` and log keys with Python format specs
   *   (`'w-{epoch:02d}-{val_loss:.2f}.weights.h5'`). Must end in `.keras`, or `.weights.h5`
   *   with `save_weights_only`.
   * @param options.monitor the log key `save_best_only` watches. Defaults to `'val_loss'`.
   * @param options.verbose 1 prints a line when the callback saves (or does not). Defaults to 0.
   * @param options.save_best_only save only when `monitor` improves. Defaults to `false`.
   * @param options.save_weights_only save `save_weights` files instead of whole models. Defaults to `false`.
   * @param options.mode `'min'`, `'max'` or `'auto'` (from the metric's name). Defaults to `'auto'`.
   * @param options.save_freq `'epoch'`, or save every this many batches. Defaults to `'epoch'`.
   * @param options.initial_value_threshold the value `monitor` must beat for the first save. Defaults to none.
   */
  constructor(filepath: string | (ModelCheckpointOptions & { filepath: string }), options?: ModelCheckpointOptions) {
    super();
    const args = parseArgs('ModelCheckpoint', checkpointSchema, ['filepath'], [filepath, options]);
    if (args.save_weights_only && !args.filepath.endsWith('.weights.h5')) {
      throw new ValueError(
        'When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` ' +
          `(Keras weights format). Received: filepath=${args.filepath}`,
      );
    }
    if (!args.save_weights_only && !args.filepath.endsWith('.keras')) {
      throw new ValueError(`The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${args.filepath}`);
    }
    this.filepath = args.filepath;
    this.monitor = args.monitor;
    this.verbose = args.verbose;
    this.save_best_only = args.save_best_only;
    this.save_weights_only = args.save_weights_only;
    if (args.mode !== 'auto' && args.mode !== 'min' && args.mode !== 'max') {
      warnOnce(`ModelCheckpoint mode '${args.mode}' is unknown, fallback to auto mode.`);
      this.mode = 'auto';
    } else {
      this.mode = args.mode;
    }
    this.best = args.initial_value_threshold;
    this.save_freq = args.save_freq;
    // A batch hook makes fit read every batch's logs (callback_list.ts): only a batch save_freq has one.
    if (typeof this.save_freq === 'number') {
      this.on_train_batch_end = (batch: number, logs: Logs = {}) => {
        if (this.shouldSaveOnBatch(batch)) this.saveModel(this.currentEpoch, batch, logs);
      };
    }
  }

  override on_epoch_begin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  /** Keras's count of batches since the last save (a new epoch restarts the batch numbers). */
  private shouldSaveOnBatch(batch: number): boolean {
    const added = this.lastBatchSeen === null || batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceSave += added;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= (this.save_freq as number)) {
      this.batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  override on_epoch_end(epoch: number, logs: Logs = {}): void {
    if (this.save_freq === 'epoch') this.saveModel(epoch, null, logs);
  }

  private saveModel(epoch: number, batch: number | null, logs: Logs): void {
    const filepath = formatFilepath(this.filepath, batch === null || 'batch' in logs ? { epoch: epoch + 1, ...logs } : { epoch: epoch + 1, batch: batch + 1, ...logs });
    if (!this.save_best_only) {
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      this.save(filepath);
      return;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      warnOnce(`Can save best model only with ${this.monitor} available, skipping.`);
      return;
    }
    if (this.isImprovement(current)) {
      if (this.verbose > 0) {
        const from = this.best === null ? 'inf' : this.best.toFixed(5);
        console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${from} to ${current.toFixed(5)}, saving model to ${filepath}`);
      }
      this.best = current;
      this.save(filepath);
    } else if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best!.toFixed(5)}`);
    }
  }

  private isImprovement(current: number): boolean {
    if (this.best === null) return true;
    const direction = this.mode === 'auto' ? (metricDirection(this.monitor) ?? 'min') : this.mode;
    return direction === 'max' ? current > this.best : current < this.best;
  }

  private save(filepath: string): void {
    const folder = dirname(filepath);
    mkdirSync(folder, { recursive: true });
    if (this.save_weights_only) this.model!.save_weights(filepath);
    else this.model!.save(filepath);
  }
}

export const ModelCheckpoint = callable(ModelCheckpointCallback);
export type ModelCheckpoint = ModelCheckpointCallback;
