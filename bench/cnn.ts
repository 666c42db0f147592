/**
 * W4 (issue 15): an MNIST-shaped CNN, keras-like against tfjs-layers with the same data and
 * initial weights, each run in its own process (peak RSS per contender), alternated A B A B:
 *
 *   28×28×1 → Conv2D 32 3×3 relu → MaxPool 2 → Conv2D 64 3×3 relu → MaxPool 2 → Flatten →
 *   Dropout 0.5 → Dense 10 softmax, Adam, categorical crossentropy, batch 128
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/cnn.ts [--backend wasm|cpu] [--samples 2048] [--epochs 1] [--repeats 2]
 *       [--contenders keras-like,tfjs-layers] [--save]
 *
 * tfjs-layers cannot train a convolution on wasm (its Conv2D gradient needs the
 * Conv2DBackpropFilter kernel, which tfjs-backend-wasm 4.22 lacks), so on wasm it runs on cpu,
 * the only other backend installed: the ratio is then keras-like on wasm against tfjs-layers on
 * its best available backend, side by side. `--contenders keras-like` runs keras-like alone (its
 * conv share needs no tfjs-layers run).
 *
 * The conv share: the convolution GFLOP/s achieved in training (the step's five convolutions'
 * multiply-adds over the fit's wall time) against the backend's own conv2d kernel alone on W4's
 * second layer, probed in each keras-like process right after its training, with a fresh image and
 * filter every call (training's filters are new tensors every step; a reused one keeps XNNPACK's
 * packing, which overstated the kernel before). Per convolution (conv1 forward, conv1 ∂W, conv2
 * forward, conv2 ∂W, conv2 ∂x) it also prints the kernel time inside training (each kernel call
 * timed as it runs, bench/kernel-calls.ts) against the same call alone, fresh inputs each time.
 * Defaults are the quick size (2048 samples × 1 epoch); the full size is --samples 8192 --epochs 2.
 * The data are `imageDataset`'s (bench/data.ts, drawn in bench/cnn-data.ts): class patterns in 4×4 blocks faded into noise;
 * `samples` of them train, and the next HELD_OUT (same patterns, never trained on) measure the
 * accuracy and loss. Both contenders train unshuffled, so they see the same batches in the same
 * order from the same weights; only Dropout's masks differ (each library draws its own).
 * `--save` writes every run, the medians, the commit and the load averages to
 * bench/results/<date>-W4-<backend>-<samples>x<epochs>[-keras-like]-<commit>.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HELD_OUT, initialWeights, w4Data } from './cnn-data.js';
import { type KernelCall, recordKernelCalls, timeAlone } from './kernel-calls.js';
import { median } from './stats.js';

const BATCH = 128;
const CONVS = [
  { kernel: [3, 3, 1, 32], in: 28, out: 26 },
  { kernel: [3, 3, 32, 64], in: 13, out: 11 },
] as const;
/** The kernels a convolution's forward or backward may run as (a backprop written as a product runs as a matMul). */
const CONV_KERNELS = new Set(['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul']);

/** One convolution of the step: its kernel time inside training against the same call alone. */
interface ConvTiming {
  /** 'conv1 forward', 'conv1 ∂W', 'conv2 forward', 'conv2 ∂W', 'conv2 ∂x'. */
  label: string;
  /** The kernel calls it ran as, with their input shapes, e.g. 'Conv2D [32,13,13,128] [11,11,128,64]'. */
  calls: string[];
  /** The convolution's multiply-adds × 2 (without the zeros a formulation may add), in millions. */
  mflop: number;
  /** Median over the training steps of its kernel time, ms. */
  trainingMs: number;
  /** The same calls alone in the same process right after training, fresh inputs each time, ms (median). */
  aloneMs: number;
}

interface RunResult {
  contender: string;
  backend: string;
  wallMs: number;
  steps: number;
  maxRssMB: number;
  /** On the HELD_OUT samples after training. */
  evalAccuracy: number;
  /** Categorical crossentropy on the HELD_OUT samples after training, computed here for both contenders. */
  evalLoss: number;
  /** The training loss of each epoch, as the contender's History reports it. */
  trainLoss: number[];
  convGflops: number;
  /** CPU time of the fit (user + system), ms: less disturbed than the wall time by processes waiting for a core. */
  cpuMs: number;
  /** keras-like only: each convolution's kernel time in training and alone. */
  convs?: ConvTiming[];
  /** keras-like only: the backend's conv2d kernel alone on the second layer's forward shape, fresh filter per call, GFLOP/s. */
  kernelGflops?: number;
  /** The 1-minute load average when the run started and when it ended. */
  load: [number, number];
}

