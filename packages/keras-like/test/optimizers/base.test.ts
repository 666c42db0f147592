/**
 * The machinery every optimizer shares (src/optimizers/base.ts), checked through
 * SGD and Adam: learning-rate forms, clipping, weight decay, EMA, gradient
 * accumulation, constraints, state reading, aliasing and tensor hygiene.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { setVariableConstraint } from '../../src/backend/variables.js';
import * as optimizers from '../../src/optimizers/index.js';
import { Adam, AdamW, RMSprop, SGD, type LearningRateSchedule } from '../../src/optimizers/index.js';
import { ExponentialDecay } from '../../src/optimizers/schedules.js';
import { expectAllClose, variable } from './helpers.js';

/** A minimal schedule object, as keras.optimizers.schedules classes are: lr_t = 1 / (1 + t). */
class InverseStep implements LearningRateSchedule {
  call(step: number): number {
    return 1 / (1 + step);
  }
  get_config(): Record<string, unknown> {
    return {};
  }
}

describe('learning rate', () => {
  it('accepts a function of no arguments (Keras test_callable_learning_rate)', () => {
    const v = variable([[1, 2], [3, 4]]);
    const g = tf.ones([2, 2]);
    const optimizer = SGD({ learning_rate: () => 0.1 });
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [0.9, 1.9, 2.9, 3.9]);
    expect(optimizer.iterations).toBe(1);
    tf.dispose([v, g]);
  });

  it('calls a schedule with the iteration count, and reports the rate it used', () => {
    // lr_t = 1 / (1 + t): 1, 0.5, 0.3333 with g = 1 → w = 0, -0.5, -0.8333
    const optimizer = SGD(new InverseStep());
    const w = variable(1);
    const g = tf.scalar(1);
    const used: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < 3; i++) {
      optimizer.apply_gradients([[g, w]]);
      used.push(optimizer.last_learning_rate!);
      values.push(w.dataSync()[0]!);
    }
    expectAllClose(used, [1, 0.5, 1 / 3]);
    expectAllClose(values, [0, -0.5, -0.5 - 1 / 3]);
    expect(optimizer.learning_rate).toBeCloseTo(0.25, 12); // the schedule at the next step
    expect(() => {
      optimizer.learning_rate = 0.1;
    }).toThrow('hence its learning rate is not settable');
    tf.dispose([w, g]);
  });

  it('applies TF2 decay on top of a schedule', () => {
    // schedule 0.2 constant, decay 1: lr_t = 0.2 / (1 + t) → 0.2, 0.1
    const optimizer = SGD({ learning_rate: { call: () => 0.2, get_config: () => ({}) }, decay: 1 });
    const w = variable(0);
    const g = tf.scalar(1);
    optimizer.apply_gradients([[g, w]]);
    optimizer.apply_gradients([[g, w]]);
    expect(optimizer.last_learning_rate).toBeCloseTo(0.1, 12);
    expectAllClose(w, [-0.3]);
    tf.dispose([w, g]);
  });

  it('takes a keras.optimizers.schedules object, positionally too, and serializes it', () => {
    // lr_t = 0.1 · 0.5^(t / 2): 0.1, 0.0707…, 0.05 with g = 1 → w = 1 - 0.1 - 0.0707… - 0.05
    const optimizer = SGD(ExponentialDecay(0.1, 2, 0.5));
    const w = variable(1);
    const g = tf.scalar(1);
    for (let i = 0; i < 3; i++) optimizer.apply_gradients([[g, w]]);
    expectAllClose(w, [1 - 0.1 - 0.1 * Math.SQRT1_2 - 0.05]);
    expect(optimizer.last_learning_rate).toBeCloseTo(0.05, 12);
    const serialized = JSON.parse(JSON.stringify(optimizers.serialize(optimizer)));
    expect(serialized.config.learning_rate).toMatchObject({ class_name: 'ExponentialDecay' });
    const restored = optimizers.deserialize(serialized);
    expect(restored.get_config()).toEqual(optimizer.get_config());
    expect(restored.learning_rate).toBeCloseTo(0.1, 12); // a new optimizer starts at step 0
    tf.dispose([w, g]);
  });

  it('can be read and set, also as `lr`', () => {
    const optimizer = Adam();
    expect(optimizer.learning_rate).toBe(0.001);
    optimizer.learning_rate = 0.5;
    expect(optimizer.lr).toBe(0.5);
    optimizer.lr = 0.25;
    expect(optimizer.get_config().learning_rate).toBe(0.25);
    expect(() => {
      optimizer.learning_rate = -1;
    }).toThrow('Adam: `learning_rate` must be a float >= 0, a LearningRateSchedule');
  });

  it('rejects `lr` and `learning_rate` together, and bad values', () => {
    expect(() => SGD({ lr: 0.1, learning_rate: 0.1 })).toThrow(
      'SGD: both `lr` and `learning_rate` were given; `lr` is the TF2 name of `learning_rate`, give only one.',
    );
    expect(() => SGD(0.1, { lr: 0.1 })).toThrow('SGD: both `lr` and `learning_rate` were given');
    expect(() => SGD(-0.1)).toThrow(
      'SGD: `learning_rate` must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate. Received: learning_rate=-0.1',
    );
    expect(() => Adam({ lr: 'fast' } as never)).toThrow("Adam: `lr` must be a float >= 0, a LearningRateSchedule");
    expect(() => SGD({ decay: -1 })).toThrow('SGD: `decay` must be a float >= 0. Received: decay=-1');
  });
});

