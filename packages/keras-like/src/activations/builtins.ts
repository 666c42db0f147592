/**
 * Each built-in activation with its hand-written derivative, in the fewest tfjs ops
 * (classroom nets are bound by op dispatch, ~10 µs each). tests/activations.test.ts
 * checks every backward against TensorFlow.js autodiff.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activation.js';
import { SELU_ALPHA, SELU_SCALE, celuOf, geluErf, hardShrinkOf, hardSigmoidOf, seluOf, sparsePlusOf, squareplusOf } from './formulas.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const linear: Activation = {
  name: 'linear',
  forward: (z) => z,
  backward: (dA) => dA,
  fusedName: 'linear',
};

const relu: Activation = {
  name: 'relu',
  forward: tf.relu,
  // relu′(z) = 1 for z > 0, else 0.
  backward: (dA, z) => tf.mul(dA, tf.step(z)),
  fusedName: 'relu',
};

const relu6: Activation = {
  name: 'relu6',
  forward: tf.relu6,
  // Slope 1 on 0 < z < 6; a(6 − a) is positive exactly there.
  backward: (dA, _z, a) => tf.mul(dA, tf.step(tf.mul(a, tf.sub(6, a)))),
  fusedName: 'relu6',
};

const LEAKY_SLOPE = 0.2;
const leaky_relu: Activation = {
  name: 'leaky_relu',
  forward: (z) => tf.leakyRelu(z, LEAKY_SLOPE),
  // step(z, α) is 1 for z > 0 and α otherwise: the derivative itself.
  backward: (dA, z) => tf.mul(dA, tf.step(z, LEAKY_SLOPE)),
  fusedName: 'leakyrelu',
  leakyreluAlpha: LEAKY_SLOPE,
};

const sigmoid: Activation = {
  name: 'sigmoid',
  forward: tf.sigmoid,
  // σ′(z) = a(1 − a).
  backward: (dA, _z, a) => tf.mul(dA, tf.mul(a, tf.sub(1, a))),
  fusedName: 'sigmoid',
};

const tanh: Activation = {
  name: 'tanh',
  forward: tf.tanh,
  // tanh′(z) = 1 − a².
  backward: (dA, _z, a) => tf.mul(dA, tf.sub(1, tf.square(a))),
};

const softmax: Activation = {
  name: 'softmax',
  forward: (z) => tf.softmax(z),
  // Jacobian-vector product: ∂a_i/∂z_j = a_i(δ_ij − a_j), so δ = a ⊙ (dA − Σ_j dA_j a_j).
  backward: (dA, _z, a) => tf.mul(a, tf.sub(dA, tf.sum(tf.mul(dA, a), -1, true))),
};

const log_softmax: Activation = {
  name: 'log_softmax',
  forward: (z) => tf.logSoftmax(z),
  // ∂a_i/∂z_j = δ_ij − softmax_j, and softmax = exp(a).
  backward: (dA, _z, a) => tf.sub(dA, tf.mul(tf.exp(a), tf.sum(dA, -1, true))),
};

const elu: Activation = {
  name: 'elu',
  forward: tf.elu,
  // elu′(z) = 1 for z > 0, else e^z = a + 1.
  backward: (dA, z, a) => tf.where(tf.greater(z, 0), dA, tf.mul(dA, tf.add(a, 1))),
  fusedName: 'elu',
};

const selu: Activation = {
  name: 'selu',
  forward: seluOf,
  // selu′(z) = scale for z > 0, else scale·α·e^z = a + scale·α.
  backward: (dA, z, a) => tf.where(tf.greater(z, 0), tf.mul(dA, SELU_SCALE), tf.mul(dA, tf.add(a, SELU_SCALE * SELU_ALPHA))),
};

const softplus: Activation = {
  name: 'softplus',
  forward: tf.softplus,
  // softplus′ = σ.
  backward: (dA, z) => tf.mul(dA, tf.sigmoid(z)),
};

const softsign: Activation = {
  name: 'softsign',
  forward: (z) => tf.div(z, tf.add(tf.abs(z), 1)),
  // softsign′(z) = 1 / (1 + |z|)².
  backward: (dA, z) => tf.div(dA, tf.square(tf.add(tf.abs(z), 1))),
};

const exponential: Activation = {
  name: 'exponential',
  forward: tf.exp,
  backward: (dA, _z, a) => tf.mul(dA, a),
};

const hard_sigmoid: Activation = {
  name: 'hard_sigmoid',
  forward: hardSigmoidOf,
  // Slope 1/6 on −3 < z < 3, where 0 < a < 1, i.e. a(1 − a) > 0.
  backward: (dA, _z, a) => tf.mul(tf.div(dA, 6), tf.step(tf.mul(a, tf.sub(1, a)))),
};

const hard_silu: Activation = {
  name: 'hard_silu',
  forward: (z) => tf.mul(z, hardSigmoidOf(z)),
  // With h = hard_sigmoid(z): (zh)′ = h + z·h′, where h′ = 1/6 on −3 < z < 3 (0 < h < 1), else 0.
  backward: (dA, z) => {
    const h = hardSigmoidOf(z);
    const inside = tf.step(tf.mul(h, tf.sub(1, h)));
    return tf.mul(dA, tf.add(h, tf.mul(tf.div(z, 6), inside)));
  },
};

const silu: Activation = {
  name: 'silu',
  forward: (z) => tf.mul(z, tf.sigmoid(z)),
  // (zσ)′ = σ + zσ(1 − σ) = σ + a(1 − σ).
  backward: (dA, z, a) => {
    const s = tf.sigmoid(z);
    return tf.mul(dA, tf.add(s, tf.mul(a, tf.sub(1, s))));
  },
};

const gelu: Activation = {
  name: 'gelu',
  forward: geluErf,
  // (zΦ(z))′ = Φ(z) + z·φ(z); Φ(z) = a / z is unsafe at 0, so take it from erf.
  backward: (dA, z) => {
    const cdf = tf.mul(tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))), 0.5);
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), INV_SQRT_2PI);
    return tf.mul(dA, tf.add(cdf, tf.mul(z, pdf)));
  },
};

const mish: Activation = {
  name: 'mish',
  forward: (z) => tf.mul(z, tf.tanh(tf.softplus(z))),
  // With t = tanh(softplus(z)): mish′ = t + z(1 − t²)σ(z).
  backward: (dA, z) => {
    const t = tf.tanh(tf.softplus(z));
    return tf.mul(dA, tf.add(t, tf.mul(tf.mul(z, tf.sub(1, tf.square(t))), tf.sigmoid(z))));
  },
};

const log_sigmoid: Activation = {
  name: 'log_sigmoid',
  forward: tf.logSigmoid,
  // (log σ)′ = 1 − σ(z) = σ(−z).
  backward: (dA, z) => tf.mul(dA, tf.sigmoid(tf.neg(z))),
};

const celu: Activation = {
  name: 'celu',
  forward: (z) => celuOf(z, 1),
  // 1 for z > 0, else e^z = a + 1 (alpha = 1).
  backward: (dA, z, a) => tf.where(tf.greater(z, 0), dA, tf.mul(dA, tf.add(a, 1))),
};

const hard_tanh: Activation = {
  name: 'hard_tanh',
  forward: (z) => tf.clipByValue(z, -1, 1),
  // Slope 1 on −1 < z < 1, where 1 − a² > 0.
  backward: (dA, _z, a) => tf.mul(dA, tf.step(tf.sub(1, tf.square(a)))),
};

const tanh_shrink: Activation = {
  name: 'tanh_shrink',
  forward: (z) => tf.sub(z, tf.tanh(z)),
  // (z − tanh z)′ = 1 − (1 − tanh² z) = tanh² z.
  backward: (dA, z) => tf.mul(dA, tf.square(tf.tanh(z))),
};

const SHRINK = 0.5;
const hard_shrink: Activation = {
  name: 'hard_shrink',
  forward: (z) => hardShrinkOf(z, SHRINK),
  // Slope 1 where |z| > threshold, else 0.
  backward: (dA, z) => tf.mul(dA, tf.step(tf.sub(tf.abs(z), SHRINK))),
};

const soft_shrink: Activation = {
  name: 'soft_shrink',
  forward: (z) => tf.sub(z, tf.clipByValue(z, -SHRINK, SHRINK)),
  backward: (dA, z) => tf.mul(dA, tf.step(tf.sub(tf.abs(z), SHRINK))),
};

const sparse_plus: Activation = {
  name: 'sparse_plus',
  forward: sparsePlusOf,
  // 0 below −1, (z + 1)/2 between, 1 above: clip((z + 1)/2, 0, 1).
  backward: (dA, z) => tf.mul(dA, tf.clipByValue(tf.mul(tf.add(z, 1), 0.5), 0, 1)),
};

const sparse_sigmoid: Activation = {
  name: 'sparse_sigmoid',
  forward: (z) => tf.clipByValue(tf.mul(tf.add(z, 1), 0.5), 0, 1),
  // Slope ½ on −1 < z < 1, where 0 < a < 1.
  backward: (dA, _z, a) => tf.mul(tf.mul(dA, 0.5), tf.step(tf.mul(a, tf.sub(1, a)))),
};

const SQUAREPLUS_B = 4;
const squareplus: Activation = {
  name: 'squareplus',
  forward: (z) => squareplusOf(z, SQUAREPLUS_B),
  // ((z + √(z² + b))/2)′ = (1 + z/√(z² + b))/2.
  backward: (dA, z) => tf.mul(dA, tf.mul(tf.add(1, tf.div(z, tf.sqrt(tf.add(tf.square(z), SQUAREPLUS_B)))), 0.5)),
};

/** Keras's activation names, with its aliases (swish = silu, hard_swish = hard_silu). */
export const BUILTIN_ACTIVATIONS: ReadonlyMap<string, Activation> = new Map([
  ['linear', linear],
  ['relu', relu],
  ['relu6', relu6],
  ['leaky_relu', leaky_relu],
  ['sigmoid', sigmoid],
  ['tanh', tanh],
  ['softmax', softmax],
  ['log_softmax', log_softmax],
  ['elu', elu],
  ['selu', selu],
  ['softplus', softplus],
  ['softsign', softsign],
  ['exponential', exponential],
  ['hard_sigmoid', hard_sigmoid],
  ['hard_silu', hard_silu],
  ['hard_swish', hard_silu],
  ['silu', silu],
  ['swish', silu],
  ['gelu', gelu],
  ['mish', mish],
  ['log_sigmoid', log_sigmoid],
  ['celu', celu],
  ['hard_tanh', hard_tanh],
  ['tanh_shrink', tanh_shrink],
  ['hard_shrink', hard_shrink],
  ['soft_shrink', soft_shrink],
  ['sparse_plus', sparse_plus],
  ['sparse_sigmoid', sparse_sigmoid],
  ['squareplus', squareplus],
]);

/** The built-ins whose derivative is not element-wise: their backward is a Jacobian-vector product over the last axis. */
const NOT_ELEMENTWISE: ReadonlySet<Activation> = new Set([softmax, log_softmax]);

/**
 * Whether `activation.backward(dA, z, a)` is dA ⊙ f′(z), a factor of z alone: true for every
 * built-in but softmax and log_softmax, false for a user's function (its autodiff backward may
 * mix elements). Then f′ can be computed before dA is known, as the recurrent layers' backward
 * does for all time steps at once (lstm_cell.ts).
 */
export function isElementwise(activation: Activation): boolean {
  return BUILTIN_ACTIVATIONS.get(activation.name) === activation && !NOT_ELEMENTWISE.has(activation);
}
