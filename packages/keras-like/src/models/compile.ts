/**
 * `model.compile(optimizer, loss, metrics)`: Keras's arguments, positional or as one
 * options object, resolved to the optimizer, loss and metric objects the engine uses.
 *
 * A model with several outputs takes, as Keras does, `loss` as one loss for every output, a
 * list (one per output, in `model.outputs` order) or a dict keyed by output name (an output left
 * out has no loss); `metrics` / `weighted_metrics` as a list of lists or a dict of lists (a flat
 * list of names is only for a single output); `loss_weights` as a list or dict of numbers. The
 * reported loss is Σ loss_weight · output loss, with each output's own loss logged as
 * `<output name>_loss` and its metrics as `<output name>_<metric>` (Keras 3's names).
 */
import { z } from 'zod';
import { getLoss, type LossFunction, type LossIdentifier } from '../losses.js';
import { get as getMetricByName, getMetric, METRIC_NAMES, type Metric, type MetricIdentifier } from '../metrics.js';
import { get as getOptimizer, type Optimizer } from '../optimizers/index.js';
import type { SerializedObject } from '../optimizers/base.js';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import type { Compiled, CompiledOutput } from './train_step.js';

type Structured<T> = T | readonly T[] | Readonly<Record<string, T>>;
/** A compile argument given once for every output, as a list (one per output) or as a dict by output name. */
type PerOutput<T> = { readonly kind: 'one'; readonly value: T } | { readonly kind: 'list'; readonly values: readonly T[] } | { readonly kind: 'dict'; readonly values: Readonly<Record<string, T>> };
/** `loss:` for a model: one loss, a list (one per output) or a dict by output name. */
export type LossesArg = LossIdentifier | readonly (LossIdentifier | null)[] | Readonly<Record<string, LossIdentifier | null>>;
/** `metrics:`: a list of metrics (one output), a list of lists or a dict of metrics / lists (several outputs). */
export type MetricsArg = readonly (MetricIdentifier | readonly MetricIdentifier[] | null)[] | Readonly<Record<string, MetricIdentifier | readonly MetricIdentifier[]>>;

