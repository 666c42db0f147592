/**
 * RMSprop: divide the gradient by a running root-mean-square of recent gradients
 * (Keras 3's keras/src/optimizers/rmsprop.py).
 *
 *   velocity = rho * velocity + (1 - rho) * g²
 *   centered:  average_gradient = rho * average_gradient + (1 - rho) * g
 *              denominator = velocity - average_gradient² + epsilon
 *   else:      denominator = velocity + epsilon
 *   increment = learning_rate * g / sqrt(denominator)
 *   momentum > 0:  momentum_slot = momentum * momentum_slot + increment;  w = w - momentum_slot
 *   else:          w = w - increment
 *
 * Epsilon sits inside the square root ("epsilon hat").
 * Reference: Hinton, 2012, http://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

const rmspropSchema = baseOptimizerSchema.extend({
  rho: floatBetween0And1(0.9),
  momentum: floatBetween0And1(0),
  epsilon: nonNegativeFloat(1e-7),
  centered: z.boolean().default(false),
});

/**
 * Keyword arguments of `RMSprop`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `rho`: discounting factor for the old squared gradients, in [0, 1]. Defaults to 0.9.
 * - `momentum`: in [0, 1]; above 0, the increments are accumulated with this momentum. Defaults to 0.
 * - `epsilon`: small constant inside the square root ("epsilon hat"). Defaults to 1e-7.
 * - `centered`: divide by the estimated variance of the gradient instead of its second moment. Defaults to false.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type RMSpropOptions = KerasOptions<typeof rmspropSchema>;

type RMSpropSlot = 'velocity' | 'momentum' | 'average_gradient';

export class RMSpropOptimizer extends Optimizer<RMSpropSlot> {
  static override readonly class_name = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  /** `RMSprop(0.001)`, `RMSprop({ learning_rate: 0.001, rho: 0.9, centered: true })`. */
  constructor(...given: OptimizerArgs<RMSpropOptions>) {
    const args = parseOptimizerArgs('RMSprop', rmspropSchema, given);
    super(args, { learning_rate: 0.001, name: 'rm_sprop' });
    this.rho = args.rho;
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
    this.centered = args.centered;
  }

  /** `velocity` always; `momentum` when momentum > 0; `average_gradient` when centered. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, 'velocity');
    if (this.momentum > 0) this.add_optimizer_variables(variables, 'momentum');
    if (this.centered) this.add_optimizer_variables(variables, 'average_gradient');
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<RMSpropSlot>): void {
    const { velocity, momentum: momentumSlot, average_gradient } = slots;
    const { rho, momentum, epsilon, centered } = this;
    const lr = learning_rate;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const velocity_i = rho * velocity[i]! + (1 - rho) * g_i * g_i;
      velocity[i] = velocity_i;
      let denominator: number;
      if (centered) {
        const average_i = rho * average_gradient[i]! + (1 - rho) * g_i;
        average_gradient[i] = average_i;
        denominator = velocity_i - average_i * average_i + epsilon;
      } else {
        denominator = velocity_i + epsilon;
      }
      const increment = (lr * g_i) / Math.sqrt(denominator);
      if (momentum > 0) {
        const momentum_i = momentum * momentumSlot[i]! + increment;
        momentumSlot[i] = momentum_i;
        w[i] = w[i]! - momentum_i;
      } else {
        w[i] = w[i]! - increment;
      }
    }
  }

  /** Running average of g² for every variable, as tensors the caller disposes. */
  get velocities(): tf.Tensor[] {
    return this.slotList('velocity');
  }

  /** The momentum accumulators (empty when momentum is 0), as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  /** Running average of g when centered (else empty), as tensors the caller disposes. */
  get average_gradients(): tf.Tensor[] {
    return this.slotList('average_gradient');
  }

  override get_config(): OptimizerConfig {
    return { ...super.get_config(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/** Keras's `keras.optimizers.RMSprop`; `new` is optional. */
export const RMSprop = callable(RMSpropOptimizer);
export type RMSprop = RMSpropOptimizer;
