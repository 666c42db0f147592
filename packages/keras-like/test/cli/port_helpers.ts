/** Translating Python snippets as notebook cells, for the `keras-like port` tests. */
import * as keraslike from 'keras-like';
import { portNotebook, type PortResult } from '../../src/cli/port/translate.js';
import type { Kernel, Notebook } from '../../src/cli/port/notebook.js';

export const api = { top: keraslike as unknown as Record<string, unknown> };

export function notebookOf(cells: (string | { markdown: string })[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: cells.map((cell) =>
      typeof cell === 'string' ? { cell_type: 'code', source: cell, metadata: {} } : { cell_type: 'markdown', source: cell.markdown, metadata: {} },
    ),
  };
}

/** Each code cell's TypeScript, in a tslab notebook. */
export function portCells(cells: (string | { markdown: string })[], kernel: Kernel = 'tslab'): { code: string[]; result: PortResult; json: { cells: { cell_type: string; source: string[] }[]; metadata: Record<string, unknown> } } {
  const result = portNotebook(notebookOf(cells), { api, mode: 'notebook', kernel });
  const json = JSON.parse(result.text) as { cells: { cell_type: string; source: string[] }[]; metadata: Record<string, unknown> };
  const code = json.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
  return { code, result, json };
}

/** The TypeScript of one cell, after `setup` cells (whose imports are then already made). */
export function port(source: string, ...setup: string[]): string {
  const { code } = portCells([...setup, source]);
  return code[code.length - 1]!;
}
