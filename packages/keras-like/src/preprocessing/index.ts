/**
 * `keras.preprocessing`: `text` and `sequence` (TF2's utilities, kept by Keras 3 under
 * `keras.preprocessing`), and the dataset builders Keras 3 also lists here.
 */
export * as text from './text/index.js';
export * as sequence from './sequence/index.js';
export { timeseries_dataset_from_array } from '../utils/timeseries_dataset_from_array.js';
