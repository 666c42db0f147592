/**
 * From what a user wrote (`loss: 'mse'`, `loss: keras.losses.BinaryCrossentropy()`,
 * `loss: (y_true, y_pred) => ...`) to Keras's function or instance (`keras.losses.get`)
 * or to the engine's `LossFunction` (`getLoss`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { UnknownIdentifierError } from '../errors.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { Registry } from '../utils/registry.js';
import { LOSS_CLASSES, LossFunctionWrapper } from './classes.js';
import * as fns from './functions.js';
import { binaryFocalCrossentropySpec, categoricalFocalCrossentropySpec } from './focal.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { Loss, type LossFunction, type LossSpec, type Reduction, lossCoefficient, reduceValues, sameRank } from './loss.js';
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

/** A loss as a plain function: `(y_true, y_pred) => per-sample values`. */
export type LossFn = (y_true: tf.Tensor, y_pred: tf.Tensor) => tf.Tensor;

/** Keras's serialized form of a loss. */
export interface LossConfig {
  module?: string;
  class_name: string;
  config?: unknown;
  registered_name?: string | null;
}

/** What `loss:` accepts: a Keras name or alias, a `Loss` instance, a function, or a serialized config. */
export type LossIdentifier = string | Loss | LossFn | LossConfig | (new () => Loss);

const defaults = { from_logits: false, label_smoothing: 0, axis: -1 };
const focalDefaults = { apply_class_balancing: false, alpha: 0.25, gamma: 2, from_logits: false, label_smoothing: 0 };

/** Keras 3's function names and aliases, plus the TF2 names course notebooks still use. */
const FUNCTIONS: ReadonlyMap<string, { fn: LossFn; spec: () => LossSpec }> = new Map(
  (
    [
      [['mean_squared_error', 'mse', 'MSE'], fns.mean_squared_error, () => meanSquaredError],
      [['mean_absolute_error', 'mae', 'MAE'], fns.mean_absolute_error, () => meanAbsoluteError],
      [['mean_absolute_percentage_error', 'mape', 'MAPE'], fns.mean_absolute_percentage_error, () => meanAbsolutePercentageError],
      [['mean_squared_logarithmic_error', 'msle', 'MSLE'], fns.mean_squared_logarithmic_error, () => meanSquaredLogarithmicError],
      [['binary_crossentropy', 'bce', 'BCE'], fns.binary_crossentropy, () => binaryCrossentropySpec(defaults)],
      [['categorical_crossentropy'], fns.categorical_crossentropy, () => categoricalCrossentropySpec(defaults)],
      [['sparse_categorical_crossentropy'], fns.sparse_categorical_crossentropy, () => sparseCategoricalCrossentropySpec(defaults)],
      [['hinge'], fns.hinge, () => hinge],
      [['squared_hinge'], fns.squared_hinge, () => squaredHinge],
      [['categorical_hinge'], fns.categorical_hinge, () => categoricalHinge],
      [['kl_divergence', 'kld', 'KLD', 'kullback_leibler_divergence'], fns.kl_divergence, () => klDivergence],
      [['poisson'], fns.poisson, () => poisson],
      [['log_cosh', 'logcosh'], fns.log_cosh, () => logCosh],
      [['cosine_similarity'], fns.cosine_similarity, () => cosineSimilaritySpec(-1)],
      [['huber', 'huber_loss'], fns.huber, () => huberSpec(1)],
      [['binary_focal_crossentropy'], fns.binary_focal_crossentropy, () => binaryFocalCrossentropySpec(focalDefaults)],
      [['categorical_focal_crossentropy'], fns.categorical_focal_crossentropy, () => categoricalFocalCrossentropySpec(focalDefaults)],
    ] as const
  ).flatMap(([names, fn, spec]) => names.map((name) => [name, { fn: fn as LossFn, spec }] as const)),
);

const FUNCTION_NAMES = new Map<unknown, string>([...FUNCTIONS].map(([name, { fn }]) => [fn, name]).reverse() as Array<[unknown, string]>);

/** Keras's function names and aliases, then its class names; a subclass of a built-in class serializes under its name. */
const REGISTRY = new Registry<LossFn | Loss>({ kind: 'loss', module: 'keras.losses', matchSubclasses: true });
for (const [name, { fn }] of FUNCTIONS) REGISTRY.addNames([name], () => fn);
for (const [name, cls] of Object.entries(LOSS_CLASSES)) REGISTRY.addClass(name, cls);

/** Every name `get` accepts: functions, aliases and class names. */
export const LOSS_NAMES: readonly string[] = REGISTRY.names;

/** A loss class given without `()` (`loss: keras.losses.Huber`): Keras instantiates it with its defaults. */
function isLossClass(value: unknown): value is new () => Loss {
  return typeof value === 'function' && value.prototype instanceof Loss;
}

