/**
 * `keras.layers.ZeroPadding2D(padding, data_format)`: rows and columns of zeros around each
 * image. `padding` is an integer (the same on all four sides), `[h, w]` (symmetric), or
 * `[[top, bottom], [left, right]]`, as in Keras.
 *
 *   forward:  a = x with zeros around it            (tf.pad)
 *   backward: ∂C/∂x = ∂C/∂a without the padding     (the slice that undoes the pad)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { assertRank, axesOf, dataFormatField, type DataFormat } from './conv_arguments.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const zeroPaddingSchema = layerSchema.extend({
  padding: z.custom<number | readonly number[] | readonly (readonly number[])[]>(() => true).default(1),
  data_format: dataFormatField,
});

export type ZeroPadding2DOptions = Omit<KerasOptions<typeof zeroPaddingSchema>, 'padding'>;
type PaddingArg = number | [number, number] | [[number, number], [number, number]];

const natural = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Keras's rule: an int, a pair of ints, or a pair of pairs; every entry ≥ 0. */
function standardizePadding(value: unknown): [[number, number], [number, number]] {
  if (natural(value)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    if (value.every(natural)) return [[value[0], value[0]], [value[1], value[1]]];
    if (value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(natural))) {
      return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
    }
  }
  throw new ValueError(
    '`padding` should be either an int, a tuple of 2 ints (symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of 2 ints ' +
      `((top_pad, bottom_pad), (left_pad, right_pad)), with non-negative entries. Received: padding=${repr(value)}.`,
  );
}

export class ZeroPadding2DLayer extends Layer {
  static readonly class_name = 'ZeroPadding2D';
  readonly padding: [[number, number], [number, number]];
  readonly data_format: DataFormat;

  /**
   * @param padding zeros to add: an integer, `[h, w]` or `[[top, bottom], [left, right]]`. Defaults to 1.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   */
  constructor(padding?: PaddingArg | (ZeroPadding2DOptions & { padding?: PaddingArg }), options?: ZeroPadding2DOptions) {
    const args = parseArgs('ZeroPadding2D', zeroPaddingSchema, ['padding'], [padding, options]);
    super(args, 'zero_padding2d');
    try {
      this.padding = standardizePadding(args.padding);
    } catch (error) {
      throw new ValueError(`ZeroPadding2D: ${(error as Error).message}`);
    }
    this.data_format = args.data_format;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    assertRank(this.name, inputs.shape, 4);
    this.assertInputCompatible(inputs.shape);
    return { inputs, outputs: tf.pad(inputs, this.pads()) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const begin = this.pads().map(([before]) => before);
    return { inputGradient: tf.slice(dOutputs, begin, pass.inputs.shape), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, 4);
    const pads = this.pads();
    return inputShape.map((size, axis) => (size === null ? null : size + pads[axis]![0] + pads[axis]![1]));
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), padding: this.padding.map((p) => [...p]), data_format: this.data_format };
  }

  // tf.pad's [before, after] per axis: the spatial axes get the padding.
  private pads(): Array<[number, number]> {
    const { spatial } = axesOf(4, this.data_format);
    return [0, 1, 2, 3].map((axis) => (axis === spatial[0] ? this.padding[0] : axis === spatial[1] ? this.padding[1] : [0, 0]));
  }
}

export const ZeroPadding2D = callable(ZeroPadding2DLayer);
export type ZeroPadding2D = ZeroPadding2DLayer;
