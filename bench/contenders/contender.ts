/**
 * What the harness needs from a library under test: build the workload's net
 * with given initial weights, train it, predict. Each contender adapts its own
 * API to this, and nothing else differs between the runs.
 */
import type { tf as tfc } from 'keras-like';
import type { DenseWeights } from '../data.js';
import type { TrainingWorkload } from '../workloads.js';

export const CONTENDER_NAMES = ['keras-like', 'tfjs-layers'] as const;
export type ContenderName = (typeof CONTENDER_NAMES)[number];

/** Per-epoch training loss and accuracy, as the library's `fit` reported them. */
export interface FitHistory {
  loss: number[];
  accuracy: number[];
}

export interface CompiledModel {
  fit(x: tfc.Tensor, y: tfc.Tensor, epochs: number): Promise<FitHistory>;
  predict(x: tfc.Tensor): tfc.Tensor;
  dispose(): void;
}

export interface Contender {
  readonly name: ContenderName;
  /** A compiled model of `workload` (Adam, its loss, accuracy) starting from `weights`. */
  build(tf: typeof tfc, workload: TrainingWorkload, weights: readonly DenseWeights[]): CompiledModel;
}

/** The weights as tensors in Keras's order [kernel₁, bias₁, kernel₂, …]; the caller disposes them. */
export function weightTensors(tf: typeof tfc, weights: readonly DenseWeights[]): tfc.Tensor[] {
  return weights.flatMap((w) => [tf.tensor2d(w.kernel, [w.fanIn, w.units]), tf.tensor1d(w.bias)]);
}
