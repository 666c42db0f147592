/**
 * `keras.layers.LSTMCell(units, {...})`: one time step of a Long Short-Term Memory layer,
 * with Keras 3's weights: `kernel` [input, 4·units], `recurrent_kernel` [units, 4·units] and
 * `bias` [4·units], each holding the four gates side by side in the order i, f, c, o.
 *
 * Forward, one step (the S16 notebook's equations, a batch of rows):
 *
 *   z_g(t) = x(t) · W_g + h(t−1) · U_g + b_g                 for each gate g = i, f, c, o
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)     input, forget, candidate, output
 *   c(t)  = f ⊙ c(t−1) + i ⊙ g                              the carry (long-term state)
 *   h(t)  = o ⊙ tanh(c(t))                                   the output (short-term state)
 *
 * (σ is `recurrent_activation`, tanh is `activation`; W_g, U_g, b_g are gate g's columns of
 * W, U, b. With dropout, x(t) and h(t−1) are multiplied by masks drawn once per sequence: one
 * for all gates, or one per gate with `implementation=1`, which `recurrent_dropout` implies.)
 *
 * Backward, one step, given ∂C/∂h(t) and the carry's ∂C/∂c(t) from step t+1:
 *
 *   δ_o   = ∂C/∂h ⊙ tanh(c(t)) ⊙ σ′(z_o)
 *   ∂C/∂c = ∂C/∂c(t) + ∂C/∂h ⊙ o ⊙ tanh′(c(t))              the carry's δ: both paths into c(t)
 *   δ_i   = ∂C/∂c ⊙ g ⊙ σ′(z_i)
 *   δ_f   = ∂C/∂c ⊙ c(t−1) ⊙ σ′(z_f)
 *   δ_c   = ∂C/∂c ⊙ i ⊙ tanh′(z_c)
 *   δ(t)  = [δ_i δ_f δ_c δ_o]                                [batch, 4·units]
 *   ∂C/∂c(t−1) = ∂C/∂c ⊙ f                                    carried to step t−1
 *   ∂C/∂h(t−1) = δ(t) · Uᵀ                                     carried to step t−1
 *                (with a recurrent dropout mask r_g per gate: Σ_g (δ_g · U_gᵀ) ⊙ r_g)
 *
 * Every δ above is ∂C/∂h or ∂C/∂c times a factor that the forward already fixed (an
 * activation's derivative times a gate or a state). Those factors are computed for all T
 * steps at once before the walk back (`startBackward`: one op each over [T·batch, units]
 * instead of T small ones), so that a step of the walk is
 *
 *   ∂C/∂c = ∂C/∂c(t) + ∂C/∂h ⊙ carry(t)                     carry(t) = o ⊙ tanh′(c(t))
 *   δ(t)  = [∂C/∂c ∂C/∂c ∂C/∂c ∂C/∂h] ⊙ local(t)            local(t) = [g ⊙ σ′(z_i)  c(t−1) ⊙ σ′(z_f)  i ⊙ tanh′(z_c)  tanh(c(t)) ⊙ σ′(z_o)]
 *
 * six kernels a step instead of about 24 (a W5 batch of 50 steps dispatches ~900 fewer).
 * That needs element-wise activations; with softmax (whose derivative mixes a row) or a
 * function of the user's, each step applies the derivatives itself, as written above.
 *
 * and over the whole sequence (the same W, U, b at every step, so their gradients sum):
 *
 *   ∂C/∂W = Σ_t x(t)ᵀ δ(t)    ∂C/∂U = Σ_t h(t−1)ᵀ δ(t)    ∂C/∂b = Σ_t Σ_batch δ(t)    ∂C/∂x(t) = δ(t) · Wᵀ
 */
import * as tf from '@tensorflow/tfjs-core';
import { getActivation, type Activation } from '../../activations.js';
import { isElementwise } from '../../activations/builtins.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { Shape } from '../layer.js';
import {
  cellSchema,
  configOf,
  implementationField,
  RecurrentCell,
  recurrentActivationField,
  sumRows,
  type CellStep,
  type CellStepGradients,
  type Sequence,
} from './recurrent_cell.js';
import { splitRows } from './time_steps.js';
import { z } from 'zod';

