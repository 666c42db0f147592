/**
 * `keras.datasets.cifar10.load_data()`: 50,000 + 10,000 32×32 colour images in 10 classes, from
 * the extracted `cifar-10-batches-py/` folder in Keras's cache (Keras 3 extracts it into
 * `~/.keras/datasets/cifar-10-batches-py-target/`, TF2 Keras into `~/.keras/datasets/`).
 * Returns `[[x_train, y_train], [x_test, y_test]]`: float32 [N, 32, 32, 3] (0-255), int32 [N, 1].
 */
import { join } from 'node:path';
import { datasetsDir, findDataset } from './cache.js';
import { batchTensors, loadBatch } from './cifar.js';
import type { Split } from './mnist.js';
import { readFileSync } from 'node:fs';

export function load_data(): [Split, Split] {
  const dir = findCifarDir('cifar10.load_data()', 'cifar-10-batches-py', 'data_batch_1', 'cifar-10-python.tar.gz');
  const read = (name: string) => loadBatch(readFileSync(join(dir, name)), 'labels', join(dir, name));
  return [batchTensors([1, 2, 3, 4, 5].map((i) => read(`data_batch_${i}`))), batchTensors([read('test_batch')])];
}

/** The folder holding the batches: Keras 3's layout first, then TF2's. */
export function findCifarDir(call: string, folder: string, probe: string, download: string): string {
  const candidates = [join(datasetsDir(), `${folder}-target`, folder), join(datasetsDir(), folder)];
  const file = findDataset(call, candidates.map((c) => join(c, probe)), download);
  return join(file, '..');
}
