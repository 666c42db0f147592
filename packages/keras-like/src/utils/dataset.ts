/**
 * Datasets of batches: what `timeseries_dataset_from_array`, `image_dataset_from_directory`
 * and `TimeseriesGenerator` return, and what `fit(dataset)` reads (Keras's `tf.data.Dataset`
 * and `PyDataset` in one small shape, `Dataset` below):
 *
 * - an `Iterable` of batches, `[x, y]` (or `x` alone when there are no targets):
 *   `for (const [x, y] of dataset)`. Each loop over it is one epoch; each batch is made when
 *   it is reached, as new tensors that the reader owns (`fit` disposes them after its step;
 *   a loop of one's own calls `tf.dispose(batch)`);
 * - `__len__()`: the number of batches per epoch (Python's `len(dataset)`);
 * - `__getitem__(i)`: batch i (Python's `dataset[i]` on a `PyDataset`), also new tensors.
 *
 * These are the names Keras's `PyDataset` subclasses implement, so a user's own
 * `class MyData extends ...` port keeps its method names.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** One batch: inputs and targets, or inputs alone. */
export type Batch = [tf.Tensor, tf.Tensor] | tf.Tensor;

/** What keras-like's data utilities return and `fit` reads. */
export interface Dataset<B extends Batch = [tf.Tensor, tf.Tensor]> extends Iterable<B> {
  __len__(): number;
  __getitem__(index: number): B;
}

/** Throws Python's IndexError wording when `index` is not a batch of a dataset of `count` batches. */
export function checkBatchIndex(index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`Batch index out of range: ${String(index)} (the dataset has ${count} batches).`);
  }
}

/** A `Dataset` made from a batch count and a function that makes batch i. */
export class BatchDataset<B extends Batch = [tf.Tensor, tf.Tensor]> implements Dataset<B> {
  /**
   * @param count Batches per epoch.
   * @param makeBatch Makes batch `index` of the current epoch.
   * @param startEpoch Called at the start of each loop over the dataset (a shuffled dataset
   *   draws its new order there, as `tf.data` reshuffles on each iteration).
   */
  constructor(
    private readonly count: number,
    private readonly makeBatch: (index: number) => B,
    private readonly startEpoch: () => void = () => {},
  ) {}

  /** Batches per epoch, as `len(dataset)`. */
  get length(): number {
    return this.count;
  }

  __len__(): number {
    return this.count;
  }

  __getitem__(index: number): B {
    checkBatchIndex(index, this.count);
    return this.makeBatch(index);
  }

  *[Symbol.iterator](): Iterator<B> {
    this.startEpoch();
    for (let i = 0; i < this.count; i++) yield this.makeBatch(i);
  }
}
