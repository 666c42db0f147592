/**
 * `keras.layers.InputLayer` and `keras.Input(shape)`: declare the shape of one
 * sample at the start of a Sequential model, as in
 * `Sequential([keras.Input({ shape: [8] }), Dense(12)])`. The layer passes its
 * inputs through unchanged.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, parseOptions, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const inputLayerSchema = layerSchema.extend({
  shape: z.array(z.number().int().positive().nullable(), { error: 'must be an array of positive integers, such as [8]' }).optional(),
});

/** Keyword arguments of `InputLayer`: `shape` (or `input_shape`), `batch_size`, `batch_input_shape`, `name`. */
export type InputLayerOptions = KerasOptions<typeof inputLayerSchema>;

export class InputLayerLayer extends Layer {
  static readonly class_name = 'InputLayer';
  /**
   * @param options.shape the shape of one sample, without the batch axis (`[8]`).
   * @param options.batch_size a fixed batch size, rarely needed. Defaults to any.
   */
  constructor(options: InputLayerOptions = {}) {
    const args = parseOptions('InputLayer', inputLayerSchema, options);
    if (args.shape !== undefined && args.input_shape !== undefined) {
      throw new ValueError('InputLayer: give only one of `shape` and `input_shape`.');
    }
    super({ ...args, input_shape: args.shape ?? args.input_shape }, 'input_layer');
    if (this.batch_input_shape === undefined) {
      throw new ValueError('InputLayer: `shape` must be given, such as { shape: [8] }. Received: shape=undefined');
    }
    this.build(this.batch_input_shape);
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return inputs;
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass {
    return { inputs, outputs: inputs };
  }

  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? dOutputs : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), batch_shape: this.batch_input_shape };
  }
}

export const InputLayer = callable(InputLayerLayer);
export type InputLayer = InputLayerLayer;

const inputSchema = z.object({
  shape: z.array(z.number().int().positive().nullable(), { error: 'must be an array of positive integers, such as [8]' }),
  batch_size: z.number().int().positive().optional(),
  name: z.string().optional(),
});

/** Keyword arguments of `keras.Input`. */
export type InputOptions = Omit<KerasOptions<typeof inputSchema>, 'shape'>;

/**
 * `keras.Input(shape)`: the start of a model, `Input([8])` or `Input({ shape: [8] })`.
 * keras-like has no symbolic tensors; the result is the `InputLayer` that
 * `Sequential` takes as its first entry.
 */
export function Input(shape: Shape | (InputOptions & { shape: Shape }), options?: InputOptions): InputLayerLayer {
  const args = parseArgs('Input', inputSchema, ['shape'], [shape, options]);
  return new InputLayerLayer({ shape: args.shape, batch_size: args.batch_size, name: args.name });
}
