import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/collect-models.ts', import.meta.url));

describe('models dropped by the user free their weights when collected', () => {
  it('a loop that builds and drops 20 models ends where it started', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const { before, held, after, keptWorks } = JSON.parse(child.stdout.trim().split('\n').pop()!);
    // While the models are alive their weights are held (4 weights each at least)...
    expect(held).toBeGreaterThanOrEqual(before + 4);
    // ...and once they are unreachable and collected, nothing of theirs is left.
    expect(after).toBe(before);
    // A model that is still referenced keeps working.
    expect(keptWorks).toEqual([32, 3]);
  });
});
