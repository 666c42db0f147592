import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/chained-ops.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

// tfjs-core's types declare `t.add(1)` etc., but its Node bundle does not install them;
// a user script run with tsx (not vitest, which loads tfjs-core's ES build) must still have them.
it('method-style tensor ops work in a user script (t.add, t.greater, t.sub().sum())', () => {
  const child = spawnSync(tsx, [fixture], { encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  expect(child.stdout.trim()).toBe('[[2,3,4],[0,1,1],0]');
});
