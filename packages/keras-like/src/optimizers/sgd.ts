/**
 * Gradient descent, with momentum and Nesterov momentum (Keras 3's keras/src/optimizers/sgd.py).
 *
 *   momentum = 0:   w = w - learning_rate * g
 *   momentum > 0:   velocity = momentum * velocity - learning_rate * g
 *                   w = w + velocity
 *   nesterov:       velocity = momentum * velocity - learning_rate * g
 *                   w = w + momentum * velocity - learning_rate * g
 *
 * Keras's momentum form keeps the learning rate inside the velocity (PyTorch's keeps
 * it outside), so the two differ once the learning rate changes during training.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

const sgdSchema = baseOptimizerSchema.extend({
  momentum: floatBetween0And1(0),
  nesterov: z.boolean().default(false),
});

/**
 * Keyword arguments of `SGD`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.01.
 * - `momentum`: float in [0, 1] that accelerates descent along consistent directions. Defaults to 0.
 * - `nesterov`: whether to apply Nesterov momentum. Defaults to false.
 * - and the arguments every optimizer takes (see `baseOptimizerSchema` and docs/optimizers.md):
 *   `decay`, `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`, `use_ema`, `ema_momentum`,
 *   `ema_overwrite_frequency`, `loss_scale_factor`, `gradient_accumulation_steps`, `name`.
 */
export type SGDOptions = KerasOptions<typeof sgdSchema>;

export class SGDOptimizer extends Optimizer<'momentum'> {
  static override readonly class_name = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  /** `SGD(0.01)`, `SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true })`. */
  constructor(...given: OptimizerArgs<SGDOptions>) {
    const args = parseOptimizerArgs('SGD', sgdSchema, given);
    super(args, { learning_rate: 0.01, name: 'sgd' });
    this.momentum = args.momentum;
    this.nesterov = args.nesterov;
  }

  /** One `momentum` slot (the velocity) per variable, only when `momentum` is not 0. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    if (this.momentum !== 0) this.add_optimizer_variables(variables, 'momentum');
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<'momentum'>): void {
    const lr = learning_rate;
    if (this.momentum === 0) {
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * g[i]!;
      return;
    }
    const mu = this.momentum;
    const velocity = slots.momentum;
    const nesterov = this.nesterov;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const velocity_i = mu * velocity[i]! - lr * g_i;
      velocity[i] = velocity_i;
      w[i] = nesterov ? w[i]! + mu * velocity_i - lr * g_i : w[i]! + velocity_i;
    }
  }

  /** The velocity of every variable (Keras's `momentums`), as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  override get_config(): OptimizerConfig {
    return { ...super.get_config(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

/** Keras's `keras.optimizers.SGD`; `new` is optional. */
export const SGD = callable(SGDOptimizer);
export type SGD = SGDOptimizer;
