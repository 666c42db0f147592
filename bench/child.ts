/**
 * One measurement in a fresh process, so that peak RSS belongs to one contender
 * and no JIT or allocator state carries over between contenders. The parent
 * (bench/run.ts) forks this file with KERAS_LIKE_BACKEND set and a job as JSON in
 * argv[2]; the result goes back over the IPC channel.
 */
import { tf } from 'keras-like';
import { type ContenderName, type Contender, type CompiledModel } from './contenders/contender.js';
import { kerasLikeContender } from './contenders/keras-like.js';
import { tfjsLayers } from './contenders/tfjs-layers.js';
import { countDispatches, type DispatchCounts } from './dispatch-count.js';
import { runProbes, type ProbeResult } from './probes.js';
import { stepsPerEpoch, trainingFlopsPerEpoch, trainingWorkload, workloadData, workloadWeights } from './workloads.js';
import type { Dataset } from './data.js';

export type ChildJob =
  | { kind: 'train'; contender: ContenderName; workload: 'W1' | 'W2'; quick: boolean; countDispatches: boolean }
  | { kind: 'probe' };

export interface TrainResult {
  kind: 'train';
  contender: ContenderName;
  workload: 'W1' | 'W2';
  backend: string;
  wallMs: number;
  /**
   * CPU time (user + system) of the process during `fit`. cpu and wasm kernels run on
   * the calling thread, so on a quiet machine this is close to the wall time; on a
   * busy one it leaves out the time spent waiting for a core.
   */
  cpuMs: number;
  steps: number;
  msPerStep: number;
  stepsPerSec: number;
  /** Peak resident set of the whole process (data, library, backend), MB. */
  maxRssMB: number;
  /** Last epoch's loss and accuracy as the library's `fit` reported them. */
  finalLoss: number;
  finalAccuracy: number;
  /** Accuracy of `predict` on the training data, computed by the harness for both contenders alike. */
  evalAccuracy: number;
  /** Training matMul FLOPs / wall time (see trainingFlopsPerEpoch). */
  gflops: number;
  /** `tf.memory().numTensors` after `fit` minus before: tensors the library still holds. */
  tensorsRetained: number;
  /** Dispatches and host reads over one extra epoch after the timed run (`stepsPerEpoch` steps). */
  dispatchesPerEpoch?: DispatchCounts;
  stepsPerEpoch: number;
}

export interface ProbeOutcome extends ProbeResult {
  kind: 'probe';
  backend: string;
}

export type ChildOutcome = TrainResult | ProbeOutcome | { kind: 'error'; message: string };

const CONTENDERS: Record<ContenderName, Contender> = { 'keras-like': kerasLikeContender, 'tfjs-layers': tfjsLayers };

async function train(job: Extract<ChildJob, { kind: 'train' }>): Promise<TrainResult> {
  const workload = trainingWorkload(job.workload, job.quick);
  const data = workloadData(workload);
  const x = tf.tensor2d(data.x, [data.n, data.features]);
  const y = tf.tensor2d(data.y, [data.n, data.classes]);
  const model = CONTENDERS[job.contender].build(tf, workload, workloadWeights(workload));

  const tensorsBefore = tf.memory().numTensors;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const history = await model.fit(x, y, workload.epochs);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const tensorsRetained = tf.memory().numTensors - tensorsBefore;

  const steps = stepsPerEpoch(workload) * workload.epochs;
  const result: TrainResult = {
    kind: 'train',
    contender: job.contender,
    workload: job.workload,
    backend: tf.getBackend(),
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    steps,
    msPerStep: wallMs / steps,
    stepsPerSec: (steps * 1000) / wallMs,
    maxRssMB,
    finalLoss: history.loss.at(-1) ?? Number.NaN,
    finalAccuracy: history.accuracy.at(-1) ?? Number.NaN,
    evalAccuracy: accuracyOf(model, x, data),
    gflops: (trainingFlopsPerEpoch(workload) * workload.epochs) / (wallMs / 1000) / 1e9,
    tensorsRetained,
    stepsPerEpoch: stepsPerEpoch(workload),
  };
  if (job.countDispatches) {
    result.dispatchesPerEpoch = await countDispatches(tf, () => model.fit(x, y, 1));
  }
  model.dispose();
  tf.dispose([x, y]);
  return result;
}

/** Fraction of samples whose predicted class (p > 0.5, or the argmax) is the target's. */
function accuracyOf(model: CompiledModel, x: tf.Tensor, data: Dataset): number {
  const predicted = model.predict(x);
  const p = predicted.dataSync();
  predicted.dispose();
  let correct = 0;
  for (let i = 0; i < data.n; i++) {
    if (data.classes === 1) {
      if ((p[i]! > 0.5 ? 1 : 0) === data.y[i]) correct++;
    } else if (data.y[i * data.classes + argmax(p, i * data.classes, data.classes)] === 1) {
      correct++;
    }
  }
  return correct / data.n;
}

function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let c = 1; c < length; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
  let outcome: ChildOutcome;
  try {
    // keras-like started the backend named by KERAS_LIKE_BACKEND; tfjs-layers runs on the same engine.
    const requested = process.env.KERAS_LIKE_BACKEND;
    if (requested && tf.getBackend() !== requested) await tf.setBackend(requested);
    if (requested && tf.getBackend() !== requested) throw new Error(`backend ${requested} did not start`);
    outcome = job.kind === 'probe' ? { kind: 'probe', backend: tf.getBackend(), ...runProbes(tf) } : await train(job);
  } catch (error) {
    outcome = { kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send?.(outcome, () => process.exit(0));
}

await main();
