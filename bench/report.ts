/**
 * The result of one backend's run: the JSON written to bench/results/, the
 * targets of issue 8 checked against it, and the table printed to the terminal.
 */
import type { ContenderName } from './contenders/contender.js';
import type { MachineInfo } from './machine.js';
import type { ProbeResult } from './probes.js';
import { type ContenderSummary, speedup } from './stats.js';

export interface WorkloadReport {
  id: 'W1' | 'W2';
  description: string;
  steps: number;
  /** Training matMul FLOPs of one epoch (2·m·n·k per matMul, ×3 for forward + backward). */
  flopsPerEpoch: number;
  contenders: Partial<Record<ContenderName, ContenderSummary>>;
  /** Why a contender has no numbers (e.g. its API is not there yet). */
  unavailable: Partial<Record<ContenderName, string>>;
  /** tfjs-layers's median wall time / keras-like's: above 1, keras-like is faster. */
  speedup: number | null;
  /** The same ratio on CPU time, which a busy shared machine disturbs less. */
  cpuSpeedup: number | null;
}

/** W3, bench/optimizer-step.ts, as it printed itself, with the ratios read back from its output. */
export interface OptimizerStepReport {
  output?: string;
  /** tf.train.adam time / keras-like time per workload of that bench (> 1: keras-like is faster). */
  ratios?: Array<{ workload: string; ratio: number }>;
  unavailable?: string;
}

/**
 * Reads `ratio tf.train.adam / keras-like: 1.23x` lines of bench/optimizer-step.ts's
 * output, each under its workload's title line.
 */
export function optimizerStepRatios(output: string): Array<{ workload: string; ratio: number }> {
  const ratios: Array<{ workload: string; ratio: number }> = [];
  for (const section of output.split(/\n\s*\n/)) {
    const lines = section.trim().split('\n');
    const match = /ratio tf\.train\.adam \/ keras-like:\s*([\d.]+)x/.exec(section);
    if (match && lines.length > 1) ratios.push({ workload: lines[0]!.trim(), ratio: Number(match[1]) });
  }
  return ratios;
}

export interface TargetCheck {
  target: string;
  measured: string;
  /** null when a side of the comparison is missing. */
  met: boolean | null;
}

export interface BackendReport {
  schema: 1;
  date: string;
  backend: string;
  quick: boolean;
  repeats: number;
  machine: MachineInfo;
  probe: ProbeResult | null;
  workloads: WorkloadReport[];
  optimizerStep: OptimizerStepReport | null;
  targets: TargetCheck[];
  /** Only in the default backend's report: W1 across backends, alternated run by run. */
  crossBackend?: CrossBackendReport;
}

/**
 * W1 with keras-like on its default backend and tfjs-layers on the backend where it was fastest
 * in the per-backend runs, the two alternated run by run in one block as every other ratio is:
 * comparing medians taken minutes apart would let the machine's load decide the ratio.
 */
export interface CrossBackendReport {
  oursBackend: string;
  theirsBackend: string;
  ours: ContenderSummary;
  theirs: ContenderSummary;
  /** tfjs-layers's median wall time / keras-like's. */
  speedup: number;
}

export function workloadSpeedup(w: Pick<WorkloadReport, 'contenders'>, time: 'wallMs' | 'cpuMs' = 'wallMs'): number | null {
  const ours = w.contenders['keras-like'];
  const theirs = w.contenders['tfjs-layers'];
  return ours && theirs ? speedup(ours[time], theirs[time]) : null;
}

/** Issue 8's per-backend targets, as far as this run measured them. */
export function checkTargets(
  backend: string,
  workloads: readonly WorkloadReport[],
  probe: ProbeResult | null,
  optimizerStep: OptimizerStepReport | null = null,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const w of workloads) {
    const ours = w.contenders['keras-like'];
    const theirs = w.contenders['tfjs-layers'];
    const minSpeedup = w.id === 'W1' ? 4 : backend === 'wasm' ? 1.3 : null;
    if (minSpeedup !== null) {
      checks.push({
        target: `${w.id} on ${backend}: keras-like ≥ ${minSpeedup}× faster than tfjs-layers`,
        measured: w.speedup === null ? 'not measured' : `${w.speedup.toFixed(2)}×`,
        met: w.speedup === null ? null : w.speedup >= minSpeedup,
      });
    }
    if (w.id === 'W2' && probe) {
      const share = ours ? ours.gflops / probe.matMulGflops : null;
      checks.push({
        target: `W2 on ${backend}: keras-like ≥ 50% of the backend's matMul GFLOP/s`,
        measured: share === null ? 'not measured' : `${(share * 100).toFixed(0)}% (${ours!.gflops.toFixed(2)} of ${probe.matMulGflops.toFixed(2)})`,
        met: share === null ? null : share >= 0.5,
      });
    }
    const rss = ours && theirs ? ours.maxRssMB / theirs.maxRssMB : null;
    checks.push({
      target: `${w.id} on ${backend}: peak RSS ≤ tfjs-layers's + 10%`,
      measured: rss === null ? 'not measured' : `${ours!.maxRssMB.toFixed(0)} vs ${theirs!.maxRssMB.toFixed(0)} MB (${(rss * 100).toFixed(0)}%)`,
      met: rss === null ? null : rss <= 1.1,
    });
    const points = ours && theirs ? (ours.evalAccuracy - theirs.evalAccuracy) * 100 : null;
    checks.push({
      target: `${w.id} on ${backend}: final accuracy within 2 points of tfjs-layers`,
      measured: points === null ? 'not measured' : `${signed(points)} points`,
      met: points === null ? null : Math.abs(points) <= 2,
    });
  }
  if (optimizerStep) {
    const large = optimizerStep.ratios?.find((r) => r.workload.includes('1M'));
    checks.push({
      target: `W3 on ${backend}: keras-like's Adam step over ~1M parameters ≥ 1× tf.train.adam`,
      measured: large ? `${large.ratio.toFixed(2)}×` : 'not measured',
      met: large ? large.ratio >= 1 : null,
    });
  }
  return checks;
}

