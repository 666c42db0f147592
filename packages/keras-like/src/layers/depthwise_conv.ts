/**
 * `keras.layers.DepthwiseConv2D(kernel_size, {strides, padding, depth_multiplier, ...})` and
 * `DepthwiseConv1D`: each input channel convolved with its own `depth_multiplier` kernels, no sum
 * over channels (MobileNet's spatial step), with Keras 3's weights (`kernel` [...kernel_size,
 * in_channels, depth_multiplier], `bias` [in_channels · depth_multiplier]).
 *
 *   z[·, c·dm + m] = x[·, c] ⋆ W[·, ·, c, m] + b     forward (tf.fused.depthwiseConv2d)
 *   a = σ(z)
 *   δ = ∂C/∂a ⊙ σ′(z)                               BP1 / BP2
 *   ∂C/∂b = Σ_batch,positions δ                     BP3
 *   ∂C/∂W[i, j, c, m] = Σ x[…, c] · δ[…, c·dm + m]   BP4, once per tap and channel
 *   ∂C/∂x[·, c] = Σ_m δ̃[·, c·dm + m] ⋆ rot180(W)     BP2's first factor, per channel
 *
 * The operations are in depthwise_ops.ts; a 1-D layer runs them on a height-1 image.
 * `BaseDepthwiseLayer` also serves SeparableConv1D/2D (separable_conv.ts).
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
import { activationConfig, backwardThroughActivation, canFuseInTraining, type ActivationSaved } from './activation.js';
import { tupleText } from './base_conv.js';
import {
  assertPositiveOutput,
  assertRank,
  axesOf,
  convOutputLength,
  dataFormatField,
  paddingField,
  standardizeTuple,
  toChannelsFirstPerm,
  toChannelsLastPerm,
  tupleField,
  type DataFormat,
  type PaddingArg,
} from './conv_arguments.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput, depthwiseConv2d, type DepthwiseGeometry } from './depthwise_ops.js';
import { isShapeList, Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type LayerArgs, type Shape } from './layer.js';
import { configOf, identifier, weightConfig, weightFields } from './weight_arguments.js';

const positive = 'must be a strictly positive integer';

/** The keyword arguments of `DepthwiseConv{rank}D`, Keras's names and defaults. */
export const depthwiseSchema = layerSchema.extend({
  kernel_size: tupleField,
  strides: tupleField.default(1),
  padding: paddingField(false),
  depth_multiplier: z.number({ error: positive }).int({ error: positive }).positive({ error: positive }).default(1),
  data_format: dataFormatField,
  dilation_rate: tupleField.default(1),
  activation: identifier<ActivationIdentifier>(),
  use_bias: z.boolean().default(true),
  ...weightFields('depthwise', 'glorot_uniform'),
  ...weightFields('bias', 'zeros'),
  activity_regularizer: identifier<RegularizerIdentifier>(),
});

export type DepthwiseArgs = LayerArgs & z.output<typeof depthwiseSchema>;

/** What the backward needs: the channels-last image input, z or a. */
export type DepthwiseSaved = ActivationSaved & { readonly x: tf.Tensor };

/** The spatial part both depthwise and separable convolutions share: arguments, image views, output shape. */
export abstract class BaseDepthwiseLayer extends Layer {
  readonly rank: number;
  readonly kernel_size: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly depth_multiplier: number;
  readonly data_format: DataFormat;
  readonly dilation_rate: number[];
  readonly activation: Activation;
  readonly use_bias: boolean;
  readonly depthwise_initializer;
  readonly bias_initializer;
  readonly depthwise_regularizer;
  readonly bias_regularizer;
  readonly depthwise_constraint;
  readonly bias_constraint;

