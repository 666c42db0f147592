/**
 * Data a model cannot read: each fails at the call that received it, before any
 * weight changes (PORTING_SPEC §6: nothing is trained on data it could not read).
 */
import { keras, tf, Dense, Sequential } from 'keras-like';
import { fitBeforeTraining, using, withTensors, type ErrorArea } from './error_case.js';

/** A compiled one-layer model: `features` inputs, `units` outputs, in a fresh session (its layer is "dense"). */
export function compiledModel(features: number, units: number, activation: string, loss: string): Sequential {
  keras.backend.clear_session();
  const model = Sequential();
  model.add(Dense(units, { input_shape: [features], activation }));
  model.compile({ optimizer: 'sgd', loss });
  return model;
}

/** 3 features → 1 sigmoid unit, binary crossentropy: the Pima notebook's shape. */
const binary = () => compiledModel(3, 1, 'sigmoid', 'binary_crossentropy');
/** 2 features → 3 classes, for sparse labels. */
const sparse = () => compiledModel(2, 3, 'softmax', 'sparse_categorical_crossentropy');
/** 2 features → 3 classes, for one-hot labels. */
const categorical = () => compiledModel(2, 3, 'softmax', 'categorical_crossentropy');

const x3 = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]];
const y1 = [0, 1, 1, 0];
const x2 = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
const quiet = { verbose: 0 } as const;

