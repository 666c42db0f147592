/**
 * Every loss against real Keras 3 (test/fixtures/keras/losses.json, written by
 * scripts/keras-golden/losses.py): the per-sample `loss.call`, the reduced value for each of
 * Keras's reductions with and without sample weights, and the engine's view of the loss
 * (`getLoss(loss).reduce(call)`, what `fit` reports), on random and edge values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import { LOSS_CLASSES } from '../../src/losses/classes.js';
import { getLoss } from '../../src/losses/get.js';
import type { Loss } from '../../src/losses/loss.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

interface LossCase extends GoldenCase {
  class_name: keyof typeof LOSS_CLASSES;
  kwargs: Record<string, number | boolean>;
  y_true: GoldenTensor;
  y_pred: GoldenTensor;
  sample_weight: GoldenTensor;
  call: GoldenTensor;
  reduced: Record<string, GoldenTensor>;
  /** 'tensorflow kernels' where Keras's backends disagree: `call` is then TensorFlow's, `numpy_backend_call` NumPy's. */
  backend?: string;
  numpy_backend_call?: GoldenTensor;
}

const fixture = loadFixture<LossCase>('losses');
reportWorstErrors('losses');

function makeLoss(c: LossCase, extra: Record<string, unknown> = {}): Loss {
  return (LOSS_CLASSES[c.class_name] as unknown as (options: Record<string, unknown>) => Loss)({ ...c.kwargs, ...extra });
}

describe('losses match Keras 3', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = tf.memory().numTensors;
    const tolerance = c.tolerance ?? fixture.tolerance;
    tf.tidy(() => {
      const [yTrue, yPred, weights] = [toTensor(c.y_true), toTensor(c.y_pred), toTensor(c.sample_weight)];
      expectGolden('losses', c.name, 'call', makeLoss(c).call(yTrue, yPred), c.call, tolerance);
      for (const [key, expected] of Object.entries(c.reduced)) {
        const [reduction, weighted] = key.split(' ');
        const loss = makeLoss(c, { reduction });
        const value = weighted ? loss(yTrue, yPred, weights) : loss(yTrue, yPred);
        expectGolden('losses', c.name, key, value, expected, tolerance);
      }
      if (c.backend) {
        // Finding: Keras's backends disagree here and keras-like follows TensorFlow's (BCE from
        // logits: NumPy clips sigmoid(z) to [1e-7, 1 - 1e-7]; focal BCE from logits: only TF reads
        // the logits back; sparse CCE from probabilities: NumPy normalises before clipping). The
        // NumPy backend's own values are outside the tolerance, which is why the fixture has both.
        expect(() => expectGolden('losses (numpy backend)', c.name, 'call', makeLoss(c).call(yTrue, yPred), c.numpy_backend_call!, fixture.tolerance)).toThrow();
      }
      // The engine's view, which fit and evaluate use: the default reduction.
      const engine = getLoss(makeLoss(c));
      expectGolden('losses', c.name, 'engine', engine.reduce(engine.call(yTrue, yPred)), c.reduced['sum_over_batch_size']!, tolerance);
      expectGolden('losses', c.name, 'engine weighted', engine.reduce(engine.call(yTrue, yPred), weights), c.reduced['sum_over_batch_size weighted']!, tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
