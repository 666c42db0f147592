/**
 * One training step without a gradient tape: the notebook's four equations
 * (docs/backprop.md).
 *
 *   1. forward: each layer's `forward`, in order, keeping what its backward needs;
 *   2. output error: ∂C/∂a of the loss, or ∂C/∂z straight from the logits when the
 *      output activation and the loss fuse (sigmoid + binary crossentropy,
 *      softmax + categorical crossentropy), as Keras's TensorFlow backend does;
 *   3. backward: each layer's `backward`, in reverse, giving ∂C/∂W per weight (BP1–BP4);
 *   4. one `optimizer.apply_gradients` with every trainable weight.
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
import type { ForwardPass, Gradients, Layer, Masks } from '../layers/layer.js';
import type { DeferredLogs } from './deferred_logs.js';

/** What `compile` resolved. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: LossFunction;
  /** Unweighted, as Keras's `metrics`: sample and class weights do not reach them. */
  readonly metrics: readonly Metric[];
  /** Keras's `weighted_metrics`: updated with the sample weights. */
  readonly weighted_metrics: readonly Metric[];
}

/** Every metric in log order: `metrics`, then `weighted_metrics`. */
export function allMetrics(compiled: Compiled): Metric[] {
  return [...compiled.metrics, ...compiled.weighted_metrics];
}

function updateMetrics(compiled: Compiled, y: tf.Tensor, outputs: tf.Tensor, sampleWeight: tf.Tensor | undefined): void {
  for (const metric of compiled.metrics) metric.update_state(y, outputs);
  for (const metric of compiled.weighted_metrics) metric.update_state(y, outputs, sampleWeight);
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

interface ForwardResult {
  readonly passes: ForwardPass[];
  readonly outputs: tf.Tensor;
  /** Σ of activity-regularizer penalties, or null when no layer has one. */
  readonly activityPenalty: tf.Tensor | null;
}

function forwardAll(layers: readonly Layer[], x: tf.Tensor, training: boolean): ForwardResult {
  const passes: ForwardPass[] = [];
  let h = x;
  let mask: Masks = null;
  let activityPenalty: tf.Tensor | null = null;
  for (const layer of layers) {
    const pass = layer.forward(h, training, mask);
    passes.push(pass);
    // Keras's mask propagation: a layer that supports masking computes its outputs' mask; any other ends it.
    mask = layer.supports_masking ? layer.compute_mask(h, mask) : null;
    h = pass.outputs;
    if (layer.activity_regularizer !== null) {
      const penalty = layer.activity_regularizer.call(h);
      activityPenalty = activityPenalty === null ? penalty : tf.add(activityPenalty, penalty);
    }
  }
  return { passes, outputs: h, activityPenalty };
}

/** Inference through every layer (`predict`). */
export function predictStep(layers: readonly Layer[], x: tf.Tensor): tf.Tensor {
  let h = x;
  let mask: Masks = null;
  for (const layer of layers) {
    const outputs = layer.call(h, { training: false, mask });
    mask = layer.supports_masking ? layer.compute_mask(h, mask) : null;
    h = outputs;
  }
  return h;
}

/** Σ of the weight regularizers' penalties (trainable weights, as Keras 3), or null. */
function weightPenalty(layers: readonly Layer[]): tf.Tensor | null {
  let total: tf.Tensor | null = null;
  for (const layer of layers) {
    for (const { variable, regularizer, trainable } of layer.regularized_weights) {
      if (!trainable) continue;
      const penalty = regularizer.call(variable);
      total = total === null ? penalty : tf.add(total, penalty);
    }
  }
  return total;
}

/** ∂C/∂z of the output layer, with its logits z, when the loss reads the logits; else null. */
function logitsPath(
  layers: readonly Layer[],
  passes: readonly ForwardPass[],
  loss: LossFunction,
  y: tf.Tensor,
  sampleWeight: tf.Tensor | undefined,
): { z: tf.Tensor; delta: tf.Tensor; layer: Layer & ActivatedLayer } | null {
  const last = layers[layers.length - 1]!;
  if (!isActivatedLayer(last) || last.activity_regularizer !== null) return null;
  if (loss.logitsGradient === undefined || loss.logitsCall === undefined) return null;
  const saved = passes[passes.length - 1]!.saved as ActivationSaved | undefined;
  if (saved?.z === null || saved?.z === undefined) return null;
  const delta = loss.logitsGradient(last.activation.name, y, saved.z, saved.a, sampleWeight);
  if (delta === undefined) return null;
  return { z: saved.z, delta, layer: last };
}

/**
 * One batch of `fit`: forward, loss, backward, one optimizer update; adds the
 * batch's loss to `tracker` and updates the metrics, or hands what they read to
 * `deferred` (unweighted batches). Tensors it makes are freed.
 */
export function trainStep(
  layers: readonly Layer[],
  compiled: Compiled,
  x: tf.Tensor,
  y: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  tracker: LossTracker,
  deferred: DeferredLogs | null = null,
): void {
  const { loss, optimizer } = compiled;
  const sw = sampleWeight ?? undefined;
  tf.tidy(() => {
    // 1. Forward.
    const { passes, outputs, activityPenalty } = forwardAll(layers, x, true);

    // 2. Output error, and the loss value Keras reports.
    const fused = logitsPath(layers, passes, loss, y, sw);
    if (deferred !== null && sw === undefined) {
      deferred.record(y, outputs, fused?.z ?? null);
    } else {
      const perSample = (fused === null ? undefined : loss.logitsCall!(fused.layer.activation.name, y, fused.z)) ?? loss.call(y, outputs);
      let batchLoss = loss.reduce(perSample, sw);
      const penalty = addPenalties(weightPenalty(layers), activityPenalty);
      if (penalty !== null) batchLoss = tf.add(batchLoss, penalty);
      tracker.add(batchLoss, x.shape[0]!);
      updateMetrics(compiled, y, outputs, sw);
    }

    // 3. Backward, last layer first. A layer needs ∂C/∂inputs only when a layer below it trains.
    const gradientsByLayer: Array<Array<[tf.Tensor, tf.Variable]>> = [];
    const trainsBelow = layersTrainingBelow(layers);
    let dOutputs = fused === null ? loss.gradient(y, outputs, sw) : fused.delta;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      const pass = passes[i]!;
      const needInputGradient = trainsBelow[i]!;
      let gradients: Gradients;
      if (fused !== null && i === layers.length - 1) {
        // dOutputs is already δ = ∂C/∂z of the output layer.
        gradients = fused.layer.backwardFromDelta(dOutputs, pass as ForwardPass<ActivationSaved>, needInputGradient);
      } else {
        if (layer.activity_regularizer !== null) dOutputs = tf.add(dOutputs, layer.activity_regularizer.gradient(pass.outputs));
        gradients = layer.backward(dOutputs, pass, needInputGradient);
      }
      const weights = layer.trainable_weights;
      gradientsByLayer[i] = gradients.weightGradients.map((g, k) => [withRegularizer(layer, weights[k]!, g), weights[k]!]);
      if (!needInputGradient) break;
      if (gradients.inputGradient === null) throw new RuntimeError(`Layer "${layer.name}" returned no input gradient from backward().`);
      dOutputs = gradients.inputGradient;
    }

    // 4. One update of every trainable weight.
    optimizer.apply_gradients(gradientsByLayer.flat());
  });
}

