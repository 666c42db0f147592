/**
 * EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN,
 * LambdaCallback and CSVLogger against scripted logs, driven the way `fit` drives
 * callbacks (Keras's order of hooks), with a small fake model. Expected epochs
 * are derived by hand from Keras 3's code (keras/src/callbacks/*.py), step by step
 * in the comments.
 */
import 'keras-like';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Callback, Logs } from '../src/callbacks/callback.js';
import { EarlyStopping } from '../src/callbacks/early_stopping.js';
import { ReduceLROnPlateau } from '../src/callbacks/reduce_lr_on_plateau.js';
import { LearningRateScheduler } from '../src/callbacks/learning_rate_scheduler.js';
import { TerminateOnNaN } from '../src/callbacks/terminate_on_nan.js';
import { LambdaCallback } from '../src/callbacks/lambda_callback.js';
import { CSVLogger } from '../src/callbacks/csv_logger.js';
import { RuntimeError } from '../src/errors.js';

/** What the callbacks use of a model: its weights, its optimizer's rate, stop_training. */
class FakeModel {
  stop_training = false;
  optimizer = { learning_rate: 0.01 };
  metrics_names = ['loss', 'val_loss'];
  weight: tf.Tensor = tf.scalar(-1);
  get_weights(): tf.Tensor[] {
    return [this.weight.clone()];
  }
  set_weights(weights: tf.Tensor[]): void {
    this.weight.dispose();
    this.weight = weights[0]!.clone();
  }
}

/**
 * Keras's fit loop as far as callbacks see it. At epoch e the model's weight is e,
 * so restored weights tell which epoch they came from. Returns the epochs run.
 */
function fitScripted(callbacks: Callback[], model: FakeModel, epochLogs: Logs[], batchLosses: number[][] = []): number {
  for (const cb of callbacks) cb.set_model(model as never);
  for (const cb of callbacks) cb.on_train_begin({});
  let ran = 0;
  for (let epoch = 0; epoch < epochLogs.length; epoch++) {
    model.weight.dispose();
    model.weight = tf.scalar(epoch);
    for (const cb of callbacks) cb.on_epoch_begin(epoch, {});
    (batchLosses[epoch] ?? []).forEach((loss, batch) => {
      for (const cb of callbacks) cb.on_train_batch_end(batch, { loss });
    });
    const logs = { ...epochLogs[epoch] };
    for (const cb of callbacks) cb.on_epoch_end(epoch, logs);
    ran += 1;
    if (model.stop_training) break;
  }
  for (const cb of callbacks) cb.on_train_end({});
  return ran;
}

const valLoss = (values: number[]): Logs[] => values.map((v, i) => ({ loss: 1 - i * 0.01, val_loss: v }));
const weightOf = (model: FakeModel) => model.weight.dataSync()[0];

afterEach(() => vi.restoreAllMocks());

