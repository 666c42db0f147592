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
 * Everything runs inside one `tf.tidy` per batch, and each call's backward inside one of its
 * own (its intermediates go as soon as it returns); the loss and metric values stay
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
import type { CallOptions, ForwardPass, Gradients, Masks, RegularizedWeight, Regularizer, Tensors } from '../layers/layer.js';
import type { DeferredLogs } from './deferred_logs.js';
import type { Graph, GraphStep } from './graph.js';
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

/**
 * Which gradients a backward pass over a graph computes and where they go, for one list of
 * weights: fixed by the graph and by which weights train, so made once, not per batch.
 */
export interface BackwardPlan {
  /** The weights the pass gives ∂C/∂w for (a model's `trainable_weights`). */
  readonly weights: readonly tf.Variable[];
  /** For each call, the index in `weights` of each of its layer's trainable weights (−1: not among them). */
  readonly weightSlots: ReadonlyArray<readonly number[]>;
  /** For each tensor, whether ∂C/∂tensor is needed: a call that leads to it trains, or it is a graph input whose gradient is wanted. */
  readonly wanted: readonly boolean[];
  /** For each call, whether it must compute ∂C/∂inputs (some input is wanted). */
  readonly needInputGradient: readonly boolean[];
}

export function backwardPlan(graph: Graph, weights: readonly tf.Variable[], needInputGradients: boolean): BackwardPlan {
  const index = new Map(weights.map((w, i) => [w, i]));
  const wanted = new Array<boolean>(graph.tensorCount).fill(false);
  for (let i = 0; i < graph.inputs.length; i++) wanted[i] = needInputGradients;
  const weightSlots: number[][] = [];
  const needInputGradient: boolean[] = [];
  for (const step of graph.steps) {
    const slots = step.layer.trainable_weights.map((w) => index.get(w) ?? -1);
    const inputWanted = step.inputs.some((id) => wanted[id]);
    weightSlots.push(slots);
    needInputGradient.push(inputWanted);
    const trains = inputWanted || slots.some((k) => k >= 0);
    for (const id of step.outputs) wanted[id] = trains;
  }
  return { weights, weightSlots, wanted, needInputGradient };
}

/** The call that made output `k`, when it is a single-output σ(z) layer whose δ the model may start from. */
interface FusibleOutput {
  readonly step: number;
  readonly layer: AnyLayer & ActivatedLayer;
}

/**
 * What every batch of a loop over a graph reads from the model besides the data, gathered once
 * per loop (`fit`, `evaluate`) rather than per batch: a model's weight lists are gathered from
 * its layers on each read, and which calls need which gradients follows from them. As in Keras,
 * whose train function is traced once, a change of `trainable` counts from the next `fit`.
 */
export interface StepPlan {
  /** The trainable weights, in the model's order: what the optimizer updates. */
  readonly trainable: readonly tf.Variable[];
  /** The trainable weights that have a regularizer (their penalty joins the loss). */
  readonly regularized: readonly RegularizedWeight[];
  /** The regularizer of each of `trainable`, or null. */
  readonly regularizers: ReadonlyArray<Regularizer | null>;
  readonly backward: BackwardPlan;
  /** For each model output, the call whose δ = ∂C/∂z its loss may give from the logits. */
  readonly fusible: ReadonlyArray<FusibleOutput | null>;
}

/**
 * The plan of a model with a graph; null for a `Model` subclass trained by autodiff, whose
 * layers may make their weights at its first call (so each step reads its weight lists).
 */
export function stepPlan(model: EngineModel): StepPlan | null {
  const { graph } = model;
  if (graph === null) return null;
  const trainable = model.trainable_weights;
  const regularized = trainableRegularized(model);
  const byVariable = new Map(regularized.map((w) => [w.variable, w.regularizer]));
  return {
    trainable,
    regularized,
    regularizers: trainable.map((w) => byVariable.get(w) ?? null),
    backward: backwardPlan(graph, trainable, false),
    fusible: graph.outputIds.map((_, k) => fusibleOutput(graph, k)),
  };
}

const trainableRegularized = (model: EngineModel): RegularizedWeight[] => model.regularized_weights.filter((w) => w.trainable);

