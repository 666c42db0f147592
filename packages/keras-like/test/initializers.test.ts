import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as initializers from '../src/initializers.js';
import { set_random_seed } from '../src/utils/random.js';

function stats(t: tf.Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = t.dataSync();
  t.dispose();
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    q += (x - mean) ** 2;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { mean, variance: q / v.length, min, max };
}

const shape = [400, 300];
const [fanIn, fanOut] = [400, 300];

describe('random initializers draw with the variance of their formula', () => {
  // [name, expected variance, bound on |x|]: uniform limits sqrt(3·var); truncated normals stop at 2σ'.
  const TRUNC = 0.8796256610342398;
  const table: Array<[string, number, number]> = [
    ['glorot_uniform', 2 / (fanIn + fanOut), Math.sqrt(6 / (fanIn + fanOut))],
    ['glorot_normal', 2 / (fanIn + fanOut), (2 * Math.sqrt(2 / (fanIn + fanOut))) / TRUNC],
    ['he_uniform', 2 / fanIn, Math.sqrt(6 / fanIn)],
    ['he_normal', 2 / fanIn, (2 * Math.sqrt(2 / fanIn)) / TRUNC],
    ['lecun_uniform', 1 / fanIn, Math.sqrt(3 / fanIn)],
    ['lecun_normal', 1 / fanIn, (2 * Math.sqrt(1 / fanIn)) / TRUNC],
    // TF2's 'uniform' and 'normal' are Keras's RandomUniform(−0.05, 0.05) and RandomNormal(0, 0.05).
    ['uniform', 0.1 ** 2 / 12, 0.05],
    ['random_uniform', 0.1 ** 2 / 12, 0.05],
    ['normal', 0.05 ** 2, Infinity],
    ['RandomNormal', 0.05 ** 2, Infinity],
    // A normal truncated at ±2σ keeps 0.774 of σ² (the square of 0.8796).
    ['truncated_normal', (0.05 * TRUNC) ** 2, 0.1],
  ];
  for (const [name, variance, bound] of table) {
    it(name, () => {
      const s = stats((initializers.get(name) as initializers.Initializer)(shape));
      const n = shape[0]! * shape[1]!;
      expect(Math.abs(s.mean)).toBeLessThan(4 * Math.sqrt(variance / n));
      expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.03);
      expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound * (1 + 1e-6));
    });
  }

  it('VarianceScaling follows scale, mode and distribution', () => {
    const fanOutNormal = stats(initializers.VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal' })(shape));
    expect(Math.abs(fanOutNormal.variance / (3 / fanOut) - 1)).toBeLessThan(0.03);
    const avgUniform = stats(initializers.VarianceScaling(0.5, 'fan_avg', 'uniform')(shape));
    expect(Math.abs(avgUniform.variance / (0.5 / ((fanIn + fanOut) / 2)) - 1)).toBeLessThan(0.03);
    // 'Normal' is lower-cased as Keras does.
    expect(initializers.VarianceScaling({ distribution: 'Normal' as never }).distribution).toBe('normal');
  });

  it('RandomUniform and RandomNormal take their arguments', () => {
    const u = stats(initializers.RandomUniform({ minval: 0, maxval: 1 })([200, 200]));
    expect(u.min).toBeGreaterThanOrEqual(0);
    expect(u.max).toBeLessThan(1);
    expect(Math.abs(u.mean - 0.5)).toBeLessThan(0.01);
    const g = stats(initializers.RandomNormal(2, 0.5)([200, 200]));
    expect(Math.abs(g.mean - 2)).toBeLessThan(0.01);
    expect(Math.abs(g.variance / 0.25 - 1)).toBeLessThan(0.03);
  });
});