describe('clipping', () => {
  it('clipnorm clips each gradient by its own norm', () => {
    // g1 = [3, 4] (norm 5) → [0.6, 0.8]; g2 = [0.3, 0.4] (norm 0.5) unchanged; lr 1 from 0
    const [v1, v2] = [variable([0, 0]), variable([0, 0])];
    const [g1, g2] = [tf.tensor1d([3, 4]), tf.tensor1d([0.3, 0.4])];
    SGD({ learning_rate: 1, clipnorm: 1 }).apply_gradients([
      [g1, v1],
      [g2, v2],
    ]);
    expectAllClose(v1, [-0.6, -0.8]);
    expectAllClose(v2, [-0.3, -0.4]);
    tf.dispose([v1, v2, g1, g2]);
  });

  it('global_clipnorm scales all gradients by their joint norm (Keras test_global_clip_norm)', () => {
    // [3] and [4]: global norm 5 → [0.6], [0.8]; Keras: [50, 100] → [50, 100] / 111.80
    const [v1, v2, v3] = [variable([0]), variable([0]), variable([0, 0])];
    const [g1, g2, g3] = [tf.tensor1d([3]), tf.tensor1d([4]), tf.tensor1d([50, 100])];
    SGD({ learning_rate: 1, global_clipnorm: 1 }).apply_gradients([
      [g1, v1],
      [g2, v2],
    ]);
    expectAllClose(v1, [-0.6]);
    expectAllClose(v2, [-0.8]);
    SGD({ learning_rate: 1, global_clipnorm: 1 }).apply_gradients([[g3, v3]]);
    const norm = Math.hypot(50, 100);
    expectAllClose(v3, [-50 / norm, -100 / norm]);
    tf.dispose([v1, v2, v3, g1, g2, g3]);
  });

  it('clipvalue clips each element', () => {
    const v = variable([0, 0, 0]);
    const g = tf.tensor1d([-3, 0.2, 5]);
    SGD({ learning_rate: 1, clipvalue: 0.5 }).apply_gradients([[g, v]]);
    expectAllClose(v, [0.5, -0.2, -0.5]);
    tf.dispose([v, g]);
  });

  it("allows only one clipping argument, in Keras's words", () => {
    expect(() => SGD({ learning_rate: 1, clipnorm: 0.1, clipvalue: 0.1 })).toThrow(
      'SGD: Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=0.1, clipvalue=0.1, global_clipnorm=null',
    );
    expect(() => SGD({ learning_rate: 1, clipnorm: 0.1, global_clipnorm: 0.1 })).toThrow('Only one of `clipnorm`');
    expect(() => SGD({ clipnorm: -1 })).toThrow('SGD: `clipnorm` must be a float >= 0 or null. Received: clipnorm=-1');
    expect(() => SGD({ clipvalue: -1 })).toThrow('SGD: `clipvalue` must be a float >= 0 or null. Received: clipvalue=-1');
    expect(() => SGD({ global_clipnorm: -1 })).toThrow('`global_clipnorm` must be a float >= 0 or null');
  });

  it('unscales gradients by loss_scale_factor (Keras test_static_loss_scaling)', () => {
    const v = variable([[1, 2], [3, 4]]);
    const g = tf.tensor2d([[1024, 2048], [3072, 4096]]);
    SGD({ learning_rate: 1, loss_scale_factor: 1024 }).apply_gradients([[g, v]]);
    expectAllClose(v, [0, 0, 0, 0]);
    expect(() => SGD({ loss_scale_factor: 0 })).toThrow('`loss_scale_factor` must be a float > 0 or null');
    tf.dispose([v, g]);
  });
});

