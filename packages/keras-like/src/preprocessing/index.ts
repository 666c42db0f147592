/**
 * `keras.preprocessing`: `text` and `sequence` (TF2's utilities, kept by Keras 3 under
 * `keras.preprocessing`), `image` (`load_img`, `img_to_array`, ...), and the dataset builders
 * Keras 3 also lists here.
 */
export * as text from './text/index.js';
export * as sequence from './sequence/index.js';
export * as image from '../utils/image/index.js';
export { timeseries_dataset_from_array } from '../utils/timeseries_dataset_from_array.js';
export { image_dataset_from_directory } from '../utils/image/image_dataset_from_directory.js';
