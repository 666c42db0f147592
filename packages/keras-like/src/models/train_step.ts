/**
 * One training step without a gradient tape: the notebook's four equations
 * (docs/backprop.md), run over the model's graph (models/graph.ts). A Sequential model is
 * the linear case: one layer after another.
 *
 *   1. forward: each layer call's `forward`, in graph order, keeping what its backward needs;
 *   2. output error: for each output, ∂C/∂a of its loss (times its loss weight), or ∂C/∂z
 *      straight from the logits when the output activation and the loss fuse (sigmoid + binary
 *      crossentropy, softmax + categorical crossentropy), as Keras's TensorFlow backend does;
 *   3. backward: each call's `backward`, in reverse, giving ∂C/∂W per weight (BP1–BP4); where a
 *      tensor feeds several layers, their ∂C/∂inputs are summed before the layer that made it
 *      receives them, and a layer called twice (shared) adds up the ∂C/∂W of both calls;
 *   4. one `optimizer.apply_gradients` with every trainable weight.
 *
 * A model without a graph (a `Model` subclass with its own `call`) trains by TensorFlow.js
 * autodiff instead: one forward under `tf.engine().gradients`, loss included.
 *
 * Regularization follows Keras 3: each weight regularizer's penalty and each
 * `activity_regularizer` penalty on a layer's outputs are added to the loss, and
 * their gradients to the weights' / outputs' gradients.
 *
 * Everything runs inside one `tf.tidy` per batch; the loss and metric values stay
 * on the backend (`LossTracker`, the metrics' state) until the host reads them, and
 * in `fit` are computed only then (`DeferredLogs`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossFunction } from '../losses.js';
import type { Metric } from '../metrics.js';
import type { Optimizer } from '../optimizers/base.js';
import { isActivatedLayer, type ActivatedLayer, type ActivationSaved } from '../layers/activation.js';
import { RuntimeError } from '../errors.js';
import type { AnyLayer } from '../layers/keras_tensor.js';
import type { CallOptions, ForwardPass, Gradients, Masks, RegularizedWeight, Tensors } from '../layers/layer.js';
import type { DeferredLogs } from './deferred_logs.js';
import type { Graph } from './graph.js';
import { lossWeights, metricWeights } from './loss_mask.js';

/** One output's part of what `compile` resolved. */
export interface CompiledOutput {
  /** The output layer's name: the prefix of its log keys when the model has several outputs. */
  readonly name: string;
  /** Null when `compile` gave this output no loss (a dict leaving it out). */
  readonly loss: LossFunction | null;
  readonly lossWeight: number;
  readonly metrics: readonly Metric[];
  readonly weighted_metrics: readonly Metric[];
  /** The log keys of `metrics` / `weighted_metrics` (`accuracy`, or `buy_accuracy` with several outputs). */
  readonly metricKeys: readonly string[];
  readonly weightedKeys: readonly string[];
}

/** What `compile` resolved. */
export interface Compiled {
  readonly optimizer: Optimizer;
  /** The first output's loss. */
  readonly loss: LossFunction;
  /** Unweighted, as Keras's `metrics`: sample and class weights do not reach them. Every output's, in order. */
  readonly metrics: readonly Metric[];
  /** Keras's `weighted_metrics`: updated with the sample weights. */
  readonly weighted_metrics: readonly Metric[];
  readonly outputs: readonly CompiledOutput[];
}

/** Every metric in log order: `metrics`, then `weighted_metrics`. */
export function allMetrics(compiled: Compiled): Metric[] {
  return [...compiled.metrics, ...compiled.weighted_metrics];
}

/** The log key of each of `allMetrics(compiled)`, in the same order. */
export function allMetricKeys(compiled: Compiled): string[] {
  return [...compiled.outputs.flatMap((o) => o.metricKeys), ...compiled.outputs.flatMap((o) => o.weightedKeys)];
}

/** `masks[k]`: output k's mask (Keras masks its mean metrics by it, loss_mask.ts). */
function updateMetrics(compiled: Compiled, ys: readonly tf.Tensor[], outputs: readonly tf.Tensor[], sampleWeight: tf.Tensor | undefined, masks: ReadonlyArray<tf.Tensor | null> = []): void {
  compiled.outputs.forEach((output, k) => {
    const mask = masks[k] ?? null;
    for (const metric of output.metrics) metric.update_state(ys[k]!, outputs[k]!, metricWeights(metric, mask, undefined));
    for (const metric of output.weighted_metrics) metric.update_state(ys[k]!, outputs[k]!, metricWeights(metric, mask, sampleWeight));
  });
}

