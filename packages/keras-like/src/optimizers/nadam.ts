/**
 * Nadam: Adam with Nesterov momentum, with Dozat's momentum schedule
 * (Keras 3's keras/src/optimizers/nadam.py).
 *
 *   t = iterations + 1
 *   u_t   = beta_1 * (1 - 0.5 * 0.96^t)          u_t1 = beta_1 * (1 - 0.5 * 0.96^(t+1))
 *   u_product = u_product * u_t                    (once per step, over all steps so far)
 *   m = m + (g - m) * (1 - beta_1)
 *   v = v + (g² - v) * (1 - beta_2)
 *   m_hat = u_t1 * m / (1 - u_product * u_t1) + (1 - u_t) * g / (1 - u_product)
 *   v_hat = v / (1 - beta_2^t)
 *   w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)
 *
 * Reference: Dozat, 2015, http://cs229.stanford.edu/proj2015/054_report.pdf
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, floatBetween0And1, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';
import { f32, powF32 } from './float32.js';

const nadamSchema = baseOptimizerSchema.extend({
  beta_1: floatBetween0And1(0.9),
  beta_2: floatBetween0And1(0.999),
  epsilon: nonNegativeFloat(1e-7),
});

/**
 * Keyword arguments of `Nadam`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_1`: decay rate of the first-moment estimates, in [0, 1]. Defaults to 0.9.
 * - `beta_2`: decay rate of the second-moment estimates, in [0, 1]. Defaults to 0.999.
 * - `epsilon`: "epsilon hat", added to √v̂. Defaults to 1e-7.
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type NadamOptions = KerasOptions<typeof nadamSchema>;

type NadamSlot = 'momentum' | 'velocity';

export class NadamOptimizer extends Optimizer<NadamSlot> {
  static override readonly class_name = 'Nadam';
  readonly beta_1: number;
  readonly beta_2: number;
  readonly epsilon: number;
  /**
   * Keras's `_u_product`: u_1 · u_2 · … · u_t so far, an optimizer variable made in `build`.
   * A float32 value, as Keras's, so `variables` holds it exactly and `set_weights` restores it.
   */
  private _u_product: Float32Array | undefined;

  /** `Nadam(0.001)`, `Nadam({ learning_rate: 0.002, beta_1: 0.9 })`. */
  constructor(...given: OptimizerArgs<NadamOptions>) {
    const args = parseOptimizerArgs('Nadam', nadamSchema, given);
    super(args, { learning_rate: 0.001, name: 'nadam' });
    this.beta_1 = args.beta_1;
    this.beta_2 = args.beta_2;
    this.epsilon = args.epsilon;
  }

  /** `momentum` (m) and `velocity` (v), variable by variable as Keras adds them, then `u_product` (once). */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, ['momentum', 'velocity']);
    // Keras makes it with backend.Variable(1.0): named `variable`, outside the optimizer's scope.
    this._u_product ??= this.add_variable([], 1, 'variable', { scoped: false });
  }

  /** The product of the momentum schedule u_1 · u_2 · … · u_t so far; 1 before the first step. */
  get u_product(): number {
    return this._u_product?.[0] ?? 1;
  }

  /** u_product moves once per step, before the variables are updated (Keras's `_backend_update_step`). */
  protected override before_update_steps(): void {
    this._u_product![0] = f32(this.u_product * f32(this.beta_1)) * this.decayFactor(this.iterations + 1);
  }

  /** Dozat's momentum schedule: u_t = beta_1 * (1 - 0.5 * 0.96^t). */
  private momentumSchedule(t: number): number {
    return f32(f32(this.beta_1) * this.decayFactor(t));
  }

  /** 1 − 0.5 · 0.96ᵗ, in float32 as Keras computes it. */
  private decayFactor(t: number): number {
    return f32(1 - 0.5 * powF32(0.96, t));
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<NadamSlot>): void {
    const { momentum: m, velocity: v } = slots;
    const { beta_1, beta_2, epsilon } = this;
    const t = this.iterations + 1;
    const u_t = this.momentumSchedule(t);
    const u_t1 = this.momentumSchedule(t + 1);
    const u_product_t = this.u_product;
    // Keras's Nadam casts β₁ and β₂ to float32 first, so even 1 − β₂ is a float32
    // (1 − 0.999ᶠ = 0.000999987): every scalar here is rounded as Keras's (float32.ts).
    const u_product_t1 = f32(u_product_t * u_t1);
    const beta_2_power = powF32(beta_2, t);
    const one_minus_beta_1 = f32(1 - f32(beta_1));
    const one_minus_beta_2 = f32(1 - f32(beta_2));
    const m_hat_scale = f32(1 - u_product_t1);
    const g_scale = f32(1 - u_t) / f32(1 - u_product_t);
    const v_hat_scale = f32(1 - beta_2_power);
    for (let i = 0; i < w.length; i++) {
      const g_i = g[i]!;
      const m_i = m[i]! + (g_i - m[i]!) * one_minus_beta_1;
      const v_i = v[i]! + (g_i * g_i - v[i]!) * one_minus_beta_2;
      m[i] = m_i;
      v[i] = v_i;
      const m_hat = (u_t1 * m_i) / m_hat_scale + g_scale * g_i;
      const v_hat = v_i / v_hat_scale;
      w[i] = w[i]! - (m_hat * learning_rate) / (Math.sqrt(v_hat) + epsilon);
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

  override get_config(): OptimizerConfig {
    const { beta_1, beta_2, epsilon } = this;
    return { ...super.get_config(), beta_1, beta_2, epsilon };
  }
}

/** Keras's `keras.optimizers.Nadam`; `new` is optional. */
export const Nadam = callable(NadamOptimizer);
export type Nadam = NadamOptimizer;