describe('weight decay', () => {
  it('is decoupled: w - w · wd · lr before the update, with the learning rate of the step', () => {
    // w = 2, wd 0.1, lr 0.5, g 1: decay → 2 - 2 · 0.05 = 1.9; SGD → 1.9 - 0.5 = 1.4
    const w = variable(2);
    const g = tf.scalar(1);
    SGD({ learning_rate: 0.5, weight_decay: 0.1 }).apply_gradients([[g, w]]);
    expectAllClose(w, [1.4]);
    tf.dispose([w, g]);
  });

  it('AdamW decays by default and needs a weight_decay', () => {
    expect(AdamW().weight_decay).toBe(0.004);
    expect(() => AdamW({ learning_rate: 1.0, weight_decay: null } as never)).toThrow(
      'AdamW: `weight_decay` must be a float. Received: weight_decay=null',
    );
    expect(() => SGD({ weight_decay: -0.1 })).toThrow('SGD: `weight_decay` must be a float >= 0 or null. Received: weight_decay=-0.1');
  });
});

describe('EMA of the weights', () => {
  it("matches Keras's test_ema", () => {
    const v = variable([[3, 4], [5, 6]]);
    const g = tf.ones([2, 2]);
    const optimizer = SGD({ learning_rate: 1, use_ema: true, ema_momentum: 0.9, ema_overwrite_frequency: 3 });
    const average = () => {
      const t = optimizer.get_slot(v, 'average');
      const values = t.dataSync();
      t.dispose();
      return values;
    };
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [2, 3, 4, 5]);
    expectAllClose(average(), [2, 3, 4, 5]); // initialized after the first step
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [1, 2, 3, 4]);
    expectAllClose(average(), [1.9, 2.9, 3.9, 4.9]);
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [1.71, 2.71, 3.71, 4.71]); // overwritten with the average
    expectAllClose(average(), [1.71, 2.71, 3.71, 4.71]);
    tf.dispose([v, g]);
  });

  it('finalize_variable_values writes the averages into the weights', () => {
    const v = variable([1]);
    const g = tf.ones([1]);
    const optimizer = SGD({ learning_rate: 1, use_ema: true, ema_momentum: 0.5 });
    optimizer.apply_gradients([[g, v]]); // v 0, average 0
    optimizer.apply_gradients([[g, v]]); // v -1, average 0.5 · 0 + 0.5 · -1 = -0.5
    expectAllClose(v, [-1]);
    optimizer.finalize_variable_values([v]);
    expectAllClose(v, [-0.5]);
    tf.dispose([v, g]);
  });

  it('keeps working after a weight it averaged was disposed', () => {
    const [a, b] = [variable([1]), variable([1])];
    const g = tf.ones([1]);
    const optimizer = SGD({ learning_rate: 1, use_ema: true });
    optimizer.apply_gradients([[g, a], [g, b]]);
    a.dispose();
    optimizer.apply_gradients([[g, b]]);
    optimizer.finalize_variable_values();
    expectAllClose(b, [0.99 * 0 + 0.01 * -1]); // average: 0 after step 1, then 0.99 · 0 + 0.01 · (-1)
    tf.dispose([b, g]);
  });

  it("validates its arguments in Keras's words", () => {
    expect(() => SGD({ use_ema: true, ema_momentum: 2 })).toThrow('SGD: `ema_momentum` must be in the range [0, 1]. Received: ema_momentum=2');
    expect(() => SGD({ use_ema: true, ema_overwrite_frequency: 0 })).toThrow(
      'SGD: `ema_overwrite_frequency` must be an integer >= 1 or null. Received: ema_overwrite_frequency=0',
    );
    expect(() => SGD({ use_ema: true, ema_overwrite_frequency: 1.5 })).toThrow('must be an integer >= 1 or null');
  });
});

