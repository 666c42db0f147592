/**
 * `keras.layers.Dense(units, {activation, use_bias, kernel_initializer, ...})`: the
 * densely-connected layer, `a = σ(x · W + b)`.
 *
 * Its forward and backward are the notebook's equations (docs/backprop.md):
 *
 *   z = a_prev · W + b                      forward
 *   a = σ(z)
 *   δ = ∂C/∂a ⊙ σ′(z)                       BP1 (output layer) / BP2 (hidden layers)
 *   ∂C/∂b = Σ_batch δ                       BP3
 *   ∂C/∂W = a_prevᵀ · δ                     BP4
 *   ∂C/∂a_prev = δ · Wᵀ                     (what BP2 needs from the layer below)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getActivation, type Activation, type ActivationIdentifier } from '../activations.js';
import { getConstraint } from '../constraints.js';
import { ValueError } from '../errors.js';
import { get as getInitializer } from '../initializers.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { callable } from '../utils/callable.js';
import { assertOneInput, Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';
import { isSmallProduct, matMul, sumOverRows } from './mat_mul.js';
import { activationConfig, backwardThroughActivation, canFuseInTraining, type ActivatedLayer, type ActivationSaved } from './activation.js';
import { identifier, weightConfig, weightFields } from './weight_arguments.js';

const denseSchema = layerSchema.extend({
  units: z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' }),
  activation: identifier<ActivationIdentifier>(),
  use_bias: z.boolean().default(true),
  ...weightFields('kernel', 'glorot_uniform'),
  ...weightFields('bias', 'zeros'),
  activity_regularizer: identifier<RegularizerIdentifier>(),
});

/** Keyword arguments of `Dense`. */
export type DenseOptions = Omit<KerasOptions<typeof denseSchema>, 'units'>;

const POSITIONAL = ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'] as const;

/** `Dense(64)`, `Dense(64, {...})`, `Dense(64, 'relu', {...})` or `Dense({ units: 64, ... })`, as in Keras. */
export type DenseArgs =
  | [units: number, options?: DenseOptions]
  | [units: number, activation: ActivationIdentifier, options?: DenseOptions]
  | [options: DenseOptions & { units: number }];

type DenseSaved = ActivationSaved & { rows: tf.Tensor };

export class DenseLayer extends Layer implements ActivatedLayer {
  static readonly class_name = 'Dense';
  readonly units: number;
  readonly activation: Activation;
  readonly use_bias: boolean;
  readonly kernel_initializer;
  readonly bias_initializer;
  readonly kernel_regularizer;
  readonly bias_regularizer;
  readonly kernel_constraint;
  readonly bias_constraint;
  kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  /**
   * @param units the number of outputs (neurons), a positive integer.
   * @param options.activation a Keras name (`'relu'`), a function (`keras.activations.tanh`), or
   *   `null` for none (linear). Defaults to `null`.
   * @param options.use_bias whether the layer adds a bias vector. Defaults to `true`.
   * @param options.kernel_initializer initializer of the kernel `W`. Defaults to `'glorot_uniform'`.
   * @param options.bias_initializer initializer of the bias `b`. Defaults to `'zeros'`.
   * @param options.kernel_regularizer / bias_regularizer penalties on `W` / `b` added to the loss.
   * @param options.activity_regularizer a penalty on the layer's outputs added to the loss.
   * @param options.kernel_constraint / bias_constraint applied to `W` / `b` after each optimizer step.
   * @param options.input_shape the shape of one sample (`[8]`) when this is the model's first layer;
   *   or `input_dim: 8`, or `batch_input_shape: [null, 8]`.
   */
  constructor(...given: DenseArgs) {
    const args = parseArgs('Dense', denseSchema, POSITIONAL, given);
    super(args, 'dense');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.units = args.units;
    this.activation = getActivation(args.activation);
    this.use_bias = args.use_bias;
    this.kernel_initializer = getInitializer(args.kernel_initializer);
    this.bias_initializer = getInitializer(args.bias_initializer);
    this.kernel_regularizer = getRegularizer(args.kernel_regularizer);
    this.bias_regularizer = getRegularizer(args.bias_regularizer);
    this.activity_regularizer = getRegularizer(args.activity_regularizer);
    this.kernel_constraint = getConstraint(args.kernel_constraint);
    this.bias_constraint = getConstraint(args.bias_constraint);
  }