describe('EarlyStopping', () => {
  it("stops after 4 epochs of a loss that never improves with patience 3 (Keras's docstring example)", () => {
    // epoch 0 sets best; epochs 1, 2, 3 raise wait to 1, 2, 3; 3 >= patience → stop after epoch 3.
    const model = new FakeModel();
    const cb = EarlyStopping({ monitor: 'loss', patience: 3 });
    expect(fitScripted([cb], model, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((loss) => ({ loss })))).toBe(4);
    expect(cb.stopped_epoch).toBe(3);
  });

  it('stops at the epoch Keras would and restores the best weights', () => {
    // val_loss 1.0, 0.8, 0.9, 0.85, ... patience 2:
    //   epoch 0: 1.0 < inf → best 1.0, wait 0;  epoch 1: 0.8 < 1.0 → best 0.8, wait 0
    //   epoch 2: 0.9 → wait 1;  epoch 3: 0.85 → wait 2 >= 2 → stop; best epoch 1.
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = new FakeModel();
    const cb = EarlyStopping({ patience: 2, restore_best_weights: true, verbose: 1 });
    expect(fitScripted([cb], model, valLoss([1.0, 0.8, 0.9, 0.85, 0.7, 0.6]))).toBe(4);
    expect(cb.stopped_epoch).toBe(3);
    expect(cb.best_epoch).toBe(1);
    expect(cb.best).toBeCloseTo(0.8, 10);
    expect(weightOf(model)).toBe(1);
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      'Epoch 4: early stopping',
      'Restoring model weights from the end of the best epoch: 2.',
    ]);
  });

  it('without restore_best_weights keeps the last weights', () => {
    const model = new FakeModel();
    fitScripted([EarlyStopping({ patience: 2 })], model, valLoss([1.0, 0.8, 0.9, 0.85, 0.7]));
    expect(weightOf(model)).toBe(3);
  });

  it('counts only improvements larger than min_delta', () => {
    // min_delta 0.15 in min mode: improvement when current + 0.15 < best.
    //   epoch 0: 1.15 < inf → best 1.0;  epoch 1: 0.9 + 0.15 = 1.05, not < 1.0 → wait 1 >= 1 → stop.
    const model = new FakeModel();
    const cb = EarlyStopping({ min_delta: 0.15, patience: 1 });
    expect(fitScripted([cb], model, valLoss([1.0, 0.9, 0.8, 0.7]))).toBe(2);
    // the same sequence without min_delta improves every epoch
    expect(fitScripted([EarlyStopping({ patience: 1 })], new FakeModel(), valLoss([1.0, 0.9, 0.8, 0.7]))).toBe(4);
  });

  it("mode 'max' and mode 'auto' on an accuracy", () => {
    // 0.5, 0.6, 0.6: the second 0.6 is not > 0.6 → wait 1 >= 1 → stop after epoch 2.
    const logs = [0.5, 0.6, 0.6, 0.55, 0.9].map((a) => ({ loss: 1, val_accuracy: a }));
    expect(fitScripted([EarlyStopping({ monitor: 'val_accuracy', mode: 'max', patience: 1 })], new FakeModel(), logs)).toBe(3);
    expect(fitScripted([EarlyStopping({ monitor: 'val_accuracy', patience: 1 })], new FakeModel(), logs)).toBe(3);
    // in 'min' mode the same sequence stops at epoch 1 (0.6 is not < 0.5)
    expect(fitScripted([EarlyStopping({ monitor: 'val_accuracy', mode: 'min', patience: 1 })], new FakeModel(), logs)).toBe(2);
  });

  it('with a baseline, restarts the wait only when the baseline is beaten', () => {
    // baseline 0.5, patience 2: epoch 0: wait 1, best 1.0 (baseline not beaten, wait stays 1);
    // epoch 1: wait 2, best 0.8 (still above baseline); epoch 2: 0.9 → wait 3 >= 2 → stop.
    const cb = EarlyStopping({ baseline: 0.5, patience: 2 });
    expect(fitScripted([cb], new FakeModel(), valLoss([1.0, 0.8, 0.9, 0.3, 0.2]))).toBe(3);
    expect(cb.stopped_epoch).toBe(2);
  });

  it('ignores the epochs before start_from_epoch', () => {
    // patience 0: epochs 0 and 1 are not watched; epoch 2 sets best 3; epoch 3: 4 → wait 1 >= 0 → stop.
    const cb = EarlyStopping({ monitor: 'loss', start_from_epoch: 2 });
    expect(fitScripted([cb], new FakeModel(), [1, 2, 3, 4, 5].map((loss) => ({ loss })))).toBe(4);
    // without the warm-up, epoch 1 already stops it
    expect(fitScripted([EarlyStopping({ monitor: 'loss' })], new FakeModel(), [1, 2, 3, 4, 5].map((loss) => ({ loss })))).toBe(2);
  });

  it('three EarlyStopping callbacks at once: the first to fire ends training', () => {
    // loss always improves → never fires.
    // val_loss 0.9, 0.8, 0.85, 0.86, ... patience 2 → wait 1 at epoch 2, 2 at epoch 3 → stops after epoch 3.
    // val_accuracy 0.5, 0.6, 0.7, 0.7, ... patience 3 would stop after epoch 5.
    const logs = [0, 1, 2, 3, 4, 5, 6, 7].map((e) => ({
      loss: 1 - e * 0.1,
      val_loss: [0.9, 0.8, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9][e]!,
      val_accuracy: [0.5, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7][e]!,
    }));
    const byLoss = EarlyStopping({ monitor: 'loss', patience: 5 });
    const byValLoss = EarlyStopping({ monitor: 'val_loss', patience: 2 });
    const byValAccuracy = EarlyStopping({ monitor: 'val_accuracy', patience: 3 });
    expect(fitScripted([byLoss, byValLoss, byValAccuracy], new FakeModel(), logs)).toBe(4);
    expect([byLoss.stopped_epoch, byValLoss.stopped_epoch, byValAccuracy.stopped_epoch]).toEqual([0, 3, 0]);
    expect(byValAccuracy.wait).toBe(1);
  });

  it('warns like Keras when the monitor is not in the logs, listing the available keys', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = new FakeModel();
    expect(fitScripted([EarlyStopping({ monitor: 'val_acc' })], model, [{ loss: 1, accuracy: 0.5 }, { loss: 2, accuracy: 0.4 }])).toBe(2);
    expect(warn).toHaveBeenCalledWith(
      'UserWarning: Early stopping conditioned on metric `val_acc` which is not available. Available metrics are: loss,accuracy',
    );
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('cannot guess the direction of an unknown metric in auto mode', () => {
    expect(() => fitScripted([EarlyStopping({ monitor: 'wiggle' })], new FakeModel(), [{ wiggle: 1 }])).toThrow(
      "EarlyStopping callback received monitor=wiggle but Keras isn't able to automatically determine whether that metric " +
        "should be maximized or minimized. Pass `mode='max'`",
    );
    // the model's metric objects carry Keras's _direction
    const model = Object.assign(new FakeModel(), { metrics: [{ name: 'wiggle', _direction: 'up' }] });
    expect(fitScripted([EarlyStopping({ monitor: 'wiggle', patience: 0 })], model, [{ wiggle: 1 }, { wiggle: 2 }, { wiggle: 1 }])).toBe(3);
  });

  it('validates its arguments', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(EarlyStopping({ mode: 'maximum' }).mode).toBe('auto');
    expect(warn).toHaveBeenCalledWith('UserWarning: EarlyStopping mode maximum is unknown, fallback to auto mode.');
    expect(() => EarlyStopping({ patience: -1 })).toThrow('EarlyStopping: `patience` must be a non-negative integer. Received: patience=-1');
    expect(() => EarlyStopping({ pateince: 3 } as never)).toThrow('Did you mean `patience`?');
    expect(EarlyStopping({ minDelta: -0.5 }).min_delta).toBe(0.5);
  });

  it('keeps no tensors after training with restore_best_weights', () => {
    const model = new FakeModel();
    const before = tf.memory().numTensors;
    fitScripted([EarlyStopping({ patience: 1, restore_best_weights: true })], model, valLoss([1, 0.5, 0.6, 0.7]));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ReduceLROnPlateau', () => {
  it("reduces model.optimizer.learning_rate by factor after patience, with cooldown and min_lr", () => {
    // val_loss stays 1.0; patience 2, factor 0.5, cooldown 1, min_lr 0.02, lr 0.1:
    //   epoch 0: best 1.0;  1: wait 1;  2: wait 2 → lr 0.05, cooldown 1
    //   3: cooldown 1 → 0, wait 0, then wait 1;  4: wait 2 → lr 0.025, cooldown 1
    //   5: wait 1;  6: wait 2 → lr max(0.0125, 0.02) = 0.02;  7: wait 1;  8: lr is min_lr → unchanged
    const model = new FakeModel();
    model.optimizer.learning_rate = 0.1;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const cb = ReduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, min_lr: 0.02, verbose: 1 });
    const rates: number[] = [];
    const recorder = LambdaCallback({ on_epoch_end: () => rates.push(model.optimizer.learning_rate) });
    const logs = valLoss(Array(9).fill(1.0));
    fitScripted([cb, recorder], model, logs);
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02]);
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      '\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.05.',
      '\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.025.',
      '\nEpoch 7: ReduceLROnPlateau reducing learning rate to 0.02.',
    ]);
  });

  it('records learning_rate in the epoch logs (the rate the epoch ran with)', () => {
    const model = new FakeModel();
    const seen: number[] = [];
    const cb = ReduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.1 });
    fitScripted([cb, LambdaCallback({ on_epoch_end: (_e, logs) => seen.push(logs!.learning_rate!) })], model, [{ loss: 1 }, { loss: 1 }]);
    // epoch 0 improves; epoch 1 does not → reduced after its logs were written
    expect(seen).toEqual([0.01, 0.01]);
    expect(model.optimizer.learning_rate).toBeCloseTo(0.001, 12);
  });

  it("maximizes a monitor containing 'acc' in auto mode", () => {
    const model = new FakeModel();
    const logs = [0.5, 0.6, 0.7, 0.8].map((a) => ({ val_accuracy: a }));
    fitScripted([ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 1 })], model, logs);
    expect(model.optimizer.learning_rate).toBe(0.01);
  });

  it('validates its arguments and warns on a missing monitor', () => {
    expect(() => ReduceLROnPlateau({ factor: 1.0 })).toThrow('ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0');
    expect(() => ReduceLROnPlateau({ cooldown: 1.5 })).toThrow('ReduceLROnPlateau: `cooldown` must be a non-negative integer. Received: cooldown=1.5');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fitScripted([ReduceLROnPlateau({ monitor: 'val_mse' })], new FakeModel(), [{ loss: 1 }]);
    expect(warn).toHaveBeenCalledWith(
      'UserWarning: Learning rate reduction is conditioned on metric `val_mse` which is not available. Available metrics are: loss,learning_rate.',
    );
  });
});

