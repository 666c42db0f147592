/**
 * FTRL, "Follow The Regularized Leader" (Keras 3's keras/src/optimizers/ftrl.py):
 * per-coordinate learning rates from the accumulated squared gradient (n), and a
 * "linear" sum (z) that L1 regularization can hold at exactly zero. Built for wide,
 * sparse, shallow models (click-through prediction).
 *
 *   n = initial_accumulator_value, z = 0 at the start
 *   g_shrunk = g + 2 * l2_shrinkage_regularization_strength * w
 *   n_new = n + g²
 *   sigma = (n_new^(-lr_power) - n^(-lr_power)) / learning_rate
 *   z = z + g_shrunk - sigma * w
 *   quadratic = n_new^(-lr_power) / learning_rate + 2 * (l2_regularization_strength + beta / (2 * learning_rate))
 *   w = (clip(z, -l1, l1) - z) / quadratic        (0 when |z| <= l1)
 *   n = n_new
 *
 * with lr_power = learning_rate_power and l1 = l1_regularization_strength. As in Keras,
 * n grows with g, not with the shrunk gradient.
 * Reference: McMahan et al., 2013, https://research.google.com/pubs/archive/41159.pdf
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';
import { f32 } from './float32.js';

/** A float >= 0, worded as Keras words FTRL's checks. */
function positiveOrZero(defaultValue: number) {
  const message = 'must be positive or zero';
  return z.number({ message }).min(0, { message }).default(defaultValue);
}

const ftrlSchema = baseOptimizerSchema.extend({
  learning_rate_power: z
    .number({ message: 'must be negative or zero' })
    .max(0, { message: 'must be negative or zero' })
    .default(-0.5),
  initial_accumulator_value: positiveOrZero(0.1),
  l1_regularization_strength: positiveOrZero(0.0),
  l2_regularization_strength: positiveOrZero(0.0),
  l2_shrinkage_regularization_strength: positiveOrZero(0.0),
  beta: z.number().default(0.0),
});

/**
 * Keyword arguments of `Ftrl`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `learning_rate_power`: <= 0; how the per-coordinate rate falls as n grows (0: fixed rate). Defaults to -0.5.
 * - `initial_accumulator_value`: >= 0, the starting n. Defaults to 0.1.
 * - `l1_regularization_strength`: >= 0. Defaults to 0.
 * - `l2_regularization_strength`: >= 0, the paper's stabilizing L2. Defaults to 0.
 * - `l2_shrinkage_regularization_strength`: >= 0, an L2 penalty on the weights' size, added to the
 *   gradient. Defaults to 0.
 * - `beta`: the paper's beta. Defaults to 0.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type FtrlOptions = KerasOptions<typeof ftrlSchema>;

type FtrlSlot = 'accumulator' | 'linear';

export class FtrlOptimizer extends Optimizer<FtrlSlot> {
  static override readonly class_name = 'Ftrl';
  readonly learning_rate_power: number;
  readonly initial_accumulator_value: number;
  readonly l1_regularization_strength: number;
  readonly l2_regularization_strength: number;
  readonly l2_shrinkage_regularization_strength: number;
  readonly beta: number;

  /** `Ftrl(0.05)`, `Ftrl({ learning_rate: 0.05, l1_regularization_strength: 0.01 })`. */
  constructor(...given: OptimizerArgs<FtrlOptions>) {
    const args = parseOptimizerArgs('Ftrl', ftrlSchema, given);
    super(args, { learning_rate: 0.001, name: 'ftrl' });
    this.learning_rate_power = args.learning_rate_power;
    this.initial_accumulator_value = args.initial_accumulator_value;
    this.l1_regularization_strength = args.l1_regularization_strength;
    this.l2_regularization_strength = args.l2_regularization_strength;
    this.l2_shrinkage_regularization_strength = args.l2_shrinkage_regularization_strength;
    this.beta = args.beta;
  }

  /** `accumulator` (n, from initial_accumulator_value) and `linear` (z, from 0) per variable. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['accumulator', 'linear'], [this.initial_accumulator_value, 0]);
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<FtrlSlot>): void {
    const { accumulator: n, linear: z } = slots;
    const lr = learning_rate;
    const power = -this.learning_rate_power;
    const l1 = this.l1_regularization_strength;
    const l2 = this.l2_regularization_strength + this.beta / (2 * lr);
    const shrinkage = this.l2_shrinkage_regularization_strength;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const w_i = w[i]!;
      const n_i = n[i]!;
      const gShrunk = g_i + 2 * shrinkage * w_i;
      const nNew = f32(n_i + g_i * g_i);
      // The difference of powers cancels: Keras takes it between float32 powers, and so
      // does this line, or small gradients would move the weights differently (float32.ts).
      const sigma = (f32(nNew ** power) - f32(n_i ** power)) / lr;
      const z_i = z[i]! + gShrunk - sigma * w_i;
      const quadratic = f32(nNew ** power) / lr + 2 * l2;
      const zClipped = Math.min(Math.max(z_i, -l1), l1);
      w[i] = (zClipped - z_i) / quadratic;
      z[i] = z_i;
      n[i] = nNew;
    }
  }

  /** The accumulated squared gradients (n) of every variable, as tensors the caller disposes. */
  get accumulators(): tf.Tensor[] {
    return this.slotList('accumulator');
  }

  /** The linear sums (z) of every variable, as tensors the caller disposes. */
  get linears(): tf.Tensor[] {
    return this.slotList('linear');
  }

  override get_config(): OptimizerConfig {
    return {
      ...super.get_config(),
      learning_rate_power: this.learning_rate_power,
      initial_accumulator_value: this.initial_accumulator_value,
      l1_regularization_strength: this.l1_regularization_strength,
      l2_regularization_strength: this.l2_regularization_strength,
      l2_shrinkage_regularization_strength: this.l2_shrinkage_regularization_strength,
      beta: this.beta,
    };
  }
}

/** Keras's `keras.optimizers.Ftrl`; `new` is optional. */
export const Ftrl = callable(FtrlOptimizer);
export type Ftrl = FtrlOptimizer;
