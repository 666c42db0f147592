/**
 * Lion: the sign of an interpolation between momentum and gradient sets the step;
 * only one slot, the momentum (Keras 3's keras/src/optimizers/lion.py).
 *
 *   w = w - learning_rate * sign(beta_1 * m + (1 - beta_1) * g)
 *   m = beta_2 * m + (1 - beta_2) * g
 *
 * Every weight moves by exactly ±learning_rate (or 0), so a good learning rate is
 * 3-10x smaller than AdamW's, and weight_decay 3-10x larger (the same lr · wd).
 * Reference: Chen et al., 2023, http://arxiv.org/abs/2302.06675
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

// Keras's words, and its check: beta_1 = 0 would make Lion plain SignSGD.
const beta1Message = 'must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD';

const lionSchema = baseOptimizerSchema.extend({
  beta_1: z.number({ message: beta1Message }).gt(0, { message: beta1Message }).max(1, { message: beta1Message }).default(0.9),
  beta_2: floatBetween0And1(0.99),
});

/**
 * Keyword arguments of `Lion`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_1`: how much of the momentum goes into the sign, in (0, 1]. Defaults to 0.9.
 * - `beta_2`: decay rate of the momentum, in [0, 1]. Defaults to 0.99.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type LionOptions = KerasOptions<typeof lionSchema>;

export class LionOptimizer extends Optimizer<'momentum'> {
  static override readonly class_name = 'Lion';
  readonly beta_1: number;
  readonly beta_2: number;

  /** `Lion(0.0001)`, `Lion({ learning_rate: 1e-4, beta_1: 0.9, beta_2: 0.99, weight_decay: 0.01 })`. */
  constructor(...given: OptimizerArgs<LionOptions>) {
    const args = parseOptimizerArgs('Lion', lionSchema, given);
    super(args, { learning_rate: 0.001, name: 'lion' });
    this.beta_1 = args.beta_1;
    this.beta_2 = args.beta_2;
  }

  /** One `momentum` slot (m) per variable. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, 'momentum');
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<'momentum'>): void {
    const m = slots.momentum;
    const { beta_1, beta_2 } = this;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const m_i = m[i]!;
      w[i] = w[i]! - learning_rate * Math.sign(beta_1 * m_i + (1 - beta_1) * g_i);
      m[i] = beta_2 * m_i + (1 - beta_2) * g_i;
    }
  }

  /** The momentum (m) of every variable, as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  override get_config(): OptimizerConfig {
    return { ...super.get_config(), beta_1: this.beta_1, beta_2: this.beta_2 };
  }
}

/** Keras's `keras.optimizers.Lion`; `new` is optional. */
export const Lion = callable(LionOptimizer);
export type Lion = LionOptimizer;
