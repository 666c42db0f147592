/**
 * `optimizer.variables` and `optimizer.set_weights`: the whole state, in Keras 3's order.
 *
 * Keras's order (keras/src/optimizers/base_optimizer.py): `iterations`, then `learning_rate`
 * when it is a float (both made in `__init__`), then every variable the optimizer adds in
 * `build`, in the order it adds them. `add_optimizer_variables(vars, [a, b])` adds them
 * variable by variable (a₀ b₀ a₁ b₁ …), and a `backend.Variable` assigned to an attribute or
 * appended to a list attribute is tracked too (`__setattr__` → `Tracker`, keras/src/utils/tracking.py).
 *
 * Restoring: an optimizer built on copies of the weights and given `opt1.variables` must take
 * the very same next step as opt1, bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Optimizer } from '../../src/optimizers/base.js';
import * as optimizers from '../../src/optimizers/index.js';
import { ExponentialDecay } from '../../src/optimizers/schedules.js';
import { expectAllClose, seededUniform, variable } from './helpers.js';

const { Adadelta, Adafactor, Adagrad, Adam, Adamax, AdamW, Ftrl, Lamb, Lion, Nadam, RMSprop, SGD } = optimizers;

/** A float32 scalar holds it exactly, so the learning rate read from `variables` is the one given. */
const LR = 2 ** -6;

/** A kernel, a bias and a rank-3 weight (Adafactor factors its last two axes). */
const SHAPES = [[3, 2], [2], [2, 2, 3]];

interface Read {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Reads and disposes tensors (`variables` returns copies the caller disposes). */
function read(tensors: tf.Tensor[]): Read[] {
  const out = tensors.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  tf.dispose(tensors);
  return out;
}

function randomTensors(random: () => number): tf.Tensor[] {
  return SHAPES.map((shape) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random), shape));
}

function step(optimizer: Optimizer, weights: tf.Variable[], grads: tf.Tensor[]): void {
  optimizer.apply_gradients(grads.map((g, i) => [g, weights[i]!] as const));
}

/**
 * opt1 takes three steps; opt2 is built on copies of opt1's weights and given `restore(opt1.variables)`;
 * then both take one more step with the same gradients. Returns what each ends with.
 */
function stepAfterRestore(
  make: () => Optimizer,
  restore: (state: tf.Tensor[]) => Array<tf.Tensor | ArrayLike<number> | number> = (state) => state,
): { weights: [number[][], number[][]]; state: [Read[], Read[]] } {
  const before = tf.memory().numTensors;
  const random = seededUniform(7);
  const weights1 = randomTensors(random).map((t) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  });
  const opt1 = make();
  for (let i = 0; i < 3; i++) {
    const grads = randomTensors(random);
    step(opt1, weights1, grads);
    tf.dispose(grads);
  }

  const weights2 = weights1.map((w) => tf.tidy(() => tf.variable(w.clone())));
  const opt2 = make();
  opt2.build(weights2);
  const state = opt1.variables;
  opt2.set_weights(restore(state));
  tf.dispose(state);

  const grads = randomTensors(random);
  step(opt1, weights1, grads);
  step(opt2, weights2, grads);
  tf.dispose(grads);
  const result = {
    weights: [weights1.map((w) => Array.from(w.dataSync())), weights2.map((w) => Array.from(w.dataSync()))] as [number[][], number[][]],
    state: [read(opt1.variables), read(opt2.variables)] as [Read[], Read[]],
  };
  tf.dispose([...weights1, ...weights2]);
  opt1.dispose();
  opt2.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** Both optimizers end with the same weights and the same `variables`, bit for bit. */
function expectSameNextStep(make: () => Optimizer): void {
  const { weights, state } = stepAfterRestore(make);
  expect(weights[1]).toEqual(weights[0]);
  expect(state[1]).toEqual(state[0]);
}

/** Every optimizer restores, with each kind of state it can have. */
const CASES: Array<[string, () => Optimizer]> = [
  ['SGD (Nesterov momentum)', () => SGD({ learning_rate: LR, momentum: 0.9, nesterov: true })],
  ['Adagrad', () => Adagrad(LR)],
  ['Adadelta', () => Adadelta(1.0)],
  ['RMSprop (centered, momentum)', () => RMSprop({ learning_rate: LR, momentum: 0.5, centered: true })],
  ['Adam', () => Adam(LR)],
  ['Adam (amsgrad)', () => Adam({ learning_rate: LR, amsgrad: true })],
  ['AdamW', () => AdamW(LR)],
  ['Adamax', () => Adamax(LR)],
  ['Nadam', () => Nadam(LR)],
  ['Ftrl (l1, l2)', () => Ftrl({ learning_rate: LR, l1_regularization_strength: 1e-3, l2_regularization_strength: 1e-2 })],
  ['Lion', () => Lion(LR)],
  ['Lamb', () => Lamb(LR)],
  ['Adafactor', () => Adafactor(LR)],
  ['Nadam (EMA, gradient accumulation)', () => Nadam({ learning_rate: LR, use_ema: true, gradient_accumulation_steps: 2 })],
  ['Adam (a learning-rate schedule)', () => Adam({ learning_rate: ExponentialDecay(0.05, 2, 0.5) })],
];

