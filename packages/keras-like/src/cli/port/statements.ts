/**
 * Python statements → TypeScript statements: assignments (`const` on first assignment, `let`
 * when the name is assigned again, tuple unpacking as array destructuring), `def`, `if`,
 * `for`, `while`, `return`, imports. A statement that cannot be translated throws
 * `Untranslatable`; the cell translator (cell.ts) keeps it as commented Python.
 */
import type { Ctx } from './translate_context.js';
import { Untranslatable, untranslatable } from './context.js';
import { NUMBER, UNKNOWN, isTensor, itemOf, list, rankOf, sameKind, tensor, tsType, type Kind } from './kinds.js';
import { children, parts, statements, type SyntaxNode } from './python.js';
import {
  asNumber, binaryOp, iterableOf, operand, text, translateExpression, truthy, value, type Value,
} from './expressions.js';
import { tsName } from './names.js';
import { translateFunction } from './functions.js';
import { translateImport } from './imports.js';
import { isPlotStatement } from './plots.js';

/** A statement's TypeScript lines; `kept` lists what stayed Python inside it (plots in a body). */
export interface Translated {
  readonly lines: string[];
  readonly kept: { category: Untranslatable['category']; reason: string }[];
  /** Whether it counts as translated code; by default, when it wrote a line that is not a comment. */
  readonly translated?: boolean;
}

export function translateStatement(ctx: Ctx, node: SyntaxNode, display = false): Translated {
  const done = (lines: string[]): Translated => ({ lines, kept: [] });
  switch (node.name) {
    case 'ExpressionStatement':
      return done(expressionStatement(ctx, node, display));
    case 'AssignStatement':
      return done(assignment(ctx, node));
    case 'UpdateStatement':
      return done(update(ctx, node));
    case 'ImportStatement': {
      const result = translateImport(ctx, node);
      if (result.kept.length) {
        return { lines: [...result.lines, ...keptLines(result.kept[0]!.reason, text(ctx, node))], kept: result.kept, translated: result.bound };
      }
      return { lines: result.lines, kept: [], translated: result.bound };
    }
    case 'FunctionDefinition': {
      const kept: Translated['kept'] = [];
      const lines = translateFunction(ctx, node, (body) => {
        const block = translateBlock(ctx, body);
        kept.push(...block.kept);
        return block.lines;
      });
      return { lines, kept };
    }
    case 'ReturnStatement': {
      const expr = parts(node).find((n) => n.name !== 'return');
      if (!expr) return done(['return;']);
      const v = expressionOf(ctx, [expr]);
      if (ctx.returnKinds.length) ctx.returnKinds[ctx.returnKinds.length - 1] = v.kind;
      return done([`return ${v.code};`]);
    }
    case 'IfStatement':
      return compound(ctx, () => ifStatement(ctx, node));
    case 'ForStatement':
      return compound(ctx, () => forStatement(ctx, node));
    case 'WhileStatement':
      return compound(ctx, () => whileStatement(ctx, node));
    case 'PassStatement':
      return done([]);
    case 'BreakStatement':
      return done(['break;']);
    case 'ContinueStatement':
      return done(['continue;']);
    case 'AssertStatement': {
      const [condition, message] = parts(node).filter((n) => n.name !== 'assert');
      const c = truthy(translateExpression(ctx, condition!));
      const m = message ? translateExpression(ctx, message).code : "'AssertionError'";
      return done([`if (!(${c})) throw new Error(${m});`]);
    }
    default:
      return untranslatable('python', `Python's ${STATEMENT_NAMES[node.name] ?? node.name} is not translated`);
  }
}

const STATEMENT_NAMES: Record<string, string> = {
  WithStatement: '`with` block', TryStatement: '`try` block', ClassDefinition: '`class` definition',
  DeleteStatement: '`del`', GlobalStatement: '`global`', NonlocalStatement: '`nonlocal`',
  DecoratedStatement: 'decorator', RaiseStatement: '`raise`', MatchStatement: '`match`',
};

/** The commented Python of a statement kept as is, under its TODO line. */
export function keptLines(reason: string, python: string): string[] {
  return [`// TODO(port): ${reason}`, ...python.replace(/\n+$/, '').split('\n').map((line) => `// ${line}`)];
}

