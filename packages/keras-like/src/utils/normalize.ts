/** `keras.utils.normalize(x, axis=-1, order=2)`: scales vectors to unit norm. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';

const schema = z.object({
  axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1),
  order: z.number({ message: 'must be an int >= 1' }).int({ message: 'must be an int >= 1' }).min(1, { message: 'must be an int >= 1' }).default(2),
});
/** Keyword arguments of `normalize`. */
export type NormalizeOptions = KerasOptions<typeof schema>;

/**
 * Divides `x` by its `order`-norm along `axis` (defaults to -1, the last axis; `order`
 * defaults to 2, the Euclidean norm). As Keras does for arrays, vectors of norm 0 are
 * left unchanged rather than divided by zero. Returns a new float32 tensor.
 */
export function normalize(x: TensorInput, ...args: [NormalizeOptions?] | [number, number?]): tf.Tensor {
  const { axis, order } = parseArgs('normalize', schema, ['axis', 'order'], args);
  return tf.tidy(() => {
    const t = convertToTensor(x);
    const norm = order === 2 ? tf.sqrt(tf.sum(tf.square(t), axis, true)) : tf.pow(tf.sum(tf.pow(tf.abs(t), order), axis, true), 1 / order);
    return tf.div(t, tf.where(tf.equal(norm, 0), tf.onesLike(norm), norm));
  });
}
