/**
 * Why the optimizer writes new weights as a new tensor (`assign`) and never into the
 * variable's memory in place, on wasm: TensorFlow.js's wasm matMul (XNNPACK) packs its
 * second operand once and keeps the packed copy for as long as that tensor lives. A weight
 * changed in place would be multiplied in its old, packed form by every later product.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, SGD } from '../../src/optimizers/index.js';

/** The wasm backend's view of a tensor's memory (tfjs-backend-wasm 4.x). */
interface HeapViews {
  typedArrayFromHeap(tensor: tf.Tensor): Float32Array;
}

describe('weights written back on wasm', () => {
  const original = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(original);
  });

  it('the premise: an in-place write is invisible to a product that already used the tensor', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3]);
    const w = tf.variable(tf.ones([3, 2]));
    expect(tf.matMul(x, w).dataSync()[0]).toBe(3); // 1·1 + 1·1 + 1·1
    (tf.backend() as unknown as HeapViews).typedArrayFromHeap(w).fill(2);
    expect(w.dataSync()[0]).toBe(2); // the memory changed...
    expect(tf.matMul(x, w).dataSync()[0]).toBe(3); // ...but the product still sees the packed ones (6 if it read them)
    tf.dispose([x, w]);
  });

  it.each([
    ['SGD', () => SGD(0.5)],
    ['Adam', () => Adam(0.5)],
  ])('%s: a product after each step uses the new weights', async (_name, make) => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3]);
    const w = tf.variable(tf.ones([3, 2]));
    const g = tf.ones([3, 2]);
    const optimizer = make();
    for (let step = 0; step < 3; step++) {
      const before = tf.matMul(x, w); // packs w as it is now
      before.dispose();
      optimizer.apply_gradients([[g, w]]);
      const product = tf.matMul(x, w);
      const expected = tf.sum(w, 0); // x is ones: each product entry is a column sum of w
      const got = Array.from(product.dataSync());
      Array.from(expected.dataSync()).forEach((want, i) => expect(got[i]).toBeCloseTo(want, 5));
      tf.dispose([product, expected]);
    }
    // SGD: 1 - 3 · 0.5 = -0.5 per weight; Adam: each step moves a weight by ≈ lr = 0.5 (by
    // 1 - 6e-6 of it: Keras's bias correction takes β₂ᵗ from β₂ as float32, see float32.ts).
    expect(w.dataSync()[0]).toBeCloseTo(-0.5, 4);
    tf.dispose([x, w, g]);
  });
});