/** The statements of a Body; a plot inside a body stays a comment in place, anything else kept fails the whole statement. */
export function translateBlock(ctx: Ctx, body: SyntaxNode): Translated {
  const lines: string[] = [];
  const kept: Translated['kept'] = [];
  let previousEnd = -1;
  for (const node of statements(body)) {
    if (node.name === ':') continue;
    if (node.name === 'Comment') {
      const comment = `// ${text(ctx, node).replace(/^#\s?/, '')}`;
      if (previousEnd >= 0 && !ctx.text.slice(previousEnd, node.from).includes('\n') && lines.length) lines[lines.length - 1] += ` ${comment}`;
      else lines.push(comment);
      continue;
    }
    previousEnd = node.to;
    if (isPlotStatement(ctx, node)) {
      const reason = "matplotlib plot: only plots of history.history become keras.utils.plot_history";
      kept.push({ category: 'plot', reason });
      lines.push(...keptLines(reason, text(ctx, node)));
      continue;
    }
    const result = translateStatement(ctx, node);
    lines.push(...result.lines);
    kept.push(...result.kept);
  }
  return { lines, kept };
}

/** A block statement: declarations first made inside it are hoisted before it (Python has no block scope). */
function compound(ctx: Ctx, translate: () => Translated): Translated {
  const outermost = ctx.blockDepth === 0;
  ctx.blockDepth++;
  let result: Translated;
  try {
    result = translate();
  } finally {
    ctx.blockDepth--;
  }
  if (!outermost) return result;
  const hoisted = ctx.hoisted.splice(0);
  return { lines: [...hoisted, ...result.lines], kept: result.kept };
}

function indent(lines: string[]): string[] {
  return lines.map((l) => (l ? `  ${l}` : l));
}

function ifStatement(ctx: Ctx, node: SyntaxNode): Translated {
  const items = parts(node);
  const lines: string[] = [];
  const kept: Translated['kept'] = [];
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (n.name === 'if' || n.name === 'elif') {
      const condition = truthy(translateExpression(ctx, items[i + 1]!));
      const block = translateBlock(ctx, items[i + 2]!);
      kept.push(...block.kept);
      lines.push(`${n.name === 'if' ? 'if' : '} else if'} (${condition}) {`, ...indent(block.lines));
      i += 2;
    } else if (n.name === 'else') {
      const block = translateBlock(ctx, items[i + 1]!);
      kept.push(...block.kept);
      lines.push('} else {', ...indent(block.lines));
      i += 1;
    }
  }
  lines.push('}');
  return { lines, kept };
}

function whileStatement(ctx: Ctx, node: SyntaxNode): Translated {
  const items = parts(node);
  if (items.some((n) => n.name === 'else')) untranslatable('python', '`while ... else`');
  const condition = truthy(translateExpression(ctx, items[1]!));
  const block = translateBlock(ctx, items[2]!);
  return { lines: [`while (${condition}) {`, ...indent(block.lines), '}'], kept: block.kept };
}

function forStatement(ctx: Ctx, node: SyntaxNode): Translated {
  const items = parts(node);
  if (items.some((n) => n.name === 'else')) untranslatable('python', '`for ... else`');
  const inAt = items.findIndex((n) => n.name === 'in');
  const targets = items.slice(1, inAt);
  const iterable = items[inAt + 1]!;
  const body = items[inAt + 2]!;
  let header: string;
  let itemKind: Kind;
  const rangeArgs = rangeCall(ctx, iterable);
  if (rangeArgs && targets.length === 1 && targets[0]!.name === 'VariableName') {
    const [start, stop, step] = rangeArgs.length === 1 ? ['0', rangeArgs[0]!, undefined] : [rangeArgs[0]!, rangeArgs[1]!, rangeArgs[2]];
    const name = loopName(ctx, targets[0]!, NUMBER);
    const down = step?.trim().startsWith('-');
    header = `for (let ${name} = ${start}; ${name} ${down ? '>' : '<'} ${stop}; ${step ? `${name} += ${step}` : `${name}++`}) {`;
    const block = translateBlock(ctx, body);
    return { lines: [header, ...indent(block.lines), '}'], kept: block.kept };
  }
  const enumerated = enumerateCall(ctx, iterable);
  if (enumerated) {
    const source = iterableOf(ctx, enumerated);
    itemKind = { type: 'tuple', items: [NUMBER, source.item] };
    header = `for (const ${loopTargets(ctx, targets, itemKind)} of ${source.code}.entries()) {`;
  } else {
    const source = iterableOf(ctx, iterable);
    itemKind = source.item;
    header = `for (const ${loopTargets(ctx, targets, itemKind)} of ${source.code}) {`;
  }
  const block = translateBlock(ctx, body);
  return { lines: [header, ...indent(block.lines), '}'], kept: block.kept };
}

