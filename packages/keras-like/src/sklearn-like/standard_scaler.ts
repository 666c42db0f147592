/**
 * `sklearn.preprocessing.StandardScaler`: z = (x − mean) / std per feature, with the population
 * std (ddof = 0) and a zero std replaced by 1, as scikit-learn does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { TensorInput } from '../backend/math.js';
import { type KerasOptions, parseOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { checkFeatures, notFitted, withMatrix } from './scaler.js';

const schema = z.object({
  with_mean: z.boolean({ message: 'must be a boolean' }).default(true),
  with_std: z.boolean({ message: 'must be a boolean' }).default(true),
  copy: z.boolean({ message: 'must be a boolean' }).default(true),
});
export type StandardScalerOptions = KerasOptions<typeof schema>;

export class StandardScalerClass {
  readonly with_mean: boolean;
  readonly with_std: boolean;
  /** Per-feature mean, variance and scale (std), after `fit`. */
  mean_: tf.Tensor | null = null;
  var_: tf.Tensor | null = null;
  scale_: tf.Tensor | null = null;

  constructor(options?: StandardScalerOptions) {
    ({ with_mean: this.with_mean, with_std: this.with_std } = parseOptions('StandardScaler', schema, options));
  }

  fit(X: TensorInput): this {
    withMatrix('StandardScaler', X, (x) => {
      this.dispose();
      const { mean, variance } = tf.moments(x, 0);
      this.mean_ = mean as tf.Tensor;
      this.var_ = variance as tf.Tensor;
      this.scale_ = tf.tidy(() => {
        const std = tf.sqrt(variance);
        return tf.where(tf.equal(std, 0), tf.onesLike(std), std) as tf.Tensor;
      });
    });
    return this;
  }

  transform(X: TensorInput): tf.Tensor {
    return withMatrix('StandardScaler', X, (x) => {
      if (!this.mean_ || !this.scale_) notFitted('StandardScaler');
      checkFeatures('StandardScaler', x, this.mean_.shape[0]);
      return tf.tidy(() => {
        const centered = this.with_mean ? tf.sub(x, this.mean_!) : x;
        return (this.with_std ? tf.div(centered, this.scale_!) : tf.clone(centered)) as tf.Tensor;
      });
    });
  }

  fit_transform(X: TensorInput): tf.Tensor {
    return this.fit(X).transform(X);
  }

  inverse_transform(X: TensorInput): tf.Tensor {
    return withMatrix('StandardScaler', X, (x) => {
      if (!this.mean_ || !this.scale_) notFitted('StandardScaler');
      return tf.tidy(() => {
        const scaled = this.with_std ? tf.mul(x, this.scale_!) : x;
        return (this.with_mean ? tf.add(scaled, this.mean_!) : tf.clone(scaled)) as tf.Tensor;
      });
    });
  }

  /** Frees the fitted statistics. */
  dispose(): void {
    for (const t of [this.mean_, this.var_, this.scale_]) t?.dispose();
    this.mean_ = this.var_ = this.scale_ = null;
  }
}

export const StandardScaler = callable(StandardScalerClass);
export type StandardScaler = StandardScalerClass;
