/**
 * examples/notebooks/ executed headless, as Jupyter runs them, on both kernels (kernels.ts:
 * tslab and Deno's `deno jupyter`, from npm). The notebooks run in a fresh project holding the
 * packed keras-like and the optional plotting packages, so that their pictures show inline.
 * Each notebook is built from examples/notebooks/sources.ts; KERAS_LIKE_UPDATE_NOTEBOOKS=1
 * writes the executed notebooks back to examples/notebooks/ (their committed outputs), and
 * without it a committed notebook whose cells differ from sources.ts fails.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileName, notebook, NOTEBOOKS, type Kernel, type NotebookName } from '../../examples/notebooks/sources.js';
import { execute, notebookProject, runChecked, textOf, type Output } from './kernels.js';

const notebooks = fileURLToPath(new URL('../../examples/notebooks/', import.meta.url));
const data = fileURLToPath(new URL('../../examples/data/pima_indians_diabetes.csv', import.meta.url));
const seed = fileURLToPath(new URL('../fixtures/notebooks/S10_Optimizadores_Retroproyeccion.ipynb', import.meta.url));
const update = process.env.KERAS_LIKE_UPDATE_NOTEBOOKS === '1';

let project = '';
beforeAll(() => {
  project = notebookProject();
  copyFileSync(data, join(project, 'pima_indians_diabetes.csv'));
}, 900_000);

/** Display-data outputs of one MIME type, decoded. */
function displayed(outputs: readonly Output[], type: string): Buffer[] {
  return outputs
    .filter((o) => o.output_type === 'display_data' && o.data?.[type] !== undefined)
    .map((o) => {
      const value = o.data![type]!;
      return Buffer.from(Array.isArray(value) ? value.join('') : value, 'base64');
    });
}

/** Frames of a GIF: its image descriptors, each after a graphic control extension (0x21 0xF9 0x04). */
function gifFrames(gif: Buffer): number {
  let frames = 0;
  for (let i = gif.indexOf(Buffer.from([0x21, 0xf9, 0x04])); i !== -1; i = gif.indexOf(Buffer.from([0x21, 0xf9, 0x04]), i + 1)) {
    if (gif[i + 8] === 0x2c) frames++;
  }
  return frames;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What every example notebook shows, whichever kernel ran it. */
function checkCommon(outputs: readonly Output[], text: string, totalParams: string): void {
  expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  expect(text).not.toMatch(/Error:|\u001b\[/);
  // model.summary() as text/plain display data, not as stream text.
  const summary = outputs.find((o) => o.output_type === 'display_data' && o.data?.['text/plain'] !== undefined);
  expect(textOf(summary === undefined ? [] : [summary])).toContain(`Total params: ${totalParams}`);
  expect(outputs.filter((o) => o.output_type === 'stream').map((o) => o.text!.join('')).join('')).not.toContain('Total params');
}

const CHECKS: Record<NotebookName, (outputs: readonly Output[]) => void> = {
  pima(outputs) {
    const text = textOf(outputs);
    checkCommon(outputs, text, '221');
    expect(text).toContain('backend: wasm');
    // The progress bar as Keras's in a notebook: it rewrites its line (`\r`), and nbconvert keeps the last draw of each epoch.
    for (let epoch = 1; epoch <= 10; epoch++) {
      expect(text).toMatch(new RegExp(`Epoch ${epoch}/10\\n77/77 \\[=+\\] - \\d+s \\d+(?:m|u)?s/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4} *\\n`));
    }
    expect(text).not.toMatch(/\r|ETA/);
    // plot_history's picture inline, as a PNG.
    const pictures = displayed(outputs, 'image/png');
    expect(pictures).toHaveLength(1);
    expect(pictures[0]!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pictures[0]!.readUInt32BE(16)).toBeGreaterThan(700); // two panels side by side
    expect(Number(/Accuracy: (\d+\.\d+)/.exec(text)?.[1])).toBeGreaterThan(60);
  },
  's10-optimizers'(outputs) {
    const text = textOf(outputs);
    checkCommon(outputs, text, '704');
    expect(text).toContain('clipnorm: 1 - clipvalue: 0.5');
    // The race: SGD stalls at the saddle, the others leave it.
    expect(text).toMatch(/SGD +still at the saddle after 200 steps/);
    for (const racer of ['Momentum', 'Nesterov', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam']) expect(text).toMatch(new RegExp(`${racer} +left the saddle at step \\d+`));
    // ... as an animated GIF, inline: 24 frames.
    const gifs = displayed(outputs, 'image/gif');
    expect(gifs).toHaveLength(1);
    expect(gifs[0]!.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(gifFrames(gifs[0]!)).toBe(24);
    // The comparison: every optimizer trained the network past chance (65% of Pima is class 0).
    const accuracies = [...text.matchAll(/^(\S.*?) +loss (\d\.\d{4}) +accuracy (\d\.\d{4})$/gm)];
    expect(accuracies.map((m) => m[1])).toHaveLength(8);
    for (const [, label, , accuracy] of accuracies) expect(Number(accuracy), label).toBeGreaterThan(0.65);
  },
};

const KERNELS: Kernel[] = ['tslab', 'deno'];

for (const name of NOTEBOOKS) {
  describe(`examples/notebooks/${name}`, () => {
    for (const kernel of KERNELS) {
      const file = fileName(name, kernel);
      it(`runs headless on ${kernel}: text, progress bar, summary and pictures as a notebook shows them`, { timeout: 900_000 }, () => {
        const built = notebook(name, kernel, seed);
        writeFileSync(join(project, file), JSON.stringify(built, null, 1));
        const { executed } = runChecked(file, kernel, () => execute(file, project), ({ outputs }) => CHECKS[name](outputs));
        if (update) copyFileSync(executed, join(notebooks, file));
      });

      it(`${file} is committed with the cells of sources.ts and their outputs`, () => {
        const committed = JSON.parse(readFileSync(join(notebooks, file), 'utf8')) as { metadata: { kernelspec: unknown }; cells: Array<{ source: string | string[]; outputs?: Output[] }> };
        const built = notebook(name, kernel, seed) as { metadata: { kernelspec: unknown }; cells: Array<{ source: string }> };
        expect(committed.metadata.kernelspec).toEqual(built.metadata.kernelspec);
        expect(committed.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source))).toEqual(built.cells.map((cell) => cell.source));
        CHECKS[name](committed.cells.flatMap((cell) => cell.outputs ?? []));
      });
    }
  });
}
