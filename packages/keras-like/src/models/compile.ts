/**
 * `model.compile(optimizer, loss, metrics)`: Keras's arguments, positional or as one
 * options object, resolved to the optimizer, loss and metric objects the engine uses.
 */
import { z } from 'zod';
import { getLoss, type LossFunction, type LossIdentifier } from '../losses.js';
import { get as getMetricByName, getMetric, METRIC_NAMES, type MetricIdentifier } from '../metrics.js';
import { get as getOptimizer, type Optimizer } from '../optimizers/index.js';
import type { SerializedObject } from '../optimizers/base.js';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import type { Compiled } from './train_step.js';

const compileSchema = z.object({
  optimizer: z.custom<string | Optimizer | SerializedObject>((v) => v !== undefined && v !== null, { error: 'must be an optimizer name or instance' }).default('rmsprop'),
  loss: z.custom<LossIdentifier>((v) => v !== undefined).nullish(),
  metrics: z.array(z.custom<MetricIdentifier>((v) => v !== undefined && v !== null), { error: 'must be a list of metric names, functions or objects' }).nullish(),
  /** Metrics that, unlike `metrics`, take `sample_weight` / `class_weight` into account, as in Keras. */
  weighted_metrics: z.array(z.custom<MetricIdentifier>((v) => v !== undefined && v !== null), { error: 'must be a list of metric names, functions or objects' }).nullish(),
  /** Accepted for Keras compatibility; keras-like always runs eagerly. */
  run_eagerly: z.boolean().optional(),
  /** Accepted for Keras compatibility; keras-like has no XLA. */
  jit_compile: z.union([z.boolean(), z.literal('auto')]).optional(),
  steps_per_execution: z.number().int().positive().optional(),
});

/** Keyword arguments of `compile`. */
export type CompileOptions = KerasOptions<typeof compileSchema>;

/** `compile(optimizer, loss, metrics)`, `compile(optimizer, loss, {metrics})` or `compile({optimizer, loss, metrics})`. */
export type CompileArgs =
  | [options: CompileOptions]
  | [optimizer: string | Optimizer, options?: CompileOptions]
  | [optimizer: string | Optimizer, loss: LossIdentifier, options?: CompileOptions]
  | [optimizer: string | Optimizer, loss: LossIdentifier, metrics: MetricIdentifier[], options?: CompileOptions];

/** What `compile` stored: metrics are resolved once the output shape is known (`resolveMetrics`). */
export interface CompileConfig {
  readonly optimizer: Optimizer;
  readonly loss: LossFunction;
  /** The loss as `compile` was given it (a name, object or function), for `get_compile_config`. */
  readonly lossIdentifier: LossIdentifier;
  readonly metricIdentifiers: readonly MetricIdentifier[];
  readonly weightedMetricIdentifiers: readonly MetricIdentifier[];
}

export function resolveCompile(args: CompileArgs): CompileConfig {
  const parsed = parseArgs('Sequential.compile', compileSchema, ['optimizer', 'loss', 'metrics'], args);
  if (parsed.loss === null || parsed.loss === undefined) {
    throw new ValueError("Sequential.compile: `loss` must be given to train the model, such as { loss: 'mse' }. Received: loss=null");
  }
  // Metrics resolve at the first fit (as Keras's), but a misspelt name fails here, at the call that received it.
  for (const identifier of [...(parsed.metrics ?? []), ...(parsed.weighted_metrics ?? [])]) {
    const known = typeof identifier !== 'string' || ['accuracy', 'acc'].includes(identifier.toLowerCase()) || METRIC_NAMES.includes(identifier);
    if (!known) getMetricByName(identifier);
  }
  return {
    optimizer: getOptimizer(parsed.optimizer),
    loss: getLoss(parsed.loss),
    lossIdentifier: parsed.loss,
    metricIdentifiers: parsed.metrics ?? [],
    weightedMetricIdentifiers: parsed.weighted_metrics ?? [],
  };
}

/**
 * The metric objects, resolved the way Keras resolves `'accuracy'` from the loss, the output
 * shape and the targets' shape. A weighted metric named like a plain one gets Keras's
 * `weighted_` prefix.
 */
export function resolveMetrics(config: CompileConfig, outputShape: ReadonlyArray<number | null>, yShape?: readonly number[]): Compiled {
  const yTrueShape = yShape === undefined ? undefined : [null, ...yShape.slice(1)];
  const resolve = (m: MetricIdentifier) => getMetric(m, config.loss.name, outputShape, yTrueShape);
  const metrics = config.metricIdentifiers.map(resolve);
  const weighted_metrics = config.weightedMetricIdentifiers.map(resolve);
  const names = new Set<string>(['loss']);
  for (const metric of metrics) {
    if (names.has(metric.name)) throw duplicateName(metric.name);
    names.add(metric.name);
  }
  for (const metric of weighted_metrics) {
    if (names.has(metric.name)) metric.name = `weighted_${metric.name}`;
    if (names.has(metric.name)) throw duplicateName(metric.name);
    names.add(metric.name);
  }
  return { optimizer: config.optimizer, loss: config.loss, metrics, weighted_metrics };
}

function duplicateName(name: string): ValueError {
  return new ValueError(`Sequential.compile: two metrics are named '${name}'; give each metric a unique name.`);
}
