/**
 * `keras.layers.GaussianNoise(stddev, {seed})`: adds zero-centred Gaussian noise
 * during training (a regularizer for real-valued inputs); the identity at inference.
 * The noise does not depend on the input, so the backward is the identity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { callable } from '../utils/callable.js';
import { nextSeed } from '../utils/random.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const gaussianNoiseSchema = layerSchema.extend({
  stddev: z
    .number({ error: 'must be a float value between 0 and 1' })
    .min(0, { error: 'must be a float value between 0 and 1' })
    .max(1, { error: 'must be a float value between 0 and 1' }),
  seed: z
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .nullish()
    .transform((v) => v ?? null),
});

export type GaussianNoiseOptions = Omit<KerasOptions<typeof gaussianNoiseSchema>, 'stddev'>;

export class GaussianNoiseLayer extends Layer {
  readonly stddev: number;
  readonly seed: number | null;
  private seedCalls = 0;

  /**
   * @param stddev the standard deviation of the noise, in [0, 1] as Keras requires.
   * @param options.seed makes the noise reproducible for this layer. Defaults to the global random source.
   */
  constructor(stddev: number | (GaussianNoiseOptions & { stddev: number }), options?: GaussianNoiseOptions) {
    const args = parseArgs('GaussianNoise', gaussianNoiseSchema, ['stddev'], [stddev, options]);
    super(args, 'gaussian_noise');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.stddev = args.stddev;
    this.seed = args.seed;
  }

  /** `layer.apply(x, { training })`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, training: boolean): ForwardPass {
    if (!training || this.stddev === 0) return { inputs, outputs: inputs.clone() };
    const seed = this.seed === null ? nextSeed() : this.seed + 7919 * this.seedCalls++;
    return { inputs, outputs: tf.tidy(() => tf.add(inputs, tf.randomNormal(inputs.shape, 0, this.stddev, 'float32', seed))) };
  }

  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? dOutputs : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), stddev: this.stddev, seed: this.seed };
  }
}

export const GaussianNoise = callable(GaussianNoiseLayer);
export type GaussianNoise = GaussianNoiseLayer;