/**
 * Keras's loss tracker: the mean of the batch losses weighted by batch size, kept as a
 * running sum on the backend (one op per batch) with the count on the host.
 */
export class LossTracker {
  private readonly total: tf.Variable;
  private count = 0;

  constructor() {
    const zero = tf.scalar(0);
    this.total = tf.variable(zero, false);
    zero.dispose();
  }

  /** Adds a batch whose mean loss is `batchLoss` over `batchSize` samples. */
  add(batchLoss: tf.Tensor, batchSize: number): void {
    this.set(tf.tidy(() => tf.add(this.total, tf.mul(batchLoss, batchSize))));
    this.count += batchSize;
  }

  /** The mean so far; reads one number from the backend. */
  result(): number {
    return this.count === 0 ? 0 : this.total.dataSync()[0]! / this.count;
  }

  reset(): void {
    this.set(tf.scalar(0));
    this.count = 0;
  }

  dispose(): void {
    this.total.dispose();
  }

  // The variable keeps its own reference to the value; the handle we made is released.
  private set(value: tf.Tensor): void {
    this.total.assign(value);
    value.dispose();
  }
}

/** The total loss (`loss`) and, for a model with several outputs, each output's (`<name>_loss`). */
export class LossTrackers {
  readonly total = new LossTracker();
  readonly outputs: LossTracker[];
  constructor(readonly outputNames: readonly string[]) {
    this.outputs = outputNames.length > 1 ? outputNames.map(() => new LossTracker()) : [];
  }
  reset(): void {
    this.total.reset();
    for (const t of this.outputs) t.reset();
  }
  dispose(): void {
    this.total.dispose();
    for (const t of this.outputs) t.dispose();
  }
}

/** What the engine needs from a model. */
export interface EngineModel {
  /** The layer calls to run; null for a `Model` subclass with its own `call` (autodiff). */
  readonly graph: Graph | null;
  readonly trainable_weights: tf.Variable[];
  readonly regularized_weights: RegularizedWeight[];
  call(inputs: Tensors, options?: CallOptions): Tensors;
}

/** A forward run over a graph: every tensor's value and mask by number, and each call's pass. */
export interface GraphRun {
  readonly values: tf.Tensor[];
  /** Each tensor's mask (null for none), as the layers propagated it: an output's mask weighs its loss. */
  readonly masks: readonly Masks[];
  readonly passes: Array<ForwardPass<unknown, Tensors, Tensors>>;
  /** Σ of activity-regularizer penalties, or null when no layer has one. */
  readonly activityPenalty: tf.Tensor | null;
}

const pick = (values: readonly tf.Tensor[], ids: readonly number[], list: boolean): Tensors => (list ? ids.map((id) => values[id]!) : values[ids[0]!]!);
const pickMask = (masks: readonly Masks[], ids: readonly number[], list: boolean): Masks =>
  list ? ids.map((id) => (masks[id] as tf.Tensor | null) ?? null) : ((masks[ids[0]!] as tf.Tensor | null) ?? null);
const asList = (t: Tensors): tf.Tensor[] => (Array.isArray(t) ? t : [t]);

/** 1. Forward through every call of the graph, passing masks on as Keras does. */
export function runGraph(graph: Graph, xs: readonly tf.Tensor[], training: boolean, inputMasks: readonly Masks[] = []): GraphRun {
  const values: tf.Tensor[] = new Array(graph.tensorCount);
  const masks: Masks[] = new Array(graph.tensorCount).fill(null);
  xs.forEach((x, i) => {
    values[i] = x;
    masks[i] = inputMasks[i] ?? null;
  });
  const passes: Array<ForwardPass<unknown, Tensors, Tensors>> = [];
  let activityPenalty: tf.Tensor | null = null;
  for (const step of graph.steps) {
    const { layer } = step;
    const inputs = pick(values, step.inputs, step.listInput);
    const mask = pickMask(masks, step.inputs, step.listInput);
    const pass = layer.forward(inputs, training, mask);
    passes.push(pass);
    const outputs = asList(pass.outputs);
    // Keras's mask propagation: a layer that supports masking computes its outputs' mask; any other ends it.
    const outMask = layer.supports_masking ? layer.compute_mask(inputs, mask) : null;
    step.outputs.forEach((id, i) => {
      values[id] = outputs[i]!;
      masks[id] = Array.isArray(outMask) ? (outMask[i] ?? null) : outMask;
    });
    if (layer.activity_regularizer !== null) {
      for (const out of outputs) {
        const penalty = layer.activity_regularizer.call(out);
        activityPenalty = activityPenalty === null ? penalty : tf.add(activityPenalty, penalty);
      }
    }
  }
  return { values, masks, passes, activityPenalty };
}

