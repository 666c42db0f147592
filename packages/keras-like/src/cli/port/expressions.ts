/**
 * Python expressions → TypeScript expressions. Each translation carries the value's kind
 * (kinds.ts), which decides between JavaScript's operators and TensorFlow.js ops, and how a
 * value is indexed or printed.
 */
import type { Ctx } from './translate_context.js';
import { untranslatable } from './context.js';
import {
  BOOLEAN, NULL, NUMBER, STRING, UNKNOWN, isTensor, itemOf, list, rankOf, tensor, union, type Kind,
} from './kinds.js';
import { children, parts, trailingDotFloat, type SyntaxNode } from './python.js';
import { decodeBody, formatSpec, jsString, percentPieces, splitLiteral, stringValue, templateText } from './strings.js';
import { translateCall } from './calls.js';
import { tensorAttribute } from './numpy.js';
import { tsName } from './names.js';

/** A translated expression: its TypeScript, its kind, and whether it needs parentheses as an operand. */
export interface Value {
  readonly code: string;
  readonly kind: Kind;
  /** True when `code` can take `.x`, `[i]` or be an operand as is. */
  readonly atom: boolean;
}

export function value(code: string, kind: Kind, atom = true): Value {
  return { code, kind, atom };
}

/** `code` ready to take `.method()` or be an operand. */
export function operand(v: Value): string {
  return v.atom ? v.code : `(${v.code})`;
}

export function text(ctx: Ctx, node: SyntaxNode): string {
  return ctx.text.slice(node.from, node.to);
}

/** Translates one expression node. */
export function translateExpression(ctx: Ctx, node: SyntaxNode): Value {
  switch (node.name) {
    case 'Number':
      return number(text(ctx, node));
    case 'String':
      return stringLiteral(text(ctx, node));
    case 'ContinuedString':
      return value(jsString(parts(node).map((s) => stringValue(text(ctx, s))).join('')), STRING);
    case 'FormatString':
      return formatString(ctx, node);
    case 'Boolean':
      return value(text(ctx, node) === 'True' ? 'true' : 'false', BOOLEAN);
    case 'None':
      return value('null', NULL);
    case 'VariableName':
      return variable(ctx, text(ctx, node));
    case 'ParenthesizedExpression': {
      const inner = parts(node)[0];
      if (!inner) return untranslatable('python', 'an empty `()`');
      // Parentheses come back where precedence needs them (operand()).
      return translateExpression(ctx, inner);
    }
    case 'TupleExpression':
    case 'ArrayExpression':
      return sequence(ctx, parts(node), node.name === 'TupleExpression');
    case 'DictionaryExpression':
      return dictionary(ctx, node);
    case 'MemberExpression':
      return member(ctx, node);
    case 'CallExpression':
      return translateCall(ctx, node);
    case 'BinaryExpression':
      return binary(ctx, node);
    case 'UnaryExpression':
      return unary(ctx, node);
    case 'ConditionalExpression': {
      const [then, condition, otherwise] = parts(node).filter((p) => p.name !== 'if' && p.name !== 'else');
      const a = translateExpression(ctx, then!);
      const c = truthy(translateExpression(ctx, condition!));
      const b = translateExpression(ctx, otherwise!);
      return value(`${c} ? ${a.code} : ${b.code}`, union(a.kind, b.kind), false);
    }
    case 'ArrayComprehensionExpression':
      return comprehension(ctx, node);
    case 'LambdaExpression':
      return lambda(ctx, node);
    case 'Comment':
      return untranslatable('python', 'a comment where an expression was expected');
    default:
      return untranslatable('python', `Python's ${describe(node.name)} is not translated`);
  }
}

function describe(nodeName: string): string {
  const names: Record<string, string> = {
    SetExpression: 'set literal',
    ComprehensionExpression: 'generator expression',
    DictionaryComprehensionExpression: 'dict comprehension',
    SetComprehensionExpression: 'set comprehension',
    AwaitExpression: 'await',
    YieldExpression: 'yield',
    Ellipsis: '`...`',
    NamedExpression: 'walrus `:=`',
  };
  return names[nodeName] ?? nodeName;
}

