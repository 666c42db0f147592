/**
 * Jupyter notebooks in and out: reading and checking an nbformat 4 file, and writing the
 * TypeScript notebook (tslab or Deno kernel) or the `.ts` script.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** A failure the command reports as a message and a non-zero exit. */
export class PortError extends Error {}

export interface NotebookCell {
  readonly cell_type: 'code' | 'markdown' | 'raw';
  readonly source: string;
  readonly metadata: Record<string, unknown>;
  readonly id?: string;
  readonly attachments?: unknown;
}

export interface Notebook {
  readonly nbformat: number;
  readonly nbformat_minor: number;
  readonly metadata: Record<string, unknown>;
  readonly cells: NotebookCell[];
}

function sourceText(source: unknown, where: string): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((line) => typeof line === 'string')) return source.join('');
  throw new PortError(`${where}: \`source\` must be a string or a list of strings.`);
}

/** Reads and checks a notebook file; a `PortError` says what is wrong with it. */
export function readNotebook(path: string): Notebook {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PortError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseNotebook(raw, path);
}

export function parseNotebook(raw: string, path: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PortError(`${path} is not a Jupyter notebook: it is not JSON (a .ipynb file is a JSON document).`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new PortError(`${path} is not a Jupyter notebook: it is not a JSON object.`);
  }
  const nb = json as Record<string, unknown>;
  if (typeof nb.nbformat !== 'number') {
    throw new PortError(`${path} is not a Jupyter notebook: it has no \`nbformat\` field.`);
  }
  if (nb.nbformat !== 4) {
    throw new PortError(
      `${path} is in nbformat ${nb.nbformat}; keras-like port reads nbformat 4. ` +
        'Convert it first: `jupyter nbconvert --to notebook --nbformat 4 <file>` (or open and save it in Jupyter).',
    );
  }
  if (!Array.isArray(nb.cells)) throw new PortError(`${path} is not a Jupyter notebook: it has no \`cells\` list.`);
  const cells = nb.cells.map((cell: unknown, i: number): NotebookCell => {
    const where = `${path}, cell ${i + 1}`;
    if (cell === null || typeof cell !== 'object') throw new PortError(`${where}: a cell must be an object.`);
    const c = cell as Record<string, unknown>;
    if (c.cell_type !== 'code' && c.cell_type !== 'markdown' && c.cell_type !== 'raw') {
      throw new PortError(`${where}: unknown cell_type ${JSON.stringify(c.cell_type)}.`);
    }
    return {
      cell_type: c.cell_type,
      source: sourceText(c.source, where),
      metadata: (c.metadata as Record<string, unknown>) ?? {},
      ...(typeof c.id === 'string' ? { id: c.id } : {}),
      ...(c.attachments !== undefined ? { attachments: c.attachments } : {}),
    };
  });
  if (!cells.some((c) => c.cell_type === 'code' && c.source.trim() !== '')) {
    throw new PortError(`${path} has no code to port: none of its ${cells.length} cells is a code cell with code in it.`);
  }
  return {
    nbformat: 4,
    nbformat_minor: typeof nb.nbformat_minor === 'number' ? nb.nbformat_minor : 0,
    metadata: (nb.metadata as Record<string, unknown>) ?? {},
    cells,
  };
}

export type Kernel = 'tslab' | 'deno';

const KERNEL_METADATA: Record<Kernel, Record<string, unknown>> = {
  tslab: {
    kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
    language_info: {
      codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
      file_extension: '.ts',
      mimetype: 'text/typescript',
      name: 'typescript',
    },
  },
  deno: {
    kernelspec: { display_name: 'Deno', language: 'typescript', name: 'deno' },
    language_info: { file_extension: '.ts', mimetype: 'text/x.typescript', name: 'typescript', nbconvert_exporter: 'script', pygments_lexer: 'typescript' },
  },
};

/** Jupyter's own layout: `source` as a list of lines, each but the last ending in `\n`. */
function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** The TypeScript notebook: markdown and raw cells as they were, code cells replaced, outputs cleared. */
export function notebookText(notebook: Notebook, code: (index: number) => string, kernel: Kernel): string {
  const metadata: Record<string, unknown> = { ...notebook.metadata, ...KERNEL_METADATA[kernel] };
  const cells = notebook.cells.map((cell, i) => {
    const base = { cell_type: cell.cell_type, ...(cell.id !== undefined ? { id: cell.id } : {}), metadata: cell.metadata };
    if (cell.cell_type !== 'code') {
      return { ...base, ...(cell.attachments !== undefined ? { attachments: cell.attachments } : {}), source: sourceLines(cell.source) };
    }
    return { ...base, execution_count: null, outputs: [], source: sourceLines(code(i)) };
  });
  return `${JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: notebook.nbformat_minor }, null, 1)}\n`;
}

/**
 * Writes `text` to `path` through a temporary file in the same folder and a rename, so a failure
 * never leaves a half-written file where the output should be.
 */
export function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new PortError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
