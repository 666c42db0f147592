/**
 * The report the command prints: how many code cells were translated or kept, the share of
 * Keras cells translated with no hand edit, and what stayed Python, grouped by reason.
 */
import type { CellReport, PortResult } from './translate.js';

/** Keras cells translated with no hand edit (plots left as comments allowed, as the issue allows). */
export function kerasShare(cells: readonly CellReport[]): { translated: number; total: number } {
  const keras = cells.filter((c) => c.usesKeras);
  const translated = keras.filter((c) => c.status === 'translated' || c.status === 'translated, plots as comments');
  return { translated: translated.length, total: keras.length };
}

export function summaryText(result: PortResult, input: string, output: string): string {
  const cells = result.cells.filter((c) => c.status !== 'comments only');
  const count = (status: CellReport['status']): number => cells.filter((c) => c.status === status).length;
  const share = kerasShare(result.cells);
  const lines = [
    `keras-like port: ${input} → ${output}`,
    `  code cells: ${cells.length} — translated ${count('translated')}, translated with plots as comments ${count('translated, plots as comments')}, ` +
      `partly kept ${count('partly kept')}, kept ${count('kept')}`,
    `  Keras cells translated with no hand edit: ${share.translated} of ${share.total}`,
  ];
  const reasons = new Map<string, { category: string; count: number; cells: Set<number> }>();
  for (const cell of result.cells) {
    for (const k of cell.kept) {
      const entry = reasons.get(k.reason) ?? { category: k.category, count: 0, cells: new Set<number>() };
      entry.count++;
      entry.cells.add(cell.cell);
      reasons.set(k.reason, entry);
    }
  }
  if (reasons.size) {
    lines.push('  kept as commented Python (TODO(port)), by reason:');
    const byCategory = [...reasons].sort((a, b) => a[1].category.localeCompare(b[1].category) || b[1].count - a[1].count);
    for (const [reason, { category, count: n, cells: where }] of byCategory) {
      lines.push(`    [${category}] ${n}× ${reason} (cell${where.size > 1 ? 's' : ''} ${[...where].join(', ')})`);
    }
  }
  if (result.implicitImports.length) {
    lines.push(`  imported for you (the notebook uses them without importing): ${result.implicitImports.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
