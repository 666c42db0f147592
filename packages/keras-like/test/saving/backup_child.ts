/**
 * The child process of backup_and_restore.test.ts: one fit of 6 epochs with BackupAndRestore.
 *   node --import tsx backup_child.ts <backup_dir> <mode> <out.json>
 * mode `straight`: no callback; `interrupt`: prints "ready" in the middle of epoch 3 (0-based) and
 * waits there to be killed; `resume`: the same fit run again. Writes the epochs it ran and the
 * final weights' bits to out.json.
 */
import { writeFileSync } from 'node:fs';
import { Dense, keras, Sequential, tf } from 'keras-like';

const [backupDir, mode, out] = process.argv.slice(2) as [string, 'straight' | 'interrupt' | 'resume', string];
keras.utils.set_random_seed(3);
const x = tf.randomNormal([48, 4], 0, 1, 'float32', 1);
const y = tf.randomNormal([48, 2], 0, 1, 'float32', 2);
const model = Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'tanh' }), keras.layers.BatchNormalization(), Dense(2)]);
const schedule = keras.optimizers.schedules.ExponentialDecay({ initial_learning_rate: 0.02, decay_steps: 5, decay_rate: 0.8 });
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: schedule }), loss: 'mse' });

const epochs: number[] = [];
class Recorder extends keras.callbacks.Callback {
  override on_epoch_begin(epoch: number): void {
    epochs.push(epoch);
  }
  override on_train_batch_end(batch: number): void {
    if (mode === 'interrupt' && epochs.at(-1) === 3 && batch === 2) {
      process.stdout.write('ready\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); // killed here
      process.exit(3); // not reached when the parent kills it
    }
  }
}
const callbacks = mode === 'straight' ? [new Recorder()] : [keras.callbacks.BackupAndRestore({ backup_dir: backupDir }), new Recorder()];
const history = model.fit(x, y, { epochs: 6, batch_size: 8, shuffle: false, verbose: 0, callbacks });
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));
writeFileSync(out, JSON.stringify({ epochs, losses: history.history.loss, weights: bits(model.get_weights()), optimizer: bits(model.optimizer.variables) }));