/** Inference through every call (`predict`, and a model called as a layer). */
export function predictGraph(graph: Graph, xs: readonly tf.Tensor[], inputMasks: readonly Masks[] = []): tf.Tensor[] {
  const values: tf.Tensor[] = new Array(graph.tensorCount);
  const masks: Masks[] = new Array(graph.tensorCount).fill(null);
  xs.forEach((x, i) => {
    values[i] = x;
    masks[i] = inputMasks[i] ?? null;
  });
  for (const step of graph.steps) {
    const { layer } = step;
    const inputs = pick(values, step.inputs, step.listInput);
    const mask = pickMask(masks, step.inputs, step.listInput);
    const outputs = asList(layer.call(inputs, { training: false, mask }));
    const outMask = layer.supports_masking ? layer.compute_mask(inputs, mask) : null;
    step.outputs.forEach((id, i) => {
      values[id] = outputs[i]!;
      masks[id] = Array.isArray(outMask) ? (outMask[i] ?? null) : outMask;
    });
  }
  return graph.outputIds.map((id) => values[id]!);
}

/** ∂C/∂z of an output layer whose loss reads its logits: the call's index and δ. */
interface FusedOutput {
  readonly step: number;
  readonly delta: tf.Tensor;
  readonly layer: AnyLayer & ActivatedLayer;
}

/** What a backward pass gives: ∂C/∂w by variable (summed over shared calls), and ∂C/∂inputs of the graph. */
export interface GraphGradients {
  readonly weights: Map<tf.Variable, tf.Tensor>;
  readonly inputs: Array<tf.Tensor | undefined>;
}

/**
 * 3. Backward through the graph, last call first. `dValues[id]` starts with ∂C/∂output for
 * the outputs; each call adds its ∂C/∂inputs into the entries of its inputs (a fan-out sums).
 * A call needs ∂C/∂inputs only when some call before it trains (or `needInputGradients`).
 */
export function backpropGraph(
  graph: Graph,
  run: GraphRun,
  dValues: Array<tf.Tensor | undefined>,
  needInputGradients: boolean,
  fused: readonly FusedOutput[] = [],
): GraphGradients {
  const trainsUpstream = upstreamTraining(graph, needInputGradients);
  const weights = new Map<tf.Variable, tf.Tensor>();
  for (let s = graph.steps.length - 1; s >= 0; s--) {
    const step = graph.steps[s]!;
    const { layer } = step;
    const pass = run.passes[s]!;
    const needInputGradient = step.inputs.some((id) => trainsUpstream[id]);
    const fusedHere = fused.find((f) => f.step === s);
    let gradients: Gradients<Tensors>;
    if (fusedHere !== undefined) {
      // δ = ∂C/∂z of the output layer, from the loss.
      gradients = fusedHere.layer.backwardFromDelta(fusedHere.delta, pass as ForwardPass<ActivationSaved>, needInputGradient) as Gradients<Tensors>;
    } else {
      const given = step.outputs.map((id) => dValues[id]);
      // Nothing downstream reads this call's outputs: its weights get no gradient.
      if (given.every((g) => g === undefined)) continue;
      const outputs = asList(pass.outputs);
      const dOutputs = given.map((g, i) => {
        let d = g ?? tf.zerosLike(outputs[i]!);
        if (layer.activity_regularizer !== null) d = tf.add(d, layer.activity_regularizer.gradient(outputs[i]!));
        return d;
      });
      gradients = layer.backward(step.listOutput ? dOutputs : dOutputs[0]!, pass, needInputGradient);
    }
    const layerWeights = layer.trainable_weights;
    gradients.weightGradients.forEach((g, k) => {
      const variable = layerWeights[k]!;
      const sum = weights.get(variable);
      weights.set(variable, sum === undefined ? g : tf.add(sum, g));
    });
    if (!needInputGradient) continue;
    if (gradients.inputGradient === null) throw new RuntimeError(`Layer "${layer.name}" returned no input gradient from backward().`);
    const inputGradients = asList(gradients.inputGradient);
    step.inputs.forEach((id, i) => {
      if (!trainsUpstream[id]) return;
      const g = inputGradients[i]!;
      const sum = dValues[id];
      dValues[id] = sum === undefined ? g : tf.add(sum, g);
    });
  }
  return { weights, inputs: graph.inputs.map((_, i) => dValues[i]) };
}

