import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as metrics from '../src/metrics.js';

function values(t: tf.Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

describe("stateful metrics match Keras's documented values", () => {
  // Values from the docstrings and tests in keras/src/metrics/.
  it('BinaryAccuracy, with threshold and sample weights', () => {
    const m = metrics.BinaryAccuracy();
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expect(m.result()).toBeCloseTo(0.75, 6);
    m.reset_state();
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expect(m.result()).toBeCloseTo(0.5, 6);
    // threshold 0.7: predictions [1, 1, 0, 0] match all four labels.
    const strict = metrics.BinaryAccuracy({ threshold: 0.7 });
    expect(strict([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])).toBeCloseTo(1, 6);
    m.dispose();
    strict.dispose();
  });

  it('CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy', () => {
    const yPred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]];
    const cat = metrics.CategoricalAccuracy();
    expect(cat([[0, 0, 1], [0, 1, 0]], yPred)).toBeCloseTo(0.5, 6);
    cat.reset_state();
    cat.update_state([[0, 0, 1], [0, 1, 0]], yPred, [0.7, 0.3]);
    expect(cat.result()).toBeCloseTo(0.3, 6);
    const sparse = metrics.SparseCategoricalAccuracy();
    expect(sparse([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])).toBeCloseTo(0.5, 6);
    sparse.reset_state();
    sparse.update_state([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
    expect(sparse.result()).toBeCloseTo(0.3, 6);
    const top1 = metrics.TopKCategoricalAccuracy({ k: 1 });
    expect(top1([[0, 0, 1], [0, 1, 0]], yPred)).toBeCloseTo(0.5, 6);
    // k = 2: class 2 (score 0.8) is second in the first row, so both rows count.
    expect(metrics.TopKCategoricalAccuracy(2)([[0, 0, 1], [0, 1, 0]], yPred)).toBeCloseTo(1, 6);
    expect(metrics.SparseTopKCategoricalAccuracy({ k: 1 })([2, 1], yPred)).toBeCloseTo(0.5, 6);
    expect(metrics.SparseTopKCategoricalAccuracy({ k: 2 })([[2], [1]], yPred)).toBeCloseTo(1, 6);
    for (const m of [cat, sparse, top1]) m.dispose();
  });

  it('Accuracy compares values exactly', () => {
    const m = metrics.Accuracy();
    expect(m([[1], [2], [3], [4]], [[0], [2], [3], [4]])).toBeCloseTo(0.75, 6);
    m.reset_state();
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
    expect(m.result()).toBeCloseTo(0.5, 6);
  });

  it('regression metrics', () => {
    const yTrue = [[0, 1], [0, 0]];
    const yPred = [[1, 1], [0, 0]];
    const table: Array<[metrics.Metric, number, number]> = [
      [metrics.MeanAbsoluteError(), 0.25, 0.5],
      [metrics.MeanSquaredError(), 0.25, 0.5],
      [metrics.MeanAbsolutePercentageError(), 250000000, 500000000],
      [metrics.MeanSquaredLogarithmicError(), 0.12011322, 0.24022643],
    ];
    for (const [m, unweighted, weighted] of table) {
      m.update_state(yTrue, yPred);
      expect(m.result() / unweighted).toBeCloseTo(1, 5);
      m.reset_state();
      m.update_state(yTrue, yPred, [1, 0]);
      expect(m.result() / weighted).toBeCloseTo(1, 5);
    }
  });

  it('the probabilistic, hinge and other regression metrics', () => {
    const b = [[0, 1], [0, 0]];
    const probs = [[0.6, 0.4], [0.4, 0.6]];
    const table: Array<[metrics.Metric, number[][], number[][], number, number]> = [
      [metrics.RootMeanSquaredError(), b, [[1, 1], [0, 0]], 0.5, 0.70710677],
      [metrics.LogCoshError(), b, [[1, 1], [0, 0]], 0.10844523, 0.21689045],
      [metrics.BinaryCrossentropy(), b, probs, 0.81492424, 0.9162905],
      [metrics.KLDivergence(), b, probs, 0.45814306, 0.9162892],
      [metrics.Poisson(), b, [[1, 1], [0, 0]], 0.49999997, 0.99999994],
      [metrics.Hinge(), b, probs, 1.3, 1.1],
      [metrics.SquaredHinge(), b, probs, 1.86, 1.46],
      [metrics.CategoricalHinge(), b, probs, 1.4, 1.2],
      [metrics.CategoricalCrossentropy(), [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], 1.1769392, 0.05129344],
    ];
    for (const [m, yTrue, yPred, unweighted, weightedFirst] of table) {
      expect(m(yTrue, yPred) / unweighted, m.name).toBeCloseTo(1, 5);
      m.reset_state();
      m.update_state(yTrue, yPred, [1, 0]);
      expect(m.result() / weightedFirst, m.name).toBeCloseTo(1, 5);
      m.dispose();
    }
    // Sparse labels [1, 2] are the one-hot rows above.
    expect(metrics.SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])).toBeCloseTo(1.1769392, 5);
    // Cosine similarity is positive as a metric: rows at 90° (0) and parallel (1).
    const cos = metrics.CosineSimilarity({ axis: 1 });
    expect(cos([[0, 1], [1, 1]], [[1, 0], [1, 1]])).toBeCloseTo(0.5, 6);
    cos.reset_state();
    cos.update_state([[0, 1], [1, 1]], [[1, 0], [1, 1]], [0.3, 0.7]);
    expect(cos.result()).toBeCloseTo(0.7, 6);
    expect(Array.from(metrics.cosine_similarity([[1, 1]], [[2, 2]]).dataSync())[0]).toBeCloseTo(1, 6);
    expect(metrics.get('logcosh')).toBeInstanceOf(metrics.LogCoshError);
    expect(metrics.get('cosine_similarity')).toBeInstanceOf(metrics.CosineSimilarity);
    expect(metrics.get('bce')).toBeInstanceOf(metrics.BinaryCrossentropy);
    expect(() => metrics.BinaryCrossentropy({ label_smoothing: 3 })).toThrow('BinaryCrossentropy: `label_smoothing` must be a float in [0, 1]. Received: label_smoothing=3');
    expect(() => metrics.CategoricalCrossentropy({ axis: 0.5 })).toThrow('CategoricalCrossentropy: `axis` must be an integer');
    expect(() => metrics.SparseCategoricalCrossentropy({ from_logits: 'x' as never })).toThrow('SparseCategoricalCrossentropy: `from_logits` must be a boolean');
    expect(() => metrics.CosineSimilarity({ axis: 'x' as never })).toThrow("CosineSimilarity: `axis` must be an integer. Received: axis='x'");
    expect(() => metrics.RootMeanSquaredError({ name: 1 as never })).toThrow('RootMeanSquaredError: `name` must be a string');
  });

  it('accumulates across batches as a weighted mean, and resets', () => {
    const m = metrics.MeanAbsoluteError();
    m.update_state([[0], [0]], [[1], [3]]); // |errors| 1, 3
    m.update_state([[0]], [[5]]); // 5
    expect(m.result()).toBeCloseTo(3, 6);
    m.reset_state();
    expect(m.result()).toBe(0);
    const mean = metrics.Mean();
    mean.update_state([1, 3, 5, 7]);
    expect(mean.result()).toBeCloseTo(4, 6);
    mean.update_state([2], [3]); // (16 + 6) / (4 + 3)
    expect(mean.result()).toBeCloseTo(22 / 7, 6);
  });

  it('Precision and Recall', () => {
    const p = metrics.Precision();
    expect(p([0, 1, 1, 1], [1, 0, 1, 1])).toBeCloseTo(2 / 3, 6);
    p.reset_state();
    p.update_state([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(p.result()).toBeCloseTo(1, 6);
    const r = metrics.Recall();
    expect(r([0, 1, 1, 1], [1, 0, 1, 1])).toBeCloseTo(2 / 3, 6);
    r.reset_state();
    r.update_state([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(r.result()).toBeCloseTo(1, 6);
    // class_id 1 scores the second column only; threshold 0.3 makes 0.4 positive.
    const perClass = metrics.Precision({ class_id: 1, thresholds: 0.3 });
    expect(perClass([[1, 0], [0, 1], [0, 0]], [[0.9, 0.4], [0.1, 0.8], [0.2, 0.2]])).toBeCloseTo(1 / 2, 6);
  });

  it('TruePositives, FalsePositives, TrueNegatives, FalseNegatives', () => {
    const table: Array<[metrics.Metric, number[], number[]]> = [
      [metrics.TruePositives(), [0, 1, 1, 1], [1, 0, 1, 1]],
      [metrics.FalsePositives(), [0, 1, 0, 0], [0, 0, 1, 1]],
      [metrics.TrueNegatives(), [0, 1, 0, 0], [1, 1, 0, 0]],
      [metrics.FalseNegatives(), [0, 1, 1, 1], [0, 1, 0, 0]],
    ];
    for (const [m, yTrue, yPred] of table) {
      expect(m(yTrue, yPred), m.name).toBe(2);
      m.reset_state();
      m.update_state(yTrue, yPred, [0, 0, 1, 0]);
      expect(m.result(), m.name).toBe(1);
      m.dispose();
    }
    expect(metrics.TruePositives().name).toBe('true_positives');
    // threshold 0.75: only 0.9 counts as positive.
    expect(metrics.TruePositives({ thresholds: 0.75 })([1, 1], [0.9, 0.6])).toBe(1);
    expect(() => metrics.FalseNegatives({ thresholds: 2 })).toThrow('FalseNegatives: `thresholds` must be a float in [0, 1]. Received: thresholds=2');
  });

  it('R2Score: plain, adjusted and variance-weighted', () => {
    // y = [1, 4, 3], ŷ = [2, 4, 4]: SS_tot = 14/3 around the mean 8/3, SS_res = 2, R² = 1 − 2/(14/3) = 4/7.
    const r2 = metrics.R2Score();
    expect(r2([[1], [4], [3]], [[2], [4], [4]])).toBeCloseTo(4 / 7, 6);
    // Adjusted with one regressor and n = 3: 1 − (1 − 4/7)(3 − 1)/(3 − 1 − 1) = 1/7.
    expect(metrics.R2Score({ num_regressors: 1 })([[1], [4], [3]], [[2], [4], [4]])).toBeCloseTo(1 / 7, 6);
    // Second column y = [0, 0, 3], ŷ = [0, 1, 3]: SS_tot = 6, SS_res = 1, R² = 5/6.
    const yTwo = [[1, 0], [4, 0], [3, 3]];
    const pTwo = [[2, 0], [4, 1], [4, 3]];
    expect(metrics.R2Score()(yTwo, pTwo)).toBeCloseTo((4 / 7 + 5 / 6) / 2, 6);
    // Weighted by SS_tot: (14/3 · 4/7 + 6 · 5/6) / (14/3 + 6).
    const weighted = metrics.R2Score({ class_aggregation: 'variance_weighted_average' });
    expect(weighted(yTwo, pTwo)).toBeCloseTo(((14 / 3) * (4 / 7) + 6 * (5 / 6)) / (14 / 3 + 6), 6);
    // Weights [1, 1, 0] drop the third sample: y = [1, 4], ŷ = [2, 4] → SS_tot = 4.5, SS_res = 1.
    r2.reset_state();
    r2.update_state([[1], [4], [3]], [[2], [4], [4]], [1, 1, 0]);
    expect(r2.result()).toBeCloseTo(1 - 1 / 4.5, 6);
    expect(() => r2.update_state([1, 2], [1, 2])).toThrow('R2Score expects 2D inputs with shape (batch_size, output_dim)');
    expect(() => metrics.R2Score({ class_aggregation: 'median' as never })).toThrow("R2Score: `class_aggregation` must be one of 'uniform_average', 'variance_weighted_average'");
    expect(() => metrics.R2Score({ num_regressors: -1 })).toThrow('R2Score: `num_regressors` must be an integer >= 0. Received: num_regressors=-1');
    expect(metrics.get('r2_score')).toBeInstanceOf(metrics.R2Score);
  });

  it('AUC: ROC and PR on the hand-computed example of Keras\'s tests', () => {
    // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], tn = [0, 2, 2]: ((1 + 0.5)/2)·1 = 0.75.
    const auc = metrics.AUC({ num_thresholds: 3 });
    expect(auc([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])).toBeCloseTo(0.75, 6);
    // Weighted: recall [1, 4/7, 0], fp rate [1, 0, 0] → (1 + 4/7)/2.
    const weighted = metrics.AUC({ num_thresholds: 3 });
    expect(weighted([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 2, 3, 4])).toBeCloseTo((1 + 4 / 7) / 2, 6);
    const pr = metrics.AUC({ num_thresholds: 3, curve: 'PR' });
    expect(pr([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 2, 3, 4])).toBeCloseTo((0.5 * (3 + 2 * Math.log(2.5))) / 7 + 4 / 7, 5);
    // Majoring takes the larger neighbour: max(1, 4/7)·1.
    const majoring = metrics.AUC({ num_thresholds: 3, summation_method: 'majoring' });
    expect(majoring([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 2, 3, 4])).toBeCloseTo(1, 6);
    // Logits: sigmoid(logit(p)) = p.
    const logits = [0.01, 0.5, 0.3, 0.9].map((p) => Math.log(p / (1 - p)));
    expect(metrics.AUC({ num_thresholds: 3, from_logits: true })([0, 0, 1, 1], logits)).toBeCloseTo(0.75, 6);
  });

  it('AUC with many thresholds approaches the exact rank statistic', () => {
    const n = 400;
    const labels = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([n], 0, 1, 'float32', 5), 0.5), 'float32'));
    const scores = tf.tidy(() => tf.sigmoid(tf.add(tf.mul(labels, 1.5), tf.randomNormal([n], 0, 1, 'float32', 6))));
    const y = labels.dataSync();
    const s = scores.dataSync();
    // Mann-Whitney: the probability that a positive outscores a negative.
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (y[i] === 1 && y[j] === 0) {
          pairs++;
          wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
      }
    }
    const auc = metrics.AUC({ num_thresholds: 2000 });
    expect(Math.abs(auc(labels, scores) - wins / pairs)).toBeLessThan(2e-3);
    auc.dispose();
    tf.dispose([labels, scores]);
  });
});