function rangeCall(ctx: Ctx, node: SyntaxNode): string[] | undefined {
  if (node.name !== 'CallExpression') return undefined;
  const [callee, argList] = children(node);
  if (text(ctx, callee!) !== 'range' || ctx.scope.lookup('range')) return undefined;
  return parts(argList!).map((a) => asNumber(translateExpression(ctx, a)));
}

function enumerateCall(ctx: Ctx, node: SyntaxNode): SyntaxNode | undefined {
  if (node.name !== 'CallExpression') return undefined;
  const [callee, argList] = children(node);
  if (text(ctx, callee!) !== 'enumerate' || ctx.scope.lookup('enumerate')) return undefined;
  const args = parts(argList!);
  if (args.length !== 1) untranslatable('python', '`enumerate` with a start');
  return args[0];
}

/** A loop variable: block-scoped in TypeScript (Python's survives the loop; the course never reads it after). */
function loopName(ctx: Ctx, node: SyntaxNode, kind: Kind): string {
  const name = text(ctx, node);
  const ts = tsName(name);
  ctx.scope.set(name, { kind, ts, declared: true });
  return ts;
}

function loopTargets(ctx: Ctx, targets: SyntaxNode[], kind: Kind): string {
  if (targets.length === 1) {
    const t = targets[0]!;
    if (t.name === 'VariableName') return loopName(ctx, t, kind);
    if (t.name === 'TupleExpression') return loopTargets(ctx, parts(t), kind);
    return untranslatable('python', 'a loop target that is not a name');
  }
  const names = targets.map((t, i) => {
    const item = kind.type === 'tuple' ? (kind.items[i] ?? UNKNOWN) : itemOf(kind);
    if (t.name === 'VariableName') return text(ctx, t) === '_' ? '' : loopName(ctx, t, item);
    if (t.name === 'TupleExpression') return loopTargets(ctx, parts(t), item);
    return untranslatable('python', 'a loop target that is not a name');
  });
  return `[${names.join(', ')}]`;
}

/** The value of the expression nodes of a statement (several nodes are a bare tuple: `a, b`). */
function expressionOf(ctx: Ctx, nodes: SyntaxNode[]): Value {
  const exprs = nodes.filter((n) => n.name !== ',' && n.name !== 'Comment');
  if (exprs.length === 1 && !nodes.some((n) => n.name === ',')) return translateExpression(ctx, exprs[0]!);
  const values = exprs.map((n) => translateExpression(ctx, n));
  return value(`[${values.map((v) => v.code).join(', ')}]`, { type: 'tuple', items: values.map((v) => v.kind) });
}

function expressionStatement(ctx: Ctx, node: SyntaxNode, display: boolean): string[] {
  const nodes = children(node).filter((n) => n.name !== 'Comment' && n.name !== ';');
  const v = expressionOf(ctx, nodes);
  // Jupyter shows the value of a cell's last expression; so does this, for values (not objects).
  if (display && SHOWN.has(v.kind.type)) return [`console.log(${shown(v)});`];
  return [`${v.code};`];
}

const SHOWN = new Set(['number', 'string', 'boolean', 'tensor', 'shape', 'list', 'tuple', 'dict']);

function shown(v: Value): string {
  if (isTensor(v.kind)) return `${operand(v)}.arraySync()`;
  if (v.kind.type === 'shape') return v.code;
  return v.code;
}

function assignment(ctx: Ctx, node: SyntaxNode): string[] {
  const items = children(node).filter((n) => n.name !== 'Comment');
  const ops = items.filter((n) => n.name === 'AssignOp');
  if (ops.length > 1) untranslatable('python', 'a chained assignment (`a = b = ...`)');
  if (items.some((n) => n.name === 'TypeDef')) untranslatable('python', 'an annotated assignment');
  const opAt = items.findIndex((n) => n.name === 'AssignOp');
  const targets = items.slice(0, opAt).filter((n) => n.name !== ',');
  const tupleTarget = items.slice(0, opAt).some((n) => n.name === ',') || targets[0]!.name === 'TupleExpression' || targets[0]!.name === 'ArrayExpression';
  const rhs = expressionOf(ctx, items.slice(opAt + 1));
  if (!tupleTarget) return assignOne(ctx, targets[0]!, rhs);
  const flat = targets.length === 1 ? parts(targets[0]!) : targets;
  return destructure(ctx, flat, rhs);
}

