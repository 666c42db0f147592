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
 * With reset_after and element-wise activations, each δ is ∂C/∂h(t) times a factor the
 * forward fixed, computed for all steps at once before the walk back (`startBackward`, as
 * lstm_cell.ts does), a_h = (1 − z) ⊙ tanh′ being the candidate's:
 *
 *   δx(t) = [∂C/∂h ∂C/∂h ∂C/∂h] ⊙ [(h − ĥ) ⊙ σ′(z)   a_h ⊙ r_h ⊙ σ′(r)   a_h]
 *   δh(t) = [∂C/∂h ∂C/∂h ∂C/∂h] ⊙ [(h − ĥ) ⊙ σ′(z)   a_h ⊙ r_h ⊙ σ′(r)   a_h ⊙ r]
 *
 * six kernels a step instead of about 20.
 *
 * reset_after=False (ĥ = tanh(x_h + (r ⊙ h) · U_h)): δ_r needs ∂C/∂(r ⊙ h) = δ_h · U_hᵀ first, a
 * matMul inside the step, but every other factor is still fixed by the forward (h here is
 * h(t−1) as U_h saw it, after recurrent dropout):
 *
 *   δ_z = ∂C/∂h(t) ⊙ a_z        a_z = (h − ĥ) ⊙ σ′(z)
 *   δ_h = ∂C/∂h(t) ⊙ a_h        a_h = (1 − z) ⊙ tanh′
 *   ∂C/∂(r ⊙ h) = δ_h · U_hᵀ
 *   δ_r = ∂C/∂(r ⊙ h) ⊙ a_r     a_r = h ⊙ σ′(r)
 *   ∂C/∂h(t−1) = ∂C/∂h(t) ⊙ z + [δ_z δ_r δ_h] · [U_z U_r 0]ᵀ + ∂C/∂(r ⊙ h) ⊙ r
 *
 * (the zero block keeps δ_h out of the last product without cutting [δ_z δ_r] out of δx(t));
 * nine kernels a step instead of about 20. Softmax and a user's function apply the derivatives
 * step by step, as written above.
 *
 * and over the sequence: ∂C/∂W = Σ_t x(t)ᵀ δx(t), ∂C/∂U = Σ_t h(t−1)ᵀ δh(t),
 * ∂C/∂b = [Σ δx ; Σ δh] (reset_after=False: ∂C/∂U_h = Σ_t (r ⊙ h(t−1))ᵀ δ_h, ∂C/∂b = Σ δx).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
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
  gateColumns,
  recurrentActivationField,
  sumOverTime,
  sumRows,
  type CellStep,
  type CellStepGradients,
  type Sequence,
} from './recurrent_cell.js';
import { matMul } from '../mat_mul.js';
import { splitRows } from './time_steps.js';

export const gruCellSchema = cellSchema.extend({
  recurrent_activation: recurrentActivationField,
  reset_after: z.boolean().default(true),
  implementation: implementationField,
});

/** Keyword arguments of `GRUCell`. */
export type GRUCellOptions = Omit<KerasOptions<typeof gruCellSchema>, 'units'>;

interface GRUTape {
  /** h(t−1), and as each gate's recurrent kernel saw it (after recurrent dropout): z, r, h. */
  readonly h: tf.Tensor;
  readonly hPrev: tf.Tensor[];
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
  /** The step's factors of δx(t) and δh(t), set by `startBackward` (reset_after, element-wise activations). */
  readonly local?: GRULocal;
  /** reset_after=False: the step's factors a_z, a_h, a_r, set by `startBackward` (element-wise activations). */
  readonly resetBefore?: GRUResetBefore;
}

/** What step t's δs multiply ∂C/∂h(t) by: fixed by the forward, computed for all steps at once. */
interface GRULocal {
  /** [(h − ĥ) ⊙ σ′(z), a_h ⊙ r_h ⊙ σ′(r), a_h], a_h = (1 − z) ⊙ tanh′: [batch, 3·units]. */
  readonly input: tf.Tensor;
  /** The same with the candidate's block a_h ⊙ r. */
  readonly recurrent: tf.Tensor;
}

