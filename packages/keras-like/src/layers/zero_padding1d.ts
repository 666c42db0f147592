/**
 * `keras.layers.ZeroPadding1D(padding, data_format)`: zeros before and after each sequence.
 * `padding` is an integer (both ends) or `[start, end]`, as in Keras.
 *
 *   forward:  a = x with zeros before and after the steps   (tf.pad)
 *   backward: ∂C/∂x = ∂C/∂a without the padding             (the slice that undoes the pad)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { assertRank, axesOf, dataFormatField, standardizeTuple, type DataFormat } from './conv_arguments.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const zeroPadding1dSchema = layerSchema.extend({
  padding: z.custom<number | readonly number[]>(() => true).default(1),
  data_format: dataFormatField,
});

export type ZeroPadding1DOptions = Omit<KerasOptions<typeof zeroPadding1dSchema>, 'padding'>;
type PaddingArg = number | [number, number];

class ZeroPadding1DLayer extends Layer {
  static readonly class_name = 'ZeroPadding1D';
  readonly padding: [number, number];
  readonly data_format: DataFormat;

  /**
   * @param padding zeros to add: an integer (both ends) or `[start, end]`. Defaults to 1.
   * @param options.data_format `'channels_last'` ([batch, steps, channels], the default) or `'channels_first'`.
   */
  constructor(padding?: PaddingArg | (ZeroPadding1DOptions & { padding?: PaddingArg }), options?: ZeroPadding1DOptions) {
    const args = parseArgs('ZeroPadding1D', zeroPadding1dSchema, ['padding'], [padding, options]);
    super(args, 'zero_padding1d');
    const [start, end] = standardizeTuple('ZeroPadding1D', args.padding as number | number[], 2, 'padding', true);
    this.padding = [start!, end!];
    this.data_format = args.data_format;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    assertRank(this.name, inputs.shape, 3);
    this.assertInputCompatible(inputs.shape);
    return { inputs, outputs: tf.pad(inputs, this.pads()) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    return { inputGradient: tf.slice(dOutputs, this.pads().map(([before]) => before), pass.inputs.shape), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, 3);
    const pads = this.pads();
    return inputShape.map((size, axis) => (size === null ? null : size + pads[axis]![0] + pads[axis]![1]));
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), padding: [...this.padding], data_format: this.data_format };
  }

  // tf.pad's [before, after] per axis: the steps axis gets the padding.
  private pads(): Array<[number, number]> {
    const steps = axesOf(3, this.data_format).spatial[0];
    return [0, 1, 2].map((axis) => (axis === steps ? this.padding : [0, 0]));
  }
}

export const ZeroPadding1D = callable(ZeroPadding1DLayer);
export type ZeroPadding1D = ZeroPadding1DLayer;
export { ZeroPadding1DLayer };