describe('a custom metric subclass, as in Keras', () => {
  class BinaryTruePositives extends metrics.Metric {
    readonly true_positives = this.add_variable({ shape: [], initializer: 'zeros', name: 'tp' });
    update_state(y_true: tf.TensorLike | tf.Tensor, y_pred: tf.TensorLike | tf.Tensor): void {
      tf.tidy(() => {
        const hits = tf.sum(tf.mul(tf.cast(tf.greater(y_true, 0.5), 'float32'), tf.cast(tf.greater(y_pred, 0.5), 'float32')));
        this.true_positives.assign(tf.add(this.true_positives, hits));
      });
    }
    result(): number {
      return this.true_positives.dataSync()[0]!;
    }
  }
  it('gets a snake_case name, state variables, reset and dispose from the base class', () => {
    const m = new BinaryTruePositives();
    expect(m.name).toBe('binary_true_positives');
    expect(new BinaryTruePositives({ name: 'tp' }).name).toBe('tp');
    m.update_state([1, 1, 0], [0.9, 0.2, 0.8]);
    expect(m([1, 0], [0.7, 0.7])).toBe(2);
    m.reset_state();
    expect(m.result()).toBe(0);
    expect(m.variables).toHaveLength(1);
    const before = tf.memory().numTensors;
    m.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    expect(() => m.add_variable({ initializer: 'twos' as never })).toThrow("BinaryTruePositives.add_variable: `initializer` must be 'zeros', 'ones' or a number");
    expect(() => new BinaryTruePositives({ name: 3 as never })).toThrow('BinaryTruePositives: `name` must be a string');
  });

  it('can have several live instances (a new model per loop iteration), each with its own named variable', () => {
    const [a, b] = [new BinaryTruePositives(), new BinaryTruePositives()];
    expect(a.true_positives.name).toMatch(/^binary_true_positives\/tp_\d+$/);
    expect(b.true_positives.name).not.toBe(a.true_positives.name);
    a.update_state([1], [0.9]);
    expect([a.result(), b.result()]).toEqual([1, 0]);
    a.dispose();
    b.dispose();
  });
});

