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

it('the Pima notebook runs in Jupyter with tslab: summary, progress bar and accuracy printed', () => {
  const app = inject('app');
  const root = inject('userRoot');
  const tools = join(root, 'tools');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'tslab@1'], { cwd: tools, stdio: 'ignore' });
  const kernels = join(root, 'jupyter');
  // Debian's python3, where apt installs Jupyter (a pyenv python3 on PATH would not have it).
  execFileSync('/usr/bin/python3', [join(tools, 'node_modules/tslab/python/install.py'), `--tslab=${join(tools, 'node_modules/.bin/tslab')}`, `--prefix=${kernels}`]);
  copyFileSync(join(notebooks, 'pima-tslab.ipynb'), join(app, 'pima-tslab.ipynb'));
  copyFileSync(data, join(app, 'pima_indians_diabetes.csv'));
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: join(kernels, 'share/jupyter'), PATH: `${join(tools, 'node_modules/.bin')}:${process.env.PATH}` };
  delete env.KERAS_LIKE_BACKEND;
  const run = spawnSync('/usr/bin/python3', ['-m', 'nbconvert', '--to', 'notebook', '--execute', 'pima-tslab.ipynb', '--output', 'executed.ipynb'], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const executed = JSON.parse(readFileSync(join(app, 'executed.ipynb'), 'utf8')) as { cells: Array<{ outputs?: Output[] }> };
  const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
  expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  const text = outputs.flatMap((o) => o.text ?? []).join('');
  expect(text).toContain('backend: wasm');
  expect(text).toContain('Total params: 221');
  expect(text).toMatch(/Epoch 10\/10\n77\/77 \[=+\] - \d+s \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n/);
  expect(text).not.toMatch(/\u001b\[|\r/); // no terminal control codes in the notebook
  const accuracy = Number(/Accuracy: (\d+\.\d+)/.exec(text)?.[1]);
  expect(accuracy).toBeGreaterThan(60);
  if (process.env.KERAS_LIKE_UPDATE_NOTEBOOKS === '1') {
    mkdirSync(notebooks, { recursive: true });
    copyFileSync(join(app, 'executed.ipynb'), join(notebooks, 'pima-tslab.ipynb'));
  }
});
