/**
 * Keras's confusion-matrix metrics: `Precision`, `Recall` and `AUC`. Each batch adds
 * its weighted true/false positive/negative counts per threshold to state tensors; the
 * host reads them once, in `result()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { disposeWhenCollected, forgetOwner } from '../backend/collect.js';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { epsilon } from '../backend/index.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import { Accumulator, Metric } from './metric.js';
import { checkMetricShapes } from './shapes.js';

/**
 * Weighted confusion counts at each threshold (a prediction is positive when
 * `y_pred > threshold`): true and false positives per threshold, and the totals of
 * positive and negative labels, from which the negatives follow.
 */
class ConfusionCounts {
  // Row 0: true positives, row 1: false positives, one column per threshold.
  private readonly predictedPositive: Accumulator;
  // [weighted count of positive labels, of negative labels].
  private readonly labelTotals = new Accumulator([2]);
  private readonly thresholdRow: tf.Tensor;

  constructor(readonly thresholds: readonly number[]) {
    this.thresholdRow = tf.keep(tf.tensor2d([...thresholds], [1, thresholds.length]));
    disposeWhenCollected(this, [this.thresholdRow]);
    this.predictedPositive = new Accumulator([2, thresholds.length]);
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const weights = sampleWeight === undefined ? tf.ones(yTrue.shape) : weightsLike(sampleWeight, yTrue);
      const positives = tf.reshape(tf.mul(tf.cast(yTrue, 'float32'), weights), [1, -1]);
      const both = tf.concat([positives, tf.sub(tf.reshape(weights, [1, -1]), positives)], 0);
      const isPositive = tf.cast(tf.greater(tf.reshape(yPred, [-1, 1]), this.thresholdRow), 'float32');
      // [2, N] × [N, T]: the weighted positives and negatives predicted positive at each threshold.
      this.predictedPositive.add(tf.matMul(both, isPositive));
      this.labelTotals.add(tf.sum(both, 1));
    });
  }

  read(): { tp: Float32Array; fp: Float32Array; fn: Float32Array; tn: Float32Array } {
    const t = this.thresholds.length;
    const counts = this.predictedPositive.read();
    const totals = this.labelTotals.read();
    const positives = totals[0]!;
    const negatives = totals[1]!;
    const tp = counts.slice(0, t);
    const fp = counts.slice(t);
    return { tp, fp, fn: tp.map((v) => positives - v), tn: fp.map((v) => negatives - v) };
  }

  reset(): void {
    this.predictedPositive.reset();
    this.labelTotals.reset();
  }

  dispose(): void {
    this.predictedPositive.dispose();
    this.labelTotals.dispose();
    this.thresholdRow.dispose();
    forgetOwner(this);
  }
}

/** Sample weights of shape [N] (or [N, 1]) spread over every value of its sample, as Keras broadcasts them. */
function weightsLike(sampleWeight: tf.Tensor, yTrue: tf.Tensor): tf.Tensor {
  const trailingOnes = Array<number>(Math.max(0, yTrue.rank - sampleWeight.rank)).fill(1);
  return tf.broadcastTo(tf.reshape(tf.cast(sampleWeight, 'float32'), [...sampleWeight.shape, ...trailingOnes]), yTrue.shape);
}

const divideNoNan = (a: number, b: number) => (b === 0 ? 0 : a / b);

function optionalWeights(sample_weight: TensorInput | null | undefined): tf.Tensor | undefined {
  return sample_weight === undefined || sample_weight === null ? undefined : convertToTensor(sample_weight);
}

/** Labels and predictions as tensors, checked by `metric` (the same shape, up to a trailing 1). */
function labelsAndPredictions(metric: Metric, y_true: TensorInput, y_pred: TensorInput): [tf.Tensor, tf.Tensor] {
  const t = convertToTensor(y_true);
  const p = convertToTensor(y_pred);
  metric.assertInputsCompatible(t.shape, p.shape);
  return [t, p];
}

