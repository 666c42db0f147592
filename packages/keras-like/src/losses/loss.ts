/**
 * What every loss shares: the engine-facing `LossFunction`, the per-loss `LossSpec`
 * (forward and hand-written derivative side by side), Keras's reductions, and the
 * `Loss` base class of `keras.losses.MeanSquaredError` & co.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { CallableInstance } from '../utils/callable_instance.js';

/**
 * What the engine uses (docs/architecture.md, "Loss"). `call` is Keras's per-sample loss;
 * `gradient` is ∂/∂yPred of the reduced loss, by default Keras's
 * `sum_over_batch_size`: sum_i(w_i · l_i) / M, M the number of per-sample values.
 */
export interface LossFunction {
  /** Keras's name: 'mean_squared_error', 'binary_crossentropy', ... */
  readonly name: string;
  /** How `gradient` and `reduce` combine the per-sample values. */
  readonly reduction: Reduction;
  /** Per-sample loss: shape `yPred.shape` without its last axis. */
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** ∂/∂yPred of the reduced loss; same shape as `yPred`. */
  gradient(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor;
  /**
   * When the output activation is the one this loss reads logits from (sigmoid for binary
   * crossentropy, softmax for the categorical ones), ∂loss/∂z straight from the logits `z`
   * (a = activation(z)), as Keras's TensorFlow backend does through `_keras_logits`.
   * `undefined` for any other activation: use `gradient` and the activation's backward.
   */
  logitsGradient?(activation: string, yTrue: tf.Tensor, z: tf.Tensor, a: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor | undefined;
  /** The per-sample loss computed from the logits in that same case (what Keras reports then). */
  logitsCall?(activation: string, yTrue: tf.Tensor, z: tf.Tensor): tf.Tensor | undefined;
  /** Reduces per-sample values to the scalar loss, with optional sample weights. */
  reduce(values: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor;
  /**
   * Checks targets once per `fit`/`evaluate` (it reads them back from the backend), e.g. that
   * sparse labels are integers in [0, classes). Throws a ValueError; absent when there is nothing to check.
   */
  checkTargets?(yTrue: tf.Tensor, yPredShape: readonly number[]): void;
}

/** Keras 3's reductions (`None` is `null` or 'none'). */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

/**
 * What multiplies each sample's derivative: `w_i / M` as a number when every sample
 * weighs the same (no extra op), or a tensor that broadcasts against `yPred`.
 */
export type Coefficient = number | tf.Tensor;

/** `c · k`, folding numbers together so no op is spent on a constant. */
export function scaled(c: Coefficient, k: number): Coefficient {
  if (typeof c === 'number') return c * k;
  return k === 1 ? c : tf.mul(c, k);
}

/** `x · c`, skipping the multiply when `c` is 1. */
export function times(x: tf.Tensor, c: Coefficient): tf.Tensor {
  return c === 1 ? x : tf.mul(x, c);
}

/** A Keras loss function: its per-sample forward and its derivative, written side by side. */
export interface LossSpec {
  readonly name: string;
  /** Per-sample loss; `yTrue` and `yPred` are float32 and of the same rank (sparse: see its spec). */
  perSample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** `c ⊙ ∂l/∂yPred`, where `c` multiplies each sample's loss (broadcast over the reduced axis). */
  derivative(yTrue: tf.Tensor, yPred: tf.Tensor, c: Coefficient): tf.Tensor;
  /** The same loss read from the logits of `activation` (Keras's `_keras_logits`). */
  readonly logits?: {
    readonly activation: 'sigmoid' | 'softmax';
    perSample(yTrue: tf.Tensor, z: tf.Tensor): tf.Tensor;
    derivative(yTrue: tf.Tensor, z: tf.Tensor, a: tf.Tensor, c: Coefficient): tf.Tensor;
  };
  /** True for sparse losses: `yTrue` holds class indices, one fewer axis than `yPred`. */
  readonly sparse?: boolean;
  checkTargets?(yTrue: tf.Tensor, yPredShape: readonly number[]): void;
}

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when ranks differ by one and the longer
 * tensor ends in a 1, expand a rank-1 partner or squeeze that trailing 1.
 */
export function sameRank(x1: tf.Tensor, x2: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (x1.rank === x2.rank + 1 && x1.shape[x1.rank - 1] === 1) {
    return x2.rank === 1 ? [x1, tf.expandDims(x2, -1)] : [tf.squeeze(x1, [-1]), x2];
  }
  if (x2.rank === x1.rank + 1 && x2.shape[x2.rank - 1] === 1) {
    return x1.rank === 1 ? [tf.expandDims(x1, -1), x2] : [x1, tf.squeeze(x2, [-1])];
  }
  return [x1, x2];
}

/** Keras's `reduce_weighted_values`: weight the per-sample values, then reduce them. */
export function reduceValues(values: tf.Tensor, sampleWeight: tf.Tensor | undefined, reduction: Reduction): tf.Tensor {
  return tf.tidy(() => {
    let weighted = values;
    let weights = sampleWeight;
    if (weights !== undefined) {
      [weighted, weights] = sameRank(values, tf.cast(weights, 'float32'));
      weighted = tf.mul(weighted, weights);
    }
    if (reduction === 'none' || weighted.rank === 0 || weighted.shape[0] === 0) return weighted;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total;
    if (reduction === 'mean_with_sample_weight' && weights !== undefined) {
      // Keras's divide_no_nan, built from ops autodiff can follow (tf.divNoNan's `equal` cannot).
      const weightSum = tf.sum(weights);
      return tf.div(total, tf.where(tf.equal(weightSum, 0), tf.onesLike(weightSum), weightSum));
    }
    return tf.div(total, weighted.size);
  });
}

/**
 * The coefficient `∂(reduced loss)/∂l_i` for a batch whose per-sample loss has
 * `lossShape`, as a tensor shaped to broadcast against yPred (a 1 where the reduced axis was).
 */
export function lossCoefficient(lossShape: readonly number[], sampleWeight: tf.Tensor | undefined, reduction: Reduction): Coefficient {
  const count = lossShape.reduce((a, b) => a * b, 1);
  const perSample = reduction === 'sum' ? 1 : 1 / Math.max(count, 1);
  if (sampleWeight === undefined) return perSample;
  // One weight per sample, as a column that broadcasts over the reduced axis (a scalar weighs every sample).
  const w = sampleWeight.size === 1 ? tf.cast(sampleWeight, 'float32') : tf.reshape(tf.cast(sampleWeight, 'float32'), [...lossShape, 1]);
  if (reduction === 'mean_with_sample_weight') {
    const weightSum = tf.sum(w);
    return tf.div(w, tf.where(tf.equal(weightSum, 0), tf.onesLike(weightSum), weightSum));
  }
  return tf.mul(w, perSample);
}

/** Converts `y_true`/`y_pred` to float32 tensors of the same rank, as Keras's loss functions do. */
export function prepare(yTrue: TensorInput, yPred: TensorInput, sparse = false): [tf.Tensor, tf.Tensor] {
  const p = convertToTensor(yPred);
  const t = convertToTensor(yTrue);
  return sparse ? [t, p] : sameRank(t, p);
}

const REDUCTIONS = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'] as const;

/** Keras's `reduction` argument: one of its reductions, `null` meaning 'none'. */
export const reductionField = z
  .enum(REDUCTIONS, { message: `must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')} or null` })
  .nullable()
  .default('sum_over_batch_size')
  .transform((r): Reduction => r ?? 'none');

const lossBaseSchema = z.object({
  name: z.string({ message: 'must be a string' }).nullable().default(null),
  reduction: reductionField,
});
/** Keyword arguments of the `Loss` base class. */
export type LossBaseOptions = KerasOptions<typeof lossBaseSchema>;

/** `MyCustomLoss` → `my_custom_loss` (Keras's `to_snake_case`). */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The call signature of a loss instance: Python's `loss(y_true, y_pred, sample_weight=None)`. */
export interface Loss {
  (y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput): tf.Tensor;
}

/**
 * Base class of `keras.losses.*` classes (Keras's `keras.losses.Loss`). An instance is called
 * like a function, `loss(y_true, y_pred, sample_weight?)` → the reduced (scalar) loss; `call`
 * gives the per-sample values, as in Keras.
 */
export abstract class Loss extends CallableInstance {
  readonly name: string;
  readonly reduction: Reduction;

  /**
   * Args, positional or as one object: `name` (defaults to the class name in snake_case,
   * as Keras's `auto_name`), `reduction` (defaults to 'sum_over_batch_size'). A subclass
   * calls `super({ name: 'my_loss' })` and implements `call`.
   */
  constructor(...args: [LossBaseOptions?] | [string | null, (Reduction | null)?]) {
    super();
    const options = parseArgs(new.target.name || 'Loss', lossBaseSchema, ['name', 'reduction'], args);
    this.name = options.name ?? snakeCase(new.target.name || 'loss');
    this.reduction = options.reduction;
  }

  /** Per-sample loss values (Keras's `Loss.call`). */
  abstract call(y_true: TensorInput, y_pred: TensorInput): tf.Tensor;

  /** Keras's constructor arguments, enough to rebuild the loss with `from_config`. */
  get_config(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  /** `loss(y_true, y_pred, sample_weight?)`: the loss reduced with `reduction`. */
  __call__(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const weights = sample_weight === undefined || sample_weight === null ? undefined : convertToTensor(sample_weight);
      return reduceValues(this.call(y_true, y_pred), weights, this.reduction);
    });
  }
}
