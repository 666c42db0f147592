/**
 * W5 and W6 (issue 16): keras-like against tfjs-layers from the same data and initial weights,
 * each run in a fresh process (peak RSS per contender), alternated A B A B:
 *
 *   W5: LSTM(64) on 50 steps × 8 features → Dense 1, batch 32, 2048 samples, Adam, mse
 *   W6: Embedding(10000, 16) → GlobalAveragePooling1D → Dense 16 relu → Dense 1 sigmoid on
 *       2048 sequences of 200 tokens, batch 32, Adam, binary_crossentropy + accuracy
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/recurrent.ts [--workload W5|W6] [--backend wasm|cpu]
 *       [--samples 2048] [--epochs 2] [--repeats 2] [--save] [--tag name] [--layer lstm|gru|simple_rnn]
 *       [--contenders keras-like,tfjs-layers]
 *
 * `--layer` runs W5's shape with another recurrent layer of 64 units: `gru` is GRU with
 * reset_after=False on both sides (tfjs-layers's GRU computes only that form; Keras 3's default
 * is reset_after=True), `simple_rnn` SimpleRNN. Every recurrent layer gets sigmoid gates on both sides.
 *
 * Each process trains `epochs` epochs, one `fit` call each, and reports every epoch's wall time
 * and CPU time (user + system of the process); the speed ratio divides the medians over all runs
 * of the epochs after the first (the first epoch includes V8's warm-up, shown apart). The CPU
 * time ratio is printed beside it: on a machine shared with other work, wall time also counts
 * the time a contender waited for a core, CPU time only the time it ran (both backends compute
 * on one thread; V8's garbage-collector threads count too, for both contenders). tfjs-layers cannot train an Embedding on wasm (the
 * gradient of its gather is UnsortedSegmentSum, a kernel tfjs-backend-wasm 4.22 lacks), so for W6
 * on wasm it runs on cpu, as bench/cnn.ts does for W4. `--save` writes
 * bench/results/<date>-<workload>-<backend>[-<tag>].json with the commit and the load averages.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededUniform } from './data.js';
import { median } from './stats.js';
import { DATA_SEED, WEIGHTS_SEED } from './workloads.js';

const BATCH = 32;
const W5 = { steps: 50, features: 8, units: 64 };
const W6 = { vocabulary: 10000, length: 200, dim: 16, hidden: 16 };

interface RunResult {
  contender: string;
  backend: string;
  epochMs: number[];
  /** CPU time (user + system) of each epoch, ms. */
  epochCpuMs: number[];
  maxRssMB: number;
  losses: number[];
  /** W6: accuracy of predict on the training data (p > 0.5), computed here for both alike. */
  accuracy: number | null;
  tensorsRetained: number;
}

type Workload = 'W5' | 'W6';
type RecurrentLayer = 'lstm' | 'gru' | 'simple_rnn';
/** Gates side by side in the kernels' columns. */
const GATES: Record<RecurrentLayer, number> = { lstm: 4, gru: 3, simple_rnn: 1 };

interface Data {
  x: Float32Array | Int32Array;
  xShape: number[];
  y: Float32Array;
}

/** W5: uniform sequences; the target needs memory: the mean of the first feature over the sequence. */
function w5Data(n: number): Data {
  const uniform = seededUniform(DATA_SEED);
  const x = Float32Array.from({ length: n * W5.steps * W5.features }, () => uniform());
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < W5.steps; t++) sum += x[(i * W5.steps + t) * W5.features]!;
    y[i] = sum / W5.steps;
  }
  return { x, xShape: [n, W5.steps, W5.features], y };
}

/** W6: uniform tokens; label 1 when tokens from the first 300 of the vocabulary are more frequent than average (a bag-of-words rule). */
function w6Data(n: number): Data {
  const uniform = seededUniform(DATA_SEED);
  const x = new Int32Array(n * W6.length);
  const counts = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < W6.length; t++) {
      // Half the sequences lean towards the first 300 tokens.
      const lean = i % 2 === 0 && uniform() < 0.05;
      const token = lean ? Math.floor(uniform() * 300) : Math.floor(uniform() * W6.vocabulary);
      x[i * W6.length + t] = token;
      if (token < 300) counts[i]!++;
    }
  }
  const y = Float32Array.from(counts, (c) => (c > (W6.length * 300) / W6.vocabulary + 4 ? 1 : 0));
  return { x, xShape: [n, W6.length], y };
}

/** The same initial weights for both contenders, in Keras's layouts and order. */
function initialWeights(workload: Workload, layer: RecurrentLayer): Array<{ shape: number[]; values: Float32Array }> {
  const uniform = seededUniform(WEIGHTS_SEED);
  const filled = (shape: number[], scale: number) => ({
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (uniform() * 2 - 1) * scale),
  });
  const glorot = (fanIn: number, fanOut: number) => filled([fanIn, fanOut], Math.sqrt(6 / (fanIn + fanOut)));
  if (workload === 'W5') {
    const { features: f, units: u } = W5;
    const g = GATES[layer];
    return [filled([f, g * u], 0.2), filled([u, g * u], 0.1), filled([g * u], 0), glorot(u, 1), filled([1], 0)];
  }
  const { vocabulary, dim, hidden } = W6;
  return [filled([vocabulary, dim], 0.05), glorot(dim, hidden), filled([hidden], 0), glorot(hidden, 1), filled([1], 0)];
}