describe('metric functions', () => {
  it('compute per-sample values', () => {
    expect(values(metrics.binary_accuracy([[1], [0]], [[0.7], [0.7]]))).toEqual([1, 0]);
    expect(values(metrics.binary_accuracy([[1], [0]], [[0.7], [0.7]], 0.8))).toEqual([0, 1]);
    expect(values(metrics.categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]))).toEqual([1, 0]);
    expect(values(metrics.sparse_categorical_accuracy([1, 1], [[0.2, 0.8], [0.3, 0.7]]))).toEqual([1, 1]);
    expect(values(metrics.top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], 2))).toEqual([0]);
    expect(values(metrics.mae([[1, 2]], [[2, 4]]))).toEqual([1.5]);
  });
});

describe('getMetric resolves compile identifiers as Keras 3', () => {
  it("'accuracy' from the output units and the targets", () => {
    expect(metrics.getMetric('accuracy', 'binary_crossentropy', [null, 1])).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(metrics.getMetric('accuracy', 'categorical_crossentropy', [null, 10])).toBeInstanceOf(metrics.CategoricalAccuracy);
    expect(metrics.getMetric('accuracy', 'sparse_categorical_crossentropy', [null, 10])).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    // Keras 3 decides sparse from the target shape when it is known: [N] or [N, 1] against 10 units.
    expect(metrics.getMetric('accuracy', 'mse', [null, 10], [32])).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(metrics.getMetric('acc', 'mse', [null, 10], [32, 1])).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(metrics.getMetric('accuracy', 'mse', [null, 10], [32, 10])).toBeInstanceOf(metrics.CategoricalAccuracy);
  });

  it('keeps the History key Keras uses', () => {
    expect(metrics.getMetric('acc', 'binary_crossentropy', [null, 1]).name).toBe('acc');
    expect(metrics.getMetric('accuracy', 'binary_crossentropy', [null, 1]).name).toBe('accuracy');
    expect(metrics.getMetric('mae', 'mse', [null, 1]).name).toBe('mae');
    expect(metrics.getMetric('mse', 'mse', [null, 1])).toBeInstanceOf(metrics.MeanSquaredError);
    expect(metrics.getMetric('mean_squared_error', 'mse', [null, 1]).name).toBe('mean_squared_error');
    expect(metrics.getMetric(metrics.AUC(), 'binary_crossentropy', [null, 1]).name).toBe('auc');
    expect(metrics.getMetric(metrics.AUC, 'binary_crossentropy', [null, 1])).toBeInstanceOf(metrics.AUC);
    expect(metrics.getMetric('binary_crossentropy', 'mse', [null, 1]).name).toBe('binary_crossentropy');
    // A loss as a metric is its mean per-sample value: (−log 0.8 − log 0.5) / 2.
    const scce = metrics.getMetric('sparse_categorical_crossentropy', 'mse', [null, 2]);
    expect(scce([1, 0], [[0.2, 0.8], [0.5, 0.5]])).toBeCloseTo((-Math.log(0.8) - Math.log(0.5)) / 2, 6);
    const custom = metrics.getMetric(function mean_error(t: tf.Tensor, p: tf.Tensor) {
      return tf.mean(tf.sub(p, t), -1);
    }, 'mse', [null, 1]);
    expect(custom.name).toBe('mean_error');
    expect(custom([[1], [2]], [[2], [4]])).toBeCloseTo(1.5, 6);
  });

  it('names the closest metric for a misspelt one', () => {
    expect(() => metrics.getMetric('accurasy', 'mse', [null, 1])).toThrow("Could not interpret metric identifier: 'accurasy'. Did you mean 'accuracy'?");
    expect(() => metrics.get('precison')).toThrow("Did you mean 'precision'?");
  });
});

