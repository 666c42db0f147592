/** Keras's deterministic initializers: `Zeros`, `Ones`, `Constant`, `Identity`. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { Initializer, gainSchema } from './initializer.js';

export class ZerosInitializer extends Initializer {
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('Zeros', z.object({}), [], [options]);
  }

  call(shape: number[]): tf.Tensor {
    return tf.zeros(shape);
  }
}
/** All zeros (Keras's default bias initializer). */
export const Zeros = callable(ZerosInitializer);
export type Zeros = ZerosInitializer;

export class OnesInitializer extends Initializer {
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('Ones', z.object({}), [], [options]);
  }

  call(shape: number[]): tf.Tensor {
    return tf.ones(shape);
  }
}
/** All ones. */
export const Ones = callable(OnesInitializer);
export type Ones = OnesInitializer;

const constantSchema = z.object({ value: z.number({ message: 'must be a float' }).default(0) });
/** Keyword arguments of `Constant`. */
export type ConstantOptions = KerasOptions<typeof constantSchema>;

export class ConstantInitializer extends Initializer {
  readonly value: number;
  constructor(...args: [ConstantOptions?] | [number]) {
    super();
    this.value = parseArgs('Constant', constantSchema, ['value'], args).value;
  }
  call(shape: number[]): tf.Tensor {
    return tf.fill(shape, this.value);
  }
  override get_config() {
    return { value: this.value };
  }
}
/** Every value equal to `value` (defaults to 0). */
export const Constant = callable(ConstantInitializer);
export type Constant = ConstantInitializer;

/** Keyword arguments of `Identity`. */
export type IdentityOptions = KerasOptions<typeof gainSchema>;

export class IdentityInitializer extends Initializer {
  readonly gain: number;
  constructor(...args: [IdentityOptions?] | [number]) {
    super();
    this.gain = parseArgs('Identity', gainSchema, ['gain'], args).gain;
  }
  call(shape: number[]): tf.Tensor {
    if (shape.length !== 2) {
      throw new ValueError(`Identity matrix initializer can only be used for 2D matrices. Received: shape=${repr(shape)} of rank ${shape.length}.`);
    }
    return tf.tidy(() => tf.mul(tf.eye(shape[0]!, shape[1]!), this.gain));
  }
  override get_config() {
    return { gain: this.gain };
  }
}
/** `gain` times the identity matrix (2-D shapes only; rectangular ones get ones on the diagonal). */
export const Identity = callable(IdentityInitializer);
export type Identity = IdentityInitializer;
