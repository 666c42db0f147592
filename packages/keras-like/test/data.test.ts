import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { assertSameLength, toModelData, toTensor } from '../src/utils/data.js';

describe('toTensor', () => {
  it('reads nested arrays, TypedArrays and tensors as float32', () => {
    const a = toTensor([[1, 2], [3, 4]], 'x');
    expect(a.shape).toEqual([2, 2]);
    expect(a.dtype).toBe('float32');
    expect(a.arraySync()).toEqual([[1, 2], [3, 4]]);
    const b = toTensor(new Float64Array([1, 2, 3]), 'x');
    expect(b.shape).toEqual([3]);
    const int = tf.tensor1d([1, 2], 'int32');
    const c = toTensor(int, 'x');
    expect(c.dtype).toBe('float32');
    const same = tf.tensor1d([1]);
    expect(toTensor(same, 'x')).toBe(same);
    tf.dispose([a, b, c, int, same]);
  });

  it('names the row of a ragged array', () => {
    expect(() => toTensor([[1, 2], [3]], 'x')).toThrow('`x` is a ragged array: x[1] has length 1, but x[0] has length 2. Every row must have the same length.');
    expect(() => toTensor([[1, 2], 3] as never, 'x')).toThrow('`x` is a ragged array: x[1] is 3, but other entries at that depth are arrays.');
  });

  it('names the position of a string', () => {
    expect(() => toTensor([[1, 'a']] as never, 'x')).toThrow("`x` must hold only numbers, but x[0][1] is 'a'.");
  });
});

describe('toModelData', () => {
  it('reads a 1-D array as a column when the model side has one feature, as TF2 Keras did', () => {
    const column = toModelData([1, 2, 3], 'y', 1);
    expect(column.shape).toEqual([3, 1]);
    const labels = toModelData([1, 2, 3], 'y', 10);
    expect(labels.shape).toEqual([3]);
    tf.dispose([column, labels]);
  });

  it('rejects NaN and Infinity, naming the position', () => {
    expect(() => toModelData([[1, 2], [NaN, 4]], 'x', 2)).toThrow('`x` contains NaN at [1][0]; training on it would give NaN.');
    expect(() => toModelData(tf.tensor1d([1, Infinity]), 'y', 1)).toThrow('`y` contains Infinity at [1]');
  });

  it('rejects empty data and scalars', () => {
    expect(() => toModelData([], 'x', 1)).toThrow('`x` is empty: it must have at least one sample.');
    expect(() => toModelData(3, 'x', 1)).toThrow('`x` must have a batch axis');
  });

  it('does not leak tensors, even when it throws', () => {
    const before = tf.memory().numTensors;
    expect(() => toModelData([[1, NaN]], 'x', 2)).toThrow();
    toModelData([1, 2], 'x', 1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('assertSameLength', () => {
  it("uses Keras's cardinality message", () => {
    const x = tf.zeros([3, 2]);
    const y = tf.zeros([2, 1]);
    expect(() => assertSameLength(x, y)).toThrow('Data cardinality is ambiguous: x sizes: 3, y sizes: 2. Make sure all arrays contain the same number of samples.');
    tf.dispose([x, y]);
  });
});