function number(literal: string): Value {
  const clean = literal.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) untranslatable('python', `complex number ${literal}`);
  // `1.` and `.5` are valid JavaScript too; a trailing `.` could not take a `.method`.
  return value(clean, NUMBER, !clean.endsWith('.'));
}

function stringLiteral(literal: string): Value {
  const { prefix } = splitLiteral(literal);
  if (prefix.includes('b')) untranslatable('python', `bytes literal ${literal}`);
  return value(jsString(stringValue(literal)), STRING);
}

/** Objects of the helpers' classes: a cell that uses only these is not a Keras cell. */
const NOT_KERAS = new Set(['Bunch', 'StandardScaler', 'MinMaxScaler', 'DataFrame']);

const DTYPES: Record<string, string> = { int: 'int32', float: 'float32', bool: 'bool' };

/** A Python name: its binding, or a builtin constant. */
function variable(ctx: Ctx, name: string): Value {
  const binding = ctx.scope.lookup(name);
  if (binding) {
    if (binding.kind.type === 'object' && !NOT_KERAS.has(binding.kind.of)) ctx.usesKeras = true;
    if (binding.keptBecause !== undefined) {
      untranslatable('depends on kept code', `uses \`${name}\`, defined by code that stayed Python (${binding.keptBecause})`);
    }
    return value(binding.ts, binding.kind);
  }
  const implicit = ctx.implicitName(name);
  if (implicit) return implicit;
  // `x.astype(int)`, `np.array(v, dtype=float)`: Python's types as dtypes.
  const dtype = DTYPES[name];
  if (dtype) return value(jsString(dtype), STRING);
  if (ctx.starImports.length) {
    const modules = ctx.starImports.map((m) => `\`from ${m} import *\``).join(', ');
    return untranslatable('other library', `\`${name}\` is not defined in the notebook; it probably comes from ${modules}, which has no keras-like equivalent`);
  }
  return untranslatable('python', `\`${name}\` is not defined in the notebook`);
}

function sequence(ctx: Ctx, items: SyntaxNode[], tuple: boolean): Value {
  const values = items.map((item) => {
    if (item.name === '*') untranslatable('python', 'star-unpacking inside a list');
    return translateExpression(ctx, item);
  });
  const code = `[${values.map((v) => v.code).join(', ')}]`;
  if (tuple) return value(code, { type: 'tuple', items: values.map((v) => v.kind) });
  const item = values.reduce<Kind>((kind, v, i) => (i === 0 ? v.kind : union(kind, v.kind)), UNKNOWN);
  return value(code, list(item));
}

function dictionary(ctx: Ctx, node: SyntaxNode): Value {
  const items = parts(node);
  const entries: string[] = [];
  let kind: Kind = UNKNOWN;
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i]!;
    const v = translateExpression(ctx, items[i + 1]!);
    kind = i === 0 ? v.kind : union(kind, v.kind);
    entries.push(`${objectKey(ctx, key)}: ${v.code}`);
  }
  return value(entries.length ? `{ ${entries.join(', ')} }` : '{}', { type: 'dict', value: kind });
}

/** An object key: `a` for `'a'`, `0` for `0`, `[k]` otherwise. */
export function objectKey(ctx: Ctx, key: SyntaxNode): string {
  if (key.name === 'String') {
    const name = stringValue(text(ctx, key));
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : jsString(name);
  }
  if (key.name === 'Number') return text(ctx, key);
  return `[${translateExpression(ctx, key).code}]`;
}

/** `a.b` and `a[i]`. */
function member(ctx: Ctx, node: SyntaxNode): Value {
  const float = trailingDotFloat(node);
  if (float) return value(`${text(ctx, float)}.0`, NUMBER);
  const all = children(node);
  const objectNode = all[0]!;
  if (all[1]?.name === '.') {
    const property = text(ctx, all[2]!);
    const module = ctx.modulePath(node);
    if (module) return ctx.moduleMember(module, node);
    const object = translateExpression(ctx, objectNode);
    return attribute(ctx, object, property);
  }
  return subscript(ctx, translateExpression(ctx, objectNode), all.slice(2, -1));
}

