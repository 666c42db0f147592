/**
 * Turning what a user passes as data (`x`, `y`, `validation_data`, sample weights,
 * weights for `set_weights`) into float32 tensors, with a clear message for what
 * cannot be read: ragged rows, strings, NaN/Infinity, empty data, x/y length mismatch.
 * Nothing is trained on data it could not read (PORTING_SPEC §6).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';

export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | Uint8ClampedArray;
/** Numbers nested to any depth: `[1, 2]`, `[[1, 2], [3, 4]]`... */
export type NestedNumbers = number | boolean | readonly NestedNumbers[];
/** Anything keras-like reads as a tensor. */
export type TensorLike = tf.Tensor | TypedArray | NestedNumbers;

/**
 * A float32 tensor for `value`. Returns `value` itself when it is already a float32
 * tensor (callers dispose the result only when it is a different object).
 * `what` names the argument in messages (`'x'`, `'validation_data[1]'`).
 */
export function toTensor(value: TensorLike, what: string): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new ValueError(`\`${what}\` is a disposed tensor.`);
    if (value.dtype === 'string' || value.dtype === 'complex64') {
      throw new ValueError(`\`${what}\` must hold numbers. Received a tensor of dtype ${value.dtype}.`);
    }
    return value.dtype === 'float32' ? value : tf.cast(value, 'float32');
  }
  if (ArrayBuffer.isView(value)) {
    return tf.tensor1d(Float32Array.from(value as ArrayLike<number>), 'float32');
  }
  if (typeof value === 'number' || typeof value === 'boolean') return tf.scalar(Number(value), 'float32');
  if (Array.isArray(value)) {
    const shape = arrayShape(value);
    const flat = new Float32Array(shape.reduce((a, b) => a * b, 1));
    flatten(value, shape, 0, flat, { offset: 0 }, what, []);
    return tf.tensor(flat, shape, 'float32');
  }
  throw new ValueError(`\`${what}\` must be a tf.Tensor, an array of numbers or a TypedArray. Received: ${repr(value)}`);
}

/** Throws when a tensor holds NaN or Infinity, naming the first bad position. One host read. */
export function assertFinite(tensor: tf.Tensor, what: string): void {
  const values = tensor.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new ValueError(
        `\`${what}\` contains ${String(values[i])} at ${indexText(i, tensor.shape)}; training on it would give NaN. ` +
          'Clean or impute the data first.',
      );
    }
  }
}

/**
 * Reads `x`, `y` or a sample weight for a model: a float32 tensor with at least one
 * sample, finite, with a 1-D array read as a column when the model's side has one
 * feature (`features === 1`), as TF2 Keras did.
 */
export function toModelData(value: TensorLike, what: string, features: number | null | undefined): tf.Tensor {
  if (value === undefined || value === null) throw new ValueError(`\`${what}\` must be given. Received: ${what}=${repr(value)}`);
  const tensor = toTensor(value, what);
  try {
    if (tensor.rank === 0) throw new ValueError(`\`${what}\` must have a batch axis (at least 1-D). Received a scalar.`);
    if (tensor.shape[0] === 0) throw new ValueError(`\`${what}\` is empty: it must have at least one sample. Received shape ${JSON.stringify(tensor.shape)}.`);
    assertFinite(tensor, what);
  } catch (error) {
    if (tensor !== value) tensor.dispose();
    throw error;
  }
  if (tensor.rank === 1 && features === 1) {
    const column = tf.reshape(tensor, [tensor.shape[0]!, 1]);
    if (tensor !== value) tensor.dispose();
    return column;
  }
  return tensor === value ? tensor.clone() : tensor;
}

/** Throws Keras's message when `x` and `y` have different numbers of samples. */
export function assertSameLength(x: tf.Tensor, y: tf.Tensor, xName = 'x', yName = 'y'): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ValueError(
      `Data cardinality is ambiguous: ${xName} sizes: ${x.shape[0]}, ${yName} sizes: ${y.shape[0]}. ` +
        'Make sure all arrays contain the same number of samples.',
    );
  }
}

function arrayShape(value: readonly NestedNumbers[]): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = (level as readonly NestedNumbers[])[0]!;
  }
  return shape;
}

function flatten(
  value: NestedNumbers,
  shape: readonly number[],
  depth: number,
  out: Float32Array,
  cursor: { offset: number },
  what: string,
  path: number[],
): void {
  if (depth === shape.length) {
    if (typeof value === 'number') out[cursor.offset++] = value;
    else if (typeof value === 'boolean') out[cursor.offset++] = value ? 1 : 0;
    else if (Array.isArray(value)) throw ragged(what, path, 'an array', 'numbers');
    else {
      throw new ValueError(
        `\`${what}\` must hold only numbers, but ${what}${pathText(path)} is ${repr(value)}. ` +
          'Convert the column to numbers first (e.g. with Number(...) or a category → index map).',
      );
    }
    return;
  }
  if (!Array.isArray(value)) throw ragged(what, path, repr(value), 'arrays');
  if (value.length !== shape[depth]) {
    throw new ValueError(
      `\`${what}\` is a ragged array: ${what}${pathText(path)} has length ${value.length}, but ` +
        `${what}${pathText(path.map(() => 0))} has length ${shape[depth]}. Every row must have the same length.`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    flatten((value as readonly NestedNumbers[])[i]!, shape, depth + 1, out, cursor, what, path);
    path.pop();
  }
}

function ragged(what: string, path: number[], found: string, expected: 'numbers' | 'arrays'): ValueError {
  return new ValueError(
    `\`${what}\` is a ragged array: ${what}${pathText(path)} is ${found}, but other entries at that depth ` +
      `are ${expected}. Every row must have the same length.`,
  );
}

function pathText(path: readonly number[]): string {
  return path.map((i) => `[${i}]`).join('');
}

function indexText(flatIndex: number, shape: readonly number[]): string {
  const index: number[] = [];
  let rest = flatIndex;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]!);
    rest = Math.floor(rest / shape[axis]!);
  }
  return pathText(index) || '[]';
}
