/**
 * What `Conv1DTranspose` and `Conv2DTranspose` share, as Keras 3's `BaseConvTranspose`: the
 * arguments (a convolution's, with `output_padding` and without `groups`), the weights (`kernel`
 * [...kernel_size, filters, input_channels] — in and out swapped against Conv2D's, because the
 * layer runs a convolution backwards — and `bias` [filters]), the output shape, and the forward
 * and backward.
 *
 * A transposed convolution is the backprop-input of a convolution used as a layer: each input
 * pixel stamps the kernel, scaled by its value, onto the output, `strides` apart. Written as a
 * forward convolution (the kernel every backend runs fastest), with ⋆ the cross-correlation of
 * conv_ops.ts:
 *
 *   x̃ = x spread to the stride (s − 1 zeros between rows / columns), padded [before, after]
 *   z = x̃ ⋆ rot180(W)ᵀ + b                  forward: the kernel turned by 180°, in / out swapped
 *   a = σ(z)
 *   δ = ∂C/∂a ⊙ σ′(z)                        BP1 / BP2
 *   ∂C/∂b = Σ_batch,positions δ              BP3
 *   ∂C/∂W = rot180(x̃ ⋆ δ)ᵀ                   BP4: conv2d backprop-filter of the forward's
 *                                            convolution, turned back to W's layout
 *   ∂C/∂x = δ ⋆ W  (stride s)                 BP2's first factor: the transposed convolution's
 *                                            input gradient is an ordinary, strided convolution
 *
 * [before, after] is Keras's (its JAX backend's) padding: 'valid' keeps every stamp, output
 * (n − 1)·s + max(k, s) (+ output_padding); 'same' gives n·s (or (n − 1)·s + k mod 2 +
 * output_padding), cropping the stamps' borders as evenly as it can, one more before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { backwardThroughActivation, canFuseInTraining, type ActivationSaved } from './activation.js';
import { BaseConvLayer, convSchema, tupleText, type ConvArgs } from './base_conv.js';
import { assertRank, axesOf, standardizeTuple, toChannelsFirstPerm, toChannelsLastPerm, tupleField } from './conv_arguments.js';
import { conv2d, conv2dWeightGradients, spreadRows, type ConvGeometry } from './conv_ops.js';
import type { ForwardPass, Gradients, Shape } from './layer.js';

/** The keyword arguments of `Conv{rank}DTranspose`: a convolution's, with `output_padding`, without `groups`. */
export const convTransposeSchema = convSchema(false).omit({ groups: true }).extend({ output_padding: tupleField.nullish() });

export type ConvTransposeArgs = Omit<ConvArgs, 'groups'> & { output_padding?: number | readonly number[] | null };

/** What the backward needs: x̃ (the spread and padded channels-last input), z or a. */
type TransposeSaved = ActivationSaved & { readonly spread: tf.Tensor };

/**
 * Keras's padding of the spread input along one axis ([before, after]), for a kernel of k taps d
 * apart (span e = (k − 1)·d + 1), stride s and output_padding op (null: Keras's default).
 */
export function transposePadding(k: number, s: number, d: number, padding: 'valid' | 'same', op: number | null): [number, number] {
  const e = (k - 1) * d + 1;
  if (padding === 'valid') return [e - 1, e - 1 + (op ?? Math.max(e, s) - e)];
  const total = op === null ? s + e - 2 : e + (e % 2) - 2 + op;
  const before = Math.min(Math.floor(total / 2) + (total % 2), e - 1);
  return [before, total - before];
}

/** Keras's `compute_conv_transpose_output_shape` along one axis: (n − 1)·s + 1 + before + after − e + 1. */
export function transposeOutputLength(n: number | null, k: number, s: number, d: number, padding: 'valid' | 'same', op: number | null): number | null {
  if (n === null) return null;
  const [before, after] = transposePadding(k, s, d, padding, op);
  return (n - 1) * s + before + after - (k - 1) * d + 1;
}

export abstract class BaseConvTransposeLayer extends BaseConvLayer {
  readonly output_padding: number[] | null;

  protected constructor(owner: string, rank: number, args: ConvTransposeArgs, defaultName: string) {
    super(owner, rank, { ...args, groups: 1 }, defaultName);
    this.output_padding = args.output_padding === null || args.output_padding === undefined ? null : standardizeTuple(owner, args.output_padding, rank, 'output_padding', true);
    this.output_padding?.forEach((op, i) => {
      const s = this.strides[i]!;
      if (op >= s) {
        throw new ValueError(
          `${owner}: \`output_padding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, \`output_padding\` is ${op} but \`strides\` is ${s}. ` +
            `Received: output_padding=${tupleText(this.output_padding!)}, strides=${tupleText(this.strides)}`,
        );
      }
    });
  }