describe('LearningRateScheduler', () => {
  it("sets model.optimizer.learning_rate from schedule(epoch, lr) (Keras's docstring example: 0.01 → 0.00607 after 15 epochs)", () => {
    // epochs 10..14 each multiply by exp(-0.1): 0.01 · e^(-0.5) = 0.0060653
    const model = new FakeModel();
    const cb = LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
    fitScripted([cb], model, Array.from({ length: 15 }, () => ({ loss: 1 })));
    expect(Math.round(model.optimizer.learning_rate * 1e5) / 1e5).toBe(0.00607);
  });

  it('accepts a scalar tensor, prints with verbose and records learning_rate', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = new FakeModel();
    const seen: number[] = [];
    const cb = LearningRateScheduler((epoch) => tf.scalar(0.1 / (epoch + 1)), { verbose: 1 });
    fitScripted([cb, LambdaCallback({ on_epoch_end: (_e, logs) => seen.push(logs!.learning_rate!) })], model, [{ loss: 1 }, { loss: 1 }]);
    expect(seen[0]).toBeCloseTo(0.1, 6);
    expect(seen[1]).toBeCloseTo(0.05, 6);
    expect(log.mock.calls[0]![0]).toMatch(/^\nEpoch 1: LearningRateScheduler setting learning rate to 0\.1/);
  });

  it('rejects a schedule that does not return a number', () => {
    const cb = LearningRateScheduler(() => Number.NaN);
    expect(() => fitScripted([cb], new FakeModel(), [{ loss: 1 }])).toThrow('The output of the `schedule` function should be a float. Got: NaN');
    expect(() => LearningRateScheduler(0.1 as never)).toThrow(
      'LearningRateScheduler: `schedule` must be a function (epoch, lr) => learning rate. Received: schedule=0.1',
    );
  });
});

