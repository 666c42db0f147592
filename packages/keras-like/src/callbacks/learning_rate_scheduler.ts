/**
 * `keras.callbacks.LearningRateScheduler(schedule, {verbose})`: at the start of each
 * epoch, sets the optimizer's learning rate to `schedule(epoch, lr)` (epoch counted
 * from 0, `lr` the current rate), as Keras 3 does.
 *
 *   const scheduler = (epoch: number, lr: number) => (epoch < 10 ? lr : lr * Math.exp(-0.1));
 *   model.fit(x, y, { epochs: 15, callbacks: [keras.callbacks.LearningRateScheduler(scheduler)] });
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { pythonFloat } from '../utils/python_format.js';
import { Callback, type Logs } from './callback.js';

/** `(epoch, lr) => new lr`; a scalar tensor result is read back, for ports of `lr * ops.exp(-0.1)`. */
export type Schedule = (epoch: number, lr: number) => number | tf.Scalar;

const learningRateSchedulerSchema = z.object({
  schedule: z.custom<Schedule>((v) => typeof v === 'function', { error: 'must be a function (epoch, lr) => learning rate' }),
  verbose: z.number().int().default(0),
});

export type LearningRateSchedulerOptions = Omit<KerasOptions<typeof learningRateSchedulerSchema>, 'schedule'>;

export class LearningRateSchedulerCallback extends Callback {
  readonly schedule: Schedule;
  readonly verbose: number;

  /**
   * @param schedule `(epoch, lr) => learning rate`, called at the start of every epoch.
   * @param options.verbose 1 prints the rate set at each epoch. Defaults to 0.
   */
  constructor(schedule: Schedule | (LearningRateSchedulerOptions & { schedule: Schedule }), options?: LearningRateSchedulerOptions) {
    super();
    const args = parseArgs('LearningRateScheduler', learningRateSchedulerSchema, ['schedule', 'verbose'], [schedule, options]);
    this.schedule = args.schedule;
    this.verbose = args.verbose;
  }

  override on_epoch_begin(epoch: number, _logs?: Logs): void {
    const optimizer = this.model!.optimizer;
    const given = this.schedule(epoch, optimizer.learning_rate);
    const learningRate = given instanceof tf.Tensor ? readScalar(given) : given;
    if (typeof learningRate !== 'number' || !Number.isFinite(learningRate)) {
      throw new ValueError(`The output of the \`schedule\` function should be a float. Got: ${repr(learningRate)}`);
    }
    optimizer.learning_rate = learningRate;
    if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloat(learningRate)}.`);
    }
  }

  override on_epoch_end(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = this.model!.optimizer.learning_rate;
  }
}

function readScalar(t: tf.Tensor): number | tf.Tensor {
  if (t.size !== 1) return t;
  const value = t.dataSync()[0]!;
  t.dispose();
  return value;
}

export const LearningRateScheduler = callable(LearningRateSchedulerCallback);
export type LearningRateScheduler = LearningRateSchedulerCallback;
