/**
 * Adam: momentum on the gradient (first moment) divided by the root of a running
 * average of its square (second moment), with bias correction
 * (Keras 3's keras/src/optimizers/adam.py).
 *
 *   t = iterations + 1
 *   alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 *   m = m + (g - m) * (1 - beta_1)
 *   v = v + (g² - v) * (1 - beta_2)
 *   amsgrad:  v_hat = max(v_hat, v);  v = v_hat
 *   w = w - alpha * m / (sqrt(v) + epsilon)
 *
 * Keras folds the bias correction into the step size (alpha) and adds epsilon to √v,
 * not to √v̂: this epsilon is the paper's "epsilon hat" (formula just before its
 * section 2.1), so it is smaller in effect than Algorithm 1's epsilon.
 * References: Kingma et al., 2014, http://arxiv.org/abs/1412.6980;
 * AMSGrad: Reddi et al., 2018, https://openreview.net/pdf?id=ryQu7f-RZ
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';
import { f32, powF32 } from './float32.js';

export const adamSchema = baseOptimizerSchema.extend({
  beta_1: floatBetween0And1(0.9),
  beta_2: floatBetween0And1(0.999),
  epsilon: nonNegativeFloat(1e-7),
  amsgrad: z.boolean().default(false),
});

/**
 * Keyword arguments of `Adam`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_1`: decay rate of the first-moment estimates, in [0, 1]. Defaults to 0.9.
 * - `beta_2`: decay rate of the second-moment estimates, in [0, 1]. Defaults to 0.999.
 * - `epsilon`: "epsilon hat", added to √v. Defaults to 1e-7.
 * - `amsgrad`: use the AMSGrad variant (divide by the largest v seen). Defaults to false.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type AdamOptions = KerasOptions<typeof adamSchema>;

type AdamSlot = 'momentum' | 'velocity' | 'velocity_hat';

export class AdamOptimizer extends Optimizer<AdamSlot> {
  static override readonly class_name: string = 'Adam';
  readonly beta_1: number;
  readonly beta_2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** `Adam(0.001)`, `Adam({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, amsgrad: false })`. */
  constructor(...given: OptimizerArgs<AdamOptions>) {
    const args = parseOptimizerArgs('Adam', adamSchema, given);
    super(args, { learning_rate: 0.001, name: 'adam' });
    this.beta_1 = args.beta_1;
    this.beta_2 = args.beta_2;
    this.epsilon = args.epsilon;
    this.amsgrad = args.amsgrad;
  }

  /** `momentum` (m) and `velocity` (v); `velocity_hat` (v̂) with amsgrad. */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['momentum', 'velocity']);
    if (this.amsgrad) this.add_optimizer_variables(variables, 'velocity_hat');
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<AdamSlot>): void {
    const { momentum: m, velocity: v, velocity_hat: v_hat } = slots;
    const { beta_1, beta_2, epsilon } = this;
    const t = this.iterations + 1;
    // float32 scalars, as Keras computes them (float32.ts): 1 - 0.999ᵗ from β₂ held as float32.
    const alpha = f32(f32(learning_rate * f32(Math.sqrt(1 - powF32(beta_2, t)))) / (1 - powF32(beta_1, t)));
    // Loop invariants named outside the loop: V8 does not hoist them, and this loop is the whole step.
    const one_minus_beta_1 = 1 - beta_1;
    const one_minus_beta_2 = 1 - beta_2;
    const n = w.length;
    if (this.amsgrad) {
      for (let i = 0; i < n; i++) {
        const g_i = g[i]!;
        const m_i = m[i]! + (g_i - m[i]!) * one_minus_beta_1;
        const v_i = v[i]! + (g_i * g_i - v[i]!) * one_minus_beta_2;
        const v_hat_i = Math.max(v_hat[i]!, v_i);
        m[i] = m_i;
        v[i] = v_i;
        v_hat[i] = v_hat_i;
        w[i] = w[i]! - (alpha * m_i) / (Math.sqrt(v_hat_i) + epsilon);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const g_i = g[i]!;
      const m_i = m[i]! + (g_i - m[i]!) * one_minus_beta_1;
      const v_i = v[i]! + (g_i * g_i - v[i]!) * one_minus_beta_2;
      m[i] = m_i;
      v[i] = v_i;
      w[i] = w[i]! - (alpha * m_i) / (Math.sqrt(v_i) + epsilon);
    }
  }

  /** First-moment estimates (m) of every variable, as tensors the caller disposes. */
  get momentums(): tf.Tensor[] {
    return this.slotList('momentum');
  }

  /** Second-moment estimates (v) of every variable, as tensors the caller disposes. */
  get velocities(): tf.Tensor[] {
    return this.slotList('velocity');
  }

  /** AMSGrad's running maximum of v (empty without amsgrad), as tensors the caller disposes. */
  get velocity_hats(): tf.Tensor[] {
    return this.slotList('velocity_hat');
  }

  override get_config(): OptimizerConfig {
    const { beta_1, beta_2, epsilon, amsgrad } = this;
    return { ...super.get_config(), beta_1, beta_2, epsilon, amsgrad };
  }
}

/** Keras's `keras.optimizers.Adam`; `new` is optional. */
export const Adam = callable(AdamOptimizer);
export type Adam = AdamOptimizer;
