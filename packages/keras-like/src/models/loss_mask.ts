/**
 * An output's mask in the loss and the metrics, as Keras 3 applies it (keras/src/losses/loss.py
 * `apply_mask`, metrics/reduction_metrics.py): the mask the graph gives an output (Embedding's
 * `mask_zero`, Masking, through layers that support masking) becomes per-step sample weights.
 *
 * For the loss, with the default `sum_over_batch_size` reduction, a kept step weighs total/valid
 * and a masked one 0 (total = the mask's size, valid = its kept steps), so
 *
 *   loss = Σ lᵢ · mᵢ · total/valid / total = Σ lᵢ · mᵢ / valid,
 *
 * the mean over the kept steps, and its derivative is mᵢ / valid (through the same sample-weight
 * path of `loss.gradient`). Other reductions take the mask as 0/1 weights. Mean metrics (accuracy,
 * mae, ...: Keras's MeanMetricWrapper) average over the kept steps: their weights are the 0/1 mask.
 * Given sample weights multiply in, one per sample over its steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from '../losses/loss.js';
import { MeanMetricWrapper, type Metric } from '../metrics/metric.js';

/** One output's sample weights for its loss: the mask folded in, as Keras's `apply_mask`. */
export function lossWeights(mask: tf.Tensor | null, sampleWeight: tf.Tensor | undefined, reduction: Reduction): tf.Tensor | undefined {
  if (mask === null) return sampleWeight;
  const kept = tf.cast(mask, 'float32');
  let weights = kept;
  if (reduction === 'sum_over_batch_size' || reduction === 'mean') {
    // divide_no_nan(total, valid): an all-masked batch weighs nothing instead of NaN.
    const valid = tf.sum(kept);
    const perKept = tf.div(tf.scalar(kept.size), tf.maximum(valid, 1));
    weights = tf.mul(kept, perKept);
  }
  return withSampleWeight(weights, sampleWeight);
}

/** One metric's sample weights: the 0/1 mask for a mean metric (Keras masks those only), else the given ones. */
export function metricWeights(metric: Metric, mask: tf.Tensor | null, sampleWeight: tf.Tensor | undefined): tf.Tensor | undefined {
  if (mask === null || !(metric instanceof MeanMetricWrapper)) return sampleWeight;
  return withSampleWeight(tf.cast(mask, 'float32'), sampleWeight);
}

/** mask ⊙ sample weights, each sample's weight spread over its steps. */
function withSampleWeight(weights: tf.Tensor, sampleWeight: tf.Tensor | undefined): tf.Tensor {
  if (sampleWeight === undefined) return weights;
  const perSample = tf.reshape(tf.cast(sampleWeight, 'float32'), [sampleWeight.shape[0] ?? 1, ...new Array<number>(Math.max(weights.rank - 1, 0)).fill(1)]);
  return tf.mul(weights, perSample);
}