/** Multiply-adds ×2 of the convolutions in one step: forward, backprop-filter, and backprop-input except for the first layer. */
function convFlopsPerStep(batch: number): number {
  return CONVS.reduce((sum, c, i) => {
    const [kh, kw, cin, f] = c.kernel;
    const once = 2 * batch * c.out * c.out * kh * kw * cin * f;
    return sum + once * (i === 0 ? 2 : 3);
  }, 0);
}

/** Which convolution of the step a kernel call with an output of `size` elements computed, if any. */
function convLabel(size: number): { label: string; mflop: number } | undefined {
  for (const [i, c] of CONVS.entries()) {
    const [kh, kw, cin, f] = c.kernel;
    const mflop = (2 * BATCH * c.out * c.out * kh * kw * cin * f) / 1e6;
    if (size === BATCH * c.out * c.out * f) return { label: `conv${i + 1} forward`, mflop };
    // ∂W's result, or (computed as patchesᵀ · δ, conv_ops.ts) the patches it is made from.
    if (size === kh * kw * cin * f || size === BATCH * c.out * c.out * kh * kw * cin) return { label: `conv${i + 1} ∂W`, mflop };
    if (i > 0 && size === BATCH * c.in * c.in * cin) return { label: `conv${i + 1} ∂x`, mflop };
  }
  return undefined;
}

/** Groups the recorded calls by convolution: per step, the median of each call's times, summed over the calls of one convolution. */
function convTimings(tf: typeof import('keras-like').tf, calls: KernelCall[]): ConvTiming[] {
  const byLabel = new Map<string, ConvTiming>();
  for (const call of calls) {
    const conv = convLabel(call.outputSize);
    if (conv === undefined) continue;
    const t = byLabel.get(conv.label) ?? { ...conv, calls: [], trainingMs: 0, aloneMs: 0 };
    t.calls.push(`${call.kernel} ${Object.values(call.inputs).map((i) => `[${i.shape.join(',')}]`).join(' ')}`);
    t.trainingMs += median(call.ms);
    t.aloneMs += timeAlone(tf, call);
    byLabel.set(conv.label, t);
  }
  const order = (label: string) => label.slice(0, 5) + ['forward', '∂W', '∂x'].indexOf(label.slice(6));
  return [...byLabel.values()].sort((a, b) => order(a.label).localeCompare(order(b.label)));
}

/**
 * The backend's conv2d kernel alone on W4's second layer ([128, 13, 13, 32] ⋆ [3, 3, 32, 64]),
 * GFLOP/s: a fresh image and filter every call, as training has (a reused filter would keep
 * XNNPACK's packing of it).
 */
function kernelProbe(tf: typeof import('keras-like').tf): number {
  const call: KernelCall = {
    kernel: 'Conv2D',
    inputs: { x: { shape: [BATCH, 13, 13, 32], dtype: 'float32' }, filter: { shape: [3, 3, 32, 64], dtype: 'float32' } },
    attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
    outputSize: BATCH * 11 * 11 * 64,
    ms: [],
  };
  return (2 * BATCH * 11 * 11 * 9 * 32 * 64) / (timeAlone(tf, call) / 1000) / 1e9;
}

