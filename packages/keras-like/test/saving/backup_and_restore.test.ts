/**
 * keras.callbacks.BackupAndRestore: a fit killed mid-epoch (SIGKILL of a child process,
 * backup_child.ts) resumes, when run again, at the last completed epoch, and ends with the
 * weights and optimizer state of an uninterrupted run, bit for bit; an exception does the same
 * in-process; save_freq in batches, double_checkpoint and delete_checkpoint as Keras 3.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, keras, Sequential, tf } from 'keras-like';

const dir = mkdtempSync(join(tmpdir(), 'keras-like-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./backup_child.ts', import.meta.url));
// One backend for every child (cpu starts at once and gives the same bits each run).
const env = { ...process.env, KERAS_LIKE_BACKEND: 'cpu' };
interface ChildResult { epochs: number[]; losses: number[]; weights: number[][]; optimizer: number[][] }

function runChild(backupDir: string, mode: 'straight' | 'resume', out: string): ChildResult {
  execFileSync(process.execPath, ['--import', 'tsx', child, backupDir, mode, out], { env, encoding: 'utf8' });
  return JSON.parse(readFileSync(out, 'utf8')) as ChildResult;
}

/** Starts the interrupting child and SIGKILLs it once it says it is in the middle of epoch 3. */
function runAndKill(backupDir: string, out: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, backupDir, 'interrupt', out], { env });
    let seen = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready')) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => resolve(signal));
  });
}

describe('BackupAndRestore, across a killed process', () => {
  it('a fit killed in epoch 3 resumes at epoch 3 and ends bit-identical to an uninterrupted fit (weights, BatchNormalization statistics, Adam state, schedule)', async () => {
    const straight = runChild(join(dir, 'unused'), 'straight', join(dir, 'straight.json'));
    const backupDir = join(dir, 'killed');
    const signal = await runAndKill(backupDir, join(dir, 'interrupted.json'));
    expect(signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'interrupted.json'))).toBe(false);
    // Epochs 0, 1, 2 completed before the kill: the backup says so.
    expect(JSON.parse(readFileSync(join(backupDir, 'training_metadata.json'), 'utf8'))).toEqual({ epoch: 3, batch: 0 });
    expect(existsSync(join(backupDir, 'latest.weights.h5'))).toBe(true);

    const resumed = runChild(backupDir, 'resume', join(dir, 'resumed.json'));
    expect(resumed.epochs).toEqual([3, 4, 5]);
    expect(resumed.losses).toEqual(straight.losses.slice(3));
    expect(resumed.weights).toEqual(straight.weights);
    expect(resumed.optimizer).toEqual(straight.optimizer);
    // The fit completed: the backup is deleted (delete_checkpoint defaults to true).
    expect(existsSync(backupDir)).toBe(false);
  }, 120_000);
});

function model() {
  keras.utils.set_random_seed(8);
  const m = Sequential([keras.Input({ shape: [3] }), Dense(4, { activation: 'relu' }), Dense(1)]);
  m.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
  return m;
}
const x = tf.randomNormal([24, 3], 0, 1, 'float32', 21);
const y = tf.randomNormal([24, 1], 0, 1, 'float32', 22);
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));

/** A callback that raises at the start of epoch `at` (batch `batch` with a batch number). */
class Interrupt extends keras.callbacks.Callback {
  constructor(private readonly at: number, private readonly batch: number | null = null) {
    super();
  }
  private epoch = 0;
  override on_epoch_begin(epoch: number): void {
    this.epoch = epoch;
    if (this.batch === null && epoch === this.at) throw new Error('Interrupting!');
  }
  override on_train_batch_begin(batch: number): void {
    if (this.batch !== null && this.epoch === this.at && batch === this.batch) throw new Error('Interrupting!');
  }
}

