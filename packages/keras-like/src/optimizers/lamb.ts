/**
 * Lamb: Adam's step, rescaled per variable (per layer weight) by the "trust ratio"
 * ‖w‖ / ‖step‖, so every layer moves by a similar fraction of its size; built for
 * large batches (Keras 3's keras/src/optimizers/lamb.py).
 *
 *   t = iterations + 1
 *   m = m + (g - m) * (1 - beta_1)
 *   v = v + (g² - v) * (1 - beta_2)
 *   update = (m / (1 - beta_1^t)) / (sqrt(v / (1 - beta_2^t)) + epsilon)
 *   ratio = ‖w‖ / ‖update‖   (1 when either norm is 0)
 *   w = w - ratio * learning_rate * update
 *
 * Unlike Keras's Adam, epsilon is added to the bias-corrected √v̂ (Algorithm 1's epsilon),
 * and the norms are over the whole variable.
 * Reference: You et al., 2019, https://arxiv.org/abs/1904.00962
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';
import { powF32 } from './float32.js';

const lambSchema = baseOptimizerSchema.extend({
  beta_1: floatBetween0And1(0.9),
  beta_2: floatBetween0And1(0.999),
  epsilon: nonNegativeFloat(1e-7),
});

/**
 * Keyword arguments of `Lamb`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_1`: decay rate of the first-moment estimates, in [0, 1]. Defaults to 0.9.
 * - `beta_2`: decay rate of the second-moment estimates, in [0, 1]. Defaults to 0.999.
 * - `epsilon`: added to the bias-corrected √v. Defaults to 1e-7.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type LambOptions = KerasOptions<typeof lambSchema>;

type LambSlot = 'momentum' | 'velocity';

export class LambOptimizer extends Optimizer<LambSlot> {
  static override readonly class_name = 'Lamb';
  readonly beta_1: number;
  readonly beta_2: number;
  readonly epsilon: number;

  /** `Lamb(0.001)`, `Lamb({ learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-6 })`. */
  constructor(...given: OptimizerArgs<LambOptions>) {
    const args = parseOptimizerArgs('Lamb', lambSchema, given);
    super(args, { learning_rate: 0.001, name: 'lamb' });
    this.beta_1 = args.beta_1;
    this.beta_2 = args.beta_2;
    this.epsilon = args.epsilon;
  }

  /** `momentum` (m) and `velocity` (v) per variable. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['momentum', 'velocity']);
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<LambSlot>): void {
    const { momentum: m, velocity: v } = slots;
    const { beta_1, beta_2, epsilon } = this;
    const t = this.iterations + 1;
    // β powers from β as float32, as Keras (float32.ts).
    const beta_1_power = powF32(beta_1, t);
    const beta_2_power = powF32(beta_2, t);
    const update = (i: number) => m[i]! / (1 - beta_1_power) / (Math.sqrt(v[i]! / (1 - beta_2_power)) + epsilon);

    // First pass: the moments, and the two norms the trust ratio needs.
    let wNormSquared = 0;
    let updateNormSquared = 0;
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      m[i] = m[i]! + (g_i - m[i]!) * (1 - beta_1);
      v[i] = v[i]! + (g_i * g_i - v[i]!) * (1 - beta_2);
      wNormSquared += w[i]! * w[i]!;
      updateNormSquared += update(i) ** 2;
    }
    const ratio = wNormSquared > 0 && updateNormSquared > 0 ? Math.sqrt(wNormSquared) / Math.sqrt(updateNormSquared) : 1;

    for (let i = 0; i < w.length; i++) w[i] = w[i]! - ratio * learning_rate * update(i);
  }

  /** First-moment estimates (m) of every variable, as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  /** Second-moment estimates (v) of every variable, as tensors the caller disposes. */
  get velocities(): tf.Tensor[] {
    return this.slotList('velocity');
  }

  override get_config(): OptimizerConfig {
    const { beta_1, beta_2, epsilon } = this;
    return { ...super.get_config(), beta_1, beta_2, epsilon };
  }
}

/** Keras's `keras.optimizers.Lamb`; `new` is optional. */
export const Lamb = callable(LambOptimizer);
export type Lamb = LambOptimizer;
