/**
 * Numbers that explain the training results: how fast the backend's matMul is
 * (the ceiling for W2), how fast it is in the transposed forms a backward pass
 * uses, and what one small op costs (the floor for W1, whose tensors are so
 * small that a step is mostly dispatch).
 */
import type { tf as tfc } from 'keras-like';

export interface ProbeResult {
  /** 1024×1024 · 1024×1024 float32 matMul, 2·n³ FLOPs per product. */
  matMulGflops: number;
  /**
   * W2's first-layer weight gradient aᵀ·δ (a [128, 784], δ [128, 256]) two ways:
   * with matMul's `transposeA` flag, and as `matMul(transpose(a), δ)`.
   */
  transposeFlagGflops: number;
  explicitTransposeGflops: number;
  /**
   * W2's bias gradient Σ_rows δ (δ [128, 256]) two ways, in µs: `tf.sum(δ, 0)`, and
   * `matMul(ones [1, 128], δ)`, which reduces along the fast axis of the matMul kernel.
   */
  biasGradientSumMicros: number;
  biasGradientMatMulMicros: number;
  /** `tf.add` of two [10, 8] tensors plus the dispose of its result, in µs. */
  dispatchMicros: number;
  /** µs per call of the operations a W1 step is made of, at W1's sizes (see opMicros). */
  opMicros: Record<string, number>;
}

/** Repeats `product` until `minMs` has passed (at least once, after an optional warm-up) and returns GFLOP/s. */
function gflops(flops: number, product: () => tfc.Tensor, minMs: number, warmUp = true): number {
  if (warmUp) {
    const warm = product();
    warm.dataSync();
    warm.dispose();
  }
  let products = 0;
  const start = performance.now();
  let elapsed = 0;
  while (products === 0 || elapsed < minMs) {
    const c = product();
    c.dataSync();
    c.dispose();
    products++;
    elapsed = performance.now() - start;
  }
  return (flops * products) / (elapsed / 1000) / 1e9;
}

export function matMulGflops(tf: typeof tfc, n = 1024, minMs = 1000): number {
  // On cpu one 1024³ product takes seconds: warm the kernel on a small one instead.
  const small = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])));
  small.dataSync();
  small.dispose();
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const result = gflops(2 * n ** 3, () => tf.matMul(a, b), minMs, false);
  tf.dispose([a, b]);
  return result;
}

/** Median µs per call of `op` over `rounds` rounds, so one slow round (GC, a busy neighbour) does not count. */
function microsPerCall(op: () => void, callsPerRound = 1000, rounds = 5): number {
  for (let i = 0; i < 100; i++) op();
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < callsPerRound; i++) op();
    perCall.push(((performance.now() - start) * 1000) / callsPerRound);
  }
  perCall.sort((x, y) => x - y);
  return perCall[Math.floor(perCall.length / 2)]!;
}

export function transposedMatMulGflops(tf: typeof tfc, minMs = 300): { flag: number; explicit: number } {
  const a = tf.randomUniform([128, 784], 0, 1, 'float32', 3);
  const delta = tf.randomUniform([128, 256], -1, 1, 'float32', 4);
  const flops = 2 * 128 * 784 * 256;
  const flag = gflops(flops, () => tf.matMul(a, delta, true, false), minMs);
  const explicit = gflops(flops, () => tf.tidy(() => tf.matMul(tf.transpose(a), delta)), minMs);
  tf.dispose([a, delta]);
  return { flag, explicit };
}

export function biasGradientMicros(tf: typeof tfc): { sum: number; matMul: number } {
  const delta = tf.randomUniform([128, 256], -1, 1, 'float32', 5);
  const ones = tf.ones([1, 128]);
  const sum = microsPerCall(() => tf.sum(delta, 0).dispose(), 50);
  const matMul = microsPerCall(() => tf.matMul(ones, delta).dispose(), 50);
  tf.dispose([delta, ones]);
  return { sum, matMul };
}

export function dispatchMicros(tf: typeof tfc): number {
  const a = tf.ones([10, 8]);
  const b = tf.ones([10, 8]);
  const micros = microsPerCall(() => tf.add(a, b).dispose(), 2000);
  tf.dispose([a, b]);
  return micros;
}

/**
 * What the pieces of a W1 step cost, each including the dispose of its result:
 * the numbers to multiply by a step's op counts.
 */
export function opMicros(tf: typeof tfc): Record<string, number> {
  const x = tf.ones([10, 8]);
  const w = tf.ones([8, 12]);
  const bias = tf.zeros([12]);
  const v = tf.variable(tf.zeros([8, 12]));
  const scalar = tf.scalar(1);
  const micros = {
    'add [10,8]': microsPerCall(() => tf.add(x, x).dispose()),
    'mul by scalar [10,8]': microsPerCall(() => tf.mul(x, scalar).dispose()),
    'matMul [10,8]·[8,12]': microsPerCall(() => tf.matMul(x, w).dispose()),
    'fused matMul + bias + relu': microsPerCall(() => tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' }).dispose()),
    'matMul with transposeA [10,8]ᵀ·[10,8]': microsPerCall(() => tf.matMul(x, x, true, false).dispose()),
    'reshape': microsPerCall(() => tf.reshape(x, [80]).dispose()),
    'tidy around one add': microsPerCall(() => tf.tidy(() => tf.add(x, x)).dispose()),
    'variable.assign': microsPerCall(() => v.assign(w)),
    'dataSync of a scalar': microsPerCall(() => scalar.dataSync()),
  };
  tf.dispose([x, w, bias, v, scalar]);
  return micros;
}

export function runProbes(tf: typeof tfc): ProbeResult {
  const transposed = transposedMatMulGflops(tf);
  const biasGradient = biasGradientMicros(tf);
  return {
    matMulGflops: matMulGflops(tf),
    transposeFlagGflops: transposed.flag,
    explicitTransposeGflops: transposed.explicit,
    biasGradientSumMicros: biasGradient.sum,
    biasGradientMatMulMicros: biasGradient.matMul,
    dispatchMicros: dispatchMicros(tf),
    opMicros: opMicros(tf),
  };
}
