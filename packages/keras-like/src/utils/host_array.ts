/**
 * Data given to the data utilities (`TimeseriesGenerator`, `timeseries_dataset_from_array`),
 * read to the host once as float32 values with their shape, so each batch is cut by index
 * arithmetic instead of one kernel per window.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { toTensor, type TensorLike } from './data.js';

export interface HostArray {
  readonly values: Float32Array;
  /** Axis 0 is time (or samples); the rest is one step's shape. */
  readonly shape: readonly number[];
  /** Values per step: the product of `shape[1:]`. */
  readonly stepSize: number;
}

/** `value` as a host array of rank ≥ 1; `what` names the argument in messages. */
export function readHostArray(value: TensorLike, what: string): HostArray {
  const tensor = toTensor(value, what);
  try {
    if (tensor.rank === 0) throw new ValueError(`\`${what}\` must have at least one axis (axis 0 is time). Received a scalar.`);
    const shape = tensor.shape;
    return { values: Float32Array.from(tensor.dataSync()), shape, stepSize: shape.slice(1).reduce((a, b) => a * b, 1) };
  } finally {
    if (tensor !== value) tensor.dispose();
  }
}

/** A float32 tensor [rows.length, ...stepShape] of the steps `rows` of `array`. */
export function gatherSteps(array: HostArray, rows: readonly number[]): tf.Tensor {
  const out = new Float32Array(rows.length * array.stepSize);
  rows.forEach((row, i) => out.set(array.values.subarray(row * array.stepSize, (row + 1) * array.stepSize), i * array.stepSize));
  return tf.tensor(out, [rows.length, ...array.shape.slice(1)], 'float32');
}

/** A float32 tensor [windows.length, window length, ...stepShape] of windows of steps. */
export function gatherWindows(array: HostArray, windows: readonly (readonly number[])[]): tf.Tensor {
  const steps = windows[0]?.length ?? 0;
  const out = new Float32Array(windows.length * steps * array.stepSize);
  let at = 0;
  for (const window of windows) {
    for (const row of window) {
      out.set(array.values.subarray(row * array.stepSize, (row + 1) * array.stepSize), at);
      at += array.stepSize;
    }
  }
  return tf.tensor(out, [windows.length, steps, ...array.shape.slice(1)], 'float32');
}
