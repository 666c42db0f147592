/**
 * What `MaxPooling1D/2D` and `AveragePooling1D/2D` share, as Keras 3's `BasePooling`: a window
 * of `pool_size` slides by `strides` (default: `pool_size`, so windows do not overlap) over the
 * spatial axes of each channel, and each window gives one output:
 *
 *   max:      a[n, p, q, c] = max over the window of x          ∂C/∂x = δ routed to the input
 *                                                              that was the window's max
 *                                                              (`maxPoolBackprop`)
 *   average:  a[n, p, q, c] = mean over the window of x         ∂C/∂x = δ / (inputs in the window)
 *                                                              spread over every input of the window
 *                                                              (`averagePoolBackprop`)
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
  type DataFormatArg,
  type PaddingArg,
} from './conv_arguments.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';
import { tupleText } from './base_conv.js';
import { samePadding, spreadRows } from './conv_ops.js';

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
  | [pool_size: number | number[], strides: number | number[] | null, padding: PaddingArg, options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, padding: PaddingArg, data_format: DataFormatArg | null, options?: PoolingOptions]
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
        : averagePoolBackprop(x, dy, this.window(), this.steps(), this.padding);
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
 * ∂C/∂x of average pooling: each window's δ / (inputs in the window) goes to every input of the
 * window. TensorFlow.js's AvgPoolGrad kernel spreads δ / (pool height · pool width) even over the
 * partial windows of 'same' padding, whose forward divided by fewer inputs (tfjs 4.22, cpu and
 * wasm; Keras's value is in the layers_conv fixture), so δ is first rescaled by
 *   (pool height · pool width) / (inputs in its window)
 * and the kernel then does the spreading. 'valid' windows are all full: no rescaling.
 */