describe('gradient accumulation', () => {
  it("matches Keras's test_gradient_accumulation", () => {
    const v = variable([[1, 2], [3, 4]]);
    const g = tf.ones([2, 2]);
    const optimizer = SGD({ learning_rate: 1, gradient_accumulation_steps: 3 });
    const accumulated = () => {
      const t = optimizer.get_slot(v, 'gradient_accumulator');
      const values = t.dataSync();
      t.dispose();
      return values;
    };
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [1, 2, 3, 4]);
    expectAllClose(accumulated(), [1, 1, 1, 1]);
    expect(optimizer.iterations).toBe(0);
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [1, 2, 3, 4]);
    expectAllClose(accumulated(), [2, 2, 2, 2]);
    expect(optimizer.iterations).toBe(0);
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [0, 1, 2, 3]); // the mean of the three gradients
    expectAllClose(accumulated(), [0, 0, 0, 0]);
    expect(optimizer.iterations).toBe(1);
    optimizer.apply_gradients([[g, v]]);
    expectAllClose(v, [0, 1, 2, 3]);
    expectAllClose(accumulated(), [1, 1, 1, 1]);
    expect(optimizer.iterations).toBe(1);
    tf.dispose([v, g]);
  });

  it('rejects fewer than 2 steps', () => {
    expect(() => SGD({ gradient_accumulation_steps: 1 })).toThrow(
      'SGD: `gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=1',
    );
    expect(() => SGD({ gradient_accumulation_steps: 2.5 })).toThrow('must be an integer >= 2');
  });
});

describe('apply_gradients', () => {
  it("applies the variable's constraint after the update (Keras test_constraints_are_applied)", () => {
    const v = variable([[-0.5, -0.2], [0.3, -0.9]]);
    setVariableConstraint(v, (w) => tf.maximum(w, 0));
    const g = tf.zeros([2, 2]);
    SGD(0.0001).apply_gradients([[g, v]]);
    expectAllClose(v, [0, 0, 0.3, 0]);
    tf.dispose([v, g]);
  });

  it('counts iterations, skips null gradients and refuses none at all', () => {
    const v = variable([[3, 4], [5, 6]]);
    const v2 = variable([[3, 4], [5, 6]]);
    const g = tf.ones([2, 2]);
    expect(() => SGD(1).apply_gradients([[null, v]])).toThrow('No gradients provided for any variable.');
    const optimizer = SGD(1);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      expect(optimizer.apply_gradients([[null, v], [g, v2]])).toBe(1);
    } finally {
      console.warn = warn;
    }
    expect(warnings[0]).toMatch(/^Gradients do not exist for variables \['v_\d+'\] when minimizing the loss/);
    expectAllClose(v, [3, 4, 5, 6]);
    expectAllClose(v2, [2, 3, 4, 5]);
    expect(optimizer.iterations).toBe(1);
    tf.dispose([v, v2, g]);
  });

  it('apply(grads) uses the variables it was built with', () => {
    const v = variable([1, 2]);
    const g = tf.tensor1d([1, 1]);
    const optimizer = SGD(1);
    expect(() => optimizer.apply([g])).toThrow('When passing `grads` without `variables`, the optimizer must already be built');
    optimizer.build([v]);
    optimizer.apply([g]);
    expectAllClose(v, [0, 1]);
    expect(() => optimizer.apply([g, g])).toThrow('Received a list of 2 gradients, but the optimizer is tracking 1 trainable variables.');
    tf.dispose([v, g]);
  });

  it('names the variable and both shapes when a gradient does not fit', () => {
    const v = variable([1, 2], 'kernel');
    const g = tf.tensor1d([1, 2, 3]);
    expect(() => SGD().apply_gradients([[g, v]])).toThrow(/SGD: the gradient for variable 'kernel_\d+' has shape \[3\], but the variable has shape \[2\]/);
    const t = tf.tensor1d([1, 2]);
    expect(() => SGD().apply_gradients([[g, t as tf.Variable]])).toThrow('SGD: only a tf.Variable can be updated');
    tf.dispose([v, g, t]);
  });

  it("is built by its first call and refuses other variables after, in Keras 3's words (_check_variables_are_known)", () => {
    const [a, b] = [variable([1]), variable([1], 'b')];
    const g = tf.ones([1]);
    const optimizer = SGD({ learning_rate: 0.1, momentum: 0.5 });
    optimizer.apply_gradients([[g, a]]); // a: velocity −0.1, a = 0.9
    expect(() => optimizer.apply_gradients([[g, a], [g, b]])).toThrow(
      new RegExp(
        String.raw`^Unknown variable: <Variable shape=\[1\], dtype=float32, name=b_\d+>\. This optimizer can only be called for the variables it was ` +
          String.raw`originally built with\. When working with a new set of variables, you should recreate a new optimizer instance\.`,
      ),
    );
    // The refused call changed nothing, and holds no state for b: iterations, learning rate, a's momentum.
    expectAllClose(a, [0.9]);
    expectAllClose(b, [1]);
    expect(optimizer.iterations).toBe(1);
    const state = optimizer.variables;
    expect(state.length).toBe(3);
    tf.dispose([a, b, g, ...state]);
  });

  it('is built with every variable of its first call, a null gradient included, as Keras', () => {
    const [a, b] = [variable([1]), variable([1])];
    const g = tf.ones([1]);
    const optimizer = SGD({ learning_rate: 0.1, momentum: 0.5 });
    const warn = console.warn;
    console.warn = () => {};
    try {
      optimizer.apply_gradients([[null, a], [g, b]]); // b: velocity −0.1, b = 0.9
    } finally {
      console.warn = warn;
    }
    optimizer.apply_gradients([[g, a], [g, b]]); // a: velocity −0.1, a = 0.9; b: velocity −0.15, b = 0.75
    expectAllClose(a, [0.9]);
    expectAllClose(b, [0.75]);
    tf.dispose([a, b, g]);
  });
});

