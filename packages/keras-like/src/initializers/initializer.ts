/**
 * The base of every initializer: called like a function, `init(shape)` → a new tensor.
 * Random initializers take their seed from keras-like's random source when none is given,
 * once, at construction (as Keras 3 does): so `keras.utils.set_random_seed(s)` before
 * building a model reproduces its weights, and one unseeded instance called twice gives
 * the same values.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { CallableInstance } from '../utils/callable_instance.js';
import { nextSeed } from '../utils/random.js';

/** The call signature of an initializer: Python's `init(shape, dtype=None)`. */
export interface Initializer {
  (shape: number[], dtype?: 'float32'): tf.Tensor;
}

/** Base class of the initializers (`keras.initializers.Initializer`): implement `call(shape)` and `get_config()`. */
export abstract class Initializer extends CallableInstance {
  /** A new tensor of `shape` holding the initial values. */
  abstract call(shape: number[]): tf.Tensor;

  /** Keras's constructor arguments, enough to rebuild the initializer with `from_config`. */
  get_config(): Record<string, unknown> {
    return {};
  }

  __call__(shape: number[], _dtype?: 'float32'): tf.Tensor {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ValueError(`${this.constructor.name}: \`shape\` must be a list of non-negative integers. Received: shape=${repr(shape)}`);
    }
    return this.call(shape);
  }
}

export const seedField = z
  .number({ message: 'must be an integer or null' })
  .int({ message: 'must be an integer or null' })
  .nullable()
  .default(null);

/** Random initializers: `seed` fixes their draws; without one, a seed is drawn from keras-like's random source. */
export abstract class RandomInitializer extends Initializer {
  /** The seed the draws use (Keras's `self.seed`). */
  readonly seed: number;

  constructor(private readonly initSeed: number | null) {
    super();
    this.seed = initSeed ?? nextSeed();
  }

  override get_config(): Record<string, unknown> {
    return { seed: this.initSeed };
  }
}

/** The `gain` argument of `Identity` and `Orthogonal`. */
export const gainSchema = z.object({ gain: z.number({ message: 'must be a float' }).default(1) });
