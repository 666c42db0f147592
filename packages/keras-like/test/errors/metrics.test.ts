/** Shapes a metric cannot compare (cases in metrics.cases.ts), and the shapes Keras accepts that must stay accepted. */
import { keras, tf, Dense, Sequential } from 'keras-like';
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

describe('fit, train_on_batch and evaluate check the compiled metrics before their loops', () => {
  /** 2 features → 3 softmax classes, sparse labels, `categorical_accuracy` (which needs one-hot labels). */
  function mismatched(): Sequential {
    keras.backend.clear_session();
    const model = Sequential([Dense(3, { input_shape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['categorical_accuracy'] });
    return model;
  }
  const x = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];

  it('train_on_batch raises before its step', () => {
    const model = mismatched();
    const values = () => model.weights.map((w) => Array.from(w.dataSync()));
    const before = values();
    expect(() => model.train_on_batch(x, [0, 2, 1])).toThrow('Received: y_true.shape=[3], y_pred.shape=[3, 3] (metric: categorical_accuracy).');
    expect(model.optimizer.iterations).toBe(0);
    expect(values()).toEqual(before);
    model.dispose();
  });

  it("evaluate names the shapes of the whole of y, before its first batch's callbacks", () => {
    const model = mismatched();
    let batchesBegun = 0;
    class CountBatches extends keras.callbacks.Callback {
      override on_test_batch_begin(): void {
        batchesBegun += 1;
      }
    }
    const y = [0, 2, 1];
    expect(() => model.evaluate(x, y, { batch_size: 2, verbose: 0, callbacks: [new CountBatches()] })).toThrow(
      'Received: y_true.shape=[3], y_pred.shape=[3, 3] (metric: categorical_accuracy).',
    );
    expect(batchesBegun).toBe(0);
    model.dispose();
  });

  it('1-D targets for one sigmoid unit are still [N, 1], as in Keras: the same numbers as a column', () => {
    // Zero weights: every prediction is sigmoid(0) = 0.5 during the single batch, so the epoch's loss is
    // ln 2; no prediction exceeds 0.5, so accuracy is the share of 0 labels (1/2) and precision 0;
    // predictions that all tie give AUC 0.5; R² of a constant 0.5 against labels of mean 0.5 is 0.
    const fitWith = (y: number[] | number[][]) => {
      keras.backend.clear_session();
      const model = Sequential([Dense(1, { input_shape: [2], activation: 'sigmoid', kernel_initializer: 'zeros' })]);
      model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy', 'precision', keras.metrics.AUC(), keras.metrics.R2Score()] });
      const history = model.fit([[1, 2], [3, 4], [5, 6], [7, 8]], y, { batch_size: 4, shuffle: false, verbose: 0 }).history;
      model.dispose();
      return history;
    };
    const flat = fitWith([1, 0, 1, 0]);
    expect(flat.loss![0]).toBeCloseTo(Math.LN2, 6);
    expect(flat.accuracy![0]).toBeCloseTo(0.5, 6);
    expect(flat.precision![0]).toBe(0);
    expect(flat.auc![0]).toBeCloseTo(0.5, 6);
    expect(flat.r2_score![0]).toBeCloseTo(0, 6);
    expect(fitWith([[1], [0], [1], [0]])).toEqual(flat);
  });
});
