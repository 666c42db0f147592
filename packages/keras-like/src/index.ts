/**
 * keras-like: Keras's API in TypeScript, on TensorFlow.js kernels.
 *
 *   import { keras, Sequential, Dense, optimizers } from 'keras-like';
 *
 * See PORTING_SPEC (docs/porting.md) for how a Python cell maps to TypeScript.
 */
import { initBackend } from './backend/kernels.js';

// The wasm backend starts asynchronously; everything after this is synchronous, as in Python.
await initBackend();

/** The TensorFlow.js core API, for tensors and ops (`tf.tensor`, `tf.variable`, `tf.memory`...). */
export * as tf from '@tensorflow/tfjs-core';
export * as keras from './keras.js';
export * as backend from './backend/index.js';
export { ValueError, RuntimeError } from './errors.js';
