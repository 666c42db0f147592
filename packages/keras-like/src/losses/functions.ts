/**
 * Keras's loss functions, `keras.losses.mean_squared_error(y_true, y_pred)` → one value
 * per sample (the last axis reduced), on tensors, numbers or nested arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { TensorInput } from '../backend/math.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { categoricalHinge, hinge as hingeSpec, squaredHinge } from './hinge.js';
import { type LossSpec, prepare } from './loss.js';
import { binaryFocalSchema, categoricalFocalSchema, crossentropySchema, sparseSchema } from './options.js';
import { binaryFocalCrossentropySpec, categoricalFocalCrossentropySpec } from './focal.js';
import {
  binaryCrossentropySpec,
  categoricalCrossentropySpec,
  checkSparseLabels,
  klDivergence,
  poisson as poissonSpec,
  sparseCategoricalCrossentropySpec,
} from './probabilistic.js';
import {
  cosineSimilaritySpec,
  huberSpec,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from './regression.js';

function perSample(spec: LossSpec, yTrue: TensorInput, yPred: TensorInput): tf.Tensor {
  return tf.tidy(() => spec.perSample(...prepare(yTrue, yPred, spec.sparse)));
}

/** `mean(square(y_true - y_pred), axis=-1)`. */
export function mean_squared_error(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(meanSquaredError, y_true, y_pred);
}

/** `mean(abs(y_true - y_pred), axis=-1)`. */
export function mean_absolute_error(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(meanAbsoluteError, y_true, y_pred);
}

/** `100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`. */
export function mean_absolute_percentage_error(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(meanAbsolutePercentageError, y_true, y_pred);
}

/** `mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`. */
export function mean_squared_logarithmic_error(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(meanSquaredLogarithmicError, y_true, y_pred);
}

/** `mean(log(cosh(y_pred - y_true)), axis=-1)`, computed as `x + softplus(-2x) - log(2)`. */
export function log_cosh(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(logCosh, y_true, y_pred);
}

const huberSchema = z.object({ delta: z.number({ message: 'must be a float' }).positive({ message: 'must be > 0' }).default(1) });
/** Keyword arguments of `huber`. */
export type HuberOptions = KerasOptions<typeof huberSchema>;

/** Huber loss: `0.5 * e^2` where `|e| <= delta`, `delta * |e| - 0.5 * delta^2` elsewhere, averaged over the last axis. `delta` defaults to 1. */
export function huber(y_true: TensorInput, y_pred: TensorInput, options?: HuberOptions | number): tf.Tensor {
  const { delta } = parseArgs('huber', huberSchema, ['delta'], [options]);
  return perSample(huberSpec(delta), y_true, y_pred);
}

const axisSchema = z.object({ axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1) });
/** Keyword arguments of `cosine_similarity`. */
export type CosineSimilarityOptions = KerasOptions<typeof axisSchema>;

/** `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: −1 when the vectors point the same way. `axis` defaults to -1. */
export function cosine_similarity(y_true: TensorInput, y_pred: TensorInput, options?: CosineSimilarityOptions | number): tf.Tensor {
  const { axis } = parseArgs('cosine_similarity', axisSchema, ['axis'], [options]);
  return perSample(cosineSimilaritySpec(axis), y_true, y_pred);
}

/** `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; labels in {0, 1} are mapped to {−1, 1}. */
export function hinge(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(hingeSpec, y_true, y_pred);
}

/** `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; labels in {0, 1} are mapped to {−1, 1}. */
export function squared_hinge(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(squaredHinge, y_true, y_pred);
}

/** `maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)`, `neg = max((1 - y_true) * y_pred)`. */
export function categorical_hinge(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(categoricalHinge, y_true, y_pred);
}

/** `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [1e-7, 1]. */
export function kl_divergence(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(klDivergence, y_true, y_pred);
}

/** `mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`. */
export function poisson(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
  return perSample(poissonSpec, y_true, y_pred);
}

/** Keyword arguments of `binary_crossentropy` and `categorical_crossentropy`. */
export type CrossentropyOptions = KerasOptions<typeof crossentropySchema>;

