/**
 * Writes W4's data and initial weights (bench/cnn-data.ts) for scripts/keras-golden/w4_accuracy.py,
 * so real Keras trains on the same arrays as bench/cnn.ts:
 *   pnpm exec tsx scripts/keras-golden/w4_data_write.ts <out dir> [samples = 8192]
 * <out dir>/meta.json names each array's file (raw float32, little-endian, row-major) and shape.
 * The data are regenerated from the seeds in a second: write them under a temp dir, never commit them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELD_OUT, initialWeights, w4Data } from '../../bench/cnn-data.js';
import { DATA_SEED, WEIGHTS_SEED } from '../../bench/workloads.js';

const [out, samplesArg = '8192'] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: w4_data_write.ts <out dir> [samples]');
const samples = Number(samplesArg);
mkdirSync(out, { recursive: true });

const arrays: Record<string, { shape: number[]; values: Float32Array }> = {};
const data = w4Data(samples);
arrays.x = { shape: [samples, 28, 28, 1], values: data.x };
arrays.y = { shape: [samples, 10], values: data.y };
arrays.x_held_out = { shape: [HELD_OUT, 28, 28, 1], values: data.xHeldOut };
arrays.y_held_out = { shape: [HELD_OUT, 10], values: data.yHeldOut };
initialWeights().forEach((w, i) => (arrays[`weight_${i}`] = w));

const files: Record<string, { file: string; shape: number[] }> = {};
for (const [name, { shape, values }] of Object.entries(arrays)) {
  // Float32Array is the platform's byte order; every machine this runs on is little-endian.
  writeFileSync(join(out, `${name}.f32`), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  files[name] = { file: `${name}.f32`, shape };
}
const meta = { workload: 'W4', samples, heldOut: HELD_OUT, dataSeed: DATA_SEED, weightsSeed: WEIGHTS_SEED, weights: initialWeights().length, arrays: files };
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(`wrote ${Object.keys(files).length} arrays for ${samples} samples + ${HELD_OUT} held out to ${out}`);
