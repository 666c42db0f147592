/**
 * What `SimpleRNNCell`, `LSTMCell` and `GRUCell` share: Keras 3's cell arguments and the
 * contract that lets the `RNN` loop (rnn.ts) run back-propagation through time without a
 * gradient tape (docs/backprop.md, "Back-propagation through time").
 *
 * A cell computes one time step. Its weights are Keras's: `kernel` [input, G·units]
 * multiplies the input x(t), `recurrent_kernel` [units, G·units] multiplies the previous
 * state h(t−1), `bias` is added; G is the number of gates (1 for SimpleRNN, 4 for LSTM,
 * 3 for GRU), side by side in the columns. Gate g's columns are W_g, U_g, b_g.
 *
 * Because `kernel` is the same at every step, `startSequence` multiplies the inputs of all
 * steps by it before the loop (one matMul per gate), and each step only adds h(t−1) · U_g
 * per gate: a step never cuts z(t) into its gates (a slice per gate per step is the costliest
 * kernel of a small step on wasm and cpu). The backward mirrors it: each step gives its δ(t),
 * and the sums over time of BP3/BP4 (∂C/∂W = Σ_t x(t)ᵀ δ(t), ...) are one matMul each over
 * all the steps stacked (`weightGradients`).
 *
 * Dropout follows Keras's DropoutRNNCell: the masks are drawn once per sequence and used at
 * every step; with `implementation=1` (which Keras 3 picks whenever `recurrent_dropout` is
 * set) each gate gets masks of its own, x(t) ⊙ m_g before W_g and h(t−1) ⊙ r_g before U_g.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Activation, ActivationIdentifier } from '../../activations.js';
import { getConstraint, type ConstraintIdentifier } from '../../constraints.js';
import { ValueError } from '../../errors.js';
import { get as getInitializer, type InitializerIdentifier } from '../../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../../regularizers.js';
import { nextSeed } from '../../utils/random.js';
import { Layer, layerSchema, shapeText, type Shape } from '../layer.js';
import { matMul } from '../mat_mul.js';
import { splitRows } from './time_steps.js';

const identifier = <T>() => z.custom<T>((v) => v !== undefined).nullish();

const POSITIVE_UNITS = 'must be a positive integer';
const RATE = 'must be a float in the range [0, 1]';

/** Keras's error for `units <= 0`, raised where Keras raises it (the cell's constructor). */
const unitsField = z.number({ error: POSITIVE_UNITS }).int({ error: POSITIVE_UNITS });

// Keras 3 clips the rates into [0, 1] silently; a rate outside it is almost surely a typo, so it is an error here.
const rateField = z.number({ error: RATE }).min(0, { error: RATE }).max(1, { error: RATE }).default(0);

/** The arguments every Keras 3 recurrent cell takes (`SimpleRNNCell` has no `recurrent_activation`). */
export const cellSchema = layerSchema.extend({
  units: unitsField,
  activation: identifier<ActivationIdentifier>().transform((v) => (v === undefined ? 'tanh' : v)),
  use_bias: z.boolean().default(true),
  kernel_initializer: identifier<InitializerIdentifier>().transform((v) => v ?? 'glorot_uniform'),
  recurrent_initializer: identifier<InitializerIdentifier>().transform((v) => v ?? 'orthogonal'),
  bias_initializer: identifier<InitializerIdentifier>().transform((v) => v ?? 'zeros'),
  kernel_regularizer: identifier<RegularizerIdentifier>(),
  recurrent_regularizer: identifier<RegularizerIdentifier>(),
  bias_regularizer: identifier<RegularizerIdentifier>(),
  kernel_constraint: identifier<ConstraintIdentifier>(),
  recurrent_constraint: identifier<ConstraintIdentifier>(),
  bias_constraint: identifier<ConstraintIdentifier>(),
  dropout: rateField,
  recurrent_dropout: rateField,
  seed: z
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .nullish()
    .transform((v) => v ?? null),
});

/** LSTM's and GRU's `implementation` (Keras's choice of fused or per-gate matMuls); accepted, the result is the same. */
export const implementationField = z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).default(2);

/** The gated cells' extra argument: the activation of the gates. */
export const recurrentActivationField = identifier<ActivationIdentifier>().transform((v) => (v === undefined ? 'sigmoid' : v));

/** Keras's check of `units`, with its message (the cell's constructor raises it). */
export function checkUnits(units: number): void {
  if (units <= 0) {
    throw new ValueError(`Received an invalid value for argument \`units\`, expected a positive integer, got ${units}.`);
  }
}

