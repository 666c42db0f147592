/**
 * `keras.utils.timeseries_dataset_from_array(data, targets, sequence_length, ...)`: batches of
 * sliding windows over a series (also `keras.preprocessing.timeseries_dataset_from_array`).
 *
 * Window i starts at step `start_index + p_i`, where `p_i = i · sequence_stride`, and takes
 * every `sampling_rate`-th step; its target is the step it starts at:
 *
 *   x_i = data[start + p_i + k · sampling_rate]  for k = 0 … sequence_length − 1,   y_i = targets[start + p_i]
 *
 * (so to predict the step after a window of 10, pass `data.slice(0, -10)` and
 * `targets = data.slice(10)`, as Keras's docs do). Windows that would run past `end_index`
 * are dropped. Returns a `Dataset` of `[x, y]` batches (`x` alone when `targets` is null).
 *
 * Shuffling: Keras shuffles the window order with NumPy's `RandomState(seed)` and again in
 * `tf.data` on every iteration; keras-like draws a new permutation of all windows on every
 * loop over the dataset from a generator seeded by `seed` (same seed, same epochs), which
 * cannot give NumPy's order.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import type { TensorLike } from './data.js';
import { BatchDataset, type Batch } from './dataset.js';
import { gatherSteps, gatherWindows, readHostArray } from './host_array.js';
import { seededGenerator, shuffledIndices } from './random.js';

const int = (message: string) => z.number({ message }).int({ message });

const schema = z.object({
  sequence_length: int('must be a positive integer').positive({ message: 'must be a positive integer' }),
  sequence_stride: int('must be an integer').default(1),
  sampling_rate: int('must be an integer').default(1),
  batch_size: int('must be a positive integer or null').positive({ message: 'must be a positive integer or null' }).nullable().default(128),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(false),
  seed: int('must be an integer or null').nullable().default(null),
  start_index: int('must be an integer or null').nullable().default(null),
  end_index: int('must be an integer or null').nullable().default(null),
});
export type TimeseriesDatasetOptions = KerasOptions<typeof schema>;

const POSITIONAL = ['sequence_length', 'sequence_stride', 'sampling_rate', 'batch_size', 'shuffle', 'seed', 'start_index', 'end_index'] as const;

/**
 *   const ds = timeseries_dataset_from_array(series.slice(0, -3), series.slice(3), { sequence_length: 3, batch_size: 32 });
 *   model.fit(ds, { epochs: 10 });
 */
export function timeseries_dataset_from_array(
  data: TensorLike,
  targets: TensorLike | null,
  ...args: Array<number | boolean | null | TimeseriesDatasetOptions>
): BatchDataset<Batch> {
  const o = parseArgs('timeseries_dataset_from_array', schema, POSITIONAL, args);
  const series = readHostArray(data, 'data');
  const targetArray = targets === null ? null : readHostArray(targets, 'targets');
  const steps = series.shape[0]!;
  checkIndices(o, steps);
  const start = o.start_index ?? 0;
  const end = o.end_index ?? steps;
  let windows = end - start - (o.sequence_length - 1) * o.sampling_rate;
  if (targetArray !== null) windows = Math.min(windows, targetArray.shape[0]! - start);
  const positions: number[] = [];
  for (let p = 0; p < windows; p += o.sequence_stride) positions.push(p);

  let order: readonly number[] = positions;
  const draw = seededGenerator(o.seed);
  const startEpoch = o.shuffle
    ? () => {
        const permutation = shuffledIndices(positions.length, undefined, draw);
        order = Array.from(permutation, (i) => positions[i]!);
      }
    : undefined;
  const perBatch = o.batch_size ?? 1;
  const batchCount = Math.ceil(positions.length / perBatch);

  const makeBatch = (index: number): Batch => {
    const chosen = order.slice(index * perBatch, (index + 1) * perBatch);
    const windowRows = chosen.map((p) => Array.from({ length: o.sequence_length }, (_, k) => start + p + k * o.sampling_rate));
    let x: tf.Tensor = gatherWindows(series, windowRows);
    let y: tf.Tensor | null = targetArray === null ? null : gatherSteps(targetArray, chosen.map((p) => start + p));
    if (o.batch_size === null) {
      // Unbatched: one sample per element, without the batch axis.
      x = squeezeFirst(x);
      y = y === null ? null : squeezeFirst(y);
    }
    return y === null ? x : [x, y];
  };
  return new BatchDataset<Batch>(batchCount, makeBatch, startEpoch);
}

function squeezeFirst(t: tf.Tensor): tf.Tensor {
  const squeezed = t.reshape(t.shape.slice(1));
  t.dispose();
  return squeezed;
}

/** Keras's checks, in Keras's order and words (a 0 index is not checked, as in Keras). */
function checkIndices(o: z.output<typeof schema>, steps: number): void {
  const { start_index, end_index, sampling_rate, sequence_stride } = o;
  if (start_index) {
    if (start_index < 0) throw new ValueError(`\`start_index\` must be 0 or greater. Received: start_index=${start_index}`);
    if (start_index >= steps) {
      throw new ValueError(`\`start_index\` must be lower than the length of the data. Received: start_index=${start_index}, for data of length ${steps}`);
    }
  }
  if (end_index) {
    if (start_index && end_index <= start_index) {
      throw new ValueError(`\`end_index\` must be higher than \`start_index\`. Received: start_index=${start_index}, and end_index=${end_index} `);
    }
    if (end_index >= steps) {
      throw new ValueError(`\`end_index\` must be lower than the length of the data. Received: end_index=${end_index}, for data of length ${steps}`);
    }
    if (end_index <= 0) throw new ValueError(`\`end_index\` must be higher than 0. Received: end_index=${end_index}`);
  }
  if (sampling_rate <= 0) throw new ValueError(`\`sampling_rate\` must be higher than 0. Received: sampling_rate=${sampling_rate}`);
  if (sampling_rate >= steps) {
    throw new ValueError(`\`sampling_rate\` must be lower than the length of the data. Received: sampling_rate=${sampling_rate}, for data of length ${steps}`);
  }
  if (sequence_stride <= 0) throw new ValueError(`\`sequence_stride\` must be higher than 0. Received: sequence_stride=${sequence_stride}`);
  if (sequence_stride >= steps) {
    throw new ValueError(`\`sequence_stride\` must be lower than the length of the data. Received: sequence_stride=${sequence_stride}, for data of length ${steps}`);
  }
}