async function child(contender: string, backend: string, samples: number, epochs: number): Promise<RunResult> {
  const { tf, Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, optimizers } = await import('keras-like');
  await tf.setBackend(backend);
  const data = w4Data(samples);
  const x = tf.tensor4d(data.x, [samples, 28, 28, 1]);
  const y = tf.tensor2d(data.y, [samples, 10]);
  const xHeldOut = tf.tensor4d(data.xHeldOut, [HELD_OUT, 28, 28, 1]);
  const yHeldOut = data.yHeldOut;
  const weights = initialWeights().map((w) => tf.tensor(w.values, w.shape));
  let fit: () => Promise<number[]>;
  let predict: () => import('keras-like').tf.Tensor;
  if (contender === 'keras-like') {
    const model = Sequential();
    model.add(Conv2D(32, [3, 3], { activation: 'relu', input_shape: [28, 28, 1] }));
    model.add(MaxPooling2D([2, 2]));
    model.add(Conv2D(64, [3, 3], { activation: 'relu' }));
    model.add(MaxPooling2D([2, 2]));
    model.add(Flatten());
    model.add(Dropout(0.5));
    model.add(Dense(10, { activation: 'softmax' }));
    model.compile({ optimizer: optimizers.Adam({ learning_rate: 0.001 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    model.set_weights(weights);
    fit = async () => model.fit(x, y, { batch_size: BATCH, epochs, verbose: 0, shuffle: false }).history.loss!;
    predict = () => model.predict(xHeldOut, { batch_size: BATCH, verbose: 0 });
  } else {
    const tfl = await import('@tensorflow/tfjs-layers');
    // tfjs-layers's Conv2D gradient needs Conv2DBackpropFilter, which wasm lacks: cpu is its best backend here.
    if (backend === 'wasm') await tf.setBackend('cpu');
    const model = tfl.sequential();
    model.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dropout({ rate: 0.5 }));
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    model.setWeights(weights);
    fit = async () => (await model.fit(x, y, { batchSize: BATCH, epochs, verbose: 0, shuffle: false })).history.loss as number[];
    predict = () => model.predict(xHeldOut, { batchSize: BATCH }) as import('keras-like').tf.Tensor;
  }
  const loadAtStart = loadavg()[0]!;
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  let trainLoss: number[] = [];
  // keras-like's convolution kernels are timed as they run (a clock read around each, nothing else).
  const calls = contender === 'keras-like' ? await recordKernelCalls(tf, CONV_KERNELS, async () => (trainLoss = await fit())) : ((trainLoss = await fit()), []);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuAtStart);
  const steps = Math.ceil(samples / BATCH) * epochs;
  const p = predict().dataSync();
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < HELD_OUT; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + best]!) best = c;
    if (yHeldOut[i * 10 + best] === 1) correct++;
    // −log p(label), with Keras's clipping of the probability to [1e-7, 1 − 1e-7].
    for (let c = 0; c < 10; c++) if (yHeldOut[i * 10 + c] === 1) loss -= Math.log(Math.min(Math.max(p[i * 10 + c]!, 1e-7), 1 - 1e-7));
  }
  return {
    contender,
    backend: tf.getBackend(),
    wallMs,
    steps,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    evalAccuracy: correct / HELD_OUT,
    evalLoss: loss / HELD_OUT,
    trainLoss: trainLoss.map(Number),
    convGflops: (convFlopsPerStep(BATCH) * steps) / (wallMs / 1000) / 1e9,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(contender === 'keras-like' ? { convs: convTimings(tf, calls), kernelGflops: kernelProbe(tf) } : {}),
    load: [loadAtStart, loadavg()[0]!],
  };
}

function spawnSelf(args: string[]): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', import.meta.resolve('tsx'), self, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout.trim().split('\n').at(-1)!),
    ),
  );
}

