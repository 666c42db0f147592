/**
 * Keras's regression metrics (mostly the running mean of a loss function per sample),
 * `RootMeanSquaredError`, `CosineSimilarity` and `Mean`.
 */
import { z } from 'zod';
import * as lossFns from '../losses/functions.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import * as tf from '@tensorflow/tfjs-core';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { prepare } from '../losses/loss.js';
import { logCosh } from '../losses/regression.js';
import { MeanMetric, MeanMetricWrapper, MeanState, Metric } from './metric.js';
import { type MetricNameOptions, lossMetric, nameOnly } from './named.js';

/** Mean of `(y_true - y_pred)²`. Args: `name` (defaults to 'mean_squared_error'). */
export const MeanSquaredError = lossMetric('MeanSquaredError', lossFns.mean_squared_error, 'mean_squared_error');
export type MeanSquaredError = MeanMetricWrapper;
/** Mean of `|y_true - y_pred|`. Args: `name` (defaults to 'mean_absolute_error'). */
export const MeanAbsoluteError = lossMetric('MeanAbsoluteError', lossFns.mean_absolute_error, 'mean_absolute_error');
export type MeanAbsoluteError = MeanMetricWrapper;
/** Mean absolute percentage error. Args: `name` (defaults to 'mean_absolute_percentage_error'). */
export const MeanAbsolutePercentageError = lossMetric(
  'MeanAbsolutePercentageError',
  lossFns.mean_absolute_percentage_error,
  'mean_absolute_percentage_error',
);
export type MeanAbsolutePercentageError = MeanMetricWrapper;
/** Mean squared logarithmic error. Args: `name` (defaults to 'mean_squared_logarithmic_error'). */
export const MeanSquaredLogarithmicError = lossMetric(
  'MeanSquaredLogarithmicError',
  lossFns.mean_squared_logarithmic_error,
  'mean_squared_logarithmic_error',
);
export type MeanSquaredLogarithmicError = MeanMetricWrapper;

class MeanClass extends MeanMetric {
  constructor(...args: [MetricNameOptions?] | [string]) {
    super(parseArgs('Mean', nameOnly('mean'), ['name'], args).name);
  }
}
/** The (weighted) mean of the values given to `update_state(values, sample_weight?)`. Args: `name` (defaults to 'mean'). */
export const Mean = callable(MeanClass);
export type Mean = MeanMetric;


/** Mean of `log(cosh(y_pred - y_true))`. Args: `name` (defaults to 'logcosh', Keras's name). */
export const LogCoshError = lossMetric('LogCoshError', (t, p) => logCosh.perSample(...prepare(t, p)), 'logcosh');
export type LogCoshError = MeanMetricWrapper;

class RootMeanSquaredErrorMetric extends Metric {
  private readonly state = new MeanState();
  constructor(...args: [MetricNameOptions?] | [string]) {
    super(parseArgs('RootMeanSquaredError', nameOnly('root_mean_squared_error'), ['name'], args).name);
  }
  /** Adds the squared errors of a batch (their mean per sample, weighted by `sample_weight`). */
  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      const [t, p] = prepare(y_true, y_pred);
      const weights = sample_weight === undefined || sample_weight === null ? undefined : convertToTensor(sample_weight);
      this.state.update(tf.squaredDifference(p, t), weights);
    });
  }
  /** `sqrt(mean((y_pred - y_true)²))` over everything seen. */
  result(): number {
    return Math.sqrt(this.state.result());
  }
  override reset_state(): void {
    this.state.reset();
  }
  override dispose(): void {
    this.state.dispose();
  }
}
/** `sqrt(mean((y_pred - y_true)²))`. Args: `name` (defaults to 'root_mean_squared_error'). */
export const RootMeanSquaredError = callable(RootMeanSquaredErrorMetric);
export type RootMeanSquaredError = RootMeanSquaredErrorMetric;

/**
 * `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: +1 for vectors pointing the same
 * way (the metric has the opposite sign of the loss `keras.losses.cosine_similarity`).
 */
export function cosine_similarity(y_true: TensorInput, y_pred: TensorInput, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = prepare(convertToTensor(y_true), convertToTensor(y_pred));
    return tf.neg(lossFns.cosine_similarity(t, p, { axis }));
  });
}

const cosineSchema = z.object({
  name: z.string({ message: 'must be a string' }).default('cosine_similarity'),
  axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1),
});
/** Keyword arguments of the `CosineSimilarity` metric. */
export type CosineSimilarityMetricOptions = KerasOptions<typeof cosineSchema>;

class CosineSimilarityMetric extends MeanMetricWrapper {
  readonly axis: number;
  constructor(...args: [CosineSimilarityMetricOptions?] | [string, number?]) {
    const o = parseArgs('CosineSimilarity', cosineSchema, ['name', 'axis'], args);
    super((t, p) => cosine_similarity(t, p, o.axis), o.name, { axis: o.axis });
    this.axis = o.axis;
  }
}
/** The mean cosine similarity of targets and predictions along `axis` (defaults to -1). Args: `name`, `axis`. */
export const CosineSimilarity = callable(CosineSimilarityMetric);
export type CosineSimilarity = CosineSimilarityMetric;
