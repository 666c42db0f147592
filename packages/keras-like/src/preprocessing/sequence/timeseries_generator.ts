/**
 * `keras.preprocessing.sequence.TimeseriesGenerator(data, targets, length, ...)`: TF2's batches
 * of sliding windows over a series, for `fit(generator)` (Keras 3 keeps it in
 * `keras/src/legacy/preprocessing/sequence.py`; its Keras 3 successor is
 * `keras.utils.timeseries_dataset_from_array`).
 *
 * Sample j of the generator ends just before step `row_j` and is paired with `targets[row_j]`:
 *
 *   x_j = data[row_j - length : row_j : sampling_rate],   y_j = targets[row_j]
 *
 * with `row_j = start_index + length + j · stride`, up to `end_index` (inclusive, default
 * the last step). So with `targets = data` each window predicts the step that follows it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { TensorLike } from '../../utils/data.js';
import { checkBatchIndex, type Dataset } from '../../utils/dataset.js';
import { gatherSteps, gatherWindows, type HostArray, readHostArray } from '../../utils/host_array.js';
import { random } from '../../utils/random.js';

const positiveInt = z.number({ message: 'must be a positive integer' }).int({ message: 'must be a positive integer' }).positive({ message: 'must be a positive integer' });

const schema = z.object({
  length: positiveInt,
  sampling_rate: positiveInt.default(1),
  stride: positiveInt.default(1),
  start_index: z.number({ message: 'must be an integer >= 0' }).int({ message: 'must be an integer >= 0' }).nonnegative({ message: 'must be an integer >= 0' }).default(0),
  end_index: z.number({ message: 'must be an integer or null' }).int({ message: 'must be an integer or null' }).nullable().default(null),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(false),
  reverse: z.boolean({ message: 'must be a boolean' }).default(false),
  batch_size: positiveInt.default(128),
});
/** Keyword arguments of `TimeseriesGenerator` after `length`. */
export type TimeseriesGeneratorOptions = Omit<KerasOptions<typeof schema>, 'length'>;

const POSITIONAL = ['length', 'sampling_rate', 'stride', 'start_index', 'end_index', 'shuffle', 'reverse', 'batch_size'] as const;

export class TimeseriesGeneratorClass implements Dataset {
  /** Steps spanned by one window. */
  readonly length: number;
  readonly sampling_rate: number;
  readonly stride: number;
  /** The first target row: the `start_index` given plus `length`, as Keras stores it. */
  readonly start_index: number;
  /** The last target row (inclusive). */
  readonly end_index: number;
  readonly shuffle: boolean;
  readonly reverse: boolean;
  readonly batch_size: number;
  private readonly dataArray: HostArray;
  private readonly targetArray: HostArray;

  /**
   * @param data Consecutive steps, axis 0 being time.
   * @param targets One target per step, as long as `data`.
   * @param length Steps per window (before `sampling_rate`).
   * @param options `sampling_rate` (1), `stride` (1), `start_index` (0), `end_index` (null: the
   *   last step), `shuffle` (false: draw `batch_size` rows at random, with replacement),
   *   `reverse` (false), `batch_size` (128).
   */
  constructor(
    data: TensorLike,
    targets: TensorLike,
    length: number | (TimeseriesGeneratorOptions & { length: number }),
    ...rest: Array<number | boolean | null | TimeseriesGeneratorOptions>
  ) {
    const o = parseArgs('TimeseriesGenerator', schema, POSITIONAL, [length, ...rest]);
    this.dataArray = readHostArray(data, 'data');
    this.targetArray = readHostArray(targets, 'targets');
    const steps = this.dataArray.shape[0]!;
    if (steps !== this.targetArray.shape[0]) {
      throw new ValueError(
        `Data and targets have to be of same length. Data length is ${steps} while target length is ${this.targetArray.shape[0]}`,
      );
    }
    this.length = o.length;
    this.sampling_rate = o.sampling_rate;
    this.stride = o.stride;
    this.start_index = o.start_index + o.length;
    this.end_index = o.end_index ?? steps - 1;
    this.shuffle = o.shuffle;
    this.reverse = o.reverse;
    this.batch_size = o.batch_size;
    if (this.start_index > this.end_index) {
      throw new ValueError(
        `\`start_index+length=${this.start_index} > end_index=${this.end_index}\` is disallowed, as no part of the sequence would be left to be used as current step.`,
      );
    }
    if (this.end_index >= steps) {
      throw new ValueError(`TimeseriesGenerator: \`end_index\` must be lower than the length of the data (${steps}). Received: end_index=${this.end_index}`);
    }
  }

  /** Batches per epoch (Python's `len(generator)`). */
  __len__(): number {
    const span = this.batch_size * this.stride;
    return Math.floor((this.end_index - this.start_index + span) / span);
  }

  /** Batch `index` as `[x, y]`: x of shape [batch, ⌈length / sampling_rate⌉, ...], y [batch, ...]. */
  __getitem__(index: number): [tf.Tensor, tf.Tensor] {
    checkBatchIndex(index, this.__len__());
    const rows: number[] = [];
    if (this.shuffle) {
      const span = this.end_index + 1 - this.start_index;
      for (let k = 0; k < this.batch_size; k++) rows.push(this.start_index + Math.floor(random() * span));
    } else {
      const first = this.start_index + this.batch_size * this.stride * index;
      const stop = Math.min(first + this.batch_size * this.stride, this.end_index + 1);
      for (let row = first; row < stop; row += this.stride) rows.push(row);
    }
    const windows = rows.map((row) => {
      const steps: number[] = [];
      for (let t = row - this.length; t < row; t += this.sampling_rate) steps.push(t);
      return this.reverse ? steps.reverse() : steps;
    });
    return [gatherWindows(this.dataArray, windows), gatherSteps(this.targetArray, rows)];
  }

  *[Symbol.iterator](): Iterator<[tf.Tensor, tf.Tensor]> {
    const count = this.__len__();
    for (let i = 0; i < count; i++) yield this.__getitem__(i);
  }
}

export const TimeseriesGenerator = callable(TimeseriesGeneratorClass);
export type TimeseriesGenerator = TimeseriesGeneratorClass;
