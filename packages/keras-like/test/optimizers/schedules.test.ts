/**
 * Learning rate schedules. Expected values are Keras's own
 * (keras/src/optimizers/schedules/learning_rate_schedule_test.py), written as the
 * formula the Keras test evaluates, or derived by hand in the comment next to them.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  deserialize,
  serialize,
} from '../../src/optimizers/schedules.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** Keras's assertAllClose(x, y, 1e-6): |x - y| <= atol + rtol * |y|. */
function expectClose(actual: number, expected: number, atol = 1e-6, rtol = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(atol + rtol * Math.abs(expected));
}

/** Keras's test helper for CosineDecay: the decay factor, without warmup. */
function npCosineDecay(step: number, decaySteps: number, alpha = 0): number {
  step = Math.min(step, decaySteps);
  const decay = 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps));
  return (1 - alpha) * decay + alpha;
}

/** Keras's test helper for CosineDecayRestarts: walks the periods one by one. */
function npCosineDecayRestarts(step: number, decaySteps: number, t_mul = 2, m_mul = 1, alpha = 0): number {
  let fac = 1;
  while (step >= decaySteps) {
    step -= decaySteps;
    decaySteps *= t_mul;
    fac *= m_mul;
  }
  const decay = fac * 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps));
  return (1 - alpha) * decay + alpha;
}

const stepsTo1500 = [0, 250, 500, 750, 1000, 1250];

describe('ExponentialDecay', () => {
  it('decays continuously: 0.05 * 0.96^(5/10) at step 5', () => {
    expectClose(ExponentialDecay(0.05, 10, 0.96)(5), 0.05 * 0.96 ** 0.5);
  });
  it('decays in stairs with staircase: true', () => {
    const decayed = ExponentialDecay(0.1, 3, 0.96, { staircase: true });
    expectClose(decayed(1), 0.1);
    expectClose(decayed(2), 0.1);
    // 100 // 3 = 33 whole periods.
    expectClose(decayed(100), 0.1 * 0.96 ** 33);
  });
  it('takes keyword arguments and camelCase aliases', () => {
    const decayed = new ExponentialDecay({ initial_learning_rate: 0.1, decaySteps: 2, decay_rate: 0.5 });
    // 0.1 * 0.5^(4/2) = 0.025
    expectClose(decayed(4), 0.025);
  });
  it('rejects decay_steps <= 0 and misspelt keys', () => {
    expect(() => ExponentialDecay(0.1, 0, 0.96)).toThrow('ExponentialDecay: `decay_steps` must be > 0. Received: decay_steps=0');
    expect(() => ExponentialDecay(0.1, 10, 0.96, { stair_case: true } as never)).toThrow('Did you mean `staircase`?');
    expect(() => ExponentialDecay('0.1' as never, 10, 0.96)).toThrow(
      "ExponentialDecay: `initial_learning_rate` must be a number. Received: initial_learning_rate='0.1'",
    );
    expect(() => ExponentialDecay(0.1, 10, 0.96, { staircase: 1 } as never)).toThrow(
      '`staircase` must be a boolean. Received: staircase=1',
    );
    expect(() => ExponentialDecay(0.1, 10, 0.96, { name: 3 } as never)).toThrow('`name` must be a string. Received: name=3');
    expect(() => ExponentialDecay(0.1, { decay_rate: 0.5 })).toThrow(
      'ExponentialDecay: `decay_steps` must be a number. Received: decay_steps=undefined',
    );
  });
});

describe('PiecewiseConstantDecay', () => {
  it("returns Keras's piecewise values", () => {
    const decayed = PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001]);
    const table: Array<[number, number]> = [[-999, 1.0], [100, 1.0], [105, 0.1], [110, 0.1], [120, 0.01], [999, 0.001]];
    for (const [step, expected] of table) expectClose(decayed(step), expected);
  });
  it('includes each boundary in the interval below it', () => {
    const decayed = PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7]);
    expect([0, 1, 2, 3, 4].map((step) => decayed(step))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
  });
  it('rejects mismatched lengths and unordered boundaries', () => {
    expect(() => PiecewiseConstantDecay([10, 20], [1, 2])).toThrow(
      'PiecewiseConstantDecay: The length of boundaries should be 1 less than the length of values. ' +
        'Received: boundaries=[10, 20] of length 2, and values=[1, 2] of length 2.',
    );
    expect(() => PiecewiseConstantDecay([20, 10], [1, 2, 3])).toThrow(
      'PiecewiseConstantDecay: `boundaries` must be strictly increasing. Received: boundaries=[20, 10]',
    );
    expect(() => PiecewiseConstantDecay([], [])).toThrow('`values` must have at least one value. Received: values=[]');
    expect(() => PiecewiseConstantDecay([1, 'x'] as never, [1, 2, 3])).toThrow(
      "`boundaries.1` must be a number. Received: boundaries.1='x'",
    );
  });
});