/** A forward run over a graph: every tensor's value and mask by number, and each call's pass. */
export interface GraphRun {
  readonly values: tf.Tensor[];
  /** Each tensor's mask (null for none), as the layers propagated it: an output's mask weighs its loss. */
  readonly masks: readonly Masks[];
  readonly passes: Array<ForwardPass<unknown, Tensors, Tensors>>;
  /** Σ of activity-regularizer penalties, or null when no layer has one. */
  readonly activityPenalty: tf.Tensor | null;
}

// The hot loops below index arrays and avoid per-call closures: for a classroom-sized net the
// step's JavaScript costs as much as its kernels (bench/README.md, W1).
function pick(values: readonly tf.Tensor[], ids: readonly number[], list: boolean): Tensors {
  return list ? ids.map((id) => values[id]!) : values[ids[0]!]!;
}
function pickMask(masks: readonly Masks[], ids: readonly number[], list: boolean): Masks {
  return list ? ids.map((id) => (masks[id] as tf.Tensor | null) ?? null) : ((masks[ids[0]!] as tf.Tensor | null) ?? null);
}
const asList = (t: Tensors): tf.Tensor[] => (Array.isArray(t) ? t : [t]);

/** A run's arrays, with the graph's inputs (and their masks) in the first entries. */
function startRun(graph: Graph, xs: readonly tf.Tensor[], inputMasks: readonly Masks[]): { values: tf.Tensor[]; masks: Masks[] } {
  const values: tf.Tensor[] = new Array(graph.tensorCount);
  const masks: Masks[] = new Array(graph.tensorCount).fill(null);
  for (let i = 0; i < xs.length; i++) {
    values[i] = xs[i]!;
    masks[i] = inputMasks[i] ?? null;
  }
  return { values, masks };
}

/** Stores a call's outputs and their mask (Keras's propagation: a layer that supports masking computes it; any other ends it). */
function storeOutputs(step: GraphStep, inputs: Tensors, mask: Masks, outputs: Tensors, values: tf.Tensor[], masks: Masks[]): void {
  const { layer } = step;
  const outMask = layer.supports_masking ? layer.compute_mask(inputs, mask) : null;
  if (!Array.isArray(outputs)) {
    values[step.outputs[0]!] = outputs;
    masks[step.outputs[0]!] = Array.isArray(outMask) ? (outMask[0] ?? null) : outMask;
    return;
  }
  for (let i = 0; i < step.outputs.length; i++) {
    values[step.outputs[i]!] = outputs[i]!;
    masks[step.outputs[i]!] = Array.isArray(outMask) ? (outMask[i] ?? null) : outMask;
  }
}

/** The graph's outputs, in order, from a run's values. */
export function graphOutputs(graph: Graph, values: readonly tf.Tensor[]): tf.Tensor[] {
  const out: tf.Tensor[] = new Array(graph.outputIds.length);
  for (let k = 0; k < out.length; k++) out[k] = values[graph.outputIds[k]!]!;
  return out;
}

/** 1. Forward through every call of the graph, passing masks on as Keras does. */
export function runGraph(graph: Graph, xs: readonly tf.Tensor[], training: boolean, inputMasks: readonly Masks[] = []): GraphRun {
  const { values, masks } = startRun(graph, xs, inputMasks);
  const passes: Array<ForwardPass<unknown, Tensors, Tensors>> = new Array(graph.steps.length);
  let activityPenalty: tf.Tensor | null = null;
  for (let s = 0; s < graph.steps.length; s++) {
    const step = graph.steps[s]!;
    const { layer } = step;
    const inputs = pick(values, step.inputs, step.listInput);
    const mask = pickMask(masks, step.inputs, step.listInput);
    const pass = layer.forward(inputs, training, mask);
    passes[s] = pass;
    storeOutputs(step, inputs, mask, pass.outputs, values, masks);
    if (layer.activity_regularizer !== null) {
      for (const out of asList(pass.outputs)) {
        const penalty = layer.activity_regularizer.call(out);
        activityPenalty = activityPenalty === null ? penalty : tf.add(activityPenalty, penalty);
      }
    }
  }
  return { values, masks, passes, activityPenalty };
}

/** Inference through every call (`predict`, and a model called as a layer). */
export function predictGraph(graph: Graph, xs: readonly tf.Tensor[], inputMasks: readonly Masks[] = []): tf.Tensor[] {
  const { values, masks } = startRun(graph, xs, inputMasks);
  for (const step of graph.steps) {
    const inputs = pick(values, step.inputs, step.listInput);
    const mask = pickMask(masks, step.inputs, step.listInput);
    storeOutputs(step, inputs, mask, step.layer.call(inputs, { training: false, mask }), values, masks);
  }
  return graphOutputs(graph, values);
}

