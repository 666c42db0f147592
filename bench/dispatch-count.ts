/**
 * Counts what a training step costs in dispatches: every op that reaches a
 * kernel goes through the engine's `runKernel` (gradients too, since a gradient
 * is made of ops), and every host read goes through `readSync` (dataSync,
 * arraySync) or `read` (data, array). Wrapping those three engine methods on the
 * instance counts both contenders the same way, whatever code issued the op.
 */
import type { tf as tfc } from 'keras-like';

export interface DispatchCounts {
  kernels: number;
  /** Host reads that block until the backend has the value: `dataSync`, `arraySync`. */
  syncReads: number;
  /** Host reads through a promise: `data`, `array`. */
  asyncReads: number;
  /** Kernel name → dispatches, e.g. `{ _FusedMatMul: 6, Multiply: 40 }`. */
  byKernel: Record<string, number>;
  /**
   * Kernel name → milliseconds spent inside `runKernel` (dispatch + compute;
   * cpu and wasm kernels run synchronously, so this is where the time goes).
   */
  msByKernel: Record<string, number>;
}

/** A kernel's name and its inputs' shapes, e.g. `BatchMatMul [32,64] [64,64]` (with `tA`/`tB` for a transposed operand). */
export function kernelWithShapes(kernelName: string, inputs: object, attrs: unknown): string {
  const shapes = Object.values(inputs).map((t: { shape?: number[] } | undefined) => (t?.shape === undefined ? '' : `[${t.shape.join(',')}]`));
  const flags = attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
  return [kernelName, ...shapes, flags?.transposeA ? 'tA' : '', flags?.transposeB ? 'tB' : ''].filter((part) => part !== '').join(' ');
}

/**
 * Runs `body` with the engine instrumented and returns what it dispatched. `keyOf` names the
 * rows of `byKernel` / `msByKernel` (default: the kernel's name; `kernelWithShapes` splits them by shape).
 */
export async function countDispatches(
  tf: typeof tfc,
  body: () => unknown,
  keyOf: (kernelName: string, inputs: object, attrs: unknown) => string = (kernelName) => kernelName,
): Promise<DispatchCounts> {
  const engine = tf.engine();
  const counts: DispatchCounts = { kernels: 0, syncReads: 0, asyncReads: 0, byKernel: {}, msByKernel: {} };
  const original = { runKernel: engine.runKernel, readSync: engine.readSync, read: engine.read };
  const runKernel = original.runKernel.bind(engine);
  const readSync = original.readSync.bind(engine);
  const read = original.read.bind(engine);
  engine.runKernel = ((kernelName, inputs, attrs) => {
    counts.kernels++;
    const key = keyOf(kernelName, inputs, attrs);
    counts.byKernel[key] = (counts.byKernel[key] ?? 0) + 1;
    const start = performance.now();
    try {
      return runKernel(kernelName, inputs, attrs);
    } finally {
      counts.msByKernel[key] = (counts.msByKernel[key] ?? 0) + performance.now() - start;
    }
  }) as typeof engine.runKernel;
  engine.readSync = (dataId) => {
    counts.syncReads++;
    return readSync(dataId);
  };
  engine.read = (dataId) => {
    counts.asyncReads++;
    return read(dataId);
  };
  try {
    await body();
  } finally {
    Object.assign(engine, original);
  }
  return counts;
}

/** The `n` largest entries of a per-kernel table, divided by `steps`, largest first. */
export function topKernels(table: Record<string, number>, steps: number, n: number): Array<[string, number]> {
  return Object.entries(table)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => [name, count / steps]);
}
