/**
 * The training workloads of issue 8. Both contenders read the same spec, so the
 * net, the data, the optimizer and the loss cannot drift apart between them.
 */
import { binaryDataset, categoricalDataset, type Dataset, denseWeights, type DenseWeights } from './data.js';

export type ActivationName = 'relu' | 'sigmoid' | 'softmax';

export interface TrainingWorkload {
  readonly id: 'W1' | 'W2';
  /** Layer widths, input first: [8, 12, 8, 1] is Dense 12 → 8 → 1 on 8 features. */
  readonly sizes: readonly number[];
  readonly activations: readonly ActivationName[];
  readonly loss: 'binary_crossentropy' | 'categorical_crossentropy';
  readonly samples: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Adam's learning rate (Keras's and tf.train.adam's default). */
  readonly learningRate: number;
}

const W1: TrainingWorkload = {
  id: 'W1',
  sizes: [8, 12, 8, 1],
  activations: ['relu', 'relu', 'sigmoid'],
  loss: 'binary_crossentropy',
  samples: 768,
  batchSize: 10,
  epochs: 20,
  learningRate: 0.001,
};

const W2: TrainingWorkload = {
  id: 'W2',
  sizes: [784, 256, 256, 10],
  activations: ['relu', 'relu', 'softmax'],
  loss: 'categorical_crossentropy',
  samples: 8192,
  batchSize: 128,
  epochs: 2,
  learningRate: 0.001,
};

/**
 * `--quick` keeps W1 whole (it is the classroom case and takes seconds) and cuts
 * W2 to 2048 samples (32 steps over 2 epochs, enough for both contenders to get
 * past chance, so their accuracies can be compared): on `cpu` (≈0.5 GFLOP/s)
 * the full W2 takes about a minute per run.
 */
export function trainingWorkload(id: 'W1' | 'W2', quick: boolean): TrainingWorkload {
  if (id === 'W1') return W1;
  return quick ? { ...W2, samples: 2048 } : W2;
}

/** `W1: 768×8 → Dense 12 relu → 8 relu → 1 sigmoid, binary_crossentropy, batch 10, 20 epochs`. */
export function describeWorkload(w: TrainingWorkload): string {
  const layers = w.sizes.slice(1).map((units, i) => `${units} ${w.activations[i]}`).join(' → ');
  const epochs = `${w.epochs} epoch${w.epochs === 1 ? '' : 's'}`;
  return `${w.id}: ${w.samples}×${w.sizes[0]} → Dense ${layers}, Adam, ${w.loss}, batch ${w.batchSize}, ${epochs}`;
}

export const DATA_SEED = 1234;
export const WEIGHTS_SEED = 5678;

export function workloadData(w: TrainingWorkload): Dataset {
  const features = w.sizes[0]!;
  const classes = w.sizes[w.sizes.length - 1]!;
  return classes === 1
    ? binaryDataset(w.samples, features, DATA_SEED)
    : categoricalDataset(w.samples, features, classes, DATA_SEED);
}

export function workloadWeights(w: TrainingWorkload): DenseWeights[] {
  return denseWeights(w.sizes, WEIGHTS_SEED);
}

export function stepsPerEpoch(w: TrainingWorkload): number {
  return Math.ceil(w.samples / w.batchSize);
}

/**
 * Floating-point operations of one training epoch, counting only the matMuls
 * (2·m·n·k each): the forward x·W, and in the backward δ·Wᵀ and aᵀ·δ, so ×3.
 * (The first layer needs no δ·Wᵀ; counting it anyway follows the usual
 * convention and overstates the work by at most a third of layer 1's.)
 */
export function trainingFlopsPerEpoch(w: TrainingWorkload): number {
  let perSample = 0;
  for (let l = 0; l + 1 < w.sizes.length; l++) perSample += 2 * w.sizes[l]! * w.sizes[l + 1]!;
  return 3 * perSample * w.samples;
}
