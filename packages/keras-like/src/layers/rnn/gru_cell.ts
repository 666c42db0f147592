/**
 * `keras.layers.GRUCell(units, {...})`: one time step of a Gated Recurrent Unit, with Keras 3's
 * weights: `kernel` [input, 3·units], `recurrent_kernel` [units, 3·units], gates in the order
 * z (update), r (reset), h (candidate); with Keras 3's default `reset_after=True` the `bias` is
 * [2, 3·units]: row 0 is added to x·W, row 1 to h·U. With `reset_after=False` it is [3·units].
 *
 * Forward, one step (reset_after=True; x = x(t), h = h(t−1)):
 *
 *   [x_z x_r x_h] = x · W + b₀                [r_z r_r r_h] = h · U + b₁
 *   z = σ(x_z + r_z)    r = σ(x_r + r_r)
 *   ĥ = tanh(x_h + r ⊙ r_h)                     (reset_after=False: tanh(x_h + (r ⊙ h) · U_h))
 *   h(t) = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * Backward, one step, given ∂C/∂h(t):
 *
 *   δ_h = ∂C/∂h(t) ⊙ (1 − z) ⊙ tanh′            the candidate's δ
 *   δ_z = ∂C/∂h(t) ⊙ (h − ĥ) ⊙ σ′(z)
 *   δ_r = δ_h ⊙ r_h ⊙ σ′(r)                     (reset_after=False: (δ_h · U_hᵀ) ⊙ h ⊙ σ′(r))
 *   δx(t) = [δ_z δ_r δ_h]                         the δ of x · W + b₀
 *   δh(t) = [δ_z δ_r δ_h ⊙ r]                     the δ of h · U + b₁
 *   ∂C/∂h(t−1) = ∂C/∂h(t) ⊙ z + δh(t) · Uᵀ
 *
 * and over the sequence: ∂C/∂W = Σ_t x(t)ᵀ δx(t), ∂C/∂U = Σ_t h(t−1)ᵀ δh(t),
 * ∂C/∂b = [Σ δx ; Σ δh] (reset_after=False: ∂C/∂U_h = Σ_t (r ⊙ h(t−1))ᵀ δ_h, ∂C/∂b = Σ δx).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getActivation, type Activation } from '../../activations.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { Shape } from '../layer.js';
import {
  cellSchema,
  configOf,
  implementationField,
  RecurrentCell,
  recurrentActivationField,
  sumOverTime,
  type CellStep,
  type CellStepGradients,
  type DropoutMasks,
} from './recurrent_cell.js';

export const gruCellSchema = cellSchema.extend({
  recurrent_activation: recurrentActivationField,
  reset_after: z.boolean().default(true),
  implementation: implementationField,
});

/** Keyword arguments of `GRUCell`. */
export type GRUCellOptions = Omit<KerasOptions<typeof gruCellSchema>, 'units'>;

interface GRUTape {
  /** h(t−1), and as the recurrent kernel saw it (after recurrent dropout). */
  readonly h: tf.Tensor;
  readonly hPrev: tf.Tensor;
  readonly xz: tf.Tensor;
  readonly xr: tf.Tensor;
  readonly z: tf.Tensor;
  readonly r: tf.Tensor;
  /** reset_after: h·U_h + b₁_h; else (r ⊙ h) · U_h. */
  readonly rh: tf.Tensor;
  /** reset_after=False: r ⊙ h(t−1), what U_h multiplied. */
  readonly rTimesH: tf.Tensor | null;
  readonly hhPre: tf.Tensor;
  readonly hh: tf.Tensor;
}

interface GRUStepGradients extends CellStepGradients {
  /** δ of h(t−1) · U (+ b₁): [δ_z δ_r δ_h ⊙ r], or [δ_z δ_r] and δ_h for reset_after=False. */
  readonly dRecurrent: tf.Tensor;
}

export class GRUCellLayer extends RecurrentCell<GRUTape> {
  static readonly class_name = 'GRUCell';
  readonly activation: Activation;
  readonly recurrent_activation: Activation;
  readonly reset_after: boolean;
  readonly implementation: 1 | 2;

