/**
 * `keras.layers.Reshape(target_shape)`: reshapes each sample to `target_shape`
 * (batch axis excluded; one entry may be -1, inferred from the others).
 * The backward is the inverse reshape: ∂C/∂x = reshape(∂C/∂a, x.shape).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { callable } from '../utils/callable.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';

const reshapeSchema = layerSchema.extend({
  target_shape: z
    .array(
      z
        .number({ error: 'must be a positive integer or -1' })
        .int({ error: 'must be a positive integer or -1' })
        .refine((d) => d > 0 || d === -1, { error: 'must be a positive integer or -1' }),
      { error: 'must be an array of positive integers, with at most one -1, such as [3, 4]' },
    )
    .refine((shape) => shape.filter((d) => d === -1).length <= 1, { error: 'must not contain more than one `-1` value' }),
});

export type ReshapeOptions = Omit<KerasOptions<typeof reshapeSchema>, 'target_shape'>;

export class ReshapeLayer extends Layer {
  readonly target_shape: number[];

  /**
   * @param target_shape the shape of each sample after the layer, without the batch axis;
   *   one entry may be -1 to infer it from the size of the input.
   */
  constructor(target_shape: number[] | (ReshapeOptions & { target_shape: number[] }), options?: ReshapeOptions) {
    const args = parseArgs('Reshape', reshapeSchema, ['target_shape'], [target_shape, options]);
    super(args, 'reshape');
    this.target_shape = [...args.target_shape];
  }

  /** `layer.apply(x, { training })`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass {
    const sample = this.compute_output_shape([null, ...inputs.shape.slice(1)]).slice(1) as number[];
    return { inputs, outputs: tf.reshape(inputs, [inputs.shape[0]!, ...sample]) };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? tf.reshape(dOutputs, pass.inputs.shape) : null, weightGradients: [] };
  }

  /** `[batch, ...target_shape]`, with -1 resolved when the sample size is known (Keras's rule). */
  override compute_output_shape(inputShape: Shape): Shape {
    const sample = inputShape.slice(1);
    const batch = inputShape[0] ?? null;
    if (sample.some((d) => d === null)) return [batch, ...this.target_shape.map((d) => (d === -1 ? null : d))];
    const size = (sample as number[]).reduce((a, b) => a * b, 1);
    const known = this.target_shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = this.target_shape.includes(-1);
    if ((inferred && size % known !== 0) || (!inferred && size !== known)) {
      throw new ValueError(
        `The total size of the tensor must be unchanged. Received: input_shape=${shapeText(sample)}, ` +
          `target_shape=${shapeText(this.target_shape)}`,
      );
    }
    return [batch, ...this.target_shape.map((d) => (d === -1 ? size / known : d))];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), target_shape: [...this.target_shape] };
  }
}

export const Reshape = callable(ReshapeLayer);
export type Reshape = ReshapeLayer;
