/**
 * `fit` against Keras 3 through what it reduces to (test/fixtures/keras/fit.json, written by
 * scripts/keras-golden/fit.py). Keras's NumPy backend cannot take gradients, so the fixture
 * holds, for each batch in order, Keras's loss at the current weights, the gradient by
 * back-propagation written out in NumPy, and Keras's optimizer step with it. Here:
 * 1. those gradients are checked against TensorFlow.js autodiff at the same weights, so Keras's
 *    optimizer was fed the true gradients of its loss;
 * 2. keras-like's `fit` (shuffle off, batch_size 4 on 10 samples, 3 epochs) is run with the same
 *    initial weights, and its weights after every step, its batch logs (the running mean of the
 *    epoch's batch losses, as Keras 3's loss tracker reports) and each epoch's loss are compared.
 */
import 'keras-like'; // tfjs-core's gradients, for the autodiff check
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import { LambdaCallback } from '../../src/callbacks/index.js';
import { Dense } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/index.js';
import * as optimizers from '../../src/optimizers/index.js';
import type { Optimizer } from '../../src/optimizers/base.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

interface FitStep {
  loss: number;
  weights_before: GoldenTensor[];
  gradients: GoldenTensor[];
  weights_after: GoldenTensor[];
}

interface FitCase extends GoldenCase {
  optimizer: { class_name: string; kwargs: Record<string, unknown> };
  x: GoldenTensor;
  y: GoldenTensor;
  initial_weights: GoldenTensor[];
  batch_size: number;
  epochs: number;
  steps: FitStep[];
  epoch_losses: number[];
}

const fixture = loadFixture<FitCase>('fit');
reportWorstErrors('fit');

/** Mean binary crossentropy of the fixture's net, written as ops for autodiff. */
function loss(x: tf.Tensor, y: tf.Tensor, [w1, b1, w2, b2]: tf.Tensor[]): tf.Scalar {
  const p = tf.sigmoid(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1!), b1!)), w2!), b2!));
  return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
}

describe('fit matches Keras 3 fed the same gradients', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const tolerance = c.tolerance ?? fixture.tolerance;
    const [x, y] = [toTensor(c.x), toTensor(c.y)];
    const batches = Math.ceil(x.shape[0]! / c.batch_size);

    // 1. The fixture's gradients are the gradients of Keras's loss (TensorFlow.js autodiff).
    c.steps.forEach((step, i) => {
      tf.tidy(() => {
        const start = (i % batches) * c.batch_size;
        const size = Math.min(c.batch_size, x.shape[0]! - start);
        const [xb, yb] = [tf.slice(x, [start, 0], [size, -1]), tf.slice(y, [start, 0], [size, -1])];
        const weights = step.weights_before.map(toTensor);
        const { value, grads } = tf.valueAndGrads((...w: tf.Tensor[]) => loss(xb, yb, w))(weights);
        expectGolden('fit', c.name, `step ${i + 1} loss (autodiff net)`, value, step.loss, { rtol: 1e-6, floor: 1e-3 });
        grads.forEach((g, j) => expectGolden('fit', c.name, `step ${i + 1} gradient ${j} vs autodiff`, g, step.gradients[j]!, { rtol: 1e-5, floor: 1e-2 }));
      });
    });

    // 2. keras-like's fit from the same weights.
    const model = Sequential();
    model.add(Dense(4, { activation: 'tanh', input_shape: [3] }));
    model.add(Dense(1, { activation: 'sigmoid' }));
    const make = (optimizers as unknown as Record<string, (options: Record<string, unknown>) => Optimizer>)[c.optimizer.class_name]!;
    model.compile({ optimizer: make(c.optimizer.kwargs), loss: 'binary_crossentropy' });
    model.set_weights(c.initial_weights.map(toTensor));
    const afterEachStep: Float32Array[][] = [];
    const batchLogs: number[] = [];
    const record = LambdaCallback({
      on_train_batch_end: (_batch: number, logs?: Record<string, number>) => {
        const weights = model.get_weights();
        afterEachStep.push(weights.map((w) => w.dataSync() as Float32Array));
        tf.dispose(weights);
        batchLogs.push(logs!['loss']!);
      },
    });
    const history = model.fit(x, y, { batch_size: c.batch_size, epochs: c.epochs, shuffle: false, verbose: 0, callbacks: [record] });
    expect(afterEachStep.length).toBe(c.steps.length);
    c.steps.forEach((step, i) => {
      step.weights_after.forEach((w, j) => expectGolden('fit', c.name, `step ${i + 1} weight ${j}`, afterEachStep[i]![j]!, w, tolerance));
      // Keras 3's batch logs: the mean of the epoch's batch losses so far, weighted by batch size.
      const epochStart = i - (i % batches);
      let [sum, count] = [0, 0];
      for (let k = epochStart; k <= i; k++) {
        const size = Math.min(c.batch_size, x.shape[0]! - (k % batches) * c.batch_size);
        [sum, count] = [sum + c.steps[k]!.loss * size, count + size];
      }
      expectGolden('fit', c.name, `step ${i + 1} batch log loss`, batchLogs[i]!, sum / count, tolerance);
    });
    expectGolden('fit', c.name, 'history loss', history.history['loss']!, c.epoch_losses, tolerance);
    model.dispose();
    tf.dispose([x, y]);
  });
});
