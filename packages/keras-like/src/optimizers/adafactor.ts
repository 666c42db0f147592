/**
 * Adafactor: an Adam-like step without the first moment, whose second moment of a
 * matrix is stored factored, as one value per row and one per column
 * (Keras 3's keras/src/optimizers/adafactor.py).
 *
 *   t = iterations + 1
 *   rho_t = min(learning_rate, 1 / sqrt(t))
 *   alpha_t = max(epsilon_2, rms(w)) * rho_t
 *   g2 = g² + epsilon_1
 *   beta_2_t = 1 - t^beta_2_decay
 *   rank >= 2 (over the last two axes, rows i and columns j):
 *     r_i = beta_2_t * r_i + (1 - beta_2_t) * mean_j(g2_ij)
 *     c_j = beta_2_t * c_j + (1 - beta_2_t) * mean_i(g2_ij)
 *     v_ij = (r_i / mean(r)) * c_j
 *   rank < 2:
 *     v = beta_2_t * v + (1 - beta_2_t) * g2
 *   u = g / sqrt(v)
 *   w = w - alpha_t * u / max(1, rms(u) / clip_threshold)
 *
 * where rms(x) = sqrt(mean(x²)) over the whole variable. The step is relative to the
 * weights' size (alpha_t), and `clip_threshold` caps the update's rms (independently
 * of `clipnorm` / `clipvalue`).
 * Reference: Shazeer & Stern, 2018, https://arxiv.org/abs/1804.04235
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import type { KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { baseOptimizerSchema, nonNegativeFloat, Optimizer, type OptimizerConfig, type Slots, type OptimizerArgs, parseOptimizerArgs } from './base.js';

const adafactorSchema = baseOptimizerSchema.extend({
  beta_2_decay: z.number().default(-0.8),
  epsilon_1: nonNegativeFloat(1e-30),
  epsilon_2: nonNegativeFloat(1e-3),
  clip_threshold: z.number().positive({ message: 'must be a float > 0' }).default(1.0),
  relative_step: z.boolean().default(true),
});

/**
 * Keyword arguments of `Adafactor`:
 * - `learning_rate` (or TF2 `lr`): a float, a schedule, or a function of no arguments. Defaults to 0.001.
 * - `beta_2_decay`: the second-moment decay is beta_2_t = 1 - t^beta_2_decay. Defaults to -0.8.
 * - `epsilon_1`: added to g², keeps the denominator away from 0. Defaults to 1e-30.
 * - `epsilon_2`: the smallest weight rms the step is relative to. Defaults to 1e-3.
 * - `clip_threshold`: > 0, the largest rms of an update. Defaults to 1.0.
 * - `relative_step`: with a constant learning rate, use min(learning_rate, 1 / √t). Defaults to true.
 *   (Keras 3 takes that minimum for rho_t in every case, so the flag changes no number.)
 * - and the arguments every optimizer takes (docs/optimizers.md, "Shared arguments").
 */
export type AdafactorOptions = KerasOptions<typeof adafactorSchema>;

/** The factored second moment of a variable of rank >= 2, shape [...batch, rows, cols]. */
interface FactoredMoment {
  batch: number;
  rows: number;
  cols: number;
  /** Row means, shape [...batch, rows] (Keras's `r`). */
  r: Float32Array;
  /** Column means, shape [...batch, cols] (Keras's `c`). */
  c: Float32Array;
}

function rms(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum / values.length);
}

export class AdafactorOptimizer extends Optimizer<'velocity'> {
  static override readonly class_name = 'Adafactor';
  readonly beta_2_decay: number;
  readonly epsilon_1: number;
  readonly epsilon_2: number;
  readonly clip_threshold: number;
  readonly relative_step: boolean;

  private readonly factored = new Map<tf.Variable, FactoredMoment>();
  private readonly builtVariables = new Set<tf.Variable>();

  /** `Adafactor(0.01)`, `Adafactor({ learning_rate: 0.01, clip_threshold: 1.0, relative_step: false })`. */
  constructor(...given: OptimizerArgs<AdafactorOptions>) {
    const args = parseOptimizerArgs('Adafactor', adafactorSchema, given);
    super(args, { learning_rate: 0.001, name: 'adafactor' });
    this.beta_2_decay = args.beta_2_decay;
    this.epsilon_1 = args.epsilon_1;
    this.epsilon_2 = args.epsilon_2;
    this.clip_threshold = args.clip_threshold;
    this.relative_step = args.relative_step;
  }

