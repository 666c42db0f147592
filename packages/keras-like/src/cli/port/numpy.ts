/**
 * NumPy → TensorFlow.js. A NumPy array becomes a `tf.Tensor`; `np.f(x)` becomes `tf.f(x)`
 * (`Math.f(x)` when `x` is a plain number), `x.reshape(-1, 1)` becomes `x.reshape([-1, 1])`,
 * reductions keep NumPy's `axis`. The two functions TensorFlow.js lacks that the course uses
 * (`np.loadtxt`, `np.gradient`) come from keras-like's `numpy` helpers.
 */
import type { Ctx } from './translate_context.js';
import { untranslatable } from './context.js';
import { NUMBER, STRING, UNKNOWN, isTensor, list, rankOf, tensor, type Kind } from './kinds.js';
import { asNumber, operand, value, type Value } from './expressions.js';
import { argument, keyword, type Args } from './calls.js';
import { stringValue, jsString } from './strings.js';

/** Element-wise functions with the same name in tf and Math. */
const ELEMENTWISE: Record<string, { tf: string; math?: string }> = {
  exp: { tf: 'exp', math: 'exp' }, log: { tf: 'log', math: 'log' }, sqrt: { tf: 'sqrt', math: 'sqrt' },
  tanh: { tf: 'tanh', math: 'tanh' }, sin: { tf: 'sin', math: 'sin' }, cos: { tf: 'cos', math: 'cos' },
  abs: { tf: 'abs', math: 'abs' }, floor: { tf: 'floor', math: 'floor' }, ceil: { tf: 'ceil', math: 'ceil' },
  sign: { tf: 'sign', math: 'sign' }, log1p: { tf: 'log1p', math: 'log1p' }, square: { tf: 'square' },
  round: { tf: 'round', math: 'round' }, arctan: { tf: 'atan', math: 'atan' },
};

const REDUCTIONS: Record<string, string> = { sum: 'sum', mean: 'mean', max: 'max', min: 'min', prod: 'prod', amax: 'max', amin: 'min' };

/** A dimension list: `(3, 2)` / `[3, 2]` as is, a single number as `[n]`. */
function shapeArg(v: Value): string {
  if (v.kind.type === 'tuple' || v.kind.type === 'list' || v.kind.type === 'shape') return v.code;
  return `[${asNumber(v)}]`;
}

function rankOfShape(v: Value): number | undefined {
  if (v.kind.type === 'tuple') return v.kind.items.length;
  if (v.kind.type === 'list' || v.kind.type === 'shape') return undefined;
  return 1;
}

/** The depth of nested list literals: `[[1, 2], [3, 4]]` is 2. */
function listDepth(kind: Kind): number | undefined {
  if (kind.type === 'number') return 0;
  if (kind.type === 'list') {
    const inner = listDepth(kind.item);
    return inner === undefined ? undefined : inner + 1;
  }
  if (kind.type === 'tuple') {
    const inner = kind.items[0] ? listDepth(kind.items[0]) : 0;
    return inner === undefined ? undefined : inner + 1;
  }
  if (kind.type === 'tensor') return kind.rank;
  return undefined;
}