/** trainsUpstream[id]: whether some call that leads to tensor `id` has trainable weights (or it is an input whose gradient is wanted). */
function upstreamTraining(graph: Graph, inputsWanted: boolean): boolean[] {
  const trains = new Array<boolean>(graph.tensorCount).fill(false);
  for (let i = 0; i < graph.inputs.length; i++) trains[i] = inputsWanted;
  for (const step of graph.steps) {
    const any = step.layer.trainable_weights.length > 0 || step.inputs.some((id) => trains[id]);
    for (const id of step.outputs) trains[id] = any;
  }
  return trains;
}

/** Σ of the weight regularizers' penalties (trainable weights, as Keras 3), or null. */
function weightPenalty(model: EngineModel, regularized: readonly RegularizedWeight[] = model.regularized_weights): tf.Tensor | null {
  let total: tf.Tensor | null = null;
  for (const { variable, regularizer, trainable } of regularized) {
    if (!trainable) continue;
    const penalty = regularizer.call(variable);
    total = total === null ? penalty : tf.add(total, penalty);
  }
  return total;
}

/** The call that made output `k`, when it is a single-output σ(z) layer whose δ the model may start from. */
function fusibleOutput(graph: Graph, k: number): { step: number; layer: AnyLayer & ActivatedLayer } | null {
  const id = graph.outputIds[k]!;
  // Another reader of this tensor (or the same output listed twice) would add to ∂C/∂a: no shortcut then.
  if (graph.consumers[id] !== 0 || graph.outputIds.indexOf(id) !== graph.outputIds.lastIndexOf(id)) return null;
  const s = graph.steps.findIndex((step) => step.outputs.includes(id));
  if (s < 0) return null;
  const step = graph.steps[s]!;
  if (step.listOutput || !isActivatedLayer(step.layer as never) || step.layer.activity_regularizer !== null) return null;
  return { step: s, layer: step.layer as AnyLayer & ActivatedLayer };
}

/** The output layer's saved logits z and a = σ(z), when its forward kept them. */
function savedLogits(run: GraphRun, step: number): ActivationSaved | null {
  const saved = run.passes[step]!.saved as ActivationSaved | undefined;
  return saved?.z === null || saved?.z === undefined ? null : saved;
}

/** The losses of one batch: each output's (unweighted, as Keras logs them) and the total with loss weights and penalties. */
interface BatchLosses {
  readonly total: tf.Tensor;
  readonly perOutput: Array<tf.Tensor | null>;
}

/** Each output's mask in a graph run (null for none, and for a model without a graph). */
function outputMasks(graph: Graph, run: GraphRun): Array<tf.Tensor | null> {
  return graph.outputIds.map((id) => (run.masks[id] as tf.Tensor | null | undefined) ?? null);
}

/** Each output's loss sample weights: the given ones with the output's mask folded in (loss_mask.ts). */
function outputLossWeights(compiled: Compiled, masks: ReadonlyArray<tf.Tensor | null>, sw: tf.Tensor | undefined): Array<tf.Tensor | undefined> {
  return compiled.outputs.map((output, k) => (output.loss === null ? sw : lossWeights(masks[k] ?? null, sw, output.loss.reduction)));
}