function averagePoolBackprop(x: tf.Tensor, dy: tf.Tensor, window: [number, number], strides: [number, number], padding: 'valid' | 'same'): tf.Tensor {
  const [, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const g = { padding, strides, dilations: [1, 1] as const };
  const rows = windowCounts(h, window[0], strides[0], oh, samePadding(g, h, window[0], oh, 0)[0]);
  const cols = windowCounts(w, window[1], strides[1], ow, samePadding(g, w, window[1], ow, 1)[0]);
  const full = window[0] * window[1];
  const scale = rows.flatMap((r) => cols.map((c) => full / (r * c)));
  const scaled = padding === 'valid' ? dy : tf.mul(dy, tf.tensor4d(scale, [1, oh, ow, 1]));
  return tf.engine().runKernel('AvgPoolGrad', { dy: scaled, input: x }, { filterSize: window, strides, pad: padding }) as tf.Tensor;
}

/** How many of an axis's `size` inputs each of its `out` windows covers (a 'same' window at the border covers fewer). */
function windowCounts(size: number, pool: number, stride: number, out: number, before: number): number[] {
  return Array.from({ length: out }, (_, p) => Math.min(p * stride - before + pool, size) - Math.max(p * stride - before, 0));
}

/**
 * ∂C/∂x of max pooling: each window's δ goes to the inputs equal to the window's max, 0 to the
 * others. When several inputs of a window tie for the max, each gets δ (as the gradient of
 * TensorFlow.js's `tf.max`; TensorFlow's MaxPoolGrad gives it to the first). After a relu the two
 * agree: the tied inputs are zeros, whose relu′ is 0. Written with plain ops because the wasm
 * backend's MaxPoolGrad and MaxPoolWithArgmax kernels give wrong results for more than one
 * channel (tfjs 4.22; the pooling tests show it).
 */
function maxPoolBackprop(
  x: tf.Tensor,
  a: tf.Tensor,
  dy: tf.Tensor,
  window: [number, number],
  strides: [number, number],
  padding: 'valid' | 'same',
): tf.Tensor {
  const disjoint = window[0] === strides[0] && window[1] === strides[1];
  if (!disjoint) return tapByTapBackprop(x, a, dy, window, strides, padding);
  // The same mask written two ways, each the faster on one backend (W4's two pools, docs/performance.md):
  // wasm's broadcasting element-wise kernels are native loops, so it compares in the windows' view;
  // tfjs-backend-cpu's broadcasting kernels index every element generically, 3-5× slower than its
  // same-shape loops, so there a and δ are first repeated over their windows, in x's frame.
  return tf.getBackend() === 'wasm' ? windowsViewBackprop(x, a, dy, window, padding) : upsampledBackprop(x, a, dy, window, padding);
}

/** The windows' grid in x's frame: the rows and columns 'same' adds before x, and those of x no window reads ('valid'). */
function windowGrid(x: tf.Tensor, a: tf.Tensor, [ph, pw]: [number, number], padding: 'valid' | 'same') {
  const [, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = a.shape as [number, number, number, number];
  const g = { padding, strides: [ph, pw] as const, dilations: [1, 1] as const };
  const before: [number, number] = [samePadding(g, h, ph, oh, 0)[0], samePadding(g, w, pw, ow, 1)[0]];
  const unread: [number, number] = [Math.max(0, before[0] + h - oh * ph), Math.max(0, before[1] + w - ow * pw)];
  return { h, w, oh, ow, before, unread };
}

/**
 * Windows that tile the image (strides = pool_size, the usual MaxPooling2D(2)), on wasm: the image,
 * cut to the windows' grid, is viewed as [N, oh, ph, ow, pw, C], so each window's inputs sit on
 * axes 2 and 4 and compare with its max in one broadcast:
 *   winners = (window inputs == a),  ∂C/∂x = winners ⊙ δ, back in the image's rows and columns.
 */
function windowsViewBackprop(x: tf.Tensor, a: tf.Tensor, dy: tf.Tensor, [ph, pw]: [number, number], padding: 'valid' | 'same'): tf.Tensor {
  const [n, , , c] = x.shape as [number, number, number, number];
  const { h, w, oh, ow, before: [top, left], unread } = windowGrid(x, a, [ph, pw], padding);
  // 'same' adds rows before and after (padding never wins a max), 'valid' leaves out the rows no window reads.
  const gridAfter = [Math.max(0, oh * ph - top - h), Math.max(0, ow * pw - left - w)];
  const padded = top + left + gridAfter[0]! + gridAfter[1]! === 0 ? x : tf.pad(x, [[0, 0], [top, gridAfter[0]!], [left, gridAfter[1]!], [0, 0]], -Infinity);
  const grid = sliceOrSame(padded, [0, 0], [oh * ph, ow * pw]);
  const windows = tf.reshape(grid, [n, oh, ph, ow, pw, c]);
  // max − window is 0 at the winners and positive elsewhere, so 1 − step(·) is the 0/1 mask (wasm's
  // broadcasting `equal` is 30× slower than this arithmetic, and its Sign 150× slower than its Step).
  // Its own tidy frees the two image-sized temporaries before the product is made (peak memory).
  const winners = tf.tidy(() => tf.sub(1, tf.step(tf.sub(tf.reshape(a, [n, oh, 1, ow, 1, c]), windows))));
  const dGrid = tf.reshape(tf.mul(winners, tf.reshape(dy, [n, oh, 1, ow, 1, c])), [n, oh * ph, ow * pw, c]);
  // Back to x's frame: zeros for the rows no window read, the padding's rows dropped.
  const dPadded = unread[0] + unread[1] === 0 ? dGrid : tf.pad(dGrid, [[0, 0], [0, unread[0]], [0, unread[1]], [0, 0]]);
  return sliceOrSame(dPadded, [top, left], [h, w]);
}

/**
 * The same windows on the other backends: a and δ repeated over their windows (nearest-neighbour
 * upsampling) and brought to x's frame, so that every op is element-wise on equal shapes:
 *   winners = (x == a repeated),  ∂C/∂x = winners ⊙ δ repeated.
 * The rows no window reads get a = +∞ (never a winner) and δ = 0.
 */
function upsampledBackprop(x: tf.Tensor, a: tf.Tensor, dy: tf.Tensor, [ph, pw]: [number, number], padding: 'valid' | 'same'): tf.Tensor {
  const { h, w, oh, ow, before, unread } = windowGrid(x, a, [ph, pw], padding);
  const inXFrame = (t: tf.Tensor, fill: number) => {
    // Half-pixel centres put output row r at (r + ½) / ph of an input row: the index is exact for any ph.
    const repeated = tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [oh * ph, ow * pw], false, true);
    const padded = unread[0] + unread[1] === 0 ? repeated : tf.pad(repeated, [[0, 0], [0, unread[0]], [0, unread[1]], [0, 0]], fill);
    return sliceOrSame(padded, before, [h, w]);
  };
  // a − x is 0 at the winners and positive elsewhere, as above; a tidy of its own for peak memory.
  const winners = tf.tidy(() => tf.sub(1, tf.step(tf.sub(inXFrame(a, Infinity), x))));
  return tf.mul(winners, inXFrame(dy, 0));
}

/**
 * Rows top … top + h − 1 and columns left … left + w − 1 of an image [n, rows, columns, c], or the
 * image itself when that is all of it: a slice is never free on wasm, whose Slice kernel first
 * copies its whole input out of the heap (W4's [128, 26, 26, 32]: 100-150 ms under load).
 */
function sliceOrSame(image: tf.Tensor, [top, left]: [number, number], [h, w]: [number, number]): tf.Tensor {
  const [n, rows, columns, c] = image.shape as [number, number, number, number];
  if (top === 0 && left === 0 && rows === h && columns === w) return image;
  return tf.slice(image, [0, top, left, 0], [n, h, w, c]);
}

/**
 * Overlapping or gapped windows, tap by tap:
 *   for each tap (i, j) of the window:
 *     seen    = the input the tap read at every output position    (a strided slice of x)
 *     ∂C/∂x  += (seen == a) ⊙ δ, put back where the tap read it    (the slice, transposed)
 */
function tapByTapBackprop(
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
  const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
  const [hp, wp] = [h + top + bottom, w + left + right];
  let dPadded = tf.zeros(padded.shape);
  for (let i = 0; i < ph; i++) {
    for (let j = 0; j < pw; j++) {
      const seen =
        sh === 1 && sw === 1
          ? tf.slice(padded, [0, i, j, 0], [n, oh, ow, c])
          : tf.stridedSlice(padded, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c], [1, sh, sw, 1]);
      const winners = tf.cast(tf.equal(seen, a), 'float32');
      dPadded = tf.add(dPadded, placeTap(spreadRows(tf.mul(winners, dy), [sh, sw]), [i, j], [hp, wp]));
    }
  }
  return tf.slice(dPadded, [0, top, left, 0], [n, h, w, c]);
}

/** A tap's values, spread to the stride's grid, shifted by (i, j) into an [hp, wp] image of zeros. */
function placeTap(spread: tf.Tensor, [i, j]: [number, number], [hp, wp]: [number, number]): tf.Tensor {
  const [, sh, sw] = spread.shape as [number, number, number, number];
  return tf.pad(spread, [[0, 0], [i, hp - i - sh], [j, wp - j - sw], [0, 0]]);
}
