/**
 * `keras.utils.set_random_seed(s)`: two runs give bit-identical weights on the same
 * backend, in one process and across processes; another seed gives other weights.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tf } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { digest, seededRun } from './fixtures/seeded_run.js';

/** The float32 bits, so +0/-0 and every last ulp count. */
function bits(values: readonly Float32Array[]): number[][] {
  return values.map((array) => Array.from(new Uint32Array(array.buffer, array.byteOffset, array.length)));
}

describe('keras.utils.set_random_seed', () => {
  it('makes two runs in one process bit-identical', () => {
    const before = tf.memory().numTensors;
    const first = seededRun(1234);
    const second = seededRun(1234);
    expect(bits(second)).toEqual(bits(first));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes a run in a fresh process bit-identical to this one on the same backend', () => {
    const script = fileURLToPath(new URL('./fixtures/seeded_run.ts', import.meta.url));
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, '1234'], { cwd: root, encoding: 'utf8' });
    const other = JSON.parse(out.trim().split('\n').at(-1)!) as { backend: string; digest: string };
    expect(other.backend).toBe(tf.getBackend());
    expect(other.digest).toBe(digest(seededRun(1234)));
  });

  it('gives other weights for another seed (the runs above are not identical by accident)', () => {
    const a = bits(seededRun(1234));
    const b = bits(seededRun(1235));
    expect(b).not.toEqual(a);
    // Every weight differs: the initializers, not only the last steps, follow the seed.
    expect(b[0]!.filter((v, i) => v === a[0]![i]).length).toBe(0);
  });
});
