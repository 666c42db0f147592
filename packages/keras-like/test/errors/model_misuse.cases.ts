/**
 * A model used out of order or built wrong: each call that cannot go on says
 * what to do instead. Shape mismatches name the layer and both shapes.
 */
import { keras, tf, Dense, Sequential } from 'keras-like';
import { using, type ErrorArea } from './error_case.js';

/** A fresh session's `Sequential([Dense(2, { input_shape: [3] })])`, not compiled. */
export function denseModel(): Sequential {
  keras.backend.clear_session();
  const model = Sequential();
  model.add(Dense(2, { input_shape: [3] }));
  return model;
}

/** A fresh session's functional model with dict inputs `{ a, b }` and dict outputs `{ price, buy }`, compiled. */
function dictModel(): keras.models.Model {
  keras.backend.clear_session();
  const a = keras.Input({ shape: [3], name: 'a' });
  const b = keras.Input({ shape: [2], name: 'b' });
  const h = keras.layers.concatenate([a, b]);
  const model = keras.Model({ inputs: { a, b }, outputs: { price: Dense(1).apply(h), buy: Dense(1, { activation: 'sigmoid' }).apply(h) } });
  model.compile({ optimizer: 'sgd', loss: { price: 'mse', buy: 'binary_crossentropy' } });
  return model;
}

/** A fresh session's model whose input shape is not known yet. */
function shapelessModel(): Sequential {
  keras.backend.clear_session();
  const model = Sequential();
  model.add(Dense(2));
  return model;
}

const x = [[1, 2, 3]];
const y = [[0, 1]];
const quiet = { verbose: 0 } as const;
const NOT_COMPILED = "You must compile your model before training/testing. Use `model.compile(optimizer, loss)`, such as model.compile({ optimizer: 'adam', loss: 'mse' }).";