/** `object.property` by the object's kind. */
export function attribute(ctx: Ctx, object: Value, property: string): Value {
  const kind = object.kind;
  if (isTensor(kind)) return tensorAttribute(ctx, object, property);
  // A Python list NumPy holds as an array of objects (imdb's reviews, of different lengths): one axis.
  if (kind.type === 'list' && property === 'shape') return value(`[${operand(object)}.length]`, { type: 'shape', rank: 1 });
  if (kind.type === 'object') {
    if (kind.of === 'History' && property === 'history') return value(`${operand(object)}.history`, { type: 'dict', value: list(NUMBER) });
    if (kind.of === 'History' && property === 'epoch') return value(`${operand(object)}.epoch`, list(NUMBER));
    const known = ctx.objectAttribute(kind.of, property);
    if (known) return value(`${operand(object)}.${property}`, known);
  }
  return value(`${operand(object)}.${tsName(property)}`, UNKNOWN);
}

/** The pieces between `[` and `]`, split at commas; each piece split at colons (a slice). */
interface IndexPart {
  readonly slice: boolean;
  /** For a slice: [start, stop, step] (undefined where left out); for an index: [node]. */
  readonly nodes: readonly (SyntaxNode | undefined)[];
}

function indexParts(nodes: SyntaxNode[]): IndexPart[] {
  const groups: SyntaxNode[][] = [[]];
  for (const n of nodes) {
    if (n.name === ',') groups.push([]);
    else if (n.name !== 'Comment') groups[groups.length - 1]!.push(n);
  }
  if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
  return groups.map((group) => {
    if (!group.some((n) => n.name === ':')) return { slice: false, nodes: group };
    const slots: (SyntaxNode | undefined)[] = [undefined];
    for (const n of group) {
      if (n.name === ':') slots.push(undefined);
      else slots[slots.length - 1] = n;
    }
    return { slice: true, nodes: slots };
  });
}

function subscript(ctx: Ctx, object: Value, inside: SyntaxNode[]): Value {
  const index = indexParts(inside);
  const kind = object.kind;
  if (isTensor(kind)) return tensorSubscript(ctx, object, index);
  if (index.length !== 1) return untranslatable('python', 'indexing with several axes a value that is not an array');
  const part = index[0]!;
  if (part.slice) {
    const [start, stop, step] = part.nodes;
    if (step) untranslatable('python', 'a slice with a step');
    const a = start ? asNumber(translateExpression(ctx, start)) : '0';
    const b = stop ? `, ${asNumber(translateExpression(ctx, stop))}` : '';
    const sliced = kind.type === 'tuple' ? { type: 'list', item: kind.items[0] ?? UNKNOWN } as Kind : kind;
    return value(`${operand(object)}.slice(${a}${b})`, sliced);
  }
  const keyNode = part.nodes[0]!;
  const key = translateExpression(ctx, keyNode);
  if (kind.type === 'object' && kind.of === 'DataFrame' && key.kind.type === 'string') {
    return value(`${operand(object)}.column(${key.code})`, tensor(1));
  }
  if (kind.type === 'dict' || (kind.type === 'unknown' && key.kind.type === 'string')) {
    if (keyNode.name === 'String') {
      const name = stringValue(text(ctx, keyNode));
      return value(`${operand(object)}[${jsString(name)}]`, itemOf(kind));
    }
    return value(`${operand(object)}[${key.code}]`, itemOf(kind));
  }
  const literal = keyNode.name === 'Number' ? Number(text(ctx, keyNode)) : undefined;
  // `x[-1]`: JavaScript arrays have no negative indices; `.at(-1)` is the same element.
  if (keyNode.name === 'UnaryExpression' && text(ctx, keyNode).startsWith('-')) {
    return value(`${operand(object)}.at(${key.code})!`, itemOf(kind));
  }
  return value(`${operand(object)}[${asNumber(key)}]`, itemOf(kind, literal));
}

/**
 * Indexing a NumPy array. Slices become `tf.slice` (begin and size per axis), a single integer
 * on an axis with slices becomes `tf.gather`, and integers only read the values back to the
 * host, as docs/porting.md §7 does by hand (`(m.arraySync() as number[][])[0][0]`).
 */
