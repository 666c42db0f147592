/**
 * What `Conv1D` and `Conv2D` share, as Keras 3's `BaseConv`: the arguments, the weights
 * (`kernel` of shape [...kernel_size, input_channels / groups, filters], `bias` of shape
 * [filters]), the output shape and the config. The forward and backward equations are in
 * conv2d.ts; Conv1D runs them on a height-1 image.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getActivation, type Activation, type ActivationIdentifier } from '../activations.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { ValueError } from '../errors.js';
import { get as getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { activationConfig } from './activation.js';
import {
  assertPositiveOutput,
  assertRank,
  axesOf,
  convOutputLength,
  dataFormatField,
  paddingField,
  standardizeTuple,
  tupleField,
  type DataFormat,
  type Padding,
} from './conv_arguments.js';
import { isShapeList, Layer, layerSchema, shapeText, type LayerArgs, type Shape } from './layer.js';
import { configOf, identifier, weightConfig, weightFields } from './weight_arguments.js';

const positiveInteger = 'must be a strictly positive integer';

/** The keyword arguments of `Conv{rank}D`, Keras's names and defaults. */
export function convSchema<C extends boolean>(allowCausal: C) {
  return layerSchema.extend({
    filters: z.number({ error: positiveInteger }).int({ error: positiveInteger }).positive({ error: positiveInteger }),
    kernel_size: tupleField,
    strides: tupleField.default(1),
    padding: paddingField(allowCausal),
    data_format: dataFormatField,
    dilation_rate: tupleField.default(1),
    groups: z.number({ error: positiveInteger }).int({ error: positiveInteger }).positive({ error: positiveInteger }).default(1),
    activation: identifier<ActivationIdentifier>(),
    use_bias: z.boolean().default(true),
    ...weightFields('kernel', 'glorot_uniform'),
    ...weightFields('bias', 'zeros'),
    activity_regularizer: identifier<RegularizerIdentifier>(),
  });
}

/** What the schema gives a convolution's constructor. */
export type ConvArgs = LayerArgs & {
  filters: number;
  kernel_size: number | readonly number[];
  strides: number | readonly number[];
  padding: Padding;
  data_format: DataFormat;
  dilation_rate: number | readonly number[];
  groups: number;
  activation?: ActivationIdentifier | null;
  use_bias: boolean;
  kernel_initializer: InitializerIdentifier;
  bias_initializer: InitializerIdentifier;
  kernel_regularizer?: RegularizerIdentifier | null;
  bias_regularizer?: RegularizerIdentifier | null;
  activity_regularizer?: RegularizerIdentifier | null;
  kernel_constraint?: ConstraintIdentifier | null;
  bias_constraint?: ConstraintIdentifier | null;
};

