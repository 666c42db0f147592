/**
 * `keras.layers.SeparableConv2D(filters, kernel_size, {depth_multiplier, ...})` (alias
 * `SeparableConvolution2D`) and `SeparableConv1D`: a depthwise convolution (each channel on its
 * own, depthwise_conv.ts) followed by a pointwise 1×1 convolution that mixes the channels — a
 * Conv2D's work factored in two, with far fewer weights. Keras 3's weights: `depthwise_kernel`
 * [...kernel_size, in, dm], `pointwise_kernel` [1, (1,) in·dm, filters], `bias` [filters].
 *
 *   u = depthwise(x, W_d)                       forward, step 1 (no bias)
 *   z = u · W_p + b, a = σ(z)                   step 2: a Dense layer at every position
 *   δ = ∂C/∂a ⊙ σ′(z)                           BP1 / BP2
 *   ∂C/∂b = Σ_batch,positions δ                 BP3
 *   ∂C/∂W_p = Σ_positions uᵀ · δ                BP4 of the pointwise step (Dense's a_prevᵀ · δ)
 *   δ_u = δ · W_pᵀ                              BP2 of the pointwise step
 *   ∂C/∂W_d = BP4 of the depthwise step on δ_u
 *   ∂C/∂x = BP2 of the depthwise step on δ_u
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getConstraint } from '../constraints.js';
import { get as getInitializer } from '../initializers.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { getRegularizer } from '../regularizers.js';
import { callable } from '../utils/callable.js';
import { backwardThroughActivation, canFuseInTraining, type ActivationSaved } from './activation.js';
import type { PaddingArg } from './conv_arguments.js';
import { BaseDepthwiseLayer, depthwiseSchema, type DepthwiseArgs } from './depthwise_conv.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput, depthwiseConv2d } from './depthwise_ops.js';
import type { ForwardPass, Gradients, Shape } from './layer.js';
import { weightConfig, weightFields } from './weight_arguments.js';

const positive = 'must be a strictly positive integer';

const separableSchema = depthwiseSchema.extend({
  filters: z.number({ error: positive }).int({ error: positive }).positive({ error: positive }),
  ...weightFields('pointwise', 'glorot_uniform'),
});

type SeparableArgs = DepthwiseArgs & z.output<typeof separableSchema>;

/** What the backward needs: the channels-last image input, the depthwise output u, and z or a. */
type SeparableSaved = ActivationSaved & { readonly x: tf.Tensor; readonly u: tf.Tensor };

abstract class BaseSeparableConvLayer extends BaseDepthwiseLayer {
  readonly filters: number;
  readonly pointwise_initializer;
  readonly pointwise_regularizer;
  readonly pointwise_constraint;
  depthwise_kernel: tf.Variable | null = null;
  pointwise_kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  protected constructor(owner: string, rank: number, args: SeparableArgs, defaultName: string) {
    super(owner, rank, args, defaultName);
    this.filters = args.filters;
    this.pointwise_initializer = getInitializer(args.pointwise_initializer);
    this.pointwise_regularizer = getRegularizer(args.pointwise_regularizer);
    this.pointwise_constraint = getConstraint(args.pointwise_constraint);
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.depthwise_kernel = this.add_weight({
      name: 'depthwise_kernel',
      shape: [...this.kernel_size, channels, this.depth_multiplier],
      initializer: (shape) => this.depthwise_initializer(shape),
      regularizer: this.depthwise_regularizer,
      constraint: this.depthwise_constraint,
    });
    this.pointwise_kernel = this.add_weight({
      name: 'pointwise_kernel',
      shape: [...Array<number>(this.rank).fill(1), channels * this.depth_multiplier, this.filters],
      initializer: (shape) => this.pointwise_initializer(shape),
      regularizer: this.pointwise_regularizer,
      constraint: this.pointwise_constraint,
    });
    if (this.use_bias) {
      this.bias = this.add_weight({
        name: 'bias',
        shape: [this.filters],
        initializer: (shape) => this.bias_initializer(shape),
        regularizer: this.bias_regularizer,
        constraint: this.bias_constraint,
      });
    }
    super.build(inputShape);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<SeparableSaved> {
    this.checkInput(inputs);
    const x = this.toImage(inputs);
    // u = depthwise(x, W_d)
    const u = depthwiseConv2d(x, this.imageKernel(this.depthwise_kernel!), this.geometry(), null);
    const pointwise = this.pointwiseMatrix();
    const [n, h, w, k] = u.shape as [number, number, number, number];
    const rows = tf.reshape(u, [n * h * w, k]);
    // z = u · W_p + b, a = σ(z), at every position
    if (canFuseInTraining(this.activation)) {
      const a = tf.reshape(tf.fused.matMul({ a: rows, b: pointwise, bias: this.bias ?? undefined, activation: this.activation.fusedName, leakyreluAlpha: this.activation.leakyreluAlpha }), [n, h, w, this.filters]);
      return { inputs, outputs: this.fromImage(a), saved: { x, u, z: null, a } };
    }
    const z = tf.reshape(this.bias === null ? tf.matMul(rows, pointwise) : tf.add(tf.matMul(rows, pointwise), this.bias), [n, h, w, this.filters]);
    const a = this.activation.forward(z);
    return { inputs, outputs: this.fromImage(a), saved: { x, u, z, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<SeparableSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    const g = this.geometry();
    const depthwise = this.imageKernel(this.depthwise_kernel!);
    const pointwise = this.pointwiseMatrix();
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z), one row per position
    const delta = tf.reshape(backwardThroughActivation(this.activation, this.toImage(dOutputs), saved), [-1, this.filters]);
    const rows = tf.reshape(saved.u, [-1, pointwise.shape[0]]);
    // δ_u = δ · W_pᵀ, back on the depthwise output's grid
    const deltaU = tf.reshape(tf.matMul(delta, pointwise, false, true), saved.u.shape);
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // ∂C/∂W_d: the depthwise step's BP4 on δ_u
      weightGradients.push(tf.reshape(depthwiseBackpropFilter(saved.x, deltaU, depthwise.shape, g), this.depthwise_kernel!.shape));
      // ∂C/∂W_p = Σ_positions uᵀ · δ
      weightGradients.push(tf.reshape(tf.matMul(rows, delta, true, false), this.pointwise_kernel!.shape));
      // BP3: ∂C/∂b = Σ δ
      if (this.use_bias) weightGradients.push(tf.sum(delta, 0));
    }
    // ∂C/∂x: the depthwise step's BP2 on δ_u
    const inputGradient = needInputGradient ? this.fromImage(depthwiseBackpropInput(deltaU, depthwise, saved.x.shape, g)) : null;
    return { inputGradient, weightGradients };
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      filters: this.filters,
      ...weightConfig(this, ['pointwise']),
    };
  }

