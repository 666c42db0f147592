/**
 * `sklearn.model_selection.train_test_split(*arrays, test_size=..., random_state=...)`: the same
 * random split of every array's rows, returned as `[a_train, a_test, b_train, b_test, ...]`.
 * Sizes as scikit-learn computes them: a fraction of test rows is rounded up, the train rows are
 * the rest (or `train_size`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { ValueError } from '../errors.js';
import { type KerasOptions, isPlainObject, parseOptions } from '../options/parse.js';
import { randomState } from '../utils/random.js';
import { permutation, randomStateSchema } from './sampling.js';

const size = z.number({ message: 'must be a fraction in (0, 1), a number of rows, or null' }).positive({ message: 'must be a fraction in (0, 1), a number of rows, or null' }).nullable().default(null);
const schema = z.object({
  test_size: size,
  train_size: size,
  random_state: randomStateSchema,
  shuffle: z.boolean({ message: 'must be a boolean' }).default(true),
});
export type TrainTestSplitOptions = KerasOptions<typeof schema>;

function rows(value: number | null, n: number, name: string): number | null {
  if (value === null) return null;
  if (value < 1) return value;
  if (!Number.isInteger(value) || value >= n) {
    throw new ValueError(`train_test_split: \`${name}\`=${value} must be a fraction in (0, 1) or a number of rows below n_samples=${n}.`);
  }
  return value;
}

export function train_test_split(...args: (TensorInput | TrainTestSplitOptions)[]): tf.Tensor[] {
  const last = args[args.length - 1];
  const options = parseOptions('train_test_split', schema, isPlainObject(last) ? last : {});
  const given = (isPlainObject(last) ? args.slice(0, -1) : args) as TensorInput[];
  const arrays = given.map((a) => convertToTensor(a));
  try {
    return split(arrays, options);
  } finally {
    arrays.forEach((a, i) => {
      if (a !== given[i]) a.dispose();
    });
  }
}

function split(arrays: tf.Tensor[], options: ReturnType<typeof schema.parse>): tf.Tensor[] {
  if (arrays.length === 0) throw new ValueError('train_test_split: at least one array required as input.');
  const n = arrays[0]!.shape[0]!;
  const bad = arrays.find((a) => a.shape[0] !== n);
  if (bad) throw new ValueError(`train_test_split: found input variables with inconsistent numbers of samples: [${arrays.map((a) => a.shape[0]).join(', ')}]`);
  const test = rows(options.test_size, n, 'test_size');
  const train = rows(options.train_size, n, 'train_size');
  const nTest = test === null ? (train === null ? Math.ceil(0.25 * n) : n - (train < 1 ? Math.floor(train * n) : train)) : test < 1 ? Math.ceil(test * n) : test;
  const nTrain = train === null ? n - nTest : train < 1 ? Math.floor(train * n) : train;
  if (nTrain <= 0 || nTrain + nTest > n) {
    throw new ValueError(`train_test_split: with n_samples=${n}, test_size=${String(options.test_size)} and train_size=${String(options.train_size)}, the train set would be empty or too large.`);
  }
  const order = options.shuffle ? permutation(n, randomState(options.random_state)) : Array.from({ length: n }, (_, i) => i);
  // scikit-learn's ShuffleSplit: the first n_test of the permutation are the test rows.
  const testIndex = options.shuffle ? order.slice(0, nTest) : order.slice(nTrain, nTrain + nTest);
  const trainIndex = options.shuffle ? order.slice(nTest, nTest + nTrain) : order.slice(0, nTrain);
  return tf.tidy(() => {
    const trainIdx = tf.tensor1d(trainIndex, 'int32');
    const testIdx = tf.tensor1d(testIndex, 'int32');
    const out = arrays.flatMap((a) => [tf.gather(a, trainIdx), tf.gather(a, testIdx)]);
    return out;
  });
}
