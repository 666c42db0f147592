/**
 * `keras.datasets.cifar100.load_data({ label_mode })`: 100 classes ('fine', the default) or their
 * 20 superclasses ('coarse'), from `cifar-100-python/train` and `test` in Keras's cache.
 * Returns `[[x_train, y_train], [x_test, y_test]]`: float32 [N, 32, 32, 3] (0-255), int32 [N, 1].
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { batchTensors, loadBatch } from './cifar.js';
import { findCifarDir } from './cifar10.js';
import type { Split } from './mnist.js';

const schema = z.object({
  label_mode: z.enum(['fine', 'coarse'], { message: 'must be one of `"fine"`, `"coarse"`' }).default('fine'),
});
export type Cifar100Options = KerasOptions<typeof schema>;

export function load_data(...args: [Cifar100Options?] | ['fine' | 'coarse']): [Split, Split] {
  const { label_mode } = parseArgs('cifar100.load_data', schema, ['label_mode'], args);
  const dir = findCifarDir('cifar100.load_data()', 'cifar-100-python', 'train', 'cifar-100-python.tar.gz');
  const read = (name: string) => batchTensors([loadBatch(readFileSync(join(dir, name)), `${label_mode}_labels`, join(dir, name))]);
  return [read('train'), read('test')];
}
