/**
 * From what a user wrote in `compile({ metrics: [...] })` to a stateful `Metric`
 * (`getMetric`, which also resolves 'accuracy' as Keras does), and Keras's
 * `keras.metrics.get` / `serialize` / `deserialize`.
 */
import { UnknownIdentifierError } from '../errors.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { closestName } from '../options/suggest.js';
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

type MetricClass = new (options?: Record<string, unknown>) => Metric;

/** Every metric class by its Keras name. */
const CLASSES: Record<string, MetricClass> = {
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
} as unknown as Record<string, MetricClass>;

/** `BinaryAccuracy` → `binary_accuracy`, `AUC` → `auc` (Keras's `to_snake_case`). */
function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const NAMES: ReadonlyMap<string, () => Metric> = new Map<string, () => Metric>([
  // snake_case names first, so "did you mean" suggests 'accuracy' rather than 'Accuracy'.
  ...Object.entries(CLASSES).map(([name, cls]) => [snakeCase(name), () => new cls()] as const),
  ...Object.entries(CLASSES).map(([name, cls]) => [name, () => new cls()] as const),
  ...(['mse', 'MSE'] as const).map((n) => [n, () => new MeanSquaredError()] as const),
  ...(['mae', 'MAE'] as const).map((n) => [n, () => new MeanAbsoluteError()] as const),
  ...(['mape', 'MAPE'] as const).map((n) => [n, () => new MeanAbsolutePercentageError()] as const),
  ...(['msle', 'MSLE'] as const).map((n) => [n, () => new MeanSquaredLogarithmicError()] as const),
  ...(['bce', 'BCE'] as const).map((n) => [n, () => new BinaryCrossentropy()] as const),
  // TF2's metric names that course notebooks still use.
  ...(['kld', 'KLD', 'kullback_leibler_divergence'] as const).map((n) => [n, () => new KLDivergence()] as const),
  ['logcosh', () => new LogCoshError()],
]);

/** Every name `get` accepts, plus 'acc' (which `compile` resolves like 'accuracy'). */
export const METRIC_NAMES: readonly string[] = [...NAMES.keys(), 'acc'];

/** Keras's serialized form of a metric. */
export interface MetricConfig {
  module?: string;
  class_name: string;
  config?: Record<string, unknown>;
  registered_name?: string | null;
}

/** What `metrics:` accepts: a Keras name, a `Metric`, a per-sample function, or a serialized config. */
export type MetricIdentifier = string | Metric | MetricFn | MetricConfig | (new () => Metric);

function unknown(identifier: unknown): UnknownIdentifierError {
  const suggestion = typeof identifier === 'string' ? closestName(identifier, METRIC_NAMES) : undefined;
  return new UnknownIdentifierError(
    `Could not interpret metric identifier: ${repr(identifier)}.` + (suggestion ? ` Did you mean '${suggestion}'?` : ''),
  );
}

/**
 * `keras.metrics.get(identifier)`: a new metric for a Keras name (class name, snake_case name,
 * alias such as 'mae'), a deserialized config, or a function / metric as is.
 */
export function get(identifier: MetricIdentifier): Metric | MetricFn {
  // A metric class given without `()` (`metrics: [keras.metrics.AUC]`): Keras instantiates it.
  if (typeof identifier === 'function' && identifier.prototype instanceof Metric) return new (identifier as new () => Metric)();
  if (typeof identifier === 'function') return identifier as Metric | MetricFn;
  if (typeof identifier === 'string') {
    const make = NAMES.get(identifier);
    if (make) return make();
    throw unknown(identifier);
  }
  if (isPlainObject(identifier) && typeof identifier.class_name === 'string') return deserialize(identifier);
  throw unknown(identifier);
}

/** `keras.metrics.serialize(metric)` → `{ module, class_name, config, registered_name }`. */
export function serialize(metric: Metric): MetricConfig {
  const className = Object.entries(CLASSES).find(([, cls]) => Object.getPrototypeOf(metric) === cls.prototype)?.[0];
  return { module: 'keras.metrics', class_name: className ?? metric.constructor.name, config: metric.get_config(), registered_name: null };
}

/** `keras.metrics.deserialize(config)`: the inverse of `serialize`; a bare name also works. */
export function deserialize(config: MetricConfig | string): Metric {
  if (typeof config === 'string') {
    const made = get(config);
    if (made instanceof Metric) return made;
    throw unknown(config);
  }
  const cls = CLASSES[config.class_name];
  if (cls === undefined) throw unknown(config.class_name);
  return new cls(config.config ?? {});
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
