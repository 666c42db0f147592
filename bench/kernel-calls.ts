/**
 * Kernel calls timed inside training, then the same calls timed alone (bench/cnn.ts's conv share).
 *
 * `recordKernelCalls` wraps the engine's `runKernel` while `body` runs and keeps, for each call of
 * a kernel in `names`, its input shapes, attributes, output size and the milliseconds it took (cpu
 * and wasm kernels run synchronously inside `runKernel`, so that is the kernel's time, its dispatch
 * included). `timeAlone` then runs one such call by itself, in the same process, on **fresh input
 * tensors every time**: training's operands are new tensors at every step (Adam's update of the
 * kernel, δ as the backprop-filter's "kernel"), and tfjs-backend-wasm's XNNPACK keeps a packed
 * filter for as long as the filter tensor lives, so a probe that reuses one filter times a kernel
 * training never gets.
 */
import type { tf as tfc } from 'keras-like';
import { median } from './stats.js';

type Tf = typeof tfc;

export interface KernelCall {
  kernel: string;
  /** Input name → shape and dtype, as the kernel received them (absent optional inputs left out). */
  inputs: Record<string, { shape: number[]; dtype: tfc.DataType }>;
  attrs: Record<string, unknown>;
  /** Elements of the (first) output: which convolution of the step this call computed. */
  outputSize: number;
  /** Milliseconds of each time this exact call (same kernel, shapes, attributes) ran. */
  ms: number[];
}

/** Runs `body` with `runKernel` instrumented; returns the calls of the kernels in `names`, one entry per distinct call. */
export async function recordKernelCalls(tf: Tf, names: ReadonlySet<string>, body: () => Promise<unknown>): Promise<KernelCall[]> {
  const engine = tf.engine();
  const original = engine.runKernel;
  const runKernel = original.bind(engine);
  const calls = new Map<string, KernelCall>();
  engine.runKernel = ((kernelName, inputs, attrs) => {
    if (!names.has(kernelName)) return runKernel(kernelName, inputs, attrs);
    const start = performance.now();
    const out = runKernel(kernelName, inputs, attrs);
    const ms = performance.now() - start;
    const described = Object.fromEntries(Object.entries(inputs).flatMap(([k, t]) => (t === undefined ? [] : [[k, { shape: [...t.shape], dtype: t.dtype }]])));
    const key = JSON.stringify([kernelName, described, attrs]);
    const first = Array.isArray(out) ? out[0]! : out;
    const call = calls.get(key) ?? { kernel: kernelName, inputs: described, attrs: { ...attrs }, outputSize: first.size, ms: [] };
    call.ms.push(ms);
    calls.set(key, call);
    return out;
  }) as typeof engine.runKernel;
  try {
    await body();
  } finally {
    engine.runKernel = original;
  }
  return [...calls.values()];
}

/**
 * Median milliseconds of `call` run alone, after one warm-up, each run on freshly made inputs
 * (made and freed outside the timed part): at least 3 runs and `minMs` of kernel time (the load of
 * a shared machine moves single calls by 2×), and up to 7 runs while they take less than 3 s (cpu's
 * convolutions take seconds each).
 */
export function timeAlone(tf: Tf, call: KernelCall, minMs = 1000): number {
  const engine = tf.engine();
  const once = (): number => {
    const inputs = Object.fromEntries(
      Object.entries(call.inputs).map(([k, { shape, dtype }]) => [k, dtype === 'float32' ? tf.randomUniform(shape, -1, 1) : tf.zeros(shape, dtype)]),
    );
    const start = performance.now();
    const out = engine.runKernel(call.kernel, inputs, call.attrs as tfc.NamedAttrMap);
    const ms = performance.now() - start;
    tf.dispose(out as tfc.Tensor | tfc.Tensor[]);
    tf.dispose(Object.values(inputs));
    return ms;
  };
  once();
  const times: number[] = [];
  let total = 0;
  while (times.length < 3 || total < minMs || (times.length < 7 && total < 3000)) {
    const ms = once();
    times.push(ms);
    total += ms;
  }
  return median(times);
}
