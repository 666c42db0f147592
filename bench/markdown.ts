/**
 * Renders bench/results/*.json as the markdown tables of docs/performance.md,
 * so the doc quotes the files rather than numbers copied by hand:
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/markdown.ts bench/results/2026-11-27-cpu.json bench/results/2026-11-27-wasm.json
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BackendReport, crossBackendCheck, summaryCells, type TargetCheck } from './report.js';
import type { ContenderSummary } from './stats.js';

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

const blank = (n: number) => new Array<string>(n).fill('');

function summaryRow(workload: string, backend: string, contender: string, s: ContenderSummary): string[] {
  const c = summaryCells(s);
  return [workload, backend, contender, c.wall, c.cpu, c.msPerStep, c.stepsPerSec, c.rss, c.loss, c.evalAccuracy, c.gflops, c.kernels, c.reads, c.kernelMs];
}

const verdict = (c: TargetCheck) => (c.met === null ? 'not measured' : c.met ? 'met' : '**missed**');

export function resultsMarkdown(reports: readonly BackendReport[], defaultBackend = 'wasm'): string {
  const out: string[] = [];
  const first = reports[0];
  if (first) {
    const m = first.machine;
    out.push(
      `Measured ${first.date} on ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGB} GB, ${m.platform}, Node ${m.node}, ` +
        `tfjs-core ${m.tfjsCore}, tfjs-layers ${m.tfjsLayers}, commit \`${m.commit}\`${m.dirty ? ' (with uncommitted changes)' : ''}, ` +
        `load average ${m.loadAverage} at the start; median of ${first.repeats} alternating runs${first.quick ? ', `--quick`' : ''}.`,
    );
  }
  out.push('', '#### Probes', '');
  out.push(
    table(
      [
        'backend',
        '1024² matMul GFLOP/s',
        'aᵀ·δ with `transposeA` GFLOP/s',
        'aᵀ·δ with `transpose()` first GFLOP/s',
        'Σ_rows δ by `sum(δ, 0)` µs',
        'Σ_rows δ by `ones·δ` µs',
        'one small op µs',
      ],
      reports.map((r) => {
        const p = r.probe;
        // Result files written before a probe existed lack its field.
        const fixed = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits));
        return p
          ? [
              r.backend,
              fixed(p.matMulGflops, 2),
              fixed(p.transposeFlagGflops, 2),
              fixed(p.explicitTransposeGflops, 2),
              fixed(p.biasGradientSumMicros, 0),
              fixed(p.biasGradientMatMulMicros, 0),
              fixed(p.dispatchMicros, 1),
            ]
          : [r.backend, '-', '-', '-', '-', '-', '-'];
      }),
    ),
  );
  out.push('', '#### Training', '');
  const rows: string[][] = [];
  for (const r of reports) {
    for (const w of r.workloads) {
      for (const [name, s] of Object.entries(w.contenders)) rows.push(summaryRow(w.id, r.backend, name, s));
      for (const [name, why] of Object.entries(w.unavailable)) rows.push([w.id, r.backend, name, `not measured: ${why}`, ...blank(10)]);
      if (w.speedup !== null && w.cpuSpeedup !== null) {
        rows.push([w.id, r.backend, '**ratio**', `**${w.speedup.toFixed(2)}×**`, `**${w.cpuSpeedup.toFixed(2)}×**`, ...blank(9)]);
      }
    }
  }
  for (const r of reports) {
    const cross = r.crossBackend;
    if (!cross) continue;
    const across = `${cross.oursBackend} / ${cross.theirsBackend}`;
    rows.push(summaryRow('W1', cross.oursBackend, 'keras-like', cross.ours));
    rows.push(summaryRow('W1', cross.theirsBackend, 'tfjs-layers', cross.theirs));
    const cpuRatio = cross.theirs.cpuMs / cross.ours.cpuMs;
    rows.push(['W1', across, '**ratio across backends**', `**${cross.speedup.toFixed(2)}×**`, `**${cpuRatio.toFixed(2)}×**`, ...blank(9)]);
  }
  out.push(
    table(
      ['', 'backend', 'contender', 'wall s', 'cpu s', 'ms/step', 'steps/s', 'peak RSS MB', 'final loss', 'accuracy', 'GFLOP/s', 'kernels/step', 'host reads/step', 'ms/step in kernels'],
      rows,
    ),
  );
  out.push('', '#### Targets', '');
  const checks = reports.flatMap((r) => r.targets);
  if (reports.length > 1) checks.push(crossBackendCheck(reports, defaultBackend));
  out.push(table(['target (issue 8)', 'measured', ''], checks.map((c) => [c.target, c.measured, verdict(c)])));
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reports = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')) as BackendReport);
  console.log(resultsMarkdown(reports));
}