async function child(workload: Workload, contender: string, backend: string, samples: number, epochs: number, layer: RecurrentLayer): Promise<RunResult> {
  const kl = await import('keras-like');
  const { tf } = kl;
  await tf.setBackend(backend);
  const data = workload === 'W5' ? w5Data(samples) : w6Data(samples);
  const x = data.x instanceof Int32Array ? tf.tensor(data.x, data.xShape, 'int32') : tf.tensor(data.x, data.xShape);
  const y = tf.tensor2d(data.y, [samples, 1]);
  const weights = initialWeights(workload, layer).map((w) => tf.tensor(w.values, w.shape));
  let fitEpoch: () => Promise<number>;
  let predict: () => import('keras-like').tf.Tensor;
  if (contender === 'keras-like') {
    const { Sequential, LSTM, GRU, SimpleRNN, Dense, Embedding, GlobalAveragePooling1D, optimizers } = kl;
    const shape = { input_shape: [W5.steps, W5.features] };
    const recurrent = () =>
      layer === 'lstm' ? LSTM(W5.units, shape) : layer === 'gru' ? GRU(W5.units, { ...shape, reset_after: false }) : SimpleRNN(W5.units, shape);
    const model =
      workload === 'W5'
        ? Sequential([recurrent(), Dense(1)])
        : Sequential([
            Embedding(W6.vocabulary, W6.dim, { input_shape: [W6.length] }),
            GlobalAveragePooling1D(),
            Dense(W6.hidden, { activation: 'relu' }),
            Dense(1, { activation: 'sigmoid' }),
          ]);
    model.compile({ optimizer: optimizers.Adam({ learning_rate: 0.001 }), loss: workload === 'W5' ? 'mse' : 'binary_crossentropy', metrics: workload === 'W5' ? [] : ['accuracy'] });
    model.set_weights(weights);
    fitEpoch = async () => model.fit(x, y, { batch_size: BATCH, epochs: 1, verbose: 0 }).history.loss![0]!;
    predict = () => model.predict(x, { verbose: 0 });
  } else {
    const tfl = await import('@tensorflow/tfjs-layers');
    // tfjs-layers's Embedding gradient needs UnsortedSegmentSum, which wasm lacks: cpu is its best backend here.
    if (workload === 'W6' && backend === 'wasm') await tf.setBackend('cpu');
    const model =
      workload === 'W5'
        ? tfl.sequential({ layers: [tfjsRecurrent(tfl, layer), tfl.layers.dense({ units: 1 })] })
        : tfl.sequential({
            layers: [
              tfl.layers.embedding({ inputDim: W6.vocabulary, outputDim: W6.dim, inputLength: W6.length }),
              tfl.layers.globalAveragePooling1d({}),
              tfl.layers.dense({ units: W6.hidden, activation: 'relu' }),
              tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
            ],
          });
    model.compile({ optimizer: tf.train.adam(0.001), loss: workload === 'W5' ? 'meanSquaredError' : 'binaryCrossentropy', metrics: workload === 'W5' ? [] : ['accuracy'] });
    model.setWeights(weights);
    fitEpoch = async () => Number((await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: true })).history.loss![0]);
    predict = () => model.predict(x) as import('keras-like').tf.Tensor;
  }
  const tensorsBefore = tf.memory().numTensors;
  const epochMs: number[] = [];
  const epochCpuMs: number[] = [];
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    losses.push(await fitEpoch());
    const cpu = process.cpuUsage(cpuStart);
    epochMs.push(performance.now() - start);
    epochCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const tensorsRetained = tf.memory().numTensors - tensorsBefore;
  let accuracy: number | null = null;
  if (workload === 'W6') {
    const p = predict().dataSync();
    let correct = 0;
    for (let i = 0; i < samples; i++) if ((p[i]! > 0.5 ? 1 : 0) === data.y[i]) correct++;
    accuracy = correct / samples;
  }
  return { contender, backend: tf.getBackend(), epochMs, epochCpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024, losses, accuracy, tensorsRetained };
}

/**
 * tfjs-layers's LSTM and GRU default to hard_sigmoid gates (Keras 2's default); Keras 3's, and
 * keras-like's, are sigmoid: the same model on both sides.
 */
function tfjsRecurrent(tfl: typeof import('@tensorflow/tfjs-layers'), layer: RecurrentLayer) {
  const args = { units: W5.units, inputShape: [W5.steps, W5.features] };
  if (layer === 'lstm') return tfl.layers.lstm({ ...args, recurrentActivation: 'sigmoid' });
  if (layer === 'gru') return tfl.layers.gru({ ...args, recurrentActivation: 'sigmoid' });
  return tfl.layers.simpleRNN(args);
}