/** ∂C/∂z of an output layer whose loss reads its logits: the call's index and δ. */
interface FusedOutput {
  readonly step: number;
  readonly delta: tf.Tensor;
  readonly layer: AnyLayer & ActivatedLayer;
}

/** What a backward pass gives: ∂C/∂w for each of the plan's weights (summed over shared calls; undefined where no call reached it), and ∂C/∂inputs of the graph. */
export interface GraphGradients {
  readonly weights: Array<tf.Tensor | undefined>;
  readonly inputs: Array<tf.Tensor | undefined>;
}

/** `sums[i] += g` (`sums[i] = g` the first time). */
function accumulate(sums: Array<tf.Tensor | undefined>, i: number, g: tf.Tensor): void {
  const sum = sums[i];
  sums[i] = sum === undefined ? g : tf.add(sum, g);
}

function fusedAt(fused: readonly FusedOutput[], step: number): FusedOutput | undefined {
  for (const f of fused) if (f.step === step) return f;
  return undefined;
}

/**
 * ∂C/∂outputs of a call (zeros for an output nothing read), plus its activity regularizer's
 * gradient; null when nothing downstream read any of its outputs.
 */
function outputGradients(step: GraphStep, pass: ForwardPass<unknown, Tensors, Tensors>, dValues: ReadonlyArray<tf.Tensor | undefined>): Tensors | null {
  const regularizer = step.layer.activity_regularizer;
  if (!step.listOutput) {
    const d = dValues[step.outputs[0]!];
    if (d === undefined) return null;
    return regularizer === null ? d : tf.add(d, regularizer.gradient(asList(pass.outputs)[0]!));
  }
  if (step.outputs.every((id) => dValues[id] === undefined)) return null;
  const outputs = asList(pass.outputs);
  return step.outputs.map((id, i) => {
    const d = dValues[id] ?? tf.zerosLike(outputs[i]!);
    return regularizer === null ? d : tf.add(d, regularizer.gradient(outputs[i]!));
  });
}

/**
 * One call's backward in a `tf.tidy` of its own, so that what it makes besides its gradients
 * (δ, masks, transposed operands) is freed as soon as it returns rather than at the end of the
 * step: the step's tidy would otherwise hold every layer's intermediates at once (W4 on cpu:
 * 190 MB of tensors at the end of the backward, against tfjs-layers's peak of 115 MB).
 */
function tidyBackward(backward: () => Gradients<Tensors> | null): Gradients<Tensors> | null {
  let gradients: Gradients<Tensors> | null = null;
  tf.tidy(() => {
    gradients = backward();
    if (gradients === null) return [];
    const { inputGradient, weightGradients } = gradients as Gradients<Tensors>;
    return [...weightGradients, ...(inputGradient === null ? [] : asList(inputGradient))];
  });
  return gradients;
}

/**
 * 3. Backward through the graph, last call first. `dValues[id]` starts with ∂C/∂output for
 * the outputs; each call adds its ∂C/∂inputs into the entries of its inputs (a fan-out sums).
 * A call computes ∂C/∂inputs only when the plan wants one of them.
 */
