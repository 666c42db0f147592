/**
 * `keras.datasets.fashion_mnist.load_data()`: Zalando's 28×28 clothing images, from the four
 * gzipped IDX files Keras caches in `~/.keras/datasets/fashion-mnist/`. As Keras: labels are the
 * bytes after an 8-byte header, images the bytes after a 16-byte header, reshaped to
 * [labels, 28, 28]. Returns `[[x_train, y_train], [x_test, y_test]]` (float32 0-255, int32).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fflate } from '../utils/fflate.js';
import { join } from 'node:path';
import { datasetsDir, readDataset } from './cache.js';
import type { Split } from './mnist.js';

const FILES = ['train-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz'] as const;

export function load_data(): [Split, Split] {
  const [trainLabels, trainImages, testLabels, testImages] = FILES.map((name) =>
    fflate().gunzipSync(readDataset('fashion_mnist.load_data()', [join(datasetsDir(), 'fashion-mnist', name)], name)),
  ) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const split = (labels: Uint8Array, images: Uint8Array): Split => {
    const y = labels.subarray(8);
    return [tf.tensor3d(Float32Array.from(images.subarray(16, 16 + y.length * 784)), [y.length, 28, 28]), tf.tensor1d(Int32Array.from(y), 'int32')];
  };
  return [split(trainLabels, trainImages), split(testLabels, testImages)];
}