/** `a = v`, `a[i] = v`, `a.b = v`. */
function assignOne(ctx: Ctx, target: SyntaxNode, v: Value): string[] {
  if (target.name === 'VariableName') return assignName(ctx, text(ctx, target), v);
  if (target.name === 'MemberExpression') {
    const all = children(target);
    if (all[1]?.name === '[') {
      const object = translateExpression(ctx, all[0]!);
      if (isTensor(object.kind)) return maskedAssignment(ctx, all[0]!, object, all.slice(2, -1), v);
    }
    const left = translateExpression(ctx, target);
    return [`${left.code} = ${v.code};`];
  }
  return untranslatable('python', `assigning to \`${text(ctx, target)}\``);
}

/**
 * `y[np.where(y == 0)] = -1` / `y[y == 0] = -1`: NumPy writes into the array where the condition
 * holds; TensorFlow.js tensors are immutable, so the name gets `tf.where(condition, value, y)`.
 */
function maskedAssignment(ctx: Ctx, objectNode: SyntaxNode, object: Value, inside: SyntaxNode[], v: Value): string[] {
  const index = inside.filter((n) => n.name !== 'Comment');
  if (index.length !== 1 || objectNode.name !== 'VariableName') {
    return untranslatable('numpy', 'writing into part of an array (TensorFlow.js tensors are immutable)');
  }
  let condition = index[0]!;
  if (condition.name === 'CallExpression' && ctx.modulePath(children(condition)[0]!) === 'numpy.where') {
    const args = parts(children(condition)[1]!);
    if (args.length !== 1) return untranslatable('numpy', 'writing through `np.where` with several arguments');
    condition = args[0]!;
  }
  const mask = translateExpression(ctx, condition);
  if (!isTensor(mask.kind)) return untranslatable('numpy', 'writing into an array at an index (TensorFlow.js tensors are immutable)');
  const tf = ctx.useTf();
  const fill = isTensor(v.kind) ? v.code : `${tf}.fill(${operand(object)}.shape, ${v.code})`;
  return assignName(ctx, text(ctx, objectNode), value(`${tf}.where(${mask.code}, ${fill}, ${object.code})`, object.kind));
}

/** The binding a Python assignment to `name` writes: the function's local, or the notebook's global. */
export function assignName(ctx: Ctx, name: string, v: Value): string[] {
  const scope = ctx.scope;
  const binding = scope.own(name);
  ctx.record.assigned(scope, name, v.kind);
  if (binding?.declared && binding.kind.type !== 'module' && binding.kind.type !== 'function') {
    binding.kind = sameKind(binding.kind, v.kind) || binding.kind.type === 'unknown' || ctx.hints.mixed(scope, name) ? v.kind : binding.kind;
    delete binding.keptBecause;
    return [`${binding.ts} = ${v.code};`];
  }
  const ts = tsName(name);
  const declared = declaredKind(ctx, name, v.kind);
  scope.set(name, { kind: ctx.hints.mixed(scope, name) ? v.kind : declared.kind, ts, declared: true });
  if (ctx.blockDepth > 0) {
    ctx.hoisted.push(`let ${ts}: ${typeText(ctx, declared.kind)};`);
    return [`${ts} = ${v.code};`];
  }
  const keyword = ctx.hints.reassigned(scope, name) ? 'let' : 'const';
  return [`${keyword} ${ts}${declared.annotate ? `: ${typeText(ctx, declared.kind)}` : ''} = ${v.code};`];
}

/** The TypeScript type of a declaration; a tensor's type (`tf.Tensor`) imports `tf`. */
function typeText(ctx: Ctx, kind: Kind): string {
  const type = tsType(kind);
  if (type.includes('tf.')) ctx.useTf();
  return type;
}

/** The kind a declaration is written with: what the first pass saw assigned, or appended (`[]`). */
function declaredKind(ctx: Ctx, name: string, kind: Kind): { kind: Kind; annotate: boolean } {
  if (kind.type === 'list' && kind.item.type === 'unknown') {
    const appended = ctx.hints.appendedTo(ctx.scope, tsName(name));
    if (appended) return { kind: list(appended), annotate: true };
  }
  const seen = ctx.hints.kindOf(ctx.scope, name);
  // Declared `any`; the binding keeps each value's own kind, so each use is still translated by it.
  if (ctx.hints.mixed(ctx.scope, name)) return { kind: UNKNOWN, annotate: true };
  if (seen.type !== 'unknown' && !sameKind(seen, kind) && tsType(seen) !== 'any') return { kind: seen, annotate: true };
  return { kind, annotate: false };
}

/** A name to unpack into (`_` is a hole), or a nested group: `(x_train, y_train), (x_test, y_test)`. */
interface Leaf {
  readonly name: string;
  readonly kind: Kind;
}
type Target = Leaf | readonly Target[];