/** One batch of `evaluate`: forward in inference mode, loss and metrics. */
export function testStep(layers: readonly Layer[], compiled: Compiled, x: tf.Tensor, y: tf.Tensor, sampleWeight: tf.Tensor | null, tracker: LossTracker): void {
  const { loss } = compiled;
  const sw = sampleWeight ?? undefined;
  tf.tidy(() => {
    const { passes, outputs, activityPenalty } = forwardAll(layers, x, false);
    const fused = logitsCallOnly(layers, passes, loss, y);
    let batchLoss = loss.reduce(fused ?? loss.call(y, outputs), sw);
    const penalty = addPenalties(weightPenalty(layers), activityPenalty);
    if (penalty !== null) batchLoss = tf.add(batchLoss, penalty);
    tracker.add(batchLoss, x.shape[0]!);
    updateMetrics(compiled, y, outputs, sw);
  });
}

function logitsCallOnly(layers: readonly Layer[], passes: readonly ForwardPass[], loss: LossFunction, y: tf.Tensor): tf.Tensor | null {
  const last = layers[layers.length - 1]!;
  if (!isActivatedLayer(last) || loss.logitsCall === undefined) return null;
  const saved = passes[passes.length - 1]!.saved as ActivationSaved | undefined;
  if (saved?.z === null || saved?.z === undefined) return null;
  return loss.logitsCall(last.activation.name, y, saved.z) ?? null;
}

function addPenalties(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return tf.add(a, b);
}

/** ∂C/∂W plus the gradient of W's regularizer penalty, when it has one. */
function withRegularizer(layer: Layer, weight: tf.Variable, gradient: tf.Tensor): tf.Tensor {
  const entry = layer.regularized_weights.find((w) => w.variable === weight);
  return entry === undefined ? gradient : tf.add(gradient, entry.regularizer.gradient(weight));
}

/** trainsBelow[i]: whether some layer before i has trainable weights, so layer i must pass ∂C/∂inputs down. */
function layersTrainingBelow(layers: readonly Layer[]): boolean[] {
  const out: boolean[] = [];
  let any = false;
  for (const layer of layers) {
    out.push(any);
    if (layer.trainable_weights.length > 0) any = true;
  }
  return out;
}