describe('PolynomialDecay', () => {
  it('decays linearly by default (power 1)', () => {
    expectClose(PolynomialDecay(0.05, 10, { end_learning_rate: 0 })(5), 0.05 * 0.5);
    expectClose(PolynomialDecay(0.05, 10, 0.001)(10), 0.001);
    expectClose(PolynomialDecay(0.05, 10, 0.001)(5), (0.05 + 0.001) * 0.5);
    expectClose(PolynomialDecay(0.05, 10, 0.001)(15), 0.001);
    // cycle: decay_steps becomes 20 at step 15, so 1 - 15/20 = 0.25 of the way remains.
    expectClose(PolynomialDecay(0.05, 10, 0.001, { cycle: true })(15), (0.05 - 0.001) * 0.25 + 0.001);
  });
  it('decays as the square root with power 0.5', () => {
    const power = 0.5;
    expectClose(PolynomialDecay(0.05, 10, 0, { power })(5), 0.05 * 0.5 ** power);
    expectClose(PolynomialDecay(0.05, 10, 0.001, { power })(10), 0.001);
    expectClose(PolynomialDecay(0.05, 10, 0.001, { power })(5), (0.05 - 0.001) * 0.5 ** power + 0.001);
    expectClose(PolynomialDecay(0.05, 10, 0.001, { power })(15), 0.001);
    expectClose(PolynomialDecay(0.05, 10, 0.001, power, true)(15), (0.05 - 0.001) * 0.25 ** power + 0.001);
    expectClose(PolynomialDecay(0.001, 10, { cycle: true })(0), 0.001);
  });
  it('defaults end_learning_rate to 0.0001', () => {
    expect(PolynomialDecay(0.1, 100).get_config()).toEqual({
      initial_learning_rate: 0.1,
      decay_steps: 100,
      end_learning_rate: 0.0001,
      power: 1.0,
      cycle: false,
      name: 'PolynomialDecay',
    });
  });
  it('rejects decay_steps <= 0', () => {
    expect(() => PolynomialDecay(0.1, -1)).toThrow('PolynomialDecay: `decay_steps` must be > 0. Received: decay_steps=-1');
    expect(() => PolynomialDecay(0.1, 10, { power: null } as never)).toThrow('`power` must be a number. Received: power=null');
  });
});

describe('InverseTimeDecay', () => {
  it("decays as 1/t, Keras's table", () => {
    const decayed = InverseTimeDecay(0.1, 10, 0.96);
    for (let i = 0; i <= 10; i++) expectClose(decayed(i), 0.1 / (1 + (i / 10) * 0.96));
  });
  it('decays in stairs with staircase: true', () => {
    const decayed = InverseTimeDecay(0.1, 10, 0.96, true);
    for (let i = 0; i <= 10; i++) expectClose(decayed(i), 0.1 / (1 + 0.96 * Math.floor(i / 10)));
  });
  it("matches the TF2 `decay` argument with decay_steps 1: lr / (1 + decay * iterations)", () => {
    // 0.01 / (1 + 1e-6 * 1000) = 0.01 / 1.001
    expectClose(InverseTimeDecay(0.01, 1, 1e-6)(1000), 0.01 / 1.001, 1e-12, 1e-12);
  });
  it('rejects decay_steps <= 0', () => {
    expect(() => InverseTimeDecay(0.1, 0, 0.5)).toThrow('InverseTimeDecay: `decay_steps` must be > 0. Received: decay_steps=0');
  });
});