function spawnSelf(args: string[]): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', import.meta.resolve('tsx'), self, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout.trim().split('\n').at(-1)!),
    ),
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string', default: 'W5' },
      backend: { type: 'string', default: 'wasm' },
      samples: { type: 'string', default: '2048' },
      epochs: { type: 'string', default: '2' },
      repeats: { type: 'string', default: '2' },
      child: { type: 'string' },
      save: { type: 'boolean', default: false },
      /** Appended to the saved file's name, to keep several runs of one day apart. */
      tag: { type: 'string' },
      layer: { type: 'string', default: 'lstm' },
      /** One contender alone (e.g. keras-like at two commits, alternated by hand), or both. */
      contenders: { type: 'string', default: 'keras-like,tfjs-layers' },
    },
  });
  const workload = values.workload as Workload;
  const [samples, epochs] = [Number(values.samples), Number(values.epochs)];
  const layer = values.layer as RecurrentLayer;
  if (!(layer in GATES)) throw new Error(`--layer must be lstm, gru or simple_rnn; received ${layer}`);
  if (values.child) return console.log(JSON.stringify(await child(workload, values.child, values.backend, samples, epochs, layer)));
  const contenders = values.contenders.split(',');
  if (contenders.some((c) => c !== 'keras-like' && c !== 'tfjs-layers')) throw new Error(`--contenders takes keras-like and/or tfjs-layers; received ${values.contenders}`);
  const runs: Record<string, RunResult[]> = Object.fromEntries(contenders.map((c) => [c, []]));
  const loadAverage = (await import('node:os')).loadavg()[0]!;
  // The code that runs is the one checked out now; a commit made while a long run goes on must not name it.
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const contender of Object.keys(runs)) {
      const args = ['--child', contender, '--workload', workload, '--backend', values.backend, '--samples', String(samples), '--epochs', String(epochs), '--layer', layer];
      const result = JSON.parse(await spawnSelf(args)) as RunResult;
      console.log(
        `  ${contender} on ${result.backend} run ${r + 1}: epochs ${result.epochMs.map(seconds).join(', ')} s (CPU ${result.epochCpuMs.map(seconds).join(', ')} s), RSS ${result.maxRssMB.toFixed(0)} MB, ` +
          `loss ${result.losses.map((l) => l.toFixed(4)).join(' → ')}${result.accuracy === null ? '' : `, accuracy ${result.accuracy.toFixed(4)}`}, tensors retained ${result.tensorsRetained}`,
      );
      runs[contender]!.push(result);
    }
  }
  // Steady epochs: all but each process's first (V8's warm-up), unless there is only one.
  const steady = (c: string, key: 'epochMs' | 'epochCpuMs' = 'epochMs') => runs[c]!.flatMap((r) => (r[key].length > 1 ? r[key].slice(1) : r[key]));
  const first = (c: string) => runs[c]!.map((r) => r.epochMs[0]!);
  const both = contenders.length === 2;
  const ratio = both ? median(steady('tfjs-layers')) / median(steady('keras-like')) : null;
  const cpuRatio = both ? median(steady('tfjs-layers', 'epochCpuMs')) / median(steady('keras-like', 'epochCpuMs')) : null;
  const target = workload === 'W5' ? 2 : 1.5;
  console.log(`\n${workload}${workload === 'W5' && layer !== 'lstm' ? ` with ${layer}` : ''}: ${samples} samples × ${epochs} epochs per process, batch ${BATCH}, ${values.repeats} alternated runs each; load average ${loadAverage.toFixed(1)} at the start, ${(await import('node:os')).loadavg()[0]!.toFixed(1)} at the end`);
  for (const c of Object.keys(runs)) {
    const s = steady(c);
    console.log(
      `  ${c} on ${runs[c]![0]!.backend}: median steady epoch ${seconds(median(s))} s (${seconds(Math.min(...s))}-${seconds(Math.max(...s))}), CPU ${seconds(median(steady(c, 'epochCpuMs')))} s, ` +
        `first epochs ${first(c).map(seconds).join(', ')} s, peak RSS ${runs[c]!.map((r) => r.maxRssMB.toFixed(0)).join(', ')} MB`,
    );
  }
  if (ratio !== null && cpuRatio !== null) console.log(`  speed: keras-like ${ratio.toFixed(2)}× tfjs-layers (target ≥ ${target}×); in CPU time ${cpuRatio.toFixed(2)}×`);
  if (values.save) {
    const date = new Date().toISOString().slice(0, 10);
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = `${dir}${date}-${workload}${layer === 'lstm' ? '' : `-${layer}`}-${values.backend}${values.tag ? `-${values.tag}` : ''}.json`;
    const loadAtEnd = (await import('node:os')).loadavg()[0]!;
    writeFileSync(file, JSON.stringify({ workload, layer, backend: values.backend, commit, samples, epochs, batch: BATCH, loadAverage, loadAtEnd, ratio, cpuRatio, runs }, null, 2) + '\n');
    console.log(`  saved ${file}`);
  }
}

await main();