export abstract class BaseConvLayer extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernel_size: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly data_format: DataFormat;
  readonly dilation_rate: number[];
  readonly groups: number;
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

  protected constructor(owner: string, rank: number, args: ConvArgs, defaultName: string) {
    super(args, defaultName);
    this.rank = rank;
    this.filters = args.filters;
    this.groups = args.groups;
    this.kernel_size = standardizeTuple(owner, args.kernel_size, rank, 'kernel_size');
    this.strides = standardizeTuple(owner, args.strides, rank, 'strides');
    this.dilation_rate = standardizeTuple(owner, args.dilation_rate, rank, 'dilation_rate');
    this.padding = args.padding;
    this.data_format = args.data_format;
    this.activation = getActivation(args.activation);
    this.use_bias = args.use_bias;
    this.kernel_initializer = getInitializer(args.kernel_initializer);
    this.bias_initializer = getInitializer(args.bias_initializer);
    this.kernel_regularizer = getRegularizer(args.kernel_regularizer);
    this.bias_regularizer = getRegularizer(args.bias_regularizer);
    this.activity_regularizer = getRegularizer(args.activity_regularizer);
    this.kernel_constraint = getConstraint(args.kernel_constraint);
    this.bias_constraint = getConstraint(args.bias_constraint);
    if (this.filters % this.groups !== 0) {
      throw new ValueError(
        `${owner}: The number of filters must be evenly divisible by the number of groups. Received: groups=${this.groups}, filters=${this.filters}.`,
      );
    }
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilation_rate) > 1) {
      throw new ValueError(
        `${owner}: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
          `Received: strides=${tupleText(this.strides)} and dilation_rate=${tupleText(this.dilation_rate)}`,
      );
    }
  }

  override build(inputShape: Shape): void {
    const channels = this.checkBuildShape(inputShape);
    this.kernel = this.add_weight({
      name: 'kernel',
      shape: this.kernelShape(channels),
      initializer: (shape) => this.kernel_initializer(shape),
      regularizer: this.kernel_regularizer,
      constraint: this.kernel_constraint,
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

  /** The kernel's shape for `channels` input channels: [...kernel_size, channels / groups, filters] (a transposed convolution swaps the last two). */
  protected kernelShape(channels: number): number[] {
    return [...this.kernel_size, channels / this.groups, this.filters];
  }

  /** Keras's `compute_conv_output_shape`: each spatial axis by `convOutputLength`, channels → filters. */
  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.rank + 2, 'min_ndim');
    const { spatial } = axesOf(inputShape.length, this.data_format);
    const outSpatial = spatial.map((axis, i) =>
      convOutputLength(inputShape[axis] ?? null, this.kernel_size[i]!, this.strides[i]!, this.padding, this.dilation_rate[i]!),
    );
    assertPositiveOutput(
      this.className,
      inputShape,
      outSpatial,
      `\`kernel shape=${shapeText([...this.kernel_size, inputShape[axesOf(inputShape.length, this.data_format).channel] ?? null, this.filters])}\`, ` +
        `\`dilation_rate=${tupleText(this.dilation_rate)}\`, \`strides=${tupleText(this.strides)}\`, \`padding=${this.padding}\``,
    );
    const batch = inputShape[0] ?? null;
    return this.data_format === 'channels_last' ? [batch, ...outSpatial, this.filters] : [batch, this.filters, ...outSpatial];
  }

  /**
   * Before the first build, checks the shape the call received — its rank (Keras's InputSpec),
   * its channels and a window that fits — so the message shows that shape, batch size included,
   * as Keras's does (the build itself sees the batch axis as None).
   */
  override ensureBuilt(inputShape: Shape | readonly number[] | readonly number[][]): void {
    if (!this.built && !isShapeList(inputShape as Shape)) this.checkBuildShape(inputShape as Shape);
    super.ensureBuilt(inputShape);
  }

  /** The rank, a known channel count divisible by `groups`, and a window that fits; returns the channels. */
  private checkBuildShape(inputShape: Shape): number {
    assertRank(this.name, inputShape, this.rank + 2, 'min_ndim');
    const channels = inputShape[axesOf(inputShape.length, this.data_format).channel];
    if (channels === null || channels === undefined) {
      throw new ValueError(`Layer "${this.name}": the channel axis of the input must be known to build a ${this.className} layer. Received: input_shape=${shapeText(inputShape)}`);
    }
    if (channels % this.groups !== 0) {
      throw new ValueError(
        `The number of input channels must be evenly divisible by the number of groups. Received groups=${this.groups}, ` +
          `but the input has ${channels} channels (full input shape is ${shapeText(inputShape)}).`,
      );
    }
    // Validates the spatial sizes before any weight is made, as Keras's build does.
    this.compute_output_shape(inputShape);
    return channels;
  }

  /** Checks an input at the call that received it: its rank, then the shape the layer was built for. */
  protected checkInput(inputs: tf.Tensor): void {
    assertRank(this.name, inputs.shape, this.rank + 2, 'min_ndim');
    this.assertInputCompatible(inputs.shape);
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      filters: this.filters,
      kernel_size: [...this.kernel_size],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.data_format,
      dilation_rate: [...this.dilation_rate],
      groups: this.groups,
      activation: activationConfig(this.activation),
      use_bias: this.use_bias,
      ...weightConfig(this, ['kernel', 'bias']),
      activity_regularizer: configOf(this.activity_regularizer),
    };
  }
}

/** `(2, 2)` as Python prints a tuple. */
export function tupleText(values: readonly number[]): string {
  return shapeText(values);
}

export { configOf } from './weight_arguments.js';