/** `np.name(...)` (name relative to `numpy.`). */
export function numpyCall(ctx: Ctx, name: string, args: Args): Value {
  const tf = (): string => ctx.useTf();
  const [x, y] = args.positional;
  const axis = argument(args, 1, 'axis');
  const elementwise = ELEMENTWISE[name];
  if (elementwise) {
    if (x!.kind.type === 'number' && elementwise.math) return value(`Math.${elementwise.math}(${x!.code})`, NUMBER);
    if (x!.kind.type === 'number' && name === 'square') return value(`${operand(x!)} ** 2`, NUMBER, false);
    return value(`${tf()}.${elementwise.tf}(${x!.code})`, tensor(rankOf(x!.kind)));
  }
  if (name === 'log2' || name === 'log10') {
    const base = name === 'log2' ? 'LN2' : 'LN10';
    if (x!.kind.type === 'number') return value(`Math.${name}(${x!.code})`, NUMBER);
    return value(`${tf()}.div(${tf()}.log(${x!.code}), Math.${base})`, tensor(rankOf(x!.kind)));
  }
  const reduction = REDUCTIONS[name];
  if (reduction) return reduce(ctx, reduction, x!, axis);
  switch (name) {
    case 'array':
    case 'asarray': {
      const dtype = argument(args, 1, 'dtype');
      return value(`${tf()}.tensor(${x!.code}${dtype ? `, undefined, ${dtypeOf(dtype)}` : ''})`, tensor(listDepth(x!.kind)));
    }
    case 'zeros':
    case 'ones':
      return value(`${tf()}.${name}(${shapeArg(x!)})`, tensor(rankOfShape(x!)));
    case 'zeros_like':
    case 'ones_like':
      return value(`${tf()}.${name === 'zeros_like' ? 'zerosLike' : 'onesLike'}(${x!.code})`, x!.kind);
    case 'full':
      return value(`${tf()}.fill(${shapeArg(x!)}, ${y!.code})`, tensor(rankOfShape(x!)));
    case 'arange': {
      const n = args.positional.map(asNumber);
      const [start, stop, step] = n.length === 1 ? ['0', n[0]!] : [n[0]!, n[1]!, n[2]];
      return value(`${tf()}.range(${start}, ${stop}${step ? `, ${step}` : ''})`, tensor(1));
    }
    case 'linspace': {
      const num = argument(args, 2, 'num');
      return value(`${tf()}.linspace(${asNumber(x!)}, ${asNumber(y!)}, ${num ? asNumber(num) : '50'})`, tensor(1));
    }
    case 'dot':
      return value(`${tf()}.dot(${x!.code}, ${y!.code})`, tensor());
    case 'matmul':
      return value(`${tf()}.matMul(${x!.code}, ${y!.code})`, tensor(2));
    case 'transpose':
      return value(`${tf()}.transpose(${x!.code})`, x!.kind);
    case 'reshape':
      return value(`${tf()}.reshape(${x!.code}, ${shapeArg(y!)})`, tensor(rankOfShape(y!)));
    case 'maximum':
    case 'minimum':
      return value(`${tf()}.${name}(${x!.code}, ${y!.code})`, tensor(rankOf(x!.kind) ?? rankOf(y!.kind)));
    case 'clip':
      return value(`${tf()}.clipByValue(${x!.code}, ${asNumber(y!)}, ${asNumber(args.positional[2]!)})`, x!.kind);
    case 'where':
      if (args.positional.length !== 3) return untranslatable('numpy', '`np.where(condition)` (the indices of the true entries) has no synchronous TensorFlow.js op');
      return value(`${tf()}.where(${x!.code}, ${y!.code}, ${args.positional[2]!.code})`, tensor(rankOf(x!.kind)));
    case 'argmax':
    case 'argmin': {
      const fn = name === 'argmax' ? 'argMax' : 'argMin';
      if (!axis) return value(`${tf()}.${fn}(${tf()}.reshape(${x!.code}, [-1]))`, tensor(0));
      return value(`${tf()}.${fn}(${x!.code}, ${asNumber(axis)})`, tensor(decrement(rankOf(x!.kind))));
    }
    case 'std':
    case 'var':
      return moments(ctx, name, x!, axis);
    case 'concatenate':
      return value(`${tf()}.concat(${x!.code}${axis ? `, ${asNumber(axis)}` : ''})`, tensor(itemRank(x!)));
    case 'vstack':
      return value(`${tf()}.concat(${x!.code}, 0)`, tensor(itemRank(x!) === 1 ? 2 : itemRank(x!)));
    case 'stack':
      return value(`${tf()}.stack(${x!.code}${axis ? `, ${asNumber(axis)}` : ''})`, tensor(increment(itemRank(x!))));
    case 'hstack': {
      const rank = itemRank(x!);
      if (rank === undefined) return untranslatable('numpy', '`np.hstack` of arrays whose number of dimensions is unknown');
      return value(`${tf()}.concat(${x!.code}, ${rank === 1 ? 0 : 1})`, tensor(rank));
    }
    case 'random.seed':
      return value(`${ctx.useKeras()}.utils.set_random_seed(${x!.code})`, UNKNOWN);
    case 'random.rand':
    case 'random.randn':
      return value(`${tf()}.${name === 'random.rand' ? 'randomUniform' : 'randomNormal'}([${args.positional.map(asNumber).join(', ')}])`, tensor(args.positional.length));
    case 'random.uniform':
    case 'random.normal': {
      const fn = name === 'random.uniform' ? 'randomUniform' : 'randomNormal';
      const [lowName, highName] = name === 'random.uniform' ? ['low', 'high'] : ['loc', 'scale'];
      const low = argument(args, 0, lowName)?.code ?? (name === 'random.uniform' ? '0' : '0');
      const high = argument(args, 1, highName)?.code ?? '1';
      const size = argument(args, 2, 'size');
      if (!size) return untranslatable('numpy', `\`np.${name}\` without \`size\` (a single number)`);
      return value(`${tf()}.${fn}(${shapeArg(size)}, ${low}, ${high})`, tensor(rankOfShape(size)));
    }
    case 'loadtxt':
      return loadtxt(ctx, args);
    case 'gradient':
      return value(`${ctx.usePackage('numpy')}.gradient(${x!.code})`, tensor(rankOf(x!.kind) ?? 1));
    case 'shape':
      // `np.shape(a)` is `a.shape`; of a list of numbers, its length.
      if (x && isTensor(x.kind)) return tensorAttribute(ctx, x, 'shape');
      if (x?.kind.type === 'list') return value(`[${operand(x)}.length]`, { type: 'shape', rank: 1 });
      return untranslatable('numpy', '`np.shape` of a value that is neither an array nor a list');
    default:
      return untranslatable('numpy', `\`np.${name}\` has no TensorFlow.js translation here`);
  }
}