describe('TerminateOnNaN', () => {
  it('stops at the end of the batch whose loss is NaN, naming the epoch and the batch', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = new FakeModel();
    const ran = fitScripted([TerminateOnNaN()], model, [{ loss: 1 }, { loss: 1 }, { loss: 1 }, { loss: 1 }], [[0.5, 0.4], [0.3, 0.2], [0.1, Number.NaN]]);
    expect(ran).toBe(3);
    expect(model.stop_training).toBe(true);
    expect(log).toHaveBeenCalledWith('Epoch 3, batch 1: Invalid loss, terminating training');
  });

  it('throws with raise_error', () => {
    const run = () => fitScripted([TerminateOnNaN({ raise_error: true })], new FakeModel(), [{ loss: 1 }, { loss: 1 }], [[1], [Number.POSITIVE_INFINITY]]);
    expect(run).toThrow(RuntimeError);
    expect(run).toThrow('NaN or Inf loss encountered at epoch 2, batch 0. Loss value: inf. Terminating training immediately.');
  });
});

describe('LambdaCallback', () => {
  it('runs the given functions at their hooks', () => {
    const calls: string[] = [];
    const cb = LambdaCallback({
      on_train_begin: () => calls.push('train_begin'),
      on_epoch_begin: (epoch) => calls.push(`epoch_begin ${epoch}`),
      on_train_batch_end: (batch, logs) => calls.push(`batch_end ${batch} ${logs?.loss}`),
      on_epoch_end: (epoch, logs) => calls.push(`epoch_end ${epoch} ${logs?.loss}`),
      on_train_end: () => calls.push('train_end'),
    });
    fitScripted([cb], new FakeModel(), [{ loss: 0.5 }], [[0.7]]);
    expect(calls).toEqual(['train_begin', 'epoch_begin 0', 'batch_end 0 0.7', 'epoch_end 0 0.5', 'train_end']);
    expect(() => LambdaCallback({ on_epoch_end: 3 as never })).toThrow('LambdaCallback: `on_epoch_end` must be a function. Received: on_epoch_end=3');
    expect(() => LambdaCallback({ on_epoch_ends: () => {} } as never)).toThrow('Did you mean `on_epoch_end`?');
  });
});

