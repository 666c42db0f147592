/**
 * What `MaxPooling1D/2D` and `AveragePooling1D/2D` share, as Keras 3's `BasePooling`: a window
 * of `pool_size` slides by `strides` (default: `pool_size`, so windows do not overlap) over the
 * spatial axes of each channel, and each window gives one output:
 *
 *   max:      a[n, p, q, c] = max over the window of x          ∂C/∂x = δ routed to the input
 *                                                              that was the window's max
 *                                                              (`maxPoolBackprop`)
 *   average:  a[n, p, q, c] = mean over the window of x         ∂C/∂x = δ / (window size) spread
 *                                                              over every input of the window
 *
 * With 'same' padding the windows at the border are partial: max ignores the padding, and the
 * average divides by the number of inputs actually in the window (TensorFlow's rule).
 * No weights, so no BP3 / BP4: the layer only carries ∂C/∂a down to ∂C/∂x. A 1-D pooling runs
 * the 2-D kernels on a height-1 image.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { KerasOptions } from '../options/parse.js';
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
} from './conv_arguments.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';
import { tupleText } from './base_conv.js';
import { samePadding } from './conv_ops.js';

/** The keyword arguments of every pooling layer; `pool_size` defaults to 2 (as `[2, 2]` in 2-D). */
export const poolingSchema = layerSchema.extend({
  pool_size: tupleField.default(2),
  strides: tupleField.nullish(),
  padding: paddingField(false),
  data_format: dataFormatField,
});

export type PoolingOptions = Omit<KerasOptions<typeof poolingSchema>, 'pool_size'>;
export type PoolingArgs = z.output<typeof poolingSchema>;
export type PoolMode = 'max' | 'average';

/** `MaxPooling2D(2)`, `MaxPooling2D([2, 2], [1, 1], 'same')`, `MaxPooling2D({ pool_size: 3 })`. */
export type PoolingCallArgs =
  | [pool_size?: number | number[], options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, padding: string, options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, padding: string, data_format: string | null, options?: PoolingOptions]
  | [options: PoolingOptions & { pool_size?: number | number[] }];

export const POOLING_POSITIONAL = ['pool_size', 'strides', 'padding', 'data_format'] as const;

export abstract class BasePoolingLayer extends Layer {
  readonly pool_size: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly data_format: DataFormat;
  private readonly rank: number;
  private readonly mode: PoolMode;

  protected constructor(owner: string, rank: number, mode: PoolMode, args: PoolingArgs, defaultName: string) {
    super(args, defaultName);
    this.rank = rank;
    this.mode = mode;
    this.pool_size = standardizeTuple(owner, args.pool_size, rank, 'pool_size');
    // Keras accepts a zero stride here and fails inside the op; keras-like fails at the call that received it.
    this.strides = standardizeTuple(owner, args.strides ?? this.pool_size, rank, 'strides');
    this.padding = args.padding === 'same' ? 'same' : 'valid';
    this.data_format = args.data_format;
  }

