/**
 * The `keras` namespace, laid out like the Python package:
 * `keras.layers.Dense`, `keras.optimizers.Adam`, `keras.backend.clear_session`...
 */
export * as backend from './backend/index.js';
