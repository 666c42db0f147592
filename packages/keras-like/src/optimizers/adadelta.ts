/**
 * Adadelta: Adagrad with running averages instead of sums, and a step size that
 * carries its own units (Keras 3's keras/src/optimizers/adadelta.py).
 *
 *   accumulated_grad      = rho * accumulated_grad + (1 - rho) * g²
 *   delta                 = -sqrt(accumulated_delta_var + epsilon) / sqrt(accumulated_grad + epsilon) * g
 *   accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta²
 *   w = w + learning_rate * delta
 *
 * It keeps two running averages (of g² and of the update²). The paper has no learning
 * rate (learning_rate = 1.0 gives its exact form); Keras's default is 0.001.
 * Reference: Zeiler, 2012, http://arxiv.org/abs/1212.5701
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

const adadeltaSchema = baseOptimizerSchema.extend({
  rho: floatBetween0And1(0.95),
  epsilon: nonNegativeFloat(1e-7),
});

/**
 * Keyword arguments of `Adadelta`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001
 *   (1.0 is the paper's form).
 * - `rho`: decay rate of both running averages, in [0, 1]. Defaults to 0.95.
 * - `epsilon`: small constant inside both square roots. Defaults to 1e-7.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type AdadeltaOptions = KerasOptions<typeof adadeltaSchema>;

type AdadeltaSlot = 'accumulated_grad' | 'accumulated_delta_var';

export class AdadeltaOptimizer extends Optimizer<AdadeltaSlot> {
  static override readonly class_name = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  /** `Adadelta({ learning_rate: 1.0, rho: 0.95 })`. */
  constructor(...given: OptimizerArgs<AdadeltaOptions>) {
    const args = parseOptimizerArgs('Adadelta', adadeltaSchema, given);
    super(args, { learning_rate: 0.001, name: 'adadelta' });
    this.rho = args.rho;
    this.epsilon = args.epsilon;
  }

  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['accumulated_grad', 'accumulated_delta_var']);
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<AdadeltaSlot>): void {
    const { accumulated_grad, accumulated_delta_var } = slots;
    const { rho, epsilon } = this;
    const lr = learning_rate;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const grad_average = rho * accumulated_grad[i]! + (1 - rho) * g_i * g_i;
      accumulated_grad[i] = grad_average;
      const delta = (-Math.sqrt(accumulated_delta_var[i]! + epsilon) * g_i) / Math.sqrt(grad_average + epsilon);
      accumulated_delta_var[i] = rho * accumulated_delta_var[i]! + (1 - rho) * delta * delta;
      w[i] = w[i]! + lr * delta;
    }
  }

  /** Running average of g² for every variable, as tensors the caller disposes. */
  get accumulated_grads(): tf.Tensor[] {
    return this.slotList('accumulated_grad');
  }

  /** Running average of the squared updates for every variable, as tensors the caller disposes. */
  get accumulated_delta_vars(): tf.Tensor[] {
    return this.slotList('accumulated_delta_var');
  }

  override get_config(): OptimizerConfig {
    return { ...super.get_config(), rho: this.rho, epsilon: this.epsilon };
  }
}

/** Keras's `keras.optimizers.Adadelta`; `new` is optional. */
export const Adadelta = callable(AdadeltaOptimizer);
export type Adadelta = AdadeltaOptimizer;
