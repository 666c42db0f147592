/**
 * Turning repeated runs into the numbers the report prints: medians (robust to
 * one run disturbed by a busy neighbour on a shared machine) and ratios.
 */
import type { TrainResult } from './child.js';
import { type DispatchCounts, topKernels } from './dispatch-count.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Dispatch counts per training step, with the kernels a step dispatches most. */
export interface DispatchSummary {
  kernelsPerStep: number;
  syncReadsPerStep: number;
  asyncReadsPerStep: number;
  topKernels: Array<[string, number]>;
  /** Milliseconds per step inside the kernels that take longest (dispatch included). */
  slowestKernels: Array<[string, number]>;
  /** Milliseconds per step inside any kernel: the rest of a step is the library's own JavaScript. */
  kernelMsPerStep: number;
}

export interface ContenderSummary {
  runs: number;
  wallMs: number;
  cpuMs: number;
  msPerStep: number;
  stepsPerSec: number;
  maxRssMB: number;
  finalLoss: number;
  finalAccuracy: number;
  evalAccuracy: number;
  gflops: number;
  tensorsRetained: number;
  dispatches?: DispatchSummary;
}

type MeasuredField = 'wallMs' | 'cpuMs' | 'msPerStep' | 'stepsPerSec' | 'maxRssMB' | 'finalLoss' | 'finalAccuracy' | 'evalAccuracy' | 'gflops' | 'tensorsRetained';

/** Medians of every measured field over the runs of one contender on one workload. */
export function summarize(runs: readonly TrainResult[]): ContenderSummary {
  const m = (field: MeasuredField) => median(runs.map((r) => r[field]));
  const counted = runs.find((r) => r.dispatchesPerEpoch !== undefined);
  return {
    runs: runs.length,
    wallMs: m('wallMs'),
    cpuMs: m('cpuMs'),
    msPerStep: m('msPerStep'),
    stepsPerSec: m('stepsPerSec'),
    maxRssMB: m('maxRssMB'),
    finalLoss: m('finalLoss'),
    finalAccuracy: m('finalAccuracy'),
    evalAccuracy: m('evalAccuracy'),
    gflops: m('gflops'),
    tensorsRetained: m('tensorsRetained'),
    ...(counted?.dispatchesPerEpoch
      ? { dispatches: dispatchSummary(counted.dispatchesPerEpoch, counted.stepsPerEpoch) }
      : {}),
  };
}

export function dispatchSummary(counts: DispatchCounts, steps: number): DispatchSummary {
  return {
    kernelsPerStep: counts.kernels / steps,
    syncReadsPerStep: counts.syncReads / steps,
    asyncReadsPerStep: counts.asyncReads / steps,
    topKernels: topKernels(counts.byKernel, steps, 8),
    slowestKernels: topKernels(counts.msByKernel, steps, 5),
    kernelMsPerStep: Object.values(counts.msByKernel).reduce((sum, ms) => sum + ms, 0) / steps,
  };
}

/** How many times faster keras-like is than the baseline: baseline time / keras-like time. */
export function speedup(kerasLikeMs: number, baselineMs: number): number {
  return baselineMs / kerasLikeMs;
}
