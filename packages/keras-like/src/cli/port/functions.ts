/**
 * `def` → `function`. Parameters take the kinds their callers pass (learned by the first pass),
 * or their default's; keyword arguments at call sites are matched to these parameters by name.
 */
import type { Ctx } from './translate_context.js';
import { Scope, untranslatable } from './context.js';
import { UNKNOWN, tsType, type Kind } from './kinds.js';
import { children, parts, type SyntaxNode } from './python.js';
import { text, translateExpression } from './expressions.js';
import { tsName } from './names.js';

export interface FunctionInfo {
  readonly params: string[];
  returns: Kind;
}

export function functionInfo(ctx: Ctx, name: string): FunctionInfo {
  return ctx.functions.get(name) ?? { params: [], returns: UNKNOWN };
}

interface Param {
  readonly name: string;
  readonly defaultNode?: SyntaxNode;
}

function readParams(ctx: Ctx, list: SyntaxNode): Param[] {
  const items = children(list).filter((n) => !['(', ')', ',', 'Comment'].includes(n.name));
  const params: Param[] = [];
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (n.name === '*' || n.name === '**' || n.name === '/') untranslatable('python', '`def` with `*args`, `**kwargs` or `/`');
    if (n.name === 'TypeDef') continue;
    if (n.name !== 'VariableName') untranslatable('python', `a \`def\` parameter written \`${text(ctx, n)}\``);
    if (items[i + 1]?.name === 'TypeDef') i++;
    if (items[i + 1]?.name === 'AssignOp') {
      params.push({ name: text(ctx, n), defaultNode: items[i + 2] });
      i += 2;
    } else {
      params.push({ name: text(ctx, n) });
    }
  }
  return params;
}

/**
 * Translates a FunctionDefinition; `body` translates the statements of a Body in the current
 * (function) scope and returns its lines.
 */
export function translateFunction(ctx: Ctx, node: SyntaxNode, body: (bodyNode: SyntaxNode) => string[]): string[] {
  const all = parts(node);
  const nameNode = all.find((n) => n.name === 'VariableName')!;
  const name = text(ctx, nameNode);
  const params = readParams(ctx, all.find((n) => n.name === 'ParamList')!);
  const bodyNode = all.find((n) => n.name === 'Body')!;
  const info: FunctionInfo = { params: params.map((p) => p.name), returns: UNKNOWN };
  ctx.functions.set(name, info);
  const outer = ctx.scope;
  const called = ctx.hints.params.get(name) ?? [];
  const scope = new Scope(`${outer.id}/${name}`, outer);
  const signature = params.map((p, i) => {
    const ts = tsName(p.name);
    if (p.defaultNode) {
      const fallback = translateExpression(ctx, p.defaultNode);
      scope.set(p.name, { kind: fallback.kind, ts, declared: true });
      return `${ts} = ${fallback.code}`;
    }
    const kind = called[i] ?? UNKNOWN;
    scope.set(p.name, { kind, ts, declared: true });
    return `${ts}: ${tsType(kind)}`;
  });
  ctx.scope = scope;
  ctx.functionDepth++;
  const blockDepth = ctx.blockDepth;
  ctx.blockDepth = 0;
  ctx.returnKinds.push(UNKNOWN);
  let lines: string[];
  try {
    lines = body(bodyNode);
  } finally {
    ctx.scope = outer;
    ctx.functionDepth--;
    ctx.blockDepth = blockDepth;
    info.returns = ctx.returnKinds.pop() ?? UNKNOWN;
  }
  const binding = outer.own(name);
  if (binding?.declared && binding.kind.type === 'function' && ctx.mode === 'script') {
    untranslatable('python', `\`${name}\` is defined twice (a script declares a function once)`);
  }
  outer.set(name, { kind: { type: 'function', name }, ts: tsName(name), declared: true });
  return [`function ${tsName(name)}(${signature.join(', ')}) {`, ...lines.map((l) => `  ${l}`), '}'];
}
