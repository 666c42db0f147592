/**
 * From `fit(x, y, {...})` arguments to tensors the training loop can batch:
 * reading x / y / sample weights (utils/data.ts), `validation_split` (the last
 * fraction of the samples, taken before any shuffling, as Keras does),
 * `class_weight` turned into per-sample weights, and the per-epoch batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readOnlyData } from '../backend/host_values.js';
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { assertSameLength, toModelData, type TensorLike } from '../utils/data.js';

/**
 * x, y and optional per-sample weights, with the same number of samples; owned by whoever made
 * them. `x` has one tensor per model input and `y` one per output (a single-input model: one).
 */
export interface Dataset {
  readonly x: tf.Tensor[];
  readonly y: tf.Tensor[] | null;
  readonly sampleWeight: tf.Tensor | null;
  /** A batch that is the whole dataset, lent to the loop: its owner frees it, not the loop. */
  readonly borrowed?: boolean;
}

export function disposeDataset(data: Dataset | null): void {
  if (data === null) return;
  for (const t of data.x) t.dispose();
  for (const t of data.y ?? []) t.dispose();
  data.sampleWeight?.dispose();
}

/** The feature counts that decide whether a 1-D array is read as a column, per input and per output. */
export interface Features {
  readonly inputs: ReadonlyArray<number | null>;
  /** Called once x is read (a model without an input shape builds from it). */
  readonly outputs: (x: readonly tf.Tensor[]) => ReadonlyArray<number | null>;
}

/** Reads x (and y, sample weights), one entry per model input / output; `names` label them in messages. */
export function readDataset(
  x: readonly TensorLike[],
  y: readonly TensorLike[] | null,
  sampleWeight: TensorLike | null | undefined,
  features: Features,
  names: { x: string; y: string; sampleWeight: string } = { x: 'x', y: 'y', sampleWeight: 'sample_weight' },
): Dataset {
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  let weights: tf.Tensor | null = null;
  const label = (name: string, i: number, n: number) => (n === 1 ? name : `${name}[${i}]`);
  try {
    x.forEach((value, i) => {
      xs.push(toModelData(value, label(names.x, i, x.length), features.inputs[i] ?? 1));
      if (i > 0) assertSameLength(xs[0]!, xs[i]!, label(names.x, 0, x.length), label(names.x, i, x.length));
    });
    if (y !== null) {
      const outputs = features.outputs(xs);
      y.forEach((value, i) => {
        ys.push(toModelData(value, label(names.y, i, y.length), outputs[i] ?? null));
        assertSameLength(xs[0]!, ys[i]!, label(names.x, 0, x.length), label(names.y, i, y.length));
      });
    }
    if (sampleWeight !== null && sampleWeight !== undefined) {
      weights = toModelData(sampleWeight, names.sampleWeight, null);
      if (weights.rank !== 1) {
        throw new ValueError(`\`${names.sampleWeight}\` must be 1-D, one weight per sample. Received shape ${JSON.stringify(weights.shape)}.`);
      }
      assertSameLength(xs[0]!, weights, label(names.x, 0, x.length), names.sampleWeight);
    }
  } catch (error) {
    disposeDataset({ x: xs, y: ys, sampleWeight: weights });
    throw error;
  }
  return { x: xs, y: y === null ? null : ys, sampleWeight: weights };
}

/**
 * Keras's `validation_split`: the last `fraction` of the samples become the validation
 * set; the first part is trained on. Disposes `data`.
 */
export function splitValidation(data: Dataset, fraction: number): { train: Dataset; validation: Dataset } {
  const n = data.x[0]!.shape[0]!;
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new ValueError(
      `Training data contains ${n} samples, which is not sufficient to split it into a validation and training set ` +
        `as specified by \`validation_split=${fraction}\`. Either provide more data, or a different value for the \`validation_split\` argument.`,
    );
  }
  const part = (t: tf.Tensor | null, start: number, size: number) => (t === null ? null : tf.slice(t, start, size));
  const parts = (ts: tf.Tensor[] | null, start: number, size: number) => (ts === null ? null : ts.map((t) => part(t, start, size)!));
  const train = { x: parts(data.x, 0, splitAt)!, y: parts(data.y, 0, splitAt), sampleWeight: part(data.sampleWeight, 0, splitAt) };
  const validation = { x: parts(data.x, splitAt, n - splitAt)!, y: parts(data.y, splitAt, n - splitAt), sampleWeight: part(data.sampleWeight, splitAt, n - splitAt) };
  disposeDataset(data);
  return { train, validation };
}

