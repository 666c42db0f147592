/**
 * `keras.layers.Masking(mask_value=0.0)`: masks the timesteps whose features all equal
 * `mask_value`, so the recurrent layers after it skip them.
 *
 *   keep[b, t] = any_f(x[b, t, f] ≠ mask_value)       the mask handed on
 *   forward:  a = x ⊙ keep                             backward: ∂C/∂x = ∂C/∂a ⊙ keep
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Masks, type Shape } from './layer.js';

const maskingSchema = layerSchema.extend({
  mask_value: z.number({ error: 'must be a number' }).default(0),
});

export type MaskingOptions = KerasOptions<typeof maskingSchema>;

export class MaskingLayer extends Layer {
  readonly mask_value: number;

  /** @param mask_value the value of a padded timestep's features. Defaults to 0. */
  constructor(mask_value?: number | MaskingOptions, options?: MaskingOptions) {
    const args = parseArgs('Masking', maskingSchema, ['mask_value'], [mask_value, options]);
    super(args, 'masking');
    this.mask_value = args.mask_value;
    this.supports_masking = true;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass<tf.Tensor> {
    const keep = tf.cast(tf.any(tf.notEqual(inputs, this.mask_value), -1, true), 'float32');
    return { inputs, outputs: tf.mul(inputs, keep), saved: keep };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor>, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? tf.mul(dOutputs, pass.saved!) : null, weightGradients: [] };
  }

  override compute_mask(inputs: tf.Tensor, _mask: Masks): Masks {
    return tf.any(tf.notEqual(inputs, this.mask_value), -1);
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), mask_value: this.mask_value };
  }
}

export const Masking = callable(MaskingLayer);
export type Masking = MaskingLayer;
