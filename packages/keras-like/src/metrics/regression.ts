/**
 * Keras's regression metrics (mostly the running mean of a loss function per sample),
 * `RootMeanSquaredError`, `CosineSimilarity` and `Mean`.
 */
import { z } from 'zod';
import * as lossFns from '../losses/functions.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import * as tf from '@tensorflow/tfjs-core';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { prepare } from '../losses/loss.js';
import { logCosh } from '../losses/regression.js';
import { ValueError } from '../errors.js';
import { Accumulator, MeanMetric, MeanMetricWrapper, MeanState, Metric } from './metric.js';
import { type MetricNameOptions, lossMetric, nameOnly } from './named.js';
import { checkMetricShapes, sameRankShapes } from './shapes.js';

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

export class MeanClass extends MeanMetric {
  constructor(...args: [MetricNameOptions?] | [string]) {
    super(parseArgs('Mean', nameOnly('mean'), ['name'], args).name);
  }
}
/** The (weighted) mean of the values given to `update_state(values, sample_weight?)`. Args: `name` (defaults to 'mean'). */
export const Mean: CallableClass<[MetricNameOptions?] | [string], MeanMetric> = callable(MeanClass);
export type Mean = MeanMetric;


/** Mean of `log(cosh(y_pred - y_true))`. Args: `name` (defaults to 'logcosh', Keras's name). */
export const LogCoshError = lossMetric('LogCoshError', (t, p) => logCosh.perSample(...prepare(t, p)), 'logcosh');
export type LogCoshError = MeanMetricWrapper;

export class RootMeanSquaredErrorMetric extends Metric {
  private readonly state = new MeanState();
  constructor(...args: [MetricNameOptions?] | [string]) {
    super(parseArgs('RootMeanSquaredError', nameOnly('root_mean_squared_error'), ['name'], args).name);
  }
  override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
    checkMetricShapes({ owner: 'RootMeanSquaredError', rule: 'broadcast' }, this.name, yTrue, yPred);
  }
  /** Adds the squared errors of a batch (their mean per sample, weighted by `sample_weight`). */
  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      const [yTrue, yPred] = [convertToTensor(y_true), convertToTensor(y_pred)];
      this.assertInputsCompatible(yTrue.shape, yPred.shape);
      const [t, p] = prepare(yTrue, yPred);
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
    super.dispose();
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

export class CosineSimilarityMetric extends MeanMetricWrapper {
  readonly axis: number;
  constructor(...args: [CosineSimilarityMetricOptions?] | [string, number?]) {
    const o = parseArgs('CosineSimilarity', cosineSchema, ['name', 'axis'], args);
    super((t, p) => cosine_similarity(t, p, o.axis), o.name, { axis: o.axis }, { owner: 'CosineSimilarity', rule: 'broadcast' });
    this.axis = o.axis;
  }
}
/** The mean cosine similarity of targets and predictions along `axis` (defaults to -1). Args: `name`, `axis`. */
export const CosineSimilarity = callable(CosineSimilarityMetric);
export type CosineSimilarity = CosineSimilarityMetric;

const r2Schema = z.object({
  class_aggregation: z
    .enum(['uniform_average', 'variance_weighted_average'], { message: "must be one of 'uniform_average', 'variance_weighted_average'" })
    .default('uniform_average'),
  num_regressors: z.number({ message: 'must be an integer >= 0' }).int({ message: 'must be an integer >= 0' }).min(0, { message: 'must be an integer >= 0' }).default(0),
  name: z.string({ message: 'must be a string' }).default('r2_score'),
});
/** Keyword arguments of `R2Score`. */
export type R2ScoreOptions = KerasOptions<typeof r2Schema>;

export class R2ScoreMetric extends Metric {
  readonly class_aggregation: 'uniform_average' | 'variance_weighted_average';
  readonly num_regressors: number;
  // Rows per output column: Σw·y, Σw·y², Σw·(y − ŷ)², Σw; made on the first batch, when the columns are known.
  private sums: Accumulator | null = null;
  private readonly weightedSamples = new Accumulator();
  private samples = 0;

