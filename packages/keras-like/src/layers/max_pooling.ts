/**
 * `keras.layers.MaxPooling2D(pool_size, strides, padding, data_format)` and `MaxPooling1D`
 * (aliases `MaxPool2D`, `MaxPool1D`): the largest value of each window, per channel.
 *
 *   forward:  a = max over the window of x
 *   backward: ∂C/∂x = ∂C/∂a at the input that was its window's max, 0 at the others
 *
 * The sliding windows and both kernels are in base_pooling.ts.
 */
import { parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { BasePoolingLayer, POOLING_POSITIONAL, poolingSchema, type PoolingCallArgs } from './base_pooling.js';

export type { PoolingOptions as MaxPoolingOptions } from './base_pooling.js';

export class MaxPooling2DLayer extends BasePoolingLayer {
  static readonly class_name = 'MaxPooling2D';

  /**
   * @param pool_size the window: an integer (square) or `[height, width]`. Defaults to 2.
   * @param options.strides the step between windows. Defaults to `pool_size`.
   * @param options.padding `'valid'` (the default) or `'same'`.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   */
  constructor(...given: PoolingCallArgs) {
    super('MaxPooling2D', 2, 'max', parseArgs('MaxPooling2D', poolingSchema, POOLING_POSITIONAL, given), 'max_pooling2d');
  }
}

export class MaxPooling1DLayer extends BasePoolingLayer {
  static readonly class_name = 'MaxPooling1D';

  /** As `MaxPooling2D`, on [batch, steps, channels]: `pool_size` and `strides` are integers. */
  constructor(...given: PoolingCallArgs) {
    super('MaxPooling1D', 1, 'max', parseArgs('MaxPooling1D', poolingSchema, POOLING_POSITIONAL, given), 'max_pooling1d');
  }
}

export const MaxPooling2D = callable(MaxPooling2DLayer);
export type MaxPooling2D = MaxPooling2DLayer;
export const MaxPooling1D = callable(MaxPooling1DLayer);
export type MaxPooling1D = MaxPooling1DLayer;
/** Keras's aliases. */
export const MaxPool2D = MaxPooling2D;
export type MaxPool2D = MaxPooling2DLayer;
export const MaxPool1D = MaxPooling1D;
export type MaxPool1D = MaxPooling1DLayer;