  /** `layer.apply(x)`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<tf.Tensor> {
    this.assertInputCompatible(inputs.shape);
    this.compute_output_shape(inputs.shape); // the rank and a window that fits, before the kernel runs
    const x = this.toImage(inputs);
    const a = this.mode === 'max' ? tf.maxPool(x as tf.Tensor4D, this.window(), this.steps(), this.padding) : tf.avgPool(x as tf.Tensor4D, this.window(), this.steps(), this.padding);
    return { inputs, outputs: this.fromImage(a, inputs.shape), saved: a };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor>, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const dy = this.toImage(dOutputs);
    const x = this.toImage(pass.inputs);
    const dx =
      this.mode === 'max'
        ? maxPoolBackprop(x, pass.saved!, dy, this.window(), this.steps(), this.padding)
        : // δ is shared equally by the inputs of its window (TensorFlow.js's AvgPoolGrad kernel).
          (tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, { filterSize: this.window(), strides: this.steps(), pad: this.padding }) as tf.Tensor);
    return { inputGradient: this.fromImage(dx, pass.inputs.shape), weightGradients: [] };
  }

  /** Keras's `compute_pooling_output_shape`. */
  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.rank + 2);
    const { spatial } = axesOf(inputShape.length, this.data_format);
    const out = [...inputShape];
    out[0] = inputShape[0] ?? null;
    spatial.forEach((axis, i) => {
      out[axis] = convOutputLength(inputShape[axis] ?? null, this.pool_size[i]!, this.strides[i]!, this.padding);
    });
    assertPositiveOutput(
      this.className,
      inputShape,
      spatial.map((axis) => out[axis] ?? null),
      `\`pool_size=${tupleText(this.pool_size)}\`, \`strides=${tupleText(this.strides)}\`, \`padding=${this.padding}\``,
    );
    return out;
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      pool_size: [...this.pool_size],
      padding: this.padding,
      strides: [...this.strides],
      data_format: this.data_format,
    };
  }

  override toString(): string {
    return `<${this.className} name=${this.name}, pool_size=${shapeText(this.pool_size)}>`;
  }

  private window(): [number, number] {
    return this.rank === 2 ? [this.pool_size[0]!, this.pool_size[1]!] : [1, this.pool_size[0]!];
  }

  private steps(): [number, number] {
    return this.rank === 2 ? [this.strides[0]!, this.strides[1]!] : [1, this.strides[0]!];
  }

  // The kernels take [batch, height, width, channels]: channels moved last, a 1-D input given height 1.
  private toImage(x: tf.Tensor): tf.Tensor {
    const last = this.data_format === 'channels_last' ? x : tf.transpose(x, toChannelsLastPerm(x.rank));
    return this.rank === 2 ? last : tf.expandDims(last, 1);
  }

  private fromImage(y: tf.Tensor, inputShape: readonly number[]): tf.Tensor {
    const rank = inputShape.length;
    const last = this.rank === 2 ? y : tf.squeeze(y, [1]);
    return this.data_format === 'channels_last' ? last : tf.transpose(last, toChannelsFirstPerm(rank));
  }
}

/**
 * ∂C/∂x of max pooling: each window's δ goes to the input that was its max (the first one in
 * the window, when several tie, as TensorFlow's MaxPoolGrad). Written with plain ops, tap by
 * tap, because the wasm backend's MaxPoolGrad and MaxPoolWithArgmax kernels give wrong results
 * for more than one channel (tfjs 4.22; the pooling tests show it):
 *
 *   for each tap (i, j) of the window:
 *     seen   = the input the tap read at every output position    (a strided slice of x)
 *     winner = seen == a, for windows no earlier tap has claimed
 *     ∂C/∂x += winner ⊙ δ, put back where the tap read it           (the slice, transposed)
 */
function maxPoolBackprop(
  x: tf.Tensor,
  a: tf.Tensor,
  dy: tf.Tensor,
  [ph, pw]: [number, number],
  [sh, sw]: [number, number],
  padding: 'valid' | 'same',
): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [, oh, ow] = a.shape as [number, number, number, number];
  const g = { padding, strides: [sh, sw] as const, dilations: [1, 1] as const };
  const [top, bottom] = samePadding(g, h, ph, oh, 0);
  const [left, right] = samePadding(g, w, pw, ow, 1);
  // Padding never wins a max.
  const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
  const [hp, wp] = [h + top + bottom, w + left + right];
  let unclaimed = tf.onesLike(a);
  let dPadded = tf.zeros(padded.shape);
  for (let i = 0; i < ph; i++) {
    for (let j = 0; j < pw; j++) {
      const seen = tf.stridedSlice(padded, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c], [1, sh, sw, 1]);
      const winner = tf.mul(tf.cast(tf.equal(seen, a), 'float32'), unclaimed);
      unclaimed = tf.sub(unclaimed, winner);
      dPadded = tf.add(dPadded, scatterTap(tf.mul(winner, dy), [i, j], [sh, sw], [hp, wp]));
    }
  }
  return tf.slice(dPadded, [0, top, left, 0], [n, h, w, c]);
}

/**
 * The transpose of a tap's strided slice: the value at output (p, q) goes to row i + p·sh,
 * column j + q·sw of an [hp, wp] image, zeros elsewhere (s − 1 zeros after each value, then
 * shifted by (i, j), as `dilateKernel` spaces a kernel's taps).
 */
function scatterTap(values: tf.Tensor, [i, j]: [number, number], [sh, sw]: [number, number], [hp, wp]: [number, number]): tf.Tensor {
  const [n, oh, ow, c] = values.shape as [number, number, number, number];
  const spread = tf.reshape(
    tf.pad(tf.reshape(values, [n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]),
    [n, oh * sh, ow * sw, c],
  );
  const shifted = tf.pad(spread, [[0, 0], [i, Math.max(0, hp - i - oh * sh)], [j, Math.max(0, wp - j - ow * sw)], [0, 0]]);
  return tf.slice(shifted, [0, 0, 0, 0], [n, hp, wp, c]);
}