  constructor(...args: [R2ScoreOptions?] | [('uniform_average' | 'variance_weighted_average')?, number?, string?]) {
    const o = parseArgs('R2Score', r2Schema, ['class_aggregation', 'num_regressors', 'name'], args);
    super(o.name);
    this.class_aggregation = o.class_aggregation;
    this.num_regressors = o.num_regressors;
  }

  /** Keras's 2-D check (after a trailing 1 is added or dropped), then the same shape. */
  override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
    const [t, p] = sameRankShapes(yTrue, yPred);
    if (t.length !== 2 || p.length !== 2) {
      throw new ValueError(
        `R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=[${p.join(', ')}] and y_true.shape=[${t.join(', ')}].`,
      );
    }
    checkMetricShapes({ owner: 'R2Score', rule: 'same' }, this.name, t, p);
  }

  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      const [t, p] = prepare(y_true, y_pred);
      this.assertInputsCompatible(t.shape, p.shape);
      this.sums ??= new Accumulator([4, t.shape[1]!]);
      let w: tf.Tensor = tf.onesLike(t);
      if (sample_weight !== undefined && sample_weight !== null) {
        const given = convertToTensor(sample_weight);
        w = tf.broadcastTo(given.rank === 1 ? tf.expandDims(given, 1) : given, t.shape);
        // Keras counts the samples with any non-zero weight (for the adjusted score).
        this.weightedSamples.add(tf.sum(tf.cast(tf.any(tf.notEqual(w, 0), -1), 'float32')));
      } else {
        this.samples += t.shape[0]!;
      }
      const wy = tf.mul(t, w);
      this.sums.add(tf.stack([tf.sum(wy, 0), tf.sum(tf.mul(t, wy), 0), tf.sum(tf.mul(tf.squaredDifference(t, p), w), 0), tf.sum(w, 0)]));
    });
  }

  /** 1 − SS_res / SS_tot per column, averaged (or weighted by variance); adjusted for `num_regressors` when set. */
  result(): number {
    if (this.sums === null) return 0;
    const columns = this.sums.read();
    const c = columns.length / 4;
    const raw: number[] = [];
    const totals: number[] = [];
    for (let j = 0; j < c; j++) {
      const [sum, squares, residual, count] = [columns[j]!, columns[c + j]!, columns[2 * c + j]!, columns[3 * c + j]!];
      const total = squares - (sum * sum) / count;
      const score = 1 - residual / total;
      raw.push(Number.isFinite(score) || Number.isNaN(score) ? score : 0);
      totals.push(total);
    }
    let r2 =
      this.class_aggregation === 'uniform_average'
        ? raw.reduce((a, b) => a + b, 0) / c
        : raw.reduce((a, s, j) => a + s * totals[j]!, 0) / totals.reduce((a, b) => a + b, 0);
    const n = this.samples + this.weightedSamples.read()[0]!;
    if (this.num_regressors !== 0 && this.num_regressors < n - 1) {
      r2 = 1 - ((1 - r2) * (n - 1)) / (n - this.num_regressors - 1);
    }
    return r2;
  }

  override reset_state(): void {
    this.sums?.reset();
    this.weightedSamples.reset();
    this.samples = 0;
  }

  override dispose(): void {
    this.sums?.dispose();
    this.weightedSamples.dispose();
    super.dispose();
  }

  override get_config(): Record<string, unknown> {
    return { name: this.name, class_aggregation: this.class_aggregation, num_regressors: this.num_regressors };
  }
}
/**
 * The coefficient of determination R² = 1 − SS_res / SS_tot of each output column, then
 * `class_aggregation` ('uniform_average', the default, or 'variance_weighted_average');
 * `num_regressors` > 0 gives the adjusted R². Inputs are [batch, outputs].
 */
export const R2Score = callable(R2ScoreMetric);
export type R2Score = R2ScoreMetric;
