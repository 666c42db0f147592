/**
 * `keras.utils.to_categorical(y, num_classes)`: class indices to one-hot rows, as Keras does
 * for `categorical_crossentropy` targets.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';

const schema = z.object({
  num_classes: z
    .number({ message: 'must be a positive integer or null' })
    .int({ message: 'must be a positive integer or null' })
    .positive({ message: 'must be a positive integer or null' })
    .nullable()
    .default(null),
});
/** Keyword arguments of `to_categorical`. */
export type ToCategoricalOptions = KerasOptions<typeof schema>;

/**
 * Converts a vector of class indices (integers from 0 to `num_classes - 1`) to a float32
 * matrix with one one-hot row per index; the class axis is placed last, and a trailing
 * axis of size 1 is replaced by it ([N] or [N, 1] → [N, num_classes]). `num_classes`
 * defaults to `max(y) + 1`. Indices that are not integers in that range raise a ValueError.
 */
export function to_categorical(y: TensorInput, ...args: [ToCategoricalOptions?] | [number | null]): tf.Tensor {
  const { num_classes } = parseArgs('to_categorical', schema, ['num_classes'], args);
  const labels = convertToTensor(y);
  const values = Array.from(labels.dataSync());
  // max(y) + 1 over the labels that could be classes, so a stray 1.5 or NaN does not change the range named.
  const classes = num_classes ?? Math.floor(values.reduce((max, v) => (Number.isFinite(v) ? Math.max(max, v) : max), -1)) + 1;
  const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= classes);
  if (bad >= 0) {
    if (labels !== y) labels.dispose();
    throw new ValueError(`to_categorical: class indices must be integers in [0, ${classes}). Received: y[${bad}]=${values[bad]}`);
  }
  const shape = labels.rank > 1 && labels.shape[labels.rank - 1] === 1 ? labels.shape.slice(0, -1) : labels.shape;
  const result = tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(values, 'int32'), classes), 'float32'), [...shape, classes]));
  if (labels !== y) labels.dispose();
  return result;
}
