/**
 * From what a user wrote in `compile({ metrics: [...] })` to a stateful `Metric`
 * (`getMetric`, which also resolves 'accuracy' as Keras does), and Keras's
 * `keras.metrics.get` / `serialize` / `deserialize`.
 */
import { isPlainObject } from '../options/parse.js';
import { Registry } from '../utils/registry.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy.js';
import { AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion.js';
import { MeanMetricWrapper, Metric, type MetricFn } from './metric.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  Hinge,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './probabilistic.js';
import {
  CosineSimilarity,
  LogCoshError,
  Mean,
  R2Score,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
} from './regression.js';

/** Every metric class by its Keras name; `get` also takes their snake_case names and aliases. */
const REGISTRY = new Registry<Metric>({
  kind: 'metric',
  module: 'keras.metrics',
  snakeCaseNames: true,
  // `compile` resolves 'acc' like 'accuracy' before asking the registry.
  alsoSuggest: ['acc'],
});
for (const [name, cls] of Object.entries({
  R2Score,
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  RootMeanSquaredError,
  CosineSimilarity,
  LogCoshError,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  AUC,
  Precision,
  Recall,
  Mean,
})) {
  REGISTRY.addClass(name, cls);
}
REGISTRY.addNames(['mse', 'MSE'], () => new MeanSquaredError())
  .addNames(['mae', 'MAE'], () => new MeanAbsoluteError())
  .addNames(['mape', 'MAPE'], () => new MeanAbsolutePercentageError())
  .addNames(['msle', 'MSLE'], () => new MeanSquaredLogarithmicError())
  .addNames(['bce', 'BCE'], () => new BinaryCrossentropy())
  // TF2's metric names that course notebooks still use.
  .addNames(['kld', 'KLD', 'kullback_leibler_divergence'], () => new KLDivergence())
  .addNames(['logcosh'], () => new LogCoshError());

/** Every name `get` accepts, plus 'acc' (which `compile` resolves like 'accuracy'). */
export const METRIC_NAMES: readonly string[] = [...REGISTRY.names, 'acc'];

/** Keras's serialized form of a metric. */
export interface MetricConfig {
  module?: string;
  class_name: string;
  config?: Record<string, unknown>;
  registered_name?: string | null;
}

/** What `metrics:` accepts: a Keras name, a `Metric`, a per-sample function, or a serialized config. */
export type MetricIdentifier = string | Metric | MetricFn | MetricConfig | (new () => Metric);

/**
 * `keras.metrics.get(identifier)`: a new metric for a Keras name (class name, snake_case name,
 * alias such as 'mae'), a deserialized config, or a function / metric as is.
 */
export function get(identifier: MetricIdentifier): Metric | MetricFn {
  // A metric class given without `()` (`metrics: [keras.metrics.AUC]`): Keras instantiates it.
  if (typeof identifier === 'function' && identifier.prototype instanceof Metric) return new (identifier as new () => Metric)();
  if (typeof identifier === 'function') return identifier as Metric | MetricFn;
  if (typeof identifier === 'string') return REGISTRY.get(identifier);
  if (isPlainObject(identifier) && typeof identifier.class_name === 'string') return deserialize(identifier);
  throw REGISTRY.unknown(identifier);
}

/** `keras.metrics.serialize(metric)` → `{ module, class_name, config, registered_name }`. */
export function serialize(metric: Metric): MetricConfig {
  return REGISTRY.serialize(REGISTRY.classNameOf(metric) ?? metric.constructor.name, metric.get_config());
}

/** `keras.metrics.deserialize(config)`: the inverse of `serialize`; a bare name also works. */
export function deserialize(config: MetricConfig | string): Metric {
  if (typeof config === 'string') {
    const made = get(config);
    if (made instanceof Metric) return made;
    throw REGISTRY.unknown(config);
  }
  const make = REGISTRY.findClass(config.class_name);
  if (make === undefined) throw REGISTRY.unknown(config.class_name);
  return make(config.config ?? {});
}

/**
 * The metric `compile` tracks for an identifier. 'accuracy' / 'acc' become binary, sparse
 * categorical or categorical accuracy as in Keras 3's `compile_utils.get_metric`: binary when
 * the output has one unit; sparse when the targets have fewer axes than the output or one
 * column against several (from `yTrueShape` when known, else from a sparse loss); categorical
 * otherwise. A string identifier is the History key (`'acc'` stays `'acc'`, `'mae'` stays
 * `'mae'`); other metrics keep their own name.
 */
export function getMetric(
  identifier: MetricIdentifier,
  lossName: string,
  outputShape: ReadonlyArray<number | null>,
  yTrueShape?: ReadonlyArray<number | null>,
): Metric {
  if (typeof identifier === 'string' && ['accuracy', 'acc'].includes(identifier.toLowerCase())) {
    const units = outputShape[outputShape.length - 1];
    const sparse =
      yTrueShape !== undefined
        ? yTrueShape.length < outputShape.length || (yTrueShape[yTrueShape.length - 1] === 1 && (units ?? 0) > 1)
        : lossName === 'sparse_categorical_crossentropy';
    if (units === 1) return new BinaryAccuracy({ name: identifier });
    return sparse ? new SparseCategoricalAccuracy({ name: identifier }) : new CategoricalAccuracy({ name: identifier });
  }
  const resolved = get(identifier);
  const metric = resolved instanceof Metric ? resolved : new MeanMetricWrapper(resolved);
  if (typeof identifier === 'string') metric.name = identifier;
  return metric;
}