function tensorSubscript(ctx: Ctx, object: Value, index: IndexPart[]): Value {
  const rank = rankOf(object.kind);
  const allIntegers = index.every((p) => !p.slice);
  if (index.some((p) => p.nodes.some((n) => n !== undefined && isMask(ctx, n)))) {
    return untranslatable('numpy', `boolean-mask indexing (\`${index.length > 1 ? 'X[y == 0, 0]' : 'X[y == 0]'}\`): TensorFlow.js has only the asynchronous tf.booleanMaskAsync`);
  }
  if (allIntegers) {
    if (rank === undefined) return untranslatable('numpy', 'indexing an array whose number of dimensions the translator cannot tell');
    if (index.length > rank) return untranslatable('numpy', `${index.length} indices on a ${rank}-D array`);
    const keys = index.map((p) => asNumber(translateExpression(ctx, p.nodes[0]!)));
    const type = rank === 0 ? 'number' : `number${'[]'.repeat(rank)}`;
    const rest = rank - index.length;
    const read = `(${operand(object)}.arraySync() as ${type})${keys.map((k) => `[${k}]`).join('')}`;
    return value(read, rest === 0 ? NUMBER : nestedList(rest));
  }
  const begin: string[] = [];
  const size: string[] = [];
  const gathered: { axis: number; index: string }[] = [];
  index.forEach((p, axis) => {
    if (!p.slice) {
      const i = asNumber(translateExpression(ctx, p.nodes[0]!));
      gathered.push({ axis, index: i });
      begin.push('0');
      size.push('-1');
      return;
    }
    const [start, stop, step] = p.nodes;
    if (step) untranslatable('numpy', 'a slice with a step (`x[::2]`)');
    const a = start ? translateExpression(ctx, start) : undefined;
    const b = stop ? translateExpression(ctx, stop) : undefined;
    if ((a && isNegative(ctx, start!)) || (b && isNegative(ctx, stop!))) untranslatable('numpy', 'a slice with a negative bound');
    const from = a ? asNumber(a) : '0';
    begin.push(from);
    size.push(b ? (from === '0' ? asNumber(b) : `${asNumber(b)} - ${from}`) : '-1');
  });
  if (gathered.length > 1) untranslatable('numpy', 'indexing with more than one integer among slices');
  const allWhole = begin.every((b) => b === '0') && size.every((s) => s === '-1');
  let code: string;
  if (allWhole) {
    code = object.code;
  } else if (index.length === 1) {
    code = `${operand(object)}.slice(${begin[0]}${size[0] === '-1' ? '' : `, ${size[0]}`})`;
  } else {
    const trailingWhole = size.every((s) => s === '-1');
    code = `${operand(object)}.slice([${begin.join(', ')}]${trailingWhole ? '' : `, [${size.join(', ')}]`})`;
  }
  if (gathered.length === 1) {
    const { axis, index: i } = gathered[0]!;
    code = `tf.gather(${code}, ${i}, ${axis})`;
    ctx.useTf();
    return value(code, tensor(rank === undefined ? undefined : rank - 1));
  }
  return value(code, tensor(rank));
}

function nestedList(depth: number): Kind {
  return depth <= 0 ? NUMBER : list(nestedList(depth - 1));
}

function isMask(ctx: Ctx, node: SyntaxNode): boolean {
  if (node.name === 'BinaryExpression') {
    const op = operatorText(ctx, node);
    return ['==', '!=', '<', '>', '<=', '>='].includes(op);
  }
  if (node.name === 'CallExpression') {
    const callee = children(node)[0]!;
    return text(ctx, callee).endsWith('.where');
  }
  if (node.name === 'VariableName') {
    const b = ctx.scope.lookup(text(ctx, node));
    return b?.kind.type === 'tensor' || b?.kind.type === 'list';
  }
  return false;
}

function isNegative(ctx: Ctx, node: SyntaxNode): boolean {
  return node.name === 'UnaryExpression' && text(ctx, node).trim().startsWith('-');
}

/** A number where TypeScript needs one: a 0-D tensor is read back. */
export function asNumber(v: Value): string {
  if (isTensor(v.kind)) return `(${operand(v)}.arraySync() as number)`;
  return v.code;
}

/** The operator of a binary expression (`is not`, `not in` included). */
export function operatorText(ctx: Ctx, node: SyntaxNode): string {
  const [left, right] = parts(node).filter((p) => !isOperatorToken(p.name));
  return ctx.text.slice(left!.to, right!.from).replace(/\s+/g, ' ').trim();
}

