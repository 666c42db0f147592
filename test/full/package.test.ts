/**
 * keras-like as a user meets it: the packed tarball installed with npm into a project outside
 * the repository (setup.ts), then an ES-module script, a CommonJS script, a .ts file under tsx
 * in a CommonJS folder (and tsc on it), Deno 2, the `keras-like` command, a stand-in for the
 * optional tfjs-node, and a plot without the optional plotting packages.
 * Import + first-epoch times are printed and written to .vitest/full-timings.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';

const app = inject('app');
const fixtures = fileURLToPath(new URL('./app/', import.meta.url));
const timings: Record<string, { importMs?: number; firstEpochMs: number }> = {};

function copyFixture(name: string, as = name): string {
  copyFileSync(join(fixtures, name), join(app, as));
  return as;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const childEnv = { ...process.env, ...env };
  delete childEnv.KERAS_LIKE_BACKEND;
  delete childEnv.NODE_OPTIONS;
  const child = spawnSync(command, args, { cwd: app, encoding: 'utf8', env: childEnv });
  expect(child.status, `${command} ${args.join(' ')}\n${child.stderr}`).toBe(0);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

afterAll(() => {
  mkdirSync('.vitest', { recursive: true });
  writeFileSync('.vitest/full-timings.json', `${JSON.stringify(timings, null, 2)}\n`);
  console.log('import + first epoch (ms):', JSON.stringify(timings));
});

describe('the packed package', () => {
  it('ships compiled JavaScript and declarations, no TypeScript sources', () => {
    const files = execFileSync('tar', ['-tzf', inject('tarball')], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/esm/index.js');
    expect(files).toContain('package/dist/cjs/index.js');
    expect(files).toContain('package/dist/esm/cli/main.js');
    expect(files).toContain('package/dist/cjs/metrics/accuracy.d.ts');
    expect(files).toContain('package/dist/cjs/losses/classes.d.ts');
    expect(files).toContain('package/dist/cjs/initializers/variance_scaling.d.ts');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    // The user README and the licence, and nothing of the repository but dist/: no sources, tests or scripts.
    expect(files).toContain('package/README.md');
    expect(files).toContain('package/LICENSE');
    expect(files.filter((file) => file !== '' && !/^package\/(dist\/|README\.md$|LICENSE$|package\.json$)/.test(file))).toEqual([]);
  });

  it('has one declaration tree, maps without sources, and stays small (docs/backends.md, "The package")', () => {
    const { files, size, unpackedSize } = inject('packed');
    // The ES-module entry's types are one line re-exporting the CommonJS tree, as its JavaScript does.
    expect(files.filter((file) => file.endsWith('.d.ts') && !file.startsWith('dist/cjs/'))).toEqual(['dist/esm/index.d.ts']);
    expect(readFileSync(join(app, 'node_modules/keras-like/dist/esm/index.d.ts'), 'utf8')).toContain("export * from '../cjs/index.js';");
    const maps = files.filter((file) => file.endsWith('.map'));
    expect(maps.sort()).toEqual(['dist/cjs/index.js.map', 'dist/esm/cli/main.js.map']);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(app, 'node_modules/keras-like', map), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(parsed.sources.filter((source) => /(^|\/)src\/.*\.ts$/.test(source)).length, map).toBeGreaterThan(10);
      expect(parsed.sourcesContent, map).toBeUndefined();
    }
    // 0.81 MB packed, 4.0 MB unpacked, 271 files when written (before: 1.41 MB, 7.69 MB, 531 files); 0.78 MB,
    // 3.92 MB, 202 files once the declarations nothing reaches were dropped (scripts/expand-option-types.mjs).
    expect(size).toBeLessThan(1_000_000);
    expect(unpackedSize).toBeLessThan(5_000_000);
    expect(files.length).toBeLessThan(260);
  });

  it('declarations name zod only in the public schemas a custom layer or optimizer extends (scripts/expand-option-types.mjs)', () => {
    const { files } = inject('packed');
    const declarations = files.filter((file) => file.endsWith('.d.ts'));
    const namesZod = /from 'zod'|import\("zod|\bZod[A-Z]|\bz\.[a-zA-Z$]/;
    const naming = declarations.filter((file) => namesZod.test(readFileSync(join(app, 'node_modules/keras-like', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')));
    expect(naming.sort()).toEqual(['dist/cjs/layers/layer.d.ts', 'dist/cjs/optimizers/base.d.ts']);
    // In those two files, only `layerSchema`, `baseOptimizerSchema`, `floatBetween0And1`, `nonNegativeFloat` and
    // `parseOptimizerArgs` (with the type `OptimizerOptions<S>`: a custom optimizer's options, docs/optimizers.md)
    // (keras.layers.layerSchema, keras.optimizers.*: run-time exports, typed by zod as users extend them).
    const declared = naming.flatMap((file) =>
      [...readFileSync(join(app, 'node_modules/keras-like', file), 'utf8').matchAll(/^export declare (?:const|function) ([\w$]+)[^;]*?(?:z\.Zod|import\("zod)/gm)].map(([, name]) => name),
    );
    expect(declared.sort()).toEqual(['baseOptimizerSchema', 'floatBetween0And1', 'layerSchema', 'nonNegativeFloat', 'parseOptimizerArgs']);
    // Before the rewrite the declarations named zod's types 660 times (`import("zod").ZodDefault<...>`, ...); 61 after, all in
    // those four declarations (and a comment in base.d.ts).
    const mentions = declarations.reduce((n, file) => n + (readFileSync(join(app, 'node_modules/keras-like', file), 'utf8').match(/\bz\.|import\("zod/g) ?? []).length, 0);
    expect(mentions).toBeLessThan(100);
    // The options types are written out, with their doc comments.
    const nadam = readFileSync(join(app, 'node_modules/keras-like/dist/cjs/optimizers/nadam.d.ts'), 'utf8');
    expect(nadam).toMatch(/\/\*\*\n \* Keyword arguments of `Nadam`:[\s\S]*?\*\/\nexport type NadamOptions = \{\n    learning_rate\?: import\("\.\/base\.js"\)\.LearningRate \| undefined;/);
    expect(existsSync(join(app, 'node_modules/keras-like/dist/cjs/options/parse.d.ts'))).toBe(false);
  });

  it('the written-out option types are as strict as the zod-computed ones: wrong options fail tsc with the errors a user expects, right ones pass', () => {
    const tsc = (file: string, strict: boolean) => {
      const as = file.replace(/\.txt$/, '');
      const child = spawnSync(join(app, 'node_modules/.bin/tsc'), ['--ignoreConfig', `--strict`, String(strict), '--module', 'nodenext', '--target', 'es2022', '--noEmit', '--skipLibCheck', '--types', 'node', '--pretty', 'false', copyFixture(file, as)], { cwd: app, encoding: 'utf8' });
      return child.stdout;
    };
    // Strict, as a project's tsconfig; and not strict, as tslab compiles a notebook cell.
    for (const strict of [true, false]) {
      expect(tsc('options-valid.ts', strict), `strict: ${strict}`).toBe('');
      const out = tsc('options-wrong.ts.txt', strict);
      const lines = readFileSync(join(fixtures, 'options-wrong.ts.txt'), 'utf8').split('\n');
      // Each statement after the blank line is one mistake: one error at its line, saying what is wrong.
      const expected: Record<string, RegExp> = {
        "Dense(10, { activaton: 'relu' });": /TS2345[\s\S]*'activaton' does not exist/,
        "keras.optimizers.Adam({ learning_rate: 'x' });": strict ? /TS2322: Type 'string' is not assignable to type 'LearningRate \| undefined'/ : /TS2322: Type 'string' is not assignable to type 'LearningRate'/,
        'keras.optimizers.SGD({ momentum: 0.9, nesterov: 1 });': /TS2322: Type 'number' is not assignable to type 'boolean/,
        'keras.layers.LSTM(8, { return_sequence: true });': /'return_sequence' does not exist in type 'LSTMOptions'. Did you mean to write 'return_sequences'\?/,
        "keras.layers.Conv2D(8, 3, { padding: 'causal' });": /TS2345: Argument of type '\[8, 3, \{ padding: "causal"; \}\]'/,
        "keras.layers.MaxPooling2D(2, null, 'full');": /TS2345: Argument of type '\[2, null, "full"\]'/,
        "keras.metrics.AUC({ curve: 'XX' });": /TS2345: Argument of type '\[\{ curve: "XX"; \}\]'/,
        "keras.losses.BinaryCrossentropy({ reduction: 'average' });": /TS2345: Argument of type '\[\{ reduction: "average"; \}\]'/,
        "model.compile({ loss: 'mse', optimiser: 'adam' });": /TS2345: Argument of type '\[\{ loss: string; optimiser: string; \}\]'/,
        "model.fit(tf.zeros([8, 4]), tf.zeros([8, 1]), { epochs: '1' });": /TS2345[\s\S]*'\{ epochs: string; \}'/,
        'const decayRate: string = keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.96).get_config().decay_rate;': /TS2322: Type 'number' is not assignable to type 'string'/,
      };
      const errors = out.split(/\n(?=options-wrong\.ts\()/).filter((e) => e.startsWith('options-wrong.ts('));
      const byLine = new Map(errors.map((e) => [lines[Number(/^options-wrong\.ts\((\d+),/.exec(e)![1]) - 1]!, e]));
      expect([...byLine.keys()].sort(), `strict: ${strict}\n${out}`).toEqual(Object.keys(expected).sort());
      expect(errors.length).toBe(Object.keys(expected).length);
      for (const [line, message] of Object.entries(expected)) expect(byLine.get(line), `strict: ${strict}: ${line}`).toMatch(message);
    }
  });

  it('arethetypeswrong finds no problem with the types of either condition', () => {
    const child = spawnSync('npx', ['-y', '@arethetypeswrong/cli@0.18.5', '--format', 'json', inject('tarball')], { cwd: app, encoding: 'utf8' });
    expect(child.status, child.stdout + child.stderr).toBe(0);
    const report = JSON.parse(child.stdout) as { problems: Record<string, unknown> };
    expect(report.problems).toEqual({});
  });

  it("installs without running a script of ours: the packed manifest has no lifecycle script", () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/keras-like/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    // The scripts npm runs when a package is installed (prepare: from a git dependency).
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => lifecycle.includes(name))).toEqual([]);
    // npm 11 lists each installed package with such a script ("npm warn install-scripts   keras-like@0.1.0 (prepare: ...)").
    const log = inject('installLog');
    expect(log).toContain('added '); // the log was captured
    expect(log.split('\n').filter((line) => /install-scripts\s+keras-like@/.test(line))).toEqual([]);
  });

  it('carries the Apache-2.0 licence, and the MIT notice of zod, which the bundle contains', () => {
    const license = readFileSync(join(app, 'node_modules/keras-like/LICENSE'), 'utf8');
    expect(license).toBe(readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8'));
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(JSON.parse(readFileSync(join(app, 'node_modules/keras-like/package.json'), 'utf8')).license).toBe('Apache-2.0');
    const bundle = readFileSync(join(app, 'node_modules/keras-like/dist/cjs/index.js'), 'utf8');
    const zodLicense = readFileSync(new URL('../../packages/keras-like/node_modules/zod/LICENSE', import.meta.url), 'utf8');
    expect(bundle).toContain(zodLicense.trim());
  });

  it("loads the same keras-like for import and require (the ES-module entry wraps the CommonJS bundle)", () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "import * as esm from 'keras-like';",
      "console.log(JSON.stringify({ same: createRequire(import.meta.url)('keras-like').Sequential === esm.Sequential }));",
    ];
    writeFileSync(join(app, 'same.mjs'), script.join('\n'));
    expect(run(process.execPath, ['same.mjs'])).toEqual({ same: true });
  });

  it('installs lean: no plotting package unless asked for', () => {
    for (const name of ['vega', 'vega-lite', '@resvg/resvg-js', 'gifenc', 'dejavu-fonts-ttf']) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules/@tensorflow/tfjs-backend-wasm'))).toBe(true);
  });
});

describe('loaders', () => {
  it('plain node, ES module: wasm from the first op, trains, autodiff works', () => {
    const seen = run('node', [copyFixture('train.mjs')]);
    expect(seen.backendAtImport).toBe('wasm');
    expect(seen.accuracy as number).toBeGreaterThan(0.8);
    expect(seen.gradient).toEqual([2, -4]);
    timings['node ESM (wasm)'] = { importMs: seen.importMs as number, firstEpochMs: seen.firstEpochMs as number };
  });

  it('node, CommonJS require: cpu at once, wasm after ready()', () => {
    const seen = run('node', [copyFixture('train.cjs')]);
    expect(seen.backendAtImport).toBe('cpu');
    expect([seen.readyName, seen.backend]).toEqual(['wasm', 'wasm']);
    expect(seen.accuracy as number).toBeGreaterThan(0.8);
    timings['node CommonJS (cpu, then wasm after ready())'] = { importMs: seen.importMs as number, firstEpochMs: seen.firstEpochMs as number };
  });

  it('tsx in a "type": "commonjs" folder runs a .ts file, and tsc type-checks it', () => {
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type).toBe('commonjs');
    const file = copyFixture('train.ts');
    const seen = run(join(app, 'node_modules/.bin/tsx'), [file]);
    expect([seen.backendAtImport, seen.readyName]).toEqual(['cpu', 'wasm']);
    expect(seen.accuracy as number).toBeGreaterThan(0.8);
    timings['tsx, CommonJS folder (import + first epoch)'] = { firstEpochMs: seen.firstEpochMs as number };
  });

  it('tsc type-checks a CommonJS and an ES-module consumer ("module": "nodenext"), each through its own condition', () => {
    // train.ts is CommonJS here ("type": "commonjs"): `require` condition; train-esm.mts an ES module: `import`.
    const files = [copyFixture('train.ts'), copyFixture('train-esm.mts')];
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: true }, files }),
    );
    const tsc = spawnSync(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--listFiles'], { cwd: app, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const entries = tsc.stdout.split('\n').filter((line) => /node_modules\/keras-like\/dist\/(esm|cjs)\/index\.d\.ts$/.test(line));
    expect(entries.map((line) => line.replace(/.*keras-like\//, '')).sort()).toEqual(['dist/cjs/index.d.ts', 'dist/esm/index.d.ts']);
    // The ES-module entry has no default export, and its types say so.
    writeFileSync(join(app, 'default-import.mts'), "import keraslike from 'keras-like';\nconsole.log(keraslike);\n");
    const wrong = spawnSync(join(app, 'node_modules/.bin/tsc'), ['--ignoreConfig', '--module', 'nodenext', '--noEmit', '--skipLibCheck', '--types', 'node', 'default-import.mts'], { cwd: app, encoding: 'utf8' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toContain('has no default export');
  });

  it('Deno 2 runs an ES-module script from the installed package', () => {
    const file = copyFixture('train.mjs', 'train-deno.mjs');
    const seen = run(inject('deno'), ['run', '-A', file], { DENO_NO_UPDATE_CHECK: '1' });
    expect(seen.backendAtImport).toBe('wasm');
    expect(seen.accuracy as number).toBeGreaterThan(0.8);
    expect(seen.gradient).toEqual([2, -4]);
    timings['Deno 2 (wasm)'] = { importMs: seen.importMs as number, firstEpochMs: seen.firstEpochMs as number };
  });
});

describe('around the library', () => {
  it('the keras-like command is installed', () => {
    const out = execFileSync(join(app, 'node_modules/.bin/keras-like'), ['--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: keras-like <command>');
    expect(out).toContain('port');
  });

  it('a plot without the plotting packages names what to install', () => {
    const child = spawnSync('node', [copyFixture('plot-without-renderers.mjs')], { cwd: app, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toContain("plotting needs the optional package 'vega'");
    expect(child.stdout).toContain('npm install vega@6 vega-lite@6.4 @resvg/resvg-js@2 dejavu-fonts-ttf@2 gifenc@1');
  });

  it('detects @tensorflow/tfjs-node when installed (a stand-in that registers a "tensorflow" backend)', () => {
    const fake = join(app, 'node_modules/@tensorflow/tfjs-node');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
    copyFileSync(join(fixtures, 'fake-tfjs-node.cjs'), join(fake, 'index.js'));
    try {
      const esm = run('node', [copyFixture('train.mjs')]);
      expect(esm.backendAtImport).toBe('tensorflow');
      expect(esm.accuracy as number).toBeGreaterThan(0.8);
      const cjs = run('node', [copyFixture('train.cjs')]);
      expect([cjs.backendAtImport, cjs.readyName]).toEqual(['tensorflow', 'tensorflow']);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});
