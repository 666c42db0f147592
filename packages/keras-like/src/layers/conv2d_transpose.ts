/**
 * `keras.layers.Conv2DTranspose(filters, kernel_size, {strides, padding, output_padding, ...})`
 * (alias `Convolution2DTranspose`): the transposed convolution, "deconvolution", that upsamples
 * an image — each input pixel stamps the kernel onto the output, `strides` apart — with Keras 3's
 * weights (`kernel` [kh, kw, filters, in_channels], `bias` [filters]).
 *
 *   z = x̃ ⋆ rot180(W)ᵀ + b,  a = σ(z)       x̃: x spread to the stride and padded
 *   δ = ∂C/∂a ⊙ σ′(z)                        BP1 / BP2
 *   ∂C/∂b = Σ δ                              BP3
 *   ∂C/∂W = rot180(x̃ ⋆ δ)ᵀ                   BP4
 *   ∂C/∂x = δ ⋆ W  (stride s)                 BP2's first factor: an ordinary convolution
 *
 * Forward and backward are in base_conv_transpose.ts.
 */
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { BaseConvTransposeLayer, convTransposeSchema, type ConvTransposeArgs } from './base_conv_transpose.js';
import type { PaddingArg } from './conv_arguments.js';

/** Keyword arguments of `Conv2DTranspose`. */
export type Conv2DTransposeOptions = Omit<KerasOptions<typeof convTransposeSchema>, 'filters' | 'kernel_size'>;
type KernelSize = number | readonly [number, number] | number[];

const POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation'] as const;

/** `Conv2DTranspose(16, 3)`, `Conv2DTranspose(16, 3, 2, 'same', {...})` or `Conv2DTranspose({ filters: 16, kernel_size: 3 })`. */
export type Conv2DTransposeArgs =
  | [filters: number, kernel_size: KernelSize, options?: Conv2DTransposeOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], options?: Conv2DTransposeOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], padding: PaddingArg, options?: Conv2DTransposeOptions]
  | [filters: number, options: Conv2DTransposeOptions & { kernel_size: KernelSize }]
  | [options: Conv2DTransposeOptions & { filters: number; kernel_size: KernelSize }];

export class Conv2DTransposeLayer extends BaseConvTransposeLayer {
  static readonly class_name = 'Conv2DTranspose';

  /**
   * @param filters the number of output channels, a positive integer.
   * @param kernel_size the stamp's height and width: an integer or `[kh, kw]`.
   * @param options.strides the spacing of the stamps (the upsampling factor): an integer or `[sh, sw]`. Defaults to 1.
   * @param options.padding `'valid'` (output (n − 1)·s + max(k, s), the default) or `'same'` (output n·s).
   * @param options.output_padding extra rows / columns after the output, each < its stride; `null` (the default) lets Keras infer it.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   * @param options.dilation_rate the spacing between the kernel's taps. Defaults to 1; cannot be combined with strides > 1.
   * @param options.activation, use_bias, initializers, regularizers, constraints: as `Conv2D`.
   */
  constructor(...given: Conv2DTransposeArgs) {
    super('Conv2DTranspose', 2, parseArgs('Conv2DTranspose', convTransposeSchema, POSITIONAL, given) as ConvTransposeArgs, 'conv2d_transpose');
  }
}

export const Conv2DTranspose = callable(Conv2DTransposeLayer);
export type Conv2DTranspose = Conv2DTransposeLayer;
/** Keras's alias `keras.layers.Convolution2DTranspose`. */
export const Convolution2DTranspose = Conv2DTranspose;