/** The backend on which tfjs-layers's W1 median was fastest, from the per-backend runs. */
export function fastestTfjsLayersBackend(reports: readonly BackendReport[]): string | undefined {
  let best: { backend: string; ms: number } | undefined;
  for (const r of reports) {
    const ms = r.workloads.find((w) => w.id === 'W1')?.contenders['tfjs-layers']?.wallMs;
    if (ms !== undefined && (best === undefined || ms < best.ms)) best = { backend: r.backend, ms };
  }
  return best?.backend;
}

/**
 * The cross-backend W1 target: keras-like on its default backend against tfjs-layers on
 * whichever backend is fastest for it. From the alternated cross-backend block when the run
 * has one, or from the default backend's own W1 block when tfjs-layers was fastest there.
 */
export function crossBackendCheck(reports: readonly BackendReport[], defaultBackend: string): TargetCheck {
  const target = `W1: keras-like on its default backend (${defaultBackend}) ≥ 4× faster than tfjs-layers on its fastest backend`;
  const ours = reports.find((r) => r.backend === defaultBackend);
  const theirsBackend = fastestTfjsLayersBackend(reports);
  if (!ours || theirsBackend === undefined) return { target, measured: 'not measured', met: null };
  let ratio: number | null | undefined;
  if (ours.crossBackend?.theirsBackend === theirsBackend) ratio = ours.crossBackend.speedup;
  else if (theirsBackend === defaultBackend) ratio = ours.workloads.find((w) => w.id === 'W1')?.speedup;
  if (ratio === null || ratio === undefined) {
    return { target, measured: `not measured side by side (tfjs-layers fastest on ${theirsBackend})`, met: null };
  }
  return { target, measured: `${ratio.toFixed(2)}× (tfjs-layers fastest on ${theirsBackend})`, met: ratio >= 4 };
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
}

/** Plain-text columns, left-aligned first column, numbers right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A contender's medians as table cells: the terminal table and docs/performance.md's pick from these. */
export function summaryCells(s: ContenderSummary) {
  const d = s.dispatches;
  return {
    wall: (s.wallMs / 1000).toFixed(2),
    cpu: (s.cpuMs / 1000).toFixed(2),
    msPerStep: s.msPerStep.toFixed(3),
    stepsPerSec: s.stepsPerSec.toFixed(0),
    rss: s.maxRssMB.toFixed(0),
    loss: s.finalLoss.toFixed(4),
    fitAccuracy: s.finalAccuracy.toFixed(4),
    evalAccuracy: s.evalAccuracy.toFixed(4),
    gflops: s.gflops.toFixed(2),
    kernels: d ? d.kernelsPerStep.toFixed(1) : '-',
    reads: d ? (d.syncReadsPerStep + d.asyncReadsPerStep).toFixed(2) : '-',
    kernelMs: d ? d.kernelMsPerStep.toFixed(3) : '-',
  };
}

const CONTENDER_COLUMNS = ['contender', 'wall s', 'cpu s', 'ms/step', 'steps/s', 'peak RSS MB', 'loss', 'acc (fit)', 'acc (eval)', 'GFLOP/s', 'kernels/step', 'host reads/step'];

export function formatWorkload(w: WorkloadReport): string {
  const rows = Object.entries(w.contenders).map(([name, s]) => {
    const c = summaryCells(s);
    return [name, c.wall, c.cpu, c.msPerStep, c.stepsPerSec, c.rss, c.loss, c.fitAccuracy, c.evalAccuracy, c.gflops, c.kernels, c.reads];
  });
  const lines = [`${w.description} (${w.steps} steps)`, formatTable(CONTENDER_COLUMNS, rows)];
  for (const [name, why] of Object.entries(w.unavailable)) lines.push(`${name}: unavailable (${why})`);
  if (w.speedup !== null && w.cpuSpeedup !== null) {
    lines.push(`keras-like is ${w.speedup.toFixed(2)}× the speed of tfjs-layers (median wall time; ${w.cpuSpeedup.toFixed(2)}× on CPU time)`);
  }
  for (const [name, s] of Object.entries(w.contenders)) {
    if (s.dispatches) {
      const top = s.dispatches.topKernels.map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', ');
      const slow = s.dispatches.slowestKernels.map(([k, ms]) => `${k} ${ms.toFixed(3)}`).join(', ');
      lines.push(`  ${name} kernels per step: ${top}`);
      lines.push(`  ${name} ms per step in kernels: ${s.dispatches.kernelMsPerStep.toFixed(3)} (slowest: ${slow})`);
    }
  }
  return lines.join('\n');
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');
  return formatTable(['target', 'measured', ''], checks.map((c) => [c.target, c.measured, mark(c.met)]));
}