/** reset_after=False: the factors the forward fixed (see the header), and the kernels' transposes every step shares. */
interface GRUResetBefore {
  /** (h − ĥ) ⊙ σ′(z), (1 − z) ⊙ tanh′, h ⊙ σ′(r): [batch, units] each. */
  readonly aZ: tf.Tensor;
  readonly aH: tf.Tensor;
  readonly aR: tf.Tensor;
  /** U_hᵀ [units, units], for ∂C/∂(r ⊙ h) = δ_h · U_hᵀ. */
  readonly candidateKernelT: tf.Tensor;
  /** [U_z U_r 0]ᵀ [3·units, units]: δx(t) · it = δ_z · U_zᵀ + δ_r · U_rᵀ. */
  readonly gatesKernelT: tf.Tensor;
}

/** The tape entries `startBackward` stacks over time. */
const STACKED = ['h', 'xz', 'xr', 'z', 'r', 'rh', 'hhPre', 'hh'] as const;

interface GRUStepGradients extends CellStepGradients {
  /** reset_after: δ of h(t−1) · U + b₁, [δ_z δ_r δ_h ⊙ r] (reset_after=False reads [δ_z δ_r] off δx(t)). */
  readonly dRecurrent?: tf.Tensor;
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
    // As Keras 3: recurrent dropout needs the per-gate form, so it sets implementation to 1.
    this.implementation = args.recurrent_dropout !== 0 ? 1 : args.implementation;
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

  /** b₀, the bias added to x · W (all of `bias` with reset_after=False). */
  protected override inputBias(): tf.Tensor | null {
    if (this.bias === null || !this.reset_after) return this.bias;
    return tf.unstack(this.bias, 0)[0]!;
  }

  /** b₁, the bias added to h · U with reset_after. */
  protected override recurrentBias(): tf.Tensor | null {
    return this.bias === null || !this.reset_after ? null : tf.unstack(this.bias, 0)[1]!;
  }

  /** Keras 3: `implementation=1` (which `recurrent_dropout` implies) draws each dropout mask once per gate. */
  protected override get dropoutMaskCount(): number {
    return this.implementation === 1 ? 3 : 1;
  }

  stepForward(x: readonly tf.Tensor[], states: readonly tf.Tensor[], sequence: Sequence): CellStep<GRUTape> {
    const h = states[0]!;
    const hPrev = this.recurrentInputs(h, sequence);
    const sigma = this.recurrent_activation;
    // x_g = x(t) · W_g + b₀_g for g = z, r, h, computed before the loop
    const [xz, xr, xh] = x as [tf.Tensor, tf.Tensor, tf.Tensor];
    const U = sequence.recurrentKernels;
    const b1 = sequence.recurrentBiases;
    // r_g = h(t−1) · U_g (+ b₁_g)
    const recurrent = (g: number, hg: tf.Tensor) => {
      const product = tf.matMul(hg, U[g]!);
      return b1 === null ? product : tf.add(product, b1[g]!);
    };
    const zPre = tf.add(xz, recurrent(0, hPrev[0]!));
    const rPre = tf.add(xr, recurrent(1, hPrev[1]!));
    const r = sigma.forward(rPre);
    let rh: tf.Tensor, rTimesH: tf.Tensor | null = null, hhPre: tf.Tensor;
    if (this.reset_after) {
      // ĥ = tanh(x_h + r ⊙ (h · U_h + b₁_h))
      rh = recurrent(2, hPrev[2]!);
      hhPre = tf.add(xh, tf.mul(r, rh));
    } else {
      // ĥ = tanh(x_h + (r ⊙ h) · U_h)
      rTimesH = tf.mul(r, hPrev[2]!);
      rh = tf.matMul(rTimesH, U[2]!);
      hhPre = tf.add(xh, rh);
    }
    const zGate = sigma.forward(zPre);
    const hh = this.activation.forward(hhPre);
    // h(t) = z ⊙ h(t−1) + (1 − z) ⊙ ĥ
    const hNext = tf.add(tf.mul(zGate, h), tf.mul(tf.sub(1, zGate), hh));
    return { states: [hNext], tape: { h, hPrev, xz: zPre, xr: rPre, z: zGate, r, rh, rTimesH, hhPre, hh } };
  }