  // W_p as the matrix [in · dm, filters] of the per-position Dense step.
  private pointwiseMatrix(): tf.Tensor2D {
    const shape = this.pointwise_kernel!.shape;
    return tf.reshape(this.pointwise_kernel!, [shape.at(-2)!, shape.at(-1)!]);
  }
}

const POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation'] as const;

/** Keyword arguments of `SeparableConv2D` / `SeparableConv1D`. */
export type SeparableConvOptions = Omit<KerasOptions<typeof separableSchema>, 'filters' | 'kernel_size'>;
type KernelSize = number | number[] | readonly number[];

/** `SeparableConv2D(32, 3)`, `SeparableConv2D(32, 3, 2, 'same', {...})`, `SeparableConv2D({ filters: 32, kernel_size: 3 })`. */
export type SeparableConvArgs =
  | [filters: number, kernel_size: KernelSize, options?: SeparableConvOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], options?: SeparableConvOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], padding: PaddingArg, options?: SeparableConvOptions]
  | [filters: number, options: SeparableConvOptions & { kernel_size: KernelSize }]
  | [options: SeparableConvOptions & { filters: number; kernel_size: KernelSize }];

export class SeparableConv2DLayer extends BaseSeparableConvLayer {
  static readonly class_name = 'SeparableConv2D';

  /**
   * @param filters the number of output channels (of the pointwise step).
   * @param kernel_size the depthwise window: an integer or `[kh, kw]`.
   * @param options.strides, padding, data_format, dilation_rate, activation, use_bias: as `Conv2D`.
   * @param options.depth_multiplier depthwise kernels per input channel. Defaults to 1.
   * @param options.depthwise_* / pointwise_* initializers (default `'glorot_uniform'`), regularizers and constraints of the two kernels.
   * @param options.bias_initializer / bias_regularizer / bias_constraint / activity_regularizer: as `Conv2D`.
   */
  constructor(...given: SeparableConvArgs) {
    super('SeparableConv2D', 2, parseArgs('SeparableConv2D', separableSchema, POSITIONAL, given) as SeparableArgs, 'separable_conv2d');
  }
}

export class SeparableConv1DLayer extends BaseSeparableConvLayer {
  static readonly class_name = 'SeparableConv1D';

  /** As `SeparableConv2D`, on [batch, steps, channels]: depthwise_kernel [k, in, dm], pointwise_kernel [1, in·dm, filters]. */
  constructor(...given: SeparableConvArgs) {
    super('SeparableConv1D', 1, parseArgs('SeparableConv1D', separableSchema, POSITIONAL, given) as SeparableArgs, 'separable_conv1d');
  }
}

export const SeparableConv2D = callable(SeparableConv2DLayer);
export type SeparableConv2D = SeparableConv2DLayer;
export const SeparableConv1D = callable(SeparableConv1DLayer);
export type SeparableConv1D = SeparableConv1DLayer;
/** Keras's aliases. */
export const SeparableConvolution2D = SeparableConv2D;
export const SeparableConvolution1D = SeparableConv1D;