  /**
   * Variable by variable, as Keras's `build`: the factored `r` and `c` (for a variable of rank
   * < 2, Keras's two placeholder scalars, never updated), then the `velocity` slot (v).
   * `variables` lists them in that order.
   */
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    for (const variable of variables) {
      if (this.builtVariables.has(variable)) continue;
      this.builtVariables.add(variable);
      const shape = variable.shape;
      // Named after the weight, as Keras: its placeholders are backend.Variable(0, name=var.name)
      // (a bare `bias`), its factored moments add_variable(name=var.name) (`adafactor/kernel`).
      if (shape.length < 2) {
        this.add_variable([], 0, 'variable', { named_after: variable, scoped: false });
        this.add_variable([], 0, 'variable', { named_after: variable, scoped: false });
      } else {
        const rows = shape[shape.length - 2]!;
        const cols = shape[shape.length - 1]!;
        const batch = variable.size / (rows * cols);
        const r = this.add_variable(shape.slice(0, -1), 0, 'variable', { named_after: variable });
        const c = this.add_variable([...shape.slice(0, -2), cols], 0, 'variable', { named_after: variable });
        this.factored.set(variable, { batch, rows, cols, r, c });
      }
      this.add_variable_from_reference(variable, 'velocity');
    }
  }

  update_step(g: Float32Array, w: Float32Array, learning_rate: number, slots: Slots<'velocity'>, variable: tf.Variable): void {
    const v = slots.velocity;
    const t = this.iterations + 1;
    const rho_t = Math.min(learning_rate, 1 / Math.sqrt(t));
    const alpha_t = Math.max(this.epsilon_2, rms(w)) * rho_t;
    const beta_2_t = 1 - t ** this.beta_2_decay;
    const g2 = (i: number) => g[i]! * g[i]! + this.epsilon_1;

    const moment = this.factored.get(variable);
    if (moment) this.updateFactored(moment, v, g2, beta_2_t);
    else for (let i = 0; i < v.length; i++) v[i] = beta_2_t * v[i]! + (1 - beta_2_t) * g2(i);

    let uSquared = 0;
    for (let i = 0; i < w.length; i++) uSquared += (g[i]! * g[i]!) / v[i]!;
    const clip = Math.max(1, Math.sqrt(uSquared / w.length) / this.clip_threshold);
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - (alpha_t * (g[i]! / Math.sqrt(v[i]!))) / clip;
  }

  /** r and c from the row and column means of g2, then v = (r / mean(r)) ⊗ c, per batch. */
  private updateFactored(moment: FactoredMoment, v: Float32Array, g2: (i: number) => number, beta_2_t: number): void {
    const { batch, rows, cols, r, c } = moment;
    for (let b = 0; b < batch; b++) {
      const offset = b * rows * cols;
      for (let i = 0; i < rows; i++) {
        let rowSum = 0;
        for (let j = 0; j < cols; j++) rowSum += g2(offset + i * cols + j);
        r[b * rows + i] = beta_2_t * r[b * rows + i]! + (1 - beta_2_t) * (rowSum / cols);
      }
      for (let j = 0; j < cols; j++) {
        let colSum = 0;
        for (let i = 0; i < rows; i++) colSum += g2(offset + i * cols + j);
        c[b * cols + j] = beta_2_t * c[b * cols + j]! + (1 - beta_2_t) * (colSum / rows);
      }
      let rSum = 0;
      for (let i = 0; i < rows; i++) rSum += r[b * rows + i]!;
      const rMean = rSum / rows;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) v[offset + i * cols + j] = (r[b * rows + i]! / rMean) * c[b * cols + j]!;
      }
    }
  }

  /**
   * Also reads the factored moments: `get_slot(kernel, 'r')` (shape without the last axis)
   * and `get_slot(kernel, 'c')` (shape without the second-to-last axis), for rank >= 2.
   */
  override get_slot(variable: tf.Variable, slot_name: string): tf.Tensor {
    if (slot_name !== 'r' && slot_name !== 'c') return super.get_slot(variable, slot_name);
    const moment = this.factored.get(variable);
    if (!moment) {
      throw new ValueError(
        `Adafactor.get_slot: variable '${variable.name}' has no factored moment ${repr(slot_name)} ` +
          '(only variables of rank >= 2 seen by the optimizer have one).',
      );
    }
    const shape = variable.shape;
    return slot_name === 'r'
      ? tf.tensor(moment.r.slice(), shape.slice(0, -1), 'float32')
      : tf.tensor(moment.c.slice(), [...shape.slice(0, -2), shape[shape.length - 1]!], 'float32');
  }

  /** The second moments (v) of every variable, as tensors the caller disposes. */
  get velocities(): tf.Tensor[] {
    return this.slotList('velocity');
  }

  override dispose(): void {
    super.dispose();
    this.factored.clear();
    this.builtVariables.clear();
  }

  override get_config(): OptimizerConfig {
    const { beta_2_decay, epsilon_1, epsilon_2, clip_threshold, relative_step } = this;
    return { ...super.get_config(), beta_2_decay, epsilon_1, epsilon_2, clip_threshold, relative_step };
  }
}

/** Keras's `keras.optimizers.Adafactor`; `new` is optional. */
export const Adafactor = callable(AdafactorOptimizer);
export type Adafactor = AdafactorOptimizer;