describe('CosineDecay', () => {
  it("decays along a half cosine, Keras's table", () => {
    for (const step of stepsTo1500) expectClose(CosineDecay(1.0, 1000)(step), npCosineDecay(step, 1000));
  });
  it('decays to alpha * initial_learning_rate', () => {
    for (const step of stepsTo1500) expectClose(CosineDecay(1.0, 1000, 0.1)(step), npCosineDecay(step, 1000, 0.1));
    // Half way: 0.5 * (1 + cos(pi/2)) = 0.5, then (1 - 0.1) * 0.5 + 0.1 = 0.55.
    expectClose(CosineDecay(2.0, 1000, 0.1)(500), 1.1);
  });
  it('warms up linearly to warmup_target', () => {
    for (const step of stepsTo1500) {
      // Keras's linear_warmup helper: step / warmup_steps * (target - initial), with initial 0.
      expectClose(CosineDecay(0.0, 10, { warmup_target: 10.0, warmup_steps: 1500 })(step), (step / 1500) * 10.0);
    }
    // From a non-zero start: 0.1 + (1.0 - 0.1) * 5/10 = 0.55.
    expectClose(CosineDecay(0.1, 100, { warmup_target: 1.0, warmup_steps: 10 })(5), 0.55);
  });
  it('warms up, then decays from warmup_target', () => {
    for (let step = 0; step < 3000; step += 250) {
      const lr = CosineDecay(0.0, 1000, { warmup_target: 10.0, warmup_steps: 2000 })(step);
      const expected = step < 2001 ? (step / 2000) * 10.0 : 10.0 * npCosineDecay(step - 2000, 1000);
      expectClose(lr, expected);
    }
  });
  it('rejects decay_steps <= 0 and negative warmup_steps', () => {
    expect(() => CosineDecay(0.1, 0)).toThrow('CosineDecay: `decay_steps` must be > 0. Received: decay_steps=0');
    expect(() => CosineDecay(0.1, 10, { warmup_steps: -1 })).toThrow('`warmup_steps` must be >= 0. Received: warmup_steps=-1');
    expect(() => CosineDecay(0.1, 10, { warmup_target: 'x' } as never)).toThrow("`warmup_target` must be a number. Received: warmup_target='x'");
  });
});

describe('CosineDecayRestarts', () => {
  it("decays and restarts, Keras's tables", () => {
    for (const step of stepsTo1500) {
      expectClose(CosineDecayRestarts(1.0, 1000)(step), npCosineDecayRestarts(step, 1000));
      expectClose(CosineDecayRestarts(1.0, 1000, { alpha: 0.1 })(step), npCosineDecayRestarts(step, 1000, 2, 1, 0.1));
      expectClose(CosineDecayRestarts(1.0, 1000, { m_mul: 0.9 })(step), npCosineDecayRestarts(step, 1000, 2, 0.9));
      expectClose(CosineDecayRestarts(1.0, 1000, { t_mul: 1.0 })(step), npCosineDecayRestarts(step, 1000, 1));
    }
  });
  it('agrees with the period-by-period walk over several restarts', () => {
    const schedule = CosineDecayRestarts(0.05, 10, 3.0, 0.5, 0.1);
    for (let step = 0; step < 400; step += 7) expectClose(schedule(step), 0.05 * npCosineDecayRestarts(step, 10, 3, 0.5, 0.1));
  });
  it('restarts at full rate at the start of each period', () => {
    // Periods of 10, 20, 40 steps start at 0, 10, 30: each starts at initial_learning_rate.
    const schedule = CosineDecayRestarts(0.5, 10);
    for (const step of [0, 10, 30, 70]) expectClose(schedule(step), 0.5);
  });
  it('rejects first_decay_steps <= 0', () => {
    expect(() => CosineDecayRestarts(0.1, 0)).toThrow(
      'CosineDecayRestarts: `first_decay_steps` must be > 0. Received: first_decay_steps=0',
    );
  });
});

