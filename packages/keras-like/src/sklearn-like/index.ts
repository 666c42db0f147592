/**
 * Small stand-ins for the scikit-learn, pandas and NumPy functions the course's Keras notebooks
 * call and TensorFlow.js lacks, with the Python modules' layout so that `keras-like port` maps
 * `from sklearn.datasets import make_moons` to `const { make_moons } = sklearn.datasets;`.
 * Arrays are float32 `tf.Tensor`s (labels too: TensorFlow.js ops need one dtype on both sides).
 */
import { make_moons } from './make_moons.js';
import { make_circles } from './make_circles.js';
import { make_blobs } from './make_blobs.js';
import { make_regression } from './make_regression.js';
import { load_iris } from './load_iris.js';
import { train_test_split } from './train_test_split.js';
import { StandardScaler } from './standard_scaler.js';
import { MinMaxScaler } from './min_max_scaler.js';
import { confusion_matrix } from './confusion_matrix.js';
import { read_csv, DataFrame } from './read_csv.js';
import { loadtxt } from './loadtxt.js';
import { gradient } from './gradient.js';

export const sklearn = {
  datasets: { make_moons, make_circles, make_blobs, make_regression, load_iris },
  model_selection: { train_test_split },
  preprocessing: { StandardScaler, MinMaxScaler },
  metrics: { confusion_matrix },
};

export const pandas = { read_csv, DataFrame };

/** NumPy functions with no TensorFlow.js op (`np.loadtxt`, `np.gradient`); the rest map to `tf`. */
export const numpy = { loadtxt, gradient };

export type { Bunch } from './load_iris.js';
export type { StandardScalerOptions } from './standard_scaler.js';
export type { MinMaxScalerOptions } from './min_max_scaler.js';
export type { TrainTestSplitOptions } from './train_test_split.js';
export type { MakeMoonsOptions } from './make_moons.js';
export type { MakeCirclesOptions } from './make_circles.js';
export type { MakeBlobsOptions } from './make_blobs.js';
export type { MakeRegressionOptions } from './make_regression.js';
export type { ConfusionMatrixOptions } from './confusion_matrix.js';
export type { ReadCsvOptions } from './read_csv.js';
export type { LoadtxtOptions } from './loadtxt.js';