describe('BackupAndRestore in one process', () => {
  it("Keras's example: interrupted at epoch 4 of 10, the second fit runs 6 epochs and ends where an uninterrupted fit ends", () => {
    const straight = model();
    straight.fit(x, y, { epochs: 10, batch_size: 6, shuffle: false, verbose: 0 });
    const m = model();
    const backup = keras.callbacks.BackupAndRestore({ backup_dir: join(dir, 'example') });
    expect(() => m.fit(x, y, { epochs: 10, batch_size: 6, shuffle: false, verbose: 0, callbacks: [backup, new Interrupt(4)] })).toThrow('Interrupting!');
    const history = m.fit(x, y, { epochs: 10, batch_size: 6, shuffle: false, verbose: 0, callbacks: [backup] });
    expect(history.history.loss!.length).toBe(6);
    expect(history.epoch).toEqual([4, 5, 6, 7, 8, 9]);
    expect(bits(m.get_weights())).toEqual(bits(straight.get_weights()));
    expect(bits(m.optimizer.variables)).toEqual(bits(straight.optimizer.variables));
    expect(existsSync(join(dir, 'example'))).toBe(false);
  });

  it('save_freq in batches saves mid-epoch (Keras restarts that epoch from the saved weights); delete_checkpoint: false keeps the backup', () => {
    const backupDir = join(dir, 'batches');
    const m = model();
    const backup = keras.callbacks.BackupAndRestore({ backup_dir: backupDir, save_freq: 3, delete_checkpoint: false });
    // 4 batches an epoch: saves after batches 2 (epoch 0), 1 (epoch 1: 3 more seen); interrupted before epoch 1's batch 3.
    expect(() => m.fit(x, y, { epochs: 3, batch_size: 6, shuffle: false, verbose: 0, callbacks: [backup, new Interrupt(1, 3)] })).toThrow('Interrupting!');
    expect(JSON.parse(readFileSync(join(backupDir, 'training_metadata.json'), 'utf8'))).toEqual({ epoch: 1, batch: 1 });
    const fresh = model();
    const again = keras.callbacks.BackupAndRestore({ backup_dir: backupDir, save_freq: 3, delete_checkpoint: false });
    const history = fresh.fit(x, y, { epochs: 3, batch_size: 6, shuffle: false, verbose: 0, callbacks: [again] });
    expect(history.epoch).toEqual([1, 2]);
    expect(existsSync(join(backupDir, 'latest.weights.h5'))).toBe(true);
  });

  it('double_checkpoint: a damaged latest backup falls back to the previous one', () => {
    const backupDir = join(dir, 'double');
    const m = model();
    const backup = keras.callbacks.BackupAndRestore({ backup_dir: backupDir, double_checkpoint: true });
    expect(() => m.fit(x, y, { epochs: 5, batch_size: 6, shuffle: false, verbose: 0, callbacks: [backup, new Interrupt(3)] })).toThrow('Interrupting!');
    expect(JSON.parse(readFileSync(join(backupDir, 'training_metadata.json.bkp'), 'utf8')).epoch).toBe(2);
    writeFileSync(join(backupDir, 'latest.weights.h5'), 'damaged');
    const history = model().fit(x, y, { epochs: 5, batch_size: 6, shuffle: false, verbose: 0, callbacks: [keras.callbacks.BackupAndRestore({ backup_dir: backupDir, double_checkpoint: true })] });
    expect(history.epoch).toEqual([2, 3, 4]);
  });

  it("bad arguments get Keras's messages, and an unbuilt model is refused", () => {
    expect(() => keras.callbacks.BackupAndRestore({ backup_dir: '' })).toThrow(/`backup_dir` must not be empty \(Empty `backup_dir` argument passed\)/);
    expect(() => keras.callbacks.BackupAndRestore({ backup_dir: 'b', save_freq: 'batch' as never })).toThrow(/`save_freq` must be either 'epoch' or an integer value. Received: save_freq='batch'/);
    expect(() => keras.callbacks.BackupAndRestore('b', { save_freq: 0 })).toThrow(/save_freq/);
    const backup = keras.callbacks.BackupAndRestore(join(dir, 'unbuilt'));
    backup.set_model(Sequential([Dense(2)]) as never);
    expect(() => backup.on_train_begin()).toThrow(/must be built before you call `fit\(\)`/);
  });

  it('leaves tf.memory().numTensors unchanged', () => {
    const m = model();
    const backupDir = join(dir, 'memory');
    m.fit(x, y, { epochs: 1, batch_size: 6, verbose: 0, callbacks: [keras.callbacks.BackupAndRestore({ backup_dir: backupDir, delete_checkpoint: false })] });
    const before = tf.memory().numTensors;
    m.fit(x, y, { epochs: 3, batch_size: 6, verbose: 0, callbacks: [keras.callbacks.BackupAndRestore({ backup_dir: backupDir, delete_checkpoint: false })] });
    expect(tf.memory().numTensors).toBe(before);
  });
});
