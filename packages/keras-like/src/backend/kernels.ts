/**
 * The kernel backend seam: every tensor op in keras-like goes through
 * `@tensorflow/tfjs-core`, and this module decides which kernels run them.
 *
 * Start-up is synchronous, because `fit`, `evaluate` and `predict` are (as in Python) and
 * because CommonJS `require`, tslab and tsx in a CommonJS folder cannot wait at import:
 *
 * - with `@tensorflow/tfjs-node` installed, its 'tensorflow' backend starts at once;
 * - otherwise 'cpu' is ready at once, and 'wasm' (the default: ~40x faster matMul) starts
 *   in the background and becomes the backend as soon as it is ready. `await ready()`
 *   waits for it; the ES-module entry (src/import.ts) does so at import.
 *
 * Tensors and variables made on cpu before the switch stay valid: tfjs-core records the
 * backend that holds each tensor's data and moves the data to the active backend the first
 * time one of its kernels reads it (`engine.moveData`), so a model built before the switch
 * trains on wasm after it (test/backend_switch.test.ts).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
// Each registers its backend's factory and kernels with tfjs-core; neither starts here.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { type BackendName, BACKEND_PACKAGES, BackendNotAvailableError, chooseBackend } from './choose.js';

export { BACKEND_NAMES, type BackendName, BackendNotAvailableError, chooseBackend } from './choose.js';

/** tfjs-backend-wasm's priority, kept when its factory is replaced by the started instance. */
const WASM_PRIORITY = 2;

let started: Promise<BackendName> | undefined;

/**
 * Starts the backend (once; importing keras-like calls it). Synchronous: when this returns,
 * ops run on 'tensorflow' or 'cpu'; the promise it keeps resolves when the backend that
 * was chosen (by default 'wasm') runs them. Reads KERAS_LIKE_BACKEND.
 */
export function startBackend(requested = process.env.KERAS_LIKE_BACKEND): void {
  if (started !== undefined) return;
  const name = chooseBackend(requested, loadTensorflow());
  if (name === 'wasm') {
    castCopiesOnCpu();
    useNow('cpu');
    started = switchToWasm(requested !== undefined && requested.trim() !== '');
  } else {
    useNow(name);
    started = Promise.resolve(name);
  }
}

/**
 * Resolves to the backend name once the chosen backend runs the ops:
 *
 *   import { keras } from 'keras-like';        // CommonJS, tslab, tsx in a CommonJS folder
 *   await keras.ready();                        // from here on, wasm
 *
 * Needed only where the loader cannot wait at import (see docs/backends.md); code that runs
 * before it runs on cpu, with the same results up to float rounding. Rejects when
 * KERAS_LIKE_BACKEND=wasm was asked for and wasm failed to start.
 */
export function ready(): Promise<BackendName> {
  startBackend();
  return started!;
}

/** @deprecated The backend starts at import; use `ready()` to wait for wasm. */
export const initBackend = ready;

/** The name of the backend that runs ops now: `'tensorflow'`, `'wasm'` or `'cpu'`. */
export function backend(): BackendName {
  startBackend();
  return tf.getBackend() as BackendName;
}

/**
 * Loads the optional peer `@tensorflow/tfjs-node` if it is installed (it registers the
 * 'tensorflow' backend with tfjs-core). `require`, because it is a CommonJS package and
 * this must not wait; it resolves from keras-like's own folder, as a dependency would.
 */
function loadTensorflow(): boolean {
  try {
    createRequire(import.meta.url)(BACKEND_PACKAGES.tensorflow);
  } catch {
    return false;
  }
  return tf.findBackendFactory('tensorflow') !== null;
}

/** Makes `name`, whose factory is synchronous, the backend before returning. */
function useNow(name: BackendName): void {
  // tfjs's setBackend is async, but with a synchronous factory it has finished on return.
  void tf.setBackend(name);
  if (tf.getBackend() !== name || tf.findBackend(name) === null) {
    throw new BackendNotAvailableError(`keras-like: the '${name}' backend failed to start.`);
  }
  silenceNodeBanner(name);
}

/**
 * tfjs-backend-cpu's Cast to a wider type (bool → float32, int32 → float32) hands back its
 * input's data under the new dtype instead of copying it. tfjs-core records a data id's dtype
 * once, from the first tensor that holds it, and moves data between backends by that record,
 * so `tf.cast(tf.greater(x, 0), 'float32')` made before the switch would reach wasm as one byte
 * per value read as floats (wrong labels, found by test/backend_switch.test.ts). Copying on
 * such a cast keeps every record true; it costs one pass over the values.
 */
function castCopiesOnCpu(): void {
  const cast = tf.getKernel('Cast', 'cpu');
  if (cast === undefined) return;
  tf.unregisterKernel('Cast', 'cpu');
  tf.registerKernel({
    ...cast,
    kernelFunc: (args) => {
      const out = cast.kernelFunc(args) as tf.TensorInfo;
      const x = args.inputs.x!;
      if (out.dataId !== x.dataId || out.dtype === x.dtype) return out;
      const kernels = args.backend as MathBackendCPU;
      const values = kernels.readSync(x.dataId) as tf.TypedArray;
      kernels.disposeIntermediateTensorInfo(out);
      const copy = out.dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
      return kernels.makeTensorInfo(out.shape, out.dtype, copy);
    },
  });
}

/**
 * Starts wasm without making it tfjs's pending backend (tfjs refuses every op while a
 * backend it was told to set is still initializing), then swaps it in. The factory is
 * called directly, and once its instance is built, the factory is replaced by one that
 * returns that instance, so `tf.setBackend('wasm')` switches synchronously, now and later.
 */
async function switchToWasm(asked: boolean): Promise<BackendName> {
  const factory = tf.findBackendFactory('wasm');
  try {
    if (factory === null) throw new Error('its factory is not registered');
    const instance = await withoutNewProcessHandlers(async () => factory());
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => instance, WASM_PRIORITY);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    const message = `keras-like: the wasm backend failed to start (${why}).`;
    if (asked) throw new BackendNotAvailableError(`${message} KERAS_LIKE_BACKEND=wasm cannot be honoured.`);
    console.warn(`${message} Running on cpu.`);
    return 'cpu';
  }
  // Someone chose a backend meanwhile (tf.setBackend): theirs stays.
  if (tf.getBackend() !== 'cpu') return tf.getBackend() as BackendName;
  useNow('wasm');
  return 'wasm';
}

/**
 * Runs `start` and removes the process-wide `uncaughtException` / `unhandledRejection`
 * handlers it added. Emscripten's Node glue in tfjs-backend-wasm adds two that rethrow from
 * inside its minified file, so any error in a user's script would print a 10 kB line of
 * wasm glue above the user's own stack; Node's default handling is the same without it.
 */
async function withoutNewProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const uncaught = new Set(process.listeners('uncaughtException'));
  const unhandled = new Set(process.listeners('unhandledRejection'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!uncaught.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!unhandled.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}

/**
 * The cpu backend prints an "install tfjs-node to speed things up" banner on its
 * first tensor. keras-like has already chosen the fastest backend it can, so the
 * banner would only be noise in a classroom terminal.
 */
function silenceNodeBanner(name: BackendName): void {
  const kernels: unknown = tf.findBackend(name);
  if (typeof kernels === 'object' && kernels !== null && 'firstUse' in kernels) {
    (kernels as { firstUse: boolean }).firstUse = false;
  }
}
