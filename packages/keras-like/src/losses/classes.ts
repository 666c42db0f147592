/**
 * Keras's loss classes: `keras.losses.BinaryCrossentropy({ from_logits: true })` & co.
 * An instance is called like a function, `bce(y_true, y_pred, sample_weight?)` → the
 * reduced loss (a scalar tensor with the default reduction); `bce.call(y_true, y_pred)`
 * gives the per-sample values, as in Keras.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { TensorInput } from '../backend/math.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import { binaryFocalSchema, categoricalFocalSchema, crossentropySchema, sparseSchema } from './options.js';
import { binaryFocalCrossentropySpec, categoricalFocalCrossentropySpec } from './focal.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { Loss, type LossSpec, type Reduction, prepare, reductionField } from './loss.js';
import {
  binaryCrossentropySpec,
  categoricalCrossentropySpec,
  klDivergence,
  poisson,
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

function baseShape(defaultName: string) {
  return { reduction: reductionField, name: z.string({ message: 'must be a string' }).default(defaultName) };
}

/** A loss class built on one of Keras's loss functions (Keras's `LossFunctionWrapper`). */
export class LossFunctionWrapper extends Loss {
  constructor(
    /** The loss function's forward and derivative, used by the engine through `getLoss`. */
    readonly spec: LossSpec,
    name: string,
    reduction: Reduction,
    private readonly options: Record<string, unknown> = {},
  ) {
    super({ name, reduction });
  }

  call(y_true: TensorInput, y_pred: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const [t, p] = prepare(y_true, y_pred, this.spec.sparse);
      this.spec.checkTargets?.(t, p.shape);
      return this.spec.perSample(t, p);
    });
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), ...this.options };
  }
}

function simpleSchema(defaultName: string) {
  return z.object(baseShape(defaultName));
}

/** Keyword arguments of the loss classes without options of their own: `reduction` and `name`. */
export type LossOptions = KerasOptions<ReturnType<typeof simpleSchema>>;