describe('get / serialize / deserialize and options', () => {
  it('round-trips configs', () => {
    const m = metrics.BinaryAccuracy({ threshold: 0.3, name: 'acc30' });
    const config = metrics.serialize(m);
    expect(config).toEqual({ module: 'keras.metrics', class_name: 'BinaryAccuracy', config: { name: 'acc30', threshold: 0.3 }, registered_name: null });
    const back = metrics.deserialize(config);
    expect(back).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(back.get_config()).toEqual(m.get_config());
    expect(metrics.deserialize({ class_name: 'AUC', config: { curve: 'PR', num_thresholds: 50 } }).get_config()).toMatchObject({ curve: 'PR', num_thresholds: 50 });
    expect(metrics.get('auc')).toBeInstanceOf(metrics.AUC);
    expect(metrics.get('top_k_categorical_accuracy')).toBeInstanceOf(metrics.TopKCategoricalAccuracy);
  });

  it('validates options with Keras wording', () => {
    expect(() => metrics.BinaryAccuracy({ threshold: 2 })).toThrow('BinaryAccuracy: `threshold` must be a float in [0, 1]. Received: threshold=2');
    expect(() => metrics.TopKCategoricalAccuracy({ k: 0 })).toThrow('TopKCategoricalAccuracy: `k` must be a positive integer. Received: k=0');
    expect(() => metrics.AUC({ num_thresholds: 1 })).toThrow('AUC: `num_thresholds` must be an integer > 1. Received: num_thresholds=1');
    expect(() => metrics.AUC({ curve: 'XY' as never })).toThrow("AUC: `curve` must be one of 'ROC', 'PR'");
    expect(() => metrics.AUC({ summation_method: 'mid' as never })).toThrow('`summation_method` must be one of');
    expect(() => metrics.AUC({ thresholds: [2] })).toThrow('must be a list of floats in [0, 1]');
    expect(() => metrics.AUC({ from_logits: 1 as never })).toThrow('AUC: `from_logits` must be a boolean');
    expect(() => metrics.Precision({ thresholds: 1.5 })).toThrow('Precision: `thresholds` must be a float in [0, 1]');
    expect(() => metrics.Recall({ class_id: -1 })).toThrow('Recall: `class_id` must be >= 0');
    expect(() => metrics.Accuracy({ name: 1 as never })).toThrow('Accuracy: `name` must be a string');
    expect(() => metrics.Mean({ nam: 'x' } as never)).toThrow('Did you mean `name`?');
    expect(() => metrics.SparseTopKCategoricalAccuracy({ k: 1.5 })).toThrow('SparseTopKCategoricalAccuracy: `k` must be a positive integer. Received: k=1.5');
    expect(() => metrics.TopKCategoricalAccuracy({ name: 5 as never })).toThrow('TopKCategoricalAccuracy: `name` must be a string');
    expect(() => metrics.BinaryAccuracy({ name: null as never })).toThrow('BinaryAccuracy: `name` must be a string');
    expect(() => metrics.AUC({ name: 1 as never })).toThrow('AUC: `name` must be a string');
    expect(() => metrics.MeanAbsoluteError({ name: 1 as never })).toThrow('MeanAbsoluteError: `name` must be a string');
    expect(() => metrics.Precision(0.5, 2)).toThrow("Unrecognized keyword arguments passed to Precision: {'top_k': 2}");
  });
});

