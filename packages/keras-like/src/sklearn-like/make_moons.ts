/**
 * `sklearn.datasets.make_moons`: two interleaving half circles, as scikit-learn draws them
 * (outer moon label 0, inner moon label 1, optional Gaussian noise, shuffled).
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
});
export type MakeMoonsOptions = KerasOptions<typeof schema>;

/**
 * `[X, y]`: X of shape [n_samples, 2], y the 0/1 labels (float32). Outer moon:
 * (cos t, sin t), inner moon: (1 − cos t, 0.5 − sin t), t evenly spaced in [0, π].
 */
export function make_moons(...args: [MakeMoonsOptions?] | [number, MakeMoonsOptions?]): [tf.Tensor, tf.Tensor] {
  const { n_samples, shuffle, noise, random_state } = parseArgs('make_moons', schema, ['n_samples'], args);
  const uniform = randomState(random_state);
  const nOut = Math.floor(n_samples / 2);
  const nIn = n_samples - nOut;
  const points: number[][] = [];
  const labels: number[] = [];
  const angle = (i: number, n: number): number => (n > 1 ? (Math.PI * i) / (n - 1) : 0);
  for (let i = 0; i < nOut; i++) {
    points.push([Math.cos(angle(i, nOut)), Math.sin(angle(i, nOut))]);
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    points.push([1 - Math.cos(angle(i, nIn)), 1 - Math.sin(angle(i, nIn)) - 0.5]);
    labels.push(1);
  }
  const order = shuffle ? permutation(n_samples, uniform) : points.map((_, i) => i);
  const X = reorder(points, order).map((p) => (noise ? p.map((v) => v + noise * normal(uniform)) : p));
  return [tf.tensor2d(X, [n_samples, 2], 'float32'), tf.tensor1d(reorder(labels, order), 'float32')];
}