  /** The factors of every step's δs that the forward fixed (see the header), one op each over the T steps stacked. */
  override startBackward(tapes: readonly GRUTape[]): readonly GRUTape[] {
    const sigma = this.recurrent_activation;
    if (!isElementwise(sigma) || !isElementwise(this.activation)) return tapes;
    const { h, xz, xr, z, r, rh, hhPre, hh } = Object.fromEntries(STACKED.map((key) => [key, tf.concat(tapes.map((t) => t[key]), 0)])) as Record<(typeof STACKED)[number], tf.Tensor>;
    // a_h = (1 − z) ⊙ tanh′ ;  δ_z's factor (h − ĥ) ⊙ σ′(z)
    const aH = this.activation.backward(tf.sub(1, z), hhPre, hh);
    const aZ = sigma.backward(tf.sub(h, hh), xz, z);
    if (!this.reset_after) return this.startResetBefore(tapes, aZ, aH, xr, r);
    // δ_r's a_h ⊙ r_h ⊙ σ′(r)
    const aR = sigma.backward(tf.mul(aH, rh), xr, r);
    const input = splitRows(tf.concat([aZ, aR, aH], 1), tapes.length);
    const recurrent = splitRows(tf.concat([aZ, aR, tf.mul(aH, r)], 1), tapes.length);
    return tapes.map((tape, t) => ({ ...tape, local: { input: input[t]!, recurrent: recurrent[t]! } }));
  }

  /** reset_after=False's factors: a_r = h ⊙ σ′(r) from h(t−1) as U_h saw it, and U's transposed blocks. */
  private startResetBefore(tapes: readonly GRUTape[], aZ: tf.Tensor, aH: tf.Tensor, xr: tf.Tensor, r: tf.Tensor): readonly GRUTape[] {
    const steps = tapes.length;
    const hCandidate = tf.concat(tapes.map((t) => t.hPrev[2]!), 0);
    const aR = this.recurrent_activation.backward(hCandidate, xr, r);
    const [zT, rT, hT] = splitRows(tf.transpose(this.recurrent_kernel!), 3);
    const gatesKernelT = tf.concat([zT!, rT!, tf.zerosLike(hT!)], 0);
    const [zs, hs, rs] = [splitRows(aZ, steps), splitRows(aH, steps), splitRows(aR, steps)];
    return tapes.map((tape, t) => ({ ...tape, resetBefore: { aZ: zs[t]!, aH: hs[t]!, aR: rs[t]!, candidateKernelT: hT!, gatesKernelT } }));
  }

  stepBackward(dStates: readonly tf.Tensor[], tape: GRUTape, sequence: Sequence): GRUStepGradients {
    const dh = dStates[0]!;
    if (tape.resetBefore !== undefined) return this.stepBackwardResetBefore(dh, tape, tape.resetBefore, sequence);
    if (tape.local !== undefined) {
      // δx(t) = [∂C/∂h ∂C/∂h ∂C/∂h] ⊙ local.input = [δ_z δ_r δ_h] ;  δh(t) = … ⊙ local.recurrent = [δ_z δ_r δ_h ⊙ r]
      const dhByGate = tf.concat([dh, dh, dh], 1);
      const dRecurrent = tf.mul(dhByGate, tape.local.recurrent);
      // ∂C/∂h(t−1) = ∂C/∂h ⊙ z + δh(t) · Uᵀ
      const dhPrev = tf.add(tf.mul(dh, tape.z), this.recurrentGradient(dRecurrent, null, sequence));
      return { dStates: [dhPrev], dProjected: tf.mul(dhByGate, tape.local.input), dRecurrent };
    }
    const sigma = this.recurrent_activation;
    // δ_h = ∂C/∂h ⊙ (1 − z) ⊙ tanh′ ;  δ_z = ∂C/∂h ⊙ (h − ĥ) ⊙ σ′
    const deltaH = this.activation.backward(tf.mul(dh, tf.sub(1, tape.z)), tape.hhPre, tape.hh);
    const deltaZ = sigma.backward(tf.mul(dh, tf.sub(tape.h, tape.hh)), tape.xz, tape.z);
    let deltaR: tf.Tensor, dRecurrent: tf.Tensor | undefined, dhPrev: tf.Tensor;
    if (this.reset_after) {
      // δ_r = δ_h ⊙ r_h ⊙ σ′ ;  δ of h·U + b₁ = [δ_z δ_r δ_h ⊙ r]
      deltaR = sigma.backward(tf.mul(deltaH, tape.rh), tape.xr, tape.r);
      const gateDeltas = [deltaZ, deltaR, tf.mul(deltaH, tape.r)];
      dRecurrent = tf.concat(gateDeltas, 1);
      dhPrev = this.recurrentGradient(dRecurrent, gateDeltas, sequence);
    } else {
      const U = sequence.recurrentKernels;
      const masks = sequence.masks.recurrent;
      const throughMask = (d: tf.Tensor, g: number) => (masks === null ? d : tf.mul(d, masks[g] ?? masks[0]!));
      // ĥ's path into h goes through r ⊙ h: ∂C/∂(r ⊙ h) = δ_h · U_hᵀ
      const dRH = matMul(deltaH, U[2]!, false, true);
      deltaR = sigma.backward(tf.mul(dRH, tape.hPrev[2]!), tape.xr, tape.r);
      // ∂C/∂h(t−1) through U_z, U_r and r ⊙ h, each through its gate's recurrent dropout mask
      dhPrev = tf.addN([throughMask(matMul(deltaZ, U[0]!, false, true), 0), throughMask(matMul(deltaR, U[1]!, false, true), 1), throughMask(tf.mul(dRH, tape.r), 2)]);
    }
    // ∂C/∂h(t−1) = ∂C/∂h ⊙ z (the direct path) + the path through U
    return { dStates: [tf.add(tf.mul(dh, tape.z), dhPrev)], dProjected: tf.concat([deltaZ, deltaR, deltaH], 1), dRecurrent };
  }

