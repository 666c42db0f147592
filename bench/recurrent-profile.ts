/**
 * Where a W5 or W6 training batch spends its time, per kernel, for keras-like and tfjs-layers
 * (docs/performance.md, "W5 and W6"): one warm-up epoch, then one epoch with the engine's
 * `runKernel` timed (bench/dispatch-count.ts), divided by the number of batches.
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/recurrent-profile.ts [--workload W5|W6] [--backend cpu|wasm]
 *       [--contender keras-like|tfjs-layers] [--samples 256] [--top 15] [--shapes]
 *
 * `--shapes` splits each kernel's row by its inputs' shapes (which product, which element-wise op).
 * Times inside kernels include their dispatch; "outside kernels" is the rest of the batch
 * (JavaScript of the engine and the library, tape bookkeeping, garbage collection).
 */
import { parseArgs } from 'node:util';
import { countDispatches, kernelWithShapes, topKernels } from './dispatch-count.js';
import { seededUniform } from './data.js';
import { DATA_SEED } from './workloads.js';

const BATCH = 32;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string', default: 'W5' },
      backend: { type: 'string', default: 'cpu' },
      contender: { type: 'string', default: 'keras-like' },
      samples: { type: 'string', default: '256' },
      top: { type: 'string', default: '15' },
      shapes: { type: 'boolean', default: false },
    },
  });
  const samples = Number(values.samples);
  const kl = await import('keras-like');
  const { tf } = kl;
  await tf.setBackend(values.backend!);
  const uniform = seededUniform(DATA_SEED);
  const w5 = values.workload === 'W5';
  const x = w5
    ? tf.tensor(Float32Array.from({ length: samples * 50 * 8 }, () => uniform()), [samples, 50, 8])
    : tf.tensor(Int32Array.from({ length: samples * 200 }, () => Math.floor(uniform() * 10000)), [samples, 200], 'int32');
  const y = w5 ? tf.tensor(Float32Array.from({ length: samples }, () => uniform()), [samples, 1]) : tf.tensor(Float32Array.from({ length: samples }, (_, i) => i % 2), [samples, 1]);
  let epoch: () => Promise<unknown>;
  if (values.contender === 'keras-like') {
    const { Sequential, LSTM, Dense, Embedding, GlobalAveragePooling1D, optimizers } = kl;
    const model = w5
      ? Sequential([LSTM(64, { input_shape: [50, 8] }), Dense(1)])
      : Sequential([Embedding(10000, 16, { input_shape: [200] }), GlobalAveragePooling1D(), Dense(16, { activation: 'relu' }), Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: optimizers.Adam({ learning_rate: 0.001 }), loss: w5 ? 'mse' : 'binary_crossentropy', metrics: w5 ? [] : ['accuracy'] });
    epoch = async () => model.fit(x, y, { batch_size: BATCH, epochs: 1, verbose: 0 });
  } else {
    const tfl = await import('@tensorflow/tfjs-layers');
    const model = w5
      ? tfl.sequential({ layers: [tfl.layers.lstm({ units: 64, inputShape: [50, 8], recurrentActivation: 'sigmoid' }), tfl.layers.dense({ units: 1 })] })
      : tfl.sequential({
          layers: [
            tfl.layers.embedding({ inputDim: 10000, outputDim: 16, inputLength: 200 }),
            tfl.layers.globalAveragePooling1d({}),
            tfl.layers.dense({ units: 16, activation: 'relu' }),
            tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        });
    model.compile({ optimizer: tf.train.adam(0.001), loss: w5 ? 'meanSquaredError' : 'binaryCrossentropy', metrics: w5 ? [] : ['accuracy'] });
    epoch = async () => model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 });
  }
  await epoch();
  const batches = Math.ceil(samples / BATCH);
  const start = performance.now();
  const counts = await countDispatches(tf, epoch, values.shapes ? kernelWithShapes : undefined);
  const total = (performance.now() - start) / batches;
  const inKernels = Object.values(counts.msByKernel).reduce((a, b) => a + b, 0) / batches;
  console.log(`${values.contender} ${values.workload} on ${values.backend}: ${total.toFixed(1)} ms a batch, ${(counts.kernels / batches).toFixed(0)} kernels, ` +
    `${inKernels.toFixed(1)} ms in kernels, ${(total - inKernels).toFixed(1)} ms outside kernels`);
  for (const [name, ms] of topKernels(counts.msByKernel, batches, Number(values.top))) {
    console.log(`  ${name.padEnd(values.shapes ? 48 : 24)} ${ms.toFixed(2).padStart(8)} ms  ${((counts.byKernel[name] ?? 0) / batches).toFixed(0).padStart(5)} calls`);
  }
}

await main();
