/**
 * Every metric against real Keras 3 (test/fixtures/keras/metrics.json, written by
 * scripts/keras-golden/metrics.py): three `update_state` calls per case, unweighted and with
 * sample weights, and `result()` after each, so the running state is compared too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import * as metrics from '../../src/metrics.js';
import type { Metric } from '../../src/metrics/metric.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

interface MetricStep {
  y_true: GoldenTensor;
  y_pred: GoldenTensor | null;
  sample_weight: GoldenTensor | null;
  result: number;
}

interface MetricCase extends GoldenCase {
  class_name: string;
  kwargs: Record<string, unknown>;
  steps: MetricStep[];
  /** 'tensorflow kernels' where Keras's backends disagree; `numpy_backend_results` are the NumPy backend's. */
  backend?: string;
  numpy_backend_results?: number[];
}

/** `Mean.update_state(values, sample_weight?)` takes no y_pred. */
interface MeanLike {
  update_state(values: tf.Tensor, sample_weight?: tf.Tensor): void;
}

const fixture = loadFixture<MetricCase>('metrics');
reportWorstErrors('metrics');

describe('metrics match Keras 3 over three update_state calls', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const make = (metrics as unknown as Record<string, ((options: Record<string, unknown>) => Metric) | undefined>)[c.class_name];
    expect(make, `keras.metrics.${c.class_name}`).toBeTypeOf('function');
    const before = tf.memory().numTensors;
    const metric = make!(c.kwargs);
    c.steps.forEach((step, i) => {
      tf.tidy(() => {
        const yTrue = toTensor(step.y_true);
        const weights = step.sample_weight ? toTensor(step.sample_weight) : undefined;
        if (step.y_pred === null) (metric as unknown as MeanLike).update_state(yTrue, weights);
        else metric.update_state(yTrue, toTensor(step.y_pred), weights);
      });
      expectGolden('metrics', c.name, `result after update ${i + 1}`, metric.result(), step.result, c.tolerance ?? fixture.tolerance);
    });
    if (c.backend) {
      // Finding: Keras's NumPy backend takes sigmoid(z) and clips it to [1e-7, 1 - 1e-7] (a logit
      // of 100 on the wrong side costs 16.1); TensorFlow, JAX and PyTorch compute from the
      // logits, as keras-like does. The NumPy backend's last result is far from keras-like's.
      const last = c.numpy_backend_results!.at(-1)!;
      expect(Math.abs(metric.result() - last) / last).toBeGreaterThan(0.1);
    }
    // Some metrics build their state at the first update (R2Score); dispose frees all of it.
    metric.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
