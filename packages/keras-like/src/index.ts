/**
 * keras-like: Keras's API in TypeScript, on TensorFlow.js kernels.
 *
 *   import { keras, Sequential, Dense, optimizers } from 'keras-like';
 *
 * See docs/porting.md for how a Python cell maps to TypeScript.
 */
// Starts the backend synchronously (cpu now, wasm when ready; see backend/kernels.ts), so
// every loader can import this file, CommonJS included; src/import.ts is the ES-module entry.
import { startBackend } from './backend/kernels.js';
// For `tf.grads`: the autodiff fallback of user-supplied layers and activations (see backend/gradients.ts).
import './backend/gradients.js';

startBackend();

/** The TensorFlow.js core API, for tensors and ops (`tf.tensor`, `tf.variable`, `tf.memory`...). */
export * as tf from '@tensorflow/tfjs-core';
export * as keras from './keras.js';
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
/** `tensorflowjs.converters.save_keras_model(model, dir)`, as Python's `import tensorflowjs`: keras.saving.save_tfjs. */
export { tensorflowjs } from './saving/tfjs_format.js';
export { ValueError, RuntimeError, FileNotFoundError, NotImplementedError } from './errors.js';
/** Resolves once the fastest backend runs the ops (wasm by default); see docs/backends.md. */
export { ready } from './backend/kernels.js';
/** scikit-learn, pandas and NumPy stand-ins used by ported notebooks (`keras-like port`). */
export { sklearn, pandas, numpy } from './sklearn-like/index.js';
/** keras-like's own course pictures (the optimizer race: `plots.plot_paths`); the renderers load on first use. */
export * as plots from './plots.js';

// Named exports of the classes a notebook imports directly (`from keras.layers import Dense`).
export * from './layers/index.js';
export * from './models/index.js';
export { SGD, RMSprop, Adam, AdamW, Adadelta, Adagrad, Adamax, Nadam, Ftrl, Lion, Lamb, Adafactor } from './optimizers/index.js';
// `from keras.preprocessing.text import Tokenizer`, `from keras.preprocessing.sequence import pad_sequences`.
export { Tokenizer, tokenizer_from_json, one_hot, hashing_trick, text_to_word_sequence } from './preprocessing/text/index.js';
export { pad_sequences, TimeseriesGenerator } from './preprocessing/sequence/index.js';
export { timeseries_dataset_from_array } from './utils/timeseries_dataset_from_array.js';
// `from keras.preprocessing.image import load_img, img_to_array`.
export { load_img, img_to_array, array_to_img, save_img, image_dataset_from_directory } from './utils/image/index.js';
