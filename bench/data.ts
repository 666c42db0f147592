/**
 * The benchmark's data and initial weights, generated from a seed so that every
 * contender's process builds exactly the same arrays without sharing files.
 *
 * Plain typed arrays only: no tfjs here, so a contender turns them into tensors
 * its own way and the generator can be unit-tested without a backend.
 */

/** A seeded uniform [0, 1) source (mulberry32), independent of keras-like's global one. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Row-major samples `x` [n, features] and targets `y` [n, classes] (classes = 1 for binary). */
export interface Dataset {
  readonly n: number;
  readonly features: number;
  readonly classes: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/**
 * A Pima-shaped binary problem: n×8 features in [0, 1), label 1 where a fixed
 * linear teacher plus noise is positive. The noise keeps accuracy near Pima's
 * (75-80%), so a difference between contenders' final accuracy is visible.
 */
export function binaryDataset(n: number, features: number, seed: number): Dataset {
  const uniform = seededUniform(seed);
  const teacher = Array.from({ length: features }, () => uniform() * 2 - 1);
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < features; j++) {
      const v = uniform();
      x[i * features + j] = v;
      score += teacher[j]! * (v - 0.5);
    }
    y[i] = score + 1.5 * (uniform() - 0.5) > 0 ? 1 : 0;
  }
  return { n, features, classes: 1, x, y };
}

/**
 * An MNIST-shaped problem: each class has a fixed random "digit" image, and a
 * sample is its class's image faded into uniform noise, pixels in [0, 1). One
 * label in ten is replaced by a random class, so accuracy tops out near 90%
 * and a contender that learns worse shows it.
 */
export function categoricalDataset(n: number, features: number, classes: number, seed: number): Dataset {
  const uniform = seededUniform(seed);
  const prototypes = new Float32Array(classes * features);
  for (let k = 0; k < prototypes.length; k++) prototypes[k] = uniform();
  const x = new Float32Array(n * features);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(uniform() * classes);
    for (let j = 0; j < features; j++) x[i * features + j] = 0.3 * prototypes[c * features + j]! + 0.7 * uniform();
    const label = uniform() < 0.1 ? Math.floor(uniform() * classes) : c;
    y[i * classes + label] = 1;
  }
  return { n, features, classes, x, y };
}

/**
 * W4's images (28×28×1, the CNN): each class has a fixed random 7×7 pattern drawn in 4×4-pixel
 * blocks, and a sample is its class's pattern faded into per-pixel noise, one label in ten again
 * replaced at random. On `categoricalDataset`'s images (a faint per-pixel prototype, 0.3 of each
 * pixel) W4's quick run (16 steps) left keras-like at chance (11.4%), so accuracy could not show
 * whether a contender learns; with these (half of each pixel, in blocks that survive the
 * poolings) keras-like reaches 60% after the same 16 steps.
 */
export function imageDataset(n: number, side: number, classes: number, seed: number): Dataset {
  const uniform = seededUniform(seed);
  const cells = 7;
  const block = side / cells;
  const patterns = Float32Array.from({ length: classes * cells * cells }, () => uniform());
  const features = side * side;
  const x = new Float32Array(n * features);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(uniform() * classes);
    for (let r = 0; r < side; r++) {
      for (let q = 0; q < side; q++) {
        const cell = c * cells * cells + Math.floor(r / block) * cells + Math.floor(q / block);
        x[i * features + r * side + q] = 0.5 * patterns[cell]! + 0.5 * uniform();
      }
    }
    const label = uniform() < 0.1 ? Math.floor(uniform() * classes) : c;
    y[i * classes + label] = 1;
  }
  return { n, features, classes, x, y };
}

/** One Dense layer's weights: kernel [fanIn, units] row-major, bias [units]. */
export interface DenseWeights {
  readonly fanIn: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/**
 * Glorot-uniform kernels and zero biases (Keras's and tfjs-layers's Dense
 * defaults), so both contenders start from the same point.
 */
export function denseWeights(sizes: readonly number[], seed: number): DenseWeights[] {
  const uniform = seededUniform(seed);
  const layers: DenseWeights[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const units = sizes[l + 1]!;
    const limit = Math.sqrt(6 / (fanIn + units));
    const kernel = new Float32Array(fanIn * units);
    for (let k = 0; k < kernel.length; k++) kernel[k] = (uniform() * 2 - 1) * limit;
    layers.push({ fanIn, units, kernel, bias: new Float32Array(units) });
  }
  return layers;
}
