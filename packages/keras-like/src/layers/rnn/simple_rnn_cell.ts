/**
 * `keras.layers.SimpleRNNCell(units, {...})`: one time step of a fully-connected recurrent
 * layer, with Keras 3's weights `kernel` [input, units] (W_x in the S16 notebook),
 * `recurrent_kernel` [units, units] (W_y) and `bias` [units].
 *
 * Forward, one step (the notebook's Y(t) = φ(X(t) W_x + Y(t−1) W_y + b)):
 *
 *   z(t) = x(t) · W + h(t−1) · U + b
 *   h(t) = φ(z(t))                                   φ is `activation` (tanh by default)
 *
 * Backward, one step, given ∂C/∂h(t) (from the output at t, and from step t+1):
 *
 *   δ(t)       = ∂C/∂h(t) ⊙ φ′(z(t))
 *   ∂C/∂h(t−1) = δ(t) · Uᵀ                           carried to step t−1
 *
 * and over the sequence: ∂C/∂W = Σ_t x(t)ᵀ δ(t), ∂C/∂U = Σ_t h(t−1)ᵀ δ(t),
 * ∂C/∂b = Σ_t Σ_batch δ(t), ∂C/∂x(t) = δ(t) · Wᵀ.
 *
 * φ′(z(t)) is fixed by the forward: for an element-wise φ (every built-in but softmax and
 * log_softmax) it is computed for all steps at once before the walk back (`startBackward`),
 * and a step multiplies by it (tanh′ = 1 − h²: one kernel a step instead of three).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getActivation, type Activation } from '../../activations.js';
import { isElementwise } from '../../activations/builtins.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { Shape } from '../layer.js';
import { cellSchema, configOf, RecurrentCell, sumRows, type CellStep, type CellStepGradients, type Sequence } from './recurrent_cell.js';
import { splitRows } from './time_steps.js';

export const simpleRNNCellSchema = cellSchema;

/** Keyword arguments of `SimpleRNNCell`. */
export type SimpleRNNCellOptions = Omit<KerasOptions<typeof simpleRNNCellSchema>, 'units'>;

interface SimpleRNNTape {
  /** h(t−1) as the recurrent kernel saw it (after recurrent dropout). */
  readonly hPrev: tf.Tensor;
  readonly z: tf.Tensor;
  readonly h: tf.Tensor;
  /** φ′(z(t)), set by `startBackward` for an element-wise φ. */
  readonly derivative?: tf.Tensor;
}

export class SimpleRNNCellLayer extends RecurrentCell<SimpleRNNTape> {
  static readonly class_name = 'SimpleRNNCell';
  readonly activation: Activation;

  /**
   * @param units the size of h, a positive integer.
   * @param options.activation φ. Defaults to `'tanh'`; `null` for none.
   * @param options.use_bias Defaults to `true`.
   * @param options.kernel_initializer Defaults to `'glorot_uniform'`; `recurrent_initializer` to
   *   `'orthogonal'`; `bias_initializer` to `'zeros'`.
   * @param options.dropout / recurrent_dropout fractions of x(t) / h(t−1) dropped in training. Default 0.
   * @param options.seed makes the dropout masks reproducible.
   */
  constructor(units: number | (SimpleRNNCellOptions & { units: number }), options?: SimpleRNNCellOptions) {
    const args = parseArgs('SimpleRNNCell', simpleRNNCellSchema, ['units'], [units, options]);
    super(args, 'simple_rnn_cell');
    this.activation = getActivation(args.activation);
  }

  get state_size(): number[] {
    return [this.units];
  }

  override build(inputShape: Shape): void {
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: [this.inputDim(inputShape), this.units],
      initializer: (shape) => this.kernel_initializer(shape),
      regularizer: this.kernel_regularizer,
      constraint: this.kernel_constraint,
    });
    this.recurrent_kernel = this.add_weight({
      name: 'recurrent_kernel',
      shape: [this.units, this.units],
      initializer: (shape) => this.recurrent_initializer(shape),
      regularizer: this.recurrent_regularizer,
      constraint: this.recurrent_constraint,
    });
    if (this.use_bias) {
      this.bias = this.add_weight({
        name: 'bias',
        shape: [this.units],
        initializer: (shape) => this.bias_initializer(shape),
        regularizer: this.bias_regularizer,
        constraint: this.bias_constraint,
      });
    }
    super.build(inputShape);
  }

  stepForward(x: readonly tf.Tensor[], states: readonly tf.Tensor[], sequence: Sequence): CellStep<SimpleRNNTape> {
    const hPrev = this.recurrentInputs(states[0]!, sequence)[0]!;
    // z(t) = x(t) · W + b + h(t−1) · U ;  h(t) = φ(z(t))   (x(t) · W + b was computed before the loop)
    const z = tf.add(x[0]!, tf.matMul(hPrev, sequence.recurrentKernels[0]!));
    const h = this.activation.forward(z);
    return { states: [h], tape: { hPrev, z, h } };
  }

  /** φ′(z(t)) of every step, one op over the T steps stacked. */
  override startBackward(tapes: readonly SimpleRNNTape[]): readonly SimpleRNNTape[] {
    if (!isElementwise(this.activation)) return tapes;
    const [z, h] = [tf.concat(tapes.map((t) => t.z), 0), tf.concat(tapes.map((t) => t.h), 0)];
    const derivatives = splitRows(this.activation.backward(tf.onesLike(z), z, h), tapes.length);
    return tapes.map((tape, t) => ({ ...tape, derivative: derivatives[t]! }));
  }

  stepBackward(dStates: readonly tf.Tensor[], tape: SimpleRNNTape, sequence: Sequence): CellStepGradients {
    // δ(t) = ∂C/∂h(t) ⊙ φ′(z(t)) ;  ∂C/∂h(t−1) = δ(t) · Uᵀ
    const delta = tape.derivative === undefined ? this.activation.backward(dStates[0]!, tape.z, tape.h) : tf.mul(dStates[0]!, tape.derivative);
    return { dStates: [this.recurrentGradient(delta, [delta], sequence)], dProjected: delta };
  }

  weightGradients(sequence: Sequence, dProjected: tf.Tensor, tapes: readonly SimpleRNNTape[]): tf.Tensor[] {
    const gradients = [this.kernelGradient(sequence, dProjected), this.recurrentKernelGradient(tapes.map((t) => [t.hPrev]), dProjected, sequence)];
    if (this.use_bias) gradients.push(sumRows(dProjected));
    return gradients;
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      ...this.cellConfig(),
      activation: this.activation.name,
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

export const SimpleRNNCell = callable(SimpleRNNCellLayer);
export type SimpleRNNCell = SimpleRNNCellLayer;