function isOperatorToken(name: string): boolean {
  return ['ArithOp', 'CompareOp', 'BitOp', 'and', 'or', 'in', 'not', 'is'].includes(name);
}

const TENSOR_OPS: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floorDiv', '%': 'mod', '**': 'pow', '@': 'matMul',
  '>': 'greater', '<': 'less', '>=': 'greaterEqual', '<=': 'lessEqual', '==': 'equal', '!=': 'notEqual',
  '&': 'logicalAnd', '|': 'logicalOr',
};

function binary(ctx: Ctx, node: SyntaxNode): Value {
  const operands = parts(node).filter((p) => !isOperatorToken(p.name));
  if (operands.length !== 2) return untranslatable('python', 'a chained comparison (`a < b < c`)');
  const op = operatorText(ctx, node);
  if (op === '%' && operands[0]!.name === 'String') return percentFormat(ctx, operands[0]!, operands[1]!);
  const a = translateExpression(ctx, operands[0]!);
  const b = translateExpression(ctx, operands[1]!);
  return binaryOp(ctx, op, a, b);
}

/** `a op b` for translated operands (also used by `x += 1`). */
export function binaryOp(ctx: Ctx, op: string, a: Value, b: Value): Value {
  if (isTensor(a.kind) || isTensor(b.kind) || (op === '@')) {
    const fn = TENSOR_OPS[op];
    if (!fn) return untranslatable('numpy', `the operator \`${op}\` on arrays`);
    ctx.useTf();
    const rank = Math.max(rankOf(a.kind) ?? -1, rankOf(b.kind) ?? -1);
    return value(`tf.${fn}(${a.code}, ${b.code})`, tensor(rank < 0 ? undefined : rank));
  }
  const left = operand(a);
  const right = operand(b);
  switch (op) {
    case 'and':
      return value(`${truthy(a)} && ${truthy(b)}`, BOOLEAN, false);
    case 'or':
      return value(`${left} || ${right}`, union(a.kind, b.kind), false);
    case '==':
      return value(`${left} === ${right}`, BOOLEAN, false);
    case '!=':
      return value(`${left} !== ${right}`, BOOLEAN, false);
    case 'is':
      return value(`${left} === ${right}`, BOOLEAN, false);
    case 'is not':
      return value(`${left} !== ${right}`, BOOLEAN, false);
    case 'in':
      return membership(a, b, false);
    case 'not in':
      return membership(a, b, true);
    case '//':
      return value(`Math.floor(${left} / ${right})`, NUMBER);
    case '%':
      if (a.kind.type === 'string') return untranslatable('python', '`%` formatting with a format string that is not a literal');
      return value(`${left} % ${right}`, NUMBER, false);
    case '+':
      if (a.kind.type === 'list' || a.kind.type === 'tuple') return value(`[...${left}, ...${right}]`, a.kind);
      return value(`${left} + ${right}`, a.kind.type === 'string' || b.kind.type === 'string' ? STRING : NUMBER, false);
    case '*':
      if (a.kind.type === 'string') return value(`${left}.repeat(${b.code})`, STRING);
      if (a.kind.type === 'list') return untranslatable('python', 'repeating a list with `*`');
      return value(`${left} * ${right}`, NUMBER, false);
    case '-': case '/': case '**': case '&': case '|': case '^': case '<<': case '>>':
      return value(`${left} ${op} ${right}`, NUMBER, false);
    case '<': case '>': case '<=': case '>=':
      return value(`${left} ${op} ${right}`, BOOLEAN, false);
    default:
      return untranslatable('python', `the operator \`${op}\``);
  }
}

function membership(a: Value, b: Value, negate: boolean): Value {
  const test = b.kind.type === 'dict' ? `${operand(a)} in ${operand(b)}` : `${operand(b)}.includes(${a.code})`;
  return value(negate ? `!(${test})` : test, BOOLEAN, !negate && b.kind.type !== 'dict');
}

/** A Python truth test: an empty list is false in Python, not in JavaScript. */
export function truthy(v: Value): string {
  if (v.kind.type === 'list' || v.kind.type === 'tuple') return `${operand(v)}.length > 0`;
  if (isTensor(v.kind)) return untranslatable('numpy', 'the truth value of an array');
  return operand(v);
}

