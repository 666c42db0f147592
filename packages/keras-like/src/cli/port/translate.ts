/**
 * A whole notebook. Every code cell is parsed first (a syntax error stops the port before
 * anything is written), then translated twice: the first pass learns how each name is used
 * (assigned again → `let`, what `.append` adds to an empty list, what a function is called
 * with), the second writes the TypeScript with that knowledge.
 */
import { Hints, Imports, Scope, type KerasApi, type KeptCategory } from './context.js';
import { Ctx, type OutputMode } from './translate_context.js';
import { PythonSyntaxError, parsePython, prepareSource, type SyntaxNode } from './python.js';
import { translateCell, type CellStatus } from './cell.js';
import { PortError, notebookText, type Kernel, type Notebook } from './notebook.js';

export interface PortOptions {
  readonly api: KerasApi;
  readonly mode: OutputMode;
  readonly kernel: Kernel;
  /** Local copies of downloaded files, by lower-case file name (`--data DIR`). */
  readonly dataFiles?: ReadonlyMap<string, string>;
  /** The notebook's name, for the script's header. */
  readonly name?: string;
}

export interface CellReport {
  /** 1-based position among all the notebook's cells, as Jupyter numbers them. */
  readonly cell: number;
  readonly status: CellStatus;
  readonly kept: { category: KeptCategory; reason: string }[];
  readonly usesKeras: boolean;
}

export interface PortResult {
  readonly text: string;
  readonly cells: CellReport[];
  /** Names the notebook used without importing them (S10 uses `Dense` unimported). */
  readonly implicitImports: string[];
}

interface ParsedCell {
  readonly index: number;
  readonly text: string;
  readonly root: SyntaxNode;
  readonly magicLines: readonly number[];
}

function parseCells(notebook: Notebook): ParsedCell[] {
  const parsed: ParsedCell[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const prepared = prepareSource(cell.source);
    try {
      parsed.push({ index, text: prepared.text, root: parsePython(prepared.text), magicLines: prepared.magicLines });
    } catch (error) {
      if (error instanceof PythonSyntaxError) {
        throw new PortError(`cell ${index + 1}: ${error.message}. Fix the cell in the notebook (it would not run in Python either).`);
      }
      throw error;
    }
  });
  return parsed;
}

interface Pass {
  readonly record: Hints;
  readonly ctx: Ctx;
  readonly cells: { parsed: ParsedCell; lines: string[]; imports: Imports; report: CellReport }[];
}

function runPass(cells: ParsedCell[], hints: Hints, options: PortOptions): Pass {
  const record = new Hints();
  const ctx = new Ctx(options.api, hints, record, new Scope('global'), options.mode, options.dataFiles ?? new Map());
  const out: Pass['cells'] = [];
  for (const parsed of cells) {
    ctx.imports = new Imports();
    ctx.text = parsed.text;
    const result = translateCell(ctx, parsed.root, parsed.magicLines, parsed.index + 1);
    out.push({
      parsed,
      lines: result.lines,
      imports: ctx.imports,
      report: { cell: parsed.index + 1, status: result.status, kept: result.kept, usesKeras: result.usesKeras },
    });
  }
  return { record, ctx, cells: out };
}

/** `import { keras, tf } from 'keras-like';` */
function importLine(named: ReadonlyMap<string, string>, specifier: string): string | undefined {
  if (named.size === 0) return undefined;
  const names = [...named].map(([local, exported]) => (local === exported ? local : `${exported} as ${local}`));
  return `import { ${names.join(', ')} } from '${specifier}';`;
}

export function portNotebook(notebook: Notebook, options: PortOptions): PortResult {
  const parsed = parseCells(notebook);
  const first = runPass(parsed, new Hints(), options);
  const pass = runPass(parsed, first.record, options);
  const specifier = options.kernel === 'deno' ? 'npm:keras-like' : 'keras-like';
  const byIndex = new Map(pass.cells.map((c) => [c.parsed.index, c]));
  let text: string;
  if (options.mode === 'notebook') {
    text = notebookText(notebook, (i) => {
      const cell = byIndex.get(i)!;
      const header = [importLine(cell.imports.named, specifier), ...cell.imports.destructured].filter((l): l is string => l !== undefined);
      return [...header, ...(header.length && cell.lines.length ? [''] : []), ...cell.lines].join('\n');
    }, options.kernel);
  } else {
    const named = new Map<string, string>();
    const destructured: string[] = [];
    for (const cell of pass.cells) {
      for (const [local, exported] of cell.imports.named) named.set(local, exported);
      destructured.push(...cell.imports.destructured);
    }
    const body: string[] = [];
    notebook.cells.forEach((cell, i) => {
      body.push('');
      if (cell.cell_type === 'code') {
        body.push(`// --- Cell ${i + 1} ---`, ...byIndex.get(i)!.lines);
      } else {
        body.push(...cell.source.split('\n').map((line) => (line ? `// ${line}` : '//')));
      }
    });
    const header = [
      `// ${options.name ?? 'notebook'}, ported to TypeScript by \`keras-like port\`.`,
      '// Code the command could not translate is kept as commented Python under a TODO(port) line.',
      ...[importLine(named, specifier)].filter((l): l is string => l !== undefined),
      ...destructured,
    ];
    text = `${[...header, ...body].join('\n')}\n`;
  }
  return { text, cells: pass.cells.map((c) => c.report), implicitImports: [...pass.ctx.implicitImports] };
}
