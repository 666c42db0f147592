/**
 * `keras.datasets.boston_housing.load_data({ path, test_split, seed })`: 506 Boston suburbs,
 * 13 features and the median home value, from `boston_housing.npz` in Keras's cache, shuffled
 * as Keras shuffles them (NumPy's RandomState(113)) and split at ⌊506 · (1 − test_split)⌋.
 * Returns `[[x_train, y_train], [x_test, y_test]]` as float32 tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { cachedPath, readDataset } from './cache.js';
import type { Split } from './mnist.js';
import { loadNpz, member } from './npz.js';
import { RandomState, shuffledRange } from './numpy_random.js';

const schema = z.object({
  path: z.string({ message: 'must be a file name or path' }).default('boston_housing.npz'),
  test_split: z.number({ message: 'must be between 0 and 1 (exclusive of 1)' }).min(0, { message: 'must be between 0 and 1 (exclusive of 1)' }).lt(1, { message: 'must be between 0 and 1 (exclusive of 1)' }).default(0.2),
  seed: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0, { message: 'must be an integer between 0 and 2**32 - 1' }).default(113),
});
export type BostonHousingOptions = KerasOptions<typeof schema>;

export function load_data(...args: [BostonHousingOptions?] | [string, number?, number?]): [Split, Split] {
  const o = parseArgs('boston_housing.load_data', schema, ['path', 'test_split', 'seed'], args);
  const file = cachedPath(o.path);
  const arrays = loadNpz(readDataset('boston_housing.load_data()', [file], 'boston_housing.npz'), file);
  const x = member(arrays, 'x', file);
  const y = member(arrays, 'y', file);
  const n = x.shape[0]!;
  const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const order = shuffledRange(n, new RandomState(o.seed));
  const cut = Math.trunc(n * (1 - o.test_split));
  const rows = (from: number, to: number): Split => {
    const picked = order.slice(from, to);
    const xs = new Float32Array(picked.length * features);
    picked.forEach((r, i) => {
      for (let f = 0; f < features; f++) xs[i * features + f] = (x.data as ArrayLike<number>)[r * features + f]!;
    });
    return [tf.tensor(xs, [picked.length, ...x.shape.slice(1)]), tf.tensor1d(Float32Array.from(picked, (r) => (y.data as ArrayLike<number>)[r]!))];
  };
  return [rows(0, cut), rows(cut, n)];
}
