import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import * as constraints from '../src/constraints.js';
import { setVariableConstraint, variableConstraint } from '../src/backend/variables.js';

const { MaxNorm, NonNeg, UnitNorm, MinMaxNorm } = constraints;

function expectValues(actual: tf.Tensor, expected: number[][], digits = 5): void {
  const got = actual.arraySync() as number[][];
  actual.dispose();
  expect(got.length).toBe(expected.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, digits)));
}

// Columns of w have norms 5 and 1; rows have norms 3 and √17.
const w = [
  [3, 0],
  [4, 1],
];

describe('projections (values by hand)', () => {
  it('MaxNorm rescales columns whose norm exceeds max_value (axis 0)', () => {
    // column 0: norm 5 → scaled by 2/5; column 1: norm 1 ≤ 2, kept
    expectValues(MaxNorm(2)(w), [
      [1.2, 0],
      [1.6, 1],
    ]);
    // the defaults are max_value=2, axis=0
    expectValues(MaxNorm()(w), [
      [1.2, 0],
      [1.6, 1],
    ]);
    // rows instead: row 0 norm 3 → scaled by 2/3; row 1 norm √17 → scaled by 2/√17
    const s = 2 / Math.sqrt(17);
    expectValues(MaxNorm(2, 1)(w), [
      [2, 0],
      [4 * s, s],
    ]);
    // TF2's maxnorm(4): nothing exceeds 5 → unchanged... except column 0 (norm 5 > 4): scaled by 4/5
    expectValues(constraints.maxnorm(4)(w), [
      [2.4, 0],
      [3.2, 1],
    ]);
  });

  it('NonNeg zeroes negative weights', () => {
    expectValues(NonNeg()([[-1, 2], [0.5, -3]]), [
      [0, 2],
      [0.5, 0],
    ]);
  });

  it('UnitNorm gives each column norm 1', () => {
    expectValues(UnitNorm()(w), [
      [0.6, 0],
      [0.8, 1],
    ]);
    expectValues(UnitNorm({ axis: 1 })(w), [
      [1, 0],
      [4 / Math.sqrt(17), 1 / Math.sqrt(17)],
    ]);
  });

  it('MinMaxNorm moves norms towards [min_value, max_value] at `rate`', () => {
    // column 0: desired = 0.5·clip(5, 2, 3) + 0.5·5 = 4 → ×4/5; column 1: 0.5·2 + 0.5·1 = 1.5 → ×1.5
    expectValues(MinMaxNorm(2, 3, 0.5)(w), [
      [2.4, 0],
      [3.2, 1.5],
    ]);
    // defaults min 0, max 1, rate 1: every column to norm ≤ 1
    expectValues(MinMaxNorm()(w), [
      [0.6, 0],
      [0.8, 1],
    ]);
  });

  it('takes a list of axes, as for a Conv2D kernel', () => {
    // one norm over the whole 2×2 tensor: √26 → ×2/√26
    const s = 2 / Math.sqrt(26);
    expectValues(MaxNorm(2, [0, 1])(w), [
      [3 * s, 0],
      [4 * s, s],
    ]);
  });

  it('the base Constraint returns the weight unchanged', () => {
    expectValues(new constraints.Constraint()(w), w);
  });
});

