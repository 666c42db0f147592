import { defineConfig } from 'vitest/config';
// vitest 5's failure summary needs Map.groupBy (Node ≥ 21) on Node 20.
import './vitest.node20.ts';

// The full tier (`pnpm test:full`, run by .ci/run after `pnpm test`): keras-like packed and
// installed as a user would, in each environment. Needs npm and network access to its registry.
export default defineConfig({
  test: {
    include: ['test/full/**/*.test.ts'],
    globalSetup: ['test/full/setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/full-results.json' },
  },
});
