/**
 * `keras.layers.Conv2D(filters, kernel_size, {strides, padding, activation, ...})`: a 2-D
 * convolution, `a = σ(x ⋆ W + b)`, with Keras 3's arguments and weights (`kernel`
 * [kh, kw, in_channels / groups, filters], `bias` [filters]).
 *
 * Its forward and backward are Dense's equations (docs/backprop.md) with the matrix product
 * replaced by a convolution; every kernel position shares one W, so the sums run over the
 * batch and over the output positions:
 *
 *   z = x ⋆ W + b                          forward (tf.fused.conv2d: σ fused when it can be)
 *   a = σ(z)
 *   δ = ∂C/∂a ⊙ σ′(z)                      BP1 / BP2
 *   ∂C/∂b = Σ_batch,positions δ            BP3
 *   ∂C/∂W = x ⋆ δ                          BP4: conv2d backprop-filter, the input correlated
 *                                          with the error (Dense's a_prevᵀ · δ, once per tap)
 *   ∂C/∂x = δ̃ ⋆ rot180(W)ᵀ                 BP2's first factor: conv2d backprop-input, the
 *                                          transposed convolution of the error with W
 *
 * The convolutions themselves are in conv_ops.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationIdentifier } from '../activations.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { backwardThroughActivation, canFuseInTraining, type ActivationSaved } from './activation.js';
import { BaseConvLayer, convSchema, type ConvArgs } from './base_conv.js';
import { toChannelsFirstPerm, toChannelsLastPerm, type PaddingArg } from './conv_arguments.js';
import { conv2d, conv2dBackpropInput, conv2dWeightGradients, type ConvGeometry } from './conv_ops.js';
import type { ForwardPass, Gradients } from './layer.js';

const conv2dSchema = convSchema(false);

/** Keyword arguments of `Conv2D`. */
export type Conv2DOptions = Omit<KerasOptions<typeof conv2dSchema>, 'filters' | 'kernel_size'>;
type KernelSize = number | readonly [number, number] | number[];

const POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation'] as const;

/** `Conv2D(32, 3)`, `Conv2D(32, [3, 3], {...})`, `Conv2D(32, [3, 3], [2, 2], 'same', {...})` , `Conv2D(32, { kernel_size: 3 })` or `Conv2D({ filters: 32, kernel_size: 3 })`. */
export type Conv2DArgs =
  | [filters: number, kernel_size: KernelSize, options?: Conv2DOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], options?: Conv2DOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], padding: PaddingArg, options?: Conv2DOptions]
  | [filters: number, options: Conv2DOptions & { kernel_size: KernelSize }]
  | [options: Conv2DOptions & { filters: number; kernel_size: KernelSize }];

/** What the backward needs: the channels-last input, z (or null when σ′ is read from a) and a. */
export type ConvSaved = ActivationSaved & { readonly x: tf.Tensor };

export class Conv2DLayer extends BaseConvLayer {
  static readonly class_name = 'Conv2D';

  /**
   * @param filters the number of output channels (kernels), a positive integer.
   * @param kernel_size the window's height and width: an integer (square) or `[kh, kw]`.
   * @param options.strides the step between windows: an integer or `[sh, sw]`. Defaults to 1.
   * @param options.padding `'valid'` (windows inside the input only, the default) or `'same'`
   *   (zeros around the input so the output has ceil(size / stride) positions).
   * @param options.data_format `'channels_last'` ([batch, height, width, channels], the default)
   *   or `'channels_first'` ([batch, channels, height, width]).
   * @param options.dilation_rate the spacing between the kernel's taps. Defaults to 1; cannot be
   *   combined with strides > 1.
   * @param options.groups splits the input channels into groups convolved separately; both the
   *   input channels and `filters` must be divisible by it. Defaults to 1.
   * @param options.activation a Keras name (`'relu'`), a function, or `null` (linear, the default).
   * @param options.use_bias whether the layer adds a bias per filter. Defaults to `true`.
   * @param options.kernel_initializer / bias_initializer default to `'glorot_uniform'` / `'zeros'`.
   * @param options.kernel_regularizer / bias_regularizer / activity_regularizer penalties added to the loss.
   * @param options.kernel_constraint / bias_constraint applied after each optimizer step.
   * @param options.input_shape the shape of one sample (`[28, 28, 1]`) when this is the first layer.
   */
  constructor(...given: Conv2DArgs) {
    const args = parseArgs('Conv2D', conv2dSchema, POSITIONAL, given) as ConvArgs;
    super('Conv2D', 2, args, 'conv2d');
  }

  /** Inference: σ(x ⋆ W + b), in one fused kernel when TensorFlow.js can apply σ inside it. */
  override call(inputs: tf.Tensor): tf.Tensor {
    this.checkInput(inputs);
    return tf.tidy(() => {
      const x = this.channelsLast(inputs);
      const fused = this.activation.fusedName !== undefined;
      const z = conv2d(x, this.kernel!, this.geometry(), this.bias, fused ? this.activation : undefined);
      return this.restoreFormat(fused ? z : this.activation.forward(z));
    });
  }

  /** Training keeps z for the backward, except for activations whose σ′ is read from a (relu...). */
  override forward(inputs: tf.Tensor, _training = false): ForwardPass<ConvSaved> {
    this.checkInput(inputs);
    const x = this.channelsLast(inputs);
    if (canFuseInTraining(this.activation)) {
      const a = conv2d(x, this.kernel!, this.geometry(), this.bias, this.activation);
      return { inputs, outputs: this.restoreFormat(a), saved: { x, z: null, a } };
    }
    const z = conv2d(x, this.kernel!, this.geometry(), this.bias);
    const a = this.activation.forward(z);
    return { inputs, outputs: this.restoreFormat(a), saved: { x, z, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<ConvSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z)
    const delta = backwardThroughActivation(this.activation, this.channelsLast(dOutputs), saved);
    const g = this.geometry();
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // BP4: ∂C/∂W = x ⋆ δ (conv2d backprop-filter); BP3: ∂C/∂b = Σ δ over the batch and every output position
      weightGradients.push(...conv2dWeightGradients(saved.x, delta, this.kernel!.shape, g, this.use_bias));
    }
    // What BP2 needs from the layer below: ∂C/∂x = δ̃ ⋆ rot180(W)ᵀ (conv2d backprop-input)
    const inputGradient = needInputGradient ? this.restoreFormat(conv2dBackpropInput(delta, this.kernel!, saved.x.shape, g)) : null;
    return { inputGradient, weightGradients };
  }

  private geometry(): ConvGeometry {
    return {
      strides: [this.strides[0]!, this.strides[1]!],
      dilations: [this.dilation_rate[0]!, this.dilation_rate[1]!],
      padding: this.padding === 'same' ? 'same' : 'valid',
      groups: this.groups,
    };
  }

  // The kernels compute channels last; channels-first inputs are transposed in and out.
  private channelsLast(x: tf.Tensor): tf.Tensor {
    return this.data_format === 'channels_last' ? x : tf.transpose(x, toChannelsLastPerm(4));
  }

  private restoreFormat(y: tf.Tensor): tf.Tensor {
    return this.data_format === 'channels_last' ? y : tf.transpose(y, toChannelsFirstPerm(4));
  }
}

export const Conv2D = callable(Conv2DLayer);
export type Conv2D = Conv2DLayer;
/** Keras's alias `keras.layers.Convolution2D`. */
export const Convolution2D = Conv2D;
