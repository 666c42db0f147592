// Builds dist/, what the npm package ships (`pnpm --filter keras-like build`, and `prepack`):
//
//   dist/cjs/index.js        CommonJS entry (src/index.ts: synchronous start-up), all of keras-like
//   dist/cjs/**/*.d.ts       the declarations, one tree (dist/cjs has "type": "commonjs"), options
//                            types written out instead of computed from zod (expand-option-types.mjs)
//   dist/esm/index.js        ES-module entry: requires dist/cjs/index.js, waits for wasm (as src/import.ts)
//   dist/esm/index.d.ts      its declarations: `export *` from the CommonJS tree, as the .js does
//   dist/esm/cli/main.js     the `keras-like` command (src/cli/main.ts)
//   *.js.map                 source maps without sourcesContent (below)
//
// Bundled so that no loader meets TypeScript or extensionless imports; every npm dependency
// but zod stays external (below). Declarations come from tsc, and any type error fails the build.
// Everything this script and its tools print goes to stderr: stdout is npm's (`npm pack --json`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expandOptionTypes } from './expand-option-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (path) => join(root, path);

const toStderr = { stdio: ['ignore', 2, 2] };
execFileSync(process.execPath, [at('scripts/bundle-gradients.mjs')], toStderr);
rmSync(at('dist'), { recursive: true, force: true });

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
execFileSync(process.execPath, [tsc, '-p', at('tsconfig.build.json')], toStderr);
cpSync(at('src/backend/generated/tfjs_gradients.d.ts'), at('dist/cjs/backend/generated/tfjs_gradients.d.ts'));

// The options types, computed from zod schemas in the sources, written out in the declarations
// (checked identical), so that a consumer's compiler (tslab's, at each notebook cell) neither
// loads zod's declarations for them nor evaluates `z.input<...>`: expand-option-types.mjs says how.
const expanded = expandOptionTypes(at('dist/cjs'));
console.error(
  `keras-like: ${expanded.writtenOut} zod-computed types written out in the declarations, ${expanded.droppedFiles.length} declaration files no import reaches dropped; ` +
    `still naming zod: ${expanded.namingZod.join(', ') || 'none'} (the public schemas a custom layer or optimizer extends)`,
);

// Every npm dependency stays external (the user's node_modules holds it) except zod: as
// published it is ~240 small modules (all of its locales included), whose loading was the
// largest single cost of `import 'keras-like'`; bundled, esbuild keeps the parts used, in one
// file (docs/backends.md, "Start-up time"). zod stays a dependency for the declarations of the
// public schemas a custom layer or optimizer extends (`layerSchema`, `baseOptimizerSchema`).
const manifest = JSON.parse(readFileSync(at('package.json'), 'utf8'));
const external = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
  .filter((name) => name !== 'zod')
  .flatMap((name) => [name, `${name}/*`]);

// zod's code is copied into the bundle, so its MIT licence (copyright and permission notice)
// goes with it; tfjs's bundled gradients keep their own Apache-2.0 headers (legalComments).
const zodLicense = readFileSync(join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'LICENSE'), 'utf8');

// Source maps map a stack trace (`node --enable-source-maps`, Deno, a debugger) to the line of
// src/**/*.ts in the repository. Without sourcesContent: the sources' text made the CommonJS
// bundle's map 4.0 MB of the 7.7 MB unpacked package, and a user who needs them has the repository.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * CommonJS only: esbuild turns each module's `import * as tf from '@tensorflow/tfjs-core'` into
 * its own `__toESM(require(...))`, which copies tfjs-core's ~1,500 exports once per module
 * (90 modules: ~0.2 s at start-up). Routing every such import through one bundled module makes
 * the copy happen once. The ES-module build keeps native imports, which Node shares.
 */
const oneTfjsCore = {
  name: 'one-tfjs-core',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, (args) =>
      args.namespace === 'tfjs-core-once' ? { path: args.path, external: true } : { path: 'tfjs-core', namespace: 'tfjs-core-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'tfjs-core-once' }, () => ({ contents: "export * from '@tensorflow/tfjs-core';", resolveDir: root }));
  },
};

await build({
  ...common,
  entryPoints: { index: at('src/index.ts') },
  outdir: at('dist/cjs'),
  format: 'cjs',
  plugins: [oneTfjsCore],
  // `import.meta.url` (createRequire, fonts) and `import.meta.resolve` (h5wasm) as CommonJS has them.
  define: { 'import.meta.url': 'importMetaUrl', 'import.meta.resolve': 'importMetaResolve' },
  banner: {
    js: [
      `/*! Bundled: zod (https://github.com/colinhacks/zod)\n${zodLicense.trim()}\n*/`,
      "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      "const importMetaResolve = (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href;",
    ].join('\n'),
  },
});
writeFileSync(at('dist/cjs/package.json'), '{ "type": "commonjs" }\n');

/**
 * The ES-module entry is a wrapper around the CommonJS bundle: it `require`s it, waits for
 * wasm (src/import.ts's top-level `await ready()`), and re-exports every name. Node and Deno
 * load one CommonJS file several times faster than the same code as an ES module (V8 compiles
 * ES modules more eagerly, and Node scans every CommonJS dependency an ES module imports for its
 * export names): about 1 s less at start-up (docs/backends.md, "Start-up time"). It also means
 * one keras-like (one tfjs engine, one backend) for a program that both imports and requires it.
 */
const names = JSON.parse(
  execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(at('dist/cjs/index.js'))}))))`], {
    encoding: 'utf8',
    env: { ...process.env, KERAS_LIKE_BACKEND: 'cpu' },
  }),
).filter((name) => name !== '__esModule');
mkdirSync(at('dist/esm'), { recursive: true });
writeFileSync(
  at('dist/esm/index.js'),
  [
    '// keras-like\'s ES-module entry: the CommonJS bundle, after waiting for wasm (scripts/build.mjs says why).',
    "import { createRequire } from 'node:module';",
    "const keraslike = createRequire(import.meta.url)('../cjs/index.js');",
    'await keraslike.ready();',
    `export const { ${names.join(', ')} } = keraslike;`,
    '',
  ].join('\n'),
);

// The `keras-like` command; its API (the names a ported notebook may use) is the entry above.
await build({
  ...common,
  entryPoints: { 'cli/main': at('src/cli/main.ts') },
  outdir: at('dist/esm'),
  format: 'esm',
  plugins: [
    {
      name: 'keras-like-entry',
      setup(build) {
        build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) => (args.importer.endsWith('main.ts') ? { path: '../index.js', external: true } : undefined));
      },
    },
  ],
});

// One declaration tree for both conditions: the ES-module entry's types re-export the CommonJS
// tree's, as its JavaScript re-exports the CommonJS bundle's names (a second tree was 0.7 MB).
writeFileSync(
  at('dist/esm/index.d.ts'),
  "// keras-like's ES-module entry re-exports the CommonJS bundle (scripts/build.mjs), and so do its types.\nexport * from '../cjs/index.js';\n",
);
const emitted = readdirSync(at('dist'), { recursive: true }).length;
console.error(`keras-like: dist/ built (${emitted} files)`);
