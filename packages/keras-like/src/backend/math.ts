/**
 * The maths functions of Keras's backend module (`from keras import backend as K`)
 * that course notebooks call: `K.tanh(x)`, `K.mean(K.square(y_pred - y_true), axis=-1)`,
 * `K.dot(x, w)`, `K.clip(x, K.epsilon(), 1)`... Each takes a `tf.Tensor`, a number or a
 * nested array, and returns a `tf.Tensor`, as TF2's `tf.keras.backend` did.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';

/** What a Keras function accepts as a tensor: a `tf.Tensor`, a number, a nested array or a TypedArray. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/**
 * Keras's `convert_to_tensor`: a tensor of `dtype` holding `x`. A tensor that already
 * has that dtype is returned as is (not copied), so callers must not dispose the result
 * of converting a tensor they do not own.
 */
export function convertToTensor(x: TensorInput, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  if (x instanceof tf.Tensor) return x.dtype === dtype ? x : tf.cast(x, dtype);
  if (x === null || x === undefined) {
    throw new ValueError(`Expected a tensor, a number or an array. Received: ${String(x)}`);
  }
  return tf.tensor(x, undefined, dtype);
}

function unary(op: (x: tf.Tensor) => tf.Tensor): (x: TensorInput) => tf.Tensor {
  return (x) => tf.tidy(() => op(convertToTensor(x)));
}

/** Hyperbolic tangent, element-wise. */
export const tanh = unary(tf.tanh);
/** Logistic sigmoid `1 / (1 + exp(-x))`, element-wise. */
export const sigmoid = unary(tf.sigmoid);
/** `e^x`, element-wise. */
export const exp = unary(tf.exp);
/** Natural logarithm, element-wise. */
export const log = unary(tf.log);
/** Absolute value, element-wise. */
export const abs = unary(tf.abs);
/** `x²`, element-wise. */
export const square = unary(tf.square);
/** Square root, element-wise; negative inputs are first clipped to 0, as in TF2 Keras. */
export const sqrt = unary((x) => tf.sqrt(tf.maximum(x, 0)));

/**
 * Rectified linear unit, TF2's `K.relu(x, alpha=0., max_value=None, threshold=0)`:
 * `x` above `threshold`, `alpha * (x - threshold)` below, capped at `max_value`.
 */
export function relu(x: TensorInput, alpha = 0, max_value: number | null = null, threshold = 0): tf.Tensor {
  return tf.tidy(() => {
    const t = convertToTensor(x);
    // step(x − threshold) keeps x above the threshold; unlike `greater`, autodiff can follow it.
    let out = threshold === 0 ? tf.relu(t) : tf.mul(t, tf.step(tf.sub(t, threshold)));
    if (max_value !== null) out = tf.clipByValue(out, 0, max_value);
    if (alpha !== 0) out = tf.sub(out, tf.mul(alpha, tf.relu(tf.sub(threshold, t))));
    return out;
  });
}

/** Softmax along `axis` (the last by default). */
export function softmax(x: TensorInput, axis = -1): tf.Tensor {
  return tf.tidy(() => softmaxAlong(convertToTensor(x), axis));
}

/** `tf.softmax` works on the last axis only; other axes use the same stable formula by hand. */
export function softmaxAlong(x: tf.Tensor, axis: number): tf.Tensor {
  const last = x.rank - 1;
  const canonical = axis < 0 ? axis + x.rank : axis;
  if (canonical === last || x.rank === 0) return tf.softmax(x);
  const shifted = tf.exp(tf.sub(x, tf.max(x, canonical, true)));
  return tf.div(shifted, tf.sum(shifted, canonical, true));
}

type Axis = number | number[] | null;