/** What one step of the forward keeps for its backward (each cell defines its own). */
export interface CellStep<Tape> {
  /** The new states; `states[0]` is the step's output h(t). */
  readonly states: tf.Tensor[];
  readonly tape: Tape;
}

/** What one step of the backward gives. */
export interface CellStepGradients {
  /** ∂C/∂states(t−1), passed to the step before. */
  readonly dStates: tf.Tensor[];
  /** δ(t) with respect to the step's input projection x̃(t) · W + b: [batch, G·units]. */
  readonly dProjected: tf.Tensor;
}

/** The dropout masks of one sequence (Keras draws them once and uses them at every step). */
export interface DropoutMasks {
  /** [batch, input] masks of x(t): one for every gate, or one per gate (`implementation=1`); null without dropout. */
  readonly input: tf.Tensor[] | null;
  /** [batch, units] masks of h(t−1) before the recurrent kernel, likewise. */
  readonly recurrent: tf.Tensor[] | null;
}

/** What every step of one sequence shares, made once before the loop (`startSequence`). */
export interface Sequence {
  /** The inputs x(t) of every step, time-major rows [steps·batch, input], as the layer received them. */
  readonly rows: tf.Tensor;
  readonly steps: number;
  /** x̃_g = x ⊙ m_g, the rows gate g's kernel columns multiply: one entry for all gates, or one per gate. */
  readonly gateRows: tf.Tensor[];
  /** Step t's input part of gate g, x̃_g(t) · W_g + b_g, is `inputs[t][g]`: [batch, units]. */
  readonly inputs: tf.Tensor[][];
  /** U_g, the recurrent kernel's columns of gate g: [units, units] each. */
  readonly recurrentKernels: tf.Tensor[];
  /**
   * Uᵀ [G·units, units], transposed once for every step's ∂C/∂h(t−1) = δ(t) · Uᵀ: wasm's matMul
   * is about 10× slower with `transposeB` than on a plain operand (bench/recurrent.ts).
   */
  readonly recurrentKernelT: tf.Tensor;
  /** GRU's recurrent bias b₁ per gate (`reset_after`), else null. */
  readonly recurrentBiases: tf.Tensor[] | null;
  readonly masks: DropoutMasks;
}

/**
 * A Keras recurrent cell with a hand-written backward. Subclasses compute one step and its
 * backward in the lesson's equations; the `RNN` layer runs them over the sequence.
 */
export abstract class RecurrentCell<Tape = unknown> extends Layer {
  readonly units: number;
  readonly use_bias: boolean;
  readonly dropout: number;
  readonly recurrent_dropout: number;
  readonly seed: number | null;
  abstract readonly activation: Activation;
  // Every cell's kernel, recurrent_kernel and bias take the same three kinds of argument (cellSchema).
  readonly kernel_initializer: ReturnType<typeof getInitializer>;
  readonly recurrent_initializer: ReturnType<typeof getInitializer>;
  readonly bias_initializer: ReturnType<typeof getInitializer>;
  readonly kernel_regularizer: ReturnType<typeof getRegularizer>;
  readonly recurrent_regularizer: ReturnType<typeof getRegularizer>;
  readonly bias_regularizer: ReturnType<typeof getRegularizer>;
  readonly kernel_constraint: ReturnType<typeof getConstraint>;
  readonly recurrent_constraint: ReturnType<typeof getConstraint>;
  readonly bias_constraint: ReturnType<typeof getConstraint>;
  kernel: tf.Variable | null = null;
  recurrent_kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;
  private seedCalls = 0;

  constructor(args: z.output<typeof cellSchema>, defaultName: string) {
    checkUnits(args.units);
    super(args, defaultName);
    this.units = args.units;
    this.use_bias = args.use_bias;
    this.dropout = args.dropout;
    this.recurrent_dropout = args.recurrent_dropout;
    this.seed = args.seed;
    this.kernel_initializer = getInitializer(args.kernel_initializer);
    this.recurrent_initializer = getInitializer(args.recurrent_initializer);
    this.bias_initializer = getInitializer(args.bias_initializer);
    this.kernel_regularizer = getRegularizer(args.kernel_regularizer);
    this.recurrent_regularizer = getRegularizer(args.recurrent_regularizer);
    this.bias_regularizer = getRegularizer(args.bias_regularizer);
    this.kernel_constraint = getConstraint(args.kernel_constraint);
    this.recurrent_constraint = getConstraint(args.recurrent_constraint);
    this.bias_constraint = getConstraint(args.bias_constraint);
  }

