/**
 * `sklearn.datasets.load_iris()`: the Iris data set as a Bunch with `data` [150, 4],
 * `target` [150], `feature_names` and `target_names`, as scikit-learn returns it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { IRIS_ROWS } from './iris_data.js';

export interface Bunch {
  readonly data: tf.Tensor;
  readonly target: tf.Tensor;
  readonly feature_names: string[];
  readonly target_names: string[];
}

export function load_iris(): Bunch {
  return {
    data: tf.tensor2d(IRIS_ROWS.map((row) => row.slice(0, 4)), [IRIS_ROWS.length, 4], 'float32'),
    target: tf.tensor1d(IRIS_ROWS.map((row) => row[4]), 'float32'),
    feature_names: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    target_names: ['setosa', 'versicolor', 'virginica'],
  };
}
