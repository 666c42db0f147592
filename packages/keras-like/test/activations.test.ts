import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as activations from '../src/activations.js';
import * as K from '../src/backend/math.js';
import { BUILTIN_ACTIVATIONS, isElementwise } from '../src/activations/builtins.js';

function values(t: tf.Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

function expectClose(actual: tf.Tensor | number[], expected: number[], tol = 1e-6): void {
  const got = Array.isArray(actual) ? actual : values(actual);
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!))));
}

/** max |a − b| / max |b|: the relative error the brief bounds by 1e-5. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]!));
}

/** Random inputs kept away from the kinks (0, ±0.5, ±1, ±3, 6) where one-sided derivatives differ. */
function awayFromKinks(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.randomUniform(shape, -7, 7, 'float32', seed);
    const nearKink = [0, 0.5, -0.5, 1, -1, 3, -3, 6].map((k) => tf.less(tf.abs(tf.sub(z, k)), 0.05)).reduce((a, b) => tf.logicalOr(a, b));
    return tf.where(nearKink, tf.add(z, 0.12), z);
  });
}

const x = [-10, -5, 0, 5, 10];

describe('keras.activations functions', () => {
  it('relu follows Keras 3 docstring values', () => {
    expectClose(activations.relu(x), [0, 0, 0, 5, 10]);
    expectClose(activations.relu(x, { negative_slope: 0.5 }), [-5, -2.5, 0, 5, 10]);
    expectClose(activations.relu(x, { max_value: 5 }), [0, 0, 0, 5, 5]);
    expectClose(activations.relu(x, { threshold: 5 }), [0, 0, 0, 0, 10]);
    // Keras 2's alpha, and positional arguments in Keras's order.
    expectClose(activations.relu(x, { alpha: 0.5, max_value: null, threshold: 0 }), [-5, -2.5, 0, 5, 10]);
    expectClose(activations.relu(x, 0.5, 6), [-5, -2.5, 0, 5, 6]);
    // Threshold with slope: x above 1, slope·(x − 1) below: −0.1·(1 − (−10)) = −1.1.
    expectClose(activations.relu([-10, 0.5, 2], { negative_slope: 0.1, threshold: 1 }), [-1.1, -0.05, 2]);
  });

  it('computes each activation by its Keras formula', () => {
    const xs = [-2, -0.5, 0, 0.7, 3.5];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const erf = (v: number) => {
      // Abramowitz-Stegun 7.1.26 is too coarse; integrate exp(-t²) by Simpson's rule instead.
      const n = 2000;
      const h = v / n;
      let s = 0;
      for (let i = 0; i <= n; i++) s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
      return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
    };
    const sp = (v: number) => Math.log1p(Math.exp(v));
    const hs = (v: number) => Math.min(Math.max(v / 6 + 0.5, 0), 1);
    const table: Array<[tf.Tensor, (v: number) => number]> = [
      [activations.sigmoid(xs), sig],
      [activations.tanh(xs), Math.tanh],
      [activations.elu(xs), (v) => (v > 0 ? v : Math.exp(v) - 1)],
      [activations.elu(xs, { alpha: 0.5 }), (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))],
      [activations.selu(xs), (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
      [activations.softplus(xs), sp],
      [activations.softsign(xs), (v) => v / (Math.abs(v) + 1)],
      [activations.exponential(xs), Math.exp],
      [activations.linear(xs), (v) => v],
      [activations.hard_sigmoid(xs), hs],
      [activations.hard_silu(xs), (v) => v * hs(v)],
      [activations.hard_swish(xs), (v) => v * hs(v)],
      [activations.silu(xs), (v) => v * sig(v)],
      [activations.swish(xs), (v) => v * sig(v)],
      [activations.gelu(xs), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
      [
        activations.gelu(xs, { approximate: true }),
        (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
      ],
      [activations.leaky_relu(xs), (v) => (v > 0 ? v : 0.2 * v)],
      [activations.leaky_relu(xs, { alpha: 0.3 }), (v) => (v > 0 ? v : 0.3 * v)],
      [activations.relu6([-1, 3, 7]), (v) => v],
      [activations.mish(xs), (v) => v * Math.tanh(sp(v))],
      [activations.log_sigmoid(xs), (v) => Math.log(sig(v))],
      [activations.celu(xs), (v) => (v >= 0 ? v : Math.expm1(v))],
      [activations.celu(xs, { alpha: 2 }), (v) => (v >= 0 ? v : 2 * Math.expm1(v / 2))],
      [activations.hard_tanh(xs), (v) => Math.min(Math.max(v, -1), 1)],
      [activations.tanh_shrink(xs), (v) => v - Math.tanh(v)],
      [activations.hard_shrink(xs), (v) => (Math.abs(v) > 0.5 ? v : 0)],
      [activations.hard_shrink(xs, { threshold: 1 }), (v) => (Math.abs(v) > 1 ? v : 0)],
      [activations.soft_shrink(xs), (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0)],
      [activations.sparse_plus(xs), (v) => (v <= -1 ? 0 : v >= 1 ? v : (v + 1) ** 2 / 4)],
      [activations.sparse_sigmoid(xs), (v) => (v <= -1 ? 0 : v >= 1 ? 1 : 0.5 * (v + 1))],
      [activations.squareplus(xs), (v) => (v + Math.sqrt(v * v + 4)) / 2],
      [activations.squareplus(xs, { b: 1 }), (v) => (v + Math.sqrt(v * v + 1)) / 2],
    ];
    for (const [t, f] of table) {
      const inputs = t.size === 3 ? [-1, 3, 7] : xs;
      const expected = t.size === 3 ? [0, 3, 6] : inputs.map(f);
      expectClose(t, expected, 2e-6);
    }
  });

  it('softmax and log_softmax normalise along the axis', () => {
    const logits = [[1, 2, 3], [0, 0, Math.log(2)]];
    const e = [1, 2, 3].map(Math.exp);
    const s = e[0]! + e[1]! + e[2]!;
    expectClose(activations.softmax(logits), [e[0]! / s, e[1]! / s, e[2]! / s, 0.25, 0.25, 0.5]);
    expectClose(activations.log_softmax(logits), [...e.map((v) => Math.log(v / s)), Math.log(0.25), Math.log(0.25), Math.log(0.5)]);
    // axis 0: each column normalised; the second column is softmax([2, 0]).
    const col = activations.softmax(logits, { axis: 0 });
    expect(col.shape).toEqual([2, 3]);
    // Columns [1, 0], [2, 0], [3, ln 2]: softmax([a, b]) = [e^a, e^b] / (e^a + e^b).
    const [e1, e2, e3] = e as [number, number, number];
    expectClose(col, [e1 / (e1 + 1), e2 / (e2 + 1), e3 / (e3 + 2), 1 / (e1 + 1), 1 / (e2 + 1), 2 / (e3 + 2)]);
  });

  it('validates keyword arguments with Keras wording', () => {
    expect(() => activations.relu(x, { max_value: 'a' as unknown as number })).toThrow(
      "relu: `max_value` must be a float or null. Received: max_value='a'",
    );
    expect(() => activations.relu(x, { negative_slop: 1 } as never)).toThrow('Did you mean `negative_slope`?');
    expect(() => activations.relu(x, { negative_slope: 0.1, alpha: 0.1 })).toThrow('give only one');
    expect(() => activations.leaky_relu(x, { negative_slope: 0.1, alpha: 0.1 })).toThrow('leaky_relu: `negative_slope` and `alpha` are the same argument');
    expect(() => activations.softmax(x, { axis: 0.5 })).toThrow('softmax: `axis` must be an integer. Received: axis=0.5');
    expect(() => activations.elu(x, { alpha: 'big' as unknown as number })).toThrow("elu: `alpha` must be a float. Received: alpha='big'");
    expect(() => activations.gelu(x, { approximate: 1 as unknown as boolean })).toThrow('gelu: `approximate` must be a boolean');
    expect(() => activations.leaky_relu(x, { negative_slope: null as unknown as number })).toThrow('leaky_relu: `negative_slope` must be a float');
    const bad = 'x' as unknown as number;
    const table: Array<[() => unknown, string]> = [
      [() => activations.relu(x, { negative_slope: bad }), "relu: `negative_slope` must be a float. Received: negative_slope='x'"],
      [() => activations.relu(x, { alpha: bad }), "relu: `alpha` must be a float. Received: alpha='x'"],
      [() => activations.relu(x, { threshold: bad }), "relu: `threshold` must be a float. Received: threshold='x'"],
      [() => activations.leaky_relu(x, { alpha: bad }), "leaky_relu: `alpha` must be a float. Received: alpha='x'"],
      [() => activations.log_softmax(x, { axis: bad }), "log_softmax: `axis` must be an integer. Received: axis='x'"],
      [() => activations.celu(x, { alpha: 0 }), 'celu: `alpha` must be > 0. Received: alpha=0'],
      [() => activations.hard_shrink(x, { threshold: -1 }), 'hard_shrink: `threshold` must be >= 0. Received: threshold=-1'],
      [() => activations.soft_shrink(x, { threshold: bad }), "soft_shrink: `threshold` must be a float. Received: threshold='x'"],
      [() => activations.squareplus(x, { b: -4 }), 'squareplus: `b` must be >= 0. Received: b=-4'],
    ];
    for (const [call, message] of table) expect(call).toThrow(message);
  });
});

describe('tensor hygiene', () => {
  it('the public functions leave only their result behind', () => {
    const x2 = tf.tensor([[-2, 0.5, 3]]);
    const before = tf.memory().numTensors;
    for (const name of activations.ACTIVATION_NAMES) tf.dispose(activations.get(name)(x2));
    tf.dispose([activations.relu([1, -1], { negative_slope: 0.1, max_value: 2, threshold: 0.5 }), activations.softmax(x2, { axis: 0 })]);
    expect(tf.memory().numTensors).toBe(before);
    x2.dispose();
  });
});

describe('get / serialize / deserialize', () => {
  it('resolves names, functions and null as Keras does', () => {
    expect(activations.get('relu')).toBeTypeOf('function');
    expectClose(activations.get('relu')(tf.tensor([-1, 2])), [0, 2]);
    expect(activations.get(activations.tanh)).toBe(activations.tanh);
    expect(activations.get('relu')).toBe(activations.relu);
    expect(activations.get('swish')).toBe(activations.silu);
    expectClose(activations.get(null)(tf.tensor([-1, 2])), [-1, 2]);
    expect(activations.serialize(activations.tanh)).toBe('tanh');
    expect(activations.serialize(K.sigmoid)).toBe('sigmoid');
    expect(activations.serialize('swish')).toBe('swish');
    expectClose(activations.deserialize('sigmoid')(tf.tensor([0])), [0.5]);
    expectClose(activations.deserialize({ class_name: 'function', config: 'relu' })(tf.tensor([-3])), [0]);
  });

  it('names the closest activation for a misspelt one', () => {
    expect(() => activations.get('relux')).toThrow("Could not interpret activation function identifier: 'relux'. Did you mean 'relu'?");
    expect(() => activations.getActivation('sigmod')).toThrow("Did you mean 'sigmoid'?");
    expect(() => activations.serialize((t: tf.Tensor) => t)).toThrow('cannot be serialized');
  });

  it('maps Keras, K and tf functions to the built-in with its hand-written derivative', () => {
    expect(activations.getActivation(activations.tanh)).toBe(activations.getActivation('tanh'));
    expect(activations.getActivation(K.tanh).name).toBe('tanh');
    expect(activations.getActivation(activations.relu).fusedName).toBe('relu');
    expect(activations.getActivation(tf.sigmoid).fusedName).toBe('sigmoid');
    expect(activations.getActivation(undefined).name).toBe('linear');
    expect(activations.getActivation('leaky_relu')).toMatchObject({ fusedName: 'leakyrelu', leakyreluAlpha: 0.2 });
  });
});

describe('Activation backward', () => {
  for (const [name, activation] of BUILTIN_ACTIVATIONS) {
    it(`${name}: backward equals tf.grads within 1e-5`, () => {
      const before = tf.memory().numTensors;
      const z = awayFromKinks([6, 5], 11);
      const dA = tf.randomNormal([6, 5], 0, 1, 'float32', 7);
      const [hand, auto] = tf.tidy(() => {
        const a = activation.forward(z);
        // `+ 0` gives tf.grad an op to differentiate when the forward is the identity (linear).
        const reference = tf.grad((t: tf.Tensor) => tf.add(activation.forward(t), 0))(z, dA);
        return [activation.backward(dA, z, a), reference];
      });
      expect(relativeError(hand, auto)).toBeLessThanOrEqual(1e-5);
      tf.dispose([z, dA, hand, auto]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the forward equals keras.activations.<name>', () => {
    const z = awayFromKinks([4, 3], 5);
    for (const [name, activation] of BUILTIN_ACTIVATIONS) {
      const expected = values(activations.get(name)(z));
      const got = tf.tidy(() => activation.forward(z).dataSync());
      expectClose(Array.from(got), expected, 1e-6);
    }
    z.dispose();
  });

  // The recurrent layers compute f′ before dA is known (lstm_cell.ts startBackward) for these.
  it('isElementwise: backward(dA) = dA ⊙ backward(1) for every built-in it accepts; softmax, log_softmax and user functions refused', () => {
    const z = awayFromKinks([6, 5], 13);
    const dA = tf.randomNormal([6, 5], 0, 1, 'float32', 9);
    for (const [name, activation] of BUILTIN_ACTIVATIONS) {
      const error = tf.tidy(() => {
        const a = activation.forward(z);
        return relativeError(tf.mul(dA, activation.backward(tf.onesLike(z), z, a)), activation.backward(dA, z, a));
      });
      if (isElementwise(activation)) expect(error, name).toBeLessThanOrEqual(1e-6);
      else expect(error, name).toBeGreaterThan(1e-2);
    }
    expect([...BUILTIN_ACTIVATIONS.values()].filter((a) => !isElementwise(a)).map((a) => a.name)).toEqual(['softmax', 'log_softmax']);
    expect(isElementwise(activations.getActivation((t: tf.Tensor) => tf.tanh(t)))).toBe(false);
    expect(isElementwise(activations.getActivation(activations.tanh))).toBe(true);
    tf.dispose([z, dA]);
  });

  it('a user function gets its backward from tf.grad', () => {
    const cube = (t: tf.Tensor) => tf.pow(t, 3);
    const activation = activations.getActivation(cube);
    expect(activation.name).toBe('cube');
    expect(activation.fusedName).toBeUndefined();
    const z = tf.tensor([[1, -2, 0.5]]);
    const dA = tf.tensor([[1, 1, 2]]);
    // d(z³)/dz = 3z²: [3, 12, 0.75], times dA.
    expectClose(tf.tidy(() => activation.backward(dA, z, activation.forward(z))), [3, 12, 1.5]);
    // A parametrised built-in given as a closure also falls back to autodiff.
    const capped = activations.getActivation((t: tf.Tensor) => activations.relu(t, { max_value: 1 }));
    expectClose(tf.tidy(() => capped.backward(tf.ones([1, 3]), tf.tensor([[0.5, 2, -1]]), tf.tensor([[0.5, 1, 0]]))), [1, 0, 0]);
    tf.dispose([z, dA]);
  });
});

describe('peer check: tfjs-layers activations', () => {
  // tfjs-layers implements these as Keras does (its hardSigmoid is TF2's 0.2x + 0.5, so not compared).
  const pairs: Array<[string, 'elu' | 'linear' | 'relu' | 'relu6' | 'selu' | 'sigmoid' | 'softmax' | 'softplus' | 'softsign' | 'tanh' | 'swish' | 'mish' | 'gelu']> = [
    ['elu', 'elu'],
    ['linear', 'linear'],
    ['relu', 'relu'],
    ['relu6', 'relu6'],
    ['selu', 'selu'],
    ['sigmoid', 'sigmoid'],
    ['softmax', 'softmax'],
    ['softplus', 'softplus'],
    ['softsign', 'softsign'],
    ['tanh', 'tanh'],
    ['swish', 'swish'],
    ['mish', 'mish'],
    ['gelu', 'gelu'],
  ];
  for (const [ours, theirs] of pairs) {
    it(`${ours} equals tfjs-layers '${theirs}'`, () => {
      const z = awayFromKinks([5, 4], 9);
      const expected = tf.tidy(() => Array.from((tfl.layers.activation({ activation: theirs }).apply(z) as tf.Tensor).dataSync()));
      expectClose(activations.get(ours)(z), expected, 2e-6);
      z.dispose();
    });
  }
});
