/**
 * `keras.layers.UpSampling1D(size)` and `keras.layers.UpSampling2D(size, data_format,
 * interpolation)`: each step (or pixel) repeated `size` times ('nearest'), or the image resized
 * by `size` with bilinear interpolation as Keras's `ops.image.resize` (half-pixel centres, no
 * antialiasing).
 *
 * Both are linear maps of x, one per spatial axis, so the backward is the transposed map:
 *
 *   nearest:   a[i] = x[⌊i / f⌋]              ∂C/∂x[j] = Σ over the f outputs copied from x[j]
 *                                               of ∂C/∂a (a sum over each f × f block)
 *   bilinear:  a = R_h · x · R_wᵀ              ∂C/∂x = R_hᵀ · ∂C/∂a · R_w
 *              (per image and channel)          R: [n·f, n], row i weighs the two inputs nearest to
 *                                               the source point (i + ½) / f − ½ (clamped at the borders)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { assertRank, axesOf, dataFormatField, standardizeTuple, toChannelsFirstPerm, toChannelsLastPerm, tupleField, type DataFormat } from './conv_arguments.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const upSampling1dSchema = layerSchema.extend({ size: z.unknown().default(2) });
const upSampling2dSchema = layerSchema.extend({
  size: tupleField.default([2, 2]),
  data_format: dataFormatField,
  interpolation: z
    .string({ error: "must be 'nearest' or 'bilinear'" })
    .transform((v) => v.toLowerCase())
    .default('nearest'),
});

export type UpSampling1DOptions = Omit<KerasOptions<typeof upSampling1dSchema>, 'size'>;
export type UpSampling2DOptions = Omit<KerasOptions<typeof upSampling2dSchema>, 'size'>;
type Interpolation = 'nearest' | 'bilinear';

/** Nearest: each value repeated f times along `axis`. */
function repeatAlong(x: tf.Tensor, axis: number, f: number): tf.Tensor {
  if (f === 1) return x;
  const shape = x.shape;
  const spread = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
  const tiled = tf.tile(tf.reshape(x, spread), spread.map((_, i) => (i === axis + 1 ? f : 1)));
  return tf.reshape(tiled, shape.map((size, i) => (i === axis ? size * f : size)));
}

/** Nearest's backward: the f values copied from one input, summed back into it. */
function sumRepeatsAlong(dy: tf.Tensor, axis: number, f: number): tf.Tensor {
  if (f === 1) return dy;
  const shape = dy.shape;
  const blocks = [...shape.slice(0, axis), shape[axis]! / f, f, ...shape.slice(axis + 1)];
  return tf.sum(tf.reshape(dy, blocks), axis + 1);
}

/**
 * R [n·f, n] of bilinear resizing by f with half-pixel centres (TensorFlow's and Keras's):
 * output i reads the source point s = (i + ½) / f − ½, (1 − t)·x[⌊s⌋] + t·x[⌊s⌋ + 1] with
 * t = s − ⌊s⌋, both indices clamped to [0, n − 1].
 */
export function bilinearMatrix(n: number, f: number): tf.Tensor2D {
  const r = new Float32Array(n * f * n);
  for (let i = 0; i < n * f; i++) {
    const s = (i + 0.5) / f - 0.5;
    const low = Math.floor(s);
    const t = s - low;
    const clamp = (j: number) => Math.min(Math.max(j, 0), n - 1);
    r[i * n + clamp(low)] += 1 - t;
    r[i * n + clamp(low + 1)] += t;
  }
  return tf.tensor2d(r, [n * f, n]);
}

/** M · x along `axis` of a rank-4 x: the axis moved first, a matrix product, moved back. */
function multiplyAlong(m: tf.Tensor2D, x: tf.Tensor, axis: number): tf.Tensor {
  const perm = [axis, ...[0, 1, 2, 3].filter((a) => a !== axis)];
  const moved = tf.transpose(x, perm);
  const product = tf.matMul(m, tf.reshape(moved, [moved.shape[0]!, -1]));
  const back = tf.reshape(product, [m.shape[0], ...moved.shape.slice(1)]);
  return tf.transpose(back, perm.map((_, i) => perm.indexOf(i)));
}

class UpSampling1DLayer extends Layer {
  static readonly class_name = 'UpSampling1D';
  readonly size: number;

