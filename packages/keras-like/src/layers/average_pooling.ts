/**
 * `keras.layers.AveragePooling2D(pool_size, strides, padding, data_format)` and `AveragePooling1D`
 * (aliases `AvgPool2D`, `AvgPool1D`): the mean of each window, per channel.
 *
 *   forward:  a = mean over the window of x
 *   backward: ∂C/∂x = ∂C/∂a / (inputs in the window), the same share for each input of the window
 *
 * The sliding windows and both kernels are in base_pooling.ts.
 */
import { parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { BasePoolingLayer, POOLING_POSITIONAL, poolingSchema, type PoolingCallArgs } from './base_pooling.js';

export type { PoolingOptions as AveragePoolingOptions } from './base_pooling.js';

export class AveragePooling2DLayer extends BasePoolingLayer {
  static readonly class_name = 'AveragePooling2D';

  /**
   * @param pool_size the window: an integer (square) or `[height, width]`. Defaults to 2.
   * @param options.strides the step between windows. Defaults to `pool_size`.
   * @param options.padding `'valid'` (the default) or `'same'`.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   */
  constructor(...given: PoolingCallArgs) {
    super('AveragePooling2D', 2, 'average', parseArgs('AveragePooling2D', poolingSchema, POOLING_POSITIONAL, given), 'average_pooling2d');
  }
}

export class AveragePooling1DLayer extends BasePoolingLayer {
  static readonly class_name = 'AveragePooling1D';

  /** As `AveragePooling2D`, on [batch, steps, channels]: `pool_size` and `strides` are integers. */
  constructor(...given: PoolingCallArgs) {
    super('AveragePooling1D', 1, 'average', parseArgs('AveragePooling1D', poolingSchema, POOLING_POSITIONAL, given), 'average_pooling1d');
  }
}

export const AveragePooling2D = callable(AveragePooling2DLayer);
export type AveragePooling2D = AveragePooling2DLayer;
export const AveragePooling1D = callable(AveragePooling1DLayer);
export type AveragePooling1D = AveragePooling1DLayer;
/** Keras's aliases. */
export const AvgPool2D = AveragePooling2D;
export type AvgPool2D = AveragePooling2DLayer;
export const AvgPool1D = AveragePooling1D;
export type AvgPool1D = AveragePooling1DLayer;
