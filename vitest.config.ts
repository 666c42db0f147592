import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// tfjs-core's gradients, bundled by `pnpm install` (the package's `prepare`); a worktree made
// before that step existed gets them here (see packages/keras-like/src/backend/gradients.ts).
if (!existsSync(new URL('./packages/keras-like/src/backend/generated/tfjs_gradients.js', import.meta.url))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('./packages/keras-like/scripts/bundle-gradients.mjs', import.meta.url))]);
}

// vitest 5's failure summary calls Map.groupBy (Node ≥ 21). On Node 20 it would crash while
// reporting a failed test and hide the failure, so provide it here (the config loads first).
const MapWithGroupBy = Map as unknown as { groupBy?: unknown };
MapWithGroupBy.groupBy ??= <T, K>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  let index = 0;
  for (const item of items) {
    const key = keyOf(item, index++);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
