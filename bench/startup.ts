/**
 * Start-up time of keras-like as a user meets it (issue 13: "under 1 s to first output on
 * wasm"): keras-like packed, installed with npm into a fresh folder, and a classroom script
 * run in a fresh process per environment: import (+ `await keras.ready()` where the loader
 * cannot wait), then one epoch of an 8-12-1 network on 256 samples, batch 10 (26 steps).
 * Times are from the process's start (`performance.now()`, Node's boot included), so
 * "first epoch" is when a script's first output could appear. Runs alternate between
 * environments; the table shows the median and the range.
 *
 *   npx -y pnpm@12.4.2 exec tsx bench/startup.ts                     # packs, installs, 5 repeats
 *   npx -y pnpm@12.4.2 exec tsx bench/startup.ts --app /tmp/x --repeats 9 --notebooks
 *
 * `--breakdown` also times each package the CommonJS entry `require`s (Module._load,
 * nested requires counted in their parent) and what is left: keras-like's own bundle.
 * `--notebooks` also runs tslab and Deno's kernel (needs Debian's Jupyter: nbconvert), timing
 * from the import cell's start, as the kernel is already up when a student runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    app: { type: 'string' },
    repeats: { type: 'string', default: '5' },
    breakdown: { type: 'boolean', default: false },
    notebooks: { type: 'boolean', default: false },
  },
});

const packageDir = fileURLToPath(new URL('../packages/keras-like/', import.meta.url));
const npm = (cwd: string, ...npmArgs: string[]) => execFileSync('npm', npmArgs, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

/** A fresh project with keras-like's tarball, tsx and deno (and tslab with --notebooks), or the one given. */
function userProject(): string {
  if (args.app !== undefined && existsSync(join(args.app, 'node_modules/keras-like'))) return args.app;
  const root = args.app ?? mkdtempSync(join(tmpdir(), 'keras-like-startup-'));
  mkdirSync(root, { recursive: true });
  npm(packageDir, 'pack', '--pack-destination', root);
  const tarball = join(root, readdirSync(root).find((file) => file.endsWith('.tgz'))!);
  npm(root, 'init', '-y');
  npm(root, 'install', '--no-audit', '--no-fund', tarball, 'tsx', 'deno@2', '@types/node@20', ...(args.notebooks ? ['tslab@1'] : []));
  return root;
}

// The classroom script: what each environment runs. `mark` records ms since the process started.
const BODY = `
mark('imported');
keras.utils.set_random_seed(1);
const x = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32'));
const model = Sequential();
model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
model.add(Dense(1, { activation: 'sigmoid' }));
model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
model.fit(x, y, { epochs: 1, batch_size: 10, verbose: 0 });
mark('firstEpoch');
console.log(JSON.stringify({ ...marks, backend: keras.backend.backend() }));
`;
const MARK = 'const marks = {}; const mark = (name) => { marks[name] = performance.now(); };\n';
const SCRIPTS: Record<string, string> = {
  'startup.mjs': `${MARK}const { keras, tf, Sequential, Dense } = await import('keras-like');\n${BODY}`,
  'startup.cjs': `${MARK}const { keras, tf, Sequential, Dense } = require('keras-like');\n(async () => {\nawait keras.ready();\n${BODY}})();\n`,
  // tsx in npm's default "type": "commonjs" folder compiles this to CommonJS.
  'startup.ts': `const marks: Record<string, number> = {}; const mark = (name: string) => { marks[name] = performance.now(); };\nimport { keras, tf, Sequential, Dense } from 'keras-like';\n(async () => {\nawait keras.ready();\n${BODY}})();\n`,
  // Which packages the CommonJS entry loads, and how long each takes.
  'breakdown.cjs': `
const Module = require('node:module');
const load = Module._load;
const times = {};
let depth = 0;
Module._load = function (request) {
  const top = depth === 1 && !request.startsWith('node:');
  depth++;
  const start = performance.now();
  try { return load.apply(this, arguments); } finally { depth--; if (top) times[request] = (times[request] ?? 0) + performance.now() - start; }
};
const start = performance.now();
require('keras-like');
const total = performance.now() - start;
times['(keras-like own code)'] = total - Object.values(times).reduce((a, b) => a + b, 0);
times['(total require)'] = total;
console.log(JSON.stringify(times));
`,
};

interface Run {
  imported: number;
  /** In a notebook: from the import cell's first statement to keras-like loaded and ready (without the kernel's compile of the cell). */
  loaded?: number;
  firstEpoch: number;
  backend?: string;
}

