/**
 * `sklearn.datasets.make_regression`: a random linear regression problem, as scikit-learn
 * builds it: standard normal inputs, a ground-truth weight of 100·U(0, 1) on `n_informative`
 * features (0 on the others), `y = X·w + bias + noise·N(0, 1)`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { randomState } from '../utils/random.js';
import { nSamplesSchema, normal, permutation, randomStateSchema } from './sampling.js';

const schema = z.object({
  n_samples: nSamplesSchema.default(100),
  n_features: nSamplesSchema.default(100),
  n_informative: z.number({ message: 'must be a non-negative integer' }).int({ message: 'must be a non-negative integer' }).nonnegative({ message: 'must be a non-negative integer' }).default(10),
  bias: z.number({ message: 'must be a number' }).default(0),
  noise: z.number({ message: 'must be a non-negative number' }).nonnegative({ message: 'must be a non-negative number' }).default(0),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(true),
  coef: z.boolean({ message: 'must be a boolean' }).default(false),
  random_state: randomStateSchema,
});
export type MakeRegressionOptions = KerasOptions<typeof schema>;

/** `[X, y]` (and the weights `w` when `coef: true`): X of shape [n_samples, n_features], y of shape [n_samples]. */
export function make_regression(
  ...args: [MakeRegressionOptions?] | [number, MakeRegressionOptions?]
): [tf.Tensor, tf.Tensor] | [tf.Tensor, tf.Tensor, tf.Tensor] {
  const { n_samples, n_features, n_informative, bias, noise, shuffle, coef, random_state } = parseArgs('make_regression', schema, ['n_samples'], args);
  const uniform = randomState(random_state);
  const informative = Math.min(n_features, n_informative);
  let X = Array.from({ length: n_samples }, () => Array.from({ length: n_features }, () => normal(uniform)));
  let w = Array.from({ length: n_features }, (_, j) => (j < informative ? 100 * uniform() : 0));
  let y = X.map((row) => row.reduce((sum, v, j) => sum + v * w[j]!, bias) + (noise ? noise * normal(uniform) : 0));
  if (shuffle) {
    const rows = permutation(n_samples, uniform);
    const columns = permutation(n_features, uniform);
    X = rows.map((i) => columns.map((j) => X[i]![j]!));
    y = rows.map((i) => y[i]!);
    w = columns.map((j) => w[j]!);
  }
  const out: [tf.Tensor, tf.Tensor] = [tf.tensor2d(X, [n_samples, n_features], 'float32'), tf.tensor1d(y, 'float32')];
  return coef ? [...out, tf.tensor1d(w, 'float32')] : out;
}
