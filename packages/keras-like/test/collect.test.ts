import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/collect-models.ts', import.meta.url));

interface Counts {
  before: number;
  held: number;
  after: number;
}

describe('models dropped by the user free their tensors when collected', () => {
  let report: { models: Counts; compiled: Counts; keptWorks: number[] };
  beforeAll(() => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    report = JSON.parse(child.stdout.trim().split('\n').pop()!);
  });

  it('a loop that builds, fits and drops 20 models ends where it started', () => {
    const { before, held, after } = report.models;
    // While the models are alive their weights are held (4 weights each at least)...
    expect(held).toBeGreaterThanOrEqual(before + 4);
    // ...and once they are unreachable and collected, nothing of theirs is left.
    expect(after).toBe(before);
    // A model that is still referenced keeps working.
    expect(report.keptWorks).toEqual([32, 3]);
  });

  it('so does a loop that compiles with metrics, fits and evaluates: metric state goes too, and the optimizer leaves none', () => {
    const { before, held, after } = report.compiled;
    // Alive, each model holds its 4 weights and its metrics' state on the backend (a sum and a
    // count for each of accuracy, mae and mse at least; Adam's slots and EMA live on the host)...
    expect(held).toBeGreaterThanOrEqual(before + 20 * (4 + 3 * 2));
    // ...none of which outlives the model.
    expect(after).toBe(before);
  });
});
