/**
 * The functional API: keras.Input, layers called on KerasTensors, keras.Model with several inputs
 * and outputs, merge layers, shared layers, nested models, subclassing, generators. Gradients are
 * checked against TensorFlow.js autodiff of the same network written with plain tf ops; names,
 * orders and messages against what Keras 3.16 prints (quoted in the tests).
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras, layers } from 'keras-like';
import { Dense } from '../src/layers/dense.js';
import type { KerasTensor } from '../src/layers/keras_tensor.js';
import { ModelClass } from '../src/models/model.js';

const { Input, Model } = keras;

/** Every weight's value after one SGD step (lr) from `loss`'s autodiff gradient at the current weights. */
function sgdStepByAutodiff(weights: tf.Variable[], lr: number, loss: (w: tf.Tensor[]) => tf.Scalar): number[][] {
  return tf.tidy(() => {
    const values = weights.map((w) => w.clone());
    const grads = tf.grads((...w: tf.Tensor[]) => loss(w))(values);
    return values.map((w, i) => Array.from(tf.sub(w, tf.mul(grads[i]!, lr)).dataSync()));
  });
}

function expectClose(actual: tf.Variable[], expected: number[][], tolerance = 1e-5): void {
  actual.forEach((w, i) => {
    const got = Array.from(w.dataSync());
    const want = expected[i]!;
    expect(got.length).toBe(want.length);
    got.forEach((v, k) => expect(Math.abs(v - want[k]!), `weight ${w.name}[${k}]`).toBeLessThan(tolerance * Math.max(1, Math.abs(want[k]!))));
  });
}

const dense = (x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x, k), b);
/** Binary crossentropy from the logits z, as Keras's TensorFlow backend computes it. */
const bceFromLogits = (y: tf.Tensor, z: tf.Tensor) => tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));

function twoHeads(): { model: ModelClass; features: KerasTensor; aux: KerasTensor } {
  const features = Input({ shape: [4], name: 'features' });
  const aux = Input({ shape: [2], name: 'aux' });
  const h = Dense(8, { activation: 'relu', name: 'hidden' }).apply(features);
  const c = layers.Concatenate({ name: 'concat' }).apply([h, aux]);
  const price = Dense(1, { name: 'price' })(c);
  const buy = Dense(1, { activation: 'sigmoid', name: 'buy' })(c);
  return { model: Model({ inputs: [features, aux], outputs: [price, buy], name: 'two_heads' }), features, aux };
}

