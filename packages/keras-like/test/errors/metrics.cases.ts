/**
 * Targets and predictions a metric cannot compare: `update_state` names the metric and both
 * shapes (PORTING_SPEC §6) instead of failing in a kernel with a broadcast error.
 */
import { keras, Dense, Sequential } from 'keras-like';
import { fitBeforeTraining, using, type ErrorArea } from './error_case.js';

/** A fresh session's 2 features → 3 softmax classes, sparse labels, tracking `metrics`. */
function sparseClassifier(metrics: string[]): Sequential {
  keras.backend.clear_session();
  const model = Sequential([Dense(3, { input_shape: [2], activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics });
  return model;
}

export const METRICS_AREA: ErrorArea = {
  title: 'Metrics',
  intro:
    "A metric's `update_state(y_true, y_pred)` checks the two shapes first. As in Keras, a trailing axis of 1 is added or " +
    'dropped (y_true [4] against y_pred [4, 1] is fine) and element-wise metrics such as `mse` or `accuracy` accept shapes that ' +
    'broadcast; one-hot, crossentropy, confusion-matrix and R² metrics need the same shape, and sparse metrics one axis fewer. ' +
    'A metric made from your own function is not checked. `fit` and `evaluate` run these checks on the whole of `y` (and on the ' +
    'validation targets) against the model\'s output before their first batch, so a mismatch stops `fit` before anything trains.',
  cases: [
    {
      description: 'more targets than predictions',
      code: 'keras.metrics.MeanSquaredError().update_state([[1], [0], [1], [0]], [[0.9], [0.2], [0.8]])',
      run: () => using(() => keras.metrics.MeanSquaredError(), (m) => m.update_state([[1], [0], [1], [0]], [[0.9], [0.2], [0.8]])),
      error: 'ValueError',
      message:
        'MeanSquaredError.update_state: arguments `y_true` and `y_pred` must have the same shape, or shapes that broadcast together. ' +
        'Received: y_true.shape=[4, 1], y_pred.shape=[3, 1] (metric: mean_squared_error).',
    },
    {
      description: 'flat targets and predictions of different lengths, called as a function',
      code: 'keras.metrics.BinaryAccuracy()([1, 0, 1, 0], [0.9, 0.2, 0.8])',
      run: () => using(() => keras.metrics.BinaryAccuracy(), (m) => m([1, 0, 1, 0], [0.9, 0.2, 0.8])),
      error: 'ValueError',
      message:
        'BinaryAccuracy.update_state: arguments `y_true` and `y_pred` must have the same shape, or shapes that broadcast together. ' +
        'Received: y_true.shape=[4], y_pred.shape=[3] (metric: binary_accuracy).',
    },
    {
      description: 'one-hot labels of 3 classes, predictions of 2',
      code: 'keras.metrics.CategoricalAccuracy().update_state([[1, 0, 0], [0, 0, 1]], [[0.6, 0.4], [0.3, 0.7]])',
      run: () => using(() => keras.metrics.CategoricalAccuracy(), (m) => m.update_state([[1, 0, 0], [0, 0, 1]], [[0.6, 0.4], [0.3, 0.7]])),
      error: 'ValueError',
      message:
        'CategoricalAccuracy.update_state: arguments `y_true` and `y_pred` must have the same shape. ' +
        'Received: y_true.shape=[2, 3], y_pred.shape=[2, 2] (metric: categorical_accuracy).',
    },
    {
      description: 'class indices given to a one-hot metric',
      code: 'keras.metrics.CategoricalAccuracy().update_state([[0], [2]], [[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]])',
      run: () => using(() => keras.metrics.CategoricalAccuracy(), (m) => m.update_state([[0], [2]], [[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]])),
      error: 'ValueError',
      message:
        'CategoricalAccuracy.update_state: arguments `y_true` and `y_pred` must have the same shape. ' +
        'Received: y_true.shape=[2, 1], y_pred.shape=[2, 3] (metric: categorical_accuracy). ' +
        'These look like class indices: use SparseCategoricalAccuracy, or one-hot encode them with keras.utils.to_categorical(y).',
    },
    {
      description: 'one-hot labels given to a sparse metric',
      code: 'keras.metrics.SparseCategoricalAccuracy().update_state([[1, 0, 0], [0, 0, 1]], [[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]])',
      run: () =>
        using(() => keras.metrics.SparseCategoricalAccuracy(), (m) => m.update_state([[1, 0, 0], [0, 0, 1]], [[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]])),
      error: 'ValueError',
      message:
        'SparseCategoricalAccuracy.update_state: `y_true` must hold integer class indices with one axis fewer than `y_pred` (shape [2] or [2, 1]). ' +
        'Received: y_true.shape=[2, 3], y_pred.shape=[2, 3] (metric: sparse_categorical_accuracy). ' +
        'These look like one-hot labels: use CategoricalAccuracy, or pass class indices.',
    },
    {
      description: 'one label per sample against several predicted columns, for a confusion-matrix metric',
      code: 'keras.metrics.Precision().update_state([[1], [0]], [[0.9, 0.1], [0.3, 0.7]])',
      run: () => using(() => keras.metrics.Precision(), (m) => m.update_state([[1], [0]], [[0.9, 0.1], [0.3, 0.7]])),
      error: 'ValueError',
      message:
        'Precision.update_state: arguments `y_true` and `y_pred` must have the same shape. ' +
        'Received: y_true.shape=[2, 1], y_pred.shape=[2, 2] (metric: precision).',
    },
    {
      description: 'a compiled one-hot metric given class indices',
      code: "model.evaluate(x, [0, 2, 1])  // compile({ loss: 'sparse_categorical_crossentropy', metrics: ['categorical_accuracy'] })",
      run: () => using(() => sparseClassifier(['categorical_accuracy']), (m) => m.evaluate([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [0, 2, 1], { verbose: 0 })),
      error: 'ValueError',
      message:
        'CategoricalAccuracy.update_state: arguments `y_true` and `y_pred` must have the same shape. ' +
        'Received: y_true.shape=[3], y_pred.shape=[3, 3] (metric: categorical_accuracy). ' +
        'These look like class indices: use SparseCategoricalAccuracy, or one-hot encode them with keras.utils.to_categorical(y).',
    },
    {
      // fit updates mean metrics when it reads the logs (deferred_logs.ts): checked only there, this came after an epoch had trained.
      description: 'a compiled one-hot metric given class indices, in fit: raised before the first epoch, no weight changed',
      code: "model.fit(x, [0, 2, 1], { epochs: 2 })  // compile({ loss: 'sparse_categorical_crossentropy', metrics: ['categorical_accuracy'] })",
      run: () => using(() => sparseClassifier(['categorical_accuracy']), (m) => fitBeforeTraining(m, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [0, 2, 1], { epochs: 2 })),
      error: 'ValueError',
      message:
        'CategoricalAccuracy.update_state: arguments `y_true` and `y_pred` must have the same shape. ' +
        'Received: y_true.shape=[3], y_pred.shape=[3, 3] (metric: categorical_accuracy). ' +
        'These look like class indices: use SparseCategoricalAccuracy, or one-hot encode them with keras.utils.to_categorical(y).',
    },
    {
      description: 'validation targets a metric cannot compare (the training targets fit): raised before the first epoch',
      code: "model.fit(x, [[0], [2], [1]], { validation_data: [x_val, [0, 2, 1, 1]] })  // sparse_categorical_crossentropy, metrics: ['mse']",
      run: () =>
        using(
          () => sparseClassifier(['mse']),
          (m) =>
            fitBeforeTraining(m, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [[0], [2], [1]], {
              validation_data: [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]], [0, 2, 1, 1]],
            }),
        ),
      error: 'ValueError',
      message:
        'MeanSquaredError.update_state: arguments `y_true` and `y_pred` must have the same shape, or shapes that broadcast together. ' +
        'Received: y_true.shape=[4], y_pred.shape=[4, 3] (metric: mse).',
    },
  ],
};
