/**
 * W4 (issue 15): an MNIST-shaped CNN, keras-like against tfjs-layers with the same data and
 * initial weights, each run in its own process (peak RSS per contender), alternated A B A B:
 *
 *   28×28×1 → Conv2D 32 3×3 relu → MaxPool 2 → Conv2D 64 3×3 relu → MaxPool 2 → Flatten →
 *   Dropout 0.5 → Dense 10 softmax, Adam, categorical crossentropy, batch 128
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/cnn.ts [--backend wasm|cpu] [--samples 2048] [--epochs 1] [--repeats 2] [--save]
 *
 * tfjs-layers cannot train a convolution on wasm (its Conv2D gradient needs the
 * Conv2DBackpropFilter kernel, which tfjs-backend-wasm 4.22 lacks), so on wasm it runs on cpu,
 * the only other backend installed: the ratio is then keras-like on wasm against tfjs-layers on
 * its best available backend, side by side. Also printed: the convolution GFLOP/s achieved in
 * training against the backend's own conv2d kernel alone on W4's second layer.
 * Defaults are the quick size (2048 samples × 1 epoch); the full size is --samples 8192 --epochs 2.
 * The data are `imageDataset`'s (bench/data.ts): class patterns in 4×4 blocks faded into noise;
 * `samples` of them train, and the next HELD_OUT (same patterns, never trained on) measure the
 * accuracy and loss. Both contenders train unshuffled, so they see the same batches in the same
 * order from the same weights; only Dropout's masks differ (each library draws its own).
 * `--save` writes every run, the medians, the commit and the load averages to
 * bench/results/<date>-W4-<backend>-<samples>x<epochs>.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { imageDataset, seededUniform } from './data.js';
import { DATA_SEED, WEIGHTS_SEED } from './workloads.js';

const BATCH = 128;
/** Samples after the training ones, never trained on: the accuracy and loss are measured on them. */
const HELD_OUT = 512;
const CONVS = [
  { kernel: [3, 3, 1, 32], out: 26 },
  { kernel: [3, 3, 32, 64], out: 11 },
] as const;

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
  /** The 1-minute load average when the run started and when it ended. */
  load: [number, number];
}

/** Glorot-uniform kernels, zero biases, Keras's layouts: conv [3, 3, in, out], dense [1600, 10]. */
function initialWeights(): Array<{ shape: number[]; values: Float32Array }> {
  const uniform = seededUniform(WEIGHTS_SEED);
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (uniform() * 2 - 1) * limit;
    return { shape, values };
  };
  const zeros = (n: number) => ({ shape: [n], values: new Float32Array(n) });
  return [glorot([3, 3, 1, 32], 9, 9 * 32), zeros(32), glorot([3, 3, 32, 64], 9 * 32, 9 * 64), zeros(64), glorot([1600, 10], 1600, 10), zeros(10)];
}

/** Multiply-adds ×2 of the convolutions in one step: forward, backprop-filter, and backprop-input except for the first layer. */
function convFlopsPerStep(batch: number): number {
  return CONVS.reduce((sum, c, i) => {
    const [kh, kw, cin, f] = c.kernel;
    const once = 2 * batch * c.out * c.out * kh * kw * cin * f;
    return sum + once * (i === 0 ? 2 : 3);
  }, 0);
}

async function child(contender: string, backend: string, samples: number, epochs: number): Promise<RunResult> {
  const { tf, Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, optimizers } = await import('keras-like');
  await tf.setBackend(backend);
  // One draw of samples + HELD_OUT: the held-out images share the training images' class patterns.
  const data = imageDataset(samples + HELD_OUT, 28, 10, DATA_SEED);
  const pixels = 28 * 28;
  const x = tf.tensor4d(data.x.subarray(0, samples * pixels), [samples, 28, 28, 1]);
  const y = tf.tensor2d(data.y.subarray(0, samples * 10), [samples, 10]);
  const xHeldOut = tf.tensor4d(data.x.subarray(samples * pixels), [HELD_OUT, 28, 28, 1]);
  const yHeldOut = data.y.subarray(samples * 10);
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
  const start = performance.now();
  const trainLoss = await fit();
  const wallMs = performance.now() - start;
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
    load: [loadAtStart, loadavg()[0]!],
  };
}