/**
 * Binary crossentropy, averaged over `axis`. Args: `from_logits` (y_pred are logits;
 * defaults to false), `label_smoothing` in [0, 1] (squeezes labels towards 0.5; defaults
 * to 0), `axis` (defaults to -1).
 */
export function binary_crossentropy(
  y_true: TensorInput,
  y_pred: TensorInput,
  ...args: [CrossentropyOptions?] | [boolean, number?, number?]
): tf.Tensor {
  const options = parseArgs('binary_crossentropy', crossentropySchema, ['from_logits', 'label_smoothing', 'axis'], args);
  return perSample(binaryCrossentropySpec(options), y_true, y_pred);
}

/**
 * Categorical crossentropy between one-hot labels and predicted class probabilities (or
 * logits with `from_logits: true`); `label_smoothing` in [0, 1] mixes labels with the uniform
 * distribution. `axis` is the class axis (defaults to -1).
 */
export function categorical_crossentropy(
  y_true: TensorInput,
  y_pred: TensorInput,
  ...args: [CrossentropyOptions?] | [boolean, number?, number?]
): tf.Tensor {
  const options = parseArgs('categorical_crossentropy', crossentropySchema, ['from_logits', 'label_smoothing', 'axis'], args);
  return perSample(categoricalCrossentropySpec(options), y_true, y_pred);
}

/** Keyword arguments of `sparse_categorical_crossentropy`. */
export type SparseCrossentropyOptions = KerasOptions<typeof sparseSchema>;

/**
 * Crossentropy between integer class labels (shape [N] or [N, 1]) and predicted class
 * probabilities (or logits with `from_logits: true`). Labels outside [0, classes) or one-hot
 * labels raise a ValueError.
 */
export function sparse_categorical_crossentropy(
  y_true: TensorInput,
  y_pred: TensorInput,
  ...args: [SparseCrossentropyOptions?] | [boolean]
): tf.Tensor {
  const options = parseArgs('sparse_categorical_crossentropy', sparseSchema, ['from_logits', 'axis'], args);
  return tf.tidy(() => {
    const [t, p] = prepare(y_true, y_pred, true);
    checkSparseLabels('sparse_categorical_crossentropy', t, p.shape);
    return sparseCategoricalCrossentropySpec(options).perSample(t, p);
  });
}

/** Keyword arguments of `binary_focal_crossentropy`. */
export type BinaryFocalOptions = KerasOptions<typeof binaryFocalSchema>;

/**
 * Binary focal crossentropy: each element's crossentropy scaled by `(1 - p_t)^gamma`. Args:
 * `apply_class_balancing` (weigh positives by `alpha`, negatives by `1 - alpha`; defaults to
 * false), `alpha` (defaults to 0.25), `gamma` (defaults to 2), `from_logits`, `label_smoothing`,
 * `axis` (only -1).
 */
export function binary_focal_crossentropy(
  y_true: TensorInput,
  y_pred: TensorInput,
  ...args: [BinaryFocalOptions?] | [boolean, number?, number?, boolean?, number?]
): tf.Tensor {
  const options = parseArgs(
    'binary_focal_crossentropy',
    binaryFocalSchema,
    ['apply_class_balancing', 'alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis'],
    args,
  );
  return perSample(binaryFocalCrossentropySpec(options), y_true, y_pred);
}

/** Keyword arguments of `categorical_focal_crossentropy`. */
export type CategoricalFocalOptions = KerasOptions<typeof categoricalFocalSchema>;

/**
 * Categorical focal crossentropy: `sum(alpha * (1 - p)^gamma * -y_true * log(p))` over the
 * classes. Args: `alpha` (defaults to 0.25), `gamma` (defaults to 2), `from_logits`,
 * `label_smoothing`, `axis` (only -1).
 */
export function categorical_focal_crossentropy(
  y_true: TensorInput,
  y_pred: TensorInput,
  ...args: [CategoricalFocalOptions?] | [number, number?, boolean?, number?]
): tf.Tensor {
  const options = parseArgs('categorical_focal_crossentropy', categoricalFocalSchema, ['alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis'], args);
  return perSample(categoricalFocalCrossentropySpec(options), y_true, y_pred);
}
