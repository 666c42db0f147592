/**
 * `keras.layers.SpatialDropout1D(rate)` and `keras.layers.SpatialDropout2D(rate, data_format)`:
 * Dropout that drops whole feature maps (channels) instead of single values — one draw per
 * sample and channel, shared by every step / pixel — because neighbouring pixels of a
 * convolution's output are correlated and single-value dropout hardly regularizes them.
 *
 *   forward:  mask[n, c] = (u ≥ rate) / (1 − rate),  u ~ U[0, 1);  a = x ⊙ mask (broadcast over positions)
 *   backward: ∂C/∂x = ∂C/∂a ⊙ mask
 *
 * At inference (and with rate 0) it is the identity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { nextSeed } from '../utils/random.js';
import { assertRank, dataFormatField, type DataFormat } from './conv_arguments.js';
import { dropoutSchema } from './dropout.js';
import { Layer, type ForwardPass, type Gradients, type LayerArgs, type Shape } from './layer.js';

const spatialDropout1dSchema = dropoutSchema.omit({ noise_shape: true });
const spatialDropout2dSchema = spatialDropout1dSchema.extend({ data_format: dataFormatField });

export type SpatialDropout1DOptions = Omit<KerasOptions<typeof spatialDropout1dSchema>, 'rate'>;
export type SpatialDropout2DOptions = Omit<KerasOptions<typeof spatialDropout2dSchema>, 'rate'>;

abstract class BaseSpatialDropoutLayer extends Layer {
  readonly rate: number;
  readonly seed: number | null;
  private seedCalls = 0;
  protected abstract readonly ndim: number;

  protected constructor(args: LayerArgs & { rate: number; seed: number | null }, defaultName: string) {
    super(args, defaultName);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  /** The mask's shape: the input's, with 1 on every spatial axis. */
  protected abstract noiseShape(inputShape: number[]): number[];

  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, training: boolean): ForwardPass<tf.Tensor | null> {
    assertRank(this.name, inputs.shape, this.ndim);
    this.assertInputCompatible(inputs.shape);
    if (!training || this.rate === 0) return { inputs, outputs: inputs.clone(), saved: null };
    const mask = tf.tidy(() => {
      const seed = this.seed === null ? nextSeed() : this.seed + 7919 * this.seedCalls++;
      // mask[n, c] = (u ≥ rate) / (1 − rate), one draw per sample and channel
      const keep = tf.greaterEqual(tf.randomUniform(this.noiseShape(inputs.shape), 0, 1, 'float32', seed), this.rate);
      return tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.rate));
    });
    // a = x ⊙ mask, the mask broadcast over the positions
    return { inputs, outputs: tf.mul(inputs, mask), saved: mask };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor | null>, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    // ∂C/∂x = ∂C/∂a ⊙ mask
    return { inputGradient: pass.saved ? tf.mul(dOutputs, pass.saved) : dOutputs, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank(this.name, inputShape, this.ndim);
    return [...inputShape];
  }

  /** Keras's config: rate, seed, name and dtype only (no `trainable`, no `noise_shape`). */
  override get_config(): Record<string, unknown> {
    // Keras's SpatialDropout writes these four only (and its dtype as a name: serialization.ts).
    const { name, dtype } = super.get_config();
    return { rate: this.rate, seed: this.seed, name, dtype };
  }
}

class SpatialDropout1DLayer extends BaseSpatialDropoutLayer {
  static readonly class_name = 'SpatialDropout1D';
  protected readonly ndim = 3;

  /**
   * @param rate the fraction of the channels to drop, in [0, 1).
   * @param options.seed makes the masks reproducible. Defaults to the global random source.
   */
  constructor(rate: number | (SpatialDropout1DOptions & { rate: number }), options?: SpatialDropout1DOptions) {
    super(parseArgs('SpatialDropout1D', spatialDropout1dSchema, ['rate'], [rate, options]), 'spatial_dropout1d');
  }

  protected noiseShape([n, , c]: number[]): number[] {
    return [n!, 1, c!];
  }
}

class SpatialDropout2DLayer extends BaseSpatialDropoutLayer {
  static readonly class_name = 'SpatialDropout2D';
  protected readonly ndim = 4;
  readonly data_format: DataFormat;

  /**
   * @param rate the fraction of the channels to drop, in [0, 1).
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   * @param options.seed makes the masks reproducible. Defaults to the global random source.
   */
  constructor(rate: number | (SpatialDropout2DOptions & { rate: number }), options?: SpatialDropout2DOptions) {
    const args = parseArgs('SpatialDropout2D', spatialDropout2dSchema, ['rate'], [rate, options]);
    super(args, 'spatial_dropout2d');
    this.data_format = args.data_format;
  }

  protected noiseShape(shape: number[]): number[] {
    return this.data_format === 'channels_last' ? [shape[0]!, 1, 1, shape[3]!] : [shape[0]!, shape[1]!, 1, 1];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), data_format: this.data_format };
  }
}

export const SpatialDropout1D = callable(SpatialDropout1DLayer);
export type SpatialDropout1D = SpatialDropout1DLayer;
export const SpatialDropout2D = callable(SpatialDropout2DLayer);
export type SpatialDropout2D = SpatialDropout2DLayer;
export { SpatialDropout1DLayer, SpatialDropout2DLayer };
