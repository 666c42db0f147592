/**
 * `sklearn.datasets.make_circles`: a large circle (label 0) around a smaller one (label 1),
 * as scikit-learn draws them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { randomState } from '../utils/random.js';
import { nSamplesSchema, noiseSchema, normal, permutation, randomStateSchema, reorder } from './sampling.js';

const schema = z.object({
  n_samples: nSamplesSchema.default(100),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(true),
  noise: noiseSchema,
  random_state: randomStateSchema,
  factor: z
    .number({ message: 'must be a number in [0, 1)' })
    .min(0, { message: 'must be a number in [0, 1)' })
    .lt(1, { message: 'must be a number in [0, 1)' })
    .default(0.8),
});
export type MakeCirclesOptions = KerasOptions<typeof schema>;

/**
 * `[X, y]`: X of shape [n_samples, 2], y the 0/1 labels (float32). Outer circle: radius 1,
 * inner circle: radius `factor`, angles evenly spaced in [0, 2π) (endpoint excluded).
 */
export function make_circles(...args: [MakeCirclesOptions?] | [number, MakeCirclesOptions?]): [tf.Tensor, tf.Tensor] {
  const { n_samples, shuffle, noise, random_state, factor } = parseArgs('make_circles', schema, ['n_samples'], args);
  const uniform = randomState(random_state);
  const nOut = Math.floor(n_samples / 2);
  const nIn = n_samples - nOut;
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    points.push([Math.cos(t), Math.sin(t)]);
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    points.push([factor * Math.cos(t), factor * Math.sin(t)]);
    labels.push(1);
  }
  const order = shuffle ? permutation(n_samples, uniform) : points.map((_, i) => i);
  const X = reorder(points, order).map((p) => (noise ? p.map((v) => v + noise * normal(uniform)) : p));
  return [tf.tensor2d(X, [n_samples, 2], 'float32'), tf.tensor1d(reorder(labels, order), 'float32')];
}
