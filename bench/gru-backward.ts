/**
 * What a W5-shaped GRU training batch costs, reset_after=True against reset_after=False: a
 * GRU(64) on 32 sequences of 50 steps × 8 features → Dense(1), Adam, mse (W5 with a GRU for the
 * LSTM). Counts the kernels one `train_on_batch` dispatches (bench/dispatch-count.ts), then times
 * `--batches` batches after `--warmup` ones, and prints one JSON line per setting.
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/gru-backward.ts [--backend cpu|wasm] [--batches 20] [--warmup 3]
 *       [--reset-after true|false|both]
 *
 * Compare two versions of gru_cell.ts by running this on each, alternated (docs/performance.md).
 */
import { parseArgs } from 'node:util';
import { countDispatches } from './dispatch-count.js';
import { seededUniform } from './data.js';
import { DATA_SEED } from './workloads.js';

const [BATCH, STEPS, FEATURES, UNITS] = [32, 50, 8, 64];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'cpu' },
      batches: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      'reset-after': { type: 'string', default: 'both' },
    },
  });
  const kl = await import('keras-like');
  const { tf, Sequential, GRU, Dense, optimizers } = kl;
  await tf.setBackend(values.backend!);
  const uniform = seededUniform(DATA_SEED);
  const x = tf.tensor(Float32Array.from({ length: BATCH * STEPS * FEATURES }, () => uniform()), [BATCH, STEPS, FEATURES]);
  const y = tf.tensor(Float32Array.from({ length: BATCH }, () => uniform()), [BATCH, 1]);
  const settings = values['reset-after'] === 'both' ? [true, false] : [values['reset-after'] === 'true'];
  for (const reset_after of settings) {
    kl.keras.utils.set_random_seed(1);
    const model = Sequential([GRU(UNITS, { reset_after, input_shape: [STEPS, FEATURES] }), Dense(1)]);
    model.compile({ optimizer: optimizers.Adam({ learning_rate: 0.001 }), loss: 'mse' });
    for (let i = 0; i < Number(values.warmup); i++) model.train_on_batch(x, y);
    const counts = await countDispatches(tf, () => model.train_on_batch(x, y));
    const times: number[] = [];
    for (let i = 0; i < Number(values.batches); i++) {
      const start = performance.now();
      model.train_on_batch(x, y);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(JSON.stringify({ backend: values.backend, reset_after, kernels: counts.kernels, median_ms: +median.toFixed(2), min_ms: +times[0]!.toFixed(2), max_ms: +times.at(-1)!.toFixed(2) }));
    model.dispose();
  }
}

await main();
