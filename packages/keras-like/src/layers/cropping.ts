/**
 * `keras.layers.Cropping1D(cropping)` and `keras.layers.Cropping2D(cropping, data_format)`: rows
 * (and columns) cut off the start and end of each sequence or image — ZeroPadding's inverse.
 *
 *   forward:  a = x without the cropped rows / columns       (a slice)
 *   backward: ∂C/∂x = ∂C/∂a with zeros where the crop was     (the pad that undoes the slice)
 *
 * `cropping` is, as in Keras: 1-D an integer (both ends) or `[start, end]`; 2-D an integer (all
 * four sides), `[h, w]` (symmetric) or `[[top, bottom], [left, right]]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { assertRank, axesOf, dataFormatField, standardizeTuple, type DataFormat } from './conv_arguments.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';

const pairsField = z.custom<number | readonly number[] | readonly (readonly number[])[]>(() => true);
const cropping1dSchema = layerSchema.extend({ cropping: pairsField.default([1, 1]) });
const cropping2dSchema = layerSchema.extend({ cropping: pairsField.default([[0, 0], [0, 0]]), data_format: dataFormatField });

export type Cropping1DOptions = Omit<KerasOptions<typeof cropping1dSchema>, 'cropping'>;
export type Cropping2DOptions = Omit<KerasOptions<typeof cropping2dSchema>, 'cropping'>;
type Cropping1DArg = number | [number, number];
type Cropping2DArg = number | [number, number] | [[number, number], [number, number]];

/** What both share: `crops` holds [start, end] per spatial axis, in `spatialAxes` of the input. */
abstract class BaseCroppingLayer extends Layer {
  protected abstract readonly crops: Array<[number, number]>;
  protected abstract readonly ndim: number;
  protected abstract spatialAxes(rank: number): number[];
  protected abstract tooLarge(shape: Shape): string;

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    this.assertInputCompatible(inputs.shape);
    const out = this.compute_output_shape(inputs.shape) as number[];
    return { inputs, outputs: tf.slice(inputs, this.begin(inputs.rank), out) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    return { inputGradient: tf.pad(dOutputs, this.pads(pass.inputs.rank)), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.ndim);
    const out = [...inputShape];
    this.spatialAxes(inputShape.length).forEach((axis, i) => {
      const size = inputShape[axis] ?? null;
      if (size === null) return;
      const [start, end] = this.crops[i]!;
      if (start + end >= size) throw new ValueError(this.tooLarge(inputShape));
      out[axis] = size - start - end;
    });
    return out;
  }

  private begin(rank: number): number[] {
    const axes = this.spatialAxes(rank);
    return Array.from({ length: rank }, (_, axis) => (axes.includes(axis) ? this.crops[axes.indexOf(axis)]![0] : 0));
  }

  private pads(rank: number): Array<[number, number]> {
    const axes = this.spatialAxes(rank);
    return Array.from({ length: rank }, (_, axis) => (axes.includes(axis) ? this.crops[axes.indexOf(axis)]! : [0, 0]));
  }
}

class Cropping1DLayer extends BaseCroppingLayer {
  static readonly class_name = 'Cropping1D';
  readonly cropping: [number, number];
  protected readonly crops: Array<[number, number]>;
  protected readonly ndim = 3;

  /** @param cropping steps to cut: an integer (both ends) or `[start, end]`. Defaults to `[1, 1]`. */
  constructor(cropping?: Cropping1DArg | (Cropping1DOptions & { cropping?: Cropping1DArg }), options?: Cropping1DOptions) {
    const args = parseArgs('Cropping1D', cropping1dSchema, ['cropping'], [cropping, options]);
    super(args, 'cropping1d');
    const [start, end] = standardizeTuple('Cropping1D', args.cropping as number | number[], 2, 'cropping', true);
    this.cropping = [start!, end!];
    this.crops = [this.cropping];
  }

  protected spatialAxes(): number[] {
    return [1];
  }

  protected tooLarge(shape: Shape): string {
    return `\`cropping\` parameter of \`Cropping1D\` layer must be smaller than the input length. Received: input_shape=${shapeText(shape)}, cropping=${shapeText(this.cropping)}`;
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), cropping: [...this.cropping] };
  }
}

class Cropping2DLayer extends BaseCroppingLayer {
  static readonly class_name = 'Cropping2D';
  readonly cropping: [[number, number], [number, number]];
  readonly data_format: DataFormat;
  protected readonly crops: Array<[number, number]>;
  protected readonly ndim = 4;

  /**
   * @param cropping rows and columns to cut: an integer, `[h, w]` or `[[top, bottom], [left, right]]`. Defaults to none.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   */
  constructor(cropping?: Cropping2DArg | (Cropping2DOptions & { cropping?: Cropping2DArg }), options?: Cropping2DOptions) {
    const args = parseArgs('Cropping2D', cropping2dSchema, ['cropping'], [cropping, options]);
    super(args, 'cropping2d');
    this.cropping = standardizeCropping2D(args.cropping);
    this.crops = this.cropping;
    this.data_format = args.data_format;
  }

  protected spatialAxes(rank: number): number[] {
    return axesOf(rank, this.data_format).spatial;
  }

  protected tooLarge(shape: Shape): string {
    return (
      'Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. ' +
      `Received: input_shape=${shapeText(shape)}, cropping=(${this.cropping.map((p) => shapeText(p)).join(', ')})`
    );
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), cropping: this.cropping.map((p) => [...p]), data_format: this.data_format };
  }
}

/** Keras's rule: an int ≥ 0, or two entries, each an int or a pair (`standardize_tuple` with zeros allowed). */
function standardizeCropping2D(value: unknown): [[number, number], [number, number]] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new ValueError(`Cropping2D: \`cropping\` cannot be negative. Received: cropping=${repr(value)}.`);
    return [[value, value], [value, value]];
  }
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new ValueError(`Cropping2D: \`cropping\` should have two elements. Received: cropping=${repr(value)}.`);
    const [h, w] = [
      standardizeTuple('Cropping2D', value[0] as number | number[], 2, '1st entry of cropping', true),
      standardizeTuple('Cropping2D', value[1] as number | number[], 2, '2nd entry of cropping', true),
    ];
    return [[h[0]!, h[1]!], [w[0]!, w[1]!]];
  }
  throw new ValueError(
    'Cropping2D: `cropping` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), ' +
      `or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), (left_crop, right_crop)). Received: cropping=${repr(value)}.`,
  );
}

export const Cropping1D = callable(Cropping1DLayer);
export type Cropping1D = Cropping1DLayer;
export const Cropping2D = callable(Cropping2DLayer);
export type Cropping2D = Cropping2DLayer;
export { Cropping1DLayer, Cropping2DLayer };