describe('functional models', () => {
  keras.backend.clear_session();
  const x = tf.tensor2d([[0.1, 0.5, -0.3, 0.8], [0.9, -0.2, 0.4, 0.1], [-0.5, 0.3, 0.7, -0.6]]);
  const a = tf.tensor2d([[0.2, -0.1], [0.4, 0.3], [-0.3, 0.5]]);
  const y1 = tf.tensor2d([[0.5], [-0.2], [0.1]]);
  const y2 = tf.tensor2d([[1], [0], [1]]);

  it("lists its layers, inputs and outputs as Keras 3 does, and finds a layer by name", () => {
    const { model, features } = twoHeads();
    // Keras 3.16: [l.name for l in m.layers] → ['features', 'hidden', 'aux', 'concat', 'price', 'buy']
    expect(model.layers.map((l) => l.name)).toEqual(['features', 'hidden', 'aux', 'concat', 'price', 'buy']);
    expect(model.inputs[0]).toBe(features);
    expect(model.output_names).toEqual(['price', 'buy']);
    expect(model.get_layer('concat').className).toBe('Concatenate');
    expect(model.output_shape).toEqual([[null, 1], [null, 1]]);
    expect(model.count_params()).toBe(62);
    expect(String(features)).toBe('<KerasTensor shape=(None, 4), dtype=float32, sparse=False, ragged=False, name=features>');
    expect(() => model.get_layer('nope')).toThrow("No such layer: nope. Existing layers are: ['features', 'hidden', 'aux', 'concat', 'price', 'buy'].");
    model.dispose();
  });

  it('trains two inputs and two outputs with list losses and loss_weights: one step equals autodiff of Σ wₖ lossₖ', () => {
    const { model } = twoHeads();
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.1 }), loss: ['mse', 'binary_crossentropy'], loss_weights: [1, 0.5] });
    const weights = model.trainable_weights;
    const expected = sgdStepByAutodiff(weights, 0.1, ([hk, hb, pk, pb, bk, bb]) => {
      const c = tf.concat([tf.relu(dense(x, hk!, hb!)), a], 1);
      const mse = tf.mean(tf.square(tf.sub(dense(c, pk!, pb!), y1)));
      return tf.add(mse, tf.mul(bceFromLogits(y2, dense(c, bk!, bb!)), 0.5)) as tf.Scalar;
    });
    const before = tf.memory().numTensors;
    model.train_on_batch([x, a], [y1, y2]);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(weights, expected);
    model.dispose();
  });

  it("logs each output's loss and metrics under Keras 3's names, in Keras 3's order", () => {
    const { model } = twoHeads();
    model.compile({ optimizer: 'sgd', loss: ['mse', 'binary_crossentropy'], metrics: [['mae'], ['accuracy']], loss_weights: [1, 0.5] });
    // Keras 3.16 evaluate(..., return_dict=True) keys: buy_accuracy, buy_loss, loss, price_loss, price_mae;
    // the list: [loss, price_loss, buy_loss, buy_accuracy, price_mae].
    const logs = model.evaluate([x, a], [y1, y2], { verbose: 0, return_dict: true }) as unknown as Record<string, number>;
    expect(Object.keys(logs).sort()).toEqual(['buy_accuracy', 'buy_loss', 'loss', 'price_loss', 'price_mae']);
    expect(logs.loss).toBeCloseTo(logs.price_loss! + 0.5 * logs.buy_loss!, 5);
    const list = model.evaluate([x, a], [y1, y2], { verbose: 0 }) as unknown as number[];
    expect(list).toEqual([logs.loss, logs.price_loss, logs.buy_loss, logs.buy_accuracy, logs.price_mae]);
    // Dicts by output / input name, as Keras takes them.
    model.compile({ optimizer: 'sgd', loss: { price: 'mse', buy: 'binary_crossentropy' }, metrics: { buy: 'accuracy' } });
    const byName = model.evaluate({ features: x, aux: a }, { price: y1, buy: y2 }, { verbose: 0, return_dict: true }) as unknown as Record<string, number>;
    expect(Object.keys(byName).sort()).toEqual(['buy_accuracy', 'buy_loss', 'loss', 'price_loss']);
    expect(byName.loss).toBeCloseTo(byName.price_loss! + byName.buy_loss!, 5);
    const history = model.fit([x, a], [y1, y2], { epochs: 2, verbose: 0, batch_size: 2 });
    expect(Object.keys(history.history).sort()).toEqual(['buy_accuracy', 'buy_loss', 'loss', 'price_loss']);
    const predictions = model.predict([x, a], { verbose: 0 });
    expect(predictions.map((p) => p.shape)).toEqual([[3, 1], [3, 1]]);
    tf.dispose(predictions);
    model.dispose();
  });

  it('backpropagates through fan-out, a shared layer, every merge layer and a nested model as autodiff does', () => {
    const x1 = Input({ shape: [3] });
    const x2 = Input({ shape: [3] });
    const shared = Dense(4, { activation: 'tanh', name: 'shared' });
    const p = shared.apply(x1);
    const q = shared.apply(x2); // the same weights, called twice
    const innerInput = Input({ shape: [4] });
    const inner = Model(innerInput, Dense(4, { activation: 'sigmoid', name: 'inner_dense' }).apply(innerInput), { name: 'inner' });
    const r = inner.apply(p) as KerasTensor; // a nested model, fed by a tensor that also feeds the merges (fan-out)
    const merged = layers.concatenate([
      layers.add([p, q]),
      layers.subtract([p, q]),
      layers.multiply([p, q, r]),
      layers.average([p, r]),
      layers.maximum([p, q]),
      layers.minimum([q, r]),
      layers.dot([p, q], 1),
    ]);
    const out = Dense(1, { name: 'head' }).apply(merged);
    const model = Model([x1, x2], out);
    model.compile(keras.optimizers.SGD({ learning_rate: 0.05 }), 'mse');
    const xa = tf.tensor2d([[0.3, -0.7, 0.2], [0.5, 0.1, -0.4], [-0.2, 0.6, 0.9], [0.8, -0.3, 0.1]]);
    const xb = tf.tensor2d([[-0.1, 0.4, 0.6], [0.7, -0.5, 0.3], [0.2, 0.2, -0.8], [-0.6, 0.9, 0.4]]);
    const y = tf.tensor2d([[0.2], [-0.4], [0.6], [0.1]]);
    const weights = model.trainable_weights;
    expect(weights.map((w) => w.name.replace(/_\d+$/, ''))).toEqual(['shared/kernel', 'shared/bias', 'inner_dense/kernel', 'inner_dense/bias', 'head/kernel', 'head/bias']);
    const expected = sgdStepByAutodiff(weights, 0.05, ([sk, sb, ik, ib, hk, hb]) => {
      const pv = tf.tanh(dense(xa, sk!, sb!));
      const qv = tf.tanh(dense(xb, sk!, sb!));
      const rv = tf.sigmoid(dense(pv, ik!, ib!));
      const m = tf.concat([tf.add(pv, qv), tf.sub(pv, qv), tf.mul(tf.mul(pv, qv), rv), tf.div(tf.add(pv, rv), 2), tf.maximum(pv, qv), tf.minimum(qv, rv), tf.sum(tf.mul(pv, qv), 1, true)], 1);
      return tf.mean(tf.square(tf.sub(dense(m, hk!, hb!), y))) as tf.Scalar;
    });
    model.train_on_batch([xa, xb], y);
    expectClose(weights, expected);
    tf.dispose([xa, xb, y]);
    model.dispose();
  });

  it('Dot on sequences (batch_dot along axes [2, 2]): output shape as Keras, one step as autodiff', () => {
    const q = Input({ shape: [2, 3] });
    const k = Input({ shape: [4, 3] });
    const scores = layers.Dot([2, 2]).apply([Dense(3, { name: 'proj' }).apply(q), k]);
    // Keras 3.16: Dot(axes=(2, 2)) on (None, 2, 3), (None, 4, 3) → (None, 2, 4)
    expect(scores.shape).toEqual([null, 2, 4]);
    const model = Model([q, k], Dense(1, { name: 'out' }).apply(layers.Flatten().apply(scores)));
    model.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
    const xq = tf.randomNormal([3, 2, 3], 0, 1, 'float32', 1);
    const xk = tf.randomNormal([3, 4, 3], 0, 1, 'float32', 2);
    const y = tf.randomNormal([3, 1], 0, 1, 'float32', 3);
    const weights = model.trainable_weights;
    const expected = sgdStepByAutodiff(weights, 0.1, ([pk, pb, ok, ob]) => {
      const projected = tf.add(tf.matMul(xq.reshape([6, 3]), pk!), pb!).reshape([3, 2, 3]);
      const s8 = tf.matMul(projected as tf.Tensor3D, xk as tf.Tensor3D, false, true).reshape([3, 8]);
      return tf.mean(tf.square(tf.sub(dense(s8, ok!, ob!), y))) as tf.Scalar;
    });
    model.train_on_batch([xq, xk], y);
    expectClose(weights, expected);
    tf.dispose([xq, xk, y]);
    model.dispose();
  });

  it('keeps tf.memory() flat across epochs of a functional fit', () => {
    const { model } = twoHeads();
    model.compile({ optimizer: 'adam', loss: ['mse', 'binary_crossentropy'], metrics: [['mae'], ['accuracy']] });
    const counts: number[] = [];
    const probe = new (class extends keras.callbacks.Callback {
      override on_epoch_end(): void {
        counts.push(tf.memory().numTensors);
      }
    })();
    model.fit([x, a], [y1, y2], { epochs: 5, batch_size: 2, verbose: 0, callbacks: [probe], validation_data: [[x, a], [y1, y2]] });
    expect(new Set(counts.slice(1)).size).toBe(1);
    model.dispose();
  });

  it("prints Keras's summary with the Connected to column", () => {
    const { model } = twoHeads();
    const lines: string[] = [];
    model.summary({ print_fn: (line) => lines.push(line) });
    // Keras 3.16's cells for this model: features → '-', hidden → 'features[0][0]',
    // concat → 'hidden[0][0], aux[0][0]', price and buy → 'concat[0][0]'; 62 params.
    expect(lines[0]).toBe('Model: "two_heads"');
    expect(lines[2]).toMatch(/^ Layer \(type\) +Output Shape +Param # +Connected to +$/);
    const row = (name: string) => lines.find((l) => l.startsWith(` ${name} `))!;
    expect(row('features').trim().split(/\s{2,}/)).toEqual(['features (InputLayer)', '(None, 4)', '0', '-']);
    expect(row('hidden').trim().split(/\s{2,}/)).toEqual(['hidden (Dense)', '(None, 8)', '40', 'features[0][0]']);
    const concatAt = lines.indexOf(row('concat'));
    expect(lines[concatAt]!.trim().split(/\s{2,}/)).toEqual(['concat (Concatenate)', '(None, 10)', '0', 'hidden[0][0]']);
    expect(lines[concatAt + 1]!.trim()).toBe('aux[0][0]');
    expect(lines).toContain('Total params: 62');
    model.dispose();
  });

  it("refuses bad graphs and bad data with Keras's messages", () => {
    const i = Input({ shape: [3], name: 'i' });
    const other = Input({ shape: [3], name: 'other' });
    const o = Dense(2).apply(other);
    expect(() => Model(i, o)).toThrow(/^Graph disconnected: cannot find parent for tensor <KerasTensor shape=\(None, 3\).*name=other> at operation '<Dense name=dense/);
    const twice = Dense(2, { name: 'd' }).apply(Dense(2, { name: 'd' }).apply(i));
    expect(() => Model(i, twice)).toThrow('The name "d" is used 2 times in the model. All operation names should be unique.');
    expect(() => Model([1, 2] as never, o)).toThrow('All `inputs` values must be KerasTensors. Received: inputs=[1, 2] including invalid value 1 of type number');
    const { model } = twoHeads();
    model.compile('sgd', ['mse', 'binary_crossentropy']);
    expect(() => model.fit(x, [y1, y2], { verbose: 0 })).toThrow(
      'Layer "two_heads" expects 2 named input(s) with keys [\'features\', \'aux\'], but it received 1 input tensors. Pass inputs as a dict, e.g. `layer({\'features\': ..., \'aux\': ...})`.',
    );
    expect(() => model.evaluate([x, a], [y1], { verbose: 0 })).toThrow(/^y_true and y_pred have different structures/);
    expect(() => model.compile('sgd', ['mse'])).toThrow("Model.compile: `loss` must have one entry per output of the model (2: ['price', 'buy'])");
    expect(() => model.compile('sgd', 'mse', ['mae'])).toThrow(/^Invalid `metrics`. `metrics` should contain metrics objects and either be a dict or a list matching the output names of the functional model \['price', 'buy'\]/);
    model.dispose();
  });

  it('takes inputs and outputs as dicts, flattened by sorted key, and data dicts by those keys, as Keras 3', () => {
    const zeta = Input({ shape: [2], name: 'zeta' });
    const alpha = Input({ shape: [3], name: 'alpha' });
    const h = layers.Concatenate({ name: 'c' }).apply([alpha, zeta]);
    const outB = Dense(1, { name: 'dense_b' }).apply(h);
    const outA = Dense(2, { name: 'dense_a' }).apply(h);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    let model: ModelClass;
    try {
      // The positional form: a dict of KerasTensors in the last slot is the outputs.
      model = Model({ second: zeta, first: alpha }, { out_z: outB, out_y: outA });
    } finally {
      console.warn = warn;
    }
    // Keras 3.16 warns for each key that is not its tensor's name.
    expect(warnings[0]).toBe(
      "UserWarning: When providing `inputs` as a dict, all keys in the dict must match the names of the corresponding tensors. Received key 'second' mapping to value " +
        "<KerasTensor shape=(None, 2), dtype=float32, sparse=False, ragged=False, name=zeta> which has name 'zeta'. Change the tensor name to 'second' (via `Input(..., name='second')`)",
    );
    // Keras 3.16: [t.name for t in m.inputs] → ['alpha', 'zeta'] (sorted keys: first, second);
    // m.output_names → ['dense_a', 'dense_b'] (out_y, out_z); m.input is the dict as given.
    expect(model.inputs.map((t) => t.name)).toEqual(['alpha', 'zeta']);
    expect(model.output_names).toEqual(['dense_a', 'dense_b']);
    expect(model.input).toEqual({ second: zeta, first: alpha });
    expect(Object.keys(model.output)).toEqual(['out_z', 'out_y']);
    expect(model.layers.map((l) => l.name)).toEqual(['alpha', 'zeta', 'c', 'dense_a', 'dense_b']);
    const xa = tf.ones([4, 3]);
    const xz = tf.ones([4, 2]);
    const p = model.predict({ first: xa, second: xz }, { verbose: 0 }) as unknown as Record<string, tf.Tensor>;
    expect(Object.keys(p)).toEqual(['out_z', 'out_y']);
    expect(p.out_z!.shape).toEqual([4, 1]);
    expect(p.out_y!.shape).toEqual([4, 2]);
    tf.dispose(Object.values(p));
    expect(() => model.predict({ first: xa }, { verbose: 0 })).toThrow(
      "Missing data for input \"second\". You passed a data dictionary with keys ['first']. Expected the following keys: ['first', 'second']",
    );
    expect(() => model.predict({ alpha: xa, zeta: xz }, { verbose: 0 })).toThrow(
      "Missing data for input \"first\". You passed a data dictionary with keys ['alpha', 'zeta']. Expected the following keys: ['first', 'second']",
    );
    // The dict was written out of sorted order: a list is refused, as Keras refuses it.
    expect(() => model.predict([xa, xz], { verbose: 0 })).toThrow(
      "The structure of `inputs` doesn't match the expected structure.\nExpected: {'second': 'zeta', 'first': 'alpha'}\nReceived: inputs=['Tensor(shape=(4, 3))', 'Tensor(shape=(4, 2))']",
    );
    model.compile({ optimizer: 'sgd', loss: { out_z: 'mse', out_y: 'mse' }, metrics: { out_z: ['mae'] } });
    const yz = tf.zeros([4, 1]);
    const ya = tf.zeros([4, 2]);
    const logs = model.evaluate({ first: xa, second: xz }, { out_z: yz, out_y: ya }, { verbose: 0, return_dict: true }) as unknown as Record<string, number>;
    // Keras 3.16: {'loss', 'out_y_loss', 'out_z_loss', 'out_z_mae'}
    expect(Object.keys(logs).sort()).toEqual(['loss', 'out_y_loss', 'out_z_loss', 'out_z_mae']);
    expect(() => model.evaluate({ first: xa, second: xz }, { out_z: yz }, { verbose: 0 })).toThrow(
      "y_true and y_pred have different structures.\ny_true: {'out_z': '*'}\ny_pred: {'out_z': '*', 'out_y': '*'}\n",
    );
    expect(() => model.evaluate({ first: xa, second: xz }, { out_z: yz, out_y: ya, extra: yz }, { verbose: 0 })).toThrow(
      "y_true and y_pred have different structures.\ny_true: {'out_z': '*', 'out_y': '*', 'extra': '*'}\ny_pred: {'out_z': '*', 'out_y': '*'}\n",
    );
    // An extra input key is ignored, with Keras's warning.
    warnings.length = 0;
    console.warn = (message: string) => warnings.push(message);
    try {
      const q = model.predict({ first: xa, second: xz, third: xz }, { verbose: 0 }) as unknown as Record<string, tf.Tensor>;
      tf.dispose(Object.values(q));
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([
      "UserWarning: The structure of `inputs` doesn't match the expected structure.\nExpected: {'second': 'zeta', 'first': 'alpha'}\n" +
        "Received: inputs={'first': 'Tensor(shape=(4, 3))', 'second': 'Tensor(shape=(4, 2))', 'third': 'Tensor(shape=(4, 2))'}",
    ]);
    // A list-input model takes a dict by its Input names.
    const listModel = Model([alpha, zeta], outB);
    expect(() => listModel.predict({ alpha: xa }, { verbose: 0 })).toThrow(
      "Missing data for input \"zeta\". You passed a data dictionary with keys ['alpha']. Expected the following keys: ['alpha', 'zeta']",
    );
    const byName = listModel.predict({ alpha: xa, zeta: xz }, { verbose: 0 });
    const byList = listModel.predict([xa, xz], { verbose: 0 });
    expect(Array.from(byName.dataSync())).toEqual(Array.from(byList.dataSync()));
    tf.dispose([byName, byList, xa, xz, yz, ya]);
    model.dispose();
  });

  it("masks the loss and the mean metrics by the output's mask (Embedding mask_zero), and keeps tf.memory() flat", () => {
    const tokens = Input({ shape: [4] });
    const embedded = layers.Embedding(6, 3, { mask_zero: true }).apply(tokens);
    const model = Model(tokens, Dense(2).apply(embedded));
    model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    const x = tf.tensor2d([[1, 2, 0, 0], [3, 0, 0, 0], [4, 5, 1, 2]]);
    const y = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 3);
    // Keras: the mean over the 7 kept steps only (losses/loss.py apply_mask), computed here from predict.
    const expected = tf.tidy(() => {
      const p = model.predict(x, { verbose: 0 });
      const kept = tf.cast(tf.notEqual(x, 0), 'float32');
      const mse = tf.mean(tf.square(tf.sub(p, y)), -1);
      const mae = tf.mean(tf.abs(tf.sub(p, y)), -1);
      return [tf.sum(tf.mul(mse, kept)).div(tf.sum(kept)).dataSync()[0]!, tf.sum(tf.mul(mae, kept)).div(tf.sum(kept)).dataSync()[0]!];
    });
    const [loss, mae] = model.evaluate(x, y, { verbose: 0 }) as unknown as number[];
    expect(loss).toBeCloseTo(expected[0]!, 6);
    expect(mae).toBeCloseTo(expected[1]!, 6);
    const counts: number[] = [];
    const probe = keras.callbacks.LambdaCallback({ on_epoch_end: () => counts.push(tf.memory().numTensors) });
    model.fit(x, y, { epochs: 4, batch_size: 2, verbose: 0, callbacks: [probe], validation_data: [x, y] });
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('trains a Model subclass with its own call() by autodiff, tracking the layers it holds', () => {
    class TwoLayer extends ModelClass {
      readonly hidden = Dense(5, { activation: 'relu' });
      readonly out = Dense(1);
      override call(inputs: tf.Tensor): tf.Tensor {
        return this.out.apply(this.hidden.apply(inputs));
      }
    }
    const model = new TwoLayer();
    expect(model.name).toBe('two_layer');
    model.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
    model.predict(x, { verbose: 0 }).dispose(); // builds the layers
    expect(model.layers.length).toBe(2);
    const weights = model.trainable_weights;
    expect(weights.length).toBe(4);
    const expected = sgdStepByAutodiff(weights, 0.1, ([hk, hb, ok, ob]) => tf.mean(tf.square(tf.sub(dense(tf.relu(dense(x, hk!, hb!)), ok!, ob!), y1))) as tf.Scalar);
    model.train_on_batch(x, y1);
    expectClose(weights, expected);
    model.dispose();
  });

  it('subclasses keras.Model itself, as Keras users write it (layers made in the constructor after super()), trained by autodiff', () => {
    class MyModel extends keras.Model {
      dense1: Dense;
      dense2: Dense;
      constructor() {
        super();
        this.dense1 = Dense(5, { activation: 'tanh' });
        this.dense2 = Dense(1);
      }
      override call(inputs: tf.Tensor): tf.Tensor {
        return this.dense2.apply(this.dense1.apply(inputs));
      }
    }
    const model = new MyModel();
    // Keras 3.16: MyModel().name → 'my_model'; it is a keras.Model.
    expect(model.name).toBe('my_model');
    expect(model).toBeInstanceOf(keras.Model);
    model.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
    model.predict(x, { verbose: 0 }).dispose(); // builds the layers
    expect(model.layers).toEqual([model.dense1, model.dense2]);
    const weights = model.trainable_weights;
    const expected = sgdStepByAutodiff(weights, 0.1, ([hk, hb, ok, ob]) => tf.mean(tf.square(tf.sub(dense(tf.tanh(dense(x, hk!, hb!)), ok!, ob!), y1))) as tf.Scalar);
    const before = tf.memory().numTensors;
    model.train_on_batch(x, y1);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(weights, expected);
    const history = model.fit(x, y1, { epochs: 2, verbose: 0 });
    expect(history.history.loss!.length).toBe(2);
    model.dispose();
  });

  it('fits from a generator with steps_per_epoch, validates on a generator, evaluates and predicts on them', () => {
    const i = Input({ shape: [4] });
    const model = Model(i, Dense(1).apply(i));
    model.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
    let served = 0;
    function* batches(): Generator<[tf.Tensor, tf.Tensor]> {
      for (;;) {
        served += 1;
        yield [x, y1];
      }
    }
    const history = model.fit(batches(), { steps_per_epoch: 3, epochs: 2, verbose: 0, validation_data: batches(), validation_steps: 1 });
    expect(served).toBe(2 * 3 + 2);
    expect(history.history.loss!.length).toBe(2);
    expect(history.history.val_loss!.length).toBe(2);
    // Same numbers as the arrays: evaluate on the generator equals evaluate on x, y.
    const fromArrays = model.evaluate(x, y1, { verbose: 0 }) as unknown as number;
    const fromGenerator = model.evaluate(batches(), { steps: 2, verbose: 0 }) as unknown as number;
    expect(fromGenerator).toBeCloseTo(fromArrays, 6);
    const pyDataset = { __len__: () => 2, __getitem__: (k: number) => [k === 0 ? x : a.concat(a, 1)] };
    const predicted = model.predict(pyDataset, { verbose: 0 });
    expect(predicted.shape).toEqual([6, 1]);
    predicted.dispose();
    model.dispose();
  });

  it('runs a generator without __len__ and without steps_per_epoch until it ends, as Keras 3 does', () => {
    const make = () => {
      keras.backend.clear_session();
      const inputs = Input({ shape: [4] });
      const m = Model(inputs, Dense(1, { kernel_initializer: 'ones' }).apply(inputs));
      m.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
      return m;
    };
    const xs = [x, tf.mul(x, 2), tf.mul(x, -1)];
    function* three(): Generator<[tf.Tensor, tf.Tensor]> {
      for (const xb of xs) yield [xb, y1];
    }
    // The same three batches, with their count given: the trajectory to match.
    const reference = make();
    reference.fit(three(), { steps_per_epoch: 3, epochs: 1, verbose: 0 });
    const model = make();
    const warnings: string[] = [];
    const lines: string[] = [];
    const warn = console.warn;
    const write = process.stdout.write;
    console.warn = (message: string) => warnings.push(message);
    process.stdout.write = ((chunk: string) => {
      lines.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    let history;
    try {
      history = model.fit(three(), { epochs: 3, verbose: 2 });
    } finally {
      console.warn = warn;
      process.stdout.write = write;
    }
    // Epoch 1 reads the three batches; the ended generator gives epoch 2 none, and fit stops there.
    expect(history.history.loss!.length).toBe(1);
    expect(history.params.steps).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/^UserWarning: Your input ran out of data; interrupting training\./)]);
    // The epoch's line counts the steps seen once they are known (Keras's `3/3 - 0s - ...`).
    expect(lines.join('')).toMatch(/^Epoch 1\/3\n3\/3 - \d+s - loss: /);
    model.get_weights().forEach((w, k) => expect(Array.from(w.dataSync())).toEqual(Array.from(reference.get_weights()[k]!.dataSync())));
    // An iterable starts again each epoch; evaluate and predict read a generator to its end.
    const iterable = { [Symbol.iterator]: three };
    expect(model.fit(iterable, { epochs: 2, verbose: 0 }).history.loss!.length).toBe(2);
    const all = tf.concat(xs, 0);
    const ys = tf.concat([y1, y1, y1], 0);
    expect(model.evaluate(three(), { verbose: 0 }) as unknown as number).toBeCloseTo(model.evaluate(all, ys, { verbose: 0 }) as unknown as number, 6);
    const predicted = model.predict((function* () {
      for (const xb of xs) yield [xb];
    })(), { verbose: 0 });
    expect(predicted.shape).toEqual([9, 1]);
    tf.dispose([predicted, all, ys, ...xs.slice(1)]);
    reference.dispose();
    model.dispose();
  });
});
