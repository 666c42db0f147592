/**
 * keras-like's one source of randomness: initial weights, shuffling and dropout
 * all draw from it, so `keras.utils.set_random_seed(s)` makes a run reproducible.
 */

// mulberry32: a small, fast 32-bit generator, good enough for shuffles and seeds.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let generator = mulberry32(Math.floor(Math.random() * 2 ** 32));

/** Seeds every random draw keras-like makes (weights, shuffling, dropout). */
export function set_random_seed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) {
    throw new TypeError(`set_random_seed: \`seed\` must be a non-negative integer. Received: seed=${String(seed)}`);
  }
  generator = mulberry32(seed);
}

/**
 * A generator for a call with scikit-learn's `random_state`: its own stream when a seed is given
 * (the same data on every call), else draws from the global generator.
 */
export function randomState(seed: number | null | undefined): () => number {
  return seed === null || seed === undefined ? () => generator() : mulberry32(seed);
}

/** A uniform draw in [0, 1) from the global generator. */
export function random(): number {
  return generator();
}

/** A fresh integer seed for a TensorFlow.js random op (`tf.randomUniform(shape, 0, 1, 'float32', seed)`). */
export function nextSeed(): number {
  return Math.floor(generator() * 2 ** 31);
}

/**
 * A generator of its own, for the data utilities' `seed` arguments (`shuffle: true, seed: 42`):
 * the same seed gives the same order, whatever else has drawn from the global generator.
 * Without a seed it is seeded from the global generator, so `set_random_seed` still fixes it.
 */
export function seededGenerator(seed: number | null = null): () => number {
  return mulberry32(seed ?? Math.floor(generator() * 2 ** 32));
}

/** The permutation [0, n) shuffled in place by Fisher-Yates; `out` is reused when given. */
export function shuffledIndices(n: number, out: Int32Array = new Int32Array(n), draw: () => number = generator): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
