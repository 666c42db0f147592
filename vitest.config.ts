import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// vitest 5's failure summary needs Map.groupBy (Node ≥ 21) on Node 20.
import './vitest.node20.ts';

// tfjs-core's gradients, bundled by `pnpm install` (the workspace root's `prepare`); a worktree made
// before that step existed gets them here (see packages/keras-like/src/backend/gradients.ts).
if (!existsSync(new URL('./packages/keras-like/src/backend/generated/tfjs_gradients.js', import.meta.url))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('./packages/keras-like/scripts/bundle-gradients.mjs', import.meta.url))]);
}

export default defineConfig({
  // In the repository `keras-like` is its sources (the package's `exports` point at dist/, what
  // npm ships); tsc and tsx read the same mapping from tsconfig.json's `paths`.
  resolve: {
    alias: [{ find: /^keras-like$/, replacement: fileURLToPath(new URL('./packages/keras-like/src/import.ts', import.meta.url)) }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The full tier has its own config (vitest.full.config.ts).
    exclude: ['test/full/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
