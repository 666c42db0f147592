/**
 * One code cell: its top-level statements translated in order, comments kept, plots of a
 * History turned into `plot_history`, and each statement that cannot be translated kept as
 * commented Python under a `// TODO(port): <why>` line. Names that such a statement defines
 * are marked, so code that uses them is kept too instead of failing at run time.
 */
import type { Ctx } from './translate_context.js';
import { Untranslatable, type KeptCategory } from './context.js';
import { UNKNOWN } from './kinds.js';
import { children, lineOf, statements, type SyntaxNode } from './python.js';
import { text } from './expressions.js';
import { keptLines, translateStatement } from './statements.js';
import { historyPlot, isPlotStatement } from './plots.js';
import { tsName } from './names.js';

export type CellStatus = 'translated' | 'translated, plots as comments' | 'partly kept' | 'kept' | 'comments only';

export interface CellTranslation {
  readonly lines: string[];
  readonly status: CellStatus;
  readonly kept: { category: KeptCategory; reason: string }[];
  readonly usesKeras: boolean;
}

const PLOT_REASON = 'matplotlib plot: only plots of history.history become keras.utils.plot_history';

export function translateCell(ctx: Ctx, root: SyntaxNode, magicLines: readonly number[], cellNumber: number): CellTranslation {
  ctx.usesKeras = false;
  const lines: string[] = [];
  const kept: CellTranslation['kept'] = [];
  let translated = 0;
  let lastReason: string | undefined;
  let previousEnd = -1;
  const nodes = statements(root);
  const topLevel = nodes.filter((n) => n.name !== 'Comment');
  const last = topLevel[topLevel.length - 1];

  const keep = (category: KeptCategory, reason: string, python: string): void => {
    kept.push({ category, reason });
    if (lastReason === reason) lines.push(...keptLines(reason, python).slice(1));
    else lines.push(...keptLines(reason, python));
    lastReason = reason;
  };
  const emit = (out: string[]): void => {
    lines.push(...out);
    lastReason = undefined;
  };

  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (previousEnd >= 0 && /\n[ \t]*\n/.test(ctx.text.slice(previousEnd, node.from)) && lines.length && lines[lines.length - 1] !== '') {
      lines.push('');
    }
    if (node.name === 'Comment') {
      const source = text(ctx, node);
      if (magicLines.includes(lineOf(ctx.text, node))) {
        keep('ipython', 'an IPython magic or shell command, not TypeScript', source.slice(1));
      } else {
        const comment = `// ${source.replace(/^#\s?/, '')}`;
        const sameLine = previousEnd >= 0 && !ctx.text.slice(previousEnd, node.from).includes('\n');
        if (sameLine && lines.length && !lines[lines.length - 1]!.startsWith('//')) lines[lines.length - 1] += ` ${comment}`;
        else emit([comment]);
      }
      previousEnd = node.to;
      continue;
    }
    if (isPlotStatement(ctx, node)) {
      // A run of plot statements, comments between them included.
      let j = i;
      const run: SyntaxNode[] = [];
      while (j < nodes.length && (nodes[j]!.name === 'Comment' || isPlotStatement(ctx, nodes[j]!))) {
        if (nodes[j]!.name !== 'Comment') run.push(nodes[j]!);
        j++;
      }
      while (nodes[j - 1]!.name === 'Comment') j--;
      const plot = historyPlot(ctx, run, `plot_cell${cellNumber}.png`);
      const python = ctx.text.slice(node.from, nodes[j - 1]!.to);
      if (plot) {
        emit([...python.split('\n').map((l) => `// ${l}`), ...plot]);
        translated++;
      } else {
        keep('plot', PLOT_REASON, python);
      }
      previousEnd = nodes[j - 1]!.to;
      i = j - 1;
      continue;
    }
    previousEnd = node.to;
    const snapshot = ctx.scope.snapshot();
    try {
      const result = translateStatement(ctx, node, node === last);
      emit(result.lines);
      for (const k of result.kept) kept.push(k);
      if (result.translated ?? result.lines.some((line) => !line.startsWith('//'))) translated++;
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      ctx.scope.restore(snapshot);
      ctx.hoisted.splice(0);
      ctx.blockDepth = 0;
      ctx.functionDepth = 0;
      ctx.returnKinds.splice(0);
      markKept(ctx, node, `cell ${cellNumber}`);
      keep(error.category, error.reason, text(ctx, node));
    }
  }
  return { lines: trimBlank(lines), status: statusOf(translated, kept), kept, usesKeras: ctx.usesKeras };
}

function statusOf(translated: number, kept: CellTranslation['kept']): CellStatus {
  if (translated === 0 && kept.length === 0) return 'comments only';
  if (kept.length === 0) return 'translated';
  if (kept.every((k) => k.category === 'plot')) return translated > 0 ? 'translated, plots as comments' : 'kept';
  return translated > 0 ? 'partly kept' : 'kept';
}

function trimBlank(lines: string[]): string[] {
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Marks the names a kept statement defines: later code using them is kept too. */
function markKept(ctx: Ctx, node: SyntaxNode, where: string): void {
  for (const name of definedNames(ctx, node)) {
    const before = ctx.scope.own(name);
    ctx.scope.set(name, { kind: before?.kind ?? UNKNOWN, ts: before?.ts ?? tsName(name), declared: before?.declared ?? false, keptBecause: where });
  }
}

/** Names bound by a statement: assignment targets, `def` and `for` names, `with ... as`. */
function definedNames(ctx: Ctx, node: SyntaxNode): string[] {
  const names: string[] = [];
  const targetsOf = (n: SyntaxNode): void => {
    if (n.name === 'VariableName') names.push(text(ctx, n));
    else if (n.name === 'TupleExpression' || n.name === 'ArrayExpression' || n.name === 'ParenthesizedExpression') children(n).forEach(targetsOf);
  };
  const all = children(node);
  switch (node.name) {
    case 'AssignStatement': {
      const opAt = all.map((n) => n.name).lastIndexOf('AssignOp');
      all.slice(0, opAt).forEach((n) => {
        if (n.name === 'MemberExpression') {
          const root = children(n)[0];
          if (root?.name === 'VariableName') names.push(text(ctx, root));
        } else targetsOf(n);
      });
      break;
    }
    case 'UpdateStatement':
      targetsOf(all[0]!);
      break;
    case 'FunctionDefinition':
    case 'ClassDefinition': {
      const name = all.find((n) => n.name === 'VariableName');
      if (name) names.push(text(ctx, name));
      break;
    }
    case 'DecoratedStatement':
      return definedNames(ctx, all[all.length - 1]!);
    default:
      // Blocks: every assignment inside them.
      collectAssigned(ctx, node, names);
  }
  return names;
}

function collectAssigned(ctx: Ctx, node: SyntaxNode, names: string[]): void {
  for (const child of children(node)) {
    if (child.name === 'AssignStatement' || child.name === 'UpdateStatement' || child.name === 'FunctionDefinition') {
      names.push(...definedNames(ctx, child));
    } else if (child.name === 'ForStatement') {
      const parts = children(child);
      const inAt = parts.findIndex((p) => p.name === 'in');
      parts.slice(1, inAt).forEach((p) => {
        if (p.name === 'VariableName') names.push(text(ctx, p));
      });
      collectAssigned(ctx, child, names);
    } else if (child.firstChild) {
      collectAssigned(ctx, child, names);
    }
  }
}
