/**
 * `keras.layers.Conv1DTranspose(filters, kernel_size, {strides, padding, output_padding, ...})`
 * (alias `Convolution1DTranspose`): the transposed convolution over [batch, steps, channels],
 * with Keras 3's weights (`kernel` [k, filters, in_channels], `bias` [filters]). It is
 * Conv2DTranspose's forward and backward (conv2d_transpose.ts) on a height-1 image.
 *
 * Forward and backward are in base_conv_transpose.ts.
 */
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { BaseConvTransposeLayer, convTransposeSchema, type ConvTransposeArgs } from './base_conv_transpose.js';
import type { PaddingArg } from './conv_arguments.js';

/** Keyword arguments of `Conv1DTranspose`. */
export type Conv1DTransposeOptions = Omit<KerasOptions<typeof convTransposeSchema>, 'filters' | 'kernel_size'>;
type KernelSize = number | readonly [number] | number[];

const POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation'] as const;

/** `Conv1DTranspose(16, 3)`, `Conv1DTranspose(16, 3, 2, 'same', {...})` or `Conv1DTranspose({ filters: 16, kernel_size: 3 })`. */
export type Conv1DTransposeArgs =
  | [filters: number, kernel_size: KernelSize, options?: Conv1DTransposeOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], options?: Conv1DTransposeOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], padding: PaddingArg, options?: Conv1DTransposeOptions]
  | [filters: number, options: Conv1DTransposeOptions & { kernel_size: KernelSize }]
  | [options: Conv1DTransposeOptions & { filters: number; kernel_size: KernelSize }];

export class Conv1DTransposeLayer extends BaseConvTransposeLayer {
  static readonly class_name = 'Conv1DTranspose';

  /** As `Conv2DTranspose`, on [batch, steps, channels]: `kernel_size`, `strides`, `output_padding` and `dilation_rate` are integers (or 1-tuples). */
  constructor(...given: Conv1DTransposeArgs) {
    super('Conv1DTranspose', 1, parseArgs('Conv1DTranspose', convTransposeSchema, POSITIONAL, given) as ConvTransposeArgs, 'conv1d_transpose');
  }
}

export const Conv1DTranspose = callable(Conv1DTransposeLayer);
export type Conv1DTranspose = Conv1DTransposeLayer;
/** Keras's alias `keras.layers.Convolution1DTranspose`. */
export const Convolution1DTranspose = Conv1DTranspose;
