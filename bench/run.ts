/**
 * `pnpm bench`: keras-like against tfjs-layers, side by side (issue 8).
 *
 * Every measurement runs in its own process (peak RSS is per contender), runs
 * alternate A B A B so a busy neighbour slows both alike, and each table shows
 * the median. Same backend, data, initial weights, net, optimizer and loss for
 * both contenders. Results go to bench/results/<date>-<backend>[-quick].json.
 *
 *   npx -y pnpm@12.4.2 bench --quick
 *   npx -y pnpm@12.4.2 bench --backends wasm --workloads W1 --repeats 5
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TrainResult } from './child.js';
import { CONTENDER_NAMES, type ContenderName } from './contenders/contender.js';
import { machineInfo, tensorflowInstalled } from './machine.js';
import type { ProbeResult } from './probes.js';
import {
  type BackendReport,
  checkTargets,
  type CrossBackendReport,
  crossBackendCheck,
  fastestTfjsLayersBackend,
  formatTargets,
  formatWorkload,
  type OptimizerStepReport,
  optimizerStepRatios,
  workloadSpeedup,
  type WorkloadReport,
} from './report.js';
import { runChild, runScript } from './spawn.js';
import { type ContenderSummary, speedup, summarize } from './stats.js';
import { describeWorkload, stepsPerEpoch, trainingFlopsPerEpoch, trainingWorkload } from './workloads.js';

const WORKLOADS = ['probe', 'W1', 'W2', 'W3'] as const;
type WorkloadId = (typeof WORKLOADS)[number];
const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;
/** keras-like's default backend when tfjs-node is absent (src/backend/choose.ts). */
const DEFAULT_BACKEND = 'wasm';
const OPTIMIZER_STEP_BENCH = fileURLToPath(new URL('./optimizer-step.ts', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const USAGE = `pnpm bench [--quick] [--backends cpu,wasm,tensorflow] [--workloads probe,W1,W2,W3]
           [--contenders keras-like,tfjs-layers] [--repeats N] [--no-save]
  --quick       W2 on 2048 samples instead of 8192 (W1 is always whole)
  --backends    default: cpu,wasm, plus tensorflow when @tensorflow/tfjs-node is installed
  --repeats     runs per contender per workload, alternating A B A B (default 3; the median is reported)
  --no-save     print only; do not write bench/results/*.json`;

interface Options {
  quick: boolean;
  backends: string[];
  workloads: WorkloadId[];
  contenders: ContenderName[];
  repeats: number;
  save: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      backends: { type: 'string' },
      workloads: { type: 'string', default: WORKLOADS.join(',') },
      contenders: { type: 'string', default: CONTENDER_NAMES.join(',') },
      repeats: { type: 'string', default: '3' },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = <T extends string>(flag: string, given: string, allowed: readonly T[]): T[] => {
    const items = given.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new Error(`--${flag} must be a comma-separated list of ${allowed.join(', ')}. Received: ${item}\n${USAGE}`);
      }
    }
    return items as T[];
  };
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer. Received: ${values.repeats}`);
  let backends: string[];
  if (values.backends === undefined) {
    backends = ['cpu', 'wasm'];
    if (tensorflowInstalled()) backends.push('tensorflow');
    else console.log('tensorflow backend: @tensorflow/tfjs-node is not installed; skipped.');
  } else {
    backends = list('backends', values.backends, BACKENDS);
    if (backends.includes('tensorflow') && !tensorflowInstalled()) {
      console.log('tensorflow backend: @tensorflow/tfjs-node is not installed; skipped.');
      backends = backends.filter((b) => b !== 'tensorflow');
    }
  }
  return {
    quick: values.quick,
    backends,
    workloads: list('workloads', values.workloads, WORKLOADS),
    contenders: list('contenders', values.contenders, CONTENDER_NAMES),
    repeats,
    save: !values['no-save'],
  };
}

async function probe(backend: string): Promise<ProbeResult | null> {
  const outcome = await runChild({ kind: 'probe' }, backend);
  if (outcome.kind !== 'probe') {
    console.error(`probe on ${backend} failed: ${outcome.kind === 'error' ? outcome.message : outcome.kind}`);
    return null;
  }
  const probed: ProbeResult = {
    matMulGflops: outcome.matMulGflops,
    transposeFlagGflops: outcome.transposeFlagGflops,
    explicitTransposeGflops: outcome.explicitTransposeGflops,
    biasGradientSumMicros: outcome.biasGradientSumMicros,
    biasGradientMatMulMicros: outcome.biasGradientMatMulMicros,
    dispatchMicros: outcome.dispatchMicros,
    opMicros: outcome.opMicros,
  };
  console.log(
    `${backend}: 1024×1024 matMul ${probed.matMulGflops.toFixed(2)} GFLOP/s; ` +
      `W2's aᵀ·δ ${probed.transposeFlagGflops.toFixed(2)} GFLOP/s with transposeA, ` +
      `${probed.explicitTransposeGflops.toFixed(2)} with transpose() first; ` +
      `bias gradient Σ_rows δ [128,256] ${probed.biasGradientSumMicros.toFixed(0)} µs with sum(δ, 0), ` +
      `${probed.biasGradientMatMulMicros.toFixed(0)} µs as ones·δ; ` +
      `one small op (add [10,8] + dispose) ${probed.dispatchMicros.toFixed(1)} µs`,
  );
  const ops = Object.entries(probed.opMicros).map(([op, us]) => `${op} ${us.toFixed(1)}`);
  console.log(`${backend}: µs per call: ${ops.join('; ')}`);
  return probed;
}

