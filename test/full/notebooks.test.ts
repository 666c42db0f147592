/**
 * examples/notebooks/ executed headless, as Jupyter runs them: Debian's Jupyter (`jupyter
 * nbconvert --execute`, installed by .ci/run), the tslab kernel from npm, and the keras-like
 * tarball installed into the notebook's folder (setup.ts). KERAS_LIKE_UPDATE_NOTEBOOKS=1 writes
 * the executed notebooks back, which is how their committed outputs are made.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';

const notebooks = fileURLToPath(new URL('../../examples/notebooks/', import.meta.url));
const data = fileURLToPath(new URL('../../examples/data/pima_indians_diabetes.csv', import.meta.url));

interface Output {
  output_type: string;
  text?: string[];
  ename?: string;
  evalue?: string;
}

const fixtures = fileURLToPath(new URL('../fixtures/notebooks/', import.meta.url));

/** Installs tslab (npm) as a Jupyter kernel once, and returns the environment nbconvert runs in. */
let kernelEnv: NodeJS.ProcessEnv | undefined;
function tslabEnv(): NodeJS.ProcessEnv {
  if (kernelEnv !== undefined) return kernelEnv;
  const root = inject('userRoot');
  const tools = join(root, 'tools');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'tslab@1'], { cwd: tools, stdio: 'ignore' });
  const kernels = join(root, 'jupyter');
  // Debian's python3, where apt installs Jupyter (a pyenv python3 on PATH would not have it).
  execFileSync('/usr/bin/python3', [join(tools, 'node_modules/tslab/python/install.py'), `--tslab=${join(tools, 'node_modules/.bin/tslab')}`, `--prefix=${kernels}`]);
  kernelEnv = { ...process.env, JUPYTER_PATH: join(kernels, 'share/jupyter'), PATH: `${join(tools, 'node_modules/.bin')}:${process.env.PATH}` };
  delete kernelEnv.KERAS_LIKE_BACKEND;
  return kernelEnv;
}

/** `jupyter nbconvert --execute` on a notebook in the user's project; returns the executed cells' outputs. */
function execute(notebook: string): Output[] {
  const app = inject('app');
  const executed = notebook.replace(/\.ipynb$/, '.executed.ipynb');
  const run = spawnSync('/usr/bin/python3', ['-m', 'nbconvert', '--to', 'notebook', '--execute', notebook, '--output', executed], {
    cwd: app,
    env: tslabEnv(),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const cells = (JSON.parse(readFileSync(join(app, executed), 'utf8')) as { cells: Array<{ outputs?: Output[] }> }).cells;
  return cells.flatMap((cell) => cell.outputs ?? []);
}

it('the Pima notebook runs in Jupyter with tslab: summary, progress bar and accuracy printed', () => {
  const app = inject('app');
  copyFileSync(join(notebooks, 'pima-tslab.ipynb'), join(app, 'pima-tslab.ipynb'));
  copyFileSync(data, join(app, 'pima_indians_diabetes.csv'));
  const outputs = execute('pima-tslab.ipynb');
  expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  const text = outputs.flatMap((o) => o.text ?? []).join('');
  expect(text).toContain('backend: wasm');
  expect(text).toContain('Total params: 221');
  expect(text).toMatch(/Epoch 10\/10\n77\/77 \[=+\] - \d+s \d+(?:m|u)?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n/);
  expect(text).not.toMatch(/\u001b\[|\r/); // no terminal control codes in the notebook
  const accuracy = Number(/Accuracy: (\d+\.\d+)/.exec(text)?.[1]);
  expect(accuracy).toBeGreaterThan(60);
  if (process.env.KERAS_LIKE_UPDATE_NOTEBOOKS === '1') {
    mkdirSync(notebooks, { recursive: true });
    copyFileSync(join(app, 'pima-tslab.executed.ipynb'), join(notebooks, 'pima-tslab.ipynb'));
  }
});

// Issue 18: the course notebooks converted by the installed package's own command (`npx keras-like
// port`), then executed headless on tslab as a teacher would run them: the seed S10, S05, S06, S07.
// S09, S11 and S12 run as converted scripts (test/port_course.test.ts, full tier); on tslab they do
// not run yet: S09 and S12 call plot_history, whose optional plotting packages this project lacks,
// and S11 fails in its first model cell on tslab only (not yet diagnosed).
const COURSE: Record<string, RegExp | null> = {
  S10_Optimizadores_Retroproyeccion: null,
  DL_S06_Introduccion_Deep_Learning: /Dimensión del dataset: \(768, 9\)[\s\S]*Accuracy: [6-9]\d\.\d+/,
  DL_S05_Regresion_Lineal: /\(([-0-9.e]+), ([-0-9.e]+)\)/,
  DL_S07_Funciones_Activacion_Arquitectura_Red: /Total params: 2,656/,
};
for (const [name, printed] of Object.entries(COURSE)) {
  it(`${name}, converted by \`keras-like port\`, runs in Jupyter with tslab`, { timeout: 1_800_000 }, () => {
    const app = inject('app');
    copyFileSync(join(fixtures, `${name}.ipynb`), join(app, `${name}.ipynb`));
    execFileSync('npx', ['keras-like', 'port', `${name}.ipynb`, '-o', `${name}.tslab.ipynb`, '--kernel', 'tslab', '--data', join(fixtures, 'data')], { cwd: app, stdio: 'ignore' });
    const outputs = execute(`${name}.tslab.ipynb`);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    if (printed !== null) expect(outputs.flatMap((o) => o.text ?? []).join('')).toMatch(printed);
  });
}