  protected constructor(owner: string, rank: number, args: DepthwiseArgs, defaultName: string) {
    super(args, defaultName);
    this.rank = rank;
    this.kernel_size = standardizeTuple(owner, args.kernel_size, rank, 'kernel_size');
    this.strides = standardizeTuple(owner, args.strides, rank, 'strides');
    this.dilation_rate = standardizeTuple(owner, args.dilation_rate, rank, 'dilation_rate');
    this.padding = args.padding === 'same' ? 'same' : 'valid';
    this.depth_multiplier = args.depth_multiplier;
    this.data_format = args.data_format;
    this.activation = getActivation(args.activation);
    this.use_bias = args.use_bias;
    this.depthwise_initializer = getInitializer(args.depthwise_initializer);
    this.bias_initializer = getInitializer(args.bias_initializer);
    this.depthwise_regularizer = getRegularizer(args.depthwise_regularizer);
    this.bias_regularizer = getRegularizer(args.bias_regularizer);
    this.activity_regularizer = getRegularizer(args.activity_regularizer);
    this.depthwise_constraint = getConstraint(args.depthwise_constraint);
    this.bias_constraint = getConstraint(args.bias_constraint);
    // TensorFlow.js's depthwise kernel takes one or the other, as Keras's convolutions.
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilation_rate) > 1) {
      throw new ValueError(
        `${owner}: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
          `Received: strides=${tupleText(this.strides)} and dilation_rate=${tupleText(this.dilation_rate)}`,
      );
    }
  }

  /** The number of output channels for `channels` input channels. */
  protected abstract outputChannels(channels: number | null): number | null;

  /** The input's channel count, which must be known to build. */
  protected inputChannels(inputShape: Shape): number {
    assertRank(this.name, inputShape, this.rank + 2, 'min_ndim');
    const channels = inputShape[axesOf(inputShape.length, this.data_format).channel];
    if (channels === null || channels === undefined) {
      throw new ValueError(`Layer "${this.name}": the channel axis of the input must be known to build a ${this.className} layer. Received: input_shape=${shapeText(inputShape)}`);
    }
    // Validates the spatial sizes before any weight is made, as Keras's build does.
    this.compute_output_shape(inputShape);
    return channels;
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.rank + 2, 'min_ndim');
    const { spatial, channel } = axesOf(inputShape.length, this.data_format);
    const out = spatial.map((axis, i) => convOutputLength(inputShape[axis] ?? null, this.kernel_size[i]!, this.strides[i]!, this.padding, this.dilation_rate[i]!));
    assertPositiveOutput(
      this.className,
      inputShape,
      out,
      `\`kernel_size=${tupleText(this.kernel_size)}\`, \`dilation_rate=${tupleText(this.dilation_rate)}\`, \`strides=${tupleText(this.strides)}\`, \`padding=${this.padding}\``,
    );
    const channels = this.outputChannels(inputShape[channel] ?? null);
    const batch = inputShape[0] ?? null;
    return this.data_format === 'channels_last' ? [batch, ...out, channels] : [batch, channels, ...out];
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      depth_multiplier: this.depth_multiplier,
      kernel_size: [...this.kernel_size],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.data_format,
      dilation_rate: [...this.dilation_rate],
      activation: activationConfig(this.activation),
      use_bias: this.use_bias,
      ...weightConfig(this, ['depthwise', 'bias']),
      activity_regularizer: configOf(this.activity_regularizer),
    };
  }

  /**
   * Before the first build, checks the shape the call received — its rank (Keras's InputSpec) and
   * a window that fits — so the message shows that shape, batch size included, as Keras's does
   * (the build itself sees the batch axis as None).
   */
  override ensureBuilt(inputShape: Shape | readonly number[] | readonly number[][]): void {
    if (!this.built && !isShapeList(inputShape as Shape)) {
      assertRank(this.name, inputShape as Shape, this.rank + 2, 'min_ndim');
      this.compute_output_shape(inputShape as Shape);
    }
    super.ensureBuilt(inputShape);
  }

  protected checkInput(inputs: tf.Tensor): void {
    assertRank(this.name, inputs.shape, this.rank + 2, 'min_ndim');
    this.assertInputCompatible(inputs.shape);
  }

  // 2-D geometry; a 1-D layer runs on a height-1 image.
  protected geometry(): DepthwiseGeometry {
    return this.rank === 2
      ? { strides: [this.strides[0]!, this.strides[1]!], dilations: [this.dilation_rate[0]!, this.dilation_rate[1]!], padding: this.padding }
      : { strides: [1, this.strides[0]!], dilations: [1, this.dilation_rate[0]!], padding: this.padding };
  }

  /** A kernel as a 2-D one: a 1-D layer's [k, ...] gets a height of 1. */
  protected imageKernel(kernel: tf.Tensor): tf.Tensor {
    return this.rank === 2 ? kernel : tf.expandDims(kernel, 0);
  }

  // Channels last, and a 1-D layer's [batch, steps, channels] as [batch, 1, steps, channels].
  protected toImage(x: tf.Tensor): tf.Tensor {
    const last = this.data_format === 'channels_last' ? x : tf.transpose(x, toChannelsLastPerm(x.rank));
    return this.rank === 2 ? last : tf.expandDims(last, 1);
  }

  protected fromImage(y: tf.Tensor): tf.Tensor {
    const last = this.rank === 2 ? y : tf.squeeze(y, [1]);
    return this.data_format === 'channels_last' ? last : tf.transpose(last, toChannelsFirstPerm(last.rank));
  }
}

