/**
 * Calls. PORTING_SPEC §2: positional arguments stay positional, keyword arguments go into one
 * trailing object with the same snake_case keys. Then, by what is called: Python builtins
 * (`print`, `len`, `range`...), library functions (keras, NumPy, scikit-learn, pandas), methods
 * by the object's kind, and the notebook's own functions (keywords matched to parameters).
 */
import type { Ctx } from './translate_context.js';
import { untranslatable } from './context.js';
import { NUMBER, STRING, UNKNOWN, isTensor, list, object, tensor, type Kind } from './kinds.js';
import { children, type SyntaxNode } from './python.js';
import { asNumber, attribute, operand, pythonStr, text, translateExpression, value, type Value } from './expressions.js';
import { numpyCall, tensorMethod } from './numpy.js';
import { libraryCall } from './libraries.js';
import { functionInfo } from './functions.js';

export interface Args {
  readonly positional: Value[];
  readonly keywords: [string, Value][];
  readonly nodes: { positional: SyntaxNode[]; keywords: [string, SyntaxNode][] };
}

/** Reads an ArgList: positional values, then `name=value` pairs. */
export function readArgs(ctx: Ctx, argList: SyntaxNode): Args {
  const items = children(argList).filter((n) => !['(', ')', 'Comment'].includes(n.name));
  const positional: SyntaxNode[] = [];
  const keywords: [string, SyntaxNode][] = [];
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (n.name === ',') continue;
    if (n.name === '*' || n.name === '**') untranslatable('python', `a call with \`${n.name}\` unpacking`);
    if (n.name === 'VariableName' && items[i + 1]?.name === 'AssignOp') {
      keywords.push([text(ctx, n), items[i + 2]!]);
      i += 2;
      continue;
    }
    if (n.name === 'ComprehensionExpression') untranslatable('python', 'a generator expression as an argument');
    positional.push(n);
  }
  return {
    positional: positional.map((n) => translateExpression(ctx, n)),
    keywords: keywords.map(([k, n]) => [k, translateExpression(ctx, n)]),
    nodes: { positional, keywords },
  };
}

/** `{ epochs: 150, batch_size: 10 }` for the keywords. */
export function keywordObject(keywords: [string, Value][]): string | undefined {
  if (keywords.length === 0) return undefined;
  return `{ ${keywords.map(([k, v]) => `${k}: ${v.code}`).join(', ')} }`;
}

/** `callee(a, b, { k: v })`. */
export function callCode(callee: string, args: Args): string {
  const list_ = args.positional.map((v) => v.code);
  const kw = keywordObject(args.keywords);
  if (kw) list_.push(kw);
  return `${callee}(${list_.join(', ')})`;
}

export function keyword(args: Args, name: string): Value | undefined {
  return args.keywords.find(([k]) => k === name)?.[1];
}

/** The argument given by position `index` or by keyword `name`. */
export function argument(args: Args, index: number, name: string): Value | undefined {
  return args.positional[index] ?? keyword(args, name);
}

export function translateCall(ctx: Ctx, node: SyntaxNode): Value {
  const [calleeNode, argList] = children(node);
  const path = ctx.modulePath(calleeNode!);
  if (path !== undefined) return libraryCall(ctx, path, calleeNode!, argList!);
  if (calleeNode!.name === 'VariableName') {
    const name = text(ctx, calleeNode!);
    const binding = ctx.scope.lookup(name);
    if (!binding && name in BUILTINS) return BUILTINS[name]!(ctx, argList!);
    if (binding?.kind.type === 'function') return userCall(ctx, binding.ts, binding.kind.name, argList!);
  }
  if (calleeNode!.name === 'MemberExpression' && children(calleeNode!)[1]?.name === '.') {
    const [objectNode, , propertyNode] = children(calleeNode!);
    const object_ = translateExpression(ctx, objectNode!);
    const method = text(ctx, propertyNode!);
    return methodCall(ctx, object_, method, argList!);
  }
  const callee = translateExpression(ctx, calleeNode!);
  return value(callCode(operand(callee), readArgs(ctx, argList!)), UNKNOWN);
}