  /** @param size how many times each step is repeated, a positive integer. Defaults to 2. */
  constructor(size?: number | (UpSampling1DOptions & { size?: number }), options?: UpSampling1DOptions) {
    const args = parseArgs('UpSampling1D', upSampling1dSchema, ['size'], [size, options]);
    super(args, 'up_sampling1d');
    if (typeof args.size !== 'number' || !Number.isInteger(args.size)) {
      throw new ValueError(`UpSampling1D: Expected an integer value for \`size\`. Received: size=${repr(args.size)}`);
    }
    if (args.size <= 0) throw new ValueError(`UpSampling1D: Argument \`size\` should be a positive integer. Received: size=${args.size}`);
    this.size = args.size;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    assertRank(this.name, inputs.shape, 3);
    this.assertInputCompatible(inputs.shape);
    return { inputs, outputs: repeatAlong(inputs, 1, this.size) };
  }

  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? sumRepeatsAlong(dOutputs, 1, this.size) : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, 3);
    return [inputShape[0] ?? null, inputShape[1] === null ? null : inputShape[1]! * this.size, inputShape[2] ?? null];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), size: this.size };
  }
}

class UpSampling2DLayer extends Layer {
  static readonly class_name = 'UpSampling2D';
  readonly size: [number, number];
  readonly data_format: DataFormat;
  readonly interpolation: Interpolation;

  /**
   * @param size the factors for rows and columns: an integer or `[fh, fw]`. Defaults to `[2, 2]`.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   * @param options.interpolation `'nearest'` (repeat, the default) or `'bilinear'` (Keras's other
   *   resize methods, 'bicubic', 'lanczos3', ..., are not in keras-like).
   */
  constructor(size?: number | [number, number] | (UpSampling2DOptions & { size?: number | [number, number] }), options?: UpSampling2DOptions) {
    const args = parseArgs('UpSampling2D', upSampling2dSchema, ['size'], [size, options]);
    super(args, 'up_sampling2d');
    const [fh, fw] = standardizeTuple('UpSampling2D', args.size, 2, 'size');
    this.size = [fh!, fw!];
    this.data_format = args.data_format;
    if (args.interpolation !== 'nearest' && args.interpolation !== 'bilinear') {
      throw new ValueError(`UpSampling2D: \`interpolation\` must be 'nearest' or 'bilinear' in keras-like. Received: interpolation=${repr(args.interpolation)}`);
    }
    this.interpolation = args.interpolation;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    assertRank(this.name, inputs.shape, 4);
    this.assertInputCompatible(inputs.shape);
    const x = this.data_format === 'channels_last' ? inputs : tf.transpose(inputs, toChannelsLastPerm(4));
    const [, h, w] = x.shape as [number, number, number, number];
    // nearest: a[i] = x[⌊i / f⌋]; bilinear: a = R_h · x · R_wᵀ
    const a =
      this.interpolation === 'nearest'
        ? repeatAlong(repeatAlong(x, 1, this.size[0]), 2, this.size[1])
        : multiplyAlong(bilinearMatrix(w, this.size[1]), multiplyAlong(bilinearMatrix(h, this.size[0]), x, 1), 2);
    return { inputs, outputs: this.data_format === 'channels_last' ? a : tf.transpose(a, toChannelsFirstPerm(4)) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const dy = this.data_format === 'channels_last' ? dOutputs : tf.transpose(dOutputs, toChannelsLastPerm(4));
    const { spatial } = axesOf(4, this.data_format);
    const [h, w] = spatial.map((axis) => pass.inputs.shape[axis]!) as [number, number];
    // nearest: each f × f block summed back into its input; bilinear: ∂C/∂x = R_hᵀ · ∂C/∂a · R_w
    const dx =
      this.interpolation === 'nearest'
        ? sumRepeatsAlong(sumRepeatsAlong(dy, 1, this.size[0]), 2, this.size[1])
        : multiplyAlong(tf.transpose(bilinearMatrix(w, this.size[1])), multiplyAlong(tf.transpose(bilinearMatrix(h, this.size[0])), dy, 1), 2);
    return { inputGradient: this.data_format === 'channels_last' ? dx : tf.transpose(dx, toChannelsFirstPerm(4)), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, 4);
    const out = [...inputShape];
    axesOf(4, this.data_format).spatial.forEach((axis, i) => {
      out[axis] = inputShape[axis] === null ? null : inputShape[axis]! * this.size[i]!;
    });
    return out;
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), size: [...this.size], data_format: this.data_format, interpolation: this.interpolation };
  }
}

export const UpSampling1D = callable(UpSampling1DLayer);
export type UpSampling1D = UpSampling1DLayer;
export const UpSampling2D = callable(UpSampling2DLayer);
export type UpSampling2D = UpSampling2DLayer;
export { UpSampling1DLayer, UpSampling2DLayer };