describe('reading the state', () => {
  it("get_slot, the per-optimizer lists, variables and set_weights", () => {
    const v = variable([1, 2]);
    const g = tf.tensor1d([0.5, -1]);
    const optimizer = Adam({ learning_rate: 0.1, amsgrad: true });
    optimizer.apply_gradients([[g, v]]);
    expect(optimizer.get_slot_names()).toEqual(['momentum', 'velocity', 'velocity_hat']);
    const m = optimizer.get_slot(v, 'momentum');
    expectAllClose(m, [0.05, -0.1]); // m = 0.1 · g
    expect(m.shape).toEqual([2]);
    const [velocity] = optimizer.velocities;
    expectAllClose(velocity!, [0.00025, 0.001]); // v = 0.001 · g²
    const [velocityHat] = optimizer.velocity_hats;
    expectAllClose(velocityHat!, [0.00025, 0.001]);
    expect(() => optimizer.get_slot(v, 'velocty')).toThrow(
      "Adam.get_slot: unknown slot 'velocty'. This optimizer has: momentum, velocity, velocity_hat.",
    );
    const state = optimizer.variables; // iterations, lr, m, v, v̂
    expect(state.length).toBe(5);
    const copy = Adam({ learning_rate: 0.1, amsgrad: true });
    const w = variable([1, 2]);
    expect(() => copy.set_weights(state)).toThrow('You are calling `set_weights()` on an optimizer that has not yet been built.');
    copy.build([w]);
    copy.set_weights(state);
    expect(copy.iterations).toBe(1);
    const copied = copy.get_slot(w, 'momentum');
    expectAllClose(copied, [0.05, -0.1]);
    expect(() => copy.set_weights(state.slice(1))).toThrow('Adam.set_weights: expected 5 weights');
    tf.dispose([v, g, m, velocity!, velocityHat!, ...state, w, copied]);
  });
});

describe('get, serialize, deserialize', () => {
  it('finds optimizers by case-insensitive name, config or instance', () => {
    expect(optimizers.get('sgd')).toBeInstanceOf(optimizers.SGDOptimizer);
    expect(optimizers.get('SGD')).toBeInstanceOf(optimizers.SGDOptimizer);
    expect(optimizers.get('RMSprop')).toBeInstanceOf(optimizers.RMSpropOptimizer);
    expect(optimizers.get('Nadam')).toBeInstanceOf(optimizers.NadamOptimizer);
    expect(optimizers.get('adamw')).toBeInstanceOf(optimizers.AdamWOptimizer);
    expect(optimizers.get('adam').get_config()).toMatchObject({ learning_rate: 0.001, epsilon: 1e-7 });
    const instance = Adam();
    expect(optimizers.get(instance)).toBe(instance);
    expect(optimizers.get(null)).toBeNull();
    expect(() => optimizers.get('typo')).toThrow("Could not interpret optimizer identifier: 'typo'");
  });

  it('round-trips through serialize and deserialize', () => {
    const original = RMSprop({ learning_rate: 0.5, rho: 0.8, momentum: 0.05, epsilon: 1e-6, centered: true, clipnorm: 2 });
    const serialized = optimizers.serialize(original);
    expect(serialized).toMatchObject({ module: 'keras.optimizers', class_name: 'RMSprop', registered_name: null });
    const restored = optimizers.deserialize(JSON.parse(JSON.stringify(serialized)));
    expect(restored).toBeInstanceOf(optimizers.RMSpropOptimizer);
    expect(restored.get_config()).toEqual(original.get_config());
    expect(optimizers.get({ class_name: 'adam', config: { learning_rate: 0.2 } }).learning_rate).toBe(0.2);
    expect(() => optimizers.deserialize({ class_name: 'Nope', config: {} })).toThrow("Could not interpret optimizer identifier: 'Nope'");
  });
});

