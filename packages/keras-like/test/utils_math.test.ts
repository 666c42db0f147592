import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import * as K from '../src/backend/math.js';
import { normalize, to_categorical } from '../src/utils/index.js';

function close(t: tf.Tensor, expected: number[], tol = 1e-6): void {
  const got = Array.from(t.dataSync());
  t.dispose();
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]!)).toBeLessThanOrEqual(tol));
}

describe('keras.utils.to_categorical', () => {
  it("matches Keras's docstring example", () => {
    const a = to_categorical([0, 1, 2, 3], { num_classes: 4 });
    expect(a.dtype).toBe('float32');
    expect(a.arraySync()).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  });
  it('infers the number of classes, squeezes a trailing 1 and keeps other axes', () => {
    expect(to_categorical([[2], [0]]).arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(to_categorical(tf.tensor([1, 0], undefined, 'int32'), 3).arraySync()).toEqual([[0, 1, 0], [1, 0, 0]]);
    expect(to_categorical([[0, 1], [1, 1]]).shape).toEqual([2, 2, 2]);
    expect(keras.utils.to_categorical(new Float32Array([1, 1, 0])).arraySync()).toEqual([[0, 1], [0, 1], [1, 0]]);
  });
  it('rejects indices that are not classes', () => {
    expect(() => to_categorical([0, 4], 3)).toThrow('to_categorical: class indices must be integers in [0, 3). Received: y[1]=4');
    expect(() => to_categorical([0.5])).toThrow('Received: y[0]=0.5');
    expect(() => to_categorical([-1, 0])).toThrow('Received: y[0]=-1');
    expect(() => to_categorical([0], { num_classes: 0 })).toThrow('to_categorical: `num_classes` must be a positive integer or null. Received: num_classes=0');
  });
});

describe('keras.utils.normalize', () => {
  it('scales rows to unit L2 norm and leaves zero rows alone', () => {
    // [3, 4] has norm 5.
    close(normalize([[3, 4], [0, 0]]), [0.6, 0.8, 0, 0]);
  });
  it('takes axis and order', () => {
    // Columns [3, 0] and [4, 2]: L1 norms 3 and 6.
    close(normalize([[3, 4], [0, 2]], { axis: 0, order: 1 }), [1, 4 / 6, 0, 2 / 6]);
    close(normalize([1, -1, 2], -1, 1), [0.25, -0.25, 0.5]);
  });
  it('validates its arguments', () => {
    expect(() => normalize([1], { order: 0 })).toThrow('normalize: `order` must be an int >= 1. Received: order=0');
    expect(() => normalize([1], { axis: 0.5 })).toThrow('normalize: `axis` must be an integer');
  });
});

describe('Keras backend maths (K)', () => {
  it('element-wise functions on arrays and tensors', () => {
    close(K.tanh([0, 1]), [0, Math.tanh(1)]);
    close(K.sigmoid(tf.tensor([0])), [0.5]);
    close(K.exp([1]), [Math.E], 1e-6);
    close(K.log([Math.E]), [1]);
    close(K.abs([-2, 3]), [2, 3]);
    close(K.square([-3]), [9]);
    // TF2's K.sqrt clips negatives to 0 first.
    close(K.sqrt([4, -1]), [2, 0]);
    close(K.clip([-1, 0.5, 2], 0, 1), [0, 0.5, 1]);
    expect(keras.backend.epsilon()).toBe(1e-7);
  });
  it('relu with alpha, max_value and threshold as TF2', () => {
    close(K.relu([-10, -5, 0, 5, 10]), [0, 0, 0, 5, 10]);
    close(K.relu([-10, -5, 0, 5, 10], 0.5), [-5, -2.5, 0, 5, 10]);
    close(K.relu([-10, -5, 0, 5, 10], 0, 5), [0, 0, 0, 5, 5]);
    close(K.relu([-10, -5, 0, 5, 10], 0, null, 5), [0, 0, 0, 0, 10]);
  });
  it('reductions with axis and keepdims', () => {
    const x = [[1, 2], [3, 6]];
    close(K.mean(x), [3]);
    close(K.mean(x, -1), [1.5, 4.5]);
    expect(K.sum(x, 0, true).shape).toEqual([1, 2]);
    close(K.sum(x, 0, true), [4, 8]);
    close(K.max(x, 1), [2, 6]);
    close(K.min(x), [1]);
    close(K.softmax([[0, Math.log(3)]]), [0.25, 0.75]);
  });
  it('dot and transpose', () => {
    close(K.dot([[1, 2], [3, 4]], [[1], [1]]), [3, 7]);
    // Rank 3 × rank 2 contracts the last axis: each [1, 2] row times [[1], [1]].
    const batched = K.dot([[[1, 2]], [[3, 4]]], [[1], [1]]);
    expect(batched.shape).toEqual([2, 1, 1]);
    close(batched, [3, 7]);
    close(K.transpose([[1, 2, 3]]), [1, 2, 3]);
    expect(K.transpose([[1, 2, 3]]).shape).toEqual([3, 1]);
  });
  it('are exposed as keras.backend.*', () => {
    close(keras.backend.mean(keras.backend.square([1, 3])), [5]);
  });
  it('the helpers custom losses and metrics use', () => {
    const K2 = keras.backend;
    // Rounds half to even, as TensorFlow: 0.5 → 0, 1.5 → 2.
    close(K2.round([0.5, 1.5, 2.4]), [0, 2, 2]);
    close(K2.sign([-2, 0, 3]), [-1, 0, 1]);
    close(K2.pow([2, 3], 2), [4, 9]);
    close(K2.maximum([1, 5], [3, 2]), [3, 5]);
    close(K2.minimum([1, 5], 2), [1, 2]);
    expect(K2.equal([1, 2], [1, 3]).arraySync()).toEqual([1, 0]);
    expect(K2.argmax([[0.1, 0.7, 0.2]]).arraySync()).toEqual([1]);
    expect(K2.cast([1.7], 'int32').dtype).toBe('int32');
    // [1, 2, 3, 4]: mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    close(K2.var([1, 2, 3, 4]), [1.25]);
    close(K2.std([[1, 2, 3, 4]], -1), [Math.sqrt(1.25)]);
    expect(K2.eval(tf.tensor([[1, 2]]))).toEqual([[1, 2]]);
    // A classic custom metric: recall from K.sum(K.round(K.clip(y_true * y_pred, 0, 1))).
    const truePositives = K2.sum(K2.round(K2.clip(tf.mul([1, 1, 0], [0.9, 0.2, 0.8]), 0, 1)));
    close(truePositives, [1]);
  });
});

describe('tensor hygiene', () => {
  it('K functions, to_categorical and normalize leave only their results behind', () => {
    const x = tf.tensor([[1, -2], [3, 4]]);
    const labels = tf.tensor([0, 2]);
    const before = tf.memory().numTensors;
    tf.dispose([
      K.relu(x, 0.1, 3, 0.5), K.softmax(x, 0), K.dot(x, x), K.sqrt(x), K.clip(x, 0, 1), K.mean(x, 1),
      to_categorical(labels), normalize(x, 0, 1),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels]);
  });
});
