/**
 * Keras's accuracy metrics: per-sample functions (`keras.metrics.binary_accuracy`) and
 * the stateful classes that average them (`keras.metrics.BinaryAccuracy`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { sameRank } from '../losses/loss.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import { MeanMetricWrapper } from './metric.js';
import type { MetricShapes } from './shapes.js';

function tensors(y_true: TensorInput, y_pred: TensorInput): [tf.Tensor, tf.Tensor] {
  return [convertToTensor(y_true), convertToTensor(y_pred)];
}

/** Labels of shape [N] or [N, 1] as a flat vector of class indices. */
function classIndices(labels: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return labels.rank === yPred.rank ? tf.squeeze(labels, [-1]) : labels;
}

/** 1 where `y_pred` equals `y_true` exactly, else 0 (element-wise). */
export function accuracy(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(...tensors(y_true, y_pred));
    return tf.cast(tf.equal(t, p), 'float32');
  });
}

/** 1 where `y_pred > threshold` matches the 0/1 label, else 0 (element-wise). `threshold` defaults to 0.5. */
export function binary_accuracy(y_true: TensorInput, y_pred: TensorInput, threshold = 0.5): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(...tensors(y_true, y_pred));
    return tf.cast(tf.equal(t, tf.cast(tf.greater(p, threshold), 'float32')), 'float32');
  });
}

/** 1 where the predicted class (argmax) is the one-hot label's class, per sample. */
export function categorical_accuracy(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(...tensors(y_true, y_pred));
    return tf.cast(tf.equal(tf.argMax(t, -1), tf.argMax(p, -1)), 'float32');
  });
}

/** 1 where the predicted class (argmax) equals the integer label (shape [N] or [N, 1]), per sample. */
export function sparse_categorical_accuracy(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = tensors(y_true, y_pred);
    return tf.cast(tf.equal(tf.cast(classIndices(t, p), 'int32'), tf.argMax(p, -1)), 'float32');
  });
}

/**
 * 1 where the true class's score is among the `k` highest, per sample: fewer than `k`
 * classes score strictly higher (ties at the boundary count as in, as TensorFlow's `in_top_k`).
 */
function inTopK(trueScore: tf.Tensor, p: tf.Tensor, k: number): tf.Tensor {
  const higher = tf.sum(tf.cast(tf.greater(p, trueScore), 'float32'), -1);
  return tf.cast(tf.less(higher, k), 'float32');
}

/** 1 where the one-hot label's class is among the `k` (defaults to 5) highest predictions. */
export function top_k_categorical_accuracy(y_true: TensorInput, y_pred: TensorInput, k = 5): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(...tensors(y_true, y_pred));
    const trueScore = tf.sum(tf.mul(tf.oneHot(tf.argMax(t, -1), p.shape[p.rank - 1]!), p), -1, true);
    return inTopK(trueScore, p, k);
  });
}

/** 1 where the integer label's class is among the `k` (defaults to 5) highest predictions. */
export function sparse_top_k_categorical_accuracy(y_true: TensorInput, y_pred: TensorInput, k = 5): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = tensors(y_true, y_pred);
    const labels = tf.reshape(tf.cast(classIndices(t, p), 'int32'), [-1]);
    const trueScore = tf.reshape(tf.sum(tf.mul(tf.oneHot(labels, p.shape[p.rank - 1]!), tf.reshape(p, [-1, p.shape[p.rank - 1]!])), -1), [...p.shape.slice(0, -1), 1]);
    return inTopK(trueScore, p, k);
  });
}

const nameSchema = (name: string) => z.object({ name: z.string({ message: 'must be a string' }).default(name) });

