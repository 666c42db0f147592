/**
 * `keras.layers.Conv1D(filters, kernel_size, {strides, padding, dilation_rate, ...})`: a 1-D
 * convolution over [batch, steps, channels], with Keras 3's weights (`kernel` [k, in_channels /
 * groups, filters], `bias` [filters]) and `padding: 'causal'` (the output at step t sees only
 * steps ≤ t: zeros are added before the first step only).
 *
 * It is Conv2D's forward and backward (conv2d.ts) on a height-1 image [batch, 1, steps, channels]
 * with a [1, k, in, filters] kernel; 'causal' is 'valid' after (k − 1)·d zeros before the first step,
 * so its ∂C/∂x drops the rows of those zeros.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { backwardThroughActivation, canFuseInTraining } from './activation.js';
import { BaseConvLayer, convSchema, type ConvArgs } from './base_conv.js';
import { toChannelsFirstPerm, toChannelsLastPerm, type PaddingArg } from './conv_arguments.js';
import type { ConvSaved } from './conv2d.js';
import { conv2d, conv2dBackpropInput, conv2dWeightGradients, type ConvGeometry } from './conv_ops.js';
import type { ForwardPass, Gradients } from './layer.js';

const conv1dSchema = convSchema(true);

/** Keyword arguments of `Conv1D`. */
export type Conv1DOptions = Omit<KerasOptions<typeof conv1dSchema>, 'filters' | 'kernel_size'>;
type KernelSize = number | readonly [number] | number[];

const POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation'] as const;

/** `Conv1D(64, 3)`, `Conv1D(64, 3, {...})`, `Conv1D(64, 3, 1, 'causal', {...})`, `Conv1D(64, { kernel_size: 3 })` (Python's `Conv1D(64, kernel_size=3)`) or `Conv1D({ filters: 64, kernel_size: 3 })`. */
export type Conv1DArgs =
  | [filters: number, kernel_size: KernelSize, options?: Conv1DOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], options?: Conv1DOptions]
  | [filters: number, kernel_size: KernelSize, strides: number | number[], padding: PaddingArg<'valid' | 'same' | 'causal'>, options?: Conv1DOptions]
  | [filters: number, options: Conv1DOptions & { kernel_size: KernelSize }]
  | [options: Conv1DOptions & { filters: number; kernel_size: KernelSize }];

export class Conv1DLayer extends BaseConvLayer {
  static readonly class_name = 'Conv1D';

  /**
   * @param filters the number of output channels, a positive integer.
   * @param kernel_size the window's length, an integer (or `[k]`).
   * @param options.strides the step between windows. Defaults to 1.
   * @param options.padding `'valid'` (the default), `'same'` or `'causal'`.
   * @param options.data_format `'channels_last'` ([batch, steps, channels], the default) or `'channels_first'`.
   * @param options.dilation_rate the spacing between taps (WaveNet's dilated causal convolutions). Defaults to 1.
   * @param options.groups, activation, use_bias, initializers, regularizers, constraints: as `Conv2D`.
   */
  constructor(...given: Conv1DArgs) {
    const args = parseArgs('Conv1D', conv1dSchema, POSITIONAL, given) as ConvArgs;
    super('Conv1D', 1, args, 'conv1d');
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    this.checkInput(inputs);
    return tf.tidy(() => {
      const fused = this.activation.fusedName !== undefined;
      const z = conv2d(this.toImage(inputs), this.imageKernel(), this.geometry(), this.bias, fused ? this.activation : undefined);
      return this.fromImage(fused ? z : this.activation.forward(z));
    });
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<ConvSaved> {
    this.checkInput(inputs);
    const x = this.toImage(inputs);
    if (canFuseInTraining(this.activation)) {
      const a = conv2d(x, this.imageKernel(), this.geometry(), this.bias, this.activation);
      return { inputs, outputs: this.fromImage(a), saved: { x, z: null, a } };
    }
    const z = conv2d(x, this.imageKernel(), this.geometry(), this.bias);
    const a = this.activation.forward(z);
    return { inputs, outputs: this.fromImage(a), saved: { x, z, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<ConvSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z), on the height-1 image
    const delta = backwardThroughActivation(this.activation, this.toImageLayout(dOutputs), saved);
    const g = this.geometry();
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // BP4: ∂C/∂W = x ⋆ δ, back to Keras's [k, in, filters]; BP3: ∂C/∂b = Σ δ over the batch and every step
      const [dW, ...dB] = conv2dWeightGradients(saved.x, delta, [1, ...this.kernel!.shape], g, this.use_bias);
      weightGradients.push(tf.reshape(dW!, this.kernel!.shape), ...dB);
    }
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    // ∂C/∂x = δ̃ ⋆ rot180(W)ᵀ, without the rows of the causal zeros
    const dImage = conv2dBackpropInput(delta, this.imageKernel(), saved.x.shape, g);
    const pad = this.causalPad();
    const dx = tf.squeeze(pad === 0 ? dImage : tf.slice(dImage, [0, 0, pad, 0], [-1, -1, -1, -1]), [1]);
    return { inputGradient: this.data_format === 'channels_last' ? dx : tf.transpose(dx, toChannelsFirstPerm(3)), weightGradients };
  }

  private causalPad(): number {
    return this.padding === 'causal' ? this.dilation_rate[0]! * (this.kernel_size[0]! - 1) : 0;
  }

  private geometry(): ConvGeometry {
    return { strides: [1, this.strides[0]!], dilations: [1, this.dilation_rate[0]!], padding: this.padding === 'same' ? 'same' : 'valid', groups: this.groups };
  }

  private imageKernel(): tf.Tensor {
    return tf.reshape(this.kernel!, [1, ...this.kernel!.shape]);
  }

  // [batch, steps, channels] → [batch, 1, steps (+ causal zeros), channels]
  private toImage(x: tf.Tensor): tf.Tensor {
    const last = this.data_format === 'channels_last' ? x : tf.transpose(x, toChannelsLastPerm(3));
    const pad = this.causalPad();
    return tf.expandDims(pad === 0 ? last : tf.pad(last, [[0, 0], [pad, 0], [0, 0]]), 1);
  }

  // An output-shaped tensor (dOutputs) as [batch, 1, steps, filters].
  private toImageLayout(y: tf.Tensor): tf.Tensor {
    return tf.expandDims(this.data_format === 'channels_last' ? y : tf.transpose(y, toChannelsLastPerm(3)), 1);
  }

  private fromImage(y: tf.Tensor): tf.Tensor {
    const steps = tf.squeeze(y, [1]);
    return this.data_format === 'channels_last' ? steps : tf.transpose(steps, toChannelsFirstPerm(3));
  }
}

export const Conv1D = callable(Conv1DLayer);
export type Conv1D = Conv1DLayer;
/** Keras's alias `keras.layers.Convolution1D`. */
export const Convolution1D = Conv1D;