function unary(ctx: Ctx, node: SyntaxNode): Value {
  const [opNode, argNode] = children(node);
  const op = text(ctx, opNode!);
  const arg = translateExpression(ctx, argNode!);
  if (op === 'not') return value(`!${operand(value(truthy(arg), BOOLEAN, arg.atom))}`, BOOLEAN);
  if (isTensor(arg.kind)) {
    ctx.useTf();
    if (op === '-') return value(`tf.neg(${arg.code})`, arg.kind);
    if (op === '+') return arg;
    return untranslatable('numpy', `the unary \`${op}\` on arrays`);
  }
  return value(`${op}${operand(arg)}`, NUMBER, false);
}

/** `'%.2f' % x` and `'%s => %d' % (a, b)` → a template literal. */
function percentFormat(ctx: Ctx, formatNode: SyntaxNode, argsNode: SyntaxNode): Value {
  if (formatNode.name !== 'String') return untranslatable('python', '`%` formatting with a format string that is not a literal');
  const format = stringValue(text(ctx, formatNode));
  const pieces = percentPieces(format);
  if (!pieces) return untranslatable('python', `the \`%\` format ${jsString(format)}`);
  const argNodes = argsNode.name === 'TupleExpression' ? parts(argsNode) : [argsNode];
  const items = argNodes.map((n) => translateExpression(ctx, n));
  let argIndex = 0;
  let out = '`';
  for (const piece of pieces) {
    if ('text' in piece) {
      out += templateText(piece.text);
      continue;
    }
    const arg = items[argIndex++];
    if (!arg) return untranslatable('python', '`%` formatting with fewer arguments than conversions');
    out += inlined(formatted(arg, piece.conversion === 's' || piece.conversion === 'r' ? '' : piece.spec));
  }
  if (argIndex !== items.length) return untranslatable('python', '`%` formatting with more arguments than conversions');
  return value(`${out}\``, STRING);
}

/** `value` as text by a Python format spec (`.2f`, `d`, '' for str()). */
export function formatted(v: Value, spec: string): string {
  if (spec === '' || spec === 's') return pythonStr(v);
  const code = isTensor(v.kind) ? asNumber(v) : operand(v);
  const out = formatSpec(spec, code);
  if (out === undefined) return untranslatable('python', `the format spec \`${spec}\``);
  return out;
}

/** What Python's `str(value)` shows, as closely as plain JavaScript gets. */
export function pythonStr(v: Value): string {
  switch (v.kind.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return v.code;
    case 'shape':
      // Python prints a shape as a tuple: (768, 9), and (768,) for one axis.
      if (v.kind.rank === 1) return `\`(\${${operand(v)}[0]},)\``;
      if (v.kind.rank !== undefined) return `\`(\${${operand(v)}.join(', ')})\``;
      return `\`(\${${operand(v)}.join(', ')}\${${operand(v)}.length === 1 ? ',' : ''})\``;
    case 'list':
    case 'tuple':
    case 'dict':
      return `JSON.stringify(${v.code})`;
    case 'tensor':
      return `${operand(v)}.toString()`;
    default:
      return v.code;
  }
}