describe('reproducibility', () => {
  it('set_random_seed reproduces unseeded initializers', () => {
    set_random_seed(42);
    const a = (initializers.get('glorot_uniform') as initializers.Initializer)([3, 4]);
    set_random_seed(42);
    const b = (initializers.get('glorot_uniform') as initializers.Initializer)([3, 4]);
    set_random_seed(43);
    const c = (initializers.get('glorot_uniform') as initializers.Initializer)([3, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });

  it('an explicit seed fixes the draws; one instance repeats its values, as in Keras 3', () => {
    const a = initializers.RandomNormal({ seed: 7 })([5]);
    const b = initializers.RandomNormal({ seed: 7 })([5]);
    const init = initializers.HeNormal();
    const c = init([5, 2]);
    const d = init([5, 2]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(c.dataSync())).toEqual(Array.from(d.dataSync()));
    tf.dispose([a, b, c, d]);
  });
});

describe('deterministic initializers', () => {
  it('zeros, ones, constant and the TF2 names zero / one', () => {
    expect((initializers.get('zeros') as initializers.Initializer)([2, 2]).arraySync()).toEqual([[0, 0], [0, 0]]);
    expect((initializers.get('zero') as initializers.Initializer)([3]).arraySync()).toEqual([0, 0, 0]);
    expect((initializers.get('one') as initializers.Initializer)([2]).arraySync()).toEqual([1, 1]);
    expect(initializers.Ones()([1, 2]).arraySync()).toEqual([[1, 1]]);
    expect(initializers.Constant(3)([2]).arraySync()).toEqual([3, 3]);
    expect(initializers.Constant({ value: -0.5 })([1, 1]).arraySync()).toEqual([[-0.5]]);
  });

  it('identity times gain, rectangular included', () => {
    expect(initializers.Identity({ gain: 2 })([2, 3]).arraySync()).toEqual([[2, 0, 0], [0, 2, 0]]);
    expect(() => initializers.Identity()([2, 2, 2])).toThrow('Identity matrix initializer can only be used for 2D matrices. Received: shape=[2, 2, 2] of rank 3.');
  });

  it('orthogonal: QᵀQ = gain²·I for tall shapes and QQᵀ for wide ones', () => {
    for (const [s, gain] of [[[6, 4], 1], [[3, 5], 2], [[2, 3, 4], 1]] as Array<[number[], number]>) {
      const q = initializers.Orthogonal({ gain })(s);
      expect(q.shape).toEqual(s);
      const m = tf.reshape(q, [-1, s[s.length - 1]!]);
      const tall = m.shape[0]! >= m.shape[1]!;
      const gram = tall ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true);
      const expected = tf.mul(tf.eye(gram.shape[0]!), gain * gain);
      expect(tf.max(tf.abs(tf.sub(gram, expected))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([q, m, gram, expected]);
    }
    expect(() => initializers.Orthogonal()([3])).toThrow('The tensor to initialize must be at least two-dimensional. Received: shape=[3] of rank 1.');
  });

  it('computes fans as Keras: dense [in, out], conv [..., in, out] times the receptive field', () => {
    expect(initializers.computeFans([5])).toEqual([5, 5]);
    expect(initializers.computeFans([4, 7])).toEqual([4, 7]);
    expect(initializers.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
  });
});

describe('get / serialize / deserialize and errors', () => {
  it('resolves class names, snake_case names and functions', () => {
    expect(initializers.get('GlorotUniform')).toBeInstanceOf(initializers.GlorotUniform);
    expect(initializers.get('he_normal')).toBeInstanceOf(initializers.HeNormal);
    expect(initializers.get(initializers.HeNormal)).toBeInstanceOf(initializers.HeNormal);
    const fn = (s: number[]) => tf.ones(s);
    expect(initializers.get(fn)).toBe(fn);
    const init = initializers.RandomUniform({ minval: 0, maxval: 1, seed: 3 });
    expect(initializers.get(init)).toBe(init);
  });

  it('round-trips configs', () => {
    const init = initializers.VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 5 });
    const config = initializers.serialize(init);
    expect(config).toEqual({
      module: 'keras.initializers',
      class_name: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 5, input_axes: null, output_axes: null }, // Keras 3.16's keys
      registered_name: null,
    });
    const back = initializers.deserialize(config);
    const [a, b] = [init([3, 3]), back([3, 3])];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
    expect(initializers.serialize(initializers.GlorotUniform({ seed: 1 }))).toMatchObject({ class_name: 'GlorotUniform', config: { seed: 1 } });
    expect(initializers.deserialize({ class_name: 'Constant', config: { value: 4 } })([1]).arraySync()).toEqual([4]);
  });

  it('words errors as Keras, naming the closest valid name', () => {
    expect(() => initializers.get('glorot_unifrom')).toThrow("Could not interpret initializer identifier: 'glorot_unifrom'. Did you mean 'glorot_uniform'?");
    expect(() => initializers.VarianceScaling({ scale: -1 })).toThrow('VarianceScaling: `scale` must be a positive float. Received: scale=-1');
    expect(() => initializers.VarianceScaling({ mode: 'fan_x' as never })).toThrow("VarianceScaling: `mode` must be one of 'fan_in', 'fan_out', 'fan_avg'");
    expect(() => initializers.VarianceScaling({ distribution: 'cauchy' as never })).toThrow('`distribution` must be one of');
    expect(() => initializers.RandomNormal({ seed: 1.5 })).toThrow('RandomNormal: `seed` must be an integer or null. Received: seed=1.5');
    expect(() => initializers.RandomUniform({ minval: 'a' as never })).toThrow("RandomUniform: `minval` must be a float. Received: minval='a'");
    expect(() => initializers.Constant({ valu: 1 } as never)).toThrow('Did you mean `value`?');
    expect(() => initializers.Identity({ gain: null as never })).toThrow('Identity: `gain` must be a float');
    expect(() => initializers.Orthogonal({ gain: 'x' as never })).toThrow('Orthogonal: `gain` must be a float');
    expect(() => initializers.TruncatedNormal({ stddev: 'x' as never })).toThrow('TruncatedNormal: `stddev` must be a float');
    expect(() => initializers.HeUniform({ seed: 'x' as never })).toThrow('HeUniform: `seed` must be an integer or null');
    expect(() => initializers.Zeros()([2, -1])).toThrow('`shape` must be a list of non-negative integers');
    expect(() => initializers.RandomNormal({ mean: 'a' as never })).toThrow("RandomNormal: `mean` must be a float. Received: mean='a'");
    expect(() => initializers.RandomUniform({ maxval: null as never })).toThrow('RandomUniform: `maxval` must be a float');
    expect(() => initializers.Constant({ value: 'a' as never })).toThrow("Constant: `value` must be a float. Received: value='a'");
    expect(() => initializers.VarianceScaling({ seed: -0.5 })).toThrow('VarianceScaling: `seed` must be an integer or null');
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    for (const name of ['orthogonal', 'identity', 'glorot_uniform', 'he_normal', 'zeros']) {
      tf.dispose((initializers.get(name) as initializers.Initializer)([4, 4]));
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
