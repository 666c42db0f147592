/**
 * The `keras` namespace, laid out like the Python package:
 * `keras.layers.Dense`, `keras.optimizers.Adam`, `keras.backend.clear_session`...
 */
export * as backend from './backend/index.js';
export * as layers from './layers/index.js';
export * as models from './models/index.js';
export * as optimizers from './optimizers/index.js';
export * as losses from './losses.js';
export * as metrics from './metrics.js';
export * as activations from './activations.js';
export * as initializers from './initializers.js';
export * as regularizers from './regularizers.js';
export * as constraints from './constraints.js';
export * as callbacks from './callbacks/index.js';
export * as utils from './utils/index.js';
export * as preprocessing from './preprocessing/index.js';
export * as saving from './saving/index.js';
export * as datasets from './datasets/index.js';
// `keras.Sequential`, `keras.Input`... as in Python.
export { Sequential, Model } from './models/index.js';
export { KerasTensor } from './layers/keras_tensor.js';
export { Input, InputLayer } from './layers/index.js';
// `await keras.ready()`: waits for the wasm backend where the loader cannot (docs/backends.md).
export { ready } from './backend/kernels.js';