function decrement(rank: number | undefined): number | undefined {
  return rank === undefined ? undefined : Math.max(0, rank - 1);
}

function increment(rank: number | undefined): number | undefined {
  return rank === undefined ? undefined : rank + 1;
}

function itemRank(v: Value): number | undefined {
  if (v.kind.type === 'list') return rankOf(v.kind.item);
  if (v.kind.type === 'tuple' && v.kind.items[0]) return rankOf(v.kind.items[0]);
  return undefined;
}

function dtypeOf(v: Value): string {
  const text = v.code;
  if (text === 'int' || text === "'int32'" || text === "'int64'" || text === "'int'") return "'int32'";
  if (text === 'bool' || text === "'bool'") return "'bool'";
  return "'float32'";
}

function reduce(ctx: Ctx, fn: string, x: Value, axis: Value | undefined): Value {
  const tf = ctx.useTf();
  if (!axis) return value(`${tf}.${fn}(${x.code})`, tensor(0));
  return value(`${tf}.${fn}(${x.code}, ${asNumber(axis)})`, tensor(decrement(rankOf(x.kind))));
}

/** NumPy's population std / var (ddof=0), which is what `tf.moments` gives. */
function moments(ctx: Ctx, name: string, x: Value, axis: Value | undefined): Value {
  const tf = ctx.useTf();
  const variance = `${tf}.moments(${x.code}${axis ? `, ${asNumber(axis)}` : ''}).variance`;
  const rank = axis ? decrement(rankOf(x.kind)) : 0;
  return value(name === 'std' ? `${tf}.sqrt(${variance})` : variance, tensor(rank));
}

function loadtxt(ctx: Ctx, args: Args): Value {
  const [path] = args.positional;
  const delimiter = keyword(args, 'delimiter');
  const skiprows = keyword(args, 'skiprows');
  const options: string[] = [];
  if (delimiter) options.push(`delimiter: ${delimiter.code}`);
  if (skiprows) options.push(`skiprows: ${skiprows.code}`);
  return value(`${ctx.usePackage('numpy')}.loadtxt(${localPath(ctx, path!)}${options.length ? `, { ${options.join(', ')} }` : ''})`, tensor(2));
}

