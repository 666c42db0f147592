/**
 * Differential check: each optimizer against a deliberately naive float64
 * transcription of Keras 3's Python `update_step` (plain loops, one line per line of
 * the Python), over 20 steps with arbitrary gradients and a grid of hyperparameters.
 * keras-like computes in float32, as Keras does; the trajectories must agree to a
 * relative error of 1e-5.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../../src/optimizers/base.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop, SGD } from '../../src/optimizers/index.js';
import { seededUniform } from './helpers.js';

type Hyper = Record<string, number | boolean>;

/**
 * Keras's rule for one variable and one step, in float64. `state` (per variable) starts
 * empty; `shared` holds what Keras keeps once per optimizer (Nadam's u_product).
 */
type ReferenceStep = (
  g: number[],
  w: number[],
  lr: number,
  step: number,
  state: Record<string, number[]>,
  h: Hyper,
  shared: Record<string, number>,
) => void;

const zeros = (n: number) => new Array<number>(n).fill(0);
const num = (h: Hyper, key: string) => h[key] as number;

const sgd: ReferenceStep = (g, w, lr, _step, s, h) => {
  const momentum = num(h, 'momentum');
  if (momentum === 0) {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - g[i]! * lr;
    return;
  }
  const m = (s['m'] ??= zeros(w.length));
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! * momentum - g[i]! * lr;
    if (h['nesterov']) w[i] = w[i]! + (m[i]! * momentum - g[i]! * lr);
    else w[i] = w[i]! + m[i]!;
  }
};

const rmsprop: ReferenceStep = (g, w, lr, _step, s, h) => {
  const [rho, momentum, epsilon] = [num(h, 'rho'), num(h, 'momentum'), num(h, 'epsilon')];
  const velocity = (s['velocity'] ??= zeros(w.length));
  const mom = (s['momentum'] ??= zeros(w.length));
  const averageGrad = (s['average_grad'] ??= zeros(w.length));
  for (let i = 0; i < w.length; i++) {
    velocity[i] = rho * velocity[i]! + (1 - rho) * g[i]! ** 2;
    let denominator;
    if (h['centered']) {
      averageGrad[i] = rho * averageGrad[i]! + (1 - rho) * g[i]!;
      denominator = velocity[i]! - averageGrad[i]! ** 2 + epsilon;
    } else {
      denominator = velocity[i]! + epsilon;
    }
    const increment = (lr * g[i]!) / Math.sqrt(denominator);
    if (momentum > 0) {
      mom[i] = momentum * mom[i]! + increment;
      w[i] = w[i]! - mom[i]!;
    } else {
      w[i] = w[i]! - increment;
    }
  }
};

const adam: ReferenceStep = (g, w, lr, step, s, h) => {
  const [beta1, beta2, epsilon] = [num(h, 'beta_1'), num(h, 'beta_2'), num(h, 'epsilon')];
  const localStep = step + 1;
  const alpha = (lr * Math.sqrt(1 - beta2 ** localStep)) / (1 - beta1 ** localStep);
  const m = (s['m'] ??= zeros(w.length));
  const v = (s['v'] ??= zeros(w.length));
  const vHat = (s['v_hat'] ??= zeros(w.length));
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! + (g[i]! - m[i]!) * (1 - beta1);
    v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - beta2);
    let vi = v[i]!;
    if (h['amsgrad']) {
      vHat[i] = Math.max(vHat[i]!, v[i]!);
      vi = vHat[i]!;
    }
    w[i] = w[i]! - (m[i]! * alpha) / (Math.sqrt(vi) + epsilon);
  }
};

const adadelta: ReferenceStep = (g, w, lr, _step, s, h) => {
  const [rho, epsilon] = [num(h, 'rho'), num(h, 'epsilon')];
  const accumulatedGrad = (s['accumulated_grad'] ??= zeros(w.length));
  const accumulatedDeltaVar = (s['accumulated_delta_var'] ??= zeros(w.length));
  const rms = (x: number) => Math.sqrt(x + epsilon);
  for (let i = 0; i < w.length; i++) {
    accumulatedGrad[i] = rho * accumulatedGrad[i]! + (1 - rho) * g[i]! ** 2;
    const deltaVar = -((rms(accumulatedDeltaVar[i]!) * g[i]!) / rms(accumulatedGrad[i]!));
    accumulatedDeltaVar[i] = rho * accumulatedDeltaVar[i]! + (1 - rho) * deltaVar ** 2;
    w[i] = w[i]! + lr * deltaVar;
  }
};