export const lstmCellSchema = cellSchema.extend({
  recurrent_activation: recurrentActivationField,
  unit_forget_bias: z.boolean().default(true),
  implementation: implementationField,
});

/** Keyword arguments of `LSTMCell`. */
export type LSTMCellOptions = Omit<KerasOptions<typeof lstmCellSchema>, 'units'>;

/** What one step keeps for its backward. */
interface LSTMTape {
  /** h(t−1) as each gate's recurrent kernel saw it (after recurrent dropout): 4 entries. */
  readonly hPrev: tf.Tensor[];
  readonly cPrev: tf.Tensor;
  readonly zi: tf.Tensor;
  readonly zf: tf.Tensor;
  readonly zc: tf.Tensor;
  readonly zo: tf.Tensor;
  readonly i: tf.Tensor;
  readonly f: tf.Tensor;
  readonly g: tf.Tensor;
  readonly o: tf.Tensor;
  readonly c: tf.Tensor;
  readonly tanhC: tf.Tensor;
  /** The step's factors of δ, set by `startBackward` (element-wise activations only). */
  readonly local?: LSTMLocal;
}

/** What step t's δ multiplies: fixed by the forward, computed for all steps at once. */
interface LSTMLocal {
  /** [g ⊙ σ′(z_i), c(t−1) ⊙ σ′(z_f), i ⊙ tanh′(z_c), tanh(c) ⊙ σ′(z_o)]: [batch, 4·units]. */
  readonly gates: tf.Tensor;
  /** o ⊙ tanh′(c(t)): [batch, units], the path from h(t) into the carry. */
  readonly carry: tf.Tensor;
}

/** The tape entries `startBackward` stacks over time. */
const STACKED = ['zi', 'zf', 'zc', 'zo', 'i', 'f', 'g', 'o', 'c', 'tanhC', 'cPrev'] as const;

export class LSTMCellLayer extends RecurrentCell<LSTMTape> {
  static readonly class_name = 'LSTMCell';
  readonly activation: Activation;
  readonly recurrent_activation: Activation;
  readonly unit_forget_bias: boolean;
  readonly implementation: 1 | 2;

  /**
   * @param units the size of h and c, a positive integer.
   * @param options.activation of the candidate g and of the output's tanh(c). Defaults to `'tanh'`.
   * @param options.recurrent_activation of the gates i, f, o. Defaults to `'sigmoid'`.
   * @param options.use_bias Defaults to `true`.
   * @param options.kernel_initializer Defaults to `'glorot_uniform'`; `recurrent_initializer` to
   *   `'orthogonal'`; `bias_initializer` to `'zeros'`.
   * @param options.unit_forget_bias adds 1 to the forget gate's bias at initialization. Defaults to `true`.
   * @param options.dropout / recurrent_dropout fractions of x(t) / h(t−1) dropped in training
   *   (masks drawn once per sequence; one per gate when `recurrent_dropout` is set or
   *   `implementation` is 1, as Keras 3 draws them). Default 0.
   * @param options.seed makes the dropout masks reproducible.
   */
  constructor(units: number | (LSTMCellOptions & { units: number }), options?: LSTMCellOptions) {
    const args = parseArgs('LSTMCell', lstmCellSchema, ['units'], [units, options]);
    super(args, 'lstm_cell');
    this.activation = getActivation(args.activation);
    this.recurrent_activation = getActivation(args.recurrent_activation);
    this.unit_forget_bias = args.unit_forget_bias;
    // As Keras 3: recurrent dropout needs the per-gate form, so it sets implementation to 1.
    this.implementation = args.recurrent_dropout !== 0 ? 1 : args.implementation;
  }

  get state_size(): number[] {
    return [this.units, this.units];
  }

