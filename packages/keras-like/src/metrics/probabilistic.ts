/**
 * Keras's probabilistic and hinge metrics: the running mean of the loss of the same
 * name, per sample (`keras.metrics.BinaryCrossentropy`, `keras.metrics.Hinge`, ...).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { categoricalHinge, hinge, squaredHinge } from '../losses/hinge.js';
import { type LossSpec, prepare } from '../losses/loss.js';
import {
  binaryCrossentropySpec,
  categoricalCrossentropySpec,
  klDivergence,
  poisson,
  sparseCategoricalCrossentropySpec,
} from '../losses/probabilistic.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { MeanMetricWrapper } from './metric.js';
import { lossMetric } from './named.js';

/**
 * A loss's per-sample values as a metric function. It uses the loss's spec, not its public
 * function, so a sparse metric does not read the labels back to validate them on every batch.
 */
function perSample(spec: LossSpec): (t: tf.Tensor, p: tf.Tensor) => tf.Tensor {
  return (t, p) => spec.perSample(...prepare(t, p, spec.sparse));
}

/** Mean of `y_true * log(y_true / y_pred)`. Args: `name` (defaults to 'kl_divergence'). */
export const KLDivergence = lossMetric('KLDivergence', perSample(klDivergence), 'kl_divergence');
export type KLDivergence = MeanMetricWrapper;
/** Mean of `y_pred - y_true * log(y_pred)`. Args: `name` (defaults to 'poisson'). */
export const Poisson = lossMetric('Poisson', perSample(poisson), 'poisson');
export type Poisson = MeanMetricWrapper;
/** Mean hinge loss. Args: `name` (defaults to 'hinge'). */
export const Hinge = lossMetric('Hinge', perSample(hinge), 'hinge');
export type Hinge = MeanMetricWrapper;
/** Mean squared hinge loss. Args: `name` (defaults to 'squared_hinge'). */
export const SquaredHinge = lossMetric('SquaredHinge', perSample(squaredHinge), 'squared_hinge');
export type SquaredHinge = MeanMetricWrapper;
/** Mean categorical hinge loss. Args: `name` (defaults to 'categorical_hinge'). */
export const CategoricalHinge = lossMetric('CategoricalHinge', perSample(categoricalHinge), 'categorical_hinge');
export type CategoricalHinge = MeanMetricWrapper;

const smoothing = z
  .number({ message: 'must be a float in [0, 1]' })
  .min(0, { message: 'must be a float in [0, 1]' })
  .max(1, { message: 'must be a float in [0, 1]' })
  .default(0);
const fromLogits = z.boolean({ message: 'must be a boolean' }).default(false);
const axis = z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1);

const bceSchema = z.object({ name: z.string({ message: 'must be a string' }).default('binary_crossentropy'), from_logits: fromLogits, label_smoothing: smoothing });
/** Keyword arguments of the `BinaryCrossentropy` metric. */
export type BinaryCrossentropyMetricOptions = KerasOptions<typeof bceSchema>;

export class BinaryCrossentropyMetric extends MeanMetricWrapper {
  constructor(...args: [BinaryCrossentropyMetricOptions?] | [string]) {
    const o = parseArgs('BinaryCrossentropy', bceSchema, ['name'], args);
    const { from_logits, label_smoothing } = o;
    super(perSample(binaryCrossentropySpec({ from_logits, label_smoothing, axis: -1 })), o.name, { from_logits, label_smoothing }, { owner: 'BinaryCrossentropy', rule: 'same' });
  }
}
/** Mean binary crossentropy. Args: `name`, `from_logits` (defaults to false), `label_smoothing` (defaults to 0). */
export const BinaryCrossentropy = callable(BinaryCrossentropyMetric);
export type BinaryCrossentropy = BinaryCrossentropyMetric;

const cceSchema = z.object({
  name: z.string({ message: 'must be a string' }).default('categorical_crossentropy'),
  from_logits: fromLogits,
  label_smoothing: smoothing,
  axis,
});
/** Keyword arguments of the `CategoricalCrossentropy` metric. */
export type CategoricalCrossentropyMetricOptions = KerasOptions<typeof cceSchema>;

export class CategoricalCrossentropyMetric extends MeanMetricWrapper {
  constructor(...args: [CategoricalCrossentropyMetricOptions?] | [string]) {
    const o = parseArgs('CategoricalCrossentropy', cceSchema, ['name'], args);
    const { from_logits, label_smoothing } = o;
    super(perSample(categoricalCrossentropySpec(o)), o.name, { from_logits, label_smoothing, axis: o.axis }, {
      owner: 'CategoricalCrossentropy',
      rule: 'same',
      otherLabels: 'SparseCategoricalCrossentropy',
    });
  }
}
/** Mean categorical crossentropy. Args: `name`, `from_logits`, `label_smoothing`, `axis` (defaults to -1). */
export const CategoricalCrossentropy = callable(CategoricalCrossentropyMetric);
export type CategoricalCrossentropy = CategoricalCrossentropyMetric;

const scceSchema = z.object({ name: z.string({ message: 'must be a string' }).default('sparse_categorical_crossentropy'), from_logits: fromLogits });
/** Keyword arguments of the `SparseCategoricalCrossentropy` metric. */
export type SparseCategoricalCrossentropyMetricOptions = KerasOptions<typeof scceSchema>;

export class SparseCategoricalCrossentropyMetric extends MeanMetricWrapper {
  constructor(...args: [SparseCategoricalCrossentropyMetricOptions?] | [string]) {
    const o = parseArgs('SparseCategoricalCrossentropy', scceSchema, ['name'], args);
    super(perSample(sparseCategoricalCrossentropySpec(o)), o.name, { from_logits: o.from_logits }, {
      owner: 'SparseCategoricalCrossentropy',
      rule: 'sparse',
      otherLabels: 'CategoricalCrossentropy',
    });
  }
}
/** Mean sparse categorical crossentropy (integer labels). Args: `name`, `from_logits` (defaults to false). */
export const SparseCategoricalCrossentropy = callable(SparseCategoricalCrossentropyMetric);
export type SparseCategoricalCrossentropy = SparseCategoricalCrossentropyMetric;