describe('CSVLogger', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-like-csv-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes Keras's CSV: sorted keys, Python floats, \\r\\n line ends", () => {
    const file = path.join(dir, 'log.csv');
    const logs = [
      { loss: 0.5, accuracy: 0.75, val_loss: 1e-5 },
      { loss: 0.25, accuracy: 1, val_loss: 2e-5 },
    ];
    fitScripted([CSVLogger(file)], new FakeModel(), logs);
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,accuracy,loss,val_loss\r\n0,0.75,0.5,1e-05\r\n1,1.0,0.25,2e-05\r\n');
    // append: continues the same file without a second header
    fitScripted([CSVLogger(file, { append: true })], new FakeModel(), [{ loss: 0.125, accuracy: 1, val_loss: 0 }]);
    expect(fs.readFileSync(file, 'utf8').split('\r\n')).toEqual([
      'epoch,accuracy,loss,val_loss',
      '0,0.75,0.5,1e-05',
      '1,1.0,0.25,2e-05',
      '0,1.0,0.125,0.0',
      '',
    ]);
  });

  it('uses the separator, writes NA for missing values and adds expected val_ columns', () => {
    const file = path.join(dir, 'semi.csv');
    const model = new FakeModel();
    model.metrics_names = ['loss', 'val_loss'];
    fitScripted([CSVLogger(file, ';')], model, [{ loss: 1 }, { loss: 0.5, val_loss: 0.75 }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch;loss;val_loss\r\n0;1.0;NA\r\n1;0.5;0.75\r\n');
    expect(() => CSVLogger('x.csv', { separator: ';;' })).toThrow('CSVLogger: `separator` must be a 1-character string');
  });
});

