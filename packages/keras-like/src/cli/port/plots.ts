/**
 * matplotlib. A run of `plt.*` statements that draws only `history.history[...]` curves (or
 * `DataFrame(history.history).plot()`) becomes one `keras.utils.plot_history` call, with the
 * metrics in the order plotted and the title when there is one panel; any other plot stays a
 * comment.
 */
import type { Ctx } from './translate_context.js';
import { children, parts, type SyntaxNode } from './python.js';
import { text } from './expressions.js';
import { stringValue, jsString } from './strings.js';

/** Calls that set up or label a figure without drawing data. */
const LAYOUT = new Set([
  'figure', 'subplot', 'subplots_adjust', 'title', 'xlabel', 'ylabel', 'legend', 'show', 'grid', 'tight_layout',
  'xlim', 'ylim', 'xticks', 'yticks', 'suptitle', 'savefig',
]);

/** The call of an expression statement, if it is one. */
function callOf(node: SyntaxNode): SyntaxNode | undefined {
  if (node.name !== 'ExpressionStatement') return undefined;
  const inner = parts(node)[0];
  return inner?.name === 'CallExpression' ? inner : undefined;
}

/** `plt.xxx(...)` → 'xxx'; `DataFrame(h.history).plot(...)` → 'frame'; else undefined. */
function plotCallName(ctx: Ctx, node: SyntaxNode): string | undefined {
  const call = callOf(node);
  if (!call) return undefined;
  const callee = children(call)[0]!;
  const path = ctx.modulePath(callee);
  if (path?.startsWith('matplotlib.pyplot.')) return path.slice('matplotlib.pyplot.'.length);
  if (callee.name === 'MemberExpression' && text(ctx, callee).endsWith('.plot')) {
    const frame = children(callee)[0]!;
    if (frame.name === 'CallExpression' && ctx.modulePath(children(frame)[0]!)?.endsWith('DataFrame')) return 'frame';
  }
  return undefined;
}

/** Whether statement `node` is a matplotlib call (or a pandas frame's `.plot`). */
export function isPlotStatement(ctx: Ctx, node: SyntaxNode): boolean {
  return plotCallName(ctx, node) !== undefined;
}

/** `h.history['loss']` → ['h', 'loss'] when `h` holds a History. */
function historySeries(ctx: Ctx, node: SyntaxNode): [string, string] | undefined {
  if (node.name !== 'MemberExpression') return undefined;
  const [object, open, key] = children(node);
  if (open?.name !== '[' || key?.name !== 'String' || object?.name !== 'MemberExpression') return undefined;
  const [holder, dot, property] = children(object);
  if (dot?.name !== '.' || text(ctx, property!) !== 'history' || holder?.name !== 'VariableName') return undefined;
  const binding = ctx.scope.lookup(text(ctx, holder));
  if (binding?.kind.type !== 'object' || binding.kind.of !== 'History' || binding.keptBecause !== undefined) return undefined;
  return [binding.ts, stringValue(text(ctx, key))];
}

/** `DataFrame(h.history)` → 'h'. */
function historyFrame(ctx: Ctx, call: SyntaxNode): string | undefined {
  const callee = children(call)[0]!;
  const frame = children(callee)[0]!;
  const arg = parts(children(frame)[1]!)[0];
  if (!arg || arg.name !== 'MemberExpression') return undefined;
  const [holder, dot, property] = children(arg);
  if (dot?.name !== '.' || text(ctx, property!) !== 'history' || holder?.name !== 'VariableName') return undefined;
  const binding = ctx.scope.lookup(text(ctx, holder));
  return binding?.kind.type === 'object' && binding.kind.of === 'History' && binding.keptBecause === undefined ? binding.ts : undefined;
}

/**
 * The `plot_history` lines for a run of plot statements, or undefined when the run draws
 * anything but history curves. `file` names the image (`cell9.png`).
 */
export function historyPlot(ctx: Ctx, run: SyntaxNode[], file: string): string[] | undefined {
  const histories = new Map<string, string[] | 'all'>();
  const titles: string[] = [];
  for (const statement of run) {
    const name = plotCallName(ctx, statement);
    const call = callOf(statement)!;
    const args = parts(children(call)[1]!);
    if (name === 'frame') {
      const holder = historyFrame(ctx, call);
      if (!holder) return undefined;
      histories.set(holder, 'all');
    } else if (name === 'plot') {
      const series = args[0] ? historySeries(ctx, args[0]) : undefined;
      // plt.plot(h.history['loss'], label='train'): the series first; labels and styles do not matter.
      if (!series) return undefined;
      const [holder, key] = series;
      const metric = key.startsWith('val_') ? key.slice(4) : key;
      const metrics = histories.get(holder) ?? [];
      if (metrics !== 'all' && !metrics.includes(metric)) metrics.push(metric);
      histories.set(holder, metrics);
    } else if (name === 'title' || name === 'suptitle') {
      if (args[0]?.name === 'String') titles.push(stringValue(text(ctx, args[0])));
    } else if (!name || !LAYOUT.has(name)) {
      return undefined;
    }
  }
  if (histories.size === 0) return undefined;
  const keras = ctx.useKeras();
  const wait = ctx.functionDepth > 0 ? 'void ' : 'await ';
  const lines: string[] = [];
  let n = 0;
  for (const [holder, metrics] of histories) {
    const options = [`path: ${jsString(histories.size > 1 ? file.replace(/\.png$/, `_${++n}.png`) : file)}`];
    if (metrics !== 'all') options.push(`metrics: [${metrics.map(jsString).join(', ')}]`);
    const panels = metrics === 'all' ? 2 : metrics.length;
    if (titles.length === 1 && panels === 1) options.push(`title: ${jsString(titles[0]!)}`);
    lines.push(`${wait}${keras}.utils.plot_history(${holder}, { ${options.join(', ')} });`);
  }
  return lines;
}