/** One contender on one backend: a column of alternated runs. */
interface Entry {
  contender: ContenderName;
  backend: string;
}

/**
 * Runs `entries` in turn, `repeats` rounds (A B A B …), each run in a fresh process.
 * Returns the results per entry (in `entries`' order) and why an entry could not run.
 */
async function alternatingRuns(
  id: 'W1' | 'W2',
  entries: readonly Entry[],
  options: Options,
): Promise<{ results: TrainResult[][]; unavailable: Array<string | undefined> }> {
  const results: TrainResult[][] = entries.map(() => []);
  const unavailable: Array<string | undefined> = entries.map(() => undefined);
  const label = (e: Entry) => (new Set(entries.map((x) => x.backend)).size > 1 ? `${e.contender} on ${e.backend}` : e.contender);
  for (let r = 0; r < options.repeats; r++) {
    for (const [i, entry] of entries.entries()) {
      if (unavailable[i] !== undefined) continue;
      // Count dispatches once, on the first run, after its timed fit.
      const outcome = await runChild(
        { kind: 'train', contender: entry.contender, workload: id, quick: options.quick, countDispatches: r === 0 },
        entry.backend,
      );
      if (outcome.kind !== 'train') {
        const message = outcome.kind === 'error' ? outcome.message : `unexpected ${outcome.kind} result`;
        console.error(`  ${label(entry)}: failed\n${message}`);
        unavailable[i] = message.split('\n')[0]!.replace(/^Error: /, '');
        continue;
      }
      console.log(`  ${label(entry)} run ${r + 1}/${options.repeats}: ${(outcome.wallMs / 1000).toFixed(2)} s`);
      results[i]!.push(outcome);
    }
  }
  return { results, unavailable };
}

async function trainingRuns(id: 'W1' | 'W2', backend: string, options: Options): Promise<WorkloadReport> {
  const workload = trainingWorkload(id, options.quick);
  console.log(`\n${describeWorkload(workload)} on ${backend}`);
  const entries = options.contenders.map((contender) => ({ contender, backend }));
  const { results, unavailable: why } = await alternatingRuns(id, entries, options);
  const contenders: WorkloadReport['contenders'] = {};
  const unavailable: WorkloadReport['unavailable'] = {};
  entries.forEach(({ contender }, i) => {
    if (results[i]!.length > 0) contenders[contender] = summarize(results[i]!);
    if (why[i] !== undefined) unavailable[contender] = why[i];
  });
  return {
    id,
    description: describeWorkload(workload),
    steps: stepsPerEpoch(workload) * workload.epochs,
    flopsPerEpoch: trainingFlopsPerEpoch(workload),
    contenders,
    unavailable,
    speedup: workloadSpeedup({ contenders }),
    cpuSpeedup: workloadSpeedup({ contenders }, 'cpuMs'),
  };
}

