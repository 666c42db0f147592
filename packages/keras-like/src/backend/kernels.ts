/**
 * The kernel backend seam: every tensor op in keras-like goes through
 * `@tensorflow/tfjs-core`, and this module decides which kernels run them.
 *
 * `initBackend()` runs once when `keras-like` is imported (a top-level await in
 * src/index.ts), because the wasm backend can only start asynchronously while
 * `fit`, `evaluate` and `predict` are synchronous, as in Python.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type BackendName,
  BackendNotAvailableError,
  chooseBackend,
  missingBackendError,
} from './choose.js';

export { BACKEND_NAMES, type BackendName, BackendNotAvailableError, chooseBackend } from './choose.js';

let active: BackendName | undefined;

/** Selects and starts the backend; idempotent. Reads KERAS_LIKE_BACKEND. */
export async function initBackend(requested = process.env.KERAS_LIKE_BACKEND): Promise<BackendName> {
  if (active !== undefined) return active;
  const tensorflowLoads = await loadTensorflow();
  const name = chooseBackend(requested, tensorflowLoads);
  await startBackend(name);
  active = name;
  return name;
}

/** The name of the active kernel backend: `'tensorflow'`, `'wasm'` or `'cpu'`. */
export function backend(): BackendName {
  if (active === undefined) {
    throw new Error('keras-like: the backend is not started yet; import keras-like with `import` (ESM).');
  }
  return active;
}

async function loadTensorflow(): Promise<boolean> {
  try {
    // Registers the 'tensorflow' backend with tfjs-core when the optional peer is installed.
    await import('@tensorflow/tfjs-node' as string);
    return tf.findBackendFactory('tensorflow') !== null;
  } catch {
    return false;
  }
}

async function startBackend(name: BackendName): Promise<void> {
  try {
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  } catch (cause) {
    throw missingBackendError(name, cause);
  }
  const started = await tf.setBackend(name);
  if (!started) throw new BackendNotAvailableError(`keras-like: the '${name}' backend failed to start.`);
  silenceNodeBanner();
}

/**
 * The cpu backend prints an "install tfjs-node to speed things up" banner on its
 * first tensor. keras-like has already chosen the fastest backend it can, so the
 * banner would only be noise in a classroom terminal.
 */
function silenceNodeBanner(): void {
  const kernels: unknown = tf.backend();
  if (typeof kernels === 'object' && kernels !== null && 'firstUse' in kernels) {
    (kernels as { firstUse: boolean }).firstUse = false;
  }
}
