/**
 * The `keras-like port` command: what it writes, what it prints, and bad input (issue 18): a file
 * that is not a notebook, nbformat 3, a Python syntax error, no code — a clear message, a non-zero
 * exit, and no output file (not even a half-written one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { api, notebookOf } from './port_helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'keras-like-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), api: async () => api });
  return { code, out, err };
}

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const S06_LIKE = notebookOf([
  { markdown: '# Pima\n$y = \\sigma(Wx + b)$' },
  'import numpy as np\nfrom tensorflow import keras',
  "model = keras.Sequential()\nmodel.add(keras.layers.Dense(1, input_dim=8, activation='sigmoid'))",
  "model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])",
  'import matplotlib.pyplot as plt\nplt.scatter([1], [2])\nplt.show()',
]);

describe('keras-like port', () => {
  it('writes a tslab notebook and prints the summary', async () => {
    const input = write('pima.ipynb', S06_LIKE);
    const output = join(dir, 'pima.tslab.ipynb');
    const { code, out } = await cli('port', input);
    expect(code).toBe(0);
    const nb = JSON.parse(readFileSync(output, 'utf8')) as { cells: { cell_type: string; source: string[]; outputs?: unknown[] }[] };
    expect(nb.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'code', 'code']);
    expect(nb.cells[0]!.source.join('')).toBe('# Pima\n$y = \\sigma(Wx + b)$');
    expect(nb.cells[2]!.source.join('')).toBe(
      "const model = keras.Sequential();\nmodel.add(keras.layers.Dense(1, { input_dim: 8, activation: 'sigmoid' }));",
    );
    expect(nb.cells[1]!.outputs).toEqual([]);
    expect(out).toContain('code cells: 4 — translated 3, translated with plots as comments 1, partly kept 0, kept 0');
    expect(out).toContain('Keras cells translated with no hand edit: 3 of 3');
    expect(out).toContain('[plot] 1× matplotlib plot: only plots of history.history become keras.utils.plot_history (cell 5)');
  });

  it('writes a script for -o out.ts, with the imports at the top and markdown as comments', async () => {
    const input = write('pima2.ipynb', S06_LIKE);
    const output = join(dir, 'pima2.ts');
    expect((await cli('port', input, '-o', output)).code).toBe(0);
    const ts = readFileSync(output, 'utf8');
    expect(ts.split('\n').slice(0, 3)).toEqual([
      '// pima2.ipynb, ported to TypeScript by `keras-like port`.',
      '// Code the command could not translate is kept as commented Python under a TODO(port) line.',
      "import { keras } from 'keras-like';",
    ]);
    expect(ts).toContain('// # Pima\n// $y = \\sigma(Wx + b)$');
    expect(ts).toContain('// --- Cell 3 ---\nconst model = keras.Sequential();');
  });

  const bad: [string, string | object, RegExp][] = [
    ['a file that is not JSON', 'print("hello")', /bad\.ipynb is not a Jupyter notebook: it is not JSON/],
    ['JSON that is not a notebook', { name: 'x' }, /is not a Jupyter notebook: it has no `nbformat` field/],
    [
      'a notebook in nbformat 3',
      { nbformat: 3, nbformat_minor: 0, worksheets: [{ cells: [] }], metadata: {} },
      /is in nbformat 3; keras-like port reads nbformat 4\. Convert it first: `jupyter nbconvert --to notebook --nbformat 4 <file>`/,
    ],
    [
      'a cell with a Python syntax error',
      notebookOf(['x = 1', 'model.fit(x, y, epochs=)']),
      /cell 2: Python syntax error at line 1, column \d+: model\.fit\(x, y, epochs=\)\. Fix the cell in the notebook/,
    ],
    ['a notebook with no code', notebookOf([{ markdown: '# Only text' }, '   \n']), /has no code to port: none of its 2 cells is a code cell with code in it/],
  ];
  for (const [what, content, message] of bad) {
    it(`${what}: a clear message, exit 1, no output file`, async () => {
      const input = write('bad.ipynb', content);
      const output = join(dir, `out-${what.length}.ipynb`);
      const before = readdirSync(dir);
      const { code, err, out } = await cli('port', input, '-o', output);
      expect(code).toBe(1);
      expect(err).toMatch(message);
      expect(out).toBe('');
      expect(existsSync(output)).toBe(false);
      expect(readdirSync(dir)).toEqual(before); // no temporary file left either
    });
  }

  it('bad input leaves an existing output file as it was', async () => {
    const input = write('bad.ipynb', notebookOf(['model.fit(x, y, epochs=)']));
    const output = write('kept.ipynb', '{"cells": []}');
    expect((await cli('port', input, '-o', output)).code).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('{"cells": []}');
  });

  it('the executable itself exits 1 with the message on stderr (what a shell or CI sees)', () => {
    const input = write('v3.ipynb', { nbformat: 3, nbformat_minor: 0, worksheets: [], metadata: {} });
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
    const run = spawnSync(tsx, [main, 'port', input, '-o', join(dir, 'v3.ts')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is in nbformat 3; keras-like port reads nbformat 4');
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'v3.ts'))).toBe(false);
  });

  it('bad usage exits 2 with the usage text', async () => {
    expect((await cli('port')).err).toContain('which notebook? Give its path.');
    expect((await cli('port', 'a.ipynb', '-o', 'a.py')).err).toContain('-o must end in .ipynb (a notebook) or .ts (a script). Received: a.py');
    expect((await cli('port', 'a.ipynb', '--kernel', 'python')).code).toBe(2);
    expect((await cli('serve')).err).toContain('unknown command "serve"');
    expect((await cli('port', '--help')).out).toContain('Usage: keras-like port <notebook.ipynb>');
  });
});