  /** The size of each state: `[units]`, or `[units, units]` for LSTM's h and c. */
  abstract get state_size(): number[];

  /** The size of the output h(t). */
  get output_size(): number {
    return this.units;
  }

  /** G, the number of gates side by side in the kernels' columns (1, 4 or 3). */
  get gates(): number {
    return this.recurrent_kernel!.shape[1]! / this.units;
  }

  /** The bias added to x · W: `bias`, or GRU's b₀; null without one. */
  protected inputBias(): tf.Tensor | null {
    return this.bias;
  }

  /** The bias added to h · U: GRU's b₁ with `reset_after`; null for the other cells. */
  protected recurrentBias(): tf.Tensor | null {
    return null;
  }

  /** How many masks each dropout draws: one for every gate, or LSTM's and GRU's one per gate (`implementation=1`). */
  protected get dropoutMaskCount(): number {
    return 1;
  }

  /**
   * What the steps of a sequence share, made before the loop: the dropout masks, each step's
   * x̃_g(t) · W_g + b_g for every gate (one matMul per gate over all the steps, since W is the
   * same at every step), U's gate columns and Uᵀ.
   * @param rows the inputs of every step, time-major: [steps·batch, input].
   */
  startSequence(rows: tf.Tensor, steps: number, training: boolean): Sequence {
    const batch = rows.shape[0]! / steps;
    const gates = this.gates;
    const masks = this.dropoutMasks(batch, rows.shape[1]!, training);
    // x̃_g = x ⊙ m_g: the mask [batch, input] multiplies x(t) at every step t.
    const gateRows = masks.input === null ? [rows] : masks.input.map((m) => overSteps(rows, steps, (x) => tf.mul(x, m)));
    const bias = this.inputBias();
    const biases = bias === null ? null : gateColumns(bias, gates);
    const byGate = gateColumns(this.kernel!, gates).map((w, g) => splitRows(project(gateRows[g] ?? gateRows[0]!, w, biases?.[g] ?? null), steps));
    const recurrentBias = this.recurrentBias();
    return {
      rows,
      steps,
      gateRows,
      inputs: Array.from({ length: steps }, (_, t) => byGate.map((stepsOfGate) => stepsOfGate[t]!)),
      recurrentKernels: gateColumns(this.recurrent_kernel!, gates),
      recurrentKernelT: tf.transpose(this.recurrent_kernel!),
      recurrentBiases: recurrentBias === null ? null : gateColumns(recurrentBias, gates),
      masks,
    };
  }

  /** One step: from each gate's x̃_g(t) · W_g + b_g and states(t−1), the states(t). */
  abstract stepForward(inputs: readonly tf.Tensor[], states: readonly tf.Tensor[], sequence: Sequence): CellStep<Tape>;

  /**
   * Before the walk back in time: what every step's backward needs that the forward already
   * fixed (the activations' derivatives), computed for all steps at once, fewer and larger
   * kernels than per step. Returns the tapes `stepBackward` then receives; by default the
   * forward's own.
   */
  startBackward(tapes: readonly Tape[]): readonly Tape[] {
    return tapes;
  }

  /** One step of back-propagation through time: from ∂C/∂states(t), the step's δ(t) and ∂C/∂states(t−1). */
  abstract stepBackward(dStates: readonly tf.Tensor[], tape: Tape, sequence: Sequence): CellStepGradients;

  /**
   * The sums over time: ∂C/∂kernel = Σ_t x̃(t)ᵀ δ(t), ∂C/∂recurrent_kernel = Σ_t h(t−1)ᵀ δ(t),
   * ∂C/∂bias = Σ_t Σ_batch δ(t), each as one matMul over all steps, in `trainable_weights` order.
   * `dProjected` is the steps' δ(t) stacked as the sequence's rows are: [steps·batch, G·units].
   */
  abstract weightGradients(sequence: Sequence, dProjected: tf.Tensor, tapes: readonly Tape[], steps: readonly CellStepGradients[]): tf.Tensor[];

  /**
   * ∂C/∂x(t) for every step at once: δ · Wᵀ, through the input dropout mask; with a mask
   * per gate, Σ_g (δ_g · W_gᵀ) ⊙ m_g. Rows [steps·batch, input].
   */
  inputGradient(sequence: Sequence, dProjected: tf.Tensor): tf.Tensor {
    const masks = sequence.masks.input;
    const through = (d: tf.Tensor, m: tf.Tensor | undefined) => (m === undefined ? d : overSteps(d, sequence.steps, (x) => tf.mul(x, m)));
    if (masks === null || masks.length === 1) return through(matMul(dProjected, this.kernel!, false, true), masks?.[0]);
    const kernels = gateColumns(this.kernel!, this.gates);
    return tf.addN(gateColumns(dProjected, this.gates).map((d, g) => through(matMul(d, kernels[g]!, false, true), masks[g])));
  }

