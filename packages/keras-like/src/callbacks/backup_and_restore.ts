/**
 * `keras.callbacks.BackupAndRestore({ backup_dir, save_freq, double_checkpoint, delete_checkpoint })`:
 * a `fit` that is interrupted (an exception, the process killed) resumes where it was, as Keras 3's
 * keras/src/callbacks/backup_and_restore.py:
 *
 *   at the end of each epoch (or every `save_freq` batches):
 *     backup_dir/latest.weights.h5       model.save_weights: the weights and the optimizer's state
 *     backup_dir/training_metadata.json  {"epoch": epochs completed, "batch": last batch seen}
 *   at the start of fit, when a backup exists:
 *     load it, and start at its epoch (the trainer reads `model._initial_epoch`)
 *   at the end of a fit that completes: delete backup_dir (unless delete_checkpoint is false)
 *
 *   model.fit(x, y, { epochs: 10, callbacks: [keras.callbacks.BackupAndRestore({ backup_dir: 'backup' })] });
 *   // killed during epoch 7: running the same script again trains epochs 7..10 only.
 *
 * Every file is written to a temporary name and renamed, so a process killed while it saves
 * leaves the previous backup whole. `double_checkpoint` also keeps the previous backup
 * (`*.bkp`), used when the latest cannot be read. What is restored is what Keras restores: the
 * weights (BatchNormalization's statistics included), the optimizer's variables (iterations, so
 * learning-rate schedules, and its slots) and the epoch. The random draws of shuffling and
 * Dropout are not (nor in Keras): a resumed run is bit-identical to an uninterrupted one when
 * it does not shuffle and has no Dropout.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { readFileChecked, writeFileAtomic } from '../saving/files.js';
import { callable } from '../utils/callable.js';
import { Callback } from './callback.js';

const backupSchema = z.object({
  // Keras: "Empty `backup_dir` argument passed", "Expected either 'epoch' or an integer value".
  backup_dir: z.string({ error: 'must be a folder path' }).min(1, { error: 'must not be empty (Empty `backup_dir` argument passed)' }),
  save_freq: z
    .union([z.literal('epoch'), z.number().int().positive({ error: 'must be a positive number of batches' })], { error: "must be either 'epoch' or an integer value" })
    .default('epoch'),
  double_checkpoint: z.boolean().default(false),
  delete_checkpoint: z.boolean().default(true),
});
/** Keyword arguments of `BackupAndRestore`. */
export type BackupAndRestoreOptions = KerasOptions<typeof backupSchema>;

export class BackupAndRestoreCallback extends Callback {
  readonly backup_dir: string;
  readonly save_freq: 'epoch' | number;
  readonly double_checkpoint: boolean;
  readonly delete_checkpoint: boolean;
  private readonly weightsPath: string;
  private readonly metadataPath: string;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;

  /**
   * @param options.backup_dir the folder of the backup (made when missing; used by this callback only).
   * @param options.save_freq `'epoch'` (at each epoch's end) or a number of batches. Defaults to `'epoch'`.
   * @param options.double_checkpoint also keep the previous backup, for when the latest cannot be read. Defaults to `false`.
   * @param options.delete_checkpoint delete `backup_dir` when `fit` completes. Defaults to `true`.
   */
  constructor(backup_dir: string | BackupAndRestoreOptions, options?: Omit<BackupAndRestoreOptions, 'backup_dir'>) {
    super();
    const args = parseArgs('BackupAndRestore', backupSchema, ['backup_dir'], [backup_dir, options]);
    this.backup_dir = args.backup_dir;
    this.save_freq = args.save_freq;
    this.double_checkpoint = args.double_checkpoint;
    this.delete_checkpoint = args.delete_checkpoint;
    this.weightsPath = join(args.backup_dir, 'latest.weights.h5');
    this.metadataPath = join(args.backup_dir, 'training_metadata.json');
    // A batch hook makes fit read every batch's logs (callback_list.ts); only an integer save_freq needs one.
    if (typeof this.save_freq === 'number') {
      this.on_train_batch_end = (batch: number) => {
        if (this.shouldSaveOnBatch(batch)) this.saveBackup();
      };
    }
  }

  override on_train_begin(): void {
    try {
      this.loadBackup();
    } catch (error) {
      // The latest backup is unreadable (a damaged file): the previous one, when kept.
      if (!(error instanceof ValueError) || !existsSync(`${this.weightsPath}.bkp`)) throw error;
      writeFileAtomic(this.weightsPath, readFileChecked(`${this.weightsPath}.bkp`));
      if (existsSync(`${this.metadataPath}.bkp`)) writeFileAtomic(this.metadataPath, readFileChecked(`${this.metadataPath}.bkp`));
      else rmSync(this.metadataPath, { force: true });
      this.loadBackup();
    }
  }

  override on_epoch_end(epoch: number): void {
    this.currentEpoch = epoch + 1;
    this.lastBatchSeen = 0;
    if (this.save_freq === 'epoch') this.saveBackup();
  }

  override on_train_end(): void {
    if (this.delete_checkpoint && existsSync(this.backup_dir)) rmSync(this.backup_dir, { recursive: true, force: true });
  }

  private loadBackup(): void {
    const model = this.model!;
    if (!model.built) {
      throw new ValueError(
        `To use the BackupAndRestore callback, you model must be built before you call \`fit()\`. Model ${model.name} is unbuilt. ` +
          'You can build it beforehand by calling it on a batch of data.',
      );
    }
    if (existsSync(this.weightsPath)) model.load_weights(this.weightsPath);
    if (existsSync(this.metadataPath)) {
      let metadata: { epoch?: unknown };
      try {
        metadata = JSON.parse(readFileSync(this.metadataPath, 'utf8')) as { epoch?: unknown };
      } catch (cause) {
        throw new ValueError(`BackupAndRestore: ${this.metadataPath} is not valid JSON (${(cause as Error).message}).`);
      }
      if (typeof metadata.epoch !== 'number' || !Number.isInteger(metadata.epoch) || metadata.epoch < 0) {
        throw new ValueError(`BackupAndRestore: ${this.metadataPath} holds no epoch number. Received: ${JSON.stringify(metadata)}`);
      }
      this.currentEpoch = metadata.epoch;
      model._initial_epoch = metadata.epoch;
    }
  }

  private saveBackup(): void {
    mkdirSync(this.backup_dir, { recursive: true });
    if (this.double_checkpoint && existsSync(this.weightsPath)) writeFileAtomic(`${this.weightsPath}.bkp`, readFileChecked(this.weightsPath));
    if (this.double_checkpoint && existsSync(this.metadataPath)) writeFileAtomic(`${this.metadataPath}.bkp`, readFileChecked(this.metadataPath));
    this.model!.save_weights(this.weightsPath, { overwrite: true });
    const metadata = JSON.stringify({ epoch: this.currentEpoch, batch: this.lastBatchSeen });
    writeFileAtomic(this.metadataPath, new TextEncoder().encode(metadata));
  }

  /** Keras's count of batches since the last save (a new epoch restarts the batch numbers). */
  private shouldSaveOnBatch(batch: number): boolean {
    const added = batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceSave += added;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= (this.save_freq as number)) {
      this.batchesSinceSave = 0;
      return true;
    }
    return false;
  }
}

export const BackupAndRestore = callable(BackupAndRestoreCallback);
export type BackupAndRestore = BackupAndRestoreCallback;
