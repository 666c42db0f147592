/**
 * `sklearn.datasets.make_blobs`: isotropic Gaussian blobs around centers drawn uniformly in
 * `center_box`, as scikit-learn makes them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { randomState } from '../utils/random.js';
import { nSamplesSchema, normal, permutation, randomStateSchema, reorder } from './sampling.js';

const schema = z.object({
  n_samples: nSamplesSchema.default(100),
  n_features: nSamplesSchema.default(2),
  centers: z
    .union([nSamplesSchema, z.array(z.array(z.number()))], { message: 'must be a positive integer or a list of points' })
    .nullable()
    .default(null),
  cluster_std: z.number({ message: 'must be a positive number' }).positive({ message: 'must be a positive number' }).default(1.0),
  center_box: z.tuple([z.number(), z.number()], { message: 'must be a pair of numbers (min, max)' }).default([-10, 10]),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(true),
  random_state: randomStateSchema,
});
export type MakeBlobsOptions = KerasOptions<typeof schema>;

/** `[X, y]`: X of shape [n_samples, n_features], y the blob index of each point (float32). */
export function make_blobs(...args: [MakeBlobsOptions?] | [number, MakeBlobsOptions?]): [tf.Tensor, tf.Tensor] {
  const options = parseArgs('make_blobs', schema, ['n_samples'], args);
  const { n_samples, cluster_std, center_box, shuffle, random_state } = options;
  const uniform = randomState(random_state);
  const [low, high] = center_box;
  const centers =
    Array.isArray(options.centers)
      ? options.centers
      : Array.from({ length: options.centers ?? 3 }, () => Array.from({ length: options.n_features }, () => low + (high - low) * uniform()));
  const features = centers[0]!.length;
  // scikit-learn: n_samples // n_centers each, the remainder one more for the first centers.
  const points: number[][] = [];
  const labels: number[] = [];
  centers.forEach((center, c) => {
    const count = Math.floor(n_samples / centers.length) + (c < n_samples % centers.length ? 1 : 0);
    for (let i = 0; i < count; i++) {
      points.push(center.map((v) => v + cluster_std * normal(uniform)));
      labels.push(c);
    }
  });
  const order = shuffle ? permutation(n_samples, uniform) : points.map((_, i) => i);
  return [tf.tensor2d(reorder(points, order), [n_samples, features], 'float32'), tf.tensor1d(reorder(labels, order), 'float32')];
}