/**
 * The cross-backend W1 target, side by side: keras-like on its default backend alternated with
 * tfjs-layers on the backend where the per-backend runs found it fastest. Not needed (null) when
 * that backend is the default one: its own W1 block already alternates the two.
 */
async function crossBackendRuns(reports: readonly BackendReport[], options: Options): Promise<CrossBackendReport | null> {
  const theirsBackend = fastestTfjsLayersBackend(reports);
  if (theirsBackend === undefined || theirsBackend === DEFAULT_BACKEND || !reports.some((r) => r.backend === DEFAULT_BACKEND)) return null;
  console.log(`\nW1 across backends: keras-like on ${DEFAULT_BACKEND} against tfjs-layers on ${theirsBackend}, alternated`);
  const entries: Entry[] = [
    { contender: 'keras-like', backend: DEFAULT_BACKEND },
    { contender: 'tfjs-layers', backend: theirsBackend },
  ];
  const { results } = await alternatingRuns('W1', entries, options);
  if (results.some((runs) => runs.length === 0)) return null;
  const [ours, theirs] = results.map(summarize) as [ContenderSummary, ContenderSummary];
  return { oursBackend: DEFAULT_BACKEND, theirsBackend, ours, theirs, speedup: speedup(ours.wallMs, theirs.wallMs) };
}

/** W3 is its own script, bench/optimizer-step.ts (alternating blocks in one process); its output is kept. */
async function optimizerStep(backend: string, quick: boolean): Promise<OptimizerStepReport> {
  if (!existsSync(OPTIMIZER_STEP_BENCH)) return { unavailable: 'bench/optimizer-step.ts is not there yet' };
  try {
    const output = (await runScript(OPTIMIZER_STEP_BENCH, quick ? ['--quick'] : [], backend)).trim();
    console.log(`\n${output}`);
    return { output, ratios: optimizerStepRatios(output) };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

/** Writes bench/results/<date>-<backend>[-quick].json (again, when the cross-backend block adds to it). */
function save(report: BackendReport): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${report.date}-${report.backend}${report.quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = machineInfo();
  const date = new Date().toISOString().slice(0, 10);
  console.log(
    `keras-like vs tfjs-layers — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ` +
      `tfjs ${machine.tfjsCore}, commit ${machine.commit}${machine.dirty ? ' (uncommitted changes)' : ''}, ` +
      `load average ${machine.loadAverage}${options.quick ? ', --quick' : ''}`,
  );
  const reports: BackendReport[] = [];
  for (const backend of options.backends) {
    console.log(`\n=== backend ${backend} ===`);
    const probed = options.workloads.includes('probe') ? await probe(backend) : null;
    const workloads: WorkloadReport[] = [];
    for (const id of ['W1', 'W2'] as const) {
      if (options.workloads.includes(id)) workloads.push(await trainingRuns(id, backend, options));
    }
    const optimizer = options.workloads.includes('W3') ? await optimizerStep(backend, options.quick) : null;
    const report: BackendReport = {
      schema: 1,
      date,
      backend,
      quick: options.quick,
      repeats: options.repeats,
      machine,
      probe: probed,
      workloads,
      optimizerStep: optimizer,
      targets: checkTargets(backend, workloads, probed, optimizer),
    };
    reports.push(report);
    console.log(`\n--- ${backend}: results (median of ${options.repeats}) ---`);
    for (const w of workloads) console.log(`\n${formatWorkload(w)}`);
    console.log(`\n${formatTargets(report.targets)}`);
    if (options.save) save(report);
  }
  if (options.workloads.includes('W1') && options.contenders.length === CONTENDER_NAMES.length && reports.length > 1) {
    const cross = await crossBackendRuns(reports, options);
    const ours = reports.find((r) => r.backend === DEFAULT_BACKEND);
    if (cross && ours) {
      ours.crossBackend = cross;
      if (options.save) save(ours);
    }
    console.log(`\n${formatTargets([crossBackendCheck(reports, DEFAULT_BACKEND)])}`);
  }
}

await main();