/** Per convolution, the medians over the runs: kernel ms in training and alone, and the share (alone / training). */
function printConvs(runs: RunResult[]): void {
  const labels = runs[0]!.convs!.map((c) => c.label);
  console.log('per convolution (kernel time per step, medians over runs; alone = the same call in the same process after training, fresh inputs):');
  let [training, alone, mflop] = [0, 0, 0];
  for (const label of labels) {
    const of = runs.map((r) => r.convs!.find((c) => c.label === label)!);
    const [t, a] = [median(of.map((c) => c.trainingMs)), median(of.map((c) => c.aloneMs))];
    [training, alone, mflop] = [training + t, alone + a, mflop + of[0]!.mflop];
    console.log(`  ${label.padEnd(14)} ${of[0]!.mflop.toFixed(0).padStart(4)} MFLOP  training ${t.toFixed(1).padStart(6)} ms (${(of[0]!.mflop / t).toFixed(2)} GFLOP/s)  alone ${a.toFixed(1).padStart(6)} ms (${(of[0]!.mflop / a).toFixed(2)} GFLOP/s)  alone/training ${((a / t) * 100).toFixed(0)}%  ${of[0]!.calls.join(' + ')}`);
  }
  console.log(`  ${'all five'.padEnd(14)} ${mflop.toFixed(0).padStart(4)} MFLOP  training ${training.toFixed(1).padStart(6)} ms (${(mflop / training).toFixed(2)} GFLOP/s)  alone ${alone.toFixed(1).padStart(6)} ms (${(mflop / alone).toFixed(2)} GFLOP/s)  alone/training ${((alone / training) * 100).toFixed(0)}%`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      samples: { type: 'string', default: '2048' },
      epochs: { type: 'string', default: '1' },
      repeats: { type: 'string', default: '2' },
      /** 'keras-like' runs keras-like only: its conv share needs no tfjs-layers run (~13 min for 512 × 1 on cpu). */
      contenders: { type: 'string', default: 'keras-like,tfjs-layers' },
      child: { type: 'string' },
      save: { type: 'boolean', default: false },
    },
  });
  const [samples, epochs] = [Number(values.samples), Number(values.epochs)];
  if (values.child) return console.log(JSON.stringify(await child(values.child, values.backend, samples, epochs)));
  const loadAtStart = loadavg()[0]!;
  // The code that runs is the one checked out now; a commit made while a long run goes on must not name it.
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const runs: Record<string, RunResult[]> = Object.fromEntries(values.contenders.split(',').map((c) => [c, []]));
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const contender of Object.keys(runs)) {
      const result = JSON.parse(await spawnSelf(['--child', contender, '--backend', values.backend, '--samples', String(samples), '--epochs', String(epochs)])) as RunResult;
      console.log(`  ${contender} on ${result.backend} run ${r + 1}: ${(result.wallMs / 1000).toFixed(1)} s, ${(result.wallMs / result.steps).toFixed(0)} ms/step (CPU ${(result.cpuMs / result.steps).toFixed(0)} ms/step), RSS ${result.maxRssMB.toFixed(0)} MB, held-out accuracy ${result.evalAccuracy.toFixed(4)} loss ${result.evalLoss.toFixed(4)}, training loss ${result.trainLoss.map((l) => l.toFixed(4)).join(' ')}, load ${result.load.map((l) => l.toFixed(1)).join(' → ')}`);
      runs[contender]!.push(result);
    }
  }
  const m = (c: string, f: keyof RunResult) => median(runs[c]!.map((r) => r[f] as number));
  const both = 'keras-like' in runs && 'tfjs-layers' in runs;
  console.log(`\nW4: ${samples} samples × ${epochs} epoch(s), batch ${BATCH}; keras-like on ${values.backend}${both ? `, tfjs-layers on ${runs['tfjs-layers']![0]!.backend}` : ''} (median of ${values.repeats})`);
  const summary: Record<string, number> = {};
  if (both) {
    summary.ratio = m('tfjs-layers', 'wallMs') / m('keras-like', 'wallMs');
    summary.peakRssRatio = m('keras-like', 'maxRssMB') / m('tfjs-layers', 'maxRssMB');
    console.log(`speed: keras-like ${summary.ratio.toFixed(2)}× tfjs-layers (target ≥ 1.5×)`);
    console.log(`peak RSS: keras-like ${m('keras-like', 'maxRssMB').toFixed(0)} MB, tfjs-layers ${m('tfjs-layers', 'maxRssMB').toFixed(0)} MB (target ≤ +10%)`);
    console.log(`held-out accuracy (${HELD_OUT} samples): keras-like ${m('keras-like', 'evalAccuracy').toFixed(4)}, tfjs-layers ${m('tfjs-layers', 'evalAccuracy').toFixed(4)} (target within 2 points; chance is 0.1)`);
    console.log(`held-out loss: keras-like ${m('keras-like', 'evalLoss').toFixed(4)}, tfjs-layers ${m('tfjs-layers', 'evalLoss').toFixed(4)} (ln 10 = 2.3026 at chance)`);
  }
  if ('keras-like' in runs) {
    // The share of each run against its own probe (same process, same minutes), then the median.
    summary.kernelGflops = m('keras-like', 'kernelGflops');
    summary.convShare = median(runs['keras-like']!.map((r) => r.convGflops / r.kernelGflops!));
    console.log(`conv GFLOP/s in training: keras-like ${m('keras-like', 'convGflops').toFixed(2)}, ${(summary.convShare * 100).toFixed(0)}% of the ${values.backend} conv2d kernel alone (${summary.kernelGflops.toFixed(2)} GFLOP/s on conv2's forward, fresh filter per call; target ≥ 60%)`);
    printConvs(runs['keras-like']!);
  }
  const loadAtEnd = loadavg()[0]!;
  console.log(`load average (1 min): ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end`);
  if (values.save) {
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const only = both ? '' : `-${Object.keys(runs).join('-')}`;
    const file = `${dir}${new Date().toISOString().slice(0, 10)}-W4-${values.backend}-${samples}x${epochs}${only}-${commit}.json`;
    writeFileSync(file, JSON.stringify({ workload: 'W4', backend: values.backend, samples, epochs, batch: BATCH, commit, loadAtStart, loadAtEnd, ...summary, runs }, null, 2) + '\n');
    console.log(`saved ${file}`);
  }
}

await main();