  override build(inputShape: Shape): void {
    assertOneInput(this.name, inputShape);
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null || inputDim === undefined) {
      throw new ValueError(`Layer "${this.name}": the last axis of the input must be known to build a Dense layer. Received: input_shape=${shapeText(inputShape)}`);
    }
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: (shape) => this.kernel_initializer(shape),
      regularizer: this.kernel_regularizer,
      constraint: this.kernel_constraint,
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

  /** Inference: `σ(x · W + b)`, in one fused op when TensorFlow.js can apply σ inside the matMul. */
  override call(inputs: tf.Tensor): tf.Tensor {
    return this.onRows(inputs, (x) => (this.activation.fusedName === undefined ? this.activation.forward(this.linear(x)) : this.activated(x)));
  }

  /**
   * Training keeps `z` for the backward, except for activations whose derivative
   * can be read from `a` alone (relu and friends): those stay fused in one op.
   */
  override forward(inputs: tf.Tensor, _training = false): ForwardPass<DenseSaved> {
    const x = this.rows(inputs);
    if (canFuseInTraining(this.activation)) {
      const a = this.activated(x);
      return { inputs, outputs: this.unrows(a, inputs), saved: { z: null, rows: x, a } };
    }
    const zRows = this.linear(x);
    const a = this.activation.forward(zRows);
    return { inputs, outputs: this.unrows(a, inputs), saved: { z: zRows, rows: x, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<DenseSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z)
    const delta = backwardThroughActivation(this.activation, this.rows(dOutputs), saved);
    return this.backwardFromDelta(delta, pass, needInputGradient);
  }

  /**
   * The backward from δ = ∂C/∂z, when the loss gives it straight from the logits
   * (sigmoid + binary crossentropy, softmax + categorical crossentropy).
   */
  backwardFromDelta(delta: tf.Tensor, pass: ForwardPass<DenseSaved>, needInputGradient: boolean): Gradients {
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // BP4: ∂C/∂W = a_prevᵀ · δ
      weightGradients.push(matMul(pass.saved!.rows, delta, true, false));
      // BP3: ∂C/∂b = Σ_batch δ (= 1ᵀ · δ)
      if (this.use_bias) weightGradients.push(sumOverRows(delta));
    }
    // What BP2 needs from the layer below: ∂C/∂a_prev = δ · Wᵀ
    const inputGradient = needInputGradient ? this.unrowsInput(matMul(delta, this.kernel!, false, true), pass.inputs) : null;
    return { inputGradient, weightGradients };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      units: this.units,
      activation: activationConfig(this.activation),
      use_bias: this.use_bias,
      ...weightConfig(this, ['kernel', 'bias']),
      // Keras's quantization (int8, float8...) is not in keras-like: its "none", as Keras writes it.
      quantization_config: null,
    };
  }

  /** z = x · W + b */
  private linear(x: tf.Tensor): tf.Tensor {
    if (this.isSmall(x)) return this.bias === null ? tf.matMul(x, this.kernel!) : tf.add(tf.matMul(x, this.kernel!), this.bias);
    return tf.fused.matMul({ a: x, b: this.kernel!, bias: this.bias ?? undefined });
  }

  /** a = σ(x · W + b) for an activation `tf.fused.matMul` can apply: fused, unless the product is small (see `isSmallProduct`). */
  private activated(x: tf.Tensor): tf.Tensor {
    if (this.isSmall(x)) return this.activation.forward(this.linear(x));
    const { fusedName, leakyreluAlpha } = this.activation;
    return tf.fused.matMul({ a: x, b: this.kernel!, bias: this.bias ?? undefined, activation: fusedName, leakyreluAlpha });
  }

  private isSmall(x: tf.Tensor): boolean {
    return isSmallProduct(x.shape[0]!, x.shape[1]!, this.units);
  }

  // Dense acts on the last axis; inputs of rank > 2 are flattened to rows and back.
  private rows(x: tf.Tensor): tf.Tensor {
    return x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
  }

  private unrows(rows: tf.Tensor, inputs: tf.Tensor): tf.Tensor {
    return inputs.rank === 2 ? rows : tf.reshape(rows, [...inputs.shape.slice(0, -1), this.units]);
  }

  private unrowsInput(rows: tf.Tensor, inputs: tf.Tensor): tf.Tensor {
    return inputs.rank === 2 ? rows : tf.reshape(rows, inputs.shape);
  }

  private onRows(inputs: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.unrows(f(this.rows(inputs)), inputs));
  }
}

export const Dense = callable(DenseLayer);
export type Dense = DenseLayer;