/**
 * Keras's `class_weight`: each sample weighs `class_weight[its class]`, the class being
 * `argmax(y)` for one-hot targets and `round(y)` for a single column or sparse labels.
 */
export function classWeightsToSampleWeights(y: tf.Tensor, classWeight: Readonly<Record<string | number, number>>): tf.Tensor {
  const table = Object.entries(classWeight);
  table.forEach(([key, value]) => {
    if (!Number.isInteger(Number(key)) || Number(key) < 0 || typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(`\`class_weight\` must map class indices to numbers, such as {0: 1, 1: 5}. Received: class_weight=${repr(classWeight)}`);
    }
  });
  const classes = tf.tidy(() => {
    const isOneHot = y.rank > 1 && y.shape[y.rank - 1]! > 1;
    return isOneHot ? tf.argMax(y, -1) : tf.cast(tf.round(tf.reshape(y, [y.shape[0]!])), 'int32');
  });
  const labels = classes.dataSync();
  classes.dispose();
  const weights = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const weight = classWeight[labels[i]!];
    if (weight === undefined) {
      throw new ValueError(
        `\`class_weight\` must contain all classes in the data. The classes ${labels[i]} exist in the data but not in \`class_weight\`. Received: class_weight=${repr(classWeight)}`,
      );
    }
    weights[i] = weight;
  }
  return tf.tensor1d(weights);
}

/** The batches of one epoch, made one at a time. */
export interface EpochBatches {
  readonly count: number;
  /** Batch `i`: its rows in the shuffled order, or in order when there is none; the caller disposes it. */
  batch(i: number): Dataset;
}

/**
 * Batches are cut when their step comes, on the host: each batch's rows are copied from the
 * dataset's memory (a view, no read-back) into a new array and uploaded. Gathering the whole
 * shuffled dataset on the backend instead doubled W2's data in memory (wasm memory never
 * shrinks), and the wasm backend's Gather and Slice kernels copy 10× slower than a memcpy
 * (12.7 ms against 1.3 ms for 128 rows of 784; issue 8).
 */
export function epochBatches(data: Dataset, batchSize: number, order: Int32Array | null): EpochBatches {
  const n = data.x[0]!.shape[0]!;
  return {
    count: Math.ceil(n / batchSize),
    batch(i: number): Dataset {
      const start = i * batchSize;
      const size = Math.min(batchSize, n - start);
      const rows = (t: tf.Tensor) => takeRows(t, start, size, order);
      return { x: data.x.map(rows), y: data.y === null ? null : data.y.map(rows), sampleWeight: data.sampleWeight === null ? null : rows(data.sampleWeight) };
    },
  };
}

/** Rows at least this long are copied with `TypedArray.set` (a memcpy); shorter ones value by value. */
const LONG_ROW = 64;

/** Rows `order[start]`, …, `order[start + size − 1]` of `t` (rows `start`, … when `order` is null), as a new tensor. */
function takeRows(t: tf.Tensor, start: number, size: number, order: Int32Array | null): tf.Tensor {
  const rowLength = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const values = readOnlyData(t);
  const out = emptyLike(values, size * rowLength);
  for (let r = 0; r < size; r++) {
    const from = (order === null ? start + r : order[start + r]!) * rowLength;
    if (rowLength >= LONG_ROW) {
      out.set(values.subarray(from, from + rowLength), r * rowLength);
    } else {
      // A short row (Pima's 8 features, a label) copies faster than a subarray view is made.
      for (let j = 0; j < rowLength; j++) out[r * rowLength + j] = values[from + j]!;
    }
  }
  return tf.tensor(out, [size, ...t.shape.slice(1)], t.dtype);
}

function emptyLike(values: tf.TypedArray, length: number): tf.TypedArray {
  if (values instanceof Float32Array) return new Float32Array(length);
  if (values instanceof Int32Array) return new Int32Array(length);
  return new Uint8Array(length);
}
