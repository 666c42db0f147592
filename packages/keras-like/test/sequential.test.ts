import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, keras, Sequential } from 'keras-like';

describe('Sequential', () => {
  it('is built from a list, with add, or through keras.models / keras.Sequential, with or without new', () => {
    keras.backend.clear_session();
    const a = Sequential([Dense(4, { input_shape: [3] }), Dense(1)]);
    const b = new keras.models.Sequential();
    b.add(Dense(2, { input_dim: 5 }));
    const c = keras.Sequential({ name: 'mine' });
    expect([a.name, b.name, c.name]).toEqual(['sequential', 'sequential_1', 'mine']);
    expect(a.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    expect(a.output_shape).toEqual([null, 1]);
    expect(a.count_params()).toBe(3 * 4 + 4 + 4 + 1);
    a.dispose();
    b.dispose();
  });

  it('starts from keras.Input, which is not listed in layers', () => {
    const model = Sequential([keras.Input({ shape: [8] }), Dense(12, { activation: 'relu' }), Dense(1)]);
    expect(model.layers).toHaveLength(2);
    expect(model.input_shape).toEqual([null, 8]);
    expect(model.output_shape).toEqual([null, 1]);
    model.dispose();
  });

  it('keras.Input takes the shape positionally or by keyword, and needs one', () => {
    expect(keras.Input([4]).shape).toEqual([null, 4]);
    expect(keras.Input({ shape: [4], batch_size: 8 }).shape).toEqual([8, 4]);
    expect(() => keras.Input({} as never)).toThrow('Input: `shape` must be an array of positive integers');
    expect(() => Sequential([Dense(1, { input_shape: [2] }), keras.Input([2])])).toThrow('an InputLayer (or keras.Input) can only be the first layer');
  });

  it('get_layer finds a layer by name or index', () => {
    const model = Sequential([Dense(4, { input_shape: [3], name: 'hidden' }), Dense(1, { name: 'out' })]);
    expect(model.get_layer('out')).toBe(model.layers[1]);
    expect(model.get_layer(null, { index: 0 })).toBe(model.layers[0]);
    expect(() => model.get_layer('outt')).toThrow("No such layer: outt. Existing layers are: ['hidden', 'out'].");
    expect(() => model.get_layer(null, { index: 5 })).toThrow('Was asked to retrieve layer at index 5 but model only has 2 layers.');
    model.dispose();
  });

  it('pop removes the last layer', () => {
    const model = Sequential([Dense(4, { input_shape: [3] }), Dense(1)]);
    model.pop();
    expect(model.output_shape).toEqual([null, 4]);
    model.pop();
    expect(() => model.pop()).toThrow('There are no layers in the model.');
  });

  it('rejects what is not a layer, and duplicate names', () => {
    const model = Sequential();
    expect(() => model.add('dense' as never)).toThrow("The added layer must be an instance of class Layer. Received: layer='dense'");
    model.add(Dense(1, { name: 'out', input_shape: [2] }));
    expect(() => model.add(Dense(1, { name: 'out' }))).toThrow('All layers added to a Sequential model should have unique names. Name "out" is already the name of a layer in this model.');
    model.dispose();
  });

  it('builds on first data when no input shape was given', () => {
    const model = Sequential([Dense(3), Dense(1)]);
    expect(model.built).toBe(false);
    const out = model.predict([[1, 2], [3, 4]], { verbose: 0 });
    expect(out.shape).toEqual([2, 1]);
    expect(model.built).toBe(true);
    expect(model.input_shape).toEqual([null, 2]);
    out.dispose();
    model.dispose();
  });

  it('get_weights / set_weights in Keras order (kernel, bias per layer)', () => {
    const model = Sequential([Dense(2, { input_shape: [3] }), Dense(1)]);
    const shapes = model.get_weights().map((w) => w.shape);
    expect(shapes).toEqual([[3, 2], [2], [2, 1], [1]]);
    model.set_weights([tf.ones([3, 2]), [1, 1], [[2], [2]], [0.5]]);
    const out = model.predict([[1, 1, 1]], { verbose: 0 });
    // hidden = 3 + 1 = 4 per unit; output = 2·4 + 2·4 + 0.5 = 16.5
    expect(out.arraySync()).toEqual([[16.5]]);
    expect(() => model.set_weights([[1]])).toThrow('with a weight list of length 1, but the model was expecting 4 weights');
    out.dispose();
    model.dispose();
  });

  it('compile takes positional arguments or one options object', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile(keras.optimizers.Adam({ learning_rate: 0.9 }), 'mean_squared_error');
    expect(model.optimizer.learning_rate).toBeCloseTo(0.9);
    expect(model.loss.name).toBe('mean_squared_error');
    expect(model.metrics_names).toEqual(['loss']);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    expect(model.optimizer.constructor.name).toMatch(/SGD/);
    expect(model.metrics_names).toEqual(['loss', 'accuracy']);
    model.dispose();
  });

  it('fails clearly before compile, for unknown names and for missing loss', () => {
    const model = Sequential([Dense(1, { input_shape: [2] })]);
    expect(() => model.fit([[1, 2]], [1], { verbose: 0 })).toThrow('You must compile your model before training/testing. Use `model.compile(optimizer, loss)`');
    expect(() => model.evaluate([[1, 2]], [1], { verbose: 0 })).toThrow('You must compile your model before training/testing');
    expect(() => model.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/adamm/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mean_squared_eror' })).toThrow(/mean_squared_eror/);
    expect(() => model.compile({ optimizer: 'adam' })).toThrow('`loss` must be given');
    // Keras finds a misspelt metric at the first fit; keras-like at compile, the call that received it (PORTING_SPEC §6).
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(/acuracy/);
    model.dispose();
  });

  it('names the first layer and both shapes when x does not fit', () => {
    keras.backend.clear_session();
    const model = Sequential([Dense(4, { input_shape: [8] }), Dense(1)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => model.fit(tf.zeros([10, 4]), tf.zeros([10, 1]), { verbose: 0 })).toThrow(
      'Input 0 of layer "dense" is incompatible with the layer: expected shape=(None, 8), found shape=(10, 4)',
    );
    expect(() => model.predict(tf.zeros([2, 3]), { verbose: 0 })).toThrow('found shape=(2, 3)');
    model.dispose();
  });

  it('rejects targets whose shape does not match the output', () => {
    const model = Sequential([Dense(1, { input_shape: [2], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    expect(() => model.fit(tf.zeros([4, 2]), tf.zeros([4, 3]), { verbose: 0 })).toThrow(
      'Arguments `target` and `output` must have the same shape. Received: y.shape=(None, 3), output.shape=(None, 1)',
    );
    expect(() => model.fit(tf.zeros([4, 2]), tf.zeros([3, 1]), { verbose: 0 })).toThrow('Data cardinality is ambiguous: x sizes: 4, y sizes: 3.');
    model.dispose();
    const classifier = Sequential([Dense(3, { input_shape: [2], activation: 'softmax' })]);
    classifier.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    expect(() => classifier.fit([[1, 2], [3, 4]], [0, 2], { verbose: 0 })).toThrow(
      "Received: y.shape=(None,), output.shape=(None, 3) (loss: categorical_crossentropy). These look like class indices: use sparse_categorical_crossentropy, or one-hot encode them with keras.utils.to_categorical(y).",
    );
    classifier.dispose();
  });

  it('checks sparse labels against the number of classes before training', () => {
    const model = Sequential([Dense(3, { input_shape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(() => model.fit([[1, 2], [3, 4]], [0, 5], { verbose: 0 })).toThrow(/5/);
    const history = model.fit([[1, 2], [3, 4], [0, 1]], [0, 2, 1], { verbose: 0, epochs: 2 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    expect(model.metrics[0]!.constructor.name).toMatch(/SparseCategoricalAccuracy/);
    model.dispose();
  });

  it('validates fit arguments', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    expect(() => model.fit([1, 2], [1, 2], { epochs: -1 })).toThrow('`epochs` must be a non-negative integer. Received: epochs=-1');
    expect(() => model.fit([1, 2], [1, 2], { batch_size: 0 })).toThrow('`batch_size` must be a positive integer');
    expect(() => model.fit([1, 2], [1, 2], { verbose: 3 as never })).toThrow("`verbose` must be 'auto', 0, 1 or 2");
    expect(() => model.fit([1, 2], [1, 2], { epoch: 3 } as never)).toThrow('Did you mean `epochs`?');
    expect(() => model.fit([1, 2], [1, 2], { validation_split: 1 })).toThrow('`validation_split` must be a float between 0 and 1');
    expect(() => model.fit([1, 2], [1, 2], { verbose: 0, class_weight: { 0: 1 }, sample_weight: [1, 1] })).toThrow(
      'You cannot use `class_weight` and `sample_weight` at the same time.',
    );
    model.dispose();
  });

  it('freezes every layer with model.trainable = false: fit then leaves the weights alone', () => {
    const model = Sequential([Dense(2, { input_shape: [2] }), Dense(1)]);
    model.compile('sgd', 'mse');
    model.trainable = false;
    expect(model.trainable_weights).toHaveLength(0);
    expect(model.non_trainable_weights).toHaveLength(4);
    const before = model.get_weights().map((w) => w.arraySync());
    model.fit([[1, 2]], [3], { verbose: 0, epochs: 2 });
    expect(model.get_weights().map((w) => w.arraySync())).toEqual(before);
    model.dispose();
  });

  it('disposes its weights', () => {
    const before = tf.memory().numTensors;
    const model = Sequential([Dense(3, { input_shape: [2] }), Dropout(0.5), Dense(1)]);
    model.compile('adam', 'mse');
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