  /** Keras's transposed kernel: [...kernel_size, filters, input_channels]. */
  protected override kernelShape(channels: number): number[] {
    return [...this.kernel_size, this.filters, channels];
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.rank + 2, 'min_ndim');
    const { spatial } = axesOf(inputShape.length, this.data_format);
    const out = spatial.map((axis, i) =>
      transposeOutputLength(inputShape[axis] ?? null, this.kernel_size[i]!, this.strides[i]!, this.dilation_rate[i]!, this.samePadding(), this.output_padding?.[i] ?? null),
    );
    const batch = inputShape[0] ?? null;
    return this.data_format === 'channels_last' ? [batch, ...out, this.filters] : [batch, this.filters, ...out];
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<TransposeSaved> {
    this.checkInput(inputs);
    const g = this.geometry();
    const image = this.toImage(inputs);
    // x̃: x spread to the stride, padded by Keras's [before, after]
    const spread = tf.pad(spreadRows(image, g.strides), [[0, 0], ...this.pads(), [0, 0]]);
    const flat: ConvGeometry = { strides: [1, 1], dilations: g.dilations, padding: 'valid', groups: 1 };
    // z = x̃ ⋆ rot180(W)ᵀ + b, a = σ(z)
    if (canFuseInTraining(this.activation)) {
      const a = conv2d(spread, flipKernel(this.imageKernel()), flat, this.bias, this.activation);
      return { inputs, outputs: this.fromImage(a), saved: { spread, z: null, a } };
    }
    const z = conv2d(spread, flipKernel(this.imageKernel()), flat, this.bias);
    const a = this.activation.forward(z);
    return { inputs, outputs: this.fromImage(a), saved: { spread, z, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<TransposeSaved>, needInputGradient: boolean): Gradients {
    const saved = pass.saved!;
    const g = this.geometry();
    // BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z)
    const delta = backwardThroughActivation(this.activation, this.toImage(dOutputs), saved);
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      // BP4: ∂C/∂W = rot180(x̃ ⋆ δ)ᵀ, the forward convolution's kernel gradient in W's layout
      const flat: ConvGeometry = { strides: [1, 1], dilations: g.dilations, padding: 'valid', groups: 1 };
      const kernel = this.imageKernel();
      const flippedShape = [kernel.shape[0]!, kernel.shape[1]!, kernel.shape[3]!, kernel.shape[2]!];
      // BP3: ∂C/∂b = Σ δ over the batch and every output position (made with it)
      const [dWFlipped, ...dB] = conv2dWeightGradients(saved.spread, delta, flippedShape, flat, this.use_bias);
      weightGradients.push(tf.reshape(flipKernel(dWFlipped!), this.kernel!.shape), ...dB);
    }
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    // ∂C/∂x = δ ⋆ W, stride s: δ padded by the rows the forward cropped, then a strided convolution
    const [n, h, w, c] = this.toImage(pass.inputs).shape as [number, number, number, number];
    const [, oh, ow] = delta.shape as [number, number, number, number];
    const kernel = this.imageKernel();
    const before = this.pads().map(([b], axis) => (kernel.shape[axis]! - 1) * g.dilations[axis]! - b);
    const after = [h, w].map((size, axis) => Math.max(0, (size - 1) * g.strides[axis]! + (kernel.shape[axis]! - 1) * g.dilations[axis]! + 1 - [oh, ow][axis]! - before[axis]!));
    const padded = tf.pad(delta, [[0, 0], [before[0]!, after[0]!], [before[1]!, after[1]!], [0, 0]]);
    const dx = tf.conv2d(padded as tf.Tensor4D, kernel as tf.Tensor4D, g.strides, 'valid', 'NHWC', g.dilations);
    return { inputGradient: this.fromImage(tf.slice(dx, [0, 0, 0, 0], [n, h, w, c])), weightGradients };
  }

  override get_config(): Record<string, unknown> {
    const { groups: _groups, ...config } = super.get_config();
    return { ...config, output_padding: this.output_padding === null ? null : [...this.output_padding] };
  }

  private samePadding(): 'valid' | 'same' {
    return this.padding === 'same' ? 'same' : 'valid';
  }

  // 2-D geometry; a 1-D layer runs on a height-1 image.
  private geometry(): { strides: [number, number]; dilations: [number, number] } {
    return this.rank === 2
      ? { strides: [this.strides[0]!, this.strides[1]!], dilations: [this.dilation_rate[0]!, this.dilation_rate[1]!] }
      : { strides: [1, this.strides[0]!], dilations: [1, this.dilation_rate[0]!] };
  }

  // [before, after] for the image's two spatial axes.
  private pads(): Array<[number, number]> {
    const kernel = this.imageKernel().shape;
    const g = this.geometry();
    const op = this.rank === 2 ? this.output_padding : this.output_padding === null ? null : [0, this.output_padding[0]!];
    return [0, 1].map((axis) => transposePadding(kernel[axis]!, g.strides[axis]!, g.dilations[axis]!, this.samePadding(), op?.[axis] ?? null));
  }

  private imageKernel(): tf.Tensor {
    return this.rank === 2 ? this.kernel! : tf.reshape(this.kernel!, [1, ...this.kernel!.shape]);
  }

  // Channels last, and a 1-D layer's [batch, steps, channels] as [batch, 1, steps, channels].
  private toImage(x: tf.Tensor): tf.Tensor {
    const last = this.data_format === 'channels_last' ? x : tf.transpose(x, toChannelsLastPerm(x.rank));
    return this.rank === 2 ? last : tf.expandDims(last, 1);
  }

  private fromImage(y: tf.Tensor): tf.Tensor {
    const last = this.rank === 2 ? y : tf.squeeze(y, [1]);
    return this.data_format === 'channels_last' ? last : tf.transpose(last, toChannelsFirstPerm(last.rank));
  }
}

/** W[kh − 1 − i, kw − 1 − j, b, a] from W[i, j, a, b]: turned by 180°, the two channel axes swapped. */
function flipKernel(kernel: tf.Tensor): tf.Tensor {
  return tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]);
}
