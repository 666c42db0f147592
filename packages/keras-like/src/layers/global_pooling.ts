/**
 * `keras.layers.GlobalAveragePooling1D/2D` and `GlobalMaxPooling1D/2D` ({data_format, keepdims}),
 * aliases `GlobalAvgPool1D/2D`, `GlobalMaxPool1D/2D`: one value per channel over every spatial
 * position, [batch, h, w, c] → [batch, c] ([batch, 1, 1, c] with `keepdims`).
 *
 *   average:  a = mean over the positions of x      ∂C/∂x = ∂C/∂a / (positions), at every position
 *   max:      a = max over the positions of x       ∂C/∂x = ∂C/∂a where x equals the max, 0 elsewhere
 *             (every tied position gets it, as the gradient of TensorFlow.js's tf.max)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { assertRank, axesOf, dataFormatField, type DataFormat } from './conv_arguments.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const globalPoolingSchema = layerSchema.extend({
  data_format: dataFormatField,
  keepdims: z.boolean({ error: 'must be a boolean' }).default(false),
});

export type GlobalPoolingOptions = KerasOptions<typeof globalPoolingSchema>;

export abstract class GlobalPoolingLayer extends Layer {
  readonly data_format: DataFormat;
  readonly keepdims: boolean;
  private readonly rank: number;
  private readonly mode: 'max' | 'average';

  protected constructor(owner: string, rank: number, mode: 'max' | 'average', options: GlobalPoolingOptions | undefined, defaultName: string) {
    const args = parseArgs(owner, globalPoolingSchema, [], [options]);
    super(args, defaultName);
    this.rank = rank;
    this.mode = mode;
    this.data_format = args.data_format;
    this.keepdims = args.keepdims;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<tf.Tensor> {
    assertRank(this.name, inputs.shape, this.rank + 2);
    this.assertInputCompatible(inputs.shape);
    const spatial = this.spatialAxes(inputs.rank);
    const kept = this.mode === 'max' ? tf.max(inputs, spatial, true) : tf.mean(inputs, spatial, true);
    return { inputs, outputs: this.keepdims ? kept : tf.squeeze(kept, spatial), saved: kept };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor>, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const kept = pass.saved!;
    const dKept = tf.reshape(dOutputs, kept.shape);
    if (this.mode === 'average') {
      // ∂C/∂a / positions at every position, as the product ones[positions, 1] · ∂C/∂a[1, channels]
      // per sample (a broadcast through the Tile kernel is a generic per-element loop, 5-10×
      // slower on cpu and wasm for W6's [32, 200, 16]).
      const [batch, channels] = [pass.inputs.shape[0]!, kept.size / pass.inputs.shape[0]!];
      const positions = pass.inputs.size / kept.size;
      const spread =
        this.data_format === 'channels_last'
          ? tf.matMul(tf.fill([batch, positions, 1], 1 / positions), tf.reshape(dKept, [batch, 1, channels]))
          : tf.matMul(tf.reshape(dKept, [batch, channels, 1]), tf.fill([batch, 1, positions], 1 / positions));
      return { inputGradient: tf.reshape(spread, pass.inputs.shape), weightGradients: [] };
    }
    // x − max is 0 at the max and negative elsewhere: 1 + sign(·) marks the winners.
    const winners = tf.add(tf.sign(tf.sub(pass.inputs, kept)), 1);
    return { inputGradient: tf.mul(winners, dKept), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.rank + 2);
    const { spatial, channel } = axesOf(inputShape.length, this.data_format);
    if (this.keepdims) return inputShape.map((size, axis) => (spatial.includes(axis) ? 1 : size));
    return [inputShape[0] ?? null, inputShape[channel] ?? null];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), data_format: this.data_format, keepdims: this.keepdims };
  }

  private spatialAxes(rank: number): number[] {
    return axesOf(rank, this.data_format).spatial;
  }
}

export class GlobalAveragePooling2DLayer extends GlobalPoolingLayer {
  static readonly class_name = 'GlobalAveragePooling2D';
  /** @param options.data_format 'channels_last' (the default) or 'channels_first'; options.keepdims keeps the spatial axes as 1s. */
  constructor(options?: GlobalPoolingOptions) {
    super('GlobalAveragePooling2D', 2, 'average', options, 'global_average_pooling2d');
  }
}

export class GlobalAveragePooling1DLayer extends GlobalPoolingLayer {
  static readonly class_name = 'GlobalAveragePooling1D';
  /** As GlobalAveragePooling2D, over the steps of [batch, steps, channels]. */
  constructor(options?: GlobalPoolingOptions) {
    super('GlobalAveragePooling1D', 1, 'average', options, 'global_average_pooling1d');
  }
}

export class GlobalMaxPooling2DLayer extends GlobalPoolingLayer {
  static readonly class_name = 'GlobalMaxPooling2D';
  /** @param options.data_format 'channels_last' (the default) or 'channels_first'; options.keepdims keeps the spatial axes as 1s. */
  constructor(options?: GlobalPoolingOptions) {
    super('GlobalMaxPooling2D', 2, 'max', options, 'global_max_pooling2d');
  }
}

export class GlobalMaxPooling1DLayer extends GlobalPoolingLayer {
  static readonly class_name = 'GlobalMaxPooling1D';
  /** As GlobalMaxPooling2D, over the steps of [batch, steps, channels]. */
  constructor(options?: GlobalPoolingOptions) {
    super('GlobalMaxPooling1D', 1, 'max', options, 'global_max_pooling1d');
  }
}

export const GlobalAveragePooling2D = callable(GlobalAveragePooling2DLayer);
export type GlobalAveragePooling2D = GlobalAveragePooling2DLayer;
export const GlobalAveragePooling1D = callable(GlobalAveragePooling1DLayer);
export type GlobalAveragePooling1D = GlobalAveragePooling1DLayer;
export const GlobalMaxPooling2D = callable(GlobalMaxPooling2DLayer);
export type GlobalMaxPooling2D = GlobalMaxPooling2DLayer;
export const GlobalMaxPooling1D = callable(GlobalMaxPooling1DLayer);
export type GlobalMaxPooling1D = GlobalMaxPooling1DLayer;
/** Keras's aliases. */
export const GlobalAvgPool2D = GlobalAveragePooling2D;
export const GlobalAvgPool1D = GlobalAveragePooling1D;
export const GlobalMaxPool2D = GlobalMaxPooling2D;
export const GlobalMaxPool1D = GlobalMaxPooling1D;