export function backpropGraph(graph: Graph, plan: BackwardPlan, run: GraphRun, dValues: Array<tf.Tensor | undefined>, fused: readonly FusedOutput[] = []): GraphGradients {
  const weights: Array<tf.Tensor | undefined> = new Array(plan.weights.length);
  for (let s = graph.steps.length - 1; s >= 0; s--) {
    const step = graph.steps[s]!;
    const { layer } = step;
    const pass = run.passes[s]!;
    const needInputGradient = plan.needInputGradient[s]!;
    const fusedHere = fusedAt(fused, s);
    const gradients = tidyBackward(() => {
      // δ = ∂C/∂z of the output layer, from the loss.
      if (fusedHere !== undefined) return fusedHere.layer.backwardFromDelta(fusedHere.delta, pass as ForwardPass<ActivationSaved>, needInputGradient) as Gradients<Tensors>;
      const dOutputs = outputGradients(step, pass, dValues);
      return dOutputs === null ? null : layer.backward(dOutputs, pass, needInputGradient);
    });
    // Nothing downstream reads this call's outputs: its weights get no gradient.
    if (gradients === null) continue;
    const slots = plan.weightSlots[s]!;
    for (let k = 0; k < gradients.weightGradients.length; k++) {
      if (slots[k] !== undefined && slots[k]! >= 0) accumulate(weights, slots[k]!, gradients.weightGradients[k]!);
    }
    if (!needInputGradient) continue;
    if (gradients.inputGradient === null) throw new RuntimeError(`Layer "${layer.name}" returned no input gradient from backward().`);
    const inputGradients = gradients.inputGradient;
    if (!Array.isArray(inputGradients)) {
      if (plan.wanted[step.inputs[0]!]) accumulate(dValues, step.inputs[0]!, inputGradients);
      continue;
    }
    for (let i = 0; i < step.inputs.length; i++) {
      if (plan.wanted[step.inputs[i]!]) accumulate(dValues, step.inputs[i]!, inputGradients[i]!);
    }
  }
  return { weights, inputs: dValues.slice(0, graph.inputs.length) };
}

/** Σ of the weight regularizers' penalties (trainable weights, as Keras 3), or null. */
function weightPenalty(regularized: readonly RegularizedWeight[]): tf.Tensor | null {
  let total: tf.Tensor | null = null;
  for (const { variable, regularizer } of regularized) {
    const penalty = regularizer.call(variable);
    total = total === null ? penalty : tf.add(total, penalty);
  }
  return total;
}