describe('set_weights(opt1.variables) reproduces the next step', () => {
  it.each(CASES)('%s', (_, make) => expectSameNextStep(make));

  it('the table covers every built-in optimizer', () => {
    const builtIns = Object.values(optimizers).filter(
      (value): value is typeof Optimizer => typeof value === 'function' && value.prototype instanceof Optimizer,
    );
    const names = new Set(builtIns.map((cls) => cls.class_name));
    expect(names.size).toBe(12);
    expect(new Set(CASES.map(([, make]) => make().class_name))).toEqual(names);
  });

  it("needs Nadam's u_product: restored as 1, the next step differs", () => {
    const { weights } = stepAfterRestore(
      () => Nadam(LR),
      (state) => state.map((t, i) => (i === state.length - 1 ? 1 : t)),
    );
    expect(weights[1]).not.toEqual(weights[0]);
  });

  it("needs Adafactor's r and c: restored as zeros, the next step differs", () => {
    // [iterations, learning_rate, then r, c, v for each of the three weights]
    const { weights } = stepAfterRestore(
      () => Adafactor(LR),
      (state) => state.map((t, i) => (i >= 2 && (i - 2) % 3 !== 2 ? new Float32Array(t.size) : t)),
    );
    expect(weights[1]).not.toEqual(weights[0]);
  });
});

