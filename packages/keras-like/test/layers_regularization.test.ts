import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dropout } from '../src/layers/dropout.js';
import { Flatten } from '../src/layers/flatten.js';
import { Reshape } from '../src/layers/reshape.js';
import { GaussianNoise } from '../src/layers/gaussian_noise.js';
import { ActivityRegularization } from '../src/layers/activity_regularization.js';
import { L1L2 } from '../src/regularizers.js';
import { set_random_seed } from '../src/utils/random.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** ∂(Σ dy ⊙ f(x))/∂x by TensorFlow.js autodiff. */
function autodiff(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)))(x);
}

describe('Dropout', () => {
  it('keeps the expectation: mean of outputs within 1% of the mean of inputs over 1e5 samples', () => {
    set_random_seed(42);
    const x = tf.tidy(() => tf.add(tf.randomUniform([1000, 100], 0, 2, 'float32', 1), 0.5));
    const layer = Dropout(0.5);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const { outputs } = layer.forward(x, true);
      const inMean = tf.mean(x).dataSync()[0]!;
      const outMean = tf.mean(outputs).dataSync()[0]!;
      expect(Math.abs(outMean - inMean) / inMean).toBeLessThan(0.01);
      // about half the values are dropped, the rest scaled by 1 / (1 - 0.5) = 2
      const dropped = tf.mean(tf.cast(tf.equal(outputs, 0), 'float32')).dataSync()[0]!;
      expect(Math.abs(dropped - 0.5)).toBeLessThan(0.01);
      expect(maxAbsDiff(tf.where(tf.equal(outputs, 0), tf.zerosLike(x), tf.mul(x, 2)), outputs)).toBeLessThan(1e-5);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('is the identity at inference and when rate is 0', () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const out = Dropout(0.9).apply(x);
    expect(out.arraySync()).toEqual([[1, 2, 3]]);
    const zeroRate = Dropout(0).forward(x, true).outputs;
    expect(zeroRate.arraySync()).toEqual([[1, 2, 3]]);
    tf.dispose([x, out, zeroRate]);
  });

  it('backward multiplies by the same mask (vs autodiff through a twin layer with the same seed)', () => {
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const dy = tf.randomNormal([6, 5], 0, 1, 'float32', 4);
    const layer = Dropout(0.3, { seed: 11 });
    const twin = Dropout(0.3, { seed: 11 });
    const pass = layer.forward(x, true);
    const ours = layer.backward(dy, pass, true).inputGradient!;
    const reference = autodiff((t) => twin.call(t, { training: true }), x, dy);
    expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-6);
    expect(layer.backward(dy, pass, false)).toEqual({ inputGradient: null, weightGradients: [] });
  });

  it('broadcasts the mask over noise_shape', () => {
    const x = tf.ones([4, 3, 8]);
    const out = Dropout(0.5, { noise_shape: [null, 1, 8], seed: 1 }).forward(x, true).outputs;
    const rows = out.arraySync() as number[][][];
    // the same features are dropped at every step of a sample
    for (const sample of rows) for (const step of sample) expect(step).toEqual(sample[0]);
    tf.dispose([x, out]);
  });

  it('is reproducible with set_random_seed', () => {
    const x = tf.ones([2, 10]);
    set_random_seed(7);
    const a = Dropout(0.5).forward(x, true).outputs;
    set_random_seed(7);
    const b = Dropout(0.5).forward(x, true).outputs;
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([x, a, b]);
  });

  it('validates its arguments with Keras-worded messages', () => {
    expect(() => Dropout(1.5)).toThrow('Dropout: `rate` must be a float in the range [0, 1). Received: rate=1.5');
    expect(() => Dropout(1)).toThrow('Dropout: `rate` must be a float in the range [0, 1). Received: rate=1');
    expect(() => Dropout(0.5, { seed: -1 })).toThrow('Dropout: `seed` must be a non-negative integer. Received: seed=-1');
    expect(() => Dropout(0.5, { noise_shape: [0] })).toThrow('`noise_shape');
    expect(() => Dropout(0.5, { rat: 1 } as never)).toThrow('Did you mean `rate`?');
    expect(Dropout(0.2, { seed: 3, name: 'drop' }).get_config()).toMatchObject({ name: 'drop', rate: 0.2, seed: 3, noise_shape: null });
    expect(new Dropout({ rate: 0.25 }).rate).toBe(0.25);
  });
});

