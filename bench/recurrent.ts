/**
 * W5 (issue 16), side by side in one process: LSTM(64) on 50 steps × 8 features → Dense 1,
 * batch 32, 2048 samples, Adam, mse, keras-like against tfjs-layers from the same initial
 * weights, alternating epochs so both see the same machine state. Prints each contender's
 * median epoch time and the ratio.
 *
 *   KERAS_LIKE_BACKEND=wasm npx -y pnpm@12.4.2 exec tsx bench/recurrent.ts [epochs]
 *   KERAS_LIKE_BACKEND=cpu  npx -y pnpm@12.4.2 exec tsx bench/recurrent.ts [epochs]
 *
 * (A first version outside run.ts's harness: W5's numbers for issue 16; it reports wall time
 * and the process's peak RSS for both contenders together, not per contender.)
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { Dense, LSTM, optimizers, Sequential, tf } from 'keras-like';
import { seededUniform } from './data.js';

const EPOCHS = Number(process.argv[2] ?? 3);
const [N, T, F, UNITS, BATCH] = [2048, 50, 8, 64, 32];
const requested = process.env.KERAS_LIKE_BACKEND;
if (requested && tf.getBackend() !== requested) await tf.setBackend(requested);

const uniform = seededUniform(1234);
const xData = Float32Array.from({ length: N * T * F }, () => uniform());
const x = tf.tensor3d(xData, [N, T, F]);
// The target needs memory: the mean of the first feature over the sequence.
const y = tf.mean(tf.slice(x, [0, 0, 0], [-1, -1, 1]), [1]);
const w = seededUniform(5678);
const weight = (shape: number[], scale: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (w() * 2 - 1) * scale), shape);
const initial = [weight([F, 4 * UNITS], 0.2), weight([UNITS, 4 * UNITS], 0.1), weight([4 * UNITS], 0), weight([UNITS, 1], 0.2), weight([1], 0)];

const kl = Sequential([LSTM(UNITS, { input_shape: [T, F] }), Dense(1)]);
kl.compile({ optimizer: optimizers.Adam(), loss: 'mse' });
kl.set_weights(initial);
const tl = tfl.sequential({ layers: [tfl.layers.lstm({ units: UNITS, inputShape: [T, F] }), tfl.layers.dense({ units: 1 })] });
tl.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
tl.setWeights(initial);

const times: Record<string, number[]> = { 'keras-like': [], 'tfjs-layers': [] };
const losses: Record<string, number[]> = { 'keras-like': [], 'tfjs-layers': [] };
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  let start = performance.now();
  const h1 = kl.fit(x, y, { epochs: 1, batch_size: BATCH, verbose: 0 });
  times['keras-like']!.push(performance.now() - start);
  console.log(`epoch ${epoch + 1}: keras-like ${(times['keras-like']!.at(-1)! / 1000).toFixed(2)} s`);
  losses['keras-like']!.push(h1.history.loss![0]!);
  start = performance.now();
  const h2 = await tl.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  times['tfjs-layers']!.push(performance.now() - start);
  losses['tfjs-layers']!.push(Number(h2.history.loss![0]));
  console.log(`epoch ${epoch + 1}: keras-like ${(times['keras-like']!.at(-1)! / 1000).toFixed(2)} s, tfjs-layers ${(times['tfjs-layers']!.at(-1)! / 1000).toFixed(2)} s`);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`W5 on ${tf.getBackend()}: LSTM(${UNITS}) on ${T}×${F} → Dense 1, batch ${BATCH}, ${N} samples, Adam, mse, ${EPOCHS} epochs each`);
for (const name of Object.keys(times)) {
  console.log(`  ${name}: median epoch ${(median(times[name]!) / 1000).toFixed(2)} s (${times[name]!.map((t) => (t / 1000).toFixed(2)).join(', ')}); loss ${losses[name]!.map((l) => l.toFixed(4)).join(' → ')}`);
}
console.log(`  ratio tfjs-layers / keras-like: ${(median(times['tfjs-layers']!) / median(times['keras-like']!)).toFixed(2)}×`);
console.log(`  peak RSS (both): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
