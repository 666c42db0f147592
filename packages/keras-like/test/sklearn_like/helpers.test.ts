/**
 * keras-like's scikit-learn / pandas / NumPy stand-ins. Expected numbers come from scikit-learn
 * 1.2.1 and NumPy (Debian's python3-sklearn), printed by the snippet beside each case.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { numpy, pandas, sklearn, tf } from 'keras-like';

const { make_moons, make_circles, make_blobs, make_regression, load_iris } = sklearn.datasets;
const { train_test_split } = sklearn.model_selection;
const { StandardScaler, MinMaxScaler } = sklearn.preprocessing;
const { confusion_matrix } = sklearn.metrics;

const X = [[1, 2], [3, 6], [5, 10], [7, 2]];

function close(actual: tf.Tensor, expected: number[][] | number[], digits = 5): void {
  const values = actual.arraySync() as number[][] | number[];
  expect(actual.shape).toEqual(tf.tensor(expected).shape);
  (values.flat() as number[]).forEach((v, i) => expect(v).toBeCloseTo((expected.flat() as number[])[i]!, digits));
}

describe('StandardScaler', () => {
  it('centres and scales by the population std (StandardScaler().fit(X).transform(X))', () => {
    const scaler = StandardScaler().fit(X);
    close(scaler.mean_!, [4, 5]);
    close(scaler.scale_!, [2.23606797749979, 3.3166247903554]);
    close(scaler.transform(X), [
      [-1.3416407864998738, -0.9045340337332909], [-0.4472135954999579, 0.30151134457776363],
      [0.4472135954999579, 1.507556722888818], [1.3416407864998738, -0.9045340337332909],
    ]);
    close(scaler.inverse_transform(scaler.transform(X)), X, 4);
  });

  it('leaves a constant feature at 0 (its std counts as 1)', () => {
    close(new StandardScaler().fit_transform([[1, 5], [2, 5]]), [[-1, 0], [1, 0]]);
  });

  it('refuses 1-D data and an unfitted transform, with scikit-learn\'s words', () => {
    expect(() => StandardScaler().fit([1, 2, 3])).toThrow(/expected a 2D array, got a 1D array/);
    expect(() => StandardScaler().transform(X)).toThrow("This StandardScaler instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.");
    expect(() => StandardScaler({ with_man: true } as never)).toThrow('Unrecognized keyword arguments passed to StandardScaler: {\'with_man\': true}. Did you mean `with_mean`?');
  });

  it('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const scaler = StandardScaler();
    scaler.fit_transform(X).dispose();
    scaler.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('MinMaxScaler', () => {
  it('maps each feature onto feature_range (MinMaxScaler(feature_range=(-1, 1)))', () => {
    const scaler = MinMaxScaler({ feature_range: [-1, 1] }).fit(X);
    close(scaler.scale_!, [0.3333333333333333, 0.25]);
    close(scaler.min_!, [-1.3333333333333333, -1.5]);
    close(scaler.transform(X), [[-1, -1], [-0.33333333333333326, 0], [0.33333333333333326, 1], [1, -1]]);
  });

  it('rejects a range whose min is not below its max', () => {
    expect(() => MinMaxScaler({ feature_range: [1, -1] })).toThrow('MinMaxScaler: `feature_range` must be a pair (min, max) with min < max. Received: feature_range=[1, -1]');
  });
});

describe('confusion_matrix', () => {
  it('counts true classes by row and predictions by column', () => {
    expect(confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1]).arraySync()).toEqual([[1, 1, 0], [0, 1, 1], [0, 0, 2]]);
    expect(confusion_matrix([1, 1, 0], [1, 0, 0], { labels: [1, 0] }).arraySync()).toEqual([[1, 1], [0, 1]]);
  });

  it('rejects inputs of different lengths', () => {
    expect(() => confusion_matrix([0, 1], [0])).toThrow('inconsistent numbers of samples: [2, 1]');
  });
});

describe('train_test_split', () => {
  it('rounds the test share up and keeps rows paired across arrays', () => {
    const x = tf.range(0, 10);
    const y = tf.mul(tf.range(0, 10), 10);
    const [xTrain, xTest, yTrain, yTest] = train_test_split(x, y, { test_size: 0.25, random_state: 1 });
    expect([xTrain!.shape[0], xTest!.shape[0]]).toEqual([7, 3]); // sklearn: 7 3
    expect(tf.mul(xTrain!, 10).arraySync()).toEqual(yTrain!.arraySync());
    expect(tf.mul(xTest!, 10).arraySync()).toEqual(yTest!.arraySync());
    const all = [...(xTrain!.arraySync() as number[]), ...(xTest!.arraySync() as number[])].sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [a, b] = train_test_split(tf.range(0, 7), { test_size: 0.33 });
    expect([a!.shape[0], b!.shape[0]]).toEqual([4, 3]); // sklearn: 4 3
    const [c, d] = train_test_split(tf.range(0, 1000), { test_size: 0.2 });
    expect([c!.shape[0], d!.shape[0]]).toEqual([800, 200]);
  });

  it('is reproducible with random_state and frees what it converted', () => {
    const first = train_test_split([[1], [2], [3], [4], [5]], { random_state: 3 })[0]!.arraySync();
    const before = tf.memory().numTensors;
    const again = train_test_split([[1], [2], [3], [4], [5]], { random_state: 3 });
    expect(again[0]!.arraySync()).toEqual(first);
    expect(tf.memory().numTensors).toBe(before + 2);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => train_test_split([1, 2, 3], [1, 2])).toThrow('inconsistent numbers of samples: [3, 2]');
  });
});

describe('data sets', () => {
  it('make_moons: the two half circles of scikit-learn (shuffle=False, n_samples=7)', () => {
    const [points, labels] = make_moons(7, { shuffle: false });
    close(points, [[1, 0], [0, 1], [-1, 0], [0, 0.5], [0.5, -0.3660254037844386], [1.5, -0.3660254037844387], [2, 0.5]]);
    expect(labels.arraySync()).toEqual([0, 0, 0, 1, 1, 1, 1]);
  });

  it('make_circles: radius 1 and `factor`, angles without the endpoint (n_samples=6, factor=0.5)', () => {
    const [points, labels] = make_circles({ n_samples: 6, shuffle: false, factor: 0.5 });
    close(points, [[1, 0], [-0.5, 0.866025], [-0.5, -0.866025], [0.5, 0], [-0.25, 0.433013], [-0.25, -0.433013]]);
    expect(labels.arraySync()).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('make_circles with noise: the same random_state gives the same points, and noise moves them', () => {
    const [a] = make_circles({ n_samples: 100, noise: 0.1, random_state: 1 });
    const [b] = make_circles({ n_samples: 100, noise: 0.1, random_state: 1 });
    const [c] = make_circles({ n_samples: 100, random_state: 1 });
    expect(a.arraySync()).toEqual(b.arraySync());
    const radii = (c.arraySync() as number[][]).map(([x, y]) => Math.hypot(x!, y!)).sort();
    expect(radii[0]).toBeCloseTo(0.8, 5);
    expect(radii[99]).toBeCloseTo(1, 5);
  });

  it('make_blobs: n_samples // centers per blob, the remainder to the first (sklearn: [4, 3, 3])', () => {
    const [points, labels] = make_blobs({ n_samples: 10, centers: 3, random_state: 0 });
    expect(points.shape).toEqual([10, 2]);
    const counts = [0, 0, 0];
    for (const l of labels.arraySync() as number[]) counts[l]!++;
    expect(counts).toEqual([4, 3, 3]);
  });

  it('make_regression: y = X·w + bias on n_informative features, without noise', () => {
    const [inputs, targets, w] = make_regression({ n_samples: 50, n_features: 5, n_informative: 2, bias: 3, coef: true, random_state: 2 }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(inputs.shape).toEqual([50, 5]);
    expect((w.arraySync() as number[]).filter((v) => v !== 0)).toHaveLength(2);
    close(targets, tf.add(tf.matMul(inputs, tf.reshape(w, [5, 1])).reshape([-1]), 3).arraySync() as number[], 3);
  });

  it('load_iris: scikit-learn\'s 150 flowers (column sums, class counts, first and last rows)', () => {
    const iris = load_iris();
    close(tf.sum(iris.data, 0), [876.5, 458.6, 563.7, 179.9], 3);
    expect(iris.data.shape).toEqual([150, 4]);
    close(tf.slice(iris.data, [0, 0], [1, 4]), [[5.1, 3.5, 1.4, 0.2]]);
    close(tf.slice(iris.data, [149, 0], [1, 4]), [[5.9, 3.0, 5.1, 1.8]]);
    expect(tf.sum(tf.equal(iris.target, 2).cast('int32')).arraySync()).toBe(50);
  });

  it('rejects bad arguments at the call', () => {
    expect(() => make_moons({ n_samples: -1 })).toThrow('make_moons: `n_samples` must be a positive integer. Received: n_samples=-1');
    expect(() => make_circles({ factor: 1 })).toThrow('make_circles: `factor` must be a number in [0, 1). Received: factor=1');
  });
});

describe('numpy and pandas stand-ins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keras-like-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('numpy.gradient: central differences inside, one-sided at the ends (np.gradient([1, 4, 9, 16, 25]))', () => {
    close(numpy.gradient([1, 4, 9, 16, 25]), [3, 4, 6, 8, 9]);
  });

  it('numpy.loadtxt reads a delimited file of numbers; a URL gets a message saying what to do', () => {
    const file = join(dir, 'data.csv');
    writeFileSync(file, '1,2,3\n4,5,6\n');
    close(numpy.loadtxt(file, { delimiter: ',' }), [[1, 2, 3], [4, 5, 6]]);
    expect(() => numpy.loadtxt('https://example.org/x.csv')).toThrow(/is a URL; keras-like reads local files only/);
    writeFileSync(file, '1,2\n3,x\n');
    expect(() => numpy.loadtxt(file, { delimiter: ',' })).toThrow('loadtxt: could not convert string to float: "x" (line 2, column 2).');
  });

  it('pandas.read_csv: columns by name, quoted header fields, values as one matrix', () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, '"Height","Weight"\n73.8,241.9\n68.8,162.3\n');
    const df = pandas.read_csv(file);
    expect(df.columns).toEqual(['Height', 'Weight']);
    expect(df.shape).toEqual([2, 2]);
    close(df.column('Height'), [73.8, 68.8], 4);
    close(df.values, [[73.8, 241.9], [68.8, 162.3]], 4);
    expect(() => df.column('Age')).toThrow('DataFrame: no column "Age". Columns: Height, Weight');
  });
});
