/**
 * Reading a notebook cell as Python: IPython's leading-indent rule, magics, the
 * `@lezer/python` parse and its syntax errors, and small helpers over the tree.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';

export type { SyntaxNode };

/** A cell's source as Python reads it, with the lines IPython handles itself turned into comments. */
export interface PreparedSource {
  readonly text: string;
  /** 1-based line numbers of `%magic` / `!shell` lines, commented out in `text`. */
  readonly magicLines: readonly number[];
}

/**
 * IPython runs a cell whose first line is indented by removing that indent from every line that
 * starts with it (its `leading_indent` transform); course notebooks rely on it (` print(...)`).
 * `%magic` and `!shell` lines are IPython's, not Python's: they become comments, flagged.
 */
export function prepareSource(source: string): PreparedSource {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const first = lines.find((line) => line.trim() !== '') ?? '';
  const indent = first.slice(0, first.length - first.trimStart().length);
  const magicLines: number[] = [];
  const out = lines.map((line, i) => {
    const dedented = indent && line.startsWith(indent) ? line.slice(indent.length) : line;
    if (/^[%!]/.test(dedented)) {
      magicLines.push(i + 1);
      return `#${dedented}`;
    }
    return dedented;
  });
  return { text: out.join('\n'), magicLines };
}

export class PythonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly lineText: string,
  ) {
    super(`Python syntax error at line ${line}, column ${column}: ${lineText.trim()}`);
  }
}

/** Parses a cell; throws `PythonSyntaxError` at the first error node of the tree. */
export function parsePython(text: string): SyntaxNode {
  const tree = parser.parse(text);
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (error !== undefined) return false;
      if (node.type.isError && !isTrailingDotFloat(node.node)) {
        error = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (error !== undefined) {
    const before = text.slice(0, error);
    const line = before.split('\n').length;
    const column = error - before.lastIndexOf('\n');
    throw new PythonSyntaxError(line, column, text.split('\n')[line - 1] ?? '');
  }
  return tree.topNode;
}

/**
 * `1.` is a float in Python, but @lezer/python 1.1.19 reads it as the member access `1 .` with a
 * missing name (an empty error node). That shape is accepted here and read back as a number
 * (`trailingDotFloat`).
 */
function isTrailingDotFloat(node: SyntaxNode): boolean {
  return node.from === node.to && node.parent !== null && trailingDotFloat(node.parent) !== undefined;
}

/** The Number node of a `1.` literal that the parser split (see isTrailingDotFloat). */
export function trailingDotFloat(node: SyntaxNode): SyntaxNode | undefined {
  if (node.name !== 'MemberExpression') return undefined;
  const [number, dot, missing, extra] = children(node);
  const ok = number?.name === 'Number' && dot?.name === '.' && missing?.type.isError && missing.from === missing.to && !extra && dot.to === node.to;
  return ok ? number : undefined;
}

/** Every child of `node`, comments and punctuation included, in order. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', 'Comment']);

/** The children that carry meaning: no punctuation, no comments. */
export function parts(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((child) => !PUNCTUATION.has(child.name));
}

/** The 1-based line where a node starts. */
export function lineOf(text: string, node: SyntaxNode): number {
  return text.slice(0, node.from).split('\n').length;
}

/** The statements (and comments) of a Script or Body, `a; b` groups flattened. */
export function statements(node: SyntaxNode): SyntaxNode[] {
  return children(node).flatMap((child) =>
    child.name === 'StatementGroup' ? children(child).filter((n) => n.name !== ';') : [child],
  );
}
