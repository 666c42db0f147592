/**
 * Adagrad: a learning rate per parameter that shrinks as that parameter's squared
 * gradients add up (Keras 3's keras/src/optimizers/adagrad.py).
 *
 *   accumulator = accumulator + g²                       (starts at initial_accumulator_value)
 *   w = w - learning_rate * g / sqrt(accumulator + epsilon)
 *
 * Keras puts epsilon inside the square root and starts the accumulator at 0.1, so
 * the first steps are smaller than the paper's (which starts at 0).
 * Reference: Duchi et al., 2011, http://www.jmlr.org/papers/volume12/duchi11a/duchi11a.pdf
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

const adagradSchema = baseOptimizerSchema.extend({
  initial_accumulator_value: nonNegativeFloat(0.1),
  epsilon: nonNegativeFloat(1e-7),
});

/**
 * Keyword arguments of `Adagrad`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `initial_accumulator_value`: starting value of the accumulators, >= 0. Defaults to 0.1.
 * - `epsilon`: small constant inside the square root, for numerical stability. Defaults to 1e-7.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type AdagradOptions = KerasOptions<typeof adagradSchema>;

export class AdagradOptimizer extends Optimizer<'accumulator'> {
  static override readonly class_name = 'Adagrad';
  readonly initial_accumulator_value: number;
  readonly epsilon: number;

  /** `Adagrad(0.01)`, `Adagrad({ learning_rate: 0.01, initial_accumulator_value: 0.1 })`. */
  constructor(...given: OptimizerArgs<AdagradOptions>) {
    const args = parseOptimizerArgs('Adagrad', adagradSchema, given);
    super(args, { learning_rate: 0.001, name: 'adagrad' });
    this.initial_accumulator_value = args.initial_accumulator_value;
    this.epsilon = args.epsilon;
  }

  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, 'accumulator', this.initial_accumulator_value);
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<'accumulator'>): void {
    const { accumulator } = slots;
    const lr = learning_rate;
    const eps = this.epsilon;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const accumulator_i = accumulator[i]! + g_i * g_i;
      accumulator[i] = accumulator_i;
      w[i] = w[i]! - (lr * g_i) / Math.sqrt(accumulator_i + eps);
    }
  }

  /** The accumulated squared gradients of every variable, as tensors the caller disposes. */
  get accumulators(): tf.Tensor[] {
    return this.slotList('accumulator');
  }

  override get_config(): OptimizerConfig {
    return { ...super.get_config(), initial_accumulator_value: this.initial_accumulator_value, epsilon: this.epsilon };
  }
}

/** Keras's `keras.optimizers.Adagrad`; `new` is optional. */
export const Adagrad = callable(AdagradOptimizer);
export type Adagrad = AdagradOptimizer;