/** The call that made output `k`, when it is a single-output σ(z) layer whose δ the model may start from. */
function fusibleOutput(graph: Graph, k: number): FusibleOutput | null {
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

/** Each output's mask in a graph run (null for none, and for a model without a graph). */
function outputMasks(graph: Graph, run: GraphRun): Array<tf.Tensor | null> {
  return graph.outputIds.map((id) => (run.masks[id] as tf.Tensor | null | undefined) ?? null);
}

/** Each output's loss sample weights: the given ones with the output's mask folded in (loss_mask.ts). */
function outputLossWeights(compiled: Compiled, masks: ReadonlyArray<tf.Tensor | null>, sw: tf.Tensor | undefined): Array<tf.Tensor | undefined> {
  return compiled.outputs.map((output, k) => (output.loss === null ? sw : lossWeights(masks[k] ?? null, sw, output.loss.reduction)));
}

/** The losses of one batch: each output's (unweighted, as Keras logs them) and the total with loss weights and penalties. */
interface BatchLosses {
  readonly total: tf.Tensor;
  readonly perOutput: Array<tf.Tensor | null>;
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
 * `plan` is the model's, made once per loop (`stepPlan`).
 */
export function trainStep(
  model: EngineModel,
  compiled: Compiled,
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
  sampleWeight: tf.Tensor | null,
  trackers: LossTrackers,
  deferred: DeferredLogs | null = null,
  plan: StepPlan | null = stepPlan(model),
): void {
  const { graph } = model;
  if (graph === null || plan === null) {
    autodiffTrainStep(model, compiled, xs, ys, sampleWeight, trackers);
    return;
  }
  const { optimizer } = compiled;
  const sw = sampleWeight ?? undefined;
  const batchSize = xs[0]!.shape[0]!;
  tf.tidy(() => {
    // 1. Forward.
    const run = runGraph(graph, xs, true);
    const outputs = graphOutputs(graph, run.values);
    const masks = outputMasks(graph, run);
    const sws = outputLossWeights(compiled, masks, sw);

    // 2. Output error of each output, and the loss value Keras reports.
    const dValues: Array<tf.Tensor | undefined> = new Array(graph.tensorCount);
    const fused: FusedOutput[] = [];
    const logits: Array<{ activation: string; z: tf.Tensor } | null> = new Array(compiled.outputs.length).fill(null);
    for (let k = 0; k < compiled.outputs.length; k++) {
      const output = compiled.outputs[k]!;
      const { loss } = output;
      if (loss === null) continue;
      const y = ys[k]!;
      const candidate = loss.logitsGradient === undefined ? null : plan.fusible[k]!;
      const saved = candidate === null ? null : savedLogits(run, candidate.step);
      const delta = candidate === null || saved === null ? undefined : loss.logitsGradient!(candidate.layer.activation.name, y, saved.z!, saved.a, sws[k]);
      if (delta !== undefined && candidate !== null && saved !== null) {
        fused.push({ step: candidate.step, delta: scaled(delta, output.lossWeight), layer: candidate.layer });
        logits[k] = { activation: candidate.layer.activation.name, z: saved.z! };
      } else {
        accumulate(dValues, graph.outputIds[k]!, scaled(loss.gradient(y, outputs[k]!, sws[k]), output.lossWeight));
      }
    }
    if (deferred !== null && sw === undefined && masks.every((m) => m === null)) {
      deferred.record(ys[0]!, outputs[0]!, logits[0]?.z ?? null);
    } else {
      track(trackers, batchLosses(compiled, ys, outputs, sws, logits, addPenalties(weightPenalty(plan.regularized), run.activityPenalty)), batchSize);
      updateMetrics(compiled, ys, outputs, sw, masks);
    }

    // 3. Backward, last call first.
    const gradients = backpropGraph(graph, plan.backward, run, dValues, fused);

    // 4. One update of every trainable weight (with its regularizer's gradient), in the model's order
    // (Keras's train_step: `optimizer.apply(grads, trainable_weights)`).
    optimizer.apply(withRegularizers(plan, gradients.weights), plan.trainable);
  });
}

/** ∂C/∂(output) scaled by the output's loss weight. */
function scaled(g: tf.Tensor, lossWeight: number): tf.Tensor {
  return lossWeight === 1 ? g : tf.mul(g, lossWeight);
}

/** ∂C/∂w + the gradient of w's regularizer penalty, for every trainable weight in order; null where no call reached w. */
function withRegularizers(plan: StepPlan, gradients: ReadonlyArray<tf.Tensor | undefined>): Array<tf.Tensor | null> {
  const out: Array<tf.Tensor | null> = new Array(plan.trainable.length);
  for (let i = 0; i < out.length; i++) {
    const g = gradients[i];
    const regularizer = plan.regularizers[i]!;
    if (regularizer === null) out[i] = g ?? null;
    else out[i] = g === undefined ? regularizer.gradient(plan.trainable[i]!) : tf.add(g, regularizer.gradient(plan.trainable[i]!));
  }
  return out;
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
        losses = batchLosses(compiled, ys, outputs, outputs.map(() => sw), [], weightPenalty(trainableRegularized(model)));
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

/** One batch of `evaluate`: forward in inference mode, loss and metrics. `plan` as for `trainStep`. */
export function testStep(
  model: EngineModel,
  compiled: Compiled,
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
  sampleWeight: tf.Tensor | null,
  trackers: LossTrackers,
  plan: StepPlan | null = stepPlan(model),
): void {
  const sw = sampleWeight ?? undefined;
  const { graph } = model;
  tf.tidy(() => {
    if (graph === null || plan === null) {
      const outputs = asList(model.call(xs.length === 1 ? xs[0]! : [...xs], { training: false }));
      track(trackers, batchLosses(compiled, ys, outputs, outputs.map(() => sw), [], weightPenalty(trainableRegularized(model))), xs[0]!.shape[0]!);
      updateMetrics(compiled, ys, outputs, sw);
      return;
    }
    const run = runGraph(graph, xs, false);
    const outputs = graphOutputs(graph, run.values);
    const logits = compiled.outputs.map((output, k) => {
      if (output.loss?.logitsCall === undefined) return null;
      const candidate = plan.fusible[k]!;
      const saved = candidate === null ? null : savedLogits(run, candidate.step);
      return candidate === null || saved === null ? null : { activation: candidate.layer.activation.name, z: saved.z! };
    });
    const masks = outputMasks(graph, run);
    track(trackers, batchLosses(compiled, ys, outputs, outputLossWeights(compiled, masks, sw), logits, addPenalties(weightPenalty(plan.regularized), run.activityPenalty)), xs[0]!.shape[0]!);
    updateMetrics(compiled, ys, outputs, sw, masks);
  });
}

/** Inference on one batch: the model's outputs, in order. */
export function predictStep(model: EngineModel, xs: readonly tf.Tensor[]): tf.Tensor[] {
  if (model.graph !== null) return predictGraph(model.graph, xs);
  return asList(model.call(xs.length === 1 ? xs[0]! : [...xs], { training: false }));
}