function formatString(ctx: Ctx, node: SyntaxNode): Value {
  const literal = text(ctx, node);
  const { prefix, quote } = splitLiteral(literal);
  const raw = prefix.includes('r');
  let cursor = node.from + prefix.length + quote.length;
  const end = node.to - quote.length;
  let out = '`';
  for (const replacement of children(node).filter((c) => c.name === 'FormatReplacement')) {
    out += templateText(decodeBody(ctx.text.slice(cursor, replacement.from), raw).replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
    out += inlined(replacementCode(ctx, replacement));
    cursor = replacement.to;
  }
  out += templateText(decodeBody(ctx.text.slice(cursor, end), raw).replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
  return value(`${out}\``, STRING);
}

/** `${code}` inside a template literal; a nested template literal's text is spliced in instead. */
function inlined(code: string): string {
  if (code.startsWith('`') && code.endsWith('`') && code.length >= 2) return code.slice(1, -1);
  return `\${${code}}`;
}

/** `{expr}`, `{a, b}` (a tuple), `{x:.3f}`, `{x!r}`, `{x=}` inside an f-string. */
function replacementCode(ctx: Ctx, node: SyntaxNode): string {
  const inner = children(node).slice(1, -1);
  const spec = inner.find((c) => c.name === 'FormatSpec');
  const conversion = inner.find((c) => c.name === 'FormatConversion');
  const selfDoc = inner.find((c) => c.name === 'FormatSelfDoc');
  if (spec && children(spec).some((c) => c.name === 'FormatReplacement')) {
    untranslatable('python', 'an f-string format spec with a nested `{}`');
  }
  const exprs = inner.filter((c) => !['FormatSpec', 'FormatConversion', 'FormatSelfDoc', ',', 'Comment'].includes(c.name));
  const values = exprs.map((e) => translateExpression(ctx, e));
  const specText = spec ? text(ctx, spec).slice(1) : '';
  let code: string;
  if (values.length > 1) {
    code = `\`(${values.map((v) => inlined(formatted(v, specText))).join(', ')})\``;
  } else {
    const v = values[0]!;
    code = conversion && text(ctx, conversion) === '!r' && v.kind.type === 'string' ? `JSON.stringify(${v.code})` : formatted(v, specText);
  }
  if (selfDoc) {
    const source = ctx.text.slice(exprs[0]!.from, selfDoc.from);
    return `${jsString(`${source}=`)} + ${code}`;
  }
  return code;
}

/** `[f(x) for x in xs if c]` → `xs.filter((x) => c).map((x) => f(x))`. */
function comprehension(ctx: Ctx, node: SyntaxNode): Value {
  const items = parts(node);
  const forAt = items.findIndex((n) => n.name === 'for');
  const inAt = items.findIndex((n) => n.name === 'in');
  if (items.filter((n) => n.name === 'for').length > 1) untranslatable('python', 'a comprehension with two `for`s');
  const ifAt = items.findIndex((n) => n.name === 'if');
  const element = items[0]!;
  const targets = items.slice(forAt + 1, inAt);
  const iterable = items[inAt + 1]!;
  const condition = ifAt >= 0 ? items[ifAt + 1] : undefined;
  const source = iterableOf(ctx, iterable);
  return ctx.withLocals(targets, source.item, (params) => {
    const body = translateExpression(ctx, element);
    const filter = condition ? `.filter((${params}) => ${truthy(translateExpression(ctx, condition))})` : '';
    if (source.range && !filter) {
      return value(`Array.from({ length: ${source.range} }, (_, ${params}) => ${body.code})`, list(body.kind));
    }
    return value(`${source.code}${filter}.map((${params}) => ${body.code})`, list(body.kind));
  });
}

/** What a `for` or a comprehension iterates over: an array expression and the kind of its items. */
export function iterableOf(ctx: Ctx, node: SyntaxNode): { code: string; item: Kind; range?: string } {
  if (node.name === 'CallExpression') {
    const callee = text(ctx, children(node)[0]!);
    const args = parts(children(node)[1]!);
    if (callee === 'range' && !ctx.scope.lookup('range') && args.length === 1) {
      const n = asNumber(translateExpression(ctx, args[0]!));
      return { code: `Array.from({ length: ${n} }, (_, i) => i)`, item: NUMBER, range: n };
    }
  }
  const v = translateExpression(ctx, node);
  if (isTensor(v.kind)) {
    const rank = v.kind.rank;
    if (rank === undefined) return untranslatable('numpy', 'iterating over an array whose number of dimensions is unknown');
    return { code: `(${operand(v)}.arraySync() as number${'[]'.repeat(rank)})`, item: nestedList(rank - 1) };
  }
  if (v.kind.type === 'dict') return { code: `Object.keys(${v.code})`, item: STRING };
  return { code: operand(v), item: itemOf(v.kind) };
}

function lambda(ctx: Ctx, node: SyntaxNode): Value {
  const all = parts(node);
  const params = all.find((n) => n.name === 'ParamList');
  const body = all[all.length - 1]!;
  const names = params ? parts(params).filter((n) => n.name === 'VariableName') : [];
  if (params && parts(params).some((n) => n.name !== 'VariableName')) untranslatable('python', 'a lambda with defaults or *args');
  return ctx.withLocals(names, UNKNOWN, (list_) => {
    const v = translateExpression(ctx, body);
    return value(`(${list_}) => ${v.code}`, UNKNOWN, false);
  });
}