describe('Flatten', () => {
  it('flattens every axis but the batch axis; backward reshapes back (vs autodiff)', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    const layer = Flatten();
    expect(layer.compute_output_shape([null, 2, 2])).toEqual([null, 4]);
    expect(layer.compute_output_shape([null])).toEqual([null, 1]);
    const pass = layer.forward(x, true);
    expect(pass.outputs.arraySync()).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const dy = tf.tensor2d([
      [1, -1, 2, -2],
      [3, -3, 4, -4],
    ]);
    const ours = layer.backward(dy, pass, true).inputGradient!;
    expect(maxAbsDiff(ours, autodiff((t) => tf.reshape(t, [2, 4]), x, dy))).toBe(0);
  });

  it("with data_format 'channels_first' moves channels last first", () => {
    // one sample, 2 channels of 2 values: channels-last order interleaves them
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const layer = Flatten({ data_format: 'channels_first' });
    const pass = layer.forward(x, true);
    expect(pass.outputs.arraySync()).toEqual([[1, 3, 2, 4]]);
    const dy = tf.tensor2d([[10, 20, 30, 40]]);
    const reference = autodiff((t) => tf.reshape(tf.transpose(t, [0, 2, 1]), [1, 4]), x, dy);
    expect(maxAbsDiff(layer.backward(dy, pass, true).inputGradient!, reference)).toBe(0);
    expect(() => Flatten({ data_format: 'nchw' as never })).toThrow(
      "Flatten: `data_format` must be 'channels_last' or 'channels_first'. Received: data_format='nchw'",
    );
  });
});

describe('Reshape', () => {
  it('reshapes each sample, inferring -1; backward reshapes back (vs autodiff)', () => {
    const layer = Reshape([-1, 2]);
    expect(layer.compute_output_shape([null, 6])).toEqual([null, 3, 2]);
    expect(Reshape([3, 4]).compute_output_shape([null, 12])).toEqual([null, 3, 4]);
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const pass = layer.forward(x, true);
    expect(pass.outputs.arraySync()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const dy = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    expect(maxAbsDiff(layer.backward(dy, pass, true).inputGradient!, autodiff((t) => tf.reshape(t, [1, 3, 2]), x, dy))).toBe(0);
  });

  it("raises Keras's errors", () => {
    expect(() => Reshape([-1, -1])).toThrow('Reshape: `target_shape` must not contain more than one `-1` value. Received: target_shape=[-1, -1]');
    expect(() => Reshape([5]).compute_output_shape([null, 6])).toThrow(
      'The total size of the tensor must be unchanged. Received: input_shape=(6,), target_shape=(5,)',
    );
    expect(() => Reshape([-1, 4]).compute_output_shape([null, 6])).toThrow('The total size of the tensor must be unchanged');
    expect(() => Reshape([0, 2])).toThrow('`target_shape.0`');
    expect(Reshape([2, 3]).get_config()).toMatchObject({ target_shape: [2, 3] });
  });
});

describe('GaussianNoise', () => {
  it('adds N(0, stddev²) noise in training only; backward is the identity', () => {
    const x = tf.zeros([200, 500]);
    const layer = GaussianNoise(0.5, { seed: 2 });
    const pass = layer.forward(x, true);
    const { mean, variance } = tf.moments(pass.outputs);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(variance.dataSync()[0]!) - 0.5)).toBeLessThan(0.01);
    const inference = layer.apply(x);
    expect(tf.max(tf.abs(inference)).dataSync()[0]).toBe(0);
    const dy = tf.ones([200, 500]);
    expect(maxAbsDiff(layer.backward(dy, pass, true).inputGradient!, autodiff((t) => tf.add(t, 0.3), x, dy))).toBe(0);
    expect(() => GaussianNoise(2)).toThrow('GaussianNoise: `stddev` must be a float value between 0 and 1. Received: stddev=2');
    tf.dispose([x, pass.outputs, mean, variance, inference, dy]);
  });
});

describe('ActivityRegularization', () => {
  it('is the identity with an L1L2 activity regularizer', () => {
    const layer = ActivityRegularization({ l1: 0.1, l2: 0.2 });
    expect(layer.activity_regularizer).toBeInstanceOf(L1L2);
    // outputs [[1, -2]]: 0.1 · 3 + 0.2 · 5 = 1.3
    const x = tf.tensor2d([[1, -2]]);
    const out = layer.apply(x);
    expect(out.arraySync()).toEqual([[1, -2]]);
    expect(layer.activity_regularizer!.call(out).dataSync()[0]).toBeCloseTo(1.3, 6);
    expect(layer.get_config()).toMatchObject({ l1: 0.1, l2: 0.2 });
    expect(ActivityRegularization(0.5).l1).toBe(0.5);
    expect(() => ActivityRegularization({ l2: -1 })).toThrow('ActivityRegularization: `l2` must be a non-negative float. Received: l2=-1');
    tf.dispose([x, out]);
  });
});

