/**
 * Keras's stateful metrics: `update_state(y_true, y_pred, sample_weight?)` per batch,
 * `result()` when a number is wanted, `reset_state()` per epoch. The running state stays
 * on the backend as tensors, so updating a metric never waits for the host; only
 * `result()` reads it back. Those tensors are freed by `dispose()`, or when the metric (or
 * the model that made it) is garbage-collected, as layers' weights are.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeWhenCollected, forgetOwner } from '../backend/collect.js';
import { convertToTensor, type TensorInput } from '../backend/math.js';
import { sameRank } from '../losses/loss.js';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { CallableInstance } from '../utils/callable_instance.js';
import { checkMetricShapes, type MetricShapes } from './shapes.js';

/** The call signature of a metric: Python's `m(y_true, y_pred)` updates it and returns the result. */
export interface Metric {
  (y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput): number;
}

const metricBaseSchema = z.object({ name: z.string({ message: 'must be a string' }).nullable().default(null) });
/** Keyword arguments of the `Metric` base class. */
export type MetricBaseOptions = KerasOptions<typeof metricBaseSchema>;

const variableSchema = z.object({
  shape: z.array(z.number().int().nonnegative(), { message: 'must be a list of non-negative integers' }).default([]),
  initializer: z.union([z.literal('zeros'), z.literal('ones'), z.number()], { message: "must be 'zeros', 'ones' or a number" }).default('zeros'),
  name: z.string({ message: 'must be a string' }).optional(),
});
/** Keyword arguments of `Metric.add_variable`. */
export type MetricVariableOptions = KerasOptions<typeof variableSchema>;

let variableCount = 0;

/** `MyF1Score` → `my_f1_score` (Keras's `to_snake_case`). */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Base class of the metrics (`keras.metrics.Metric`). A custom metric, as in Keras: create
 * its state with `add_variable` in the constructor, accumulate in `update_state`
 * (`v.assign(tf.add(v, x))`), compute in `result()`; `reset_state()` zeroes the variables.
 */
export abstract class Metric extends CallableInstance {
  /** The metric's name: the History key of its value (`accuracy`, `mae`, ...). */
  name: string;
  /** The state variables made by `add_variable`. */
  readonly variables: tf.Variable[] = [];
  private readonly initialValues: Array<'zeros' | 'ones' | number> = [];

  /** Args: `name` (defaults to the class name in snake_case, as Keras's `auto_name`). */
  constructor(...args: [MetricBaseOptions?] | [string | null]) {
    super();
    const { name } = parseArgs(new.target.name || 'Metric', metricBaseSchema, ['name'], args);
    this.name = name ?? snakeCase(new.target.name || 'metric');
    disposeWhenCollected(this, this.variables);
  }

  /** Keras's `add_variable`: a state variable of `shape` (defaults to a scalar) filled by `initializer`. */
  add_variable(options?: MetricVariableOptions): tf.Variable {
    const o = parseArgs(`${this.constructor.name}.add_variable`, variableSchema, [], [options]);
    variableCount += 1;
    // A counter suffix, as layers' weights have: tf.Variable names are global, and two live
    // instances of one metric class (one per model in a loop) would otherwise collide.
    const name = o.name === undefined ? undefined : `${this.name}/${o.name}_${variableCount}`;
    // In tf.tidy: a variable shares its initial tensor's data, and that tensor would otherwise stay counted.
    const variable = tf.tidy(() => tf.variable(fillFor(o.shape, o.initializer), false, name));
    this.variables.push(variable);
    this.initialValues.push(o.initializer);
    return variable;
  }

  /**
   * Throws the ValueError `update_state` throws for a `y_true` of shape `yTrue` against a
   * `y_pred` of shape `yPred` (built-in metrics: shapes.ts). `fit` and `evaluate` call it once,
   * before their loops, so a mismatch is reported before anything trains. A metric of the
   * user's own checks nothing here.
   */
  assertInputsCompatible(_yTrue: readonly number[], _yPred: readonly number[]): void {}

  /** Accumulates the statistics of one batch. */
  abstract update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void;
  /** The metric's value over everything accumulated since the last reset (reads the state back). */
  abstract result(): number;

  /** Forgets everything accumulated: each variable back to its initial value. */
  reset_state(): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(fillFor(v.shape, this.initialValues[i]!))));
  }

  /** Frees the state tensors. */
  dispose(): void {
    tf.dispose(this.variables);
    forgetOwner(this);
  }

  /** Keras's constructor arguments, enough to rebuild the metric. */
  get_config(): Record<string, unknown> {
    return { name: this.name };
  }

  __call__(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput): number {
    this.update_state(y_true, y_pred, sample_weight);
    return this.result();
  }
}

function fillFor(shape: number[], initializer: 'zeros' | 'ones' | number): tf.Tensor {
  return tf.fill(shape, initializer === 'zeros' ? 0 : initializer === 'ones' ? 1 : initializer);
}

/**
 * A running sum kept on the backend. `add` swaps in a new kept tensor: half the cost of
 * `Variable.assign` per batch, and no host read. The sum is freed when the accumulator is
 * garbage-collected (with the metric, or the model, that holds it) or disposed.
 */
export class Accumulator {
  // One slot, swapped by `add` and `reset`: the collector frees whatever it holds at the end.
  private readonly slot: [tf.Tensor];

  constructor(private readonly shape: number[] = []) {
    this.slot = [tf.keep(tf.zeros(shape))];
    disposeWhenCollected(this, this.slot);
  }

