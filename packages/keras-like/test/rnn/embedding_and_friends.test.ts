/** Embedding, Masking, RepeatVector: their backwards against autodiff, and Keras's errors. */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dense, Embedding, Flatten, LSTM, Masking, RepeatVector, Sequential, TimeDistributed, ValueError } from 'keras-like';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('Embedding', () => {
  it('a token ≥ input_dim is an error at the call, not a silent zero row', () => {
    const layer = Embedding(10, 4, { name: 'emb' });
    expect(() => layer.apply(tf.tensor2d([[1, 2], [3, 12]], undefined, 'int32'))).toThrow(
      new ValueError(
        'Exception encountered when calling Embedding.call() of layer "emb": indices[1,1] = 12 is not in [0, 10). Tokens must be integers from 0 to input_dim − 1 = 9: raise input_dim to the vocabulary size.',
      ),
    );
    expect(() => layer.apply(tf.tensor2d([[-1, 2]]))).toThrow('indices[0,0] = -1 is not in [0, 10)');
    const model = Sequential([Embedding(5, 2, { input_length: 3 }), Flatten(), Dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    expect(() => model.fit([[1, 2, 5]], [[1]], { verbose: 0 })).toThrow('indices[0,2] = 5 is not in [0, 5)');
    expect(() => Embedding(0, 3)).toThrow('`input_dim` must be a positive integer');
    layer.dispose();
    model.dispose();
  });

  it("the rows are tf.gather's, and Keras's check costs no host read beyond the lookup's own (the tokens and the table)", () => {
    const layer = Embedding(10, 4, { embeddings_initializer: 'random_normal' });
    layer.build([null, 3]);
    const tokens = tf.tensor2d([[1, 2, 3], [9, 0, 9]], undefined, 'int32');
    const engine = tf.engine();
    const readSync = engine.readSync.bind(engine);
    let reads = 0;
    engine.readSync = (dataId) => {
      reads++;
      return readSync(dataId);
    };
    let pass;
    try {
      pass = layer.forward(tokens, true);
    } finally {
      engine.readSync = readSync;
    }
    expect(['cpu', 'wasm']).toContain(tf.getBackend());
    expect(reads).toBeLessThanOrEqual(2);
    const expected = tf.reshape(tf.gather(layer.embeddings!, tf.reshape(tokens, [-1])), [2, 3, 4]);
    expect(maxDiff(pass.outputs, expected)).toBe(0);
    tf.dispose([tokens, pass.outputs, expected]);
    layer.dispose();
  });

  it("input_length sets the input shape as TF2 did (S16's Embedding(vocab_size, 8, input_length=max_length) + Flatten)", () => {
    const model = Sequential([Embedding(50, 8, { input_length: 4 }), Flatten(), Dense(1, { activation: 'sigmoid' })]);
    expect(model.output_shape).toEqual([null, 1]);
    expect(model.layers[1]!.compute_output_shape([null, 4, 8])).toEqual([null, 32]);
    expect(model.count_params()).toBe(50 * 8 + 33);
    model.dispose();
  });

  it('backward: the rows looked up get the summed gradients (autodiff of gather)', () => {
    tf.tidy(() => {
      const layer = Embedding(6, 3, { embeddings_initializer: 'random_normal' });
      layer.build([null, 4]);
      const x = tf.tensor2d([[1, 5, 1, 0], [2, 2, 2, 4]], undefined, 'int32');
      const pass = layer.forward(x, true);
      const R = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 2);
      const [dE] = layer.backward(R, pass, false).weightGradients;
      // By hand: row k of ∂C/∂E sums R[b, t] over the positions holding token k.
      const tokens = x.arraySync() as number[][];
      const r = R.arraySync() as number[][][];
      const sums = Array.from({ length: 6 }, () => [0, 0, 0]);
      tokens.forEach((row, b) => row.forEach((k, t) => r[b]![t]!.forEach((v, j) => (sums[k]![j]! += v))));
      const expected = tf.tensor2d(sums);
      expect(maxDiff(dE!, expected)).toBeLessThan(1e-6);
      layer.dispose();
    });
  });
});

describe('Masking and RepeatVector', () => {
  it("Masking zeroes the padded steps and passes that mask on; its backward is autodiff's", () => {
    tf.tidy(() => {
      const x = tf.tensor3d([[[1, 2], [0, 0], [3, 0]]]);
      const layer = Masking();
      expect(Array.from((layer.compute_mask(x, null) as tf.Tensor).dataSync())).toEqual([1, 0, 1]);
      const pass = layer.forward(x, true);
      const R = tf.randomUniform([1, 3, 2], -1, 1, 'float32', 3);
      const keep = tf.tensor3d([[[1], [0], [1]]]);
      const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.mul(xi, keep), R)))(x);
      expect(maxDiff(layer.backward(R, pass, true).inputGradient!, dx)).toBe(0);
    });
  });

  it('RepeatVector: [batch, f] → [batch, n, f], ∂C/∂x the sum over the copies; a 3-D input is an error', () => {
    tf.tidy(() => {
      const layer = RepeatVector(3);
      const x = tf.tensor2d([[1, 2]]);
      expect(layer.apply(x).arraySync()).toEqual([[[1, 2], [1, 2], [1, 2]]]);
      const R = tf.randomUniform([1, 3, 2], -1, 1, 'float32', 4);
      const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.tile(tf.expandDims(xi, 1), [1, 3, 1]), R)))(x);
      expect(maxDiff(layer.backward(R, layer.forward(x, true), true).inputGradient!, dx)).toBeLessThan(1e-6);
      expect(() => RepeatVector(2).apply(tf.zeros([1, 2, 2]))).toThrow('expected ndim=2, found ndim=3');
    });
  });

  it('Embedding(mask_zero) → LSTM trains without growing the tensor count', async () => {
    const model = Sequential([Embedding(20, 4, { mask_zero: true, input_length: 6 }), LSTM(3), Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const x = [[1, 2, 3, 0, 0, 0], [4, 5, 0, 0, 0, 0], [7, 8, 9, 10, 0, 0], [11, 0, 0, 0, 0, 0]];
    const y = [1, 0, 1, 0];
    model.fit(x, y, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    model.fit(x, y, { epochs: 5, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('TimeDistributed', () => {
  it("TimeDistributed(Dense(3, tanh)): one Dense on every step; the backward is autodiff's", () => {
    tf.tidy(() => {
      const layer = TimeDistributed(Dense(3, { activation: 'tanh', bias_initializer: 'random_normal' }));
      layer.build([null, 4, 2]);
      expect(layer.weights.map((v) => v.shape)).toEqual([[2, 3], [3]]);
      const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 8);
      const pass = layer.forward(x, true);
      const R = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 9);
      const { inputGradient, weightGradients } = layer.backward(R, pass, true);
      const f = (xi: tf.Tensor, W: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.add(tf.matMul(tf.reshape(xi, [-1, 2]), W), b)).reshape([2, 4, 3]), R));
      const [dx, dW, db] = tf.grads(f)([x, ...layer.trainable_weights]);
      expect(maxDiff(inputGradient!, dx!)).toBeLessThan(1e-5);
      expect(maxDiff(weightGradients[0]!, dW!)).toBeLessThan(1e-5);
      expect(maxDiff(weightGradients[1]!, db!)).toBeLessThan(1e-5);
      layer.dispose();
    });
  });

  it("S16's LSTM(20, return_sequences) ×2 → TimeDistributed(Dense(10)) builds and trains", () => {
    const model = Sequential([LSTM(20, { return_sequences: true, input_shape: [null, 1] }), LSTM(20, { return_sequences: true }), TimeDistributed(Dense(10))]);
    expect(model.count_params()).toBe(1760 + 3280 + 210);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomUniform([8, 5, 1], 0, 1, 'float32', 1);
    const y = tf.randomUniform([8, 5, 10], 0, 1, 'float32', 2);
    const { history } = model.fit(x, y, { epochs: 3, verbose: 0 });
    expect(history.loss!.at(-1)!).toBeLessThan(history.loss![0]!);
    model.dispose();
    tf.dispose([x, y]);
  });
});