describe("variables are in Keras's order", () => {
  it('Nadam: iterations, learning_rate, momentum and velocity variable by variable, then u_product', () => {
    // keras/src/optimizers/nadam.py, `build`: add_optimizer_variables(var_list, ["momentum", "velocity"]),
    // then self._u_product = backend.Variable(1.0).
    // One step, beta_1 0.9, beta_2 0.999: m = 0.1 g, v = 0.001 g²; u_product = u_1 = 0.9 (1 - 0.5 · 0.96) = 0.468.
    const kernel = variable([[1, 1, 1], [1, 1, 1]]);
    const bias = variable([0, 0, 0]);
    const [gKernel, gBias] = [tf.fill([2, 3], 2), tf.tensor1d([-1, -1, -1])];
    const optimizer = Nadam(0.5);
    optimizer.apply_gradients([[gKernel, kernel], [gBias, bias]]);
    const state = read(optimizer.variables);
    expect(state.map((s) => s.shape)).toEqual([[], [], [2, 3], [2, 3], [3], [3], []]);
    expect(state[0]).toEqual({ shape: [], dtype: 'int32', values: [1] });
    expect(state[1]!.values).toEqual([0.5]);
    expectAllClose(state[2]!.values, new Array(6).fill(0.2)); // momentum of the kernel
    expectAllClose(state[3]!.values, new Array(6).fill(0.004)); // velocity of the kernel
    expectAllClose(state[4]!.values, [-0.1, -0.1, -0.1]); // momentum of the bias
    expectAllClose(state[5]!.values, [0.001, 0.001, 0.001]); // velocity of the bias
    // u_product, a float32 variable from float32 factors as Keras's: fround(0.9) · fround(0.52)
    expect(state[6]!.values).toEqual([Math.fround(Math.fround(0.9) * Math.fround(0.52))]);
    tf.dispose([kernel, bias, gKernel, gBias]);
  });

  it('Adafactor: iterations, learning_rate, then r, c, velocity variable by variable (scalar r and c below rank 2)', () => {
    // keras/src/optimizers/adafactor.py, `build`: for each variable, r (shape[:-1]) and c (shape[:-2] + shape[-1:])
    // from add_variable, or two placeholder scalars backend.Variable(0) appended to the tracked lists `_r`, `_c`
    // for rank < 2; then its velocity from add_variable_from_reference.
    // First step: beta_2_t = 1 - 1^-0.8 = 0, so r, c and v are the new means of g² (+ epsilon_1 = 1e-30).
    // Kernel g = [[1, 2, 3], [4, 5, 6]]: g² rows [1, 4, 9], [16, 25, 36];
    //   r = row means = [14/3, 77/3]; c = column means = [17/2, 29/2, 45/2];
    //   v_ij = r_i / mean(r) · c_j, with r / mean(r) = [4/13, 22/13].
    // Bias g = [1, -2, 0.5]: v = g² = [1, 4, 0.25]. Rank-3 weight, g = 1: r, c, v all 1.
    const kernel = variable([[1, 1, 1], [1, 1, 1]]);
    const bias = variable([0, 0, 0]);
    const cube = tf.tidy(() => tf.variable(tf.ones([2, 2, 3])));
    const grads = [tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor1d([1, -2, 0.5]), tf.ones([2, 2, 3])];
    const optimizer = Adafactor(0.5);
    optimizer.apply_gradients([[grads[0]!, kernel], [grads[1]!, bias], [grads[2]!, cube]]);
    const state = read(optimizer.variables);
    expect(state.map((s) => s.shape)).toEqual([[], [], [2], [3], [2, 3], [], [], [3], [2, 2], [2, 3], [2, 2, 3]]);
    expect(state[0]!.values).toEqual([1]);
    expect(state[1]!.values).toEqual([0.5]);
    expectAllClose(state[2]!.values, [14 / 3, 77 / 3]); // r of the kernel
    expectAllClose(state[3]!.values, [8.5, 14.5, 22.5]); // c of the kernel
    const rowScale = [4 / 13, 22 / 13];
    expectAllClose(state[4]!.values, rowScale.flatMap((s) => [8.5, 14.5, 22.5].map((c) => s * c))); // v of the kernel
    expect(state[5]!.values).toEqual([0]); // Keras's placeholder r of the bias
    expect(state[6]!.values).toEqual([0]); // and c
    expectAllClose(state[7]!.values, [1, 4, 0.25]); // v of the bias
    expectAllClose(state[8]!.values, [1, 1, 1, 1]); // r of the rank-3 weight
    expectAllClose(state[9]!.values, [1, 1, 1, 1, 1, 1]); // c
    expectAllClose(state[10]!.values, new Array(12).fill(1)); // v
    tf.dispose([kernel, bias, cube, ...grads]);
  });

  it.each([
    // Keras's build: add_optimizer_variables(var_list, [first, second]) in each file.
    ['Adadelta (adadelta.py)', () => Adadelta(1.0), 'accumulated_grad', 'accumulated_delta_var'],
    ['Adamax (adamax.py)', () => Adamax(LR), 'momentum', 'norm'],
    ['Ftrl (ftrl.py)', () => Ftrl(LR), 'accumulator', 'linear'],
    ['Lamb (lamb.py)', () => Lamb(LR), 'momentum', 'velocity'],
    ['Adam (adam.py)', () => Adam(LR), 'momentum', 'velocity'],
    ['AdamW (adamw.py: Adam\'s build)', () => AdamW(LR), 'momentum', 'velocity'],
  ] as Array<[string, () => Optimizer, string, string]>)('%s: its two slots variable by variable', (_, make, first, second) => {
    const [kernel, bias] = [variable([[1, 2], [3, 4]]), variable([1, 2, 3])];
    const [gKernel, gBias] = [tf.tensor2d([[0.5, -1], [2, 0.25]]), tf.tensor1d([1, -2, 3])];
    const optimizer = make();
    optimizer.apply_gradients([[gKernel, kernel], [gBias, bias]]);
    const state = read(optimizer.variables);
    const slots = read([
      optimizer.get_slot(kernel, first),
      optimizer.get_slot(kernel, second),
      optimizer.get_slot(bias, first),
      optimizer.get_slot(bias, second),
    ]);
    expect(state.slice(2)).toEqual(slots);
    tf.dispose([kernel, bias, gKernel, gBias]);
  });

  it('with use_ema and gradient_accumulation_steps: every average, then every accumulator, then the slots', () => {
    // base_optimizer.py, `build`: add_optimizer_variables(variables, "average"), then a
    // gradient_accumulator per variable; the subclass's build adds its own after.
    const [kernel, bias] = [variable([[1, 2], [3, 4]]), variable([1, 2, 3])];
    const optimizer = Lion({ learning_rate: LR, use_ema: true, gradient_accumulation_steps: 2 });
    optimizer.build([kernel, bias]);
    const state = read(optimizer.variables);
    // average kernel, average bias, accumulator kernel, accumulator bias, momentum kernel, momentum bias
    expect(state.map((s) => s.shape)).toEqual([[], [], [2, 2], [3], [2, 2], [3], [2, 2], [3]]);
    expect(optimizer.get_slot_names()).toEqual(['average', 'gradient_accumulator', 'momentum']);
    tf.dispose([kernel, bias]);
  });
});
