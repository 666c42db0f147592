/**
 * `keras.activations.*`: Keras 3's activation functions, callable on a tensor, a
 * number or a nested array, with Keras's keyword arguments in one trailing object:
 *
 *   keras.activations.relu(x, { negative_slope: 0.1, max_value: 6 })
 *   keras.activations.relu(x, { alpha: 0.1 })       // Keras 2's name for negative_slope
 *
 * Each returns a new `tf.Tensor`. The engine does not call these: it uses the
 * `Activation` objects of ./builtins.ts, which pair each forward with its derivative.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { convertToTensor, relu as backendRelu, softmaxAlong, type TensorInput } from '../backend/math.js';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { celuOf, geluErf, hardShrinkOf, hardSigmoidOf, seluOf, sparsePlusOf, squareplusOf } from './formulas.js';

function apply(x: TensorInput, op: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => op(convertToTensor(x)));
}

/** Keras 3's `negative_slope`, or Keras 2's `alpha` for the same thing; not both. */
function slopeOf(owner: string, o: { negative_slope?: number | undefined; alpha?: number | undefined }, defaultSlope: number): number {
  if (o.negative_slope !== undefined && o.alpha !== undefined) {
    throw new ValueError(`${owner}: \`negative_slope\` and \`alpha\` are the same argument (Keras 3 and Keras 2 names); give only one.`);
  }
  return o.negative_slope ?? o.alpha ?? defaultSlope;
}

const reluSchema = z.object({
  negative_slope: z.number({ message: 'must be a float' }).optional(),
  alpha: z.number({ message: 'must be a float' }).optional(),
  // As Keras's ReLU layer checks it; a negative cap would reach tf.clipByValue and fail there, in tfjs's words.
  max_value: z.number({ message: 'must be a float or null' }).min(0, { message: 'must be a non-negative float or null' }).nullable().default(null),
  threshold: z.number({ message: 'must be a float' }).default(0),
});
/** Keyword arguments of `relu`. */
export type ReluOptions = KerasOptions<typeof reluSchema>;

/**
 * Rectified linear unit: `max(x, 0)` by default.
 *
 * Args (Keras 3): `negative_slope` slope below the threshold (defaults to 0; Keras 2 called
 * it `alpha`, accepted here too), `max_value` the saturation value (defaults to null, no
 * cap), `threshold` below which values are damped or zeroed (defaults to 0).
 */
export function relu(x: TensorInput, ...args: [ReluOptions?] | [number, (number | null)?, number?]): tf.Tensor {
  if (args.length === 0 || args[0] === undefined) return apply(x, tf.relu);
  const o = parseArgs('relu', reluSchema, ['negative_slope', 'max_value', 'threshold'], args);
  return backendRelu(x, slopeOf('relu', o, 0), o.max_value, o.threshold);
}

const leakySchema = z.object({
  negative_slope: z.number({ message: 'must be a float' }).optional(),
  alpha: z.number({ message: 'must be a float' }).optional(),
});
/** Keyword arguments of `leaky_relu`. */
export type LeakyReluOptions = KerasOptions<typeof leakySchema>;

/** Leaky ReLU: `x` for `x > 0`, `negative_slope * x` otherwise. `negative_slope` (Keras 2: `alpha`) defaults to 0.2. */
export function leaky_relu(x: TensorInput, options?: LeakyReluOptions | number): tf.Tensor {
  const slope = slopeOf('leaky_relu', parseArgs('leaky_relu', leakySchema, ['negative_slope'], [options]), 0.2);
  return apply(x, (t) => tf.leakyRelu(t, slope));
}

/** `min(max(x, 0), 6)`. */
export function relu6(x: TensorInput): tf.Tensor {
  return apply(x, tf.relu6);
}

/** Logistic sigmoid `1 / (1 + exp(-x))`. */
export function sigmoid(x: TensorInput): tf.Tensor {
  return apply(x, tf.sigmoid);
}

/** Hyperbolic tangent. */
export function tanh(x: TensorInput): tf.Tensor {
  return apply(x, tf.tanh);
}

const axisSchema = z.object({ axis: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(-1) });
/** Keyword arguments of `softmax` and `log_softmax`. */
export type AxisOptions = KerasOptions<typeof axisSchema>;

/** Softmax `exp(x) / sum(exp(x))` along `axis` (defaults to -1, the last axis). */
export function softmax(x: TensorInput, options?: AxisOptions | number): tf.Tensor {
  const { axis } = parseArgs('softmax', axisSchema, ['axis'], [options]);
  return apply(x, (t) => softmaxAlong(t, axis));
}

/** `log(softmax(x))` along `axis` (defaults to -1), computed stably as `x - logsumexp(x)`. */
export function log_softmax(x: TensorInput, options?: AxisOptions | number): tf.Tensor {
  const { axis } = parseArgs('log_softmax', axisSchema, ['axis'], [options]);
  // Keras's (z − max) − log Σ exp(z − max) on every axis: its float32 roundings where the result cancels near 0.
  return apply(x, (t) => {
    const shifted = tf.sub(t, tf.max(t, axis, true));
    return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
  });
}

const eluSchema = z.object({ alpha: z.number({ message: 'must be a float' }).default(1) });
/** Keyword arguments of `elu`. */
export type EluOptions = KerasOptions<typeof eluSchema>;

/** Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise; `alpha` defaults to 1. */
export function elu(x: TensorInput, options?: EluOptions | number): tf.Tensor {
  const { alpha } = parseArgs('elu', eluSchema, ['alpha'], [options]);
  // alpha·elu(x) + (1 − alpha)·relu(x) is x above 0 and alpha(e^x − 1) below, without a `where` autodiff cannot follow.
  return apply(x, (t) => (alpha === 1 ? tf.elu(t) : tf.add(tf.mul(tf.elu(t), alpha), tf.mul(tf.relu(t), 1 - alpha))));
}

