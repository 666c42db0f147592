// Builds dist/, what the npm package ships (`pnpm --filter keras-like build`, and `prepack`):
//
//   dist/esm/index.js        ES-module entry (src/import.ts: waits for wasm at import)
//   dist/esm/cli/main.js     the `keras-like` command (src/cli/main.ts)
//   dist/esm/chunks/         code the two share, and what loads lazily (plotting)
//   dist/cjs/index.js        CommonJS entry (src/index.ts: synchronous start-up)
//   dist/{esm,cjs}/**/*.d.ts declarations, one tree per format (dist/cjs has "type": "commonjs")
//
// Bundled so that no loader meets TypeScript or extensionless imports; every npm dependency
// stays external. Declarations come from tsc, and any type error fails the build.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (path) => join(root, path);

execFileSync(process.execPath, [at('scripts/bundle-gradients.mjs')], { stdio: 'inherit' });
rmSync(at('dist'), { recursive: true, force: true });

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
execFileSync(process.execPath, [tsc, '-p', at('tsconfig.build.json')], { stdio: 'inherit' });
cpSync(at('src/backend/generated/tfjs_gradients.d.ts'), at('dist/esm/backend/generated/tfjs_gradients.d.ts'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { index: at('src/import.ts'), 'cli/main': at('src/cli/main.ts') },
  outdir: at('dist/esm'),
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

await build({
  ...common,
  entryPoints: { index: at('src/index.ts') },
  outdir: at('dist/cjs'),
  format: 'cjs',
  // `import.meta.url` (createRequire, fonts) and `import.meta.resolve` (h5wasm) as CommonJS has them.
  define: { 'import.meta.url': 'importMetaUrl', 'import.meta.resolve': 'importMetaResolve' },
  banner: {
    js: [
      "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      "const importMetaResolve = (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href;",
    ].join('\n'),
  },
});
cpSync(at('dist/esm'), at('dist/cjs'), {
  recursive: true,
  filter: (path) => statSync(path).isDirectory() || path.endsWith('.d.ts'),
});
writeFileSync(at('dist/cjs/package.json'), '{ "type": "commonjs" }\n');
const emitted = readdirSync(at('dist'), { recursive: true }).length;
console.log(`keras-like: dist/ built (${emitted} files)`);