const present = (v: unknown) => v !== undefined && v !== null;
const compileSchema = z.object({
  optimizer: z.custom<string | Optimizer | SerializedObject>(present, { error: 'must be an optimizer name or instance' }).default('rmsprop'),
  loss: z.custom<LossesArg>((v) => v !== undefined).nullish(),
  metrics: z.custom<MetricsArg>((v) => v === null || v === undefined || Array.isArray(v) || isDict(v), { error: 'must be a list of metric names, functions or objects' }).nullish(),
  /** Metrics that, unlike `metrics`, take `sample_weight` / `class_weight` into account, as in Keras. */
  weighted_metrics: z.custom<MetricsArg>((v) => v === null || v === undefined || Array.isArray(v) || isDict(v), { error: 'must be a list of metric names, functions or objects' }).nullish(),
  /** How much each output's loss counts in the total: a list or a dict by output name. Defaults to 1 each. */
  loss_weights: z.custom<Structured<number>>((v) => v === null || v === undefined || Array.isArray(v) || isDict(v), { error: 'must be a list of numbers or a dict mapping output names to numbers' }).nullish(),
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
  | [optimizer: string | Optimizer, loss: LossesArg, options?: CompileOptions]
  | [optimizer: string | Optimizer, loss: LossesArg, metrics: MetricsArg, options?: CompileOptions];

/** What `compile` stored: the structures are matched to the outputs once they are known (`resolveMetrics`). */
export interface CompileConfig {
  readonly owner: string;
  readonly optimizer: Optimizer;
  /** The first output's loss (the only one of a single-output model): `model.loss`. */
  readonly loss: LossFunction;
  /** The loss as `compile` was given it (a name, object or function, or their list / dict), for `get_compile_config`. */
  readonly lossIdentifier: LossesArg;
  readonly losses: PerOutput<LossFunction | null>;
  readonly metricIdentifiers: MetricsArg;
  readonly weightedMetricIdentifiers: MetricsArg;
  readonly lossWeights: PerOutput<number> | null;
}

export function resolveCompile(args: CompileArgs, owner = 'Sequential'): CompileConfig {
  const parsed = parseArgs(`${owner}.compile`, compileSchema, ['optimizer', 'loss', 'metrics'], args);
  if (parsed.loss === null || parsed.loss === undefined) {
    throw new ValueError(`${owner}.compile: \`loss\` must be given to train the model, such as { loss: 'mse' }. Received: loss=null`);
  }
  const given = parsed.loss;
  const losses = mapStructure(structureOf(given), (l) => (l === null ? null : getLoss(l)));
  const candidates = losses.kind === 'one' ? [losses.value] : Object.values(losses.values);
  const first = candidates.find((l): l is LossFunction => l !== null);
  if (first === undefined) throw new ValueError(`${owner}.compile: \`loss\` must name at least one loss. Received: loss=${repr(given)}`);
  // Metrics resolve at the first fit (as Keras's), but a misspelt name fails here, at the call that received it.
  for (const identifier of [...flatMetrics(parsed.metrics), ...flatMetrics(parsed.weighted_metrics)]) {
    const known = typeof identifier !== 'string' || ['accuracy', 'acc'].includes(identifier.toLowerCase()) || METRIC_NAMES.includes(identifier);
    if (!known) getMetricByName(identifier);
  }
  return {
    owner,
    optimizer: getOptimizer(parsed.optimizer),
    loss: first,
    lossIdentifier: given,
    losses,
    metricIdentifiers: parsed.metrics ?? [],
    weightedMetricIdentifiers: parsed.weighted_metrics ?? [],
    lossWeights: parsed.loss_weights === null || parsed.loss_weights === undefined ? null : structureOf(parsed.loss_weights),
  };
}

/** One model output, as `resolveMetrics` matches the compile structures to it. */
export interface OutputInfo {
  readonly name: string;
  readonly shape: ReadonlyArray<number | null>;
  /** The targets' shape, when known (it decides what 'accuracy' means). */
  readonly yShape?: readonly number[];
}

/**
 * The per-output losses and metric objects, resolved the way Keras resolves `'accuracy'` from
 * the loss, the output shape and the targets' shape. A weighted metric named like a plain one
 * gets Keras's `weighted_` prefix.
 */
export function resolveMetrics(config: CompileConfig, outputs: readonly OutputInfo[]): Compiled {
  const names = outputs.map((o) => o.name);
  const losses = perOutput(config.losses, names, 'loss', config.owner, null);
  const weights = config.lossWeights === null ? names.map(() => 1) : perOutput(config.lossWeights, names, 'loss_weights', config.owner, 1);
  const metricLists = metricsPerOutput(config.metricIdentifiers, names, 'metrics', config.owner);
  const weightedLists = metricsPerOutput(config.weightedMetricIdentifiers, names, 'weighted_metrics', config.owner);
  const several = outputs.length > 1;
  const taken = new Set<string>(['loss', ...(several ? names.map((n) => `${n}_loss`) : [])]);
  const compiledOutputs: CompiledOutput[] = outputs.map((output, k) => {
    const loss = losses[k] ?? null;
    const lossName = loss?.name ?? config.loss.name;
    const yTrueShape = output.yShape === undefined ? undefined : [null, ...output.yShape.slice(1)];
    const resolve = (m: MetricIdentifier) => getMetric(m, lossName, output.shape, yTrueShape);
    const key = (metric: Metric) => (several ? `${output.name}_${metric.name}` : metric.name);
    const metrics = metricLists[k]!.map(resolve);
    const metricKeys = metrics.map((m) => {
      const name = key(m);
      if (taken.has(name)) throw duplicateName(name, config.owner);
      taken.add(name);
      return name;
    });
    const weighted_metrics = weightedLists[k]!.map(resolve);
    const weightedKeys = weighted_metrics.map((m) => {
      if (taken.has(key(m))) m.name = `weighted_${m.name}`;
      const name = key(m);
      if (taken.has(name)) throw duplicateName(name, config.owner);
      taken.add(name);
      return name;
    });
    return { name: output.name, loss, lossWeight: weights[k]!, metrics, weighted_metrics, metricKeys, weightedKeys };
  });
  return {
    optimizer: config.optimizer,
    loss: compiledOutputs[0]!.loss ?? config.loss,
    metrics: compiledOutputs.flatMap((o) => o.metrics),
    weighted_metrics: compiledOutputs.flatMap((o) => o.weighted_metrics),
    outputs: compiledOutputs,
  };
}

/** What the user gave: a list and a plain dict are per output; anything else (a name, a Loss, a config) is one value. */
function structureOf<T>(given: Structured<T>): PerOutput<T> {
  if (Array.isArray(given)) return { kind: 'list', values: given as readonly T[] };
  if (isDict(given) && !isLossObject(given)) return { kind: 'dict', values: given as Readonly<Record<string, T>> };
  return { kind: 'one', value: given as T };
}

function mapStructure<T, U>(given: PerOutput<T>, f: (v: T) => U): PerOutput<U> {
  if (given.kind === 'one') return { kind: 'one', value: f(given.value) };
  if (given.kind === 'list') return { kind: 'list', values: given.values.map(f) };
  return { kind: 'dict', values: Object.fromEntries(Object.entries(given.values).map(([k, v]) => [k, f(v)])) };
}

/** One value per output, in output order; an output a dict leaves out gets `missing`. */
function perOutput<T>(given: PerOutput<T>, names: readonly string[], what: string, owner: string, missing: T): T[] {
  if (given.kind === 'one') return names.map(() => given.value);
  if (given.kind === 'list') {
    if (given.values.length !== names.length) {
      throw new ValueError(
        `${owner}.compile: \`${what}\` must have one entry per output of the model (${names.length}: [${names.map((n) => `'${n}'`).join(', ')}]). Received: ${what}=${repr(given.values)}`,
      );
    }
    return [...given.values];
  }
  for (const key of Object.keys(given.values)) {
    if (!names.includes(key)) {
      throw new ValueError(`In the dict argument \`${what}\`, key '${key}' does not correspond to any model output. Received:\n${what}=${repr(given.values)}`);
    }
  }
  return names.map((n) => (n in given.values ? given.values[n]! : missing));
}

function metricsPerOutput(given: MetricsArg, names: readonly string[], what: string, owner: string): MetricIdentifier[][] {
  // A flat list is the metrics of a single output; for several outputs it must be nested (Keras 3).
  if (Array.isArray(given) && given.length === 0) return names.map(() => []);
  if (Array.isArray(given) && !given.some((m) => Array.isArray(m))) {
    return names.length === 1 ? [[...(given as MetricIdentifier[])]] : rejectFlat(given, names, what);
  }
  const lists = perOutput(structureOf(given as Structured<MetricIdentifier | readonly MetricIdentifier[] | null>), names, what, owner, null);
  return lists.map((l) => (l === null ? [] : Array.isArray(l) ? [...(l as MetricIdentifier[])] : [l as MetricIdentifier]));
}

function rejectFlat(given: MetricsArg, names: readonly string[], what: string): never {
  throw new ValueError(
    `Invalid \`${what}\`. \`${what}\` should contain metrics objects and either be a dict or a list matching the output names of the functional model [${names.map((n) => `'${n}'`).join(', ')}]. Received: ${what}=${repr(given)}`,
  );
}

function flatMetrics(given: MetricsArg | null | undefined): MetricIdentifier[] {
  if (given === null || given === undefined) return [];
  const values: unknown[] = Array.isArray(given) ? given : Object.values(given);
  return values.flatMap((v) => (Array.isArray(v) ? v : v === null ? [] : [v])) as MetricIdentifier[];
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** A serialized loss config (`{ class_name, config }`) is one loss, not a dict by output name. */
function isLossObject(v: object): boolean {
  return 'class_name' in v;
}

function duplicateName(name: string, owner: string): ValueError {
  return new ValueError(`${owner}.compile: two metrics are named '${name}'; give each metric a unique name.`);
}