describe('get / serialize / deserialize', () => {
  it('resolves Keras names, TF2 names and configs', () => {
    expect(constraints.get('max_norm')).toBeInstanceOf(MaxNorm);
    expect(constraints.get('maxnorm')).toBeInstanceOf(MaxNorm);
    expect(constraints.get('MaxNorm')).toBeInstanceOf(MaxNorm);
    expect(constraints.get('non_neg')).toBeInstanceOf(NonNeg);
    expect(constraints.get('unit_norm')).toBeInstanceOf(UnitNorm);
    expect(constraints.get('min_max_norm')).toBeInstanceOf(MinMaxNorm);
    expect(constraints.get(null)).toBeNull();
    const c = MaxNorm(3);
    expect(constraints.get(c)).toBe(c);
    const config = constraints.serialize(MinMaxNorm({ min_value: 0.5, max_value: 2, rate: 0.1, axis: 1 }));
    expect(config).toEqual({
      module: 'keras.constraints',
      class_name: 'MinMaxNorm',
      config: { min_value: 0.5, max_value: 2, rate: 0.1, axis: 1 },
      registered_name: null,
    });
    expect((constraints.get(config) as constraints.MinMaxNorm).get_config()).toEqual(config.config);
    expect(constraints.serialize(NonNeg()).class_name).toBe('NonNeg');
    expect(MaxNorm.from_config({ max_value: 3, axis: 1 }).get_config()).toEqual({ max_value: 3, axis: 1 });
  });

  it('wraps a plain function for layers', () => {
    const clip = (t: tf.Tensor) => tf.clipByValue(t, -1, 1);
    expect(constraints.get(clip)).toBe(clip);
    const wrapped = constraints.getConstraint(clip)!;
    expect(wrapped).toBeInstanceOf(constraints.Constraint);
    expectValues(wrapped(w), [
      [1, 0],
      [1, 1],
    ]);
  });

  it('is recorded on a variable for the optimizer', () => {
    const v = tf.variable(tf.tensor2d(w));
    const c = keras.constraints.max_norm(1);
    setVariableConstraint(v, c);
    const projected = variableConstraint(v)!(v);
    expectValues(projected, [
      [0.6, 0],
      [0.8, 1],
    ]);
    v.dispose();
  });
});

describe('bad input', () => {
  it('names the argument and the value', () => {
    expect(() => MaxNorm('2' as never)).toThrow("MaxNorm: `max_value` must be a number. Received: max_value='2'");
    expect(() => MaxNorm(2, 0.5)).toThrow('MaxNorm: `axis` must be an integer or a list of integers. Received: axis=0.5');
    expect(() => MinMaxNorm({ rate: Number.NaN })).toThrow('MinMaxNorm: `rate` must be a number. Received: rate=NaN');
    expect(() => UnitNorm({ axes: 1 } as never)).toThrow('Did you mean `axis`?');
    expect(() => NonNeg({ axis: 0 } as never)).toThrow("Unrecognized keyword arguments passed to NonNeg: {'axis': 0}");
    expect(() => constraints.get('max_nrom')).toThrow("Could not interpret constraint identifier: 'max_nrom'");
  });
});

describe('tensor hygiene', () => {
  it('leaks nothing', () => {
    const t = tf.tensor2d(w);
    const before = tf.memory().numTensors;
    for (const c of [MaxNorm(), NonNeg(), UnitNorm(), MinMaxNorm()]) {
      c(t).dispose();
      c(w).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('applied by the optimizer after each step', () => {
  it('max_norm and non_neg hold on a Dense kernel after fit', async () => {
    const { Sequential, Dense } = await import('keras-like');
    keras.utils.set_random_seed(2);
    const model = Sequential([
      Dense(4, { input_shape: [3], kernel_constraint: keras.constraints.max_norm(0.5), bias_constraint: 'non_neg' }),
      Dense(1, { kernel_constraint: keras.constraints.NonNeg() }),
    ]);
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.05 }), loss: 'mse' });
    const x = [
      [1, 2, 3],
      [-1, 0.5, 2],
      [3, -2, 1],
      [0, 1, -1],
    ];
    model.fit(x, [[10], [-10], [5], [-5]], { epochs: 5, batch_size: 2, verbose: 0 });
    const [kernel, bias, kernel2] = model.get_weights();
    // each unit's incoming weights (a column, axis 0) have norm ≤ 0.5
    const norms = tf.tidy(() => Array.from(tf.sqrt(tf.sum(tf.square(kernel!), 0)).dataSync()));
    norms.forEach((n) => expect(n).toBeLessThanOrEqual(0.5 + 1e-6));
    expect(Math.min(...Array.from(bias!.dataSync()))).toBeGreaterThanOrEqual(0);
    expect(Math.min(...Array.from(kernel2!.dataSync()))).toBeGreaterThanOrEqual(0);
  });
});