  /**
   * @param units the size of h, a positive integer.
   * @param options.activation of the candidate ĥ. Defaults to `'tanh'`.
   * @param options.recurrent_activation of the gates z and r. Defaults to `'sigmoid'`.
   * @param options.reset_after apply r after the recurrent matMul (Keras 3's and cuDNN's
   *   default, `true`) or before it (`false`, the original GRU).
   * @param options.dropout / recurrent_dropout / seed / initializers / regularizers / constraints as `LSTMCell`.
   */
  constructor(units: number | (GRUCellOptions & { units: number }), options?: GRUCellOptions) {
    const args = parseArgs('GRUCell', gruCellSchema, ['units'], [units, options]);
    super(args, 'gru_cell');
    this.activation = getActivation(args.activation);
    this.recurrent_activation = getActivation(args.recurrent_activation);
    this.reset_after = args.reset_after;
    this.implementation = args.implementation;
  }

  get state_size(): number[] {
    return [this.units];
  }

  override build(inputShape: Shape): void {
    const units = this.units;
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: [this.inputDim(inputShape), 3 * units],
      initializer: (shape) => this.kernel_initializer(shape),
      regularizer: this.kernel_regularizer,
      constraint: this.kernel_constraint,
    });
    this.recurrent_kernel = this.add_weight({
      name: 'recurrent_kernel',
      shape: [units, 3 * units],
      initializer: (shape) => this.recurrent_initializer(shape),
      regularizer: this.recurrent_regularizer,
      constraint: this.recurrent_constraint,
    });
    if (this.use_bias) {
      this.bias = this.add_weight({
        name: 'bias',
        // Separate input and recurrent biases with reset_after, as Keras 3 (not cuDNN's flat [6·units]).
        shape: this.reset_after ? [2, 3 * units] : [3 * units],
        initializer: (shape) => this.bias_initializer(shape),
        regularizer: this.bias_regularizer,
        constraint: this.bias_constraint,
      });
    }
    super.build(inputShape);
  }

  /** x̃ · W + b₀ for every step at once. */
  projectInputs(rows: tf.Tensor): tf.Tensor {
    const product = tf.matMul(rows, this.kernel!);
    if (this.bias === null) return product;
    return tf.add(product, this.reset_after ? tf.squeeze(tf.slice(this.bias, [0, 0], [1, -1]), [0]) : this.bias);
  }

  stepForward(projected: tf.Tensor, states: readonly tf.Tensor[], masks: DropoutMasks): CellStep<GRUTape> {
    const h = states[0]!;
    const hPrev = masks.recurrent === null ? h : tf.mul(h, masks.recurrent);
    const units = this.units;
    const sigma = this.recurrent_activation;
    const [xz, xr, xh] = tf.split(projected, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const U = this.recurrent_kernel!;
    let rz: tf.Tensor, rr: tf.Tensor, rh: tf.Tensor, rTimesH: tf.Tensor | null = null, r: tf.Tensor, hhPre: tf.Tensor;
    if (this.reset_after) {
      let inner = tf.matMul(hPrev, U);
      if (this.bias !== null) inner = tf.add(inner, tf.squeeze(tf.slice(this.bias, [1, 0], [1, -1]), [0]));
      [rz, rr, rh] = tf.split(inner, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      r = sigma.forward(tf.add(xr, rr));
      hhPre = tf.add(xh, tf.mul(r, rh));
    } else {
      [rz, rr] = tf.split(tf.matMul(hPrev, tf.slice(U, [0, 0], [-1, 2 * units])), 2, 1) as [tf.Tensor, tf.Tensor];
      r = sigma.forward(tf.add(xr, rr));
      rTimesH = tf.mul(r, hPrev);
      rh = tf.matMul(rTimesH, tf.slice(U, [0, 2 * units], [-1, units]));
      hhPre = tf.add(xh, rh);
    }
    const zGate = sigma.forward(tf.add(xz, rz));
    const hh = this.activation.forward(hhPre);
    // h(t) = z ⊙ h(t−1) + (1 − z) ⊙ ĥ
    const hNext = tf.add(tf.mul(zGate, h), tf.mul(tf.sub(1, zGate), hh));
    return { states: [hNext], tape: { h, hPrev, xz: tf.add(xz, rz), xr: tf.add(xr, rr), z: zGate, r, rh, rTimesH, hhPre, hh } };
  }

  stepBackward(dStates: readonly tf.Tensor[], tape: GRUTape, masks: DropoutMasks): GRUStepGradients {
    const dh = dStates[0]!;
    const sigma = this.recurrent_activation;
    const units = this.units;
    const U = this.recurrent_kernel!;
    // δ_h = ∂C/∂h ⊙ (1 − z) ⊙ tanh′ ;  δ_z = ∂C/∂h ⊙ (h − ĥ) ⊙ σ′
    const deltaH = this.activation.backward(tf.mul(dh, tf.sub(1, tape.z)), tape.hhPre, tape.hh);
    const deltaZ = sigma.backward(tf.mul(dh, tf.sub(tape.h, tape.hh)), tape.xz, tape.z);
    let deltaR: tf.Tensor, dRecurrent: tf.Tensor, dhPrev: tf.Tensor;
    if (this.reset_after) {
      // δ_r = δ_h ⊙ r_h ⊙ σ′ ;  δ of h·U + b₁ = [δ_z δ_r δ_h ⊙ r]
      deltaR = sigma.backward(tf.mul(deltaH, tape.rh), tape.xr, tape.r);
      dRecurrent = tf.concat([deltaZ, deltaR, tf.mul(deltaH, tape.r)], 1);
      dhPrev = tf.matMul(dRecurrent, U, false, true);
    } else {
      // ĥ's path into h goes through r ⊙ h: ∂C/∂(r ⊙ h) = δ_h · U_hᵀ
      const dRH = tf.matMul(deltaH, tf.slice(U, [0, 2 * units], [-1, units]), false, true);
      deltaR = sigma.backward(tf.mul(dRH, tape.hPrev), tape.xr, tape.r);
      dRecurrent = tf.concat([deltaZ, deltaR], 1);
      dhPrev = tf.add(tf.matMul(dRecurrent, tf.slice(U, [0, 0], [-1, 2 * units]), false, true), tf.mul(dRH, tape.r));
    }
    if (masks.recurrent !== null) dhPrev = tf.mul(dhPrev, masks.recurrent);
    // ∂C/∂h(t−1) = ∂C/∂h ⊙ z (the direct path) + the path through U
    return { dStates: [tf.add(tf.mul(dh, tape.z), dhPrev)], dProjected: tf.concat([deltaZ, deltaR, deltaH], 1), dRecurrent };
  }

  weightGradients(rows: tf.Tensor, dProjected: tf.Tensor, tapes: readonly GRUTape[], steps: readonly CellStepGradients[]): tf.Tensor[] {
    const dRecurrent = tf.concat(steps.map((s) => (s as GRUStepGradients).dRecurrent), 0);
    const dKernel = tf.matMul(rows, dProjected, true, false);
    let dRecurrentKernel: tf.Tensor;
    if (this.reset_after) {
      dRecurrentKernel = sumOverTime(tapes.map((t) => t.hPrev), dRecurrent);
    } else {
      const dHidden = tf.slice(dProjected, [0, 2 * this.units], [-1, this.units]);
      dRecurrentKernel = tf.concat([sumOverTime(tapes.map((t) => t.hPrev), dRecurrent), sumOverTime(tapes.map((t) => t.rTimesH!), dHidden)], 1);
    }
    const gradients = [dKernel, dRecurrentKernel];
    if (this.use_bias) gradients.push(this.reset_after ? tf.stack([tf.sum(dProjected, 0), tf.sum(dRecurrent, 0)]) : tf.sum(dProjected, 0));
    return gradients;
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      ...this.cellConfig(),
      activation: this.activation.name,
      recurrent_activation: this.recurrent_activation.name,
      reset_after: this.reset_after,
      kernel_initializer: configOf(this.kernel_initializer),
      recurrent_initializer: configOf(this.recurrent_initializer),
      bias_initializer: configOf(this.bias_initializer),
      kernel_regularizer: configOf(this.kernel_regularizer),
      recurrent_regularizer: configOf(this.recurrent_regularizer),
      bias_regularizer: configOf(this.bias_regularizer),
      kernel_constraint: configOf(this.kernel_constraint),
      recurrent_constraint: configOf(this.recurrent_constraint),
      bias_constraint: configOf(this.bias_constraint),
    };
  }
}

export const GRUCell = callable(GRUCellLayer);
export type GRUCell = GRUCellLayer;