const adagrad: ReferenceStep = (g, w, lr, _step, s, h) => {
  const accumulator = (s['accumulator'] ??= new Array<number>(w.length).fill(num(h, 'initial_accumulator_value')));
  for (let i = 0; i < w.length; i++) {
    accumulator[i] = accumulator[i]! + g[i]! ** 2;
    w[i] = w[i]! - (lr * g[i]!) / Math.sqrt(accumulator[i]! + num(h, 'epsilon'));
  }
};

const adamax: ReferenceStep = (g, w, lr, step, s, h) => {
  const [beta1, beta2, epsilon] = [num(h, 'beta_1'), num(h, 'beta_2'), num(h, 'epsilon')];
  const beta1Power = beta1 ** (step + 1);
  const m = (s['m'] ??= zeros(w.length));
  const u = (s['u'] ??= zeros(w.length));
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! + (g[i]! - m[i]!) * (1 - beta1);
    u[i] = Math.max(beta2 * u[i]!, Math.abs(g[i]!));
    w[i] = w[i]! - (lr * m[i]!) / ((1 - beta1Power) * (u[i]! + epsilon));
  }
};

/** Keras's Nadam._backend_update_step, once per step: u_product *= beta_1 * (1 - 0.5 * 0.96^(iterations + 1)). */
function nadamBeginStep(step: number, shared: Record<string, number>, h: Hyper): void {
  shared['u_product'] = (shared['u_product'] ?? 1) * num(h, 'beta_1') * (1 - 0.5 * 0.96 ** (step + 1));
}

const nadam: ReferenceStep = (g, w, lr, step, s, h, shared) => {
  const [beta1, beta2, epsilon] = [num(h, 'beta_1'), num(h, 'beta_2'), num(h, 'epsilon')];
  const localStep = step + 1;
  const nextStep = step + 2;
  const uT = beta1 * (1 - 0.5 * 0.96 ** localStep);
  const uT1 = beta1 * (1 - 0.5 * 0.96 ** nextStep);
  const uProductT = shared['u_product']!;
  const uProductT1 = uProductT * uT1;
  const beta2Power = beta2 ** localStep;
  const m = (s['m'] ??= zeros(w.length));
  const v = (s['v'] ??= zeros(w.length));
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! + (g[i]! - m[i]!) * (1 - beta1);
    v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - beta2);
    const mHat = (uT1 * m[i]!) / (1 - uProductT1) + ((1 - uT) * g[i]!) / (1 - uProductT);
    const vHat = v[i]! / (1 - beta2Power);
    w[i] = w[i]! - (mHat * lr) / (Math.sqrt(vHat) + epsilon);
  }
};

interface Case {
  label: string;
  make: () => Optimizer;
  rule: ReferenceStep;
  lr: number;
  hyper: Hyper;
  /** Runs once per step before the variables (Nadam). */
  beginStep?: (step: number, shared: Record<string, number>, h: Hyper) => void;
  /** Shared machinery the reference applies around the rule. */
  weight_decay?: number;
  clipnorm?: number;
  decay?: number;
}

