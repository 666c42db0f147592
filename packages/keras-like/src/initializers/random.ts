/** Keras's plain random initializers: `RandomNormal`, `TruncatedNormal`, `RandomUniform`. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { RandomInitializer, seedField } from './initializer.js';

const normalSchema = z.object({
  mean: z.number({ message: 'must be a float' }).default(0),
  stddev: z.number({ message: 'must be a float' }).default(0.05),
  seed: seedField,
});
/** Keyword arguments of `RandomNormal` and `TruncatedNormal`. */
export type RandomNormalOptions = KerasOptions<typeof normalSchema>;
type NormalArgs = [RandomNormalOptions?] | [number, number?, (number | null)?];

export class RandomNormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(...args: NormalArgs) {
    const o = parseArgs('RandomNormal', normalSchema, ['mean', 'stddev', 'seed'], args);
    super(o.seed);
    this.mean = o.mean;
    this.stddev = o.stddev;
  }
  call(shape: number[]): tf.Tensor {
    return tf.randomNormal(shape, this.mean, this.stddev, 'float32', this.seed);
  }
  override get_config() {
    return { mean: this.mean, stddev: this.stddev, ...super.get_config() };
  }
}
/** Draws from a normal distribution. Args: `mean` (defaults to 0), `stddev` (defaults to 0.05), `seed`. */
export const RandomNormal = callable(RandomNormalInitializer);
export type RandomNormal = RandomNormalInitializer;

export class TruncatedNormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(...args: NormalArgs) {
    const o = parseArgs('TruncatedNormal', normalSchema, ['mean', 'stddev', 'seed'], args);
    super(o.seed);
    this.mean = o.mean;
    this.stddev = o.stddev;
  }
  call(shape: number[]): tf.Tensor {
    return tf.truncatedNormal(shape, this.mean, this.stddev, 'float32', this.seed);
  }
  override get_config() {
    return { mean: this.mean, stddev: this.stddev, ...super.get_config() };
  }
}
/**
 * Draws from a normal distribution, redrawing values more than two standard deviations from
 * the mean. Args: `mean` (defaults to 0), `stddev` (defaults to 0.05), `seed`.
 */
export const TruncatedNormal = callable(TruncatedNormalInitializer);
export type TruncatedNormal = TruncatedNormalInitializer;

const uniformSchema = z.object({
  minval: z.number({ message: 'must be a float' }).default(-0.05),
  maxval: z.number({ message: 'must be a float' }).default(0.05),
  seed: seedField,
});
/** Keyword arguments of `RandomUniform`. */
export type RandomUniformOptions = KerasOptions<typeof uniformSchema>;

export class RandomUniformInitializer extends RandomInitializer {
  readonly minval: number;
  readonly maxval: number;
  constructor(...args: [RandomUniformOptions?] | [number, number?, (number | null)?]) {
    const o = parseArgs('RandomUniform', uniformSchema, ['minval', 'maxval', 'seed'], args);
    super(o.seed);
    this.minval = o.minval;
    this.maxval = o.maxval;
  }
  call(shape: number[]): tf.Tensor {
    return tf.randomUniform(shape, this.minval, this.maxval, 'float32', this.seed);
  }
  override get_config() {
    return { minval: this.minval, maxval: this.maxval, ...super.get_config() };
  }
}
/** Draws uniformly from [minval, maxval). Args: `minval` (defaults to -0.05), `maxval` (defaults to 0.05), `seed`. */
export const RandomUniform = callable(RandomUniformInitializer);
export type RandomUniform = RandomUniformInitializer;
