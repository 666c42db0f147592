/**
 * `sklearn.preprocessing.MinMaxScaler(feature_range=(min, max))`: each feature mapped linearly
 * so that its training minimum goes to `min` and maximum to `max`:
 * scale_ = (max − min) / (data_max − data_min) (a zero range counts as 1), min_ = min − data_min·scale_,
 * x' = x·scale_ + min_.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { TensorInput } from '../backend/math.js';
import { type KerasOptions, parseOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { checkFeatures, notFitted, withMatrix } from './scaler.js';

const schema = z.object({
  feature_range: z
    .tuple([z.number(), z.number()], { message: 'must be a pair (min, max) with min < max' })
    .refine(([a, b]) => a < b, { message: 'must be a pair (min, max) with min < max' })
    .default([0, 1]),
  copy: z.boolean({ message: 'must be a boolean' }).default(true),
  clip: z.boolean({ message: 'must be a boolean' }).default(false),
});
export type MinMaxScalerOptions = KerasOptions<typeof schema>;

export class MinMaxScalerClass {
  readonly feature_range: [number, number];
  readonly clip: boolean;
  data_min_: tf.Tensor | null = null;
  data_max_: tf.Tensor | null = null;
  scale_: tf.Tensor | null = null;
  min_: tf.Tensor | null = null;

  constructor(options?: MinMaxScalerOptions) {
    ({ feature_range: this.feature_range, clip: this.clip } = parseOptions('MinMaxScaler', schema, options));
  }

  fit(X: TensorInput): this {
    withMatrix('MinMaxScaler', X, (x) => {
      this.dispose();
      const [low, high] = this.feature_range;
      this.data_min_ = tf.min(x, 0) as tf.Tensor;
      this.data_max_ = tf.max(x, 0) as tf.Tensor;
      this.scale_ = tf.tidy(() => {
        const range = tf.sub(this.data_max_!, this.data_min_!);
        return tf.div(high - low, tf.where(tf.equal(range, 0), tf.onesLike(range), range)) as tf.Tensor;
      });
      this.min_ = tf.tidy(() => tf.sub(low, tf.mul(this.data_min_!, this.scale_!)));
    });
    return this;
  }

  transform(X: TensorInput): tf.Tensor {
    return withMatrix('MinMaxScaler', X, (x) => {
      if (!this.scale_ || !this.min_) notFitted('MinMaxScaler');
      checkFeatures('MinMaxScaler', x, this.scale_.shape[0]);
      return tf.tidy(() => {
        const y = tf.add(tf.mul(x, this.scale_!), this.min_!);
        return (this.clip ? tf.clipByValue(y, this.feature_range[0], this.feature_range[1]) : y) as tf.Tensor;
      });
    });
  }

  fit_transform(X: TensorInput): tf.Tensor {
    return this.fit(X).transform(X);
  }

  inverse_transform(X: TensorInput): tf.Tensor {
    return withMatrix('MinMaxScaler', X, (x) => {
      if (!this.scale_ || !this.min_) notFitted('MinMaxScaler');
      return tf.tidy(() => tf.div(tf.sub(x, this.min_!), this.scale_!));
    });
  }

  dispose(): void {
    for (const t of [this.data_min_, this.data_max_, this.scale_, this.min_]) t?.dispose();
    this.data_min_ = this.data_max_ = this.scale_ = this.min_ = null;
  }
}

export const MinMaxScaler = callable(MinMaxScalerClass);
export type MinMaxScaler = MinMaxScalerClass;