/**
 * `keras.losses.get(identifier)`: a function name or alias gives the per-sample function
 * (`get('mse')` is `keras.losses.mean_squared_error`); a class name gives a new instance;
 * a function or a `Loss` is returned as is; a config is deserialized.
 */
export function get(identifier: LossIdentifier): LossFn | Loss {
  if (isLossClass(identifier)) return new identifier();
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const make = REGISTRY.find(identifier);
    if (make) return make({});
  }
  if (isPlainObject(identifier)) return deserialize(identifier as LossConfig);
  throw REGISTRY.unknown(identifier);
}

/** `keras.losses.serialize(loss)`: Keras 3's `{ module, class_name, config, registered_name }`. */
export function serialize(loss: Loss | LossFn): LossConfig {
  if (loss instanceof Loss) return REGISTRY.serialize(REGISTRY.classNameOf(loss) ?? loss.constructor.name, loss.get_config());
  const name = FUNCTION_NAMES.get(loss);
  if (name === undefined) {
    throw new UnknownIdentifierError(`Unknown loss function ${repr(loss)} cannot be serialized: only Keras's built-in losses have a name.`);
  }
  // Keras 3 serializes a built-in function as the pseudo-class 'function' with its name as config.
  return REGISTRY.serialize('function', name, name);
}

/** `keras.losses.deserialize(config)`: the inverse of `serialize`; a bare name also works. */
export function deserialize(config: LossConfig | string): LossFn | Loss {
  if (typeof config === 'string') return get(config);
  if (config.class_name === 'function' && typeof config.config === 'string') return get(config.config);
  const make = REGISTRY.findClass(config.class_name);
  if (make === undefined) throw REGISTRY.unknown(config.class_name);
  return make(isPlainObject(config.config) ? config.config : {});
}

/** The engine's view of a loss given by its spec (built-in functions and classes). */
function fromSpec(spec: LossSpec, reduction: Reduction = 'sum_over_batch_size', name = spec.name): LossFunction {
  const align = (yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] => {
    const t = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
    return spec.sparse ? [t, yPred] : sameRank(t, yPred);
  };
  const coefficient = (p: tf.Tensor, sampleWeight?: tf.Tensor) => lossCoefficient(p.shape.slice(0, -1), sampleWeight, reduction);
  return {
    name,
    reduction,
    call: (yTrue, yPred) => spec.perSample(...align(yTrue, yPred)),
    gradient: (yTrue, yPred, sampleWeight) => {
      const [t, p] = align(yTrue, yPred);
      const g = spec.derivative(t, p, coefficient(p, sampleWeight));
      return p === yPred ? g : tf.reshape(g, yPred.shape);
    },
    logitsGradient: (activation, yTrue, z, a, sampleWeight) => {
      if (spec.logits?.activation !== activation) return undefined;
      const [t] = align(yTrue, z);
      return spec.logits.derivative(t, z, a, coefficient(z, sampleWeight));
    },
    logitsCall: (activation, yTrue, z) => {
      if (spec.logits?.activation !== activation) return undefined;
      return spec.logits.perSample(...align(yTrue, z));
    },
    reduce: (values, sampleWeight) => reduceValues(values, sampleWeight, reduction),
    ...(spec.checkTargets ? { checkTargets: spec.checkTargets } : {}),
  };
}

/** A user's loss (function or `Loss` subclass): its gradient comes from TensorFlow.js autodiff. */
function fromCallable(name: string, perSample: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, reduction: Reduction): LossFunction {
  return {
    name,
    reduction,
    call: perSample,
    gradient: (yTrue, yPred, sampleWeight) =>
      tf.grad((p: tf.Tensor) => reduceValues(perSample(yTrue, p), sampleWeight, reduction) as tf.Scalar)(yPred),
    reduce: (values, sampleWeight) => reduceValues(values, sampleWeight, reduction),
  };
}

/**
 * The engine's `LossFunction` for a `loss:` identifier: built-in names, functions and
 * classes get their hand-written derivatives; anything else falls back to autodiff.
 */
export function getLoss(identifier: LossIdentifier): LossFunction {
  if (isLossClass(identifier)) return getLoss(new identifier());
  if (identifier instanceof LossFunctionWrapper) return fromSpec(identifier.spec, identifier.reduction, identifier.name);
  if (identifier instanceof Loss) {
    const loss = identifier;
    return fromCallable(loss.name, (t, p) => loss.call(t, p), loss.reduction);
  }
  if (typeof identifier === 'function') {
    const name = FUNCTION_NAMES.get(identifier);
    if (name !== undefined) return fromSpec(FUNCTIONS.get(name)!.spec());
    const fn = identifier;
    return fromCallable(fn.name || 'custom_loss', (t, p) => fn(t, p), 'sum_over_batch_size');
  }
  // A name or a config: a built-in function (mapped to its spec above) or a new Loss instance.
  return getLoss(get(identifier));
}