/** A metric class whose only argument is `name`. */
function namedMetric(
  className: string,
  fn: (y_true: tf.Tensor, y_pred: tf.Tensor) => tf.Tensor,
  defaultName: string,
  shapes: Omit<MetricShapes, 'owner'>,
): CallableClass<[KerasOptions<ReturnType<typeof nameSchema>>?] | [string], MeanMetricWrapper> {
  const schema = nameSchema(defaultName);
  const cls = class extends MeanMetricWrapper {
    constructor(...args: [KerasOptions<typeof schema>?] | [string]) {
      super(fn, parseArgs(className, schema, ['name'], args).name, {}, { owner: className, ...shapes });
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** How often predictions equal labels exactly. Args: `name` (defaults to 'accuracy'). */
export const Accuracy = namedMetric('Accuracy', accuracy, 'accuracy', { rule: 'broadcast' });
export type Accuracy = MeanMetricWrapper;
/** How often the predicted class matches the one-hot label. Args: `name` (defaults to 'categorical_accuracy'). */
export const CategoricalAccuracy = namedMetric('CategoricalAccuracy', categorical_accuracy, 'categorical_accuracy', {
  rule: 'same',
  otherLabels: 'SparseCategoricalAccuracy',
});
export type CategoricalAccuracy = MeanMetricWrapper;
/** How often the predicted class matches the integer label. Args: `name` (defaults to 'sparse_categorical_accuracy'). */
export const SparseCategoricalAccuracy = namedMetric('SparseCategoricalAccuracy', sparse_categorical_accuracy, 'sparse_categorical_accuracy', {
  rule: 'sparse',
  otherLabels: 'CategoricalAccuracy',
});
export type SparseCategoricalAccuracy = MeanMetricWrapper;

const binarySchema = z.object({
  name: z.string({ message: 'must be a string' }).default('binary_accuracy'),
  threshold: z
    .number({ message: 'must be a float in [0, 1]' })
    .min(0, { message: 'must be a float in [0, 1]' })
    .max(1, { message: 'must be a float in [0, 1]' })
    .default(0.5),
});
/** Keyword arguments of `BinaryAccuracy`. */
export type BinaryAccuracyOptions = KerasOptions<typeof binarySchema>;

export class BinaryAccuracyMetric extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(...args: [BinaryAccuracyOptions?] | [string, number?]) {
    const o = parseArgs('BinaryAccuracy', binarySchema, ['name', 'threshold'], args);
    super((t, p) => binary_accuracy(t, p, o.threshold), o.name, { threshold: o.threshold }, { owner: 'BinaryAccuracy', rule: 'broadcast' });
    this.threshold = o.threshold;
  }
}
/**
 * How often `y_pred > threshold` matches the 0/1 label. Args: `name` (defaults to
 * 'binary_accuracy'), `threshold` (defaults to 0.5).
 */
export const BinaryAccuracy = callable(BinaryAccuracyMetric);
export type BinaryAccuracy = BinaryAccuracyMetric;

const topKSchema = (defaultName: string) =>
  z.object({
    k: z.number({ message: 'must be a positive integer' }).int({ message: 'must be a positive integer' }).positive({ message: 'must be a positive integer' }).default(5),
    name: z.string({ message: 'must be a string' }).default(defaultName),
  });

/** A top-k accuracy class: `k` and `name`, positional in that order as in Keras. */
function topKMetric(
  className: string,
  fn: (t: tf.Tensor, p: tf.Tensor, k: number) => tf.Tensor,
  defaultName: string,
  shapes: Omit<MetricShapes, 'owner'>,
): CallableClass<[KerasOptions<ReturnType<typeof topKSchema>>?] | [number, string?], MeanMetricWrapper & { readonly k: number }> {
  const schema = topKSchema(defaultName);
  const cls = class extends MeanMetricWrapper {
    readonly k: number;
    constructor(...args: [KerasOptions<typeof schema>?] | [number, string?]) {
      const o = parseArgs(className, schema, ['k', 'name'], args);
      super((t, p) => fn(t, p, o.k), o.name, { k: o.k }, { owner: className, ...shapes });
      this.k = o.k;
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** How often the one-hot label's class is among the `k` highest predictions. Args: `k` (defaults to 5), `name`. */
export const TopKCategoricalAccuracy = topKMetric('TopKCategoricalAccuracy', top_k_categorical_accuracy, 'top_k_categorical_accuracy', {
  rule: 'same',
  otherLabels: 'SparseTopKCategoricalAccuracy',
});
export type TopKCategoricalAccuracy = MeanMetricWrapper & { readonly k: number };
/** How often the integer label's class is among the `k` highest predictions. Args: `k` (defaults to 5), `name`. */
export const SparseTopKCategoricalAccuracy = topKMetric(
  'SparseTopKCategoricalAccuracy',
  sparse_top_k_categorical_accuracy,
  'sparse_top_k_categorical_accuracy',
  { rule: 'sparse', otherLabels: 'TopKCategoricalAccuracy' },
);
export type SparseTopKCategoricalAccuracy = MeanMetricWrapper & { readonly k: number };
