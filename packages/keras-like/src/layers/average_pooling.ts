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
import { z } from 'zod';
import { BasePoolingLayer, POOLING_POSITIONAL, poolingSchema, type PoolingOptions } from './base_pooling.js';
import { tupleField, type DataFormatArg, type PaddingArg } from './conv_arguments.js';

// Keras 3's AveragePooling has no default pool_size (MaxPooling's is 2).
const averagePoolingSchema = poolingSchema.extend({
  pool_size: tupleField.refine((v) => v !== undefined, { error: 'is required (an integer or a tuple of integers)' }),
});

/** `AveragePooling2D(2)`, `AveragePooling2D([2, 2], [1, 1], 'same')`, `AveragePooling2D({ pool_size: 3 })`. */
export type AveragePoolingCallArgs =
  | [pool_size: number | number[], options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, padding: PaddingArg, options?: PoolingOptions]
  | [pool_size: number | number[], strides: number | number[] | null, padding: PaddingArg, data_format: DataFormatArg | null, options?: PoolingOptions]
  | [options: PoolingOptions & { pool_size: number | number[] }];

export type { PoolingOptions as AveragePoolingOptions } from './base_pooling.js';

export class AveragePooling2DLayer extends BasePoolingLayer {
  static readonly class_name = 'AveragePooling2D';

  /**
   * @param pool_size the window: an integer (square) or `[height, width]`; required, as in Keras.
   * @param options.strides the step between windows. Defaults to `pool_size`.
   * @param options.padding `'valid'` (the default) or `'same'`.
   * @param options.data_format `'channels_last'` (the default) or `'channels_first'`.
   */
  constructor(...given: AveragePoolingCallArgs) {
    super('AveragePooling2D', 2, 'average', parseArgs('AveragePooling2D', averagePoolingSchema, POOLING_POSITIONAL, given), 'average_pooling2d');
  }
}

export class AveragePooling1DLayer extends BasePoolingLayer {
  static readonly class_name = 'AveragePooling1D';

  /** As `AveragePooling2D`, on [batch, steps, channels]: `pool_size` and `strides` are integers. */
  constructor(...given: AveragePoolingCallArgs) {
    super('AveragePooling1D', 1, 'average', parseArgs('AveragePooling1D', averagePoolingSchema, POOLING_POSITIONAL, given), 'average_pooling1d');
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
