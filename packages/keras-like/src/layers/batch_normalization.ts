/**
 * `keras.layers.BatchNormalization`: normalizes each feature (the `axis` channel)
 * to zero mean and unit variance, then scales by `gamma` and shifts by `beta`
 * (Ioffe & Szegedy, 2015), as Keras 3 does:
 *
 *   training:  μ, σ² = mean and (biased) variance of the batch over every axis but `axis`
 *              moving_mean     ← moving_mean · momentum + μ · (1 - momentum)
 *              moving_variance ← moving_variance · momentum + σ² · (1 - momentum)
 *   inference: μ, σ² = moving_mean, moving_variance
 *   x̂ = (x - μ) / √(σ² + ε),   a = γ x̂ + β
 *
 * A frozen layer (`trainable = false`) runs in inference mode even inside `fit`, as in Keras.
 * The moving statistics are non-trainable weights: `summary()` counts them as such.
 *
 * Backward, with N values per feature and dx̂ = ∂C/∂a · γ:
 *   ∂C/∂β = Σ ∂C/∂a,   ∂C/∂γ = Σ ∂C/∂a · x̂
 *   batch statistics:  ∂C/∂x = (1/N) / √(σ² + ε) · (N dx̂ - Σ dx̂ - x̂ Σ(dx̂ · x̂))
 *   moving statistics: ∂C/∂x = dx̂ / √(σ² + ε)
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { callable } from '../utils/callable.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';
import { configOf } from './weight_arguments.js';

const identifier = z.custom<InitializerIdentifier>((v) => v !== undefined, { error: 'must be an initializer name or object' });
const regularizer = z.custom<RegularizerIdentifier | null>(() => true).nullish();
const constraint = z.custom<ConstraintIdentifier | null>(() => true).nullish();

const batchNormalizationSchema = layerSchema.extend({
  axis: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).default(-1),
  // Keras does not check it; a momentum outside [0, 1] makes the moving statistics diverge.
  momentum: z
    .number({ error: 'must be a float between [0, 1]' })
    .min(0, { error: 'must be a float between [0, 1]' })
    .max(1, { error: 'must be a float between [0, 1]' })
    .default(0.99),
  epsilon: z.number({ error: 'must be a positive float' }).positive({ error: 'must be a positive float' }).default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  beta_initializer: identifier.default('zeros'),
  gamma_initializer: identifier.default('ones'),
  moving_mean_initializer: identifier.default('zeros'),
  moving_variance_initializer: identifier.default('ones'),
  beta_regularizer: regularizer,
  gamma_regularizer: regularizer,
  beta_constraint: constraint,
  gamma_constraint: constraint,
  synchronized: z.literal(false, { error: 'is only supported with the TensorFlow backend; keras-like runs on one device' }).default(false),
});

export type BatchNormalizationOptions = KerasOptions<typeof batchNormalizationSchema>;

export interface Saved {
  readonly normalized: tf.Tensor; // x̂
  readonly invStd: tf.Tensor; // 1 / √(σ² + ε), shaped to broadcast over x
  readonly batchStatistics: boolean;
}

export class BatchNormalizationLayer extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  // Resolved at construction, as Keras does: a wrong name fails at the call that gave it.
  readonly beta_initializer;
  readonly gamma_initializer;
  readonly moving_mean_initializer;
  readonly moving_variance_initializer;
  readonly beta_regularizer;
  readonly gamma_regularizer;
  readonly beta_constraint;
  readonly gamma_constraint;
  gamma: tf.Variable | null = null;
  beta: tf.Variable | null = null;
  moving_mean!: tf.Variable;
  moving_variance!: tf.Variable;
  private featureAxis = -1;
  private reductionAxes: number[] = [];

  /**
   * @param options.axis the feature axis, normalized separately per entry. Defaults to -1 (last).
   * @param options.momentum the moving averages' momentum. Defaults to 0.99.
   * @param options.epsilon added to the variance so the division is safe. Defaults to 1e-3.
   * @param options.center learn an offset `beta`. Defaults to true.
   * @param options.scale learn a scale `gamma`. Defaults to true.
   * @param options.beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer
   *   initializers of the four weights. Default to 'zeros', 'ones', 'zeros', 'ones'.
   * @param options.beta_regularizer, gamma_regularizer regularizers of beta and gamma. Default to none.
   * @param options.beta_constraint, gamma_constraint constraints of beta and gamma. Default to none.
   */
  constructor(options?: BatchNormalizationOptions) {
    const args = parseArgs('BatchNormalization', batchNormalizationSchema, [], [options]);
    super(args, 'batch_normalization');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.axis = args.axis;
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
    this.center = args.center;
    this.scale = args.scale;
    this.beta_initializer = getInitializer(args.beta_initializer);
    this.gamma_initializer = getInitializer(args.gamma_initializer);
    this.moving_mean_initializer = getInitializer(args.moving_mean_initializer);
    this.moving_variance_initializer = getInitializer(args.moving_variance_initializer);
    this.beta_regularizer = getRegularizer(args.beta_regularizer);
    this.gamma_regularizer = getRegularizer(args.gamma_regularizer);
    this.beta_constraint = getConstraint(args.beta_constraint);
    this.gamma_constraint = getConstraint(args.gamma_constraint);
  }

  override build(inputShape: Shape): void {
    const rank = inputShape.length;
    this.featureAxis = this.axis < 0 ? rank + this.axis : this.axis;
    const features = inputShape[this.featureAxis];
    if (this.featureAxis < 1 || this.featureAxis >= rank || features === null || features === undefined) {
      throw new ValueError(
        `BatchNormalization: \`axis\` must name a feature axis of known size of the input. ` +
          `Received: axis=${this.axis}, input shape=${shapeText(inputShape)}`,
      );
    }
    const shape = [features];
    if (this.scale) {
      this.gamma = this.add_weight({
        name: 'gamma',
        shape,
        initializer: this.gamma_initializer,
        regularizer: this.gamma_regularizer,
        constraint: this.gamma_constraint,
      });
    }
    if (this.center) {
      this.beta = this.add_weight({
        name: 'beta',
        shape,
        initializer: this.beta_initializer,
        regularizer: this.beta_regularizer,
        constraint: this.beta_constraint,
      });
    }
    this.moving_mean = this.add_weight({ name: 'moving_mean', shape, initializer: this.moving_mean_initializer, trainable: false });
    this.moving_variance = this.add_weight({
      name: 'moving_variance',
      shape,
      initializer: this.moving_variance_initializer,
      trainable: false,
    });
    this.reductionAxes = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== this.featureAxis);
    super.build(inputShape);
  }

  /** `layer.apply(x, { training })`: the forward pass, keeping only its output. */
  override call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, options.training ?? false).outputs);
  }

  override forward(inputs: tf.Tensor, training: boolean): ForwardPass<Saved> {
    const batchStatistics = training && this.trainable;
    const broadcast = inputs.shape.map((size, i) => (i === this.featureAxis ? size : 1));
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (batchStatistics) {
      ({ mean, variance } = tf.moments(inputs, this.reductionAxes, true));
      const m = this.momentum;
      this.moving_mean.assign(tf.tidy(() => tf.add(tf.mul(this.moving_mean, m), tf.mul(tf.reshape(mean, [-1]), 1 - m))));
      this.moving_variance.assign(
        tf.tidy(() => tf.add(tf.mul(this.moving_variance, m), tf.mul(tf.reshape(variance, [-1]), 1 - m))),
      );
    } else {
      mean = tf.reshape(this.moving_mean, broadcast);
      variance = tf.reshape(this.moving_variance, broadcast);
    }
    const invStd = tf.rsqrt(tf.add(variance, this.epsilon));
    const normalized = tf.mul(tf.sub(inputs, mean), invStd);
    let outputs = normalized;
    if (this.gamma) outputs = tf.mul(outputs, tf.reshape(this.gamma, broadcast));
    if (this.beta) outputs = tf.add(outputs, tf.reshape(this.beta, broadcast));
    return { inputs, outputs, saved: { normalized, invStd, batchStatistics } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<Saved>, needInputGradient: boolean): Gradients {
    const { normalized, invStd, batchStatistics } = pass.saved!;
    const axes = this.reductionAxes;
    const weightGradients: tf.Tensor[] = [];
    if (this.trainable) {
      if (this.gamma) weightGradients.push(tf.sum(tf.mul(dOutputs, normalized), axes));
      if (this.beta) weightGradients.push(tf.sum(dOutputs, axes));
    }
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    const broadcast = dOutputs.shape.map((size, i) => (i === this.featureAxis ? size : 1));
    const dNormalized = this.gamma ? tf.mul(dOutputs, tf.reshape(this.gamma, broadcast)) : dOutputs;
    if (!batchStatistics) return { inputGradient: tf.mul(dNormalized, invStd), weightGradients };
    const n = dOutputs.size / dOutputs.shape[this.featureAxis]!;
    const sumD = tf.sum(dNormalized, axes, true);
    const sumDX = tf.sum(tf.mul(dNormalized, normalized), axes, true);
    const inner = tf.sub(tf.sub(tf.mul(dNormalized, n), sumD), tf.mul(normalized, sumDX));
    return { inputGradient: tf.mul(tf.div(invStd, n), inner), weightGradients };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: configOf(this.beta_initializer),
      gamma_initializer: configOf(this.gamma_initializer),
      moving_mean_initializer: configOf(this.moving_mean_initializer),
      moving_variance_initializer: configOf(this.moving_variance_initializer),
      beta_regularizer: configOf(this.beta_regularizer),
      gamma_regularizer: configOf(this.gamma_regularizer),
      beta_constraint: configOf(this.beta_constraint),
      gamma_constraint: configOf(this.gamma_constraint),
      synchronized: false,
      // Keras 3 writes its batch renormalization arguments; keras-like has none (off, as Keras's defaults),
      // and its from_config accepts them at these values only (serialization.ts).
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: 0.99,
    };
  }
}

export const BatchNormalization = callable(BatchNormalizationLayer);
export type BatchNormalization = BatchNormalizationLayer;
