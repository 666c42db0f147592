/**
 * `keras.datasets.mnist.load_data({ path })`: 60,000 training and 10,000 test digits from
 * `mnist.npz` in Keras's cache (`~/.keras/datasets/mnist.npz`), as Keras returns them:
 * `[[x_train, y_train], [x_test, y_test]]`, images [N, 28, 28] with values 0-255 (float32
 * tensors: Keras's uint8 values, exactly) and labels [N] (int32).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { cachedPath, readDataset } from './cache.js';
import { arrayTensor } from './npy.js';
import { loadNpz, member } from './npz.js';

const schema = z.object({ path: z.string({ message: 'must be a file name or path' }).default('mnist.npz') });
export type MnistOptions = KerasOptions<typeof schema>;
export type Split = [tf.Tensor, tf.Tensor];

export function load_data(...args: [MnistOptions?] | [string]): [Split, Split] {
  const { path } = parseArgs('mnist.load_data', schema, ['path'], args);
  const file = cachedPath(path);
  const arrays = loadNpz(readDataset('mnist.load_data()', [file], 'mnist.npz'), file);
  const get = (key: string, dtype: 'float32' | 'int32') => arrayTensor(member(arrays, key, file), dtype, `${file}:${key}`);
  return [
    [get('x_train', 'float32'), get('y_train', 'int32')],
    [get('x_test', 'float32'), get('y_test', 'int32')],
  ];
}