const precisionRecallSchema = (name: string) =>
  z.object({
    thresholds: z
      .number({ message: 'must be a float in [0, 1]' })
      .min(0, { message: 'must be a float in [0, 1]' })
      .max(1, { message: 'must be a float in [0, 1]' })
      .nullable()
      .default(null),
    class_id: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0, { message: 'must be >= 0' }).nullable().default(null),
    name: z.string({ message: 'must be a string' }).default(name),
  });
/** Keyword arguments of `Precision` and `Recall`. */
export type PrecisionRecallOptions = KerasOptions<ReturnType<typeof precisionRecallSchema>>;

/** Shared by Precision and Recall: counts at one threshold, optionally of one class's column. */
abstract class ThresholdMetric extends Metric {
  protected readonly counts: ConfusionCounts;
  readonly thresholds: number;
  readonly class_id: number | null;

  constructor(
    private readonly className: string,
    defaultName: string,
    args: [PrecisionRecallOptions?] | [number | null, ...unknown[]],
  ) {
    const o = parseArgs(className, precisionRecallSchema(defaultName), ['thresholds', 'top_k', 'class_id', 'name'], args);
    super(o.name);
    this.thresholds = o.thresholds ?? 0.5;
    this.class_id = o.class_id;
    this.counts = new ConfusionCounts([this.thresholds]);
  }

  override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
    checkMetricShapes({ owner: this.className, rule: 'same' }, this.name, yTrue, yPred);
  }

  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      let [t, p] = labelsAndPredictions(this, y_true, y_pred);
      if (this.class_id !== null) {
        t = tf.gather(t, [this.class_id], -1);
        p = tf.gather(p, [this.class_id], -1);
      }
      this.counts.update(t, p, optionalWeights(sample_weight));
    });
  }

  override reset_state(): void {
    this.counts.reset();
  }

  override dispose(): void {
    this.counts.dispose();
    super.dispose();
  }

  override get_config(): Record<string, unknown> {
    return { name: this.name, thresholds: this.thresholds, class_id: this.class_id };
  }
}

export class PrecisionMetric extends ThresholdMetric {
  constructor(...args: [PrecisionRecallOptions?] | [number | null, ...unknown[]]) {
    super('Precision', 'precision', args);
  }
  /** TP / (TP + FP), 0 when nothing was predicted positive. */
  result(): number {
    const { tp, fp } = this.counts.read();
    return divideNoNan(tp[0]!, tp[0]! + fp[0]!);
  }
}
/**
 * Of the predictions above `thresholds` (defaults to 0.5), the fraction that are true.
 * Args: `thresholds` (one float in [0, 1]), `class_id` (score one column only), `name`.
 */
export const Precision = callable(PrecisionMetric);
export type Precision = PrecisionMetric;

export class RecallMetric extends ThresholdMetric {
  constructor(...args: [PrecisionRecallOptions?] | [number | null, ...unknown[]]) {
    super('Recall', 'recall', args);
  }
  /** TP / (TP + FN), 0 when there were no positives. */
  result(): number {
    const { tp, fn } = this.counts.read();
    return divideNoNan(tp[0]!, tp[0]! + fn[0]!);
  }
}
/**
 * Of the true labels, the fraction predicted above `thresholds` (defaults to 0.5).
 * Args: `thresholds` (one float in [0, 1]), `class_id`, `name`.
 */
export const Recall = callable(RecallMetric);
export type Recall = RecallMetric;

const countSchema = (name: string) =>
  z.object({
    thresholds: z
      .number({ message: 'must be a float in [0, 1]' })
      .min(0, { message: 'must be a float in [0, 1]' })
      .max(1, { message: 'must be a float in [0, 1]' })
      .nullable()
      .default(null),
    name: z.string({ message: 'must be a string' }).default(name),
  });
/** Keyword arguments of `TruePositives`, `FalsePositives`, `TrueNegatives` and `FalseNegatives`. */
export type ConfusionCountOptions = KerasOptions<ReturnType<typeof countSchema>>;