export abstract class BaseDepthwiseConvLayer extends BaseDepthwiseLayer {
  kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  protected outputChannels(channels: number | null): number | null {
    return channels === null ? null : channels * this.depth_multiplier;
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: [...this.kernel_size, channels, this.depth_multiplier],
      initializer: (shape) => this.depthwise_initializer(shape),
      regularizer: this.depthwise_regularizer,
      constraint: this.depthwise_constraint,
    });
    if (this.use_bias) {
      this.bias = this.add_weight({
        name: 'bias',
        shape: [channels * this.depth_multiplier],
        initializer: (shape) => this.bias_initializer(shape),
        regularizer: this.bias_regularizer,
        constraint: this.bias_constraint,
      });
    }
    super.build(inputShape);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<DepthwiseSaved> {
    this.checkInput(inputs);
    const x = this.toImage(inputs);
    const kernel = this.imageKernel(this.kernel!);
    // z = depthwise(x, W) + b, a = σ(z)
    if (canFuseInTraining(this.activation)) {
      const a = depthwiseConv2d(x, kernel, this.geometry(), this.bias, this.activation);
      return { inputs, outputs: this.fromImage(a), saved: { x, z: null, a } };
    }
    const z = depthwiseConv2d(x, kernel, this.geometry(), this.bias);
    const a = this.activation.forward(z);
    return { inputs, outputs: this.fromImage(a), saved: { x, z, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<DepthwiseSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    const g = this.geometry();
    const kernel = this.imageKernel(this.kernel!);
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z)
    const delta = backwardThroughActivation(this.activation, this.toImage(dOutputs), saved);
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // BP4: ∂C/∂W[i, j, c, m] = Σ x[…, c] · δ[…, c·dm + m], tap by tap
      weightGradients.push(tf.reshape(depthwiseBackpropFilter(saved.x, delta, kernel.shape, g), this.kernel!.shape));
      // BP3: ∂C/∂b = Σ δ over the batch and every position
      if (this.use_bias) weightGradients.push(tf.sum(tf.reshape(delta, [-1, delta.shape[3]!]), 0));
    }
    // ∂C/∂x[·, c] = Σ_m δ̃[·, c·dm + m] ⋆ rot180(W[·, ·, c, m])
    const inputGradient = needInputGradient ? this.fromImage(depthwiseBackpropInput(delta, kernel, saved.x.shape, g)) : null;
    return { inputGradient, weightGradients };
  }
}

const POSITIONAL = ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation'] as const;

/** Keyword arguments of `DepthwiseConv2D` / `DepthwiseConv1D`. */
export type DepthwiseConvOptions = Omit<KerasOptions<typeof depthwiseSchema>, 'kernel_size'>;
type KernelSize = number | number[] | readonly number[];

/** `DepthwiseConv2D(3)`, `DepthwiseConv2D(3, 2, 'same', {...})`, `DepthwiseConv2D({ kernel_size: 3, depth_multiplier: 2 })`. */
export type DepthwiseConvArgs =
  | [kernel_size: KernelSize, options?: DepthwiseConvOptions]
  | [kernel_size: KernelSize, strides: number | number[], options?: DepthwiseConvOptions]
  | [kernel_size: KernelSize, strides: number | number[], padding: PaddingArg, options?: DepthwiseConvOptions]
  | [options: DepthwiseConvOptions & { kernel_size: KernelSize }];

export class DepthwiseConv2DLayer extends BaseDepthwiseConvLayer {
  static readonly class_name = 'DepthwiseConv2D';

  /**
   * @param kernel_size the window: an integer or `[kh, kw]`.
   * @param options.strides, padding (`'valid'` / `'same'`), data_format, dilation_rate: as `Conv2D`.
   * @param options.depth_multiplier kernels per input channel (output channels = in · depth_multiplier). Defaults to 1.
   * @param options.activation, use_bias: as `Conv2D`.
   * @param options.depthwise_initializer / depthwise_regularizer / depthwise_constraint: the kernel's. The initializer defaults to `'glorot_uniform'`.
   * @param options.bias_initializer / bias_regularizer / bias_constraint / activity_regularizer: as `Conv2D`.
   */
  constructor(...given: DepthwiseConvArgs) {
    super('DepthwiseConv2D', 2, parseArgs('DepthwiseConv2D', depthwiseSchema, POSITIONAL, given) as DepthwiseArgs, 'depthwise_conv2d');
  }
}

export class DepthwiseConv1DLayer extends BaseDepthwiseConvLayer {
  static readonly class_name = 'DepthwiseConv1D';

  /** As `DepthwiseConv2D`, on [batch, steps, channels]: kernel [k, in_channels, depth_multiplier]. */
  constructor(...given: DepthwiseConvArgs) {
    super('DepthwiseConv1D', 1, parseArgs('DepthwiseConv1D', depthwiseSchema, POSITIONAL, given) as DepthwiseArgs, 'depthwise_conv1d');
  }
}

export const DepthwiseConv2D = callable(DepthwiseConv2DLayer);
export type DepthwiseConv2D = DepthwiseConv2DLayer;
export const DepthwiseConv1D = callable(DepthwiseConv1DLayer);
export type DepthwiseConv1D = DepthwiseConv1DLayer;