/** `sws[k]`: output k's sample weights (the given ones, or with its mask folded in). */
function batchLosses(
  compiled: Compiled,
  ys: readonly tf.Tensor[],
  outputs: readonly tf.Tensor[],
  sws: ReadonlyArray<tf.Tensor | undefined>,
  logits: ReadonlyArray<{ activation: string; z: tf.Tensor } | null>,
  penalty: tf.Tensor | null,
): BatchLosses {
  let total: tf.Tensor | null = null;
  const perOutput = compiled.outputs.map((output, k) => {
    const { loss } = output;
    if (loss === null) return null;
    const fromLogits = logits[k];
    const perSample = (fromLogits === null || fromLogits === undefined ? undefined : loss.logitsCall?.(fromLogits.activation, ys[k]!, fromLogits.z)) ?? loss.call(ys[k]!, outputs[k]!);
    // A mask's weights are per step ([batch, steps]); a sparse loss may give its steps flat.
    const w = sws[k];
    const value = loss.reduce(perSample, w !== undefined && w.rank > 1 && w.rank !== perSample.rank && w.size === perSample.size ? tf.reshape(w, perSample.shape) : w);
    const weighted = output.lossWeight === 1 ? value : tf.mul(value, output.lossWeight);
    total = total === null ? weighted : tf.add(total, weighted);
    return value;
  });
  if (penalty !== null) total = total === null ? penalty : tf.add(total, penalty);
  return { total: total ?? tf.scalar(0), perOutput };
}

function track(trackers: LossTrackers, losses: BatchLosses, batchSize: number): void {
  trackers.total.add(losses.total, batchSize);
  trackers.outputs.forEach((tracker, k) => {
    const value = losses.perOutput[k];
    if (value !== null && value !== undefined) tracker.add(value, batchSize);
  });
}

function addPenalties(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return tf.add(a, b);
}

/**
 * One batch of `fit`: forward, loss, backward, one optimizer update; adds the
 * batch's loss to `trackers` and updates the metrics, or hands what they read to
 * `deferred` (unweighted batches of a single-output model). Tensors it makes are freed.
 */
export function trainStep(
  model: EngineModel,
  compiled: Compiled,
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
  sampleWeight: tf.Tensor | null,
  trackers: LossTrackers,
  deferred: DeferredLogs | null = null,
): void {
  const { graph } = model;
  if (graph === null) {
    autodiffTrainStep(model, compiled, xs, ys, sampleWeight, trackers);
    return;
  }
  const { optimizer } = compiled;
  const sw = sampleWeight ?? undefined;
  const batchSize = xs[0]!.shape[0]!;
  // Read once per step: a model's weight lists are gathered from its layers on each read.
  const trainable = model.trainable_weights;
  const regularized = model.regularized_weights;
  tf.tidy(() => {
    // 1. Forward.
    const run = runGraph(graph, xs, true);
    const outputs = graph.outputIds.map((id) => run.values[id]!);
    const masks = outputMasks(graph, run);
    const sws = outputLossWeights(compiled, masks, sw);

    // 2. Output error of each output, and the loss value Keras reports.
    const dValues: Array<tf.Tensor | undefined> = new Array(graph.tensorCount);
    const fused: FusedOutput[] = [];
    const logits: Array<{ activation: string; z: tf.Tensor } | null> = [];
    compiled.outputs.forEach((output, k) => {
      const { loss } = output;
      logits.push(null);
      if (loss === null) return;
      const id = graph.outputIds[k]!;
      const y = ys[k]!;
      const candidate = loss.logitsGradient === undefined ? null : fusibleOutput(graph, k);
      const saved = candidate === null ? null : savedLogits(run, candidate.step);
      const delta = candidate === null || saved === null ? undefined : loss.logitsGradient!(candidate.layer.activation.name, y, saved.z!, saved.a, sws[k]);
      const scale = (g: tf.Tensor) => (output.lossWeight === 1 ? g : tf.mul(g, output.lossWeight));
      if (delta !== undefined && candidate !== null && saved !== null) {
        fused.push({ step: candidate.step, delta: scale(delta), layer: candidate.layer });
        logits[k] = { activation: candidate.layer.activation.name, z: saved.z! };
      } else {
        const g = scale(loss.gradient(y, outputs[k]!, sws[k]));
        const sum = dValues[id];
        dValues[id] = sum === undefined ? g : tf.add(sum, g);
      }
    });
    if (deferred !== null && sw === undefined && masks.every((m) => m === null)) {
      deferred.record(ys[0]!, outputs[0]!, logits[0]?.z ?? null);
    } else {
      track(trackers, batchLosses(compiled, ys, outputs, sws, logits, addPenalties(weightPenalty(model, regularized), run.activityPenalty)), batchSize);
      updateMetrics(compiled, ys, outputs, sw, masks);
    }

    // 3. Backward, last call first.
    const gradients = backpropGraph(graph, run, dValues, false, fused);

    // 4. One update of every trainable weight (with its regularizer's gradient), in the model's order.
    optimizer.apply_gradients(withRegularizers(trainable, regularized, gradients.weights));
  });
}

