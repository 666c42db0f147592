import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as losses from '../src/losses.js';
import { getActivation } from '../src/activations.js';
import { BUILTIN_ACTIVATIONS } from '../src/activations/builtins.js';

type Rows = number[][];
const EPS = 1e-7;

function values(t: tf.Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

function expectClose(actual: tf.Tensor | number[], expected: number[], tol = 1e-6): void {
  const got = Array.isArray(actual) ? actual : values(actual);
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => {
    const e = expected[i]!;
    expect(Math.abs(g - e), `element ${i}: ${g} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]!));
}

// A deliberately naive float64 reference of each Keras 3 formula (keras/src/losses/losses.py and
// keras/src/backend/tensorflow/nn.py), row by row, to check the tensor code against.
const mean = (r: number[]) => r.reduce((a, b) => a + b, 0) / r.length;
const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const hingeLabels = (y: Rows) => (y.flat().every((v) => v === 0 || v === 1) ? y.map((r) => r.map((v) => 2 * v - 1)) : y);
const l2 = (r: number[]) => {
  const inv = 1 / Math.sqrt(Math.max(sum(r.map((v) => v * v)), EPS * EPS));
  return r.map((v) => v * inv);
};
const reference: Record<string, (y: Rows, p: Rows) => number[]> = {
  mean_squared_error: (y, p) => y.map((r, i) => mean(r.map((v, j) => (v - p[i]![j]!) ** 2))),
  mean_absolute_error: (y, p) => y.map((r, i) => mean(r.map((v, j) => Math.abs(v - p[i]![j]!)))),
  mean_absolute_percentage_error: (y, p) => y.map((r, i) => 100 * mean(r.map((v, j) => Math.abs((v - p[i]![j]!) / Math.max(Math.abs(v), EPS))))),
  mean_squared_logarithmic_error: (y, p) =>
    y.map((r, i) => mean(r.map((v, j) => (Math.log(Math.max(p[i]![j]!, EPS) + 1) - Math.log(Math.max(v, EPS) + 1)) ** 2))),
  log_cosh: (y, p) => y.map((r, i) => mean(r.map((v, j) => Math.log(Math.cosh(p[i]![j]! - v))))),
  huber: (y, p) =>
    y.map((r, i) =>
      mean(r.map((v, j) => {
        const e = Math.abs(p[i]![j]! - v);
        return e <= 1 ? 0.5 * e * e : e - 0.5;
      })),
    ),
  cosine_similarity: (y, p) => y.map((r, i) => -sum(l2(r).map((v, j) => v * l2(p[i]!)[j]!))),
  hinge: (y, p) => hingeLabels(y).map((r, i) => mean(r.map((v, j) => Math.max(1 - v * p[i]![j]!, 0)))),
  squared_hinge: (y, p) => hingeLabels(y).map((r, i) => mean(r.map((v, j) => Math.max(1 - v * p[i]![j]!, 0) ** 2))),
  categorical_hinge: (y, p) =>
    y.map((r, i) => {
      const pos = sum(r.map((v, j) => v * p[i]![j]!));
      const neg = Math.max(...r.map((v, j) => (1 - v) * p[i]![j]!));
      return Math.max(neg - pos + 1, 0);
    }),
  kl_divergence: (y, p) =>
    y.map((r, i) => sum(r.map((v, j) => clip(v, EPS, 1) * Math.log(clip(v, EPS, 1) / clip(p[i]![j]!, EPS, 1))))),
  poisson: (y, p) => y.map((r, i) => mean(r.map((v, j) => p[i]![j]! - v * Math.log(p[i]![j]! + EPS)))),
  binary_crossentropy: (y, p) =>
    y.map((r, i) =>
      mean(r.map((v, j) => {
        const q = clip(p[i]![j]!, EPS, 1 - EPS);
        return -(v * Math.log(q) + (1 - v) * Math.log(1 - q));
      })),
    ),
  categorical_crossentropy: (y, p) =>
    y.map((r, i) => {
      const total = sum(p[i]!);
      return -sum(r.map((v, j) => v * Math.log(clip(p[i]![j]! / total, EPS, 1 - EPS))));
    }),
};
// Focal crossentropies (defaults α = 0.25, γ = 2), element by element as Keras writes them.
const binaryFocal = (y: Rows, p: Rows, o: { balance?: boolean; gamma?: number; smoothing?: number } = {}) =>
  y.map((r, i) =>
    mean(r.map((label, j) => {
      const t = label * (1 - (o.smoothing ?? 0)) + 0.5 * (o.smoothing ?? 0);
      const q = p[i]![j]!;
      const pc = clip(q, EPS, 1 - EPS);
      const bce = -(t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
      const pT = t * q + (1 - t) * (1 - q);
      const w = o.balance ? t * 0.25 + (1 - t) * 0.75 : 1;
      return w * (1 - pT) ** (o.gamma ?? 2) * bce;
    })),
  );
const categoricalFocal = (y: Rows, p: Rows) =>
  y.map((r, i) => {
    const total = sum(p[i]!);
    return sum(r.map((t, j) => {
      const q = clip(p[i]![j]! / total, EPS, 1 - EPS);
      return 0.25 * (1 - q) ** 2 * -t * Math.log(q);
    }));
  });
// Sparse labels: −log ŷ_y + log Σ ŷ with ŷ clipped (the log of ŷ fed to a softmax, as Keras's backend does).
const sparseReference = (labels: number[], p: Rows) =>
  labels.map((c, i) => {
    const q = p[i]!.map((v) => clip(v, EPS, 1 - EPS));
    return -Math.log(q[c]!) + Math.log(sum(q));
  });
const logitsReference = {
  binary: (y: Rows, z: Rows) => y.map((r, i) => mean(r.map((v, j) => Math.max(z[i]![j]!, 0) - z[i]![j]! * v + Math.log1p(Math.exp(-Math.abs(z[i]![j]!)))))),
  categorical: (y: Rows, z: Rows) =>
    y.map((r, i) => {
      const m = Math.max(...z[i]!);
      const lse = m + Math.log(sum(z[i]!.map((v) => Math.exp(v - m))));
      return -sum(r.map((v, j) => v * (z[i]![j]! - lse)));
    }),
};

/** Seeded inputs of the kind each loss expects. */
function draw(kind: string, shape: [number, number], seed: number): Rows {
  return tf.tidy(() => {
    const u = tf.randomUniform(shape, 0, 1, 'float32', seed);
    switch (kind) {
      case 'binary':
        return tf.cast(tf.greater(u, 0.5), 'float32').arraySync() as Rows;
      case 'sign':
        return tf.sub(tf.mul(tf.cast(tf.greater(u, 0.5), 'float32'), 2), 1).arraySync() as Rows;
      case 'onehot':
        return tf.cast(tf.oneHot(tf.argMax(u, -1), shape[1]), 'float32').arraySync() as Rows;
      case 'distribution':
        return tf.softmax(tf.mul(u, 4)).arraySync() as Rows;
      case 'probability':
        return tf.add(tf.mul(u, 0.96), 0.02).arraySync() as Rows;
      case 'positive':
        return tf.add(tf.mul(u, 3), 0.1).arraySync() as Rows;
      default:
        return tf.randomNormal(shape, 0, 2, 'float32', seed).arraySync() as Rows;
    }
  });
}

// Each loss with the targets and predictions of its domain.
const CASES: Array<[string, string, string]> = [
  ['mean_squared_error', 'real', 'real'],
  ['mean_absolute_error', 'real', 'real'],
  ['mean_absolute_percentage_error', 'real', 'real'],
  ['mean_squared_logarithmic_error', 'positive', 'positive'],
  ['log_cosh', 'real', 'real'],
  ['huber', 'real', 'real'],
  ['cosine_similarity', 'real', 'real'],
  ['hinge', 'binary', 'real'],
  ['squared_hinge', 'sign', 'real'],
  ['categorical_hinge', 'onehot', 'real'],
  ['kl_divergence', 'distribution', 'probability'],
  ['poisson', 'positive', 'positive'],
  ['binary_crossentropy', 'binary', 'probability'],
  ['categorical_crossentropy', 'onehot', 'probability'],
];

describe('loss functions equal Keras 3 formulas', () => {
  for (const [name, yKind, pKind] of CASES) {
    it(`${name} (float64 reference, 1e-6)`, () => {
      const y = draw(yKind, [6, 4], 3);
      const p = draw(pKind, [6, 4], 4);
      const fn = losses.get(name) as losses.LossFn;
      expectClose(fn(tf.tensor(y), tf.tensor(p)), reference[name]!(y, p));
    });
  }

  it('focal crossentropies (float64 reference)', () => {
    const y = draw('binary', [6, 4], 3);
    const p = draw('probability', [6, 4], 4);
    expectClose(losses.binary_focal_crossentropy(y, p), binaryFocal(y, p));
    expectClose(
      losses.binary_focal_crossentropy(y, p, { apply_class_balancing: true, gamma: 1.5, label_smoothing: 0.2 }),
      binaryFocal(y, p, { balance: true, gamma: 1.5, smoothing: 0.2 }),
    );
    // From logits: the same loss at p = σ(z).
    const z = p.map((r) => r.map((v) => Math.log(v / (1 - v))));
    expectClose(losses.binary_focal_crossentropy(y, z, { from_logits: true }), binaryFocal(y, p), 2e-6);
    const onehot = draw('onehot', [6, 4], 5);
    expectClose(losses.categorical_focal_crossentropy(onehot, p), categoricalFocal(onehot, p));
    // Keras's docstring examples.
    expectClose(losses.binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [0.330, 0.206], 2e-3);
    expectClose(losses.categorical_focal_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]), [2.63401289e-4, 6.75912094e-1], 1e-6);
    expect(() => losses.BinaryFocalCrossentropy({ alpha: 2 })).toThrow('BinaryFocalCrossentropy: `alpha` must be a float in [0, 1]. Received: alpha=2');
    expect(() => losses.BinaryFocalCrossentropy({ gamma: -1 })).toThrow('`gamma` must be a float >= 0');
    expect(() => losses.BinaryFocalCrossentropy({ apply_class_balancing: 1 as never })).toThrow('`apply_class_balancing` must be a boolean');
    expect(() => losses.CategoricalFocalCrossentropy({ axis: 0 as never })).toThrow('CategoricalFocalCrossentropy: `axis` must be -1');
    expect(() => losses.categorical_focal_crossentropy([[1]], [[1]], { label_smoothing: 2 })).toThrow('`label_smoothing` must be a float in [0, 1]');
    expect(losses.serialize(losses.BinaryFocalCrossentropy({ gamma: 3 }))).toMatchObject({ class_name: 'BinaryFocalCrossentropy', config: { gamma: 3, alpha: 0.25 } });
  });

  it('sparse_categorical_crossentropy (float64 reference)', () => {
    const p = draw('probability', [5, 3], 8);
    const labels = [0, 2, 1, 1, 0];
    expectClose(losses.sparse_categorical_crossentropy(labels, p), sparseReference(labels, p));
    expectClose(losses.sparse_categorical_crossentropy(labels.map((c) => [c]), p), sparseReference(labels, p));
  });

  it('from_logits and label_smoothing', () => {
    const y = draw('binary', [4, 3], 1);
    const z = draw('real', [4, 3], 2);
    expectClose(losses.binary_crossentropy(y, z, { from_logits: true }), logitsReference.binary(y, z));
    // Smoothing 0.2 squeezes labels to 0.1 / 0.9.
    const smoothed = y.map((r) => r.map((v) => v * 0.8 + 0.1));
    expectClose(losses.binary_crossentropy(y, z, true, 0.2), logitsReference.binary(smoothed, z));
    const onehot = draw('onehot', [4, 3], 5);
    expectClose(losses.categorical_crossentropy(onehot, z, { from_logits: true }), logitsReference.categorical(onehot, z));
    // Smoothing 0.3 over 3 classes: y · 0.7 + 0.1.
    const smoothedOneHot = onehot.map((r) => r.map((v) => v * 0.7 + 0.1));
    expectClose(losses.categorical_crossentropy(onehot, z, { from_logits: true, label_smoothing: 0.3 }), logitsReference.categorical(smoothedOneHot, z));
    const labels = [2, 0, 1, 1];
    const sparseAsOneHot = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    expectClose(losses.sparse_categorical_crossentropy(labels, z, { from_logits: true }), logitsReference.categorical(sparseAsOneHot, z));
  });

  it("matches Keras's published values", () => {
    // keras/src/losses/losses.py docstrings and losses_test.py.
    expectClose(losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [0.916, 0.714], 1e-3);
    expectClose(losses.sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), [0.0513, 2.303], 1e-3);
    expectClose(losses.cosine_similarity([[0, 1], [1, 1], [1, 1]], [[1, 0], [1, 1], [-1, -1]]), [0, -0.99999994, 0.99999994]);
    expectClose(losses.MeanSquaredError()([[1, 9, 2], [-5, -2, 6]], [[4, 8, 12], [8, 1, 3]]), [49.5], 1e-6);
    expectClose(losses.MeanSquaredError()([[1, 9, 2], [-5, -2, 6]], [[4, 8, 12], [8, 1, 3]], 2.3), [113.85], 1e-6);
    expectClose(losses.MeanSquaredError()([[1, 9, 2], [-5, -2, 6]], [[4, 8, 12], [8, 1, 3]], [[1.2], [3.4]]), [767.8 / 6], 1e-6);
    expectClose(losses.Hinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [1.3], 1e-6);
    expectClose(losses.Hinge({ reduction: 'sum' })([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [2.6], 1e-6);
    expectClose(losses.Hinge({ reduction: null })([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [1.1, 1.5], 1e-6);
    expectClose(losses.CategoricalHinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [1.4], 1e-6);
    const y3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    expectClose(losses.BinaryCrossentropy()(y3, [[0.9, 0.1, 0.2], [0.3, 0.8, 0.1], [0.1, 0.2, 0.7]]), [0.20046903], 1e-6);
    expectClose(losses.BinaryCrossentropy()([[1, 0], [1, 0]], [[1, 1], [1, 0]]), [3.98559], 1e-5);
    expectClose(losses.BinaryCrossentropy({ from_logits: true })([[1, 0, 1], [0, 1, 1]], [[10, -10, 10], [10, 10, -10]]), [3.3333], 1e-4);
    const p3 = [[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]];
    expectClose(losses.CategoricalCrossentropy()(y3, p3), [0.3239], 1e-4);
    expectClose(losses.CategoricalCrossentropy()(y3, p3, 2.3), [0.7449], 1e-3);
    expectClose(losses.CategoricalCrossentropy({ from_logits: true })(y3, [[8, 1, 1], [0, 9, 1], [2, 3, 5]]), [0.0573], 1e-3);
    expectClose(losses.SparseCategoricalCrossentropy()([0, 1, 2], p3), [0.3239], 1e-4);
    expect(values(losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])).reduce((a, b) => a + b) / 2).toBeCloseTo(0.155, 3);
    expect(values(losses.log_cosh([[0, 1], [0, 0]], [[1, 1], [0, 0]])).reduce((a, b) => a + b) / 2).toBeCloseTo(0.108, 3);
  });

  it('reduces like Keras: sum, mean_with_sample_weight, none, and squeezes [N] against [N, 1]', () => {
    // Per-sample MSE [1, 4] (targets [1, 2], predictions [0, 0]).
    expectClose(losses.mean_squared_error([1, 2], [[0], [0]]), [1, 4]);
    expectClose(losses.MeanSquaredError({ reduction: 'sum' })([1, 2], [[0], [0]]), [5]);
    // (1·1 + 3·4) / (1 + 3)
    expectClose(losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' })([1, 2], [[0], [0]], [1, 3]), [13 / 4]);
    expectClose(losses.MeanSquaredError({ reduction: 'none' })([1, 2], [[0], [0]], [1, 3]), [1, 12]);
    expectClose(losses.MeanSquaredError().call([1, 2], [[0], [0]]), [1, 4]);
  });
});

describe('tensor hygiene', () => {
  it('functions, classes and the engine view leave only their results behind', () => {
    const y = tf.tensor([[0, 1], [1, 0]]);
    const p = tf.tensor([[0.3, 0.7], [0.6, 0.4]]);
    const before = tf.memory().numTensors;
    for (const [name] of CASES) {
      tf.dispose((losses.get(name) as losses.LossFn)(y, p));
      const loss = losses.getLoss(name);
      tf.dispose(tf.tidy(() => [loss.reduce(loss.call(y, p)), loss.gradient(y, p, tf.tensor([1, 2]))]));
    }
    tf.dispose([losses.BinaryCrossentropy({ label_smoothing: 0.1 })(y, p, [1, 2]), losses.sparse_categorical_crossentropy([1, 0], p)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, p]);
  });
});

describe('get / serialize / deserialize', () => {
  it('resolves names, aliases and class names as Keras does', () => {
    expect(losses.get('mse')).toBe(losses.mean_squared_error);
    expect(losses.get('kullback_leibler_divergence')).toBe(losses.kl_divergence);
    expect(losses.get('MeanSquaredError')).toBeInstanceOf(losses.MeanSquaredError);
    expect(losses.getLoss('mse').name).toBe('mean_squared_error');
    expect(losses.getLoss('logcosh').name).toBe('log_cosh');
    expect(losses.getLoss('MeanSquaredError').name).toBe('mean_squared_error');
    const fromConfig = losses.getLoss({ class_name: 'BinaryCrossentropy', config: { from_logits: true, name: 'bce_logits' } });
    expect(fromConfig.name).toBe('bce_logits');
    // From logits: ∂/∂z = (σ(0) − 1)/1 = −0.5.
    expectClose(fromConfig.gradient(tf.tensor([[1]]), tf.tensor([[0]])), [-0.5]);
    expect(losses.getLoss(losses.BinaryCrossentropy({ name: 'bce' })).name).toBe('bce');
    // A class without `()` is instantiated with its defaults, as Keras does.
    expect(losses.get(losses.Huber)).toBeInstanceOf(losses.Huber);
    expect(losses.getLoss(losses.Huber).name).toBe('huber_loss');
  });

  it('round-trips configs', () => {
    const bce = losses.BinaryCrossentropy({ from_logits: true, label_smoothing: 0.1, name: 'bce' });
    const config = losses.serialize(bce);
    expect(config).toEqual({
      module: 'keras.losses',
      class_name: 'BinaryCrossentropy',
      config: { name: 'bce', reduction: 'sum_over_batch_size', from_logits: true, label_smoothing: 0.1, axis: -1 },
      registered_name: null,
    });
    const back = losses.deserialize(config) as losses.BinaryCrossentropy;
    expect(back.get_config()).toEqual(bce.get_config());
    expect(losses.serialize(losses.mse)).toMatchObject({ class_name: 'function', config: 'mean_squared_error' });
    expect(losses.deserialize('huber')).toBe(losses.huber);
  });

  it('names the closest loss for a misspelt one', () => {
    expect(() => losses.get('msee')).toThrow("Could not interpret loss identifier: 'msee'. Did you mean 'mse'?");
    expect(() => losses.getLoss('binary_crossentropi')).toThrow("Did you mean 'binary_crossentropy'?");
    expect(() => losses.serialize((a: tf.Tensor) => a)).toThrow('cannot be serialized');
  });

  it('validates class options with Keras wording', () => {
    expect(() => losses.BinaryCrossentropy({ label_smoothing: 2 })).toThrow(
      'BinaryCrossentropy: `label_smoothing` must be a float in [0, 1]. Received: label_smoothing=2',
    );
    expect(() => losses.Hinge({ reduction: 'abc' as never })).toThrow("Hinge: `reduction` must be one of 'sum_over_batch_size'");
    expect(() => losses.Huber({ delta: -1 })).toThrow('Huber: `delta` must be > 0. Received: delta=-1');
    expect(() => losses.huber([1], [2], { delta: 'x' as never })).toThrow("huber: `delta` must be a float. Received: delta='x'");
    expect(() => losses.SparseCategoricalCrossentropy({ axis: 0 as never })).toThrow('`axis` must be -1');
    expect(() => losses.CosineSimilarity({ axis: 1.5 })).toThrow('CosineSimilarity: `axis` must be an integer');
    expect(() => losses.CategoricalCrossentropy({ from_logit: true } as never)).toThrow('Did you mean `from_logits`?');
    expect(() => losses.MeanSquaredError({ name: 3 as never })).toThrow('MeanSquaredError: `name` must be a string');
    const table: Array<[() => unknown, string]> = [
      [() => losses.binary_crossentropy([1], [0.5], { from_logits: 'yes' as never }), "binary_crossentropy: `from_logits` must be a boolean. Received: from_logits='yes'"],
      [() => losses.binary_crossentropy([1], [0.5], { label_smoothing: -0.1 }), 'binary_crossentropy: `label_smoothing` must be a float in [0, 1]. Received: label_smoothing=-0.1'],
      [() => losses.binary_crossentropy([1], [0.5], { axis: 0.5 }), 'binary_crossentropy: `axis` must be an integer. Received: axis=0.5'],
      [() => losses.categorical_crossentropy([[1]], [[1]], { label_smoothing: 1.5 }), 'categorical_crossentropy: `label_smoothing` must be a float in [0, 1]'],
      [() => losses.sparse_categorical_crossentropy([0], [[1]], { from_logits: 0 as never }), 'sparse_categorical_crossentropy: `from_logits` must be a boolean'],
      [() => losses.cosine_similarity([1], [1], { axis: 'last' as never }), "cosine_similarity: `axis` must be an integer. Received: axis='last'"],
      [() => losses.CategoricalCrossentropy({ axis: 1.5 }), 'CategoricalCrossentropy: `axis` must be an integer'],
      [() => losses.BinaryCrossentropy({ reduction: 'avg' as never }), 'BinaryCrossentropy: `reduction` must be one of'],
      [() => losses.SparseCategoricalCrossentropy({ from_logits: 'no' as never }), 'SparseCategoricalCrossentropy: `from_logits` must be a boolean'],
    ];
    for (const [call, message] of table) expect(call).toThrow(message);
  });
});

describe('crossentropy shape mismatches fail clearly', () => {
  it('class indices given to categorical_crossentropy', () => {
    expect(() => losses.categorical_crossentropy([[1], [0]], [[0.2, 0.8], [0.6, 0.4]])).toThrow(
      'categorical_crossentropy: arguments `target` and `output` must have the same shape. Received: target.shape=[2, 1], output.shape=[2, 2]. For integer class labels, use sparse_categorical_crossentropy',
    );
    const loss = losses.getLoss('categorical_crossentropy');
    expect(() => loss.logitsCall!('softmax', tf.tensor([[1], [0]]), tf.tensor([[0.2, 0.8], [0.6, 0.4]]))).toThrow('must have the same shape');
    expect(() => losses.getLoss('binary_crossentropy').call(tf.tensor([[1, 0]]), tf.tensor([[0.5], [0.5]]))).toThrow(
      'binary_crossentropy: arguments `target` and `output` must have the same shape',
    );
  });
  it('a scalar sample weight weighs every sample', () => {
    // 2(p − y)·w/N with w = 3, N = 2: 2·(0 − 1)·3/2 = −3 and 2·(0 − 2)·3/2 = −6.
    const g = losses.getLoss('mse').gradient(tf.tensor([[1], [2]]), tf.tensor([[0], [0]]), tf.scalar(3));
    expectClose(g, [-3, -6]);
  });
});

describe('sparse labels that do not fit fail clearly', () => {
  const p = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
  it('labels out of range', () => {
    expect(() => losses.sparse_categorical_crossentropy([1, 3], p)).toThrow(
      'sparse_categorical_crossentropy: labels must be integer class indices in [0, 3) for an output of 3 classes. Received: y_true[1]=3.',
    );
    expect(() => losses.SparseCategoricalCrossentropy()([-1, 0], p)).toThrow('Received: y_true[0]=-1');
    expect(() => losses.getLoss('sparse_categorical_crossentropy').checkTargets!(tf.tensor([0.5, 1]), [2, 3])).toThrow('y_true[0]=0.5');
  });
  it('one-hot labels', () => {
    expect(() => losses.sparse_categorical_crossentropy([[0, 1, 0], [1, 0, 0]], p)).toThrow(
      'These look like one-hot labels: use categorical_crossentropy',
    );
    const loss = losses.getLoss('sparse_categorical_crossentropy');
    expect(() => loss.call(tf.tensor([[0, 1, 0], [1, 0, 0]]), tf.tensor(p))).toThrow('Received: y_true.shape=[2, 3], y_pred.shape=[2, 3]');
  });
});

/** Reference: autodiff of the reduced loss, sum_i(w_i · l_i) / N. */
function autodiffGradient(loss: losses.LossFunction, y: tf.Tensor, p: tf.Tensor, w?: tf.Tensor): tf.Tensor {
  return tf.grad((q: tf.Tensor) => {
    const perSample = loss.call(y, q);
    return tf.div(tf.sum(w ? tf.mul(perSample, w) : perSample), perSample.size) as tf.Scalar;
  })(p);
}

describe('LossFunction.gradient equals tf.grads (relative error ≤ 1e-5)', () => {
  const cases: Array<[string, string, string]> = [
    ...CASES,
    ['sparse_categorical_crossentropy', 'labels', 'probability'],
    ['binary_focal_crossentropy', 'binary', 'probability'],
    ['categorical_focal_crossentropy', 'onehot', 'probability'],
  ];
  for (const [name, yKind, pKind] of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      const loss = losses.getLoss(name);
      const y = yKind === 'labels' ? tf.tensor([[0], [3], [1], [2], [2], [1], [0], [3]]) : tf.tensor(draw(yKind, [8, 4], 21));
      const p = tf.tensor(draw(pKind, [8, 4], 22));
      const w = tf.randomUniform([8], 0, 2, 'float32', 23);
      for (const weights of [undefined, w]) {
        const [hand, auto] = tf.tidy(() => [loss.gradient(y, p, weights), autodiffGradient(loss, y, p, weights)]);
        expect(hand.shape).toEqual(p.shape);
        expect(relativeError(hand, auto)).toBeLessThanOrEqual(1e-5);
        tf.dispose([hand, auto]);
      }
      tf.dispose([y, p, w]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('class options change the gradient as they change the loss', () => {
    const y = tf.tensor(draw('binary', [6, 3], 1));
    const z = tf.tensor(draw('real', [6, 3], 2));
    const onehot = tf.tensor(draw('onehot', [6, 3], 3));
    const pairs: Array<[losses.Loss, tf.Tensor]> = [
      [losses.BinaryCrossentropy({ from_logits: true, label_smoothing: 0.1 }), y],
      [losses.BinaryCrossentropy({ label_smoothing: 0.3 }), y],
      [losses.CategoricalCrossentropy({ from_logits: true }), onehot],
      [losses.CategoricalCrossentropy({ label_smoothing: 0.2 }), onehot],
      [losses.Huber({ delta: 0.5 }), z],
      [losses.SparseCategoricalCrossentropy({ from_logits: true }), tf.tensor([0, 2, 1, 1, 0, 2])],
      [losses.MeanSquaredError({ reduction: 'sum' }), z],
      [losses.BinaryFocalCrossentropy({ apply_class_balancing: true, gamma: 1.5, label_smoothing: 0.1 }), y],
      [losses.BinaryFocalCrossentropy({ from_logits: true, gamma: 0 }), y],
      [losses.CategoricalFocalCrossentropy({ from_logits: true, gamma: 3 }), onehot],
      [losses.CategoricalFocalCrossentropy({ label_smoothing: 0.2, alpha: 0.5 }), onehot],
    ];
    for (const [instance, target] of pairs) {
      const loss = losses.getLoss(instance);
      const needsProbabilities = !instance.get_config().from_logits && instance.name.includes('crossentropy');
      const p = needsProbabilities ? tf.sigmoid(z) : z;
      const hand = loss.gradient(target, p);
      const auto = tf.grad((q: tf.Tensor) => loss.reduce(loss.call(target, q)) as tf.Scalar)(p);
      expect(relativeError(hand, auto), instance.name).toBeLessThanOrEqual(1e-5);
      tf.dispose([hand, auto]);
    }
  });

  it('a user subclass of keras.losses.Loss: named, reduced and differentiated as Keras does', () => {
    class MeanFourthPower extends losses.Loss {
      call(yTrue: tf.TensorLike | tf.Tensor, yPred: tf.TensorLike | tf.Tensor): tf.Tensor {
        return tf.tidy(() => tf.mean(tf.pow(tf.sub(yPred, yTrue), 4), -1));
      }
    }
    const loss = new MeanFourthPower();
    expect(loss.name).toBe('mean_fourth_power');
    expect(loss.reduction).toBe('sum_over_batch_size');
    // Per-sample (1⁴, 2⁴) = (1, 16); reduced (1 + 16)/2.
    expectClose(loss.call([[0], [0]], [[1], [2]]), [1, 16]);
    expectClose(loss([[0], [0]], [[1], [2]]), [8.5]);
    expect(new MeanFourthPower({ name: 'm4', reduction: 'sum' }).get_config()).toEqual({ name: 'm4', reduction: 'sum' });
    // ∂/∂p of mean_i (p − y)⁴ = 4(p − y)³/N: [4·1/2, 4·8/2].
    const engine = losses.getLoss(new MeanFourthPower());
    expectClose(engine.gradient(tf.tensor([[0], [0]]), tf.tensor([[1], [2]])), [2, 16]);
    expect(() => new MeanFourthPower({ reduction: 'avg' as never })).toThrow("MeanFourthPower: `reduction` must be one of 'sum_over_batch_size'");
  });

  it('a user loss function falls back to autodiff', () => {
    const cubic = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.pow(tf.sub(yPred, yTrue), 3), -1);
    const loss = losses.getLoss(cubic);
    expect(loss.name).toBe('cubic');
    // l_i = (p − y)³ averaged over 1 column; ∂/∂p of mean_i l_i = 3(p − y)²/N: [3·1, 3·4] / 2.
    expectClose(loss.gradient(tf.tensor([[0], [0]]), tf.tensor([[1], [-2]])), [1.5, 6]);
  });

  it('accepts 1-D targets against a [N, 1] output and returns the output shape', () => {
    const loss = losses.getLoss('mse');
    const g = loss.gradient(tf.tensor([1, 2]), tf.tensor([[0], [0]]));
    expect(g.shape).toEqual([2, 1]);
    // 2(p − y)/N = [−1, −2]
    expectClose(g, [-1, -2]);
  });
});

describe('activation × loss: the backward chain equals tf.grads', () => {
  const lossCases: Array<[string, string]> = [
    ['mean_squared_error', 'real'],
    ['mean_absolute_error', 'real'],
    ['mean_absolute_percentage_error', 'real'],
    ['mean_squared_logarithmic_error', 'positive'],
    ['log_cosh', 'real'],
    ['huber', 'real'],
    ['cosine_similarity', 'real'],
    ['hinge', 'binary'],
    ['squared_hinge', 'sign'],
    ['categorical_hinge', 'onehot'],
    ['kl_divergence', 'distribution'],
    ['poisson', 'positive'],
    ['binary_crossentropy', 'binary'],
    ['categorical_crossentropy', 'onehot'],
    ['sparse_categorical_crossentropy', 'labels'],
    ['binary_focal_crossentropy', 'binary'],
    ['categorical_focal_crossentropy', 'onehot'],
  ];
  for (const [lossName, yKind] of lossCases) {
    it(`${lossName} after every activation`, () => {
      const before = tf.memory().numTensors;
      const loss = losses.getLoss(lossName);
      const y = yKind === 'labels' ? tf.tensor([0, 3, 1, 2, 2, 1, 0, 3]) : tf.tensor(draw(yKind, [8, 4], 31));
      // Logits kept 0.3 away from 0, where z − tanh z and similar outputs lose their digits to cancellation.
      const z = tf.tidy(() => {
        const raw = tf.tensor(draw('real', [8, 4], 32));
        return tf.add(raw, tf.mul(tf.sign(raw), 0.3));
      });
      const checked: string[] = [];
      for (const name of BUILTIN_ACTIVATIONS.keys()) {
        const activation = getActivation(name);
        const result = tf.tidy(() => {
          const a = activation.forward(z);
          const reported = loss.logitsCall?.(activation.name, y, z) ?? loss.call(y, a);
          const fused = loss.logitsGradient?.(activation.name, y, z, a);
          const delta = fused ?? activation.backward(loss.gradient(y, a), z, a);
          // The reference differentiates the loss Keras reports: from the logits when it reads them.
          const reference = tf.grad((t: tf.Tensor) => {
            const perSample = loss.logitsCall?.(activation.name, y, t) ?? loss.call(y, activation.forward(t));
            return tf.mean(perSample) as tf.Scalar;
          })(z);
          return { finite: tf.all(tf.isFinite(reported)).dataSync()[0] === 1, error: relativeError(delta, reference), fused: fused !== undefined };
        });
        // Losses that need positive predictions are undefined after activations that go negative.
        if (!result.finite) continue;
        checked.push(name);
        expect(result.error, `${name} → ${lossName}`).toBeLessThanOrEqual(1e-5);
      }
      expect(checked.length).toBeGreaterThanOrEqual(7);
      expect(checked).toContain('sigmoid');
      expect(checked).toContain('softmax');
      tf.dispose([y, z]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('fuses sigmoid + binary crossentropy and softmax + (sparse) categorical crossentropy', () => {
    const z = tf.tensor([[0.5, -1], [2, 0]]);
    const a = tf.sigmoid(z);
    const y = tf.tensor([[1, 0], [0, 1]]);
    // ∂/∂z of mean over 2 samples and 2 columns: (σ(z) − y) / 4.
    const expected = values(tf.div(tf.sub(a, y), 4));
    expectClose(losses.getLoss('binary_crossentropy').logitsGradient!('sigmoid', y, z, a)!, expected);
    expect(losses.getLoss('binary_crossentropy').logitsGradient!('relu', y, z, a)).toBeUndefined();
    const s = tf.softmax(z);
    // (softmax(z) − y) / 2 for the one-hot rows, and the same for the sparse labels [0, 1].
    const expectedSoftmax = values(tf.div(tf.sub(s, y), 2));
    expectClose(losses.getLoss('categorical_crossentropy').logitsGradient!('softmax', y, z, s)!, expectedSoftmax);
    expectClose(losses.getLoss('sparse_categorical_crossentropy').logitsGradient!('softmax', tf.tensor([[0], [1]]), z, s)!, expectedSoftmax);
    expect(losses.getLoss('mse').logitsGradient!('sigmoid', y, z, a)).toBeUndefined();
    // Saturated sigmoid: the probability form clips to log(1e-7) ≈ 16.1, the logits form does not.
    const big = tf.tensor([[40]]);
    const fromLogits = values(losses.getLoss('binary_crossentropy').logitsCall!('sigmoid', tf.tensor([[0]]), big)!);
    expectClose(fromLogits, [40], 1e-6);
    tf.dispose([z, a, y, s, big]);
  });
});

describe('peer check: tfjs-layers loss functions', () => {
  // tfjs-layers exposes these per-sample functions as metrics; they follow Keras's formulas.
  const pairs: Array<[string, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, string, string]> = [
    ['mean_squared_error', tfl.metrics.meanSquaredError, 'real', 'real'],
    ['mean_absolute_error', tfl.metrics.meanAbsoluteError, 'real', 'real'],
    ['mean_absolute_percentage_error', tfl.metrics.MAPE, 'real', 'real'],
    ['binary_crossentropy', tfl.metrics.binaryCrossentropy, 'binary', 'probability'],
    ['categorical_crossentropy', tfl.metrics.categoricalCrossentropy, 'onehot', 'probability'],
    ['cosine_similarity', tfl.metrics.cosineProximity, 'real', 'real'],
  ];
  for (const [ours, theirs, yKind, pKind] of pairs) {
    it(ours, () => {
      const y = tf.tensor(draw(yKind, [6, 4], 13));
      const p = tf.tensor(draw(pKind, [6, 4], 14));
      const expected = tf.tidy(() => Array.from(theirs(y, p).dataSync()));
      expectClose((losses.get(ours) as losses.LossFn)(y, p), expected, 2e-6);
      tf.dispose([y, p]);
    });
  }
});