  /**
   * h(t−1) as each gate's recurrent kernel sees it, G entries: h ⊙ r_g with recurrent dropout
   * (the same h ⊙ r for every gate with one mask), else h itself.
   */
  protected recurrentInputs(h: tf.Tensor, sequence: Sequence): tf.Tensor[] {
    const masks = sequence.masks.recurrent;
    const dropped = masks === null ? [h] : masks.map((m) => tf.mul(h, m));
    return Array.from({ length: this.gates }, (_, g) => dropped[g] ?? dropped[0]!);
  }

  /**
   * ∂C/∂h(t−1) through the recurrent kernel: δ(t) · Uᵀ (⊙ r with recurrent dropout), or with a
   * mask per gate Σ_g (δ_g · U_gᵀ) ⊙ r_g. `gateDeltas` are δ(t)'s gate blocks (null: cut from δ(t) when needed).
   */
  protected recurrentGradient(delta: tf.Tensor, gateDeltas: readonly tf.Tensor[] | null, sequence: Sequence): tf.Tensor {
    const masks = sequence.masks.recurrent;
    if (masks === null) return tf.matMul(delta, sequence.recurrentKernelT);
    if (masks.length === 1) return tf.mul(tf.matMul(delta, sequence.recurrentKernelT), masks[0]!);
    return tf.addN((gateDeltas ?? gateColumns(delta, this.gates)).map((d, g) => tf.mul(matMul(d, sequence.recurrentKernels[g]!, false, true), masks[g]!)));
  }

  /** ∂C/∂W = Σ_t x̃(t)ᵀ δ(t) over the stacked steps; with a mask per gate, gate g's columns from its own x̃_g. */
  protected kernelGradient(sequence: Sequence, dProjected: tf.Tensor): tf.Tensor {
    if (sequence.gateRows.length === 1) return transposedProduct(sequence.gateRows[0]!, dProjected);
    const deltas = gateColumns(dProjected, this.gates);
    return tf.concat(sequence.gateRows.map((x, g) => transposedProduct(x, deltas[g]!)), 1);
  }

  /**
   * ∂C/∂U = Σ_t h(t−1)ᵀ δ(t) over the stacked steps, `hPrev[t]` being each gate's h(t−1) as
   * `recurrentInputs` gave it; with a mask per gate, Σ_t (h ⊙ r_g)ᵀ δ_g for gate g's columns.
   */
  protected recurrentKernelGradient(hPrev: ReadonlyArray<readonly tf.Tensor[]>, deltas: tf.Tensor, sequence: Sequence): tf.Tensor {
    const gates = deltas.shape[1]! / this.units;
    if ((sequence.masks.recurrent?.length ?? 1) === 1) return sumOverTime(hPrev.map((h) => h[0]!), deltas);
    return tf.concat(gateColumns(deltas, gates).map((d, g) => sumOverTime(hPrev.map((h) => h[g]!), d)), 1);
  }

  /** The zero states a sequence starts from (Keras's `get_initial_state`). */
  get_initial_state(batch_size: number): tf.Tensor[] {
    return this.state_size.map((size) => tf.zeros([batch_size, size]));
  }

  /**
   * Keras's `cell(inputs, states)`: one step on its own, returning `[output, new_states]`,
   * for a user who steps a cell by hand.
   */
  step(inputs: tf.Tensor, states: readonly tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    if (!this.built) this.build([null, inputs.shape[inputs.rank - 1]!]);
    return tf.tidy(() => {
      const sequence = this.startSequence(inputs, 1, false);
      const { states: next } = this.stepForward(sequence.inputs[0]!, states, sequence);
      return [next[0]!, next] as [tf.Tensor, tf.Tensor[]];
    });
  }