/** A loss class whose only arguments are `reduction` and `name`, positional in that order as in Keras. */
function simpleLoss(
  className: string,
  spec: LossSpec,
  defaultName = spec.name,
): CallableClass<[LossOptions?] | [Reduction | null, string?], LossFunctionWrapper> {
  const schema = simpleSchema(defaultName);
  const cls = class extends LossFunctionWrapper {
    constructor(...args: [LossOptions?] | [Reduction | null, string?]) {
      const o = parseArgs(className, schema, ['reduction', 'name'], args);
      super(spec, o.name, o.reduction);
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** `mean(square(y_true - y_pred))`. Args: `reduction` (defaults to 'sum_over_batch_size'), `name`. */
export const MeanSquaredError = simpleLoss('MeanSquaredError', meanSquaredError);
export type MeanSquaredError = LossFunctionWrapper;
/** `mean(abs(y_true - y_pred))`. Args: `reduction`, `name`. */
export const MeanAbsoluteError = simpleLoss('MeanAbsoluteError', meanAbsoluteError);
export type MeanAbsoluteError = LossFunctionWrapper;
/** `100 * mean(abs((y_true - y_pred) / y_true))`. Args: `reduction`, `name`. */
export const MeanAbsolutePercentageError = simpleLoss('MeanAbsolutePercentageError', meanAbsolutePercentageError);
export type MeanAbsolutePercentageError = LossFunctionWrapper;
/** `mean(square(log(y_true + 1) - log(y_pred + 1)))`. Args: `reduction`, `name`. */
export const MeanSquaredLogarithmicError = simpleLoss('MeanSquaredLogarithmicError', meanSquaredLogarithmicError);
export type MeanSquaredLogarithmicError = LossFunctionWrapper;
/** `mean(log(cosh(y_pred - y_true)))`. Args: `reduction`, `name`. */
export const LogCosh = simpleLoss('LogCosh', logCosh);
export type LogCosh = LossFunctionWrapper;
/** `maximum(1 - y_true * y_pred, 0)`, labels in {0, 1} mapped to {−1, 1}. Args: `reduction`, `name`. */
export const Hinge = simpleLoss('Hinge', hinge);
export type Hinge = LossFunctionWrapper;
/** `square(maximum(1 - y_true * y_pred, 0))`. Args: `reduction`, `name`. */
export const SquaredHinge = simpleLoss('SquaredHinge', squaredHinge);
export type SquaredHinge = LossFunctionWrapper;
/** `maximum(neg - pos + 1, 0)`. Args: `reduction`, `name`. */
export const CategoricalHinge = simpleLoss('CategoricalHinge', categoricalHinge);
export type CategoricalHinge = LossFunctionWrapper;
/** `y_true * log(y_true / y_pred)`. Args: `reduction`, `name` (defaults to 'kl_divergence'). */
export const KLDivergence = simpleLoss('KLDivergence', klDivergence);
export type KLDivergence = LossFunctionWrapper;
/** `y_pred - y_true * log(y_pred)`. Args: `reduction`, `name`. */
export const Poisson = simpleLoss('Poisson', poisson);
export type Poisson = LossFunctionWrapper;

const huberSchema = z.object({
  delta: z.number({ message: 'must be a float' }).positive({ message: 'must be > 0' }).default(1),
  ...baseShape('huber_loss'),
});
/** Keyword arguments of `Huber`. */
export type HuberLossOptions = KerasOptions<typeof huberSchema>;

export class HuberLoss extends LossFunctionWrapper {
  constructor(...args: [HuberLossOptions?] | [number, (Reduction | null)?, string?]) {
    const o = parseArgs('Huber', huberSchema, ['delta', 'reduction', 'name'], args);
    super(huberSpec(o.delta), o.name, o.reduction, { delta: o.delta });
  }
}
/** Huber loss, quadratic within `delta` of the target and linear beyond. Args: `delta` (defaults to 1), `reduction`, `name`. */
export const Huber = callable(HuberLoss);
export type Huber = HuberLoss;

const cosineSchema = z.object({ axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1), ...baseShape('cosine_similarity') });
/** Keyword arguments of `CosineSimilarity`. */
export type CosineSimilarityLossOptions = KerasOptions<typeof cosineSchema>;

export class CosineSimilarityLoss extends LossFunctionWrapper {
  constructor(...args: [CosineSimilarityLossOptions?] | [number, (Reduction | null)?, string?]) {
    const o = parseArgs('CosineSimilarity', cosineSchema, ['axis', 'reduction', 'name'], args);
    super(cosineSimilaritySpec(o.axis), o.name, o.reduction, { axis: o.axis });
  }
}
/** `-sum(l2_norm(y_true) * l2_norm(y_pred))` along `axis` (defaults to -1). Args: `axis`, `reduction`, `name`. */
export const CosineSimilarity = callable(CosineSimilarityLoss);
export type CosineSimilarity = CosineSimilarityLoss;

const bceSchema = crossentropySchema.extend(baseShape('binary_crossentropy'));
const cceSchema = crossentropySchema.extend(baseShape('categorical_crossentropy'));
/** Keyword arguments of `BinaryCrossentropy` and `CategoricalCrossentropy`. */
export type CrossentropyLossOptions = KerasOptions<typeof bceSchema>;
type CrossentropyArgs = [CrossentropyLossOptions?] | [boolean, number?, number?, (Reduction | null)?, string?];
const crossentropyPositional = ['from_logits', 'label_smoothing', 'axis', 'reduction', 'name'];

export class BinaryCrossentropyLoss extends LossFunctionWrapper {
  constructor(...args: CrossentropyArgs) {
    const o = parseArgs('BinaryCrossentropy', bceSchema, crossentropyPositional, args);
    const { from_logits, label_smoothing, axis } = o;
    super(binaryCrossentropySpec(o), o.name, o.reduction, { from_logits, label_smoothing, axis });
  }
}
/**
 * Binary crossentropy between labels in {0, 1} and predicted probabilities. Args:
 * `from_logits` (y_pred are logits; defaults to false), `label_smoothing` (float in [0, 1],
 * squeezes labels towards 0.5; defaults to 0), `axis` (defaults to -1), `reduction`, `name`.
 */
export const BinaryCrossentropy = callable(BinaryCrossentropyLoss);
export type BinaryCrossentropy = BinaryCrossentropyLoss;

export class CategoricalCrossentropyLoss extends LossFunctionWrapper {
  constructor(...args: CrossentropyArgs) {
    const o = parseArgs('CategoricalCrossentropy', cceSchema, crossentropyPositional, args);
    const { from_logits, label_smoothing, axis } = o;
    super(categoricalCrossentropySpec(o), o.name, o.reduction, { from_logits, label_smoothing, axis });
  }
}
/**
 * Crossentropy between one-hot labels and predicted class probabilities. Args:
 * `from_logits` (defaults to false), `label_smoothing` (float in [0, 1]: labels become
 * `y * (1 - s) + s / num_classes`; defaults to 0), `axis` (defaults to -1), `reduction`, `name`.
 */
export const CategoricalCrossentropy = callable(CategoricalCrossentropyLoss);
export type CategoricalCrossentropy = CategoricalCrossentropyLoss;

const scceSchema = sparseSchema.extend(baseShape('sparse_categorical_crossentropy'));
/** Keyword arguments of `SparseCategoricalCrossentropy`. */
export type SparseCrossentropyLossOptions = KerasOptions<typeof scceSchema>;

export class SparseCategoricalCrossentropyLoss extends LossFunctionWrapper {
  constructor(...args: [SparseCrossentropyLossOptions?] | [boolean, (Reduction | null)?]) {
    const o = parseArgs('SparseCategoricalCrossentropy', scceSchema, ['from_logits', 'reduction'], args);
    super(sparseCategoricalCrossentropySpec(o), o.name, o.reduction, { from_logits: o.from_logits, axis: o.axis });
  }
}
/**
 * Crossentropy between integer class labels and predicted class probabilities. Args:
 * `from_logits` (defaults to false), `axis` (only -1), `reduction`, `name`.
 */
export const SparseCategoricalCrossentropy = callable(SparseCategoricalCrossentropyLoss);
export type SparseCategoricalCrossentropy = SparseCategoricalCrossentropyLoss;

const bfceSchema = binaryFocalSchema.extend(baseShape('binary_focal_crossentropy'));
/** Keyword arguments of `BinaryFocalCrossentropy`. */
export type BinaryFocalCrossentropyOptions = KerasOptions<typeof bfceSchema>;

export class BinaryFocalCrossentropyLoss extends LossFunctionWrapper {
  constructor(...args: [BinaryFocalCrossentropyOptions?] | [boolean, number?, number?, boolean?, number?]) {
    const o = parseArgs('BinaryFocalCrossentropy', bfceSchema, ['apply_class_balancing', 'alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis', 'reduction', 'name'], args);
    const { apply_class_balancing, alpha, gamma, from_logits, label_smoothing, axis } = o;
    super(binaryFocalCrossentropySpec(o), o.name, o.reduction, { apply_class_balancing, alpha, gamma, from_logits, label_smoothing, axis });
  }
}
/**
 * Binary crossentropy that down-weighs easy examples by `(1 - p_t)^gamma`. Args:
 * `apply_class_balancing` (defaults to false), `alpha` (defaults to 0.25), `gamma` (defaults to 2),
 * `from_logits`, `label_smoothing`, `axis` (only -1), `reduction`, `name`.
 */
export const BinaryFocalCrossentropy = callable(BinaryFocalCrossentropyLoss);
export type BinaryFocalCrossentropy = BinaryFocalCrossentropyLoss;

const cfceSchema = categoricalFocalSchema.extend(baseShape('categorical_focal_crossentropy'));
/** Keyword arguments of `CategoricalFocalCrossentropy`. */
export type CategoricalFocalCrossentropyOptions = KerasOptions<typeof cfceSchema>;

export class CategoricalFocalCrossentropyLoss extends LossFunctionWrapper {
  constructor(...args: [CategoricalFocalCrossentropyOptions?] | [number, number?, boolean?, number?]) {
    const o = parseArgs('CategoricalFocalCrossentropy', cfceSchema, ['alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis', 'reduction', 'name'], args);
    const { alpha, gamma, from_logits, label_smoothing, axis } = o;
    super(categoricalFocalCrossentropySpec(o), o.name, o.reduction, { alpha, gamma, from_logits, label_smoothing, axis });
  }
}
/**
 * Categorical crossentropy that down-weighs easy examples by `(1 - p)^gamma`. Args: `alpha`
 * (defaults to 0.25), `gamma` (defaults to 2), `from_logits`, `label_smoothing`, `axis` (only -1),
 * `reduction`, `name`.
 */
export const CategoricalFocalCrossentropy = callable(CategoricalFocalCrossentropyLoss);
export type CategoricalFocalCrossentropy = CategoricalFocalCrossentropyLoss;

/** Every loss class by its Keras class name, for `get` and `deserialize`. */
export const LOSS_CLASSES = {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  Huber,
  LogCosh,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  KLDivergence,
  Poisson,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalFocalCrossentropy,
} as const;
