/**
 * `keras.layers.InputLayer` and `keras.Input(shape)`: the start of a model.
 *
 *   const x = keras.Input({ shape: [8] });                      // a KerasTensor of shape (None, 8)
 *   const model = keras.Model({ inputs: x, outputs: Dense(1).apply(x) });
 *   Sequential([keras.Input({ shape: [8] }), Dense(12)]);        // also starts a Sequential model
 *
 * As in Keras 3, an InputLayer makes one symbolic tensor (its `output`), recorded as a call with no
 * inputs, and passes data through unchanged.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, parseOptions, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { KerasTensor, Node, type AnyLayer } from './keras_tensor.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const shapeSchema = z.array(z.number().int().positive().nullable(), { error: 'must be an array of positive integers, such as [8]' });
const dtypeSchema = z.enum(['float32', 'int32'], { error: "must be 'float32' or 'int32' (keras-like computes in float32)" }).default('float32');
const inputLayerSchema = layerSchema.extend({
  shape: shapeSchema.optional(),
  batch_shape: z.array(z.number().int().positive().nullable(), { error: 'must be an array such as [null, 8]' }).optional(),
  input_tensor: z.custom<KerasTensor>((v) => v instanceof KerasTensor).optional(),
  sparse: z.literal(false, { error: 'must be false (keras-like has no sparse tensors)' }).optional(),
});

/** Keyword arguments of `InputLayer`: `shape` (or `input_shape`), `batch_size`, `batch_shape`, `name`. */
export type InputLayerOptions = KerasOptions<typeof inputLayerSchema>;

export class InputLayerLayer extends Layer {
  static readonly class_name = 'InputLayer';
  /** The KerasTensor this layer makes: what `keras.Input` returns. */
  readonly output: KerasTensor;

  /**
   * @param options.shape the shape of one sample, without the batch axis (`[8]`).
   * @param options.batch_size a fixed batch size, rarely needed. Defaults to any.
   * @param options.batch_shape the shape with the batch axis (`[null, 8]`), instead of `shape` and `batch_size`.
   */
  constructor(options: InputLayerOptions = {}) {
    const args = parseOptions('InputLayer', inputLayerSchema, options);
    if (args.shape !== undefined && args.input_shape !== undefined) {
      throw new ValueError('InputLayer: give only one of `shape` and `input_shape`.');
    }
    const shape = args.shape ?? args.input_shape;
    if (args.batch_shape !== undefined && shape !== undefined) {
      throw new ValueError('You cannot pass both `shape` and `batch_shape` at the same time.');
    }
    super({ ...args, input_shape: args.batch_shape === undefined ? shape : undefined, batch_input_shape: args.batch_shape ?? args.batch_input_shape }, 'input_layer');
    if (this.batch_input_shape === undefined) {
      throw new ValueError('InputLayer: `shape` must be given, such as { shape: [8] }. Received: shape=undefined');
    }
    this.build(this.batch_input_shape);
    this.output = new KerasTensor(this.batch_input_shape, args.name === undefined ? {} : { name: args.name });
    new Node(this as unknown as AnyLayer, [], this.output);
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
  shape: shapeSchema.optional(),
  batch_size: z.number().int().positive().optional(),
  name: z.string().optional(),
  dtype: dtypeSchema,
  batch_shape: z.array(z.number().int().positive().nullable(), { error: 'must be an array such as [null, 8]' }).optional(),
  sparse: z.literal(false, { error: 'must be false (keras-like has no sparse tensors)' }).optional(),
});

/** Keyword arguments of `keras.Input`. */
export type InputOptions = Omit<KerasOptions<typeof inputSchema>, 'shape'>;

/**
 * `keras.Input(shape)`: the symbolic input of a model, `Input([8])` or
 * `Input({ shape: [8], name: 'features' })`: a KerasTensor of shape `(None, 8)`, made by an
 * InputLayer (its `_keras_history`).
 */
export function Input(shape?: Shape | (InputOptions & { shape?: Shape }), options?: InputOptions): KerasTensor {
  const args = parseArgs('Input', inputSchema, ['shape'], [shape, options]);
  if (args.shape === undefined && args.batch_shape === undefined) {
    throw new ValueError('Input: `shape` must be an array of positive integers, such as [8]. Received: shape=undefined');
  }
  const layer = new InputLayerLayer({
    ...(args.batch_shape === undefined ? { shape: args.shape } : { batch_shape: args.batch_shape }),
    batch_size: args.batch_size,
    name: args.name,
  });
  return layer.output;
}
