/**
 * What `SimpleRNNCell`, `LSTMCell` and `GRUCell` share: Keras 3's cell arguments and the
 * contract that lets the `RNN` loop (rnn.ts) run back-propagation through time without a
 * gradient tape (docs/backprop.md, "Back-propagation through time").
 *
 * A cell computes one time step. Its weights are Keras's: `kernel` [input, G·units]
 * multiplies the input x(t), `recurrent_kernel` [units, G·units] multiplies the previous
 * state h(t−1), `bias` is added; G is the number of gates (1 for SimpleRNN, 4 for LSTM,
 * 3 for GRU). Because `kernel` is the same at every step, the loop multiplies the inputs
 * of all steps by it in one matMul (`projectInputs`) before the loop, and each step only
 * adds h(t−1) · recurrent_kernel. The backward mirrors it: each step gives its δ, and
 * the sums over time of BP3/BP4 (∂C/∂W = Σ_t x(t)ᵀ δ(t), ...) are again one matMul each
 * over all steps (`sequenceGradients`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Activation, ActivationIdentifier } from '../../activations.js';
import { Constraint, getConstraint, serialize as serializeConstraint, type ConstraintIdentifier } from '../../constraints.js';
import { ValueError } from '../../errors.js';
import { get as getInitializer, Initializer, serialize as serializeInitializer, type InitializerIdentifier } from '../../initializers.js';
import { getRegularizer, Regularizer, serialize as serializeRegularizer, type RegularizerIdentifier } from '../../regularizers.js';
import { nextSeed } from '../../utils/random.js';
import { Layer, layerSchema, shapeText, type Shape } from '../layer.js';

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
  /** δ with respect to the step's input projection x̃(t) · kernel + bias: [batch, G·units]. */
  readonly dProjected: tf.Tensor;
}

/** The dropout masks of one sequence (Keras draws them once and uses them at every step). */
export interface DropoutMasks {
  /** [batch, input]: multiplies x(t) before the kernel. */
  readonly input: tf.Tensor | null;
  /** [batch, units]: multiplies h(t−1) before the recurrent kernel. */
  readonly recurrent: tf.Tensor | null;
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

  /** x̃ · kernel + bias for the inputs of every step at once: rows [steps·batch, input] → [steps·batch, G·units]. */
  abstract projectInputs(rows: tf.Tensor): tf.Tensor;

  /** One step: from the projected input x̃(t) · kernel + bias and states(t−1), the states(t). */
  abstract stepForward(projected: tf.Tensor, states: readonly tf.Tensor[], masks: DropoutMasks): CellStep<Tape>;

  /** One step of back-propagation through time: from ∂C/∂states(t), the step's δ and ∂C/∂states(t−1). */
  abstract stepBackward(dStates: readonly tf.Tensor[], tape: Tape, masks: DropoutMasks): CellStepGradients;

  /**
   * The sums over time: ∂C/∂kernel = Σ_t x̃(t)ᵀ δ(t), ∂C/∂recurrent_kernel = Σ_t h(t−1)ᵀ δ(t),
   * ∂C/∂bias = Σ_t Σ_batch δ(t), each as one matMul over all steps, in `trainable_weights` order.
   * `rows` are the inputs x̃ as `projectInputs` received them; `dProjected` the steps' δ stacked the same way.
   */
  abstract weightGradients(rows: tf.Tensor, dProjected: tf.Tensor, tapes: readonly Tape[], steps: readonly CellStepGradients[]): tf.Tensor[];

  /** ∂C/∂x̃ for every step at once: δ · kernelᵀ, rows [steps·batch, input]. */
  inputGradient(dProjected: tf.Tensor): tf.Tensor {
    return tf.matMul(dProjected, this.kernel!, false, true);
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
      const { states: next } = this.stepForward(this.projectInputs(inputs), states, { input: null, recurrent: null });
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
   * entries are 1 / (1 − rate), dropped ones 0, as Keras's `DropoutRNNCell` draws them.
   */
  dropoutMasks(batch: number, inputDim: number, training: boolean): DropoutMasks {
    return {
      input: training && this.dropout > 0 && this.dropout < 1 ? this.mask([batch, inputDim], this.dropout) : null,
      recurrent: training && this.recurrent_dropout > 0 && this.recurrent_dropout < 1 ? this.mask([batch, this.units], this.recurrent_dropout) : null,
    };
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

/** Keras writes each initializer / regularizer / constraint of a config in its serialized form. */
export function configOf(value: unknown): unknown {
  if (value instanceof Initializer) return serializeInitializer(value);
  if (value instanceof Regularizer) return serializeRegularizer(value);
  if (value instanceof Constraint) return serializeConstraint(value);
  return null;
}

/** x̃ · W (+ b): the input projection of all steps at once. */
export function project(rows: tf.Tensor, kernel: tf.Variable, bias: tf.Tensor | null): tf.Tensor {
  return bias === null ? tf.matMul(rows, kernel) : tf.fused.matMul({ a: rows, b: kernel, bias });
}

/** Σ_t aᵀ(t) · δ(t) as one matMul over the steps' rows stacked: [steps·batch, m]ᵀ · [steps·batch, n]. */
export function sumOverTime(lhs: readonly tf.Tensor[], deltas: tf.Tensor): tf.Tensor {
  return tf.matMul(lhs.length === 1 ? lhs[0]! : tf.concat(lhs as tf.Tensor[], 0), deltas, true, false);
}
