/**
 * `plots`: keras-like's own pictures for the course, beyond Keras's API (Keras's notebooks
 * drew these with matplotlib). `keras.utils.plot_history` is Keras's and lives there.
 */
export { plot_paths, type PlotPathsOptions } from './plot/paths.js';