/** `object.method(...)` by the object's kind. */
function methodCall(ctx: Ctx, object_: Value, method: string, argList: SyntaxNode): Value {
  const kind = object_.kind;
  if (isTensor(kind)) return tensorMethod(ctx, object_, method, readArgs(ctx, argList));
  const args = readArgs(ctx, argList);
  const target = `${operand(object_)}.${method}`;
  switch (kind.type) {
    case 'list':
      return listMethod(ctx, object_, method, args);
    case 'string':
      return stringMethod(object_, method, args);
    case 'dict':
      if (method === 'items') return value(`Object.entries(${object_.code})`, list({ type: 'tuple', items: [STRING, kind.value] }));
      if (method === 'keys') return value(`Object.keys(${object_.code})`, list(STRING));
      if (method === 'values') return value(`Object.values(${object_.code})`, list(kind.value));
      if (method === 'get') return value(`(${operand(object_)}[${args.positional[0]!.code}] ?? ${args.positional[1]?.code ?? 'null'})`, kind.value);
      break;
    case 'object':
      return value(callCode(target, args), methodKind(kind.of, method, args));
    default:
      break;
  }
  return value(callCode(target, args), UNKNOWN);
}

/** What a method of a known object returns. */
function methodKind(of: string, method: string, args: Args): Kind {
  switch (method) {
    case 'fit':
      return of === 'Sequential' ? object('History') : object(of);
    case 'evaluate':
    case 'train_on_batch':
    case 'test_on_batch':
      return NUMBER;
    case 'predict':
    case 'predict_classes':
    case 'predict_on_batch':
      return tensor(2);
    case 'get_weights':
      return object('Weights');
    case 'fit_transform':
    case 'transform':
    case 'inverse_transform':
      return tensor(args.positional[0] ? (args.positional[0].kind.type === 'tensor' ? args.positional[0].kind.rank : 2) : 2);
    case 'count_params':
      return NUMBER;
    default:
      return UNKNOWN;
  }
}

function listMethod(ctx: Ctx, object_: Value, method: string, args: Args): Value {
  const target = operand(object_);
  const [first] = args.positional;
  switch (method) {
    case 'append':
      ctx.appended(object_, first!.kind);
      return value(`${target}.push(${first!.code})`, UNKNOWN);
    case 'extend':
      return value(`${target}.push(...${operand(first!)})`, UNKNOWN);
    case 'index':
      return value(`${target}.indexOf(${first!.code})`, NUMBER);
    case 'pop':
      return value(first ? `${target}.splice(${first.code}, 1)[0]` : `${target}.pop()`, UNKNOWN);
    case 'count':
      return value(`${target}.filter((item) => item === ${first!.code}).length`, NUMBER);
    default:
      return untranslatable('python', `the list method \`.${method}()\``);
  }
}

function stringMethod(object_: Value, method: string, args: Args): Value {
  const target = operand(object_);
  const simple: Record<string, string> = { upper: 'toUpperCase', lower: 'toLowerCase', strip: 'trim', startswith: 'startsWith', endswith: 'endsWith', replace: 'replaceAll', split: 'split' };
  const js = simple[method];
  if (js) return value(`${target}.${js}(${args.positional.map((v) => v.code).join(', ')})`, method === 'split' ? list(STRING) : method.endsWith('with') ? { type: 'boolean' } : STRING);
  if (method === 'join') return value(`${operand(args.positional[0]!)}.join(${object_.code})`, STRING);
  return untranslatable('python', `the string method \`.${method}()\``);
}

/** A call to a function the notebook defines: keywords go to their parameter's position. */
function userCall(ctx: Ctx, ts: string, name: string, argList: SyntaxNode): Value {
  const args = readArgs(ctx, argList);
  const info = functionInfo(ctx, name);
  const slots: (string | undefined)[] = args.positional.map((v) => v.code);
  const kinds: Kind[] = args.positional.map((v) => v.kind);
  for (const [k, v] of args.keywords) {
    const at = info.params.indexOf(k);
    if (at < 0) untranslatable('python', `\`${name}()\` has no parameter \`${k}\``);
    slots[at] = v.code;
    kinds[at] = v.kind;
  }
  for (let i = 0; i < slots.length; i++) slots[i] ??= 'undefined';
  ctx.record.called(name, kinds.map((k) => k ?? UNKNOWN));
  return value(`${ts}(${slots.join(', ')})`, info.returns);
}