describe('with a real model and fit', () => {
  // y = 2x - 1 with noise, 1-D, the course's first regression
  const xs = Array.from({ length: 40 }, (_, i) => i / 20 - 1);
  const ys = xs.map((v, i) => 2 * v - 1 + 0.3 * Math.sin(7 * i));

  async function regression(lr: number) {
    const { keras, Sequential, Dense } = await import('keras-like');
    keras.utils.set_random_seed(1);
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: lr }), loss: 'mse' });
    return { keras, model };
  }

  it('EarlyStopping(restore_best_weights) leaves the weights of the epoch with the best val_loss', async () => {
    // A learning rate high enough to oscillate makes val_loss go up and down.
    const { keras, model } = await regression(0.9);
    const perEpoch: number[][] = [];
    const recorder = keras.callbacks.LambdaCallback({
      on_epoch_end: () => perEpoch.push(model.get_weights().flatMap((w) => Array.from(w.dataSync()))),
    });
    const es = keras.callbacks.EarlyStopping({ patience: 3, restore_best_weights: true });
    const history = model.fit(xs, ys, { epochs: 200, batch_size: 8, validation_split: 0.25, verbose: 0, callbacks: [recorder, es] });
    const valLossSeries = history.history.val_loss!;
    const best = valLossSeries.indexOf(Math.min(...valLossSeries));
    expect(es.best_epoch).toBe(best);
    expect(valLossSeries.length).toBe(es.stopped_epoch > 0 ? es.stopped_epoch + 1 : 200);
    const now = model.get_weights().flatMap((w) => Array.from(w.dataSync()));
    expect(now).toEqual(perEpoch[best]);
  });

  it('ReduceLROnPlateau and LearningRateScheduler change model.optimizer.learning_rate; History records it', async () => {
    const { keras, model } = await regression(0.05);
    const history = model.fit(xs, ys, {
      epochs: 6,
      batch_size: 40,
      verbose: 0,
      callbacks: [keras.callbacks.LearningRateScheduler((epoch) => 0.05 / (epoch + 1))],
    });
    // set at the start of each epoch: 0.05, 0.025, 0.0167, ...
    history.history.learning_rate!.forEach((lr, epoch) => expect(lr).toBeCloseTo(0.05 / (epoch + 1), 7));
    expect(model.optimizer.learning_rate).toBeCloseTo(0.05 / 6, 7);

    // With a huge min_delta only epoch 0 improves (on best = inf). From epoch 1 on, wait reaches
    // patience 1 at every epoch end, so the rate halves after epochs 1, 2 and 3; the logs hold the
    // rate each epoch ran with.
    const plateau = keras.callbacks.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, min_delta: 1e6 });
    model.optimizer.learning_rate = 0.04;
    const second = model.fit(xs, ys, { epochs: 4, batch_size: 40, verbose: 0, callbacks: [plateau] });
    expect(second.history.learning_rate).toEqual([0.04, 0.04, 0.02, 0.01].map((v) => expect.closeTo(v, 9)));
    expect(model.optimizer.learning_rate).toBeCloseTo(0.005, 9);
  });

  it('TerminateOnNaN stops a diverging fit after the first non-finite batch loss', async () => {
    const { keras, model } = await regression(1e6);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const history = model.fit(xs.map((v) => v * 1e3), ys, { epochs: 50, batch_size: 4, verbose: 0, callbacks: [keras.callbacks.TerminateOnNaN()] });
    expect(history.history.loss!.length).toBeLessThan(50);
    expect(log.mock.calls.some(([m]) => /^Epoch \d+, batch \d+: Invalid loss, terminating training$/.test(String(m)))).toBe(true);
  });
});