function runScript(app: string, command: string, commandArgs: string[]): Record<string, number | string> {
  const run = spawnSync(command, commandArgs, { cwd: app, encoding: 'utf8', env: { ...process.env, KERAS_LIKE_BACKEND: '' } });
  if (run.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
}

/** A notebook whose first cell notes the time and whose next cells import keras-like and train one epoch. */
function notebookRun(app: string, kernel: 'tslab' | 'deno', env: NodeJS.ProcessEnv, attempt = 1): Run {
  const cells = [
    'const t0 = performance.now();',
    // tslab compiles a cell to CommonJS in statement order, so t1 is taken after the cell's type-check and
    // before keras-like loads; Deno hoists the import (an ES module), so there t1 - t0 includes it.
    "const t1 = performance.now();\nimport { keras, tf, Sequential, Dense } from 'keras-like';\nawait keras.ready();\nconsole.log(JSON.stringify({ imported: performance.now() - t0, loaded: performance.now() - t1 }));",
    `const marks: Record<string, number> = {}; const mark = (name: string) => { marks[name] = performance.now() - t0; };\n${BODY.replace("mark('imported');", '')}`,
  ];
  const spec = kernel === 'tslab' ? { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } : { name: 'deno', display_name: 'Deno', language: 'typescript' };
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: spec },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null })),
  };
  writeFileSync(join(app, `startup-${kernel}.ipynb`), JSON.stringify(notebook));
  const run = spawnSync('/usr/bin/python3', ['-m', 'nbconvert', '--to', 'notebook', '--execute', `startup-${kernel}.ipynb`, '--output', `startup-${kernel}.out.ipynb`], { cwd: app, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`nbconvert (${kernel}) failed:\n${run.stderr}`);
  const out = JSON.parse(readFileSync(join(app, `startup-${kernel}.out.ipynb`), 'utf8')) as { cells: Array<{ outputs: Array<{ text?: string[] }> }> };
  const texts = [1, 2].map((i) => out.cells[i]!.outputs.map((o) => (o.text ?? []).join('')).join('').trim());
  // Deno's kernel may drop a cell's output (its IOPub PUB socket, docs/backends.md "Notebooks"): run again, and say so.
  if (texts.some((text) => text === '') && attempt < 3) {
    console.error(`startup: ${kernel} lost a cell's output; running the notebook again`);
    return notebookRun(app, kernel, env, attempt + 1);
  }
  const [imported, trained] = texts.map((text) => JSON.parse(text.split('\n').pop()!) as Record<string, number | string>);
  return { imported: imported!.imported as number, ...(kernel === 'tslab' ? { loaded: imported!.loaded as number } : {}), firstEpoch: trained!.firstEpoch as number, backend: trained!.backend as string };
}

/** Installs tslab and Deno's kernel into folders under `app` (never the user's own Jupyter folders). */
function kernelEnv(app: string): NodeJS.ProcessEnv {
  const bin = join(app, 'node_modules/.bin');
  execFileSync('/usr/bin/python3', [join(app, 'node_modules/tslab/python/install.py'), `--tslab=${join(bin, 'tslab')}`, `--prefix=${join(app, 'jupyter')}`], { stdio: 'ignore' });
  execFileSync(join(bin, 'deno'), ['jupyter', '--install', '--force'], { env: { ...process.env, XDG_DATA_HOME: join(app, 'deno-data') }, stdio: 'ignore' });
  return { ...process.env, KERAS_LIKE_BACKEND: '', JUPYTER_PATH: `${join(app, 'jupyter/share/jupyter')}:${join(app, 'deno-data/jupyter')}`, PATH: `${bin}:${process.env.PATH}` };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cell = (values: number[]) => `${(median(values) / 1000).toFixed(2)} s (${(Math.min(...values) / 1000).toFixed(2)}-${(Math.max(...values) / 1000).toFixed(2)})`;

const app = userProject();
for (const [file, text] of Object.entries(SCRIPTS)) writeFileSync(join(app, file), text);
const bin = join(app, 'node_modules/.bin');
const environments: Array<[string, () => Run]> = [
  ['node, ES module (`node startup.mjs`)', () => runScript(app, process.execPath, ['startup.mjs']) as unknown as Run],
  ['node, CommonJS + `await keras.ready()`', () => runScript(app, process.execPath, ['startup.cjs']) as unknown as Run],
  ['tsx in a CommonJS folder + `await keras.ready()`', () => runScript(app, join(bin, 'tsx'), ['startup.ts']) as unknown as Run],
  ['Deno 2, ES module (`deno run -A startup.mjs`)', () => runScript(app, join(bin, 'deno'), ['run', '-A', 'startup.mjs']) as unknown as Run],
];
if (args.notebooks) {
  const env = kernelEnv(app);
  environments.push(['Jupyter + tslab (from the import cell) + `await keras.ready()`', () => notebookRun(app, 'tslab', env)]);
  environments.push(["Jupyter + Deno's kernel (from the import cell)", () => notebookRun(app, 'deno', env)]);
}

const repeats = Number(args.repeats);
const results = new Map<string, Run[]>(environments.map(([name]) => [name, []]));
const breakdowns: Array<Record<string, number>> = [];
for (let r = 0; r < repeats; r++) {
  for (const [name, run] of environments) results.get(name)!.push(run());
  if (args.breakdown) breakdowns.push(runScript(app, process.execPath, ['breakdown.cjs']) as Record<string, number>);
}

const nodeVersion = process.version;
const denoVersion = execFileSync(join(bin, 'deno'), ['--version'], { encoding: 'utf8' }).split('\n')[0];
console.log(`\nkeras-like start-up, ${repeats} runs each, median (range); ${nodeVersion}, ${denoVersion}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
console.log('| environment | import (+ ready) | of which keras-like loading | first epoch done | backend of the epoch |');
console.log('|---|---|---|---|---|');
for (const [name, runs] of results) {
  const loaded = runs.every((r) => r.loaded !== undefined) ? cell(runs.map((r) => r.loaded!)) : '';
  console.log(`| ${name} | ${cell(runs.map((r) => r.imported))} | ${loaded} | ${cell(runs.map((r) => r.firstEpoch))} | ${[...new Set(runs.map((r) => r.backend))].join(', ')} |`);
}
if (args.breakdown) {
  console.log('\n| `require` of the CommonJS entry | median (range) |');
  console.log('|---|---|');
  const keys = Object.keys(breakdowns[0]!).sort((a, b) => median(breakdowns.map((x) => x[b] ?? 0)) - median(breakdowns.map((x) => x[a] ?? 0)));
  for (const key of keys) {
    const values = breakdowns.map((x) => x[key] ?? 0);
    console.log(`| ${key} | ${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}) |`);
  }
}
