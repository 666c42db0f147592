import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { Dense } from '../src/layers/dense.js';
import type { Layer } from '../src/layers/layer.js';

/** max |a − b| / max |b|: the error relative to the tensor's scale (float32 cancellation makes per-entry ratios noisy). */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return worst / Math.max(scale, 1e-12);
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** The reference activations, written with plain tf ops, not the code under test. */
const REFERENCE: Record<string, (z: tf.Tensor) => tf.Tensor> = {
  linear: (z) => z,
  relu: (z) => tf.relu(z),
  sigmoid: (z) => tf.sigmoid(z),
  tanh: (z) => tf.tanh(z),
  softmax: (z) => tf.softmax(z),
  elu: (z) => tf.elu(z),
  selu: (z) => tf.selu(z),
  softplus: (z) => tf.softplus(z),
  relu6: (z) => tf.clipByValue(z, 0, 6),
  leaky_relu: (z) => tf.leakyRelu(z, 0.2),
  swish: (z) => tf.mul(z, tf.sigmoid(z)),
};

keras.utils.set_random_seed(42);

describe('Dense forward', () => {
  it('equals x·W + b computed by hand', () => {
    const layer = Dense(2, { input_shape: [3] });
    layer.build([null, 3]);
    // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1]
    layer.set_weights([[[1, 2], [3, 4], [5, 6]], [0.5, -1]]);
    const out = layer.apply([[1, 0, -1], [2, 1, 0]]);
    // row 1: [1-5+0.5, 2-6-1] = [-3.5, -5]; row 2: [2+3+0.5, 4+4-1] = [5.5, 7]
    expect(out.arraySync()).toEqual([[-3.5, -5], [5.5, 7]]);
    out.dispose();
    layer.dispose();
  });

  it('applies the activation (relu zeroes the negatives)', () => {
    const layer = Dense(2, { activation: 'relu' });
    layer.build([null, 3]);
    layer.set_weights([[[1, 2], [3, 4], [5, 6]], [0.5, -1]]);
    const out = layer.apply([[1, 0, -1]]);
    expect(out.arraySync()).toEqual([[0, 0]]);
    out.dispose();
    layer.dispose();
  });

  it('acts on the last axis of 3-D inputs', () => {
    const layer = Dense(4);
    const out = layer.apply(tf.ones([2, 5, 3]));
    expect(out.shape).toEqual([2, 5, 4]);
    expect(layer.compute_output_shape([null, 5, 3])).toEqual([null, 5, 4]);
    out.dispose();
    layer.dispose();
  });
});

describe('Dense backward equals TensorFlow.js autodiff', () => {
  for (const [name, act] of Object.entries(REFERENCE)) {
    it(`activation ${name}`, () => {
      const layer = Dense(4, { activation: name, bias_initializer: 'glorot_uniform' });
      layer.build([null, 3]);
      const before = tf.memory().numTensors;
      const x = seeded([5, 3], 1);
      const dOut = seeded([5, 4], 2);
      const [W, b] = layer.get_weights() as [tf.Tensor, tf.Tensor];
      // Reference: C = Σ σ(x·W + b) ⊙ dOut, so ∂C/∂output = dOut.
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(act(tf.add(tf.matMul(xx, ww), bb)), dOut));
      const [gx, gW, gb] = tf.grads(f)([x, W, b]);
      tf.tidy(() => {
        const pass = layer.forward(x, true);
        const { inputGradient, weightGradients } = layer.backward(dOut, pass, true);
        expect(relativeError(pass.outputs, act(tf.add(tf.matMul(x, W), b)))).toBeLessThan(1e-5);
        expect(relativeError(inputGradient!, gx!)).toBeLessThan(1e-5);
        expect(relativeError(weightGradients[0]!, gW!)).toBeLessThan(1e-5);
        expect(relativeError(weightGradients[1]!, gb!)).toBeLessThan(1e-5);
      });
      tf.dispose([x, dOut, W, b, gx!, gW!, gb!]);
      expect(tf.memory().numTensors).toBe(before);
      layer.dispose();
    });
  }

  it('without a bias, and with a user function as activation (autodiff fallback)', () => {
    const cube = (z: tf.Tensor) => tf.pow(z, 3);
    const layer = Dense(2, { activation: cube, use_bias: false });
    layer.build([null, 3]);
    const x = seeded([4, 3], 3);
    const dOut = seeded([4, 2], 4);
    const [W] = layer.get_weights() as [tf.Tensor];
    const [gx, gW] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(cube(tf.matMul(xx, ww)), dOut)))([x, W]);
    tf.tidy(() => {
      const { inputGradient, weightGradients } = layer.backward(dOut, layer.forward(x, true), true);
      expect(weightGradients).toHaveLength(1);
      expect(relativeError(inputGradient!, gx!)).toBeLessThan(1e-5);
      expect(relativeError(weightGradients[0]!, gW!)).toBeLessThan(1e-5);
    });
    tf.dispose([x, dOut, W, gx!, gW!]);
    layer.dispose();
  });

  it('backwardFromDelta takes δ = ∂C/∂z (the fused sigmoid / softmax path)', () => {
    const layer = Dense(3, { activation: 'softmax' });
    layer.build([null, 2]);
    const x = seeded([4, 2], 5);
    const delta = seeded([4, 3], 6);
    const [W, b] = layer.get_weights() as [tf.Tensor, tf.Tensor];
    const [gx, gW, gb] = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.matMul(xx, ww), bb), delta)))([x, W, b]);
    tf.tidy(() => {
      const { inputGradient, weightGradients } = layer.backwardFromDelta(delta, layer.forward(x, true), true);
      expect(relativeError(inputGradient!, gx!)).toBeLessThan(1e-5);
      expect(relativeError(weightGradients[0]!, gW!)).toBeLessThan(1e-5);
      expect(relativeError(weightGradients[1]!, gb!)).toBeLessThan(1e-5);
    });
    tf.dispose([x, delta, W, b, gx!, gW!, gb!]);
    layer.dispose();
  });

  it('skips ∂C/∂input for the first layer', () => {
    const layer = Dense(2);
    layer.build([null, 3]);
    tf.tidy(() => {
      const x = tf.ones([2, 3]);
      const g = layer.backward(tf.ones([2, 2]), layer.forward(x, true), false);
      expect(g.inputGradient).toBeNull();
      expect(g.weightGradients).toHaveLength(2);
    });
    layer.dispose();
  });
});

