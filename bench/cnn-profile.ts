/**
 * Where a W4 training step (bench/cnn.ts's CNN, batch 128) spends its time, per kernel, in
 * keras-like: two warm-up steps, then `--steps` steps with the engine's `runKernel` timed
 * (bench/dispatch-count.ts), divided by the number of steps.
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/cnn-profile.ts [--backend wasm|cpu] [--steps 8] [--top 25] [--shapes]
 *
 * `--shapes` splits each kernel's row by its inputs' shapes. "outside kernels" is the rest of the
 * step (JavaScript of the engine and the library, tape bookkeeping, garbage collection).
 */
import { parseArgs } from 'node:util';
import { imageDataset } from './data.js';
import { countDispatches, kernelWithShapes, topKernels } from './dispatch-count.js';
import { DATA_SEED } from './workloads.js';

const BATCH = 128;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      steps: { type: 'string', default: '8' },
      top: { type: 'string', default: '25' },
      shapes: { type: 'boolean', default: false },
    },
  });
  const steps = Number(values.steps);
  const kl = await import('keras-like');
  const { tf, Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, optimizers } = kl;
  await tf.setBackend(values.backend!);
  const data = imageDataset(BATCH, 28, 10, DATA_SEED);
  const x = tf.tensor4d(data.x, [BATCH, 28, 28, 1]);
  const y = tf.tensor2d(data.y, [BATCH, 10]);
  const model = Sequential([
    Conv2D(32, [3, 3], { activation: 'relu', input_shape: [28, 28, 1] }),
    MaxPooling2D([2, 2]),
    Conv2D(64, [3, 3], { activation: 'relu' }),
    MaxPooling2D([2, 2]),
    Flatten(),
    Dropout(0.5),
    Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: optimizers.Adam(), loss: 'categorical_crossentropy' });
  const step = () => model.train_on_batch(x, y);
  for (let i = 0; i < 2; i++) await step();
  const start = performance.now();
  const counts = await countDispatches(tf, async () => {
    for (let i = 0; i < steps; i++) await step();
  }, values.shapes ? kernelWithShapes : undefined);
  const total = (performance.now() - start) / steps;
  const inKernels = Object.values(counts.msByKernel).reduce((a, b) => a + b, 0) / steps;
  console.log(`keras-like W4 on ${values.backend}: ${total.toFixed(1)} ms a step, ${(counts.kernels / steps).toFixed(0)} kernels, ` +
    `${inKernels.toFixed(1)} ms in kernels, ${(total - inKernels).toFixed(1)} ms outside kernels`);
  for (const [name, ms] of topKernels(counts.msByKernel, steps, Number(values.top))) {
    console.log(`  ${name.padEnd(values.shapes ? 64 : 24)} ${ms.toFixed(2).padStart(8)} ms  ${((counts.byKernel[name] ?? 0) / steps).toFixed(0).padStart(5)} calls`);
  }
}

await main();