describe('tensor hygiene', () => {
  it('a metric leaves nothing behind once disposed', () => {
    const before = tf.memory().numTensors;
    const made = [metrics.BinaryAccuracy(), metrics.AUC(), metrics.Precision(), metrics.RootMeanSquaredError(), metrics.Mean()];
    for (const m of made) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('update_state keeps the tensor count flat', () => {
    const all: metrics.Metric[] = [
      metrics.BinaryAccuracy(),
      metrics.CategoricalAccuracy(),
      metrics.SparseCategoricalAccuracy(),
      metrics.TopKCategoricalAccuracy({ k: 2 }),
      metrics.MeanAbsoluteError(),
      metrics.AUC(),
      metrics.Precision(),
      metrics.Recall(),
    ];
    const yTrue = tf.tensor([[0, 1, 0], [1, 0, 0]]);
    const yPred = tf.tensor([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]);
    const labels = tf.tensor([1, 0]);
    const update = () => {
      for (const m of all) m.update_state(m instanceof metrics.SparseCategoricalAccuracy ? labels : yTrue, yPred, tf.tidy(() => tf.ones([2])));
    };
    update();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) update();
    for (const m of all) m.result();
    // The weights tensors passed in are the caller's (5 batches × 8 metrics).
    expect(tf.memory().numTensors - before).toBe(5 * all.length);
    for (const m of all) m.dispose();
    tf.dispose([yTrue, yPred, labels]);
  });
});

describe('peer check: tfjs-layers metrics', () => {
  const yBinary = tf.tensor([[1], [0], [1], [0], [1]]);
  const pBinary = tf.tensor([[0.9], [0.6], [0.4], [0.1], [0.7]]);
  const yOneHot = tf.tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  const pClasses = tf.tensor([[0.2, 0.5, 0.3], [0.3, 0.6, 0.1], [0.1, 0.2, 0.7]]);
  it('per-sample accuracies', () => {
    expect(values(metrics.binary_accuracy(yBinary, pBinary))).toEqual(Array.from(tfl.metrics.binaryAccuracy(yBinary, pBinary).dataSync()));
    expect(values(metrics.categorical_accuracy(yOneHot, pClasses))).toEqual(Array.from(tfl.metrics.categoricalAccuracy(yOneHot, pClasses).dataSync()));
    const labels = tf.tensor([[1], [0], [2]]);
    expect(values(metrics.sparse_categorical_accuracy(labels, pClasses))).toEqual(
      Array.from(tfl.metrics.sparseCategoricalAccuracy(labels, pClasses).dataSync()),
    );
    labels.dispose();
  });
  it('precision and recall', () => {
    // tfjs-layers counts predictions equal to 1, so give both 0/1 predictions: tp = 2, fp = 1, fn = 1.
    const predicted = tf.tensor([[1], [1], [0], [0], [1]]);
    const precision = tfl.metrics.precision(yBinary, predicted).dataSync()[0]!;
    const recall = tfl.metrics.recall(yBinary, predicted).dataSync()[0]!;
    expect(precision).toBeCloseTo(2 / 3, 6);
    expect(metrics.Precision()(yBinary, predicted)).toBeCloseTo(precision, 6);
    expect(metrics.Recall()(yBinary, predicted)).toBeCloseTo(recall, 6);
    predicted.dispose();
  });
});
