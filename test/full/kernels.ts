/**
 * The notebook kernels of the full tier, installed as a user would, into temporary folders
 * (never the user's own Jupyter folders): tslab from npm (its install.py with --prefix), and
 * Deno's kernel from the `deno` npm package (`deno jupyter --install`, which writes under
 * XDG_DATA_HOME). Debian's Jupyter runs them (`jupyter nbconvert --execute`, installed by .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { PLOT_PACKAGES } from '../../packages/keras-like/src/plot/packages.js';

/** One output of an executed cell, as nbformat stores it. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}

let env: NodeJS.ProcessEnv | undefined;

/** Installs tslab and Deno's kernel once; returns the environment nbconvert runs in (both kernels on JUPYTER_PATH). */
export function kernelEnv(): NodeJS.ProcessEnv {
  if (env !== undefined) return env;
  const root = inject('userRoot');
  const tools = join(root, 'tools');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'tslab@1'], { cwd: tools, stdio: 'ignore' });
  const kernels = join(root, 'jupyter');
  // Debian's python3, where apt installs Jupyter (a pyenv python3 on PATH would not have it).
  execFileSync('/usr/bin/python3', [join(tools, 'node_modules/tslab/python/install.py'), `--tslab=${join(tools, 'node_modules/.bin/tslab')}`, `--prefix=${kernels}`]);
  // `deno jupyter --install` writes $XDG_DATA_HOME/jupyter/kernels/deno/kernel.json.
  const denoData = join(root, 'deno-jupyter');
  execFileSync(inject('deno'), ['jupyter', '--install', '--force'], { env: { ...process.env, XDG_DATA_HOME: denoData }, stdio: 'ignore' });
  env = {
    ...process.env,
    JUPYTER_PATH: `${join(kernels, 'share/jupyter')}:${join(denoData, 'jupyter')}`,
    PATH: `${join(tools, 'node_modules/.bin')}:${process.env.PATH}`,
  };
  delete env.KERAS_LIKE_BACKEND;
  return env;
}

/**
 * The project notebooks run in: a fresh npm project (made once per run, shared by the test files)
 * holding the packed keras-like and @types/node (tslab type-checks `node:fs`), then the optional
 * plotting packages, installed as a user does on reading keras-like's message for a plot without
 * them (`npm install vega@6 vega-lite@6.4 ...`, built from PLOT_PACKAGES; package.test.ts checks
 * it), so that plot_history draws inline. setup.ts's `app` stays without them: package.test.ts
 * checks that a plain install is lean.
 */
export function notebookProject(): string {
  const project = join(inject('userRoot'), 'notebooks');
  if (existsSync(join(project, 'node_modules/keras-like')) && existsSync(join(project, 'node_modules/vega'))) return project;
  mkdirSync(project, { recursive: true });
  const npm = (args: string[]) => execFileSync('npm', args, { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  npm(['init', '-y']);
  npm(['install', '--no-audit', '--no-fund', inject('tarball'), '@types/node@20']);
  npm(['install', '--no-audit', '--no-fund', ...Object.values(PLOT_PACKAGES)]);
  return project;
}

/** `jupyter nbconvert --execute` on `notebook` in folder `cwd`; returns the path of the executed copy and its cells' outputs. */
export function execute(notebook: string, cwd: string = inject('app')): { executed: string; outputs: Output[] } {
  const executed = notebook.replace(/\.ipynb$/, '.executed.ipynb');
  const run = spawnSync('/usr/bin/python3', ['-m', 'nbconvert', '--to', 'notebook', '--execute', notebook, '--output', executed], {
    cwd,
    env: kernelEnv(),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const cells = (JSON.parse(readFileSync(join(cwd, executed), 'utf8')) as { cells: Array<{ outputs?: Output[] }> }).cells;
  return { executed: join(cwd, executed), outputs: cells.flatMap((cell) => cell.outputs ?? []) };
}

/** Everything a reader sees as text: stream output, and text/plain display data (`model.summary()`'s table). */
export function textOf(outputs: readonly Output[]): string {
  return outputs
    .map((o) => {
      if (o.text !== undefined) return o.text.join('');
      const plain = o.data?.['text/plain'];
      return plain === undefined ? '' : `${Array.isArray(plain) ? plain.join('') : plain}\n`;
    })
    .join('');
}

/**
 * Runs a notebook and checks it; on Deno's kernel a failed check runs it once more. Deno's kernel
 * publishes output on a ZeroMQ PUB socket, which can drop a message when the subscriber's queue is
 * full instead of waiting (zeromq.rs's PubSocket uses try_send); on a loaded CI machine a run has
 * lost a console.log line or plot_history's picture (docs/backends.md). The re-run is said in the
 * log; two lossy runs fail.
 */
export function runChecked<Run>(label: string, kernel: 'tslab' | 'deno', run: () => Run, check: (result: Run) => void): Run {
  let result = run();
  if (kernel === 'deno') {
    try {
      check(result);
      return result;
    } catch (error) {
      console.warn(`${label}: Deno's kernel lost output (${String(error).split('\n')[0]}); running it once more`);
      result = run();
    }
  }
  check(result);
  return result;
}