function reduction(op: (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor) {
  return (x: TensorInput, axis: Axis = null, keepdims = false): tf.Tensor =>
    tf.tidy(() => op(convertToTensor(x), axis ?? undefined, keepdims));
}

/** Mean over `axis` (all axes when null), TF2's `K.mean(x, axis=None, keepdims=False)`. */
export const mean = reduction(tf.mean);
/** Sum over `axis` (all axes when null). */
export const sum = reduction(tf.sum);
/** Maximum over `axis` (all axes when null). */
export const max = reduction(tf.max);
/** Minimum over `axis` (all axes when null). */
export const min = reduction(tf.min);

/** Matrix product, `K.dot(x, y)`: for rank > 2 it contracts the last axis of `x` with the second-to-last of `y`. */
export function dot(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const a = convertToTensor(x);
    const b = convertToTensor(y);
    if (a.rank <= 2 && b.rank <= 2) return tf.dot(a, b);
    if (b.rank !== 2) throw new ValueError(`K.dot: \`y\` must have rank 2 when \`x\` has rank ${a.rank}. Received: y.shape=[${b.shape.join(', ')}]`);
    // Flatten the leading axes of x into a matrix, multiply, then restore them.
    const lead = a.shape.slice(0, -1);
    const product = tf.matMul(tf.reshape(a, [-1, a.shape[a.rank - 1]!]), b);
    return tf.reshape(product, [...lead, b.shape[1]!]);
  });
}

/** Transpose, `K.transpose(x)`: reverses the axes. */
export const transpose = unary((x) => tf.transpose(x));

/** Element-wise clip to `[min_value, max_value]`, `K.clip(x, min_value, max_value)`. */
export function clip(x: TensorInput, min_value: number, max_value: number): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(convertToTensor(x), min_value, Math.max(min_value, max_value)));
}

/** Rounds to the nearest integer, halves to even (as TensorFlow does). */
export const round = unary(tf.round);
/** −1, 0 or 1 by the sign of each element. */
export const sign = unary(tf.sign);

/** `x ** a`, element-wise. */
export function pow(x: TensorInput, a: number): tf.Tensor {
  return tf.tidy(() => tf.pow(convertToTensor(x), a));
}

/** Element-wise maximum of two tensors (or a tensor and a number). */
export function maximum(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => tf.maximum(convertToTensor(x), convertToTensor(y)));
}

/** Element-wise minimum of two tensors (or a tensor and a number). */
export function minimum(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => tf.minimum(convertToTensor(x), convertToTensor(y)));
}

/** Element-wise equality, as a boolean tensor. */
export function equal(x: TensorInput, y: TensorInput): tf.Tensor {
  return tf.tidy(() => tf.equal(convertToTensor(x), convertToTensor(y)));
}

/** Index of the largest value along `axis` (defaults to -1). */
export function argmax(x: TensorInput, axis = -1): tf.Tensor {
  return tf.tidy(() => tf.argMax(convertToTensor(x), axis));
}

/** `x` as `dtype` ('float32', 'int32' or 'bool'). */
export function cast(x: TensorInput, dtype: 'float32' | 'int32' | 'bool'): tf.Tensor {
  return tf.tidy(() => tf.cast(convertToTensor(x), dtype));
}

/** Variance over `axis` (all axes when null), TF2's `K.var(x, axis=None, keepdims=False)`. */
export function variance(x: TensorInput, axis: Axis = null, keepdims = false): tf.Tensor {
  return tf.tidy(() => tf.moments(convertToTensor(x), axis ?? undefined, keepdims).variance);
}

/** Standard deviation over `axis` (all axes when null), TF2's `K.std`. */
export function std(x: TensorInput, axis: Axis = null, keepdims = false): tf.Tensor {
  return tf.tidy(() => tf.sqrt(tf.moments(convertToTensor(x), axis ?? undefined, keepdims).variance));
}

/** A tensor's values as nested arrays (TF2's `K.eval` / `K.get_value`, NumPy's array in Python). */
export function get_value(x: tf.Tensor): number | number[] | number[][] | number[][][] | number[][][][] {
  return x.arraySync() as number | number[] | number[][] | number[][][] | number[][][][];
}
