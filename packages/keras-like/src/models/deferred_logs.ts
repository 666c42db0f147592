/**
 * The loss value and metric updates of `fit`'s batches, computed when the host reads the logs
 * (epoch end, a progress-bar redraw) in one pass over the batches since the last read, rather
 * than in every step.
 *
 * Why: on a classroom net a step is bound by kernel dispatches, and the loss value and the
 * accuracy are 14 of W1's 41 kernels per step, mostly reductions, the slowest small kernels
 * (issue 8). Nothing reads them between two redraws, and each batch's values depend only on that
 * batch's outputs and targets, which are small and are kept until then.
 *
 * The numbers are Keras's: with the default reduction (a mean over the batch's per-sample
 * values) and no sample weights, the loss tracker's Σ_b mean_b · n_b equals the mean over the
 * concatenated batches times Σ_b n_b, and a mean metric's state is a sum and a count, so one
 * update with the concatenation gives the same state, up to float32 rounding (the sums are taken
 * in another order). Any other case (sample or class weights, another reduction, regularization
 * penalties, a metric that is not a per-sample mean) is computed in its step as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readOnlyData } from '../backend/host_values.js';
import { MeanMetricWrapper } from '../metrics/metric.js';
import type { Compiled, LossTracker } from './train_step.js';
import type { TrainableModel } from './training.js';

/**
 * What the loss and metrics of one batch read: its targets (copied to the host: the batch's
 * tensor is freed after the step, and a copy on the backend would cost a kernel), its outputs
 * and, on the fused path, the output layer's logits.
 */
interface PendingBatch {
  readonly y: tf.TypedArray;
  readonly yShape: number[];
  readonly yDtype: tf.DataType;
  readonly outputs: tf.Tensor;
  readonly logits: tf.Tensor | null;
}

/** Above this many kept output values the pending batches are folded in, so memory stays bounded. */
const MAX_PENDING_VALUES = 1 << 20;

export class DeferredLogs {
  private pending: PendingBatch[] = [];
  private pendingValues = 0;

  private constructor(
    private readonly compiled: Compiled,
    private readonly tracker: LossTracker,
    private readonly outputActivation: string,
  ) {}

  /** A DeferredLogs for this fit, or null when its losses and metrics must be computed per step. */
  static forFit(model: TrainableModel, compiled: Compiled, tracker: LossTracker): DeferredLogs | null {
    // One output with a loss, Keras's default reduction, per-sample mean metrics, and no penalty.
    if (compiled.outputs.length !== 1 || compiled.outputs[0]!.loss === null || model.graph === null) return null;
    if (compiled.loss.reduction !== 'sum_over_batch_size') return null;
    if (!compiled.metrics.concat(compiled.weighted_metrics).every((m) => m instanceof MeanMetricWrapper)) return null;
    const penalized =
      model.regularized_weights.some((w) => w.trainable) || model._flatten_layers(false).some((layer) => layer.activity_regularizer !== null);
    if (penalized) return null;
    const { graph } = model;
    const producer = graph.steps.find((step) => step.outputs.includes(graph.outputIds[0]!));
    const last = producer?.layer as Partial<{ activation: { name: string } }> | undefined;
    return new DeferredLogs(compiled, tracker, last?.activation?.name ?? 'linear');
  }

  /** Keeps one batch's outputs and logits until the next `flush`, and a copy of its targets. Call inside the step's `tf.tidy`. */
  record(y: tf.Tensor, outputs: tf.Tensor, logits: tf.Tensor | null): void {
    this.pending.push({
      y: readOnlyData(y).slice(),
      yShape: y.shape,
      yDtype: y.dtype,
      outputs: tf.keep(outputs),
      logits: logits === null ? null : tf.keep(logits),
    });
    this.pendingValues += outputs.size;
    if (this.pendingValues > MAX_PENDING_VALUES) this.flush();
  }

  /** Adds the pending batches to the loss tracker and the metrics. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batches = this.pending;
    this.pending = [];
    this.pendingValues = 0;
    const { loss } = this.compiled;
    try {
      tf.tidy(() => {
        const y = targetsOf(batches);
        const outputs = concat(batches.map((b) => b.outputs));
        const n = outputs.shape[0]!;
        const logits = batches[0]!.logits === null ? null : concat(batches.map((b) => b.logits!));
        const perSample = (logits === null ? undefined : loss.logitsCall?.(this.outputActivation, y, logits)) ?? loss.call(y, outputs);
        if (perSample.rank > 0 && perSample.shape[0] === n) {
          this.tracker.add(loss.reduce(perSample), n);
        } else {
          // A custom loss that does not give one value per sample: batch by batch, as in its step.
          for (const b of batches) {
            const yb = targetsOf([b]);
            const values = (b.logits === null ? undefined : loss.logitsCall?.(this.outputActivation, yb, b.logits)) ?? loss.call(yb, b.outputs);
            this.tracker.add(loss.reduce(values), b.outputs.shape[0]!);
          }
        }
        for (const metric of [...this.compiled.metrics, ...this.compiled.weighted_metrics]) {
          if (metric instanceof MeanMetricWrapper && metric.update_state_concatenated(y, outputs)) continue;
          for (const b of batches) metric.update_state(targetsOf([b]), b.outputs);
        }
      });
    } finally {
      for (const b of batches) tf.dispose([b.outputs, ...(b.logits === null ? [] : [b.logits])]);
    }
  }

  /** Frees the pending batches without reading them (a fit that ends by an error). */
  dispose(): void {
    for (const b of this.pending) tf.dispose([b.outputs, ...(b.logits === null ? [] : [b.logits])]);
    this.pending = [];
    this.pendingValues = 0;
  }
}

/** The batches' targets, concatenated on the host and uploaded as one tensor (no kernel). */
function targetsOf(batches: readonly PendingBatch[]): tf.Tensor {
  const first = batches[0]!;
  const TypedArray = first.y.constructor as new (length: number) => tf.TypedArray;
  const values = new TypedArray(batches.reduce((sum, b) => sum + b.y.length, 0));
  let offset = 0;
  for (const b of batches) {
    values.set(b.y, offset);
    offset += b.y.length;
  }
  const rows = batches.reduce((sum, b) => sum + b.yShape[0]!, 0);
  return tf.tensor(values, [rows, ...first.yShape.slice(1)], first.yDtype);
}

function concat(tensors: tf.Tensor[]): tf.Tensor {
  return tensors.length === 1 ? tensors[0]! : tf.concat(tensors, 0);
}
