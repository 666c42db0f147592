import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/backend-switch.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

interface Seen {
  atImport: string;
  kernelBefore: string;
  readyName: string;
  afterSwitch: string;
  kernelAfter: string;
  predictionGap: number;
  weightsGap: number;
  before: number[];
  after: number[];
  leaked: number;
  labelsIntact: boolean;
  gradient: number[];
}

function run(backend: string | undefined): Seen {
  const env = { ...process.env };
  delete env.KERAS_LIKE_BACKEND;
  if (backend !== undefined) env.KERAS_LIKE_BACKEND = backend;
  const child = spawnSync(tsx, [fixture], { encoding: 'utf8', env });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim()) as Seen;
}

// The synchronous start-up (backend/kernels.ts): cpu at import, wasm once ready. The reference
// is the same script on cpu throughout (KERAS_LIKE_BACKEND=cpu), where nothing moves.
it('a model built on cpu before wasm is ready trains on wasm after the switch as it would have on cpu', () => {
  const switched = run(undefined);
  const reference = run('cpu');
  expect([switched.atImport, switched.kernelBefore]).toEqual(['cpu', 'cpu']);
  expect([switched.readyName, switched.afterSwitch, switched.kernelAfter]).toEqual(['wasm', 'wasm', 'wasm']);
  expect([reference.readyName, reference.kernelAfter]).toEqual(['cpu', 'cpu']);
  expect(switched.weightsGap).toBe(0); // tfjs moved the weights' data exactly
  expect(switched.predictionGap).toBeLessThan(1e-5); // same weights, other kernels: float32 rounding
  expect(switched.labelsIntact).toBe(true);
  expect(switched.before).toEqual(reference.before); // both on cpu up to the switch
  // After the switch, training goes on from the same state as on cpu.
  switched.after.forEach((loss, epoch) => expect(loss).toBeCloseTo(reference.after[epoch]!, 5));
  expect(switched.leaked).toBe(0);
  expect(switched.gradient).toEqual([2, -4]); // d/dv sum(v²) = 2v
});
