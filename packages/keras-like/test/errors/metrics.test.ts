/** Shapes a metric cannot compare (cases in metrics.cases.ts), and the shapes Keras accepts that must stay accepted. */
import { keras, tf } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { checkArea } from './check.js';
import { METRICS_AREA } from './metrics.cases.js';

checkArea(METRICS_AREA);

/** `metric(y_true, y_pred)` once on a fresh metric, then freed. */
function resultOf(metric: keras.metrics.Metric, y_true: number[] | number[][], y_pred: number[] | number[][]): number {
  try {
    return metric(y_true, y_pred);
  } finally {
    metric.dispose();
  }
}

describe("shapes Keras accepts are still accepted, with Keras's numbers", () => {
  it('a trailing axis of 1 is added or dropped, as squeeze_or_expand_to_same_rank does', () => {
    const before = tf.memory().numTensors;
    // Errors 0, 0, 0, 2 → squared 0, 0, 0, 4 → mean 1.
    expect(resultOf(keras.metrics.MeanSquaredError(), [1, 2, 3, 4], [[1], [2], [3], [6]])).toBeCloseTo(1, 6);
    // y_pred > 0.5 gives 1, 1, 0, 0 against labels 1, 0, 1, 0: two of four match.
    expect(resultOf(keras.metrics.BinaryAccuracy(), [[1], [0], [1], [0]], [0.9, 0.6, 0.4, 0.1])).toBeCloseTo(0.5, 6);
    // Predicted positive: 0.9 (a positive) and 0.6 (a negative), so precision 1 / 2.
    expect(resultOf(keras.metrics.Precision(), [1, 0, 1, 0], [[0.9], [0.6], [0.4], [0.1]])).toBeCloseTo(0.5, 6);
    // Labels [N, 1] for a sparse metric: argmax 0, 2, 0 against 0, 2, 1.
    expect(resultOf(keras.metrics.SparseCategoricalAccuracy(), [[0], [2], [1]], [[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])).toBeCloseTo(2 / 3, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('element-wise metrics broadcast one target column against several predictions, as Keras ops do', () => {
    // Per sample, the mean over the last axis: (0 + 1 + 4) / 3 and (0 + 0 + 1) / 3, whose mean is 1.
    expect(resultOf(keras.metrics.MeanSquaredError(), [[1], [0]], [[1, 2, 3], [0, 0, 1]])).toBeCloseTo(1, 6);
  });

  it("a metric made from the user's own function receives its inputs unchecked", () => {
    // Σ y_pred − Σ y_true per sample: 2 − 3 for both samples.
    const metric = new keras.metrics.MeanMetricWrapper((t, p) => tf.sub(tf.sum(p, -1), tf.sum(t, -1)), 'sum_gap');
    expect(resultOf(metric, [[1, 1, 1], [1, 1, 1]], [[1, 1], [1, 1]])).toBeCloseTo(-1, 6);
  });
});