export const DATA_AREA: ErrorArea = {
  title: 'Data',
  intro:
    'x, y, sample weights and validation data are read before training starts; a value that cannot be read names its position. ' +
    'A batch_size larger than the data is not an error: as in Keras 3, the epoch is one batch of all the samples.',
  cases: [
    {
      description: 'ragged rows in x',
      code: 'model.fit([[1, 2, 3], [4, 5]], [0, 1])',
      run: () => using(binary, (m) => m.fit([[1, 2, 3], [4, 5]], [0, 1], quiet)),
      error: 'ValueError',
      message: '`x` is a ragged array: x[1] has length 2, but x[0] has length 3. Every row must have the same length.',
    },
    {
      description: 'a number where a row should be',
      code: 'model.fit([[1, 2, 3], 4], [0, 1])',
      run: () => using(binary, (m) => m.fit([[1, 2, 3], 4] as never, [0, 1], quiet)),
      error: 'ValueError',
      message: '`x` is a ragged array: x[1] is 4, but other entries at that depth are arrays. Every row must have the same length.',
    },
    {
      description: 'a string in x (an unconverted CSV column)',
      code: "model.fit([[1, 2, 'male']], [1])",
      run: () => using(binary, (m) => m.fit([[1, 2, 'male']] as never, [1], quiet)),
      error: 'ValueError',
      message:
        "`x` must hold only numbers, but x[0][2] is 'male'. Convert the column to numbers first (e.g. with Number(...) or a category → index map).",
    },
    {
      description: 'strings as labels',
      code: "model.fit(x, ['yes', 'no', 'no', 'yes'])",
      run: () => using(binary, (m) => m.fit(x3, ['yes', 'no', 'no', 'yes'] as never, quiet)),
      error: 'ValueError',
      message: "`y` must hold only numbers, but y[0] is 'yes'. Convert the column to numbers first (e.g. with Number(...) or a category → index map).",
    },
    {
      description: 'NaN in x (a missing value)',
      code: 'model.fit([[1, 2, 3], [4, NaN, 6]], [0, 1])',
      run: () => using(binary, (m) => m.fit([[1, 2, 3], [4, NaN, 6]], [0, 1], quiet)),
      error: 'ValueError',
      message: '`x` contains NaN at [1][1]; training on it would give NaN. Clean or impute the data first.',
    },
    {
      description: 'Infinity in y',
      code: 'model.fit(x, [0, 1, Infinity, 0])',
      run: () => using(binary, (m) => m.fit(x3, [0, 1, Infinity, 0], quiet)),
      error: 'ValueError',
      message: '`y` contains Infinity at [2]; training on it would give NaN. Clean or impute the data first.',
    },
    {
      description: 'NaN in a tensor x',
      code: 'model.predict(tf.tensor2d([[1, 2, NaN]]))',
      run: () => using(binary, (m) => withTensors(() => [tf.tensor2d([[1, 2, NaN]])], ([x]) => m.predict(x!, quiet))),
      error: 'ValueError',
      message: '`x` contains NaN at [0][2]; training on it would give NaN. Clean or impute the data first.',
    },
    {
      description: 'NaN in validation data',
      code: 'model.fit(x, y, { validation_data: [[[1, 2, NaN]], [1]] })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, validation_data: [[[1, 2, NaN]], [1]] })),
      error: 'ValueError',
      message: '`validation_data[0]` contains NaN at [0][2]; training on it would give NaN. Clean or impute the data first.',
    },
    {
      description: 'x and y of different lengths',
      code: 'model.fit(x /* 4 rows */, [0, 1, 1])',
      run: () => using(binary, (m) => m.fit(x3, [0, 1, 1], quiet)),
      error: 'ValueError',
      message: 'Data cardinality is ambiguous: x sizes: 4, y sizes: 3. Make sure all arrays contain the same number of samples.',
    },
    {
      description: 'sample_weight of another length',
      code: 'model.fit(x, y, { sample_weight: [1, 2] })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, sample_weight: [1, 2] })),
      error: 'ValueError',
      message: 'Data cardinality is ambiguous: x sizes: 4, sample_weight sizes: 2. Make sure all arrays contain the same number of samples.',
    },
    {
      description: 'wrong number of features for the first layer',
      code: 'model.fit([[1, 2], [3, 4]], [0, 1])  // input_shape: [3]',
      run: () => using(binary, (m) => m.fit([[1, 2], [3, 4]], [0, 1], quiet)),
      error: 'ValueError',
      message: 'Input 0 of layer "dense" is incompatible with the layer: expected shape=(None, 3), found shape=(2, 2)',
    },
    {
      description: 'wrong number of features at predict',
      code: 'model.predict([[1, 2, 3, 4]])  // input_shape: [3]',
      run: () => using(binary, (m) => m.predict([[1, 2, 3, 4]], quiet)),
      error: 'ValueError',
      message: 'Input 0 of layer "dense" is incompatible with the layer: expected shape=(None, 3), found shape=(1, 4)',
    },
    {
      description: 'one sample without its batch axis',
      code: 'model.predict([1, 2, 3])  // input_shape: [3]',
      run: () => using(binary, (m) => m.predict([1, 2, 3], quiet)),
      error: 'ValueError',
      message:
        'Input 0 of layer "dense" is incompatible with the layer: expected shape=(None, 3), found shape=(3,). ' +
        '`x` looks like one sample without the batch axis: wrap it in a list ([x]) to pass a batch of one.',
    },
    {
      description: 'a file name instead of data',
      code: "model.fit('diabetes.csv', y)",
      run: () => using(binary, (m) => m.fit('diabetes.csv' as never, y1, quiet)),
      error: 'ValueError',
      message: "`x` must be a tf.Tensor, an array of numbers or a TypedArray. Received: 'diabetes.csv'",
    },
    {
      description: 'sparse label ≥ number of classes',
      code: 'model.fit(x, [0, 1, 3])  // 3 classes',
      run: () => using(sparse, (m) => m.fit(x2, [0, 1, 3], quiet)),
      error: 'ValueError',
      message: 'sparse_categorical_crossentropy: labels must be integer class indices in [0, 3) for an output of 3 classes. Received: y_true[2]=3.',
    },
    {
      description: 'negative sparse label',
      code: 'model.fit(x, [0, -1, 2])',
      run: () => using(sparse, (m) => m.fit(x2, [0, -1, 2], quiet)),
      error: 'ValueError',
      message: 'sparse_categorical_crossentropy: labels must be integer class indices in [0, 3) for an output of 3 classes. Received: y_true[1]=-1.',
    },
    {
      description: 'fractional sparse label',
      code: 'model.fit(x, [0, 1.5, 2])',
      run: () => using(sparse, (m) => m.fit(x2, [0, 1.5, 2], quiet)),
      error: 'ValueError',
      message: 'sparse_categorical_crossentropy: labels must be integer class indices in [0, 3) for an output of 3 classes. Received: y_true[1]=1.5.',
    },
    {
      description: 'one-hot labels given to a sparse loss',
      code: 'model.fit(x, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])  // sparse_categorical_crossentropy',
      run: () => using(sparse, (m) => m.fit(x2, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], quiet)),
      error: 'ValueError',
      message:
        'sparse_categorical_crossentropy expects integer class labels with one axis fewer than y_pred (shape [3] or [3, 1]). ' +
        'Received: y_true.shape=[3, 3], y_pred.shape=[3, 3]. These look like one-hot labels: use categorical_crossentropy, or pass class indices.',
    },
    {
      description: 'class indices given to a categorical loss',
      code: 'model.fit(x, [0, 1, 2])  // categorical_crossentropy',
      run: () => using(categorical, (m) => m.fit(x2, [0, 1, 2], quiet)),
      error: 'ValueError',
      message:
        'Arguments `target` and `output` must have the same shape. Received: y.shape=(None,), output.shape=(None, 3) (loss: categorical_crossentropy). ' +
        'These look like class indices: use sparse_categorical_crossentropy, or one-hot encode them with keras.utils.to_categorical(y).',
    },
    {
      description: 'three target columns for one sigmoid unit: raised before the first epoch, no weight changed',
      code: "model.fit(x, [[0, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1]], { epochs: 2 })  // Dense(1, activation='sigmoid'), binary_crossentropy",
      run: () => using(binary, (m) => fitBeforeTraining(m, x3, [[0, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 1]], { epochs: 2 })),
      error: 'ValueError',
      message: 'Arguments `target` and `output` must have the same shape. Received: y.shape=(None, 3), output.shape=(None, 1) (loss: binary_crossentropy).',
    },
    {
      description: 'empty x',
      code: 'model.fit([], [])',
      run: () => using(binary, (m) => m.fit([], [], quiet)),
      error: 'ValueError',
      message: '`x` is empty: it must have at least one sample. Received shape [0].',
    },
    {
      description: 'empty y',
      code: 'model.fit(x, [])',
      run: () => using(binary, (m) => m.fit(x3, [], quiet)),
      error: 'ValueError',
      message: '`y` is empty: it must have at least one sample. Received shape [0].',
    },
    {
      description: 'y missing',
      code: 'model.fit(x)',
      run: () => using(binary, (m) => m.fit(x3, undefined as never, quiet)),
      error: 'ValueError',
      message: 'Sequential.fit: `y` must be a tf.Tensor, an array of numbers or a TypedArray. Received: y=undefined',
    },
    {
      description: 'misspelt fit keyword',
      code: 'model.fit(x, y, { epoch: 10 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, epoch: 10 } as never)),
      error: 'ValueError',
      message: "Unrecognized keyword arguments passed to Sequential.fit: {'epoch': 10}. Did you mean `epochs`?",
    },
    {
      description: 'both batch_size and batchSize',
      code: 'model.fit(x, y, { batch_size: 8, batchSize: 8 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, batch_size: 8, batchSize: 8 })),
      error: 'ValueError',
      message: 'Sequential.fit: both `batch_size` and `batchSize` were given; they are the same argument, give only one.',
    },
    {
      description: 'batch_size of 0',
      code: 'model.fit(x, y, { batch_size: 0 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, batch_size: 0 })),
      error: 'ValueError',
      message: 'Sequential.fit: `batch_size` must be a positive integer. Received: batch_size=0',
    },
    {
      description: 'negative batch_size',
      code: 'model.evaluate(x, y, { batch_size: -32 })',
      run: () => using(binary, (m) => m.evaluate(x3, y1, { ...quiet, batch_size: -32 })),
      error: 'ValueError',
      message: 'Sequential.evaluate: `batch_size` must be a positive integer. Received: batch_size=-32',
    },
    {
      description: 'fractional batch_size',
      code: 'model.predict(x, { batch_size: 2.5 })',
      run: () => using(binary, (m) => m.predict(x3, { ...quiet, batch_size: 2.5 })),
      error: 'ValueError',
      message: 'Sequential.predict: `batch_size` must be a positive integer. Received: batch_size=2.5',
    },
    {
      description: 'validation_split of 1',
      code: 'model.fit(x, y, { validation_split: 1 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, validation_split: 1 })),
      error: 'ValueError',
      message: 'Sequential.fit: `validation_split` must be a float between 0 and 1. Received: validation_split=1',
    },
    {
      description: 'negative validation_split',
      code: 'model.fit(x, y, { validation_split: -0.2 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, validation_split: -0.2 })),
      error: 'ValueError',
      message: 'Sequential.fit: `validation_split` must be a float between 0 and 1. Received: validation_split=-0.2',
    },
    {
      description: 'validation_split given in percent',
      code: 'model.fit(x, y, { validation_split: 20 })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, validation_split: 20 })),
      error: 'ValueError',
      message: 'Sequential.fit: `validation_split` must be a float between 0 and 1. Received: validation_split=20',
    },
    {
      description: 'validation_split leaving no training sample',
      code: 'model.fit([[1, 2, 3]], [1], { validation_split: 0.5 })',
      run: () => using(binary, (m) => m.fit([[1, 2, 3]], [1], { ...quiet, validation_split: 0.5 })),
      error: 'ValueError',
      message:
        'Training data contains 1 samples, which is not sufficient to split it into a validation and training set as specified by `validation_split=0.5`. ' +
        'Either provide more data, or a different value for the `validation_split` argument.',
    },
    {
      description: 'validation_data that is not a pair',
      code: 'model.fit(x, y, { validation_data: [x] })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, validation_data: [x3] })),
      error: 'ValueError',
      message: 'Sequential.fit: `validation_data` must be [x_val, y_val] or [x_val, y_val, sample_weight_val]. Received: validation_data=[[[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]]]',
    },
    {
      description: 'class_weight and sample_weight together',
      code: 'model.fit(x, y, { class_weight: { 0: 1, 1: 3 }, sample_weight: [1, 1, 1, 1] })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, class_weight: { 0: 1, 1: 3 }, sample_weight: [1, 1, 1, 1] })),
      error: 'ValueError',
      message: 'You cannot use `class_weight` and `sample_weight` at the same time.',
    },
    {
      description: 'class_weight missing a class',
      code: 'model.fit(x, y, { class_weight: { 0: 1 } })',
      run: () => using(binary, (m) => m.fit(x3, y1, { ...quiet, class_weight: { 0: 1 } })),
      error: 'ValueError',
      message: '`class_weight` must contain all classes in the data. The classes 1 exist in the data but not in `class_weight`. Received: class_weight={0: 1}',
    },
    {
      description: 'a label to one-hot encode that is not a class index',
      code: 'keras.utils.to_categorical([0, 2, 1.5])',
      run: () => keras.utils.to_categorical([0, 2, 1.5]),
      error: 'ValueError',
      message: 'to_categorical: class indices must be integers in [0, 3). Received: y[2]=1.5',
    },
  ],
};