describe('tensor hygiene and aliasing', () => {
  it('keeps tf.memory().numTensors flat across 1,000 apply_gradients calls', () => {
    const kernel = variable([[0.1, -0.2], [0.3, 0.4]]);
    const bias = variable([0, 0]);
    setVariableConstraint(kernel, (w) => tf.clipByValue(w, -1, 1));
    const gk = tf.tensor2d([[0.1, 0.2], [-0.3, 0.4]]);
    const gb = tf.tensor1d([0.5, -0.5]);
    const optimizer = Adam({ learning_rate: 0.01, clipnorm: 1, use_ema: true, ema_overwrite_frequency: 10 });
    optimizer.apply_gradients([[gk, kernel], [gb, bias]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) optimizer.apply_gradients([[gk, kernel], [gb, bias]]);
    expect(tf.memory().numTensors).toBe(before);
    // As the training loop calls it: gradients made inside a tf.tidy that also holds the step.
    for (let i = 0; i < 100; i++) {
      tf.tidy(() => {
        optimizer.apply_gradients([
          [tf.mul(gk, 0.5), kernel],
          [tf.mul(gb, 0.5), bias],
        ]);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(kernel.dataSync()[0]!)).toBe(true);
    tf.dispose([kernel, bias, gk, gb]);
  });

  const original = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(original);
  });

  it('reads gradients and weights made on another backend', async () => {
    await tf.setBackend('cpu');
    const v = variable([1, 2]);
    const g = tf.tensor1d([1, 1]);
    await tf.setBackend('wasm');
    const g2 = tf.tensor1d([0.5, 0.5]);
    const optimizer = SGD(1);
    optimizer.apply_gradients([[g, v]]);
    optimizer.apply_gradients([[g2, v]]);
    expectAllClose(v, [-0.5, 0.5]);
    tf.dispose([v, g, g2]);
  });

  for (const backendName of ['cpu', 'wasm']) {
    it(`never writes into an array a tensor may own (${backendName})`, async () => {
      await tf.setBackend(backendName);
      const v = variable([1, 2, 3]);
      const g = tf.tensor1d([30, 40, 0]);
      const gradientBefore = Array.from(g.dataSync());
      const optimizer = SGD({ learning_rate: 1, momentum: 0.5, clipnorm: 5 });
      const cloneBefore = tf.clone(v);
      const readBefore = v.dataSync();
      const readCopy = Array.from(readBefore);
      optimizer.apply_gradients([[g, v]]); // clipped g = [3, 4, 0] → v = [-2, -2, 3]
      expectAllClose(v, [-2, -2, 3]);
      expectAllClose(cloneBefore, [1, 2, 3]);
      expect(Array.from(readBefore)).toEqual(readCopy);
      expect(Array.from(g.dataSync())).toEqual(gradientBefore);
      const afterFirst = tf.clone(v);
      optimizer.apply_gradients([[g, v]]); // velocity -1.5 · [3, 4, 0] → v = [-6.5, -8, 3]
      expectAllClose(v, [-6.5, -8, 3]);
      expectAllClose(afterFirst, [-2, -2, 3]);
      // A weight assigned by someone else between steps is read back, not overwritten from a stale copy.
      const replacement = tf.tensor1d([10, 20, 30]);
      v.assign(replacement);
      optimizer.apply_gradients([[g, v]]); // velocity 0.5 · [-4.5, -6, 0] - [3, 4, 0] = [-5.25, -7, 0]
      expectAllClose(v, [4.75, 13, 30]);
      tf.dispose([v, g, cloneBefore, afterFirst, replacement]);
    });
  }
});