/** Scaled ELU: `scale * elu(x, alpha)` with `alpha = 1.67326324` and `scale = 1.05070098`. */
export function selu(x: TensorInput): tf.Tensor {
  return apply(x, seluOf);
}

/** `log(exp(x) + 1)`. */
export function softplus(x: TensorInput): tf.Tensor {
  return apply(x, tf.softplus);
}

/** `x / (abs(x) + 1)`. */
export function softsign(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.div(t, tf.add(tf.abs(t), 1)));
}

/** `exp(x)`. */
export function exponential(x: TensorInput): tf.Tensor {
  return apply(x, tf.exp);
}

/** The identity (Keras's default: no activation). Returns a new tensor holding `x`. */
export function linear(x: TensorInput): tf.Tensor {
  return apply(x, (t) => t.clone());
}

/** Keras 3's hard sigmoid: `relu6(x + 3) / 6`, i.e. 0 below -3, 1 above 3, `x / 6 + 0.5` between. */
export function hard_sigmoid(x: TensorInput): tf.Tensor {
  return apply(x, hardSigmoidOf);
}

/** Hard SiLU (hard swish): `x * hard_sigmoid(x)`. */
export function hard_silu(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.mul(t, hardSigmoidOf(t)));
}
export { hard_silu as hard_swish };

/** SiLU (swish): `x * sigmoid(x)`. */
export function silu(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.mul(t, tf.sigmoid(t)));
}
export { silu as swish };

const geluSchema = z.object({ approximate: z.boolean({ message: 'must be a boolean' }).default(false) });
/** Keyword arguments of `gelu`. */
export type GeluOptions = KerasOptions<typeof geluSchema>;

/**
 * Gaussian error linear unit `x * P(X <= x)`, X ~ N(0, 1): `0.5 * x * (1 + erf(x / sqrt(2)))`.
 * With `approximate: true`, the tanh form `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`.
 * `approximate` defaults to false, as in `keras.activations.gelu`.
 */
export function gelu(x: TensorInput, options?: GeluOptions | boolean): tf.Tensor {
  const { approximate } = parseArgs('gelu', geluSchema, ['approximate'], [options]);
  return apply(x, (t) => (approximate ? geluTanh(t) : geluErf(t)));
}

function geluTanh(t: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(t, tf.mul(0.044715, tf.pow(t, 3))));
  return tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(inner)));
}

/** Mish: `x * tanh(softplus(x))`. */
export function mish(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.mul(t, tf.tanh(tf.softplus(t))));
}

/** `log(sigmoid(x))`, computed stably. */
export function log_sigmoid(x: TensorInput): tf.Tensor {
  return apply(x, tf.logSigmoid);
}

const celuSchema = z.object({ alpha: z.number({ message: 'must be a float' }).positive({ message: 'must be > 0' }).default(1) });
/** Keyword arguments of `celu`. */
export type CeluOptions = KerasOptions<typeof celuSchema>;

/** Continuously differentiable ELU: `x` for `x >= 0`, `alpha * (exp(x / alpha) - 1)` otherwise; `alpha` defaults to 1. */
export function celu(x: TensorInput, options?: CeluOptions | number): tf.Tensor {
  const { alpha } = parseArgs('celu', celuSchema, ['alpha'], [options]);
  return apply(x, (t) => celuOf(t, alpha));
}

/** `clip(x, -1, 1)`. */
export function hard_tanh(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.clipByValue(t, -1, 1));
}

/** `x - tanh(x)`. */
export function tanh_shrink(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.sub(t, tf.tanh(t)));
}

const shrinkSchema = z.object({ threshold: z.number({ message: 'must be a float' }).min(0, { message: 'must be >= 0' }).default(0.5) });
/** Keyword arguments of `hard_shrink` and `soft_shrink`. */
export type ShrinkOptions = KerasOptions<typeof shrinkSchema>;

/** `x` where `|x| > threshold`, else 0; `threshold` defaults to 0.5. */
export function hard_shrink(x: TensorInput, options?: ShrinkOptions | number): tf.Tensor {
  const { threshold } = parseArgs('hard_shrink', shrinkSchema, ['threshold'], [options]);
  return apply(x, (t) => hardShrinkOf(t, threshold));
}

/** `x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0; `threshold` defaults to 0.5. */
export function soft_shrink(x: TensorInput, options?: ShrinkOptions | number): tf.Tensor {
  const { threshold } = parseArgs('soft_shrink', shrinkSchema, ['threshold'], [options]);
  return apply(x, (t) => tf.sub(t, tf.clipByValue(t, -threshold, threshold)));
}

/** 0 for `x <= -1`, `(x + 1)^2 / 4` for `-1 < x < 1`, `x` for `x >= 1`. */
export function sparse_plus(x: TensorInput): tf.Tensor {
  return apply(x, sparsePlusOf);
}

/** 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`. */
export function sparse_sigmoid(x: TensorInput): tf.Tensor {
  return apply(x, (t) => tf.clipByValue(tf.mul(tf.add(t, 1), 0.5), 0, 1));
}

const squareplusSchema = z.object({ b: z.number({ message: 'must be a float' }).min(0, { message: 'must be >= 0' }).default(4) });
/** Keyword arguments of `squareplus`. */
export type SquareplusOptions = KerasOptions<typeof squareplusSchema>;

/** `(x + sqrt(x^2 + b)) / 2`, a smooth ReLU; `b` defaults to 4. */
export function squareplus(x: TensorInput, options?: SquareplusOptions | number): tf.Tensor {
  const { b } = parseArgs('squareplus', squareplusSchema, ['b'], [options]);
  return apply(x, (t) => squareplusOf(t, b));
}