describe('argument types', () => {
  // Every numeric argument of every schedule, given a string: the message names the schedule,
  // the argument and the value.
  const valid = {
    ExponentialDecay: { build: ExponentialDecay, args: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 } },
    InverseTimeDecay: { build: InverseTimeDecay, args: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 } },
    PolynomialDecay: {
      build: PolynomialDecay,
      args: { initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 2 },
    },
    CosineDecay: {
      build: CosineDecay,
      args: { initial_learning_rate: 0.1, decay_steps: 10, alpha: 0.1, warmup_target: 0.5, warmup_steps: 2 },
    },
    CosineDecayRestarts: {
      build: CosineDecayRestarts,
      args: { initial_learning_rate: 0.1, first_decay_steps: 10, t_mul: 2, m_mul: 1, alpha: 0 },
    },
  } as const;
  for (const [owner, { build, args }] of Object.entries(valid)) {
    it(`${owner} checks each numeric argument`, () => {
      const make = build as unknown as (options: Record<string, unknown>) => LearningRateSchedule;
      expect(make({ ...args })(3)).toBeTypeOf('number');
      for (const key of Object.keys(args)) {
        expect(() => make({ ...args, [key]: 'x' })).toThrow(`${owner}: \`${key}\` must be a number. Received: ${key}='x'`);
      }
    });
  }
  it('PiecewiseConstantDecay checks its lists and name', () => {
    expect(() => PiecewiseConstantDecay({ boundaries: 5, values: [1, 2] } as never)).toThrow(
      'PiecewiseConstantDecay: `boundaries` must be an array. Received: boundaries=5',
    );
    expect(() => PiecewiseConstantDecay([5], [1, null] as never)).toThrow('`values.1` must be a number. Received: values.1=null');
    expect(() => PiecewiseConstantDecay([5], [1, 2], 7 as never)).toThrow('`name` must be a string. Received: name=7');
  });
});

describe('serialization', () => {
  const schedules = [
    ExponentialDecay({ initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.96, staircase: true, name: 'my_ed' }),
    PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 2, 3], name: 'my_pcd' }),
    PolynomialDecay({ initial_learning_rate: 0.1, decay_steps: 100, end_learning_rate: 0.005, power: 1.0, cycle: false, name: 'my_ld' }),
    InverseTimeDecay({ initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.96, staircase: true, name: 'my_itd' }),
    CosineDecay({ initial_learning_rate: 0.05, decay_steps: 10, alpha: 0.1, warmup_target: 0.2, warmup_steps: 2, name: 'my_cd' }),
    CosineDecayRestarts({ initial_learning_rate: 0.05, first_decay_steps: 10, alpha: 0.1, t_mul: 3.0, m_mul: 4.0, name: 'my_cdr' }),
  ];

  it('round-trips every schedule through get_config / from_config and serialize / deserialize', () => {
    for (const schedule of schedules) {
      const config = schedule.get_config();
      const cls = schedule.constructor as typeof ExponentialDecay;
      const fromConfig = cls.from_config(config);
      const revived = deserialize(JSON.parse(JSON.stringify(serialize(schedule))));
      expect(revived.constructor).toBe(schedule.constructor);
      expect(revived.get_config()).toEqual(config);
      expect(fromConfig.get_config()).toEqual(config);
      for (const step of [0, 3, 15, 40]) expect(revived(step)).toBe(schedule(step));
    }
  });
  it("writes Keras's serialized form", () => {
    expect(serialize(ExponentialDecay(0.1, 100000, 0.96, true))).toEqual({
      module: 'keras.optimizers.schedules',
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 100000, decay_rate: 0.96, staircase: true, name: 'ExponentialDecay' },
      registered_name: null,
    });
  });
  it("reads Keras's documented config (name null means the default)", () => {
    const revived = deserialize({
      class_name: 'PolynomialDecay',
      config: { cycle: false, decay_steps: 10000, end_learning_rate: 0.01, initial_learning_rate: 0.1, name: 'PolynomialDecay', power: 0.5 },
    });
    expect(revived).toBeInstanceOf(PolynomialDecay);
    expectClose(revived(10000), 0.01);
  });
  it('rejects unknown classes and malformed configs', () => {
    expect(() => deserialize({ class_name: 'Nope', config: {} })).toThrow("Could not locate class 'Nope'");
    expect(() => deserialize({ class_name: 'constructor', config: {} })).toThrow("Could not locate class 'constructor'");
    expect(() => deserialize('ExponentialDecay' as never)).toThrow("Could not parse config: 'ExponentialDecay'");
    expect(() => serialize({} as never)).toThrow('serialize: must be given a LearningRateSchedule. Received: {}');
  });
});

