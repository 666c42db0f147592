/** A model used out of order (cases in model_misuse.cases.ts), and the orders Keras allows. */
import { keras, tf, Dense, Sequential } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { checkArea } from './check.js';
import { denseModel, MODEL_MISUSE_AREA } from './model_misuse.cases.js';

checkArea(MODEL_MISUSE_AREA);

describe('what Keras allows', () => {
  it('predict needs no compile', () => {
    const model = denseModel();
    model.set_weights([[[1, 0], [0, 1], [1, 1]], [0.5, 0]]);
    const out = model.predict([[1, 2, 3]], { verbose: 0 });
    // [1, 2, 3] · [[1, 0], [0, 1], [1, 1]] + [0.5, 0] = [4.5, 5]
    expect(out.arraySync()).toEqual([[4.5, 5]]);
    out.dispose();
    model.dispose();
  });

  it('a model without an input shape is built by its first data; a 1-D y is then a column', () => {
    const model = Sequential();
    model.add(Dense(1));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = model.fit([[1, 2], [3, 4]], [1, 2], { verbose: 0 });
    expect(model.input_shape).toEqual([null, 2]);
    expect(history.history.loss).toHaveLength(1);
    expect(() => model.predict([[1, 2, 3]], { verbose: 0 })).toThrow('expected shape=(None, 2), found shape=(1, 3)');
    model.dispose();
  });

  it('compiling twice is allowed: the second compile decides the optimizer, loss and metrics', () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const first = model.fit([[1, 2, 3]], [[0, 1]], { verbose: 0 });
    expect(Object.keys(first.history).sort()).toEqual(['loss', 'mae']);
    model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mae' });
    const second = model.fit([[1, 2, 3]], [[0, 1]], { verbose: 0 });
    expect(Object.keys(second.history)).toEqual(['loss']);
    expect(model.optimizer.class_name).toBe('Adam');
    expect(model.optimizer.iterations).toBe(1);
    expect(model.loss.name).toBe('mean_absolute_error');
    model.dispose();
  });

  it('set_weights accepts the shapes get_weights returns, as arrays or tensors', () => {
    const model = denseModel();
    const kernel = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    model.set_weights([kernel, [7, 8]]);
    const weights = model.get_weights();
    expect(weights.map((w) => w.arraySync())).toEqual([[[1, 2], [3, 4], [5, 6]], [7, 8]]);
    tf.dispose([...weights, kernel]);
    model.dispose();
  });
});
