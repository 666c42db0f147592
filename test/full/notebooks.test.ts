/**
 * Course notebooks converted by the installed package's `keras-like port` and executed headless,
 * as Jupyter runs them: Debian's Jupyter (`jupyter nbconvert --execute`, installed by .ci/run), the
 * tslab kernel from npm (kernels.ts), and the keras-like tarball installed into the notebook's
 * folder (setup.ts). examples/notebooks/ is executed by example_notebooks.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';
import { execute as run, textOf } from './kernels.js';

const fixtures = fileURLToPath(new URL('../fixtures/notebooks/', import.meta.url));
const execute = (notebook: string) => run(notebook).outputs;

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
    if (printed !== null) expect(textOf(outputs)).toMatch(printed);
  });
}