  add(x: tf.Tensor): void {
    this.swap(tf.keep(tf.add(this.slot[0], x)));
  }

  /** The sum so far (one host read). */
  read(): Float32Array {
    return this.slot[0].dataSync() as Float32Array;
  }

  reset(): void {
    this.swap(tf.keep(tf.zeros(this.shape)));
  }

  dispose(): void {
    this.slot[0].dispose();
    forgetOwner(this);
  }

  private swap(next: tf.Tensor): void {
    this.slot[0].dispose();
    this.slot[0] = next;
  }
}

/**
 * Keras's `Mean`: the (weighted) mean of every value seen. Values with more than one axis
 * are first averaged per sample; sample weights broadcast against them (Keras's
 * `reduce_to_samplewise_values`).
 */
export class MeanState {
  private readonly total = new Accumulator();
  private readonly weightedCount = new Accumulator();
  // Unweighted batches add their size, known on the host: no op needed for the count.
  private count = 0;

  update(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      if (sampleWeight === undefined) {
        // Each sample counts once: values beyond the batch axis are averaged, i.e. the sum scaled by N / size.
        const samples = values.rank === 0 ? 1 : values.shape[0]!;
        const total = tf.sum(values);
        this.total.add(values.size === samples ? total : tf.mul(total, samples / Math.max(values.size, 1)));
        this.count += samples;
        return;
      }
      let [v, w] = sameRank(values, tf.cast(sampleWeight, 'float32'));
      // Average values over the axes the weights do not have, then weigh each sample.
      if (v.rank > w.rank) v = tf.mean(v, Array.from({ length: v.rank - w.rank }, (_, i) => w.rank + i));
      w = tf.broadcastTo(w, v.shape);
      this.total.add(tf.sum(tf.mul(v, w)));
      this.weightedCount.add(tf.sum(w));
    });
  }

  result(): number {
    const total = this.total.read()[0]!;
    const count = this.count + this.weightedCount.read()[0]!;
    return count === 0 ? 0 : total / count;
  }

  reset(): void {
    this.total.reset();
    this.weightedCount.reset();
    this.count = 0;
  }

  dispose(): void {
    this.total.dispose();
    this.weightedCount.dispose();
  }
}

/** A per-sample metric function: `(y_true, y_pred) => values` (Keras's metric functions and losses). */
export type MetricFn = (y_true: tf.Tensor, y_pred: tf.Tensor) => tf.Tensor;

/**
 * Keras's `MeanMetricWrapper`: the running mean of a per-sample function, such as
 * `binary_accuracy` or `mean_absolute_error`.
 */
export class MeanMetricWrapper extends Metric {
  private readonly state = new MeanState();

  /**
   * @param shapes the shapes the built-in metric accepts, checked in `update_state`; a user's
   *   function gets none and receives its inputs as given.
   */
  constructor(
    private readonly fn: MetricFn,
    name?: string,
    private readonly options: Record<string, unknown> = {},
    private readonly shapes: MetricShapes | null = null,
  ) {
    super(name ?? (fn.name || 'mean_metric_wrapper'));
  }

  update_state(y_true: TensorInput, y_pred: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() => {
      const t = convertToTensor(y_true);
      const p = convertToTensor(y_pred);
      this.assertInputsCompatible(t.shape, p.shape);
      const values = this.fn(t, p);
      this.state.update(values, sample_weight === undefined || sample_weight === null ? undefined : convertToTensor(sample_weight));
    });
  }

  override assertInputsCompatible(yTrue: readonly number[], yPred: readonly number[]): void {
    if (this.shapes !== null) checkMetricShapes(this.shapes, this.name, yTrue, yPred);
  }

  result(): number {
    return this.state.result();
  }

  /**
   * `update_state` for several unweighted batches given at once, concatenated: the same state
   * (up to float32 rounding) when `fn` gives one value per sample, since the state is a sum of
   * values and a count of samples. Returns false, having updated nothing, when `fn` gives
   * something else (one value per batch): those batches must then be updated one by one.
   */
  update_state_concatenated(y_true: tf.Tensor, y_pred: tf.Tensor): boolean {
    this.assertInputsCompatible(y_true.shape, y_pred.shape);
    return tf.tidy(() => {
      const values = this.fn(y_true, y_pred);
      if (values.rank === 0 || values.shape[0] !== y_pred.shape[0]) return false;
      this.state.update(values);
      return true;
    });
  }

  override reset_state(): void {
    this.state.reset();
  }

  override dispose(): void {
    this.state.dispose();
    super.dispose();
  }

  override get_config(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

/** Keras's `Mean` metric: `update_state(values, sample_weight?)` averages the values given. */
export class MeanMetric extends Metric {
  private readonly state = new MeanState();

  constructor(name = 'mean') {
    super(name);
  }

  /** Adds `values` (and optional `sample_weight`); the second argument of Keras's signature is the weights. */
  update_state(values: TensorInput, sample_weight?: TensorInput | null): void {
    tf.tidy(() =>
      this.state.update(convertToTensor(values), sample_weight === undefined || sample_weight === null ? undefined : convertToTensor(sample_weight)),
    );
  }

  result(): number {
    return this.state.result();
  }

  override reset_state(): void {
    this.state.reset();
  }

  override dispose(): void {
    this.state.dispose();
    super.dispose();
  }

  override __call__(values: TensorInput, sample_weight?: TensorInput): number {
    this.update_state(values, sample_weight);
    return this.result();
  }
}