const adamDefaults = { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
const cases: Case[] = [
  { label: 'SGD', make: () => SGD(0.05), rule: sgd, lr: 0.05, hyper: { momentum: 0 } },
  { label: 'SGD momentum', make: () => SGD({ learning_rate: 0.02, momentum: 0.9 }), rule: sgd, lr: 0.02, hyper: { momentum: 0.9 } },
  {
    label: 'SGD Nesterov + TF2 decay',
    make: () => SGD({ lr: 0.02, momentum: 0.8, nesterov: true, decay: 0.1 }),
    rule: sgd,
    lr: 0.02,
    hyper: { momentum: 0.8, nesterov: true },
    decay: 0.1,
  },
  { label: 'Adagrad', make: () => Adagrad(0.05), rule: adagrad, lr: 0.05, hyper: { initial_accumulator_value: 0.1, epsilon: 1e-7 } },
  {
    label: 'Adagrad from 0 + clipnorm',
    make: () => Adagrad({ learning_rate: 0.05, initial_accumulator_value: 0, clipnorm: 0.5 }),
    rule: adagrad,
    lr: 0.05,
    hyper: { initial_accumulator_value: 0, epsilon: 1e-7 },
    clipnorm: 0.5,
  },
  {
    label: 'Adadelta (paper form)',
    make: () => Adadelta({ learning_rate: 1.0, rho: 0.9, epsilon: 1e-4 }),
    rule: adadelta,
    lr: 1.0,
    hyper: { rho: 0.9, epsilon: 1e-4 },
  },
  { label: 'RMSprop', make: () => RMSprop(0.01), rule: rmsprop, lr: 0.01, hyper: { rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false } },
  {
    label: 'RMSprop centered + momentum',
    make: () => RMSprop({ learning_rate: 0.005, rho: 0.8, momentum: 0.5, centered: true }),
    rule: rmsprop,
    lr: 0.005,
    hyper: { rho: 0.8, momentum: 0.5, epsilon: 1e-7, centered: true },
  },
  { label: 'Adam', make: () => Adam(0.01), rule: adam, lr: 0.01, hyper: { ...adamDefaults, amsgrad: false } },
  {
    label: 'Adam AMSGrad + weight decay',
    make: () => Adam({ learning_rate: 0.01, amsgrad: true, weight_decay: 0.1 }),
    rule: adam,
    lr: 0.01,
    hyper: { ...adamDefaults, amsgrad: true },
    weight_decay: 0.1,
  },
  { label: 'AdamW', make: () => AdamW(0.01), rule: adam, lr: 0.01, hyper: { ...adamDefaults, amsgrad: false }, weight_decay: 0.004 },
  { label: 'Adamax', make: () => Adamax(0.01), rule: adamax, lr: 0.01, hyper: { ...adamDefaults } },
  { label: 'Nadam', make: () => Nadam(0.01), rule: nadam, beginStep: nadamBeginStep, lr: 0.01, hyper: { ...adamDefaults } },
  {
    label: 'Nadam, other betas',
    make: () => Nadam({ learning_rate: 0.02, beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 }),
    rule: nadam,
    beginStep: nadamBeginStep,
    lr: 0.02,
    hyper: { beta_1: 0.5, beta_2: 0.67, epsilon: 1e-5 },
  },
];

/** Keras's step around the rule, in float64: TF2 decay → clipnorm → weight decay → rule. */
function referenceTrajectory(c: Case, initial: number[][], gradients: number[][][]): number[][][] {
  const weights = initial.map((w) => [...w]);
  const states = initial.map(() => ({}) as Record<string, number[]>);
  const shared: Record<string, number> = {};
  return gradients.map((stepGradients, step) => {
    const lr = c.decay ? c.lr / (1 + c.decay * step) : c.lr;
    c.beginStep?.(step, shared, c.hyper);
    stepGradients.forEach((raw, k) => {
      let g = raw;
      if (c.clipnorm) {
        const norm = Math.sqrt(g.reduce((sum, x) => sum + x * x, 0));
        g = g.map((x) => (x * c.clipnorm!) / Math.max(norm, c.clipnorm!));
      }
      const w = weights[k]!;
      if (c.weight_decay) for (let i = 0; i < w.length; i++) w[i] = w[i]! - w[i]! * c.weight_decay * lr;
      c.rule(g, w, lr, step, states[k]!, c.hyper, shared);
    });
    return weights.map((w) => [...w]);
  });
}

describe('trajectories agree with a float64 transcription of Keras (20 steps, relative error <= 1e-5)', () => {
  const random = seededUniform(2024);
  const shapes = [[3, 4], [5]];
  const steps = 20;
  const initial = shapes.map((shape) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 1 + 0.5 * random()));
  const gradients = Array.from({ length: steps }, () => initial.map((w) => w.map(() => random())));

  for (const c of cases) {
    it(c.label, () => {
      const expected = referenceTrajectory(c, initial, gradients);
      const variables = shapes.map((shape, k) => tf.variable(tf.tensor(initial[k]!, shape)));
      const optimizer = c.make();
      let worst = 0;
      gradients.forEach((stepGradients, step) => {
        const grads = stepGradients.map((g, k) => tf.tensor(g, shapes[k]));
        optimizer.apply_gradients(grads.map((g, k) => [g, variables[k]!] as const));
        tf.dispose(grads);
        variables.forEach((v, k) => {
          const actual = v.dataSync();
          expected[step]![k]!.forEach((e, i) => {
            worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.abs(e));
          });
        });
      });
      if (process.env.SHOW_ERRORS) console.log(`${c.label}: worst relative error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
      // The weights really moved: the check compares trajectories, not a standstill.
      const moved = expected[steps - 1]!.flat().map((e, i) => Math.abs(e - initial.flat()[i]!));
      expect(Math.max(...moved)).toBeGreaterThan(1e-2);
      tf.dispose(variables);
    });
  }
});