/** The backend's conv2d kernel alone on W4's second layer ([128, 13, 13, 32] ⋆ [3, 3, 32, 64]), GFLOP/s. */
async function kernelProbe(backend: string): Promise<number> {
  const { tf } = await import('keras-like');
  await tf.setBackend(backend);
  const x = tf.randomUniform([BATCH, 13, 13, 32]) as import('keras-like').tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 32, 64]) as import('keras-like').tf.Tensor4D;
  const flops = 2 * BATCH * 11 * 11 * 9 * 32 * 64;
  tf.conv2d(x, w, 1, 'valid').dispose();
  let n = 0;
  const start = performance.now();
  while (n < 3 || performance.now() - start < 1000) {
    const z = tf.conv2d(x, w, 1, 'valid');
    z.dataSync();
    z.dispose();
    n++;
  }
  return (flops * n) / ((performance.now() - start) / 1000) / 1e9;
}

function spawnSelf(args: string[]): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', import.meta.resolve('tsx'), self, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout.trim().split('\n').at(-1)!),
    ),
  );
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      samples: { type: 'string', default: '2048' },
      epochs: { type: 'string', default: '1' },
      repeats: { type: 'string', default: '2' },
      child: { type: 'string' },
      probe: { type: 'boolean', default: false },
      save: { type: 'boolean', default: false },
    },
  });
  const [samples, epochs] = [Number(values.samples), Number(values.epochs)];
  if (values.probe) return console.log(JSON.stringify(await kernelProbe(values.backend)));
  if (values.child) return console.log(JSON.stringify(await child(values.child, values.backend, samples, epochs)));
  const loadAtStart = loadavg()[0]!;
  const runs: Record<string, RunResult[]> = { 'keras-like': [], 'tfjs-layers': [] };
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const contender of Object.keys(runs)) {
      const result = JSON.parse(await spawnSelf(['--child', contender, '--backend', values.backend, '--samples', String(samples), '--epochs', String(epochs)])) as RunResult;
      console.log(`  ${contender} on ${result.backend} run ${r + 1}: ${(result.wallMs / 1000).toFixed(1)} s, ${(result.wallMs / result.steps).toFixed(0)} ms/step, RSS ${result.maxRssMB.toFixed(0)} MB, held-out accuracy ${result.evalAccuracy.toFixed(4)} loss ${result.evalLoss.toFixed(4)}, training loss ${result.trainLoss.map((l) => l.toFixed(4)).join(' ')}, load ${result.load.map((l) => l.toFixed(1)).join(' → ')}`);
      runs[contender]!.push(result);
    }
  }
  const kernel = Number(await spawnSelf(['--probe', '--backend', values.backend]));
  const m = (c: string, f: keyof RunResult) => median(runs[c]!.map((r) => r[f] as number));
  const ratio = m('tfjs-layers', 'wallMs') / m('keras-like', 'wallMs');
  console.log(`\nW4: ${samples} samples × ${epochs} epoch(s), batch ${BATCH}; keras-like on ${values.backend}, tfjs-layers on ${runs['tfjs-layers']![0]!.backend} (median of ${values.repeats})`);
  console.log(`speed: keras-like ${ratio.toFixed(2)}× tfjs-layers (target ≥ 1.5×)`);
  console.log(`conv GFLOP/s in training: keras-like ${m('keras-like', 'convGflops').toFixed(2)}, ${((m('keras-like', 'convGflops') / kernel) * 100).toFixed(0)}% of the ${values.backend} conv2d kernel alone (${kernel.toFixed(2)}; target ≥ 60%)`);
  console.log(`peak RSS: keras-like ${m('keras-like', 'maxRssMB').toFixed(0)} MB, tfjs-layers ${m('tfjs-layers', 'maxRssMB').toFixed(0)} MB (target ≤ +10%)`);
  console.log(`held-out accuracy (${HELD_OUT} samples): keras-like ${m('keras-like', 'evalAccuracy').toFixed(4)}, tfjs-layers ${m('tfjs-layers', 'evalAccuracy').toFixed(4)} (target within 2 points; chance is 0.1)`);
  console.log(`held-out loss: keras-like ${m('keras-like', 'evalLoss').toFixed(4)}, tfjs-layers ${m('tfjs-layers', 'evalLoss').toFixed(4)} (ln 10 = 2.3026 at chance)`);
  const loadAtEnd = loadavg()[0]!;
  console.log(`load average (1 min): ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end`);
  if (values.save) {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = `${dir}${new Date().toISOString().slice(0, 10)}-W4-${values.backend}-${samples}x${epochs}.json`;
    const summary = { ratio, kernelGflops: kernel, peakRssRatio: m('keras-like', 'maxRssMB') / m('tfjs-layers', 'maxRssMB') };
    writeFileSync(file, JSON.stringify({ workload: 'W4', backend: values.backend, samples, epochs, batch: BATCH, commit, loadAtStart, loadAtEnd, ...summary, runs }, null, 2) + '\n');
    console.log(`saved ${file}`);
  }
}

await main();