/** [∂C/∂w + the gradient of w's regularizer penalty, w] for every trainable weight; null where no call reached w. */
function withRegularizers(trainable: readonly tf.Variable[], regularized: readonly RegularizedWeight[], gradients: Map<tf.Variable, tf.Tensor>): Array<[tf.Tensor | null, tf.Variable]> {
  const regularizers = regularized.length === 0 ? null : new Map(regularized.filter((w) => w.trainable).map((w) => [w.variable, w.regularizer]));
  return trainable.map((variable) => {
    const g = gradients.get(variable);
    const regularizer = regularizers?.get(variable);
    if (g === undefined) return [regularizer === undefined ? null : regularizer.gradient(variable), variable];
    return [regularizer === undefined ? g : tf.add(g, regularizer.gradient(variable)), variable];
  });
}

/**
 * A `Model` subclass's step: its `call` and the losses run once under TensorFlow.js's tape,
 * which gives ∂C/∂w of every trainable weight (the fallback of layers without a backward).
 */
function autodiffTrainStep(
  model: EngineModel,
  compiled: Compiled,
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
  sampleWeight: tf.Tensor | null,
  trackers: LossTrackers,
): void {
  const sw = sampleWeight ?? undefined;
  const weights = model.trainable_weights;
  tf.tidy(() => {
    let outputs: tf.Tensor[] = [];
    let losses: BatchLosses | null = null;
    const { grads } = tf.engine().gradients(
      () => {
        outputs = asList(model.call(xs.length === 1 ? xs[0]! : [...xs], { training: true })).map((t) => tf.keep(t));
        losses = batchLosses(compiled, ys, outputs, outputs.map(() => sw), [], weightPenalty(model));
        losses.perOutput.forEach((l) => l !== null && tf.keep(l));
        return tf.keep(losses.total) as tf.Scalar;
      },
      weights,
      undefined,
      true,
    );
    try {
      track(trackers, losses!, xs[0]!.shape[0]!);
      updateMetrics(compiled, ys, outputs, sw);
      compiled.optimizer.apply_gradients(weights.map((w, i) => [grads[i] ?? null, w]));
    } finally {
      const made = losses as BatchLosses | null;
      tf.dispose([...outputs, ...(made === null ? [] : [made.total, ...made.perOutput.filter((l): l is tf.Tensor => l !== null)])]);
    }
  });
}

/** One batch of `evaluate`: forward in inference mode, loss and metrics. */
export function testStep(model: EngineModel, compiled: Compiled, xs: readonly tf.Tensor[], ys: readonly tf.Tensor[], sampleWeight: tf.Tensor | null, trackers: LossTrackers): void {
  const sw = sampleWeight ?? undefined;
  const { graph } = model;
  tf.tidy(() => {
    if (graph === null) {
      const outputs = asList(model.call(xs.length === 1 ? xs[0]! : [...xs], { training: false }));
      track(trackers, batchLosses(compiled, ys, outputs, outputs.map(() => sw), [], weightPenalty(model)), xs[0]!.shape[0]!);
      updateMetrics(compiled, ys, outputs, sw);
      return;
    }
    const run = runGraph(graph, xs, false);
    const outputs = graph.outputIds.map((id) => run.values[id]!);
    const logits = compiled.outputs.map((output, k) => {
      if (output.loss?.logitsCall === undefined) return null;
      const candidate = fusibleOutput(graph, k);
      const saved = candidate === null ? null : savedLogits(run, candidate.step);
      return candidate === null || saved === null ? null : { activation: candidate.layer.activation.name, z: saved.z! };
    });
    const masks = outputMasks(graph, run);
    track(trackers, batchLosses(compiled, ys, outputs, outputLossWeights(compiled, masks, sw), logits, addPenalties(weightPenalty(model), run.activityPenalty)), xs[0]!.shape[0]!);
    updateMetrics(compiled, ys, outputs, sw, masks);
  });
}

/** Inference on one batch: the model's outputs, in order. */
export function predictStep(model: EngineModel, xs: readonly tf.Tensor[]): tf.Tensor[] {
  if (model.graph !== null) return predictGraph(model.graph, xs);
  return asList(model.call(xs.length === 1 ? xs[0]! : [...xs], { training: false }));
}
