/**
 * `keras.layers.Flatten({data_format})`: flattens every axis but the batch axis,
 * `[batch, d1, d2, ...]` → `[batch, d1 · d2 · ...]` (a `[batch]` input becomes `[batch, 1]`).
 * The backward is the inverse reshape: ∂C/∂x = reshape(∂C/∂a, x.shape).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { callable } from '../utils/callable.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const flattenSchema = layerSchema.extend({
  data_format: z
    .enum(['channels_last', 'channels_first'], { error: "must be 'channels_last' or 'channels_first'" })
    .nullish()
    .transform((v) => v ?? 'channels_last'),
});

export type FlattenOptions = KerasOptions<typeof flattenSchema>;

export class FlattenLayer extends Layer {
  readonly data_format: 'channels_last' | 'channels_first';

  /**
   * @param options.data_format `'channels_last'` (the default, Keras's image data format) or
   *   `'channels_first'`: with channels first, the channel axis is moved last before flattening,
   *   so the order of the outputs matches a channels-last model.
   */
  constructor(options?: FlattenOptions) {
    const args = parseArgs('Flatten', flattenSchema, [], [options]);
    super(args, 'flatten');
    this.data_format = args.data_format;
  }

  /** `layer.apply(x, { training })`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass {
    return { inputs, outputs: tf.tidy(() => tf.reshape(this.channelsLast(inputs), [inputs.shape[0]!, -1])) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const shape = pass.inputs.shape;
    if (this.data_format === 'channels_last' || shape.length <= 2) {
      return { inputGradient: tf.reshape(dOutputs, shape), weightGradients: [] };
    }
    // Undo the move of the channel axis: reshape to the channels-last shape, then move it back.
    const lastShape = [shape[0]!, ...shape.slice(2), shape[1]!];
    const back = [0, shape.length - 1, ...Array.from({ length: shape.length - 2 }, (_, i) => i + 1)];
    return { inputGradient: tf.transpose(tf.reshape(dOutputs, lastShape), back), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const size = rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1);
    return [inputShape[0] ?? null, size];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), data_format: this.data_format };
  }

  private channelsLast(inputs: tf.Tensor): tf.Tensor {
    const rank = inputs.rank;
    if (this.data_format === 'channels_last' || rank <= 2) return inputs;
    return tf.transpose(inputs, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
  }
}

export const Flatten = callable(FlattenLayer);
export type Flatten = FlattenLayer;
