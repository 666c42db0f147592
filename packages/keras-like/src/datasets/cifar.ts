/**
 * A CIFAR batch file (Keras's `datasets/cifar.py` `load_batch`): a pickled dict with `data`
 * (N × 3072 bytes, each image as its red, green and blue 32×32 planes) and the labels under
 * `label_key`. Returned as Keras returns it after `load_data`'s transpose to channels last:
 * float32 [N, 32, 32, 3] (0-255) and int32 [N, 1].
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { NpyArray } from './npy.js';
import { unpickle } from './pickle.js';

export function loadBatch(bytes: Uint8Array, labelKey: string, what: string): { images: Float32Array; labels: number[] } {
  const batch = unpickle(bytes);
  if (!(batch instanceof Map)) throw new ValueError(`${what} is not a CIFAR batch (a pickled dict).`);
  const data = batch.get('data') as NpyArray | undefined;
  const labels = batch.get(labelKey) as number[] | undefined;
  if (!data || !Array.isArray(labels)) throw new ValueError(`${what} has no \`data\` and \`${labelKey}\` entries.`);
  const n = data.shape[0]!;
  const planes = data.data as ArrayLike<number>;
  // [N, 3, 32, 32] → [N, 32, 32, 3]
  const images = new Float32Array(n * 3072);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) images[i * 3072 + p * 3 + c] = planes[i * 3072 + c * 1024 + p]!;
  }
  return { images, labels };
}

export function batchTensors(parts: Array<{ images: Float32Array; labels: number[] }>): [tf.Tensor, tf.Tensor] {
  const n = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = new Float32Array(n * 3072);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3072);
    at += p.labels.length;
  }
  return [tf.tensor4d(images, [n, 32, 32, 3]), tf.tensor2d(Int32Array.from(parts.flatMap((p) => p.labels)), [n, 1], 'int32')];
}