/** One of the four confusion counts at a threshold (defaults to 0.5), as a metric. */
function countMetric(
  className: string,
  defaultName: string,
  pick: (c: ReturnType<ConfusionCounts['read']>) => number,
): CallableClass<[ConfusionCountOptions?] | [number | null, string?], Metric & { readonly thresholds: number }> {
  const cls = class extends Metric {
    private readonly counts: ConfusionCounts;
    readonly thresholds: number;
    constructor(...args: [ConfusionCountOptions?] | [number | null, string?]) {
      const o = parseArgs(className, countSchema(defaultName), ['thresholds', 'name'], args);
      super(o.name);
      this.thresholds = o.thresholds ?? 0.5;
      this.counts = new ConfusionCounts([this.thresholds]);
    }
    override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
      checkMetricShapes({ owner: className, rule: 'same' }, this.name, yTrue, yPred);
    }
    update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
      tf.tidy(() => this.counts.update(...labelsAndPredictions(this, y_true, y_pred), optionalWeights(sample_weight)));
    }
    /** The weighted count (a prediction is positive when `y_pred > thresholds`). */
    result(): number {
      return pick(this.counts.read());
    }
    override reset_state(): void {
      this.counts.reset();
    }
    override dispose(): void {
      this.counts.dispose();
      super.dispose();
    }
    override get_config(): Record<string, unknown> {
      return { name: this.name, thresholds: this.thresholds };
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** Weighted count of positive labels predicted positive. Args: `thresholds` (defaults to 0.5), `name`. */
export const TruePositives = countMetric('TruePositives', 'true_positives', (c) => c.tp[0]!);
export type TruePositives = Metric & { readonly thresholds: number };
/** Weighted count of negative labels predicted positive. Args: `thresholds` (defaults to 0.5), `name`. */
export const FalsePositives = countMetric('FalsePositives', 'false_positives', (c) => c.fp[0]!);
export type FalsePositives = Metric & { readonly thresholds: number };
/** Weighted count of negative labels predicted negative. Args: `thresholds` (defaults to 0.5), `name`. */
export const TrueNegatives = countMetric('TrueNegatives', 'true_negatives', (c) => c.tn[0]!);
export type TrueNegatives = Metric & { readonly thresholds: number };
/** Weighted count of positive labels predicted negative. Args: `thresholds` (defaults to 0.5), `name`. */
export const FalseNegatives = countMetric('FalseNegatives', 'false_negatives', (c) => c.fn[0]!);
export type FalseNegatives = Metric & { readonly thresholds: number };

const aucSchema = z.object({
  num_thresholds: z
    .number({ message: 'must be an integer > 1' })
    .int({ message: 'must be an integer > 1' })
    .min(2, { message: 'must be an integer > 1' })
    .default(200),
  curve: z.enum(['ROC', 'PR'], { message: "must be one of 'ROC', 'PR'" }).default('ROC'),
  summation_method: z
    .enum(['interpolation', 'minoring', 'majoring'], { message: "must be one of 'interpolation', 'minoring', 'majoring'" })
    .default('interpolation'),
  name: z.string({ message: 'must be a string' }).default('auc'),
  thresholds: z
    .array(z.number({ message: 'must be a list of floats in [0, 1]' }).min(0, { message: 'must be a list of floats in [0, 1]' }).max(1, { message: 'must be a list of floats in [0, 1]' }), {
      message: 'must be a list of floats in [0, 1]',
    })
    .nullable()
    .default(null),
  from_logits: z.boolean({ message: 'must be a boolean' }).default(false),
});
/** Keyword arguments of `AUC`. */
export type AUCOptions = KerasOptions<typeof aucSchema>;

export class AUCMetric extends Metric {
  private readonly counts: ConfusionCounts;
  readonly num_thresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summation_method: 'interpolation' | 'minoring' | 'majoring';
  readonly from_logits: boolean;
  private readonly givenThresholds: number[] | null;

  constructor(...args: [AUCOptions?] | [number, ('ROC' | 'PR')?, ('interpolation' | 'minoring' | 'majoring')?, string?]) {
    const o = parseArgs('AUC', aucSchema, ['num_thresholds', 'curve', 'summation_method', 'name', 'thresholds'], args);
    super(o.name);
    this.curve = o.curve;
    this.summation_method = o.summation_method;
    this.from_logits = o.from_logits;
    this.givenThresholds = o.thresholds;
    // Keras's thresholds: evenly spaced inside (0, 1), plus −ε and 1 + ε so every prediction lands in a bucket.
    const inner = o.thresholds
      ? [...o.thresholds].sort((a, b) => a - b)
      : Array.from({ length: o.num_thresholds - 2 }, (_, i) => (i + 1) / (o.num_thresholds - 1));
    this.num_thresholds = inner.length + 2;
    this.counts = new ConfusionCounts([-epsilon(), ...inner, 1 + epsilon()]);
  }

  override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
    checkMetricShapes({ owner: 'AUC', rule: 'same' }, this.name, yTrue, yPred);
  }

  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      const [t, p] = labelsAndPredictions(this, y_true, y_pred);
      this.counts.update(t, this.from_logits ? tf.sigmoid(p) : p, optionalWeights(sample_weight));
    });
  }

  /** The area under the ROC or PR curve by a Riemann sum over the thresholds, as Keras computes it. */
  result(): number {
    const { tp, fp, fn, tn } = this.counts.read();
    const n = this.num_thresholds;
    if (this.curve === 'PR' && this.summation_method === 'interpolation') return interpolatePrAuc(tp, fp, fn);
    const recall = Array.from(tp, (t, i) => divideNoNan(t, t + fn[i]!));
    const x = this.curve === 'ROC' ? Array.from(fp, (f, i) => divideNoNan(f, f + tn[i]!)) : recall;
    const y = this.curve === 'ROC' ? recall : Array.from(tp, (t, i) => divideNoNan(t, t + fp[i]!));
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const height =
        this.summation_method === 'interpolation'
          ? (y[i]! + y[i + 1]!) / 2
          : this.summation_method === 'minoring'
            ? Math.min(y[i]!, y[i + 1]!)
            : Math.max(y[i]!, y[i + 1]!);
      area += (x[i]! - x[i + 1]!) * height;
    }
    return area;
  }

  override reset_state(): void {
    this.counts.reset();
  }

  override dispose(): void {
    this.counts.dispose();
    super.dispose();
  }

  override get_config(): Record<string, unknown> {
    return {
      name: this.name,
      num_thresholds: this.num_thresholds,
      curve: this.curve,
      summation_method: this.summation_method,
      thresholds: this.givenThresholds,
      from_logits: this.from_logits,
    };
  }
}

/**
 * Keras's PR-AUC interpolation (Davis & Goadrich 2006): precision varies between thresholds as
 * TP and predicted positives P vary linearly, which integrates to
 * slope · (ΔTP + intercept · log(P_A / P_B)) / (TP + FN) per interval.
 */
function interpolatePrAuc(tp: Float32Array, fp: Float32Array, fn: Float32Array): number {
  let area = 0;
  for (let i = 0; i < tp.length - 1; i++) {
    const dtp = tp[i]! - tp[i + 1]!;
    const pA = tp[i]! + fp[i]!;
    const pB = tp[i + 1]! + fp[i + 1]!;
    const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
    const intercept = tp[i + 1]! - slope * pB;
    const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
    area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
  }
  return area;
}

/**
 * Area under the ROC curve (or the precision-recall curve with `curve: 'PR'`), from counts at
 * `num_thresholds` (defaults to 200) thresholds. Args: `num_thresholds`, `curve` ('ROC' or 'PR'),
 * `summation_method` ('interpolation', 'minoring' or 'majoring'), `name`, `thresholds` (a list
 * replacing the evenly spaced ones), `from_logits` (apply a sigmoid first).
 */
export const AUC = callable(AUCMetric);
export type AUC = AUCMetric;