describe('Dense options', () => {
  it('takes units and activation positionally, or everything as keywords', () => {
    const a = Dense(8, 'relu') as Layer & { units: number; activation: { name: string } };
    expect([a.units, a.activation.name]).toEqual([8, 'relu']);
    const b = new Dense({ units: 3, activation: 'sigmoid', inputDim: 4 });
    expect(b.units).toBe(3);
    expect(b.batch_input_shape).toEqual([null, 4]);
  });

  it('rejects bad values with the argument and the value', () => {
    expect(() => Dense(0)).toThrow('Dense: `units` must be a positive integer. Received: units=0');
    expect(() => Dense(2.5)).toThrow('`units` must be a positive integer. Received: units=2.5');
    expect(() => Dense(2, { activation: 'relux' })).toThrow("Could not interpret activation function identifier: 'relux'. Did you mean 'relu'?");
    expect(() => Dense(2, { kernel_initializer: 'glorot_unifrom' })).toThrow("Did you mean 'glorot_uniform'?");
    expect(() => Dense(2, { use_bias: 'yes' } as never)).toThrow('`use_bias` must be a boolean');
    expect(() => Dense(2, { unit: 3 } as never)).toThrow("Unrecognized keyword arguments passed to Dense: {'unit': 3}. Did you mean `units`?");
    expect(() => Dense(2, { input_shape: [8], input_dim: 8 })).toThrow('Give only one of `input_shape`, `batch_input_shape` and `input_dim`');
  });

  it('registers the constraints and regularizers with their weights', () => {
    const layer = Dense(2, { kernel_regularizer: keras.regularizers.l2(0.01), bias_regularizer: 'l1', kernel_constraint: keras.constraints.max_norm(2) });
    layer.build([null, 3]);
    expect(layer.regularized_weights.map((w) => w.variable)).toEqual([layer.kernel, layer.bias]);
    layer.dispose();
  });

  it("has Keras's config", () => {
    const layer = Dense(4, { activation: 'tanh', input_shape: [3], name: 'hidden' });
    layer.build([null, 3]);
    expect(layer.get_config()).toMatchObject({
      name: 'hidden',
      trainable: true,
      units: 4,
      activation: 'tanh',
      use_bias: true,
      batch_input_shape: [null, 3],
      kernel_initializer: { class_name: 'GlorotUniform' },
      bias_initializer: { class_name: 'Zeros' },
      kernel_regularizer: null,
    });
    layer.dispose();
  });

  it('names the layer and both shapes when the input does not fit', () => {
    const layer = Dense(2, { name: 'dense_check' });
    layer.build([null, 3]);
    expect(() => layer.apply([[1, 2]])).toThrow('Input 0 of layer "dense_check" is incompatible with the layer: expected shape=(None, 3), found shape=(1, 2)');
    layer.dispose();
  });
});
