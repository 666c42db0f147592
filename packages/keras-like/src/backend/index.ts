/**
 * `keras.backend` (`import { backend as K } from 'keras-like'`): the Keras
 * backend module, plus the TensorFlow.js kernel backend it runs on.
 */
export { backend, ready, initBackend } from './kernels.js';
export { clear_session, uniqueName, onClearSession } from './session.js';
export { BACKEND_NAMES, type BackendName, BackendNotAvailableError } from './choose.js';

/** Keras's fuzz factor, used by losses and optimizers. */
export function epsilon(): number {
  return 1e-7;
}

/** The float type of weights and activations. keras-like computes in float32, as Keras does by default. */
export function floatx(): 'float32' {
  return 'float32';
}

// Keras backend maths (`K.tanh`, `K.mean`, `K.dot`, ...), on tensors, numbers or arrays.
export { tanh, sigmoid, relu, softmax, exp, log, abs, square, sqrt, mean, sum, max, min, dot, transpose, clip } from './math.js';
export { round, sign, pow, maximum, minimum, equal, argmax, cast, std, get_value, get_value as eval } from './math.js';
// `K.var(x)` as in TF2 (a reserved word is fine as a property name); `variance` for named imports.
export { variance, variance as var } from './math.js';