  override build(inputShape: Shape): void {
    const units = this.units;
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: [this.inputDim(inputShape), 4 * units],
      initializer: (shape) => this.kernel_initializer(shape),
      regularizer: this.kernel_regularizer,
      constraint: this.kernel_constraint,
    });
    this.recurrent_kernel = this.add_weight({
      name: 'recurrent_kernel',
      shape: [units, 4 * units],
      initializer: (shape) => this.recurrent_initializer(shape),
      regularizer: this.recurrent_regularizer,
      constraint: this.recurrent_constraint,
    });
    if (this.use_bias) {
      // unit_forget_bias: the forget gate starts at b_f = 1, so f ≈ σ(1) keeps most of c at first.
      const initializer = this.unit_forget_bias
        ? () =>
            tf.tidy(() => tf.concat([this.bias_initializer([units]), tf.ones([units]), this.bias_initializer([2 * units])]))
        : (shape: number[]) => this.bias_initializer(shape);
      this.bias = this.add_weight({
        name: 'bias',
        shape: [4 * units],
        initializer,
        regularizer: this.bias_regularizer,
        constraint: this.bias_constraint,
      });
    }
    super.build(inputShape);
  }

  /** Keras 3: `implementation=1` (which `recurrent_dropout` implies) draws each dropout mask once per gate. */
  protected override get dropoutMaskCount(): number {
    return this.implementation === 1 ? 4 : 1;
  }

  stepForward(x: readonly tf.Tensor[], states: readonly tf.Tensor[], sequence: Sequence): CellStep<LSTMTape> {
    const [h, cPrev] = states as [tf.Tensor, tf.Tensor];
    const hPrev = this.recurrentInputs(h, sequence);
    const U = sequence.recurrentKernels;
    // z_g(t) = x(t) · W_g + b_g + h(t−1) · U_g for the gates g = i, f, c, o (x(t) · W_g + b_g was computed before the loop)
    const [zi, zf, zc, zo] = x.map((xg, k) => tf.add(xg, tf.matMul(hPrev[k]!, U[k]!))) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const sigma = this.recurrent_activation;
    const i = sigma.forward(zi);
    const f = sigma.forward(zf);
    const g = this.activation.forward(zc);
    const o = sigma.forward(zo);
    // c(t) = f ⊙ c(t−1) + i ⊙ g ;  h(t) = o ⊙ tanh(c(t))
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
    const tanhC = this.activation.forward(c);
    const hNext = tf.mul(o, tanhC);
    return { states: [hNext, c], tape: { hPrev, cPrev, zi, zf, zc, zo, i, f, g, o, c, tanhC } };
  }

  /**
   * The factors of every step's δ that the forward fixed (see the header): one op each over
   * the T steps stacked, [T·batch, units], then cut back into steps.
   */
  override startBackward(tapes: readonly LSTMTape[]): readonly LSTMTape[] {
    const sigma = this.recurrent_activation;
    const tanh = this.activation;
    if (!isElementwise(sigma) || !isElementwise(tanh)) return tapes;
    const { zi, zf, zc, zo, i, f, g, o, c, tanhC, cPrev } = Object.fromEntries(STACKED.map((key) => [key, tf.concat(tapes.map((t) => t[key]), 0)])) as Record<(typeof STACKED)[number], tf.Tensor>;
    // local = [g ⊙ σ′(z_i), c(t−1) ⊙ σ′(z_f), i ⊙ tanh′(z_c), tanh(c) ⊙ σ′(z_o)] ;  carry = o ⊙ tanh′(c)
    const local = tf.concat([sigma.backward(g, zi, i), sigma.backward(cPrev, zf, f), tanh.backward(i, zc, g), sigma.backward(tanhC, zo, o)], 1);
    const carry = tanh.backward(o, c, tanhC);
    const [localSteps, carrySteps] = [splitRows(local, tapes.length), splitRows(carry, tapes.length)];
    return tapes.map((tape, t) => ({ ...tape, local: { gates: localSteps[t]!, carry: carrySteps[t]! } }));
  }

  stepBackward(dStates: readonly tf.Tensor[], tape: LSTMTape, sequence: Sequence): CellStepGradients {
    const [dh, dcNext] = dStates as [tf.Tensor, tf.Tensor];
    if (tape.local === undefined) return this.stepBackwardThroughActivations(dh, dcNext, tape, sequence);
    // ∂C/∂c = ∂C/∂c(t) + ∂C/∂h ⊙ o ⊙ tanh′(c)
    const dc = tf.add(dcNext, tf.mul(dh, tape.local.carry));
    // δ(t) = [δ_i δ_f δ_c δ_o] = [∂C/∂c ∂C/∂c ∂C/∂c ∂C/∂h] ⊙ [g ⊙ σ′(z_i)  c(t−1) ⊙ σ′(z_f)  i ⊙ tanh′(z_c)  tanh(c) ⊙ σ′(z_o)]
    const delta = tf.mul(tf.concat([dc, dc, dc, dh], 1), tape.local.gates);
    // ∂C/∂h(t−1) = δ · Uᵀ (through the recurrent dropout masks) ;  ∂C/∂c(t−1) = ∂C/∂c ⊙ f
    const dhPrev = this.recurrentGradient(delta, null, sequence);
    return { dStates: [dhPrev, tf.mul(dc, tape.f)], dProjected: delta };
  }

  /** The step's equations as the header writes them, each activation's backward applied per step (softmax, a user's function). */
  private stepBackwardThroughActivations(dh: tf.Tensor, dcNext: tf.Tensor, tape: LSTMTape, sequence: Sequence): CellStepGradients {
    const sigma = this.recurrent_activation;
    const tanh = this.activation;
    // δ_o = ∂C/∂h ⊙ tanh(c) ⊙ σ′(z_o)
    const deltaO = sigma.backward(tf.mul(dh, tape.tanhC), tape.zo, tape.o);
    // The carry's δ: ∂C/∂c = ∂C/∂c(t) + ∂C/∂h ⊙ o ⊙ tanh′(c)
    const dc = tf.add(dcNext, tanh.backward(tf.mul(dh, tape.o), tape.c, tape.tanhC));
    // δ_i = ∂C/∂c ⊙ g ⊙ σ′(z_i) ;  δ_f = ∂C/∂c ⊙ c(t−1) ⊙ σ′(z_f) ;  δ_c = ∂C/∂c ⊙ i ⊙ tanh′(z_c)
    const deltaI = sigma.backward(tf.mul(dc, tape.g), tape.zi, tape.i);
    const deltaF = sigma.backward(tf.mul(dc, tape.cPrev), tape.zf, tape.f);
    const deltaC = tanh.backward(tf.mul(dc, tape.i), tape.zc, tape.g);
    const gateDeltas = [deltaI, deltaF, deltaC, deltaO];
    const delta = tf.concat(gateDeltas, 1);
    // ∂C/∂h(t−1) = δ · Uᵀ (through the recurrent dropout masks) ;  ∂C/∂c(t−1) = ∂C/∂c ⊙ f
    const dhPrev = this.recurrentGradient(delta, gateDeltas, sequence);
    return { dStates: [dhPrev, tf.mul(dc, tape.f)], dProjected: delta };
  }

  weightGradients(sequence: Sequence, dProjected: tf.Tensor, tapes: readonly LSTMTape[]): tf.Tensor[] {
    // ∂C/∂W = Σ_t x(t)ᵀ δ(t) ;  ∂C/∂U = Σ_t h(t−1)ᵀ δ(t) ;  ∂C/∂b = Σ_t Σ_batch δ(t)
    const gradients = [this.kernelGradient(sequence, dProjected), this.recurrentKernelGradient(tapes.map((t) => t.hPrev), dProjected, sequence)];
    if (this.use_bias) gradients.push(sumRows(dProjected));
    return gradients;
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      ...this.cellConfig(),
      activation: this.activation.name,
      recurrent_activation: this.recurrent_activation.name,
      unit_forget_bias: this.unit_forget_bias,
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

export const LSTMCell = callable(LSTMCellLayer);
export type LSTMCell = LSTMCellLayer;
