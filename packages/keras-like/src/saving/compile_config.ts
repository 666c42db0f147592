/**
 * Keras's `model.get_compile_config()` / `compile_from_config(config)`: what `compile` was
 * given, serialized so that a loaded model trains on as it did (the `compile_config` of
 * `config.json`, the `training_config` of a legacy `.h5`):
 *
 *   { optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: {...} },
 *     loss: 'categorical_crossentropy', loss_weights: null, metrics: ['accuracy'],
 *     weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false }
 *
 * Names stay names (as given); loss and metric objects are serialized with their module's
 * `serialize`.
 */
import { Loss, serialize as serializeLoss, type LossIdentifier } from '../losses.js';
import { Metric, serialize as serializeMetric, type MetricIdentifier } from '../metrics.js';
import { serialize as serializeOptimizer, type Optimizer } from '../optimizers/index.js';
import type { SerializedObject } from '../optimizers/base.js';
import { isPlainObject } from '../options/parse.js';
import type { Config } from '../utils/registry.js';
import { ValueError } from '../errors.js';

/** What `compile` was given, as the model keeps it. */
export interface CompileArguments {
  readonly optimizer: Optimizer;
  /** One loss, or (several outputs) a list or dict of them. */
  readonly loss: unknown;
  /** A list of metrics, or (several outputs) a list of lists or a dict. */
  readonly metrics: unknown;
  readonly weighted_metrics: unknown;
  /** As `compile` was given it: a list or dict of numbers, or null. */
  readonly loss_weights?: unknown;
}

// A list / dict given for several outputs keeps its structure; nulls (an output without a loss) stay.
function mapStructure(given: unknown, leaf: (v: never) => unknown): unknown {
  if (given === null || given === undefined) return null;
  if (Array.isArray(given)) return given.map((v) => mapStructure(v, leaf));
  if (isPlainObject(given) && !('class_name' in given)) return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, mapStructure(v, leaf)]));
  return leaf(given as never);
}

function emptyToNull(metrics: unknown): unknown {
  return (Array.isArray(metrics) && metrics.length === 0) || metrics === null || metrics === undefined ? null : metrics;
}

/** The `compile_config` Keras 3 writes. */
export function serializeCompileConfig(args: CompileArguments): Config {
  return {
    optimizer: serializeOptimizer(args.optimizer),
    loss: mapStructure(args.loss, serializeLossIdentifier),
    loss_weights: args.loss_weights ?? null,
    metrics: mapStructure(emptyToNull(args.metrics), serializeMetricIdentifier),
    weighted_metrics: mapStructure(emptyToNull(args.weighted_metrics), serializeMetricIdentifier),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

function serializeLossIdentifier(loss: LossIdentifier): unknown {
  if (typeof loss === 'string' || isPlainObject(loss)) return loss;
  if (loss instanceof Loss) return serializeLoss(loss);
  if (typeof loss === 'function' && loss.prototype instanceof Loss) return serializeLoss(new (loss as new () => Loss)());
  return serializeLoss(loss as Parameters<typeof serializeLoss>[0]);
}

function serializeMetricIdentifier(metric: MetricIdentifier): unknown {
  if (typeof metric === 'string' || isPlainObject(metric)) return metric;
  if (metric instanceof Metric) return serializeMetric(metric);
  if (typeof metric === 'function' && metric.prototype instanceof Metric) return serializeMetric(new (metric as new () => Metric)());
  const name = (metric as { name?: string }).name;
  if (typeof name === 'string' && name !== '') return name;
  throw new ValueError('get_compile_config: a metric function without a name cannot be serialized; give metrics by name or as keras.metrics objects.');
}

/**
 * `compile`'s arguments from a `compile_config` (Keras 3) or `training_config` (TF2, whose
 * optimizer is `optimizer_config`). Keys keras-like accepts only at their defaults are dropped.
 */
export function compileArgumentsFromConfig(config: Config): Record<string, unknown> {
  const optimizer = config.optimizer ?? config.optimizer_config;
  const args: Record<string, unknown> = { optimizer: optimizer as SerializedObject | string };
  if (config.loss !== undefined && config.loss !== null) args.loss = config.loss;
  if (Array.isArray(config.metrics)) args.metrics = config.metrics.map(unwrapLegacyMetric);
  if (Array.isArray(config.weighted_metrics)) args.weighted_metrics = config.weighted_metrics.map(unwrapLegacyMetric);
  if (config.loss_weights !== undefined && config.loss_weights !== null) args.loss_weights = config.loss_weights;
  return args;
}

// TF2's training_config lists metrics as strings or as [name] lists per output.
function unwrapLegacyMetric(metric: unknown): unknown {
  return Array.isArray(metric) && metric.length === 1 ? metric[0] : metric;
}
