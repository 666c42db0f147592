import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import * as regularizers from '../src/regularizers.js';

const { L1, L2, L1L2, OrthogonalRegularizer } = regularizers;

function value(t: tf.Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor, tol = 1e-5): void {
  const a = actual.arraySync() as number[][];
  const e = expected.arraySync() as number[][];
  expect(actual.shape).toEqual(expected.shape);
  a.flat().forEach((v, i) => expect(Math.abs(v - e.flat()[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(e.flat()[i]!))));
  actual.dispose();
  expected.dispose();
}

// w = [[1, -2], [0, 3]]: sum|w| = 6, sum w² = 14.
const w = [
  [1, -2],
  [0, 3],
];

describe('penalties (values by hand)', () => {
  it('L1, L2 and L1L2 follow loss = l1·Σ|x| + l2·Σx²', () => {
    expect(value(L1(0.1)(w))).toBeCloseTo(0.6, 6);
    expect(value(L2(0.1)(w))).toBeCloseTo(1.4, 6);
    expect(value(L1L2(0.1, 0.2)(w))).toBeCloseTo(0.6 + 2.8, 6);
    expect(value(L1L2({ l2: 0.1 })(w))).toBeCloseTo(1.4, 6);
    // Keras's docstring example: L2(2.)(ones(5, 5)) = 50.
    const ones = tf.ones([5, 5]);
    expect(value(regularizers.l2(2)(ones))).toBeCloseTo(50, 5);
    ones.dispose();
    expect(value(regularizers.l1(0.5)(w))).toBeCloseTo(3, 6);
    expect(L1L2.from_config({ l1: 0.1, l2: 0.2 }).get_config()).toEqual({ l1: 0.1, l2: 0.2 });
  });

  it('has Keras 3 default factors', () => {
    // Keras 3.16: L1().get_config() == {'l1': 0.009999999776482582}, the float32 0.01 (L1 keeps a tensor).
    expect(L1().get_config()).toEqual({ l1: 0.009999999776482582 });
    expect(L2().get_config()).toEqual({ l2: 0.01 });
    expect(L2(null).get_config()).toEqual({ l2: 0.01 });
    expect(L1L2().get_config()).toEqual({ l1: 0, l2: 0 });
    expect(regularizers.l1_l2({ l1: 0.01 }).get_config()).toEqual({ l1: 0.01, l2: 0 });
    expect(OrthogonalRegularizer().get_config()).toEqual({ factor: 0.01, mode: 'rows' });
    expect(new L2(0.3)).toBeInstanceOf(L2);
    expect(L2(0.3)).toBeInstanceOf(regularizers.Regularizer);
  });

  it('OrthogonalRegularizer: factor · 0.5 · Σ|off-diagonal of n nᵀ| / pairs', () => {
    // rows [1, 0] and [1, 1] → unit rows [1, 0], [1/√2, 1/√2]: off-diagonal products 1/√2 twice,
    // one pair: 0.1 · 0.5 · √2 / 1.
    expect(value(OrthogonalRegularizer(0.1)([[1, 0], [1, 1]]))).toBeCloseTo(0.05 * Math.SQRT2, 6);
    // the same vectors as columns
    expect(value(OrthogonalRegularizer(0.1, { mode: 'columns' })([[1, 1], [0, 1]]))).toBeCloseTo(0.05 * Math.SQRT2, 6);
    // orthogonal rows cost nothing
    expect(value(OrthogonalRegularizer(0.1)([[0, 2, 0], [3, 0, 0], [0, 0, -1]]))).toBeCloseTo(0, 7);
  });
});

describe('gradient (vs TensorFlow.js autodiff)', () => {
  const x = tf.tensor2d([
    [0.3, -1.2, 0.7],
    [-0.4, 0.9, 2.1],
    [1.5, -0.6, -0.2],
    [0.8, 0.1, -1.1],
  ]);
  const cases: Array<[string, regularizers.Regularizer]> = [
    ['L1', L1(0.3)],
    ['L2', L2(0.2)],
    ['L1L2', L1L2(0.1, 0.05)],
    ['Orthogonal rows', OrthogonalRegularizer(0.4)],
    ['Orthogonal columns', OrthogonalRegularizer(0.4, { mode: 'columns' })],
  ];
  for (const [name, reg] of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      const expected = tf.grad((t: tf.Tensor) => {
        // the penalty written independently of the code under test
        switch (name) {
          case 'L1':
            return tf.mul(0.3, tf.sum(tf.abs(t)));
          case 'L2':
            return tf.mul(0.2, tf.sum(tf.square(t)));
          case 'L1L2':
            return tf.add(tf.mul(0.1, tf.sum(tf.abs(t))), tf.mul(0.05, tf.sum(tf.square(t))));
          default: {
            const rows = name.endsWith('rows') ? t : tf.transpose(t);
            const n = tf.div(rows, tf.norm(rows, 'euclidean', 1, true));
            const k = rows.shape[0]!;
            const p = tf.mul(tf.matMul(n, n, false, true), tf.sub(1, tf.eye(k)));
            return tf.mul((0.4 * 0.5) / ((k * (k - 1)) / 2), tf.sum(tf.abs(p)));
          }
        }
      })(x);
      expectClose(reg.gradient(x), expected);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a plain function regularizer gets its gradient from autodiff', () => {
    const reg = regularizers.getRegularizer((t: tf.Tensor) => tf.mul(0.5, tf.sum(tf.pow(t, 4))) as tf.Scalar)!;
    // d/dx 0.5·x⁴ = 2x³
    expectClose(reg.gradient(x), tf.mul(2, tf.pow(x, 3)));
  });
});

