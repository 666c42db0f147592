/**
 * Adamax: Adam with the infinity norm in place of the second moment
 * (Keras 3's keras/src/optimizers/adamax.py; section 7.1 of the Adam paper).
 *
 *   t = iterations + 1
 *   m = m + (g - m) * (1 - beta_1)
 *   u = max(beta_2 * u, |g|)
 *   w = w - learning_rate * m / ((1 - beta_1^t) * (u + epsilon))
 *
 * Reference: Kingma et al., 2014, http://arxiv.org/abs/1412.6980
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';
import { powF32 } from './float32.js';

const adamaxSchema = baseOptimizerSchema.extend({
  beta_1: floatBetween0And1(0.9),
  beta_2: floatBetween0And1(0.999),
  epsilon: nonNegativeFloat(1e-7),
});

/**
 * Keyword arguments of `Adamax`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_1`: decay rate of the first-moment estimates, in [0, 1]. Defaults to 0.9.
 * - `beta_2`: decay rate of the weighted infinity norm, in [0, 1]. Defaults to 0.999.
 * - `epsilon`: small constant added to u. Defaults to 1e-7.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type AdamaxOptions = KerasOptions<typeof adamaxSchema>;

type AdamaxSlot = 'momentum' | 'norm';

export class AdamaxOptimizer extends Optimizer<AdamaxSlot> {
  static override readonly class_name = 'Adamax';
  readonly beta_1: number;
  readonly beta_2: number;
  readonly epsilon: number;

  /** `Adamax(0.002)`, `Adamax({ learning_rate: 0.002, beta_1: 0.9, beta_2: 0.999 })`. */
  constructor(...given: OptimizerArgs<AdamaxOptions>) {
    const args = parseOptimizerArgs('Adamax', adamaxSchema, given);
    super(args, { learning_rate: 0.001, name: 'adamax' });
    this.beta_1 = args.beta_1;
    this.beta_2 = args.beta_2;
    this.epsilon = args.epsilon;
  }

  /** `momentum` (m) and `norm` (u), as Keras names them. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['momentum', 'norm']);
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<AdamaxSlot>): void {
    const { momentum: m, norm: u } = slots;
    const { beta_1, beta_2, epsilon } = this;
    const t = this.iterations + 1;
    const correction = 1 - powF32(beta_1, t); // β₁ᵗ from β₁ as float32, as Keras (float32.ts)
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const m_i = m[i]! + (g_i - m[i]!) * (1 - beta_1);
      const u_i = Math.max(beta_2 * u[i]!, Math.abs(g_i));
      m[i] = m_i;
      u[i] = u_i;
      w[i] = w[i]! - (learning_rate * m_i) / (correction * (u_i + epsilon));
    }
  }

  /** First-moment estimates (m) of every variable, as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  /** Exponentially weighted infinity norms (u) of every variable, as tensors the caller disposes. */
  get norms(): tf.Tensor[] {
    return this.slotList('norm');
  }

  override get_config(): OptimizerConfig {
    const { beta_1, beta_2, epsilon } = this;
    return { ...super.get_config(), beta_1, beta_2, epsilon };
  }
}

/** Keras's `keras.optimizers.Adamax`; `new` is optional. */
export const Adamax = callable(AdamaxOptimizer);
export type Adamax = AdamaxOptimizer;