  /**
   * reset_after=False, one step with the factors the forward fixed (header): δ_z, δ_h, then
   * ∂C/∂(r ⊙ h) = δ_h · U_hᵀ and δ_r; ∂C/∂h(t−1) through z directly, U_z and U_r, and r ⊙ h.
   */
  private stepBackwardResetBefore(dh: tf.Tensor, tape: GRUTape, local: GRUResetBefore, sequence: Sequence): GRUStepGradients {
    const deltaZ = tf.mul(dh, local.aZ);
    const deltaH = tf.mul(dh, local.aH);
    const dRH = tf.matMul(deltaH, local.candidateKernelT);
    const deltaR = tf.mul(dRH, local.aR);
    const dProjected = tf.concat([deltaZ, deltaR, deltaH], 1);
    const masks = sequence.masks.recurrent;
    let throughU: tf.Tensor[];
    if (masks === null) {
      // [δ_z δ_r δ_h] · [U_z U_r 0]ᵀ = δ_z · U_zᵀ + δ_r · U_rᵀ ;  plus ∂C/∂(r ⊙ h) ⊙ r
      throughU = [tf.matMul(dProjected, local.gatesKernelT), tf.mul(dRH, tape.r)];
    } else {
      // Each path through its gate's recurrent dropout mask (one mask for all gates, or one per gate).
      const [U, mask] = [sequence.recurrentKernels, (g: number) => masks[g] ?? masks[0]!];
      throughU = [
        tf.mul(matMul(deltaZ, U[0]!, false, true), mask(0)),
        tf.mul(matMul(deltaR, U[1]!, false, true), mask(1)),
        tf.mul(tf.mul(dRH, tape.r), mask(2)),
      ];
    }
    // ∂C/∂h(t−1) = ∂C/∂h ⊙ z + the paths through U
    return { dStates: [tf.addN([tf.mul(dh, tape.z), ...throughU])], dProjected };
  }

  weightGradients(sequence: Sequence, dProjected: tf.Tensor, tapes: readonly GRUTape[], steps: readonly CellStepGradients[]): tf.Tensor[] {
    const hPrev = tapes.map((t) => t.hPrev);
    let dRecurrentKernel: tf.Tensor;
    let dRecurrent: tf.Tensor | null = null;
    if (this.reset_after) {
      dRecurrent = tf.concat(steps.map((s) => (s as GRUStepGradients).dRecurrent!), 0);
      dRecurrentKernel = this.recurrentKernelGradient(hPrev, dRecurrent, sequence);
    } else {
      // U_z, U_r from [δ_z δ_r] (δx(t)'s first two blocks); U_h from δ_h against what it multiplied, r ⊙ h(t−1)
      const [dZ, dR, dHidden] = gateColumns(dProjected, 3);
      dRecurrentKernel = tf.concat([this.recurrentKernelGradient(hPrev, tf.concat([dZ!, dR!], 1), sequence), sumOverTime(tapes.map((t) => t.rTimesH!), dHidden!)], 1);
    }
    const gradients = [this.kernelGradient(sequence, dProjected), dRecurrentKernel];
    if (this.use_bias) gradients.push(dRecurrent !== null ? tf.stack([sumRows(dProjected), sumRows(dRecurrent)]) : sumRows(dProjected));
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