describe('get / serialize / deserialize', () => {
  it('resolves strings with the default factors', () => {
    expect(regularizers.get('l1')).toBeInstanceOf(L1);
    expect((regularizers.get('l2') as regularizers.L2).l2).toBe(0.01);
    const l1l2 = regularizers.get('l1_l2') as regularizers.L1L2;
    expect(l1l2).toBeInstanceOf(L1L2);
    expect(l1l2.get_config()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(regularizers.get('l1l2')).toBeInstanceOf(L1L2);
    expect(regularizers.get('orthogonal_regularizer')).toBeInstanceOf(OrthogonalRegularizer);
    expect(regularizers.get(null)).toBeNull();
    expect(regularizers.get(undefined)).toBeNull();
    const reg = L2(0.5);
    expect(regularizers.get(reg)).toBe(reg);
    const fn = (t: tf.Tensor) => tf.sum(t) as tf.Scalar;
    expect(regularizers.get(fn)).toBe(fn);
  });

  it('round-trips through serialize / deserialize in Keras 3 form', () => {
    const config = regularizers.serialize(L1L2(0.1, 0.2));
    expect(config).toEqual({ module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 }, registered_name: null });
    const back = regularizers.deserialize(config) as regularizers.L1L2;
    expect(back.get_config()).toEqual({ l1: 0.1, l2: 0.2 });
    const ortho = regularizers.get(regularizers.serialize(OrthogonalRegularizer(0.2, { mode: 'columns' })));
    expect((ortho as regularizers.OrthogonalRegularizer).get_config()).toEqual({ factor: 0.2, mode: 'columns' });
    expect(regularizers.deserialize('L2')).toBeInstanceOf(L2);
  });

  it('is reachable as keras.regularizers', () => {
    expect(keras.regularizers.l2(0.01)).toBeInstanceOf(keras.regularizers.L2);
  });
});

describe('bad input', () => {
  it('rejects negative, non-finite and non-number factors', () => {
    expect(() => L1(-1)).toThrow('L1: `l1` must be a non-negative float. Received: l1=-1');
    expect(() => L2(Number.POSITIVE_INFINITY)).toThrow('L2: `l2` must be a non-negative float. Received: l2=Infinity');
    expect(() => L1L2(0.1, Number.NaN)).toThrow('L1L2: `l2` must be a non-negative float. Received: l2=NaN');
    expect(() => L2('0.1' as never)).toThrow("L2: `l2` must be a non-negative float. Received: l2='0.1'");
    expect(() => L2({ l3: 1 } as never)).toThrow('Did you mean `l2`?');
  });
  it("rejects OrthogonalRegularizer's mode and rank", () => {
    // @ts-expect-error not a mode
    expect(() => OrthogonalRegularizer(0.1, { mode: 'diagonal' })).toThrow(
      'OrthogonalRegularizer: `mode` must be one of "rows", "columns". Received: mode=\'diagonal\'',
    );
    const cube = tf.ones([2, 2, 2]);
    expect(() => OrthogonalRegularizer()(cube)).toThrow('Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=[2, 2, 2]');
    cube.dispose();
  });
  it('names an unknown identifier', () => {
    expect(() => regularizers.get('l3')).toThrow("Could not interpret regularizer identifier: 'l3'");
    expect(() => regularizers.deserialize({ class_name: 'L3', config: {} })).toThrow('Could not interpret regularizer identifier');
  });
});

describe('tensor hygiene', () => {
  it('leaks nothing when called on arrays or tensors', () => {
    const t = tf.tensor2d(w);
    const before = tf.memory().numTensors;
    for (const reg of [L1(), L2(), L1L2(0.1, 0.1), OrthogonalRegularizer()]) {
      reg(w).dispose();
      reg(t).dispose();
      reg.gradient(t).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});