export const MODEL_MISUSE_AREA: ErrorArea = {
  title: 'Model misuse',
  intro:
    'As in Keras, `predict` needs no `compile`, a model without an input shape is built by its first data, ' +
    'and compiling twice is allowed (the second compile wins); the calls below cannot go on.',
  cases: [
    {
      description: 'fit before compile',
      code: 'model.fit(x, y)',
      run: () => using(denseModel, (m) => m.fit(x, y, quiet)),
      error: 'RuntimeError',
      message: NOT_COMPILED,
    },
    {
      description: 'evaluate before compile',
      code: 'model.evaluate(x, y)',
      run: () => using(denseModel, (m) => m.evaluate(x, y, quiet)),
      error: 'RuntimeError',
      message: NOT_COMPILED,
    },
    {
      description: 'train_on_batch before compile',
      code: 'model.train_on_batch(x, y)',
      run: () => using(denseModel, (m) => m.train_on_batch(x, y)),
      error: 'RuntimeError',
      message: NOT_COMPILED,
    },
    {
      description: 'compile without a loss',
      code: "model.compile({ optimizer: 'sgd' })",
      run: () => using(denseModel, (m) => m.compile({ optimizer: 'sgd' })),
      error: 'ValueError',
      message: "Sequential.compile: `loss` must be given to train the model, such as { loss: 'mse' }. Received: loss=null",
    },
    {
      description: 'misspelt compile keyword',
      code: "model.compile({ optimizer: 'sgd', los: 'mse' })",
      run: () => using(denseModel, (m) => m.compile({ optimizer: 'sgd', los: 'mse' } as never)),
      error: 'ValueError',
      message: "Unrecognized keyword arguments passed to Sequential.compile: {'los': 'mse'}. Did you mean `loss`?",
    },
    {
      description: 'metrics as a string, not a list',
      code: "model.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'accuracy' })",
      run: () => using(denseModel, (m) => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'accuracy' as never })),
      error: 'ValueError',
      message: "Sequential.compile: `metrics` must be a list of metric names, functions or objects. Received: metrics='accuracy'",
    },
    {
      description: 'summary before the input shape is known',
      code: 'Sequential([Dense(2)]).summary()',
      run: () => using(shapelessModel, (m) => m.summary()),
      error: 'ValueError',
      message:
        'This model has not yet been built. Build the model first by calling `build()` or by calling `fit()` with some data, ' +
        'or specify an `input_shape` argument in the first layer(s) for automatic build.',
    },
    {
      description: 'misspelt summary keyword',
      code: 'model.summary({ line_lenght: 80 })',
      run: () => using(denseModel, (m) => m.summary({ line_lenght: 80 } as never)),
      error: 'ValueError',
      message: "Unrecognized keyword arguments passed to Sequential.summary: {'line_lenght': 80}. Did you mean `line_length`?",
    },
    {
      description: 'count_params before the input shape is known',
      code: 'Sequential([Dense(2)]).count_params()',
      run: () => using(shapelessModel, (m) => m.count_params()),
      error: 'ValueError',
      message: "You tried to call `count_params` on model 'sequential', but the model isn't built. You can build it manually via: `model.build(batch_input_shape)`.",
    },
    {
      description: 'input_shape before it is known',
      code: 'Sequential([Dense(2)]).input_shape',
      run: () => using(shapelessModel, (m) => m.input_shape),
      error: 'ValueError',
      message: 'Sequential model "sequential" has no input shape yet: give the first layer an input_shape, or call build / fit first.',
    },
    {
      description: 'predict on a model with no layers',
      code: 'Sequential().predict(x)',
      run: () =>
        using(
          () => {
            keras.backend.clear_session();
            return Sequential();
          },
          (m) => m.predict(x, quiet),
        ),
      error: 'ValueError',
      message: 'Sequential model "sequential" has no layers; add some with model.add(...) first.',
    },
    {
      description: 'adding a layer whose input does not match',
      code: 'model.add(Dense(1, { input_shape: [5] }))  // the model outputs 2 features',
      run: () => using(denseModel, (m) => m.add(Dense(1, { input_shape: [5] }))),
      error: 'ValueError',
      message: 'Input 0 of layer "dense_1" is incompatible with the layer: expected shape=(None, 5), found shape=(None, 2)',
    },
    {
      description: 'adding the class instead of a layer',
      code: 'model.add(Dense)',
      run: () => using(denseModel, (m) => m.add(Dense as never)),
      error: 'TypeError',
      message:
        'The added layer must be an instance of class Layer. Received: layer=<function DenseLayer> of type function. ' +
        'This is the layer class: call it to make a layer, such as Dense(8).',
    },
    {
      description: 'adding a layer name twice',
      code: "model.add(Dense(2, { name: 'dense' }))",
      run: () => using(denseModel, (m) => m.add(Dense(2, { name: 'dense' }))),
      error: 'ValueError',
      message:
        'All layers added to a Sequential model should have unique names. Name "dense" is already the name of a layer in this model. ' +
        'Update the `name` argument to pass a unique name.',
    },
    {
      description: 'keras.Input after the first layer',
      code: 'model.add(keras.Input({ shape: [2] }))',
      run: () => using(denseModel, (m) => m.add(keras.Input({ shape: [2] }) as never)),
      error: 'ValueError',
      message: 'Sequential model: an InputLayer (or keras.Input) can only be the first layer of the model.',
    },
    {
      description: 'removing a layer from an empty model',
      code: 'Sequential().pop()',
      run: () => Sequential().pop(),
      error: 'TypeError',
      message: 'There are no layers in the model.',
    },
    {
      description: 'calling a layer on inputs of the wrong width',
      code: 'model.layers[0].apply(tf.zeros([1, 5]))',
      run: () => using(denseModel, (m) => {
        const input = tf.zeros([1, 5]);
        try {
          return m.layers[0]!.apply(input);
        } finally {
          input.dispose();
        }
      }),
      error: 'ValueError',
      message: 'Input 0 of layer "dense" is incompatible with the layer: expected shape=(None, 3), found shape=(1, 5)',
    },
    {
      description: 'set_weights with a kernel of the wrong shape',
      code: 'model.set_weights([[[1, 2, 3]], [0, 0]])  // kernel is 3×2',
      run: () => using(denseModel, (m) => m.set_weights([[[1, 2, 3]], [0, 0]])),
      error: 'ValueError',
      message: 'Layer dense weight shape (3, 2) is not compatible with provided weight shape (1, 3).',
    },
    {
      description: 'set_weights with a bias of the wrong shape',
      code: 'model.layers[0].set_weights([kernel, [0, 0, 0]])',
      run: () => using(denseModel, (m) => m.layers[0]!.set_weights([[[1, 2], [3, 4], [5, 6]], [0, 0, 0]])),
      error: 'ValueError',
      message: 'Layer dense weight shape (2,) is not compatible with provided weight shape (3,).',
    },
    {
      description: 'set_weights with too few arrays',
      code: 'model.set_weights([kernel])',
      run: () => using(denseModel, (m) => m.set_weights([[[1, 2], [3, 4], [5, 6]]])),
      error: 'ValueError',
      message: 'You called `set_weights(weights)` on model "sequential" with a weight list of length 1, but the model was expecting 2 weights.',
    },
    {
      description: 'set_weights before the layer is built',
      code: 'Dense(2).set_weights([kernel, bias])',
      run: () => {
        keras.backend.clear_session();
        return Dense(2).set_weights([[[1, 2], [3, 4], [5, 6]], [0, 0]]);
      },
      error: 'ValueError',
      message: 'You called `set_weights(weights)` on layer "dense" with a weight list of length 2, but the layer was expecting 0 weights.',
    },
    {
      description: 'predict after model.dispose()',
      code: 'model.dispose(); model.predict(x)',
      run: () => {
        const model = denseModel();
        model.dispose();
        return model.predict(x, quiet);
      },
      error: 'RuntimeError',
      message: 'Sequential model "sequential" was disposed: its weights are freed. Build a new model to train or predict.',
    },
    {
      description: 'fit after model.dispose()',
      code: "model.dispose(); model.fit(x, y)",
      run: () => {
        const model = denseModel();
        model.compile({ optimizer: 'sgd', loss: 'mse' });
        model.dispose();
        return model.fit(x, y, quiet);
      },
      error: 'RuntimeError',
      message: 'Sequential model "sequential" was disposed: its weights are freed. Build a new model to train or predict.',
    },
    {
      description: 'a dict of inputs without one of the input names',
      code: 'model.predict({ a: xa })',
      run: () => using(dictModel, (m) => m.predict({ a: [[1, 2, 3]] }, quiet)),
      error: 'ValueError',
      message: "Missing data for input \"b\". You passed a data dictionary with keys ['a']. Expected the following keys: ['a', 'b']",
    },
    {
      description: 'a dict of targets without one of the output names',
      code: 'model.fit({ a: xa, b: xb }, { price: y })',
      run: () => using(dictModel, (m) => m.fit({ a: [[1, 2, 3]], b: [[1, 2]] }, { price: [[1]] }, quiet)),
      error: 'ValueError',
      message: "y_true and y_pred have different structures.\ny_true: {'price': '*'}\ny_pred: {'price': '*', 'buy': '*'}\n",
    },
    {
      description: 'a misspelt metric name',
      code: "model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] })",
      run: () => using(denseModel, (m) => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] })),
      error: 'ValueError',
      message: "Could not interpret metric identifier: 'acuracy'. Did you mean 'accuracy'?",
    },
  ],
};
