/**
 * Which TensorFlow.js kernel backend keras-like runs on, decided from the
 * environment and from which backend packages can be loaded. Pure logic, so the
 * rules can be tested without loading any backend.
 */

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The npm-only backend used when `@tensorflow/tfjs-node` is absent. `wasm` runs
 * matMul ~40x faster than `cpu` on this project's machines and dispatches an op
 * at the same cost; see docs/backends.md for the measurement.
 */
export const DEFAULT_NPM_BACKEND: BackendName = 'wasm';

/** Where each backend comes from, and how a user installs it. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

export class BackendNotAvailableError extends Error {
  override name = 'BackendNotAvailableError';
}

/**
 * `requested` is the value of KERAS_LIKE_BACKEND (undefined or '' when unset);
 * `tensorflowLoads` says whether `@tensorflow/tfjs-node` is installed and loads.
 */
export function chooseBackend(requested: string | undefined, tensorflowLoads: boolean): BackendName {
  const name = (requested ?? '').trim().toLowerCase();
  if (name === '') return tensorflowLoads ? 'tensorflow' : DEFAULT_NPM_BACKEND;
  if (!isBackendName(name)) {
    throw new BackendNotAvailableError(
      `KERAS_LIKE_BACKEND=${requested} is not a backend keras-like knows. ` +
        `Expected one of: ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  if (name === 'tensorflow' && !tensorflowLoads) throw missingBackendError('tensorflow');
  return name;
}

export function missingBackendError(name: BackendName, cause?: unknown): BackendNotAvailableError {
  const pkg = BACKEND_PACKAGES[name];
  const why = cause instanceof Error ? ` (${cause.message.split('\n')[0]})` : '';
  const hint =
    name === 'tensorflow'
      ? ` Install it with \`pnpm add ${pkg}\` (its install script downloads libtensorflow), ` +
        `or unset KERAS_LIKE_BACKEND to use '${DEFAULT_NPM_BACKEND}'.`
      : ` Install it with \`pnpm add ${pkg}\`.`;
  return new BackendNotAvailableError(
    `KERAS_LIKE_BACKEND=${name} asks for ${pkg}, which is not installed or does not load${why}.${hint}`,
  );
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