describe('in a Sequential model', () => {
  it('one SGD step through Reshape, Flatten, Dense, BatchNormalization, Dropout, Dense equals the autodiff step', async () => {
    const { Sequential, Dense, BatchNormalization, keras } = await import('keras-like');
    set_random_seed(8);
    const model = Sequential([
      Reshape([2, 3], { input_shape: [6] }),
      Flatten(),
      Dense(4, { activation: 'tanh' }),
      BatchNormalization({ momentum: 0.5 }),
      Dropout(0.25, { seed: 21 }),
      Dense(2),
    ]);
    const lr = 0.1;
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: lr }), loss: 'mse' });
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 12);
    const y = tf.randomNormal([5, 2], 0, 1, 'float32', 13);
    const [w1, b1, gamma, beta, , , w2, b2] = model.get_weights();
    // The dropout mask the model will draw: a twin layer with the same seed draws it first.
    const mask = tf.tidy(() => {
      const probe = Dropout(0.25, { seed: 21 }).forward(tf.ones([5, 4]), true).outputs;
      return probe;
    });
    // The same network written as one function of its weights (mse, BN with batch statistics, ε = 1e-3).
    const loss = (w1_: tf.Tensor, b1_: tf.Tensor, g_: tf.Tensor, be_: tf.Tensor, w2_: tf.Tensor, b2_: tf.Tensor) => {
      const h = tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w1_ as tf.Tensor2D), b1_));
      const { mean, variance } = tf.moments(h, 0);
      const n = tf.add(tf.mul(g_, tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-3)))), be_);
      const out = tf.add(tf.matMul(tf.mul(n, mask) as tf.Tensor2D, w2_ as tf.Tensor2D), b2_);
      return tf.mean(tf.square(tf.sub(out, y))) as tf.Scalar;
    };
    const weights = [w1!, b1!, gamma!, beta!, w2!, b2!];
    const grads = tf.grads((...ws: tf.Tensor[]) => loss(ws[0]!, ws[1]!, ws[2]!, ws[3]!, ws[4]!, ws[5]!))(weights);
    const expected = weights.map((w, i) => tf.sub(w, tf.mul(lr, grads[i]!)));
    model.train_on_batch(x, y);
    const after = model.get_weights();
    const trainable = [after[0]!, after[1]!, after[2]!, after[3]!, after[6]!, after[7]!];
    trainable.forEach((w, i) => expect(maxAbsDiff(w, expected[i]!)).toBeLessThan(1e-5));
    // the moving statistics moved halfway (momentum 0.5) towards the batch's
    const h = tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w1! as tf.Tensor2D), b1!));
    expect(maxAbsDiff(after[4]!, tf.mul(0.5, tf.moments(h, 0).mean))).toBeLessThan(1e-6);
  });

  it('output shapes follow Reshape and Flatten in a model', async () => {
    const { Sequential, Dense } = await import('keras-like');
    const model = Sequential([Reshape([-1, 2], { input_shape: [6] }), Flatten(), Dense(3)]);
    expect(model.layers.map((l) => l.compute_output_shape(l.build_input_shape!))).toEqual([
      [null, 3, 2],
      [null, 6],
      [null, 3],
    ]);
    const out = model.predict([[1, 2, 3, 4, 5, 6]], { verbose: 0 });
    expect(out.shape).toEqual([1, 3]);
    out.dispose();
  });
});

describe('apply', () => {
  it('keeps only the output tensor, in training and inference', async () => {
    const { BatchNormalization } = await import('keras-like');
    const x = tf.randomNormal([4, 6]);
    const layers = [Dropout(0.5), Flatten(), Reshape([3, 2]), GaussianNoise(0.1), ActivityRegularization(0.1), BatchNormalization()];
    for (const layer of layers) layer.apply(x, { training: true }).dispose();
    const before = tf.memory().numTensors;
    for (const layer of layers) {
      layer.apply(x, { training: true }).dispose();
      layer.apply(x).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