/** A file a notebook downloads: its local copy when `--data` has one. */
export function localPath(ctx: Ctx, path: Value): string {
  if (path.kind.type === 'string' && path.code.startsWith("'")) {
    const url = stringValue(path.code);
    if (/^https?:\/\//.test(url)) {
      const local = ctx.localData(url);
      if (local) return jsString(local);
    }
  }
  return path.code;
}

/** `np.pi`, `np.nan`, `np.float32` used as values. */
export function numpyMember(name: string): Value {
  switch (name) {
    case 'pi':
      return value('Math.PI', NUMBER);
    case 'e':
      return value('Math.E', NUMBER);
    case 'nan':
      return value('NaN', NUMBER);
    case 'inf':
      return value('Infinity', NUMBER);
    case 'float32':
    case 'float64':
      return value("'float32'", STRING);
    case 'int32':
    case 'int64':
      return value("'int32'", STRING);
    default:
      return untranslatable('numpy', `\`np.${name}\` used as a value`);
  }
}

/** `x.shape`, `x.T`, `x.ndim`... on a tensor. */
export function tensorAttribute(ctx: Ctx, x: Value, name: string): Value {
  switch (name) {
    case 'shape':
      return value(`${operand(x)}.shape`, rankOf(x.kind) === undefined ? { type: 'shape' } : { type: 'shape', rank: rankOf(x.kind)! });
    case 'T':
      return value(`${ctx.useTf()}.transpose(${x.code})`, x.kind);
    case 'ndim':
      return value(`${operand(x)}.rank`, NUMBER);
    case 'size':
      return value(`${operand(x)}.size`, NUMBER);
    case 'dtype':
      return value(`${operand(x)}.dtype`, STRING);
    case 'values':
      // pandas' `df['Height'].values`: the column is already a tensor here.
      return x;
    default:
      return untranslatable('numpy', `the array attribute \`.${name}\``);
  }
}

/** `x.reshape(...)`, `x.mean(axis=0)`, `x.astype(int)`, `x.tolist()`... */
export function tensorMethod(ctx: Ctx, x: Value, name: string, args: Args): Value {
  const target = operand(x);
  const rank = rankOf(x.kind);
  const axis = argument(args, 0, 'axis');
  if (REDUCTIONS[name]) return reduce(ctx, REDUCTIONS[name], x, axis);
  switch (name) {
    case 'reshape': {
      const dims = args.positional.length === 1 ? shapeArg(args.positional[0]!) : `[${args.positional.map(asNumber).join(', ')}]`;
      const newRank = args.positional.length === 1 ? rankOfShape(args.positional[0]!) : args.positional.length;
      return value(`${target}.reshape(${dims})`, tensor(newRank));
    }
    case 'std':
    case 'var':
      return moments(ctx, name, x, axis);
    case 'argmax':
    case 'argmin':
      return numpyCall(ctx, name, { ...args, positional: [x, ...args.positional] });
    case 'astype': {
      const [dtype] = args.positional;
      return value(`${ctx.useTf()}.cast(${x.code}, ${dtypeOf(dtype!)})`, x.kind);
    }
    case 'tolist':
      if (rank === undefined) return untranslatable('numpy', '`.tolist()` of an array whose number of dimensions is unknown');
      return value(`(${target}.arraySync() as number${'[]'.repeat(rank)})`, rank === 0 ? NUMBER : list(rank === 1 ? NUMBER : UNKNOWN));
    case 'item':
      return value(asNumber(x), NUMBER);
    case 'flatten':
    case 'ravel':
      return value(`${target}.reshape([-1])`, tensor(1));
    case 'copy':
      return value(`${target}.clone()`, x.kind);
    case 'transpose':
      return value(`${ctx.useTf()}.transpose(${x.code})`, x.kind);
    case 'dot':
      return value(`${ctx.useTf()}.dot(${x.code}, ${args.positional[0]!.code})`, tensor());
    case 'squeeze':
      return value(`${target}.squeeze()`, tensor());
    default:
      return untranslatable('numpy', `the array method \`.${name}()\``);
  }
}