  /** A layer of its own is not how a cell runs: `RNN(cell)` calls `stepForward` per step. */
  override call(inputs: tf.Tensor): tf.Tensor {
    return this.step(inputs, this.get_initial_state(inputs.shape[0]!))[0];
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.units];
  }

  /**
   * The dropout masks of one sequence, drawn in training when a rate is in (0, 1): kept
   * entries are 1 / (1 − rate), dropped ones 0, as Keras's `DropoutRNNCell` draws them,
   * `dropoutMaskCount` of each.
   */
  dropoutMasks(batch: number, inputDim: number, training: boolean): DropoutMasks {
    const draw = (rate: number, shape: number[]) =>
      training && rate > 0 && rate < 1 ? Array.from({ length: this.dropoutMaskCount }, () => this.mask(shape, rate)) : null;
    return { input: draw(this.dropout, [batch, inputDim]), recurrent: draw(this.recurrent_dropout, [batch, this.units]) };
  }

  /** Checks the step input and returns its size (the cell's `kernel` rows). */
  protected inputDim(inputShape: Shape): number {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new ValueError(`Layer "${this.name}": the last axis of the input must be known. Received: input_shape=${shapeText(inputShape)}`);
    }
    return inputDim;
  }

  /** The config keys every cell writes, in Keras's serialized forms. */
  protected cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      use_bias: this.use_bias,
      dropout: this.dropout,
      recurrent_dropout: this.recurrent_dropout,
      seed: this.seed,
    };
  }

  private mask(shape: number[], rate: number): tf.Tensor {
    return tf.tidy(() => {
      const seed = this.seed === null ? nextSeed() : this.seed + 7919 * this.seedCalls++;
      const keep = tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), rate);
      return tf.mul(tf.cast(keep, 'float32'), 1 / (1 - rate));
    });
  }
}

export { configOf } from '../weight_arguments.js';

/**
 * x̃ · W (+ b): the input projection of all steps at once. Under autodiff (a built-in cell in a
 * user's stack, time_steps.ts) b is a reshaped `tf.split` block, whose stored shape wasm's fused
 * matMul reads (rank 2, refused), so the bias is added on its own there.
 */
export function project(rows: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  if (bias === null) return tf.matMul(rows, kernel);
  return tf.engine().isTapeOn() ? tf.add(tf.matMul(rows, kernel), bias) : tf.fused.matMul({ a: rows, b: kernel, bias });
}

/** Σ_t aᵀ(t) · δ(t) as one matMul over the steps' rows stacked: [steps·batch, m]ᵀ · [steps·batch, n]. */
export function sumOverTime(lhs: readonly tf.Tensor[], deltas: tf.Tensor): tf.Tensor {
  return transposedProduct(lhs.length === 1 ? lhs[0]! : tf.concat(lhs as tf.Tensor[], 0), deltas);
}

/**
 * aᵀ · δ for the stacked steps, computed as (δᵀ · a)ᵀ: wasm's matMul (XNNPACK) repacks its
 * second operand for every new tensor, and a (the inputs or h, [steps·batch, m]) is smaller
 * than δ [steps·batch, G·units]. For W5's ∂C/∂U ([1600, 64]ᵀ · [1600, 256]) that is 3.5 ms
 * against 12 ms for aᵀ · δ with a transposed first, and 125 ms with `transposeA`.
 */
function transposedProduct(a: tf.Tensor, deltas: tf.Tensor): tf.Tensor {
  return tf.transpose(matMul(deltas, a, true, false));
}

/** Σ_rows δ as 1ᵀ · δ: wasm's Sum over the first axis transposes first (2-3 ms against 0.1 ms for W5's δ [1600, 256]). */
export function sumRows(deltas: tf.Tensor): tf.Tensor {
  return tf.reshape(tf.matMul(tf.ones([1, deltas.shape[0]!]), deltas), [deltas.shape[1]!]);
}

/**
 * The gates' column blocks of w [n, G·units] (or [G·units]): G tensors [n, units] ([units]).
 * Transposed to [G, n, units] first, so that each gate is a contiguous block to cut (a cut
 * across the columns is a slow generic loop on cpu, and a full copy per cut on wasm).
 */
export function gateColumns(w: tf.Tensor, gates: number): tf.Tensor[] {
  if (gates === 1) return [w];
  const units = w.shape[w.rank - 1]! / gates;
  const n = w.rank === 1 ? 1 : w.shape[0]!;
  const byGate = tf.reshape(tf.transpose(tf.reshape(w, [n, gates, units]), [1, 0, 2]), [gates * n, units]);
  return splitRows(byGate, gates, w.rank === 1 ? [units] : [n, units]);
}

/** f applied to rows [steps·batch, n] seen as [steps, batch, n], so that a [batch, n] mask meets every step. */
function overSteps(rows: tf.Tensor, steps: number, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.reshape(f(tf.reshape(rows, [steps, rows.shape[0]! / steps, rows.shape[1]!])), rows.shape);
}