function isGroup(target: Target): target is readonly Target[] {
  return Array.isArray(target);
}

/** The targets of an unpacking, each with the kind of the item it receives. */
function targetTree(ctx: Ctx, targets: SyntaxNode[], kind: Kind): Target[] {
  return targets.map((node, i) => {
    const item = elementKind(kind, i);
    if (node.name === 'VariableName') return { name: text(ctx, node), kind: item };
    if (node.name === 'TupleExpression' || node.name === 'ParenthesizedExpression' || node.name === 'ArrayExpression') {
      return targetTree(ctx, parts(node), item);
    }
    return untranslatable('python', 'unpacking into something other than names');
  });
}

function leavesOf(tree: readonly Target[]): Leaf[] {
  return tree.flatMap((t) => (isGroup(t) ? leavesOf(t) : [t]));
}

/** `[[x_train, y_train], [x_test, y_test]]`, `[, acc]`. */
function patternOf(tree: readonly Target[]): string {
  return `[${tree.map((t) => (isGroup(t) ? patternOf(t) : t.name === '_' ? '' : tsName(t.name))).join(', ')}]`;
}

/** `a, b = ...`, `_, acc = model.evaluate(...)`, `(a, b), (c, d) = load_data()`: array destructuring, `_` a hole. */
function destructure(ctx: Ctx, targets: SyntaxNode[], rhs: Value): string[] {
  if (isTensor(rhs.kind)) return untranslatable('numpy', 'unpacking an array into names');
  const tree = targetTree(ctx, targets, rhs.kind);
  const leaves = leavesOf(tree);
  const scope = ctx.scope;
  const isNew = (name: string): boolean => name !== '_' && !scope.own(name)?.declared;
  const needsType = leaves.some(({ name, kind }) => name !== '_' && isNew(name) && declaredKind(ctx, name, kind).annotate);
  const declareHere = ctx.blockDepth === 0 && !needsType && leaves.every(({ name }) => name === '_' || isNew(name));
  const lines: string[] = [];
  for (const { name, kind } of leaves) {
    if (name === '_') continue;
    ctx.record.assigned(scope, name, kind);
    const binding = scope.own(name);
    if (binding?.declared) {
      binding.kind = kind;
      delete binding.keptBecause;
      continue;
    }
    const declared = declaredKind(ctx, name, kind);
    scope.set(name, { kind: ctx.hints.mixed(scope, name) ? kind : declared.kind, ts: tsName(name), declared: true });
    if (declareHere) continue;
    const line = `let ${tsName(name)}: ${typeText(ctx, declared.kind)};`;
    if (ctx.blockDepth > 0) ctx.hoisted.push(line);
    else lines.push(line);
  }
  const pattern = patternOf(tree);
  if (declareHere) {
    const keyword = leaves.some(({ name }) => name !== '_' && ctx.hints.reassigned(scope, name)) ? 'let' : 'const';
    return [`${keyword} ${pattern} = ${rhs.code};`];
  }
  return [...lines, `${pattern} = ${rhs.code};`];
}

/** The kind of item `i` when unpacking a value of kind `kind`. */
function elementKind(kind: Kind, i: number): Kind {
  // get_weights() of Dense layers: kernel (2-D), bias (1-D), kernel, bias...
  if (kind.type === 'object' && kind.of === 'Weights') return tensor(i % 2 === 0 ? 2 : 1);
  return itemOf(kind, i);
}

/** `x += v`: in place for numbers and strings; a new tensor for arrays. */
function update(ctx: Ctx, node: SyntaxNode): string[] {
  const [target, opNode, valueNode] = children(node).filter((n) => n.name !== 'Comment');
  const op = text(ctx, opNode!).slice(0, -1);
  const left = translateExpression(ctx, target!);
  const right = translateExpression(ctx, valueNode!);
  if (isTensor(left.kind) || isTensor(right.kind)) {
    if (target!.name !== 'VariableName') return untranslatable('numpy', 'updating part of an array in place');
    const result = binaryOp(ctx, op, left, right);
    return assignName(ctx, text(ctx, target!), value(result.code, tensor(rankOf(left.kind) ?? rankOf(right.kind))));
  }
  if (left.kind.type === 'list' && op === '+') return [`${operand(left)}.push(...${operand(right)});`];
  if (target!.name === 'VariableName') ctx.record.assigned(ctx.scope, text(ctx, target!), left.kind);
  if (op === '//') return [`${left.code} = Math.floor(${left.code} / ${operand(right)});`];
  return [`${left.code} ${op}= ${right.code};`];
}