describe('LearningRateSchedule', () => {
  class MyLRSchedule extends LearningRateSchedule {
    constructor(readonly initial_learning_rate: number) {
      super();
    }
    override __call__(step: number): number {
      return this.initial_learning_rate / (step + 1);
    }
    override get_config() {
      return { initial_learning_rate: this.initial_learning_rate };
    }
    static override from_config<T extends LearningRateSchedule>(this: abstract new (...args: never[]) => T, config: Record<string, unknown>): T {
      return new (this as unknown as new (lr: number) => T)(config['initial_learning_rate'] as number);
    }
  }

  it('is subclassed as in Keras and called like a function', () => {
    const schedule = new MyLRSchedule(0.1);
    expect(schedule(4)).toBeCloseTo(0.02, 12);
    expect(schedule).toBeInstanceOf(LearningRateSchedule);
    const revived = deserialize(serialize(schedule), { MyLRSchedule });
    expect(revived).toBeInstanceOf(MyLRSchedule);
    expect(revived(1)).toBeCloseTo(0.05, 12);
  });
  it('needs get_config to be serializable', () => {
    class Unserializable extends LearningRateSchedule {
      override __call__(): number {
        return 1;
      }
    }
    expect(() => serialize(new Unserializable())).toThrow(
      "Learning rate schedule 'Unserializable' must override `get_config()` in order to be serializable.",
    );
  });
  it('is exposed as keras.optimizers.schedules, with `new` optional', () => {
    const { schedules } = keras.optimizers as unknown as { schedules?: typeof import('../../src/optimizers/schedules.js') };
    expect(schedules?.ExponentialDecay).toBe(ExponentialDecay);
    expect(new ExponentialDecay(0.1, 10, 0.5)).toBeInstanceOf(ExponentialDecay);
    expect(ExponentialDecay(0.1, 10, 0.5)).toBeInstanceOf(LearningRateSchedule);
  });
  it('creates no tensors', () => {
    const before = tf.memory().numTensors;
    const schedule = CosineDecay(0.1, 100, { warmup_target: 1, warmup_steps: 10 });
    for (let step = 0; step < 1000; step++) schedule(step);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a schedule as an optimizer\'s learning_rate', () => {
  it('is called once per step with the iteration count', () => {
    // lr(step) = 0.1 * 0.5^step; g = 1: w = 1 - 0.1 = 0.9, then 0.9 - 0.05 = 0.85, then 0.85 - 0.025 = 0.825
    const optimizer = SGD({ learning_rate: ExponentialDecay(0.1, 1, 0.5) });
    const w = tf.variable(tf.scalar(1));
    const g = tf.scalar(1);
    const seen: number[] = [];
    for (let step = 0; step < 3; step++) {
      optimizer.apply_gradients([[g, w]]);
      seen.push(w.dataSync()[0]!);
    }
    expect(seen[0]).toBeCloseTo(0.9, 6);
    expect(seen[1]).toBeCloseTo(0.85, 6);
    expect(seen[2]).toBeCloseTo(0.825, 6);
    expect(optimizer.last_learning_rate).toBeCloseTo(0.025, 12);
    expect(optimizer.learning_rate).toBeCloseTo(0.0125, 12); // the schedule at iterations = 3
    tf.dispose([w, g]);
  });
  it("trains a model to Keras's losses (test_fit_lr_correctness: Adam with ExponentialDecay)", () => {
    const model = keras.Sequential([keras.layers.Dense(2, { kernel_initializer: 'ones', bias_initializer: 'ones' })]);
    const optimizer = keras.optimizers.Adam({
      learning_rate: ExponentialDecay({ initial_learning_rate: 0.05, decay_steps: 1, decay_rate: 0.9 }),
    });
    const variables = optimizer.variables;
    expect(variables.length).toBe(1); // only the iteration count: a schedule is not a variable
    tf.dispose(variables);
    model.compile({ optimizer, loss: 'mse' });
    const x = tf.reshape(tf.range(0, 32), [16, 2]);
    const history = model.fit(x, x, { epochs: 3, batch_size: 4, shuffle: false, verbose: 0 });
    expect(optimizer.iterations).toBe(4 * 3);
    const kerasLosses = [230.79457092285156, 128.30319213867188, 79.33648681640625];
    history.history['loss']!.forEach((loss, i) => expectClose(loss, kerasLosses[i]!, 0, 5e-5));
    x.dispose();
  });
  it("round-trips through the optimizer's config", () => {
    const optimizer = SGD({ learning_rate: CosineDecay(0.1, 100, { warmup_target: 1, warmup_steps: 10 }) });
    const config = optimizer.get_config();
    expect(config.learning_rate).toEqual(serialize(CosineDecay(0.1, 100, { warmup_target: 1, warmup_steps: 10 })));
    const revived = SGD.from_config(JSON.parse(JSON.stringify(config)));
    expect(revived.get_config()).toEqual(config);
    expect(revived.learning_rate).toBe(0.1);
  });
});
