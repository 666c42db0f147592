/**
 * `keras.layers.Dropout(rate, {noise_shape, seed})`: during training, zeroes each
 * input with probability `rate` and scales the kept ones by 1 / (1 - rate)
 * ("inverted" dropout), so the expected output equals the input; at inference it
 * is the identity.
 *
 *   forward:  mask = (u ≥ rate) / (1 - rate),  u ~ U[0, 1);  a = x ⊙ mask
 *   backward: ∂C/∂x = ∂C/∂a ⊙ mask
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { callable } from '../utils/callable.js';
import { nextSeed } from '../utils/random.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

export const dropoutSchema = layerSchema.extend({
  rate: z
    .number({ error: 'must be a float in the range [0, 1)' })
    .min(0, { error: 'must be a float in the range [0, 1)' })
    // Keras 3 accepts 1 at construction, then tf.nn.dropout rejects it in training; fail here instead.
    .lt(1, { error: 'must be a float in the range [0, 1)' }),
  noise_shape: z
    .array(z.number().int().positive().nullable(), { error: 'must be an array of positive integers or null, such as [null, 1, 8]' })
    .nullish()
    .transform((v) => v ?? null),
  seed: z
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .nullish()
    .transform((v) => v ?? null),
});

export type DropoutOptions = Omit<KerasOptions<typeof dropoutSchema>, 'rate'>;

export class DropoutLayer extends Layer {
  readonly rate: number;
  readonly noise_shape: Array<number | null> | null;
  readonly seed: number | null;
  // With a seed, successive calls draw successive masks from it (Keras's SeedGenerator).
  private seedCalls = 0;

  /**
   * @param rate the fraction of the inputs to drop, in [0, 1).
   * @param options.noise_shape the shape of the mask, broadcast over the inputs (`null` entries
   *   take the input's size): `[null, 1, features]` drops the same features at every timestep.
   * @param options.seed makes the masks reproducible for this layer. Defaults to the global
   *   random source (`keras.utils.set_random_seed`).
   */
  constructor(rate: number | (DropoutOptions & { rate: number }), options?: DropoutOptions) {
    const args = parseArgs('Dropout', dropoutSchema, ['rate'], [rate, options]);
    super(args, 'dropout');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.rate = args.rate;
    this.noise_shape = args.noise_shape;
    this.seed = args.seed;
  }

  /** `layer.apply(x, { training })`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, training: boolean): ForwardPass<tf.Tensor | null> {
    if (!training || this.rate === 0) return { inputs, outputs: inputs.clone(), saved: null };
    const mask = this.mask(inputs.shape);
    return { inputs, outputs: tf.mul(inputs, mask), saved: mask };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor | null>, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    const mask = pass.saved ?? null;
    return { inputGradient: mask === null ? dOutputs : tf.mul(dOutputs, mask), weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), rate: this.rate, seed: this.seed, noise_shape: this.noise_shape };
  }

  // The kept inputs scaled by 1 / (1 - rate).
  private mask(inputShape: number[]): tf.Tensor {
    return tf.tidy(() => {
      const shape = this.noise_shape === null ? inputShape : this.noise_shape.map((size, i) => size ?? inputShape[i]!);
      const seed = this.seed === null ? nextSeed() : this.seed + 7919 * this.seedCalls++;
      const keep = tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), this.rate);
      return tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.rate));
    });
  }
}

export const Dropout = callable(DropoutLayer);
export type Dropout = DropoutLayer;
