/**
 * Two numbers that explain the training results: how fast the backend's matMul
 * is (the ceiling for W2), and what one small op costs (the floor for W1, whose
 * tensors are so small that a step is mostly dispatch).
 */
import type { tf as tfc } from 'keras-like';

export interface ProbeResult {
  /** 1024×1024 · 1024×1024 float32 matMul, 2·n³ FLOPs per product. */
  matMulGflops: number;
  /** `tf.add` of two [10, 8] tensors plus the dispose of its result, in µs. */
  dispatchMicros: number;
}

/** Keeps multiplying until `minMs` has passed (at least one product after a small warm-up). */
export function matMulGflops(tf: typeof tfc, n = 1024, minMs = 1000): number {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  // Warm the kernel (wasm compiles lazily; cpu allocates) without paying a full product on cpu.
  tf.tidy(() => tf.matMul(tf.slice(a, [0, 0], [64, 64]), tf.slice(b, [0, 0], [64, 64])).dataSync());
  let products = 0;
  const start = performance.now();
  let elapsed = 0;
  while (products === 0 || elapsed < minMs) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    products++;
    elapsed = performance.now() - start;
  }
  a.dispose();
  b.dispose();
  return (2 * n ** 3 * products) / (elapsed / 1000) / 1e9;
}

/** Median µs over `rounds` of `opsPerRound` small adds, so one slow round (GC, a busy neighbour) does not count. */
export function dispatchMicros(tf: typeof tfc, opsPerRound = 2000, rounds = 5): number {
  const a = tf.ones([10, 8]);
  const b = tf.ones([10, 8]);
  for (let i = 0; i < 200; i++) tf.add(a, b).dispose();
  const perOp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < opsPerRound; i++) tf.add(a, b).dispose();
    perOp.push(((performance.now() - start) * 1000) / opsPerRound);
  }
  a.dispose();
  b.dispose();
  perOp.sort((x, y) => x - y);
  return perOp[Math.floor(perOp.length / 2)]!;
}

export function runProbes(tf: typeof tfc): ProbeResult {
  return { matMulGflops: matMulGflops(tf), dispatchMicros: dispatchMicros(tf) };
}