type Builtin = (ctx: Ctx, argList: SyntaxNode) => Value;

const BUILTINS: Record<string, Builtin> = {
  print(ctx, argList) {
    const args = readArgs(ctx, argList);
    const sep = keyword(args, 'sep');
    const shown = args.positional.map((v) => (v.kind.type === 'string' || v.kind.type === 'number' ? v.code : printable(v)));
    if (sep) return value(`console.log([${shown.join(', ')}].join(${sep.code}))`, UNKNOWN);
    return value(`console.log(${shown.join(', ')})`, UNKNOWN);
  },
  len(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    if (isTensor(x!.kind)) return value(`${operand(x!)}.shape[0]!`, NUMBER);
    if (x!.kind.type === 'dict') return value(`Object.keys(${x!.code}).length`, NUMBER);
    return value(`${operand(x!)}.length`, NUMBER);
  },
  range(ctx, argList) {
    const args = readArgs(ctx, argList).positional.map(asNumber);
    const [start, stop, step] = args.length === 1 ? ['0', args[0]!, '1'] : [args[0]!, args[1]!, args[2] ?? '1'];
    return value(`Array.from({ length: Math.ceil((${stop} - ${start}) / ${step}) }, (_, i) => ${start} + i * ${step})`, list(NUMBER));
  },
  list(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    if (!x) return value('[]', list(UNKNOWN));
    if (isTensor(x.kind)) return value(`${operand(x)}.arraySync() as number${'[]'.repeat(x.kind.rank ?? 1)}`, list(UNKNOWN), false);
    return value(`[...${operand(x)}]`, x.kind.type === 'list' ? x.kind : list(UNKNOWN));
  },
  str(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    return value(`String(${pythonStr(x!)})`, STRING);
  },
  int(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    return value(x!.kind.type === 'string' ? `parseInt(${x!.code}, 10)` : `Math.trunc(${asNumber(x!)})`, NUMBER);
  },
  float(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    return value(`Number(${asNumber(x!)})`, NUMBER);
  },
  abs(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    return value(`Math.abs(${asNumber(x!)})`, NUMBER);
  },
  round(ctx, argList) {
    const [x, digits] = readArgs(ctx, argList).positional;
    if (digits) return value(`Number(${operand(value(asNumber(x!), NUMBER))}.toFixed(${digits.code}))`, NUMBER);
    return value(`Math.round(${asNumber(x!)})`, NUMBER);
  },
  sum(ctx, argList) {
    const [x] = readArgs(ctx, argList).positional;
    if (isTensor(x!.kind)) return value(`(${ctx.useTf()}.sum(${x!.code}).arraySync() as number)`, NUMBER);
    return value(`${operand(x!)}.reduce((a, b) => a + b, 0)`, NUMBER);
  },
  min(ctx, argList) {
    return minMax(ctx, argList, 'min');
  },
  max(ctx, argList) {
    return minMax(ctx, argList, 'max');
  },
  dict(ctx, argList) {
    const args = readArgs(ctx, argList);
    if (args.positional.length) untranslatable('python', '`dict()` of a positional argument');
    return value(keywordObject(args.keywords) ?? '{}', { type: 'dict', value: args.keywords[0]?.[1].kind ?? UNKNOWN });
  },
};

function minMax(ctx: Ctx, argList: SyntaxNode, which: 'min' | 'max'): Value {
  const args = readArgs(ctx, argList).positional;
  if (args.length === 1) return value(`Math.${which}(...${operand(args[0]!)})`, NUMBER);
  return value(`Math.${which}(${args.map(asNumber).join(', ')})`, NUMBER);
}

/** `print(x)`: what Python would show for a value that is not a string or a number. */
function printable(v: Value): string {
  if (isTensor(v.kind)) return `${operand(v)}.arraySync()`;
  if (v.kind.type === 'shape') return pythonStr(v);
  return v.code;
}

export { attribute, numpyCall };
