/**
 * Python imports → keras-like imports (PORTING_SPEC §1). `from keras.layers import Dense`
 * becomes `import { Dense } from 'keras-like'` when the package exports that very object at its
 * top level, and `const { to_categorical } = keras.utils;` otherwise; scikit-learn and pandas
 * names keras-like has helpers for come from its `sklearn` / `pandas` namespaces. NumPy and
 * matplotlib need no import: their calls are translated where they are made.
 */
import type { Ctx } from './translate_context.js';
import { hasPath, type KeptCategory } from './context.js';
import { children, type SyntaxNode } from './python.js';
import { tsName } from './names.js';
import { SKLEARN_HELPERS, helperFor } from './libraries.js';

/** What an import statement became: TypeScript lines, and names kept Python (with why). */
export interface ImportResult {
  readonly lines: string[];
  readonly kept: { category: KeptCategory; reason: string }[];
  /** Whether it bound a name the TypeScript can use (an import of an unported library binds none). */
  bound: boolean;
}

/** `tensorflow.keras.layers` → `keras.layers`: keras-like has Keras's layout under `keras`. */
export function normalizeModule(path: string): string {
  if (path === 'tensorflow.keras' || path.startsWith('tensorflow.keras.')) return normalizeModule(path.slice('tensorflow.'.length));
  if (path === 'tensorflow.python.keras' || path.startsWith('tensorflow.python.keras.')) return normalizeModule(path.slice('tensorflow.python.'.length));
  // Keras 2's modules of layers (`from keras.layers.embeddings import Embedding`): Keras 3 has them all in keras.layers.
  const old = /^keras\.layers\.(?:core|embeddings|convolutional|recurrent|pooling|normalization|advanced_activations|merge|noise|wrappers)(\.|$)/.exec(path);
  if (old) return `keras.layers${old[1] === '.' ? `.${path.slice(old[0].length)}` : ''}`;
  return path;
}

function isKeras(module: string): boolean {
  const root = module.split('.')[0];
  return root === 'keras' || root === 'tensorflow';
}

const NOTES: Record<string, string> = {
  numpy: 'NumPy arrays are tf.Tensor here; its calls are translated where they are made',
  'matplotlib.pyplot': 'plots of history.history become keras.utils.plot_history; other plots stay as comments',
  math: 'math.* becomes Math.*',
};

export function translateImport(ctx: Ctx, node: SyntaxNode): ImportResult {
  const all = children(node).filter((n) => n.name !== 'Comment');
  const text = (n: SyntaxNode): string => ctx.text.slice(n.from, n.to);
  const out: ImportResult = { lines: [], kept: [], bound: false };
  if (all[0]!.name === 'from') {
    const importAt = all.findIndex((n) => n.name === 'import');
    const module = normalizeModule(all.slice(1, importAt).map(text).join(''));
    if (isKeras(module)) ctx.usesKeras = true;
    const names = all.slice(importAt + 1).filter((n) => n.name !== '(' && n.name !== ')');
    if (names.some((n) => n.name === '*')) {
      ctx.starImports.push(module);
      out.lines.push(`// from ${module} import *: ${libraryName(module)} has no keras-like equivalent; code that uses it stays Python`);
      return out;
    }
    for (const [name, alias] of pairs(names, text)) bindFrom(ctx, module, name, alias, out);
  } else {
    const names = all.slice(1);
    for (const [name, alias] of pairs(names, text)) {
      if (isKeras(normalizeModule(name))) ctx.usesKeras = true;
      bindModule(ctx, normalizeModule(name), alias, out);
    }
  }
  return out;
}

/** `a as b, c` → [['a', 'b'], ['c', 'c']]; dotted names (`import matplotlib.pyplot`) joined. */
function pairs(nodes: SyntaxNode[], text: (n: SyntaxNode) => string): [string, string][] {
  const out: [string, string][] = [];
  let name = '';
  let alias: string | undefined;
  let expectAlias = false;
  const flush = (): void => {
    if (name) out.push([name, alias ?? name.split('.')[0]!]);
    name = '';
    alias = undefined;
  };
  for (const n of nodes) {
    if (n.name === ',') flush();
    else if (n.name === 'as') expectAlias = true;
    else if (expectAlias) {
      alias = text(n);
      expectAlias = false;
    } else if (n.name === '.') name += '.';
    else name += text(n);
  }
  flush();
  return out;
}

/** `import numpy as np`, `import tensorflow as tf`, `import keras`. */
function bindModule(ctx: Ctx, module: string, alias: string, out: ImportResult): void {
  const bind = (ts: string): void => {
    ctx.globalsBind(alias, { type: 'module', path: module }, ts);
    out.bound = true;
  };
  if (module === 'keras') {
    bind(ctx.usePackage('keras', alias));
    return;
  }
  if (module === 'tensorflow') {
    bind(ctx.usePackage('tf', alias));
    return;
  }
  if (module === 'numpy' || module === 'matplotlib.pyplot' || module === 'math' || module === 'matplotlib') {
    bind('');
    if (NOTES[module]) out.lines.push(`// ${module}: ${NOTES[module]}`);
    return;
  }
  if (module.startsWith('keras.')) {
    const segments = module.split('.').slice(1);
    if (!hasPath(ctx.api.top.keras, segments)) return keep(ctx, alias, out, 'not in keras-like', `\`${module}\` is not in keras-like`);
    bind(`${ctx.useKeras()}.${segments.join('.')}`);
    return;
  }
  // Bound either way, so a statement that uses it names the library in its TODO.
  ctx.globalsBind(alias, { type: 'module', path: module }, '');
  if (Object.keys(SKLEARN_HELPERS).some((p) => p.startsWith(`${module}.`))) out.bound = true;
  else noEquivalent(out, `import ${module}`, module);
}

/**
 * An import of a library keras-like has no counterpart for is not itself a hand edit: the name is
 * bound, and each statement that uses it stays Python with the library named in its TODO.
 */
function noEquivalent(out: ImportResult, python: string, module: string): void {
  out.lines.push(`// ${python}: ${libraryName(module)} has no keras-like equivalent; code that uses it stays Python`);
}

export function libraryName(module: string): string {
  const names: Record<string, string> = {
    sklearn: 'scikit-learn', scipy: 'SciPy', sympy: 'SymPy', seaborn: 'seaborn', pandas: 'pandas', os: 'the os module',
    datetime: 'the datetime module',
  };
  const root = module.split('.')[0]!;
  return names[root] ?? root;
}

/** `from keras.layers import Dense`, `from sklearn.datasets import make_moons`, `from numpy import loadtxt`. */
function bindFrom(ctx: Ctx, module: string, name: string, alias: string, out: ImportResult): void {
  const path = `${module}.${name}`;
  const kind = { type: 'module' as const, path: normalizeModule(path) };
  if (module === 'keras' || module.startsWith('keras.') || path === 'tensorflow.keras') {
    const fullPath = normalizeModule(path);
    if (fullPath === 'keras') {
      ctx.globalsBind(alias, { type: 'module', path: 'keras' }, ctx.usePackage('keras', alias));
      out.bound = true;
      return;
    }
    const segments = fullPath.split('.').slice(1);
    if (!hasPath(ctx.api.top.keras, segments)) return keep(ctx, alias, out, 'not in keras-like', `\`${fullPath}\` is not in keras-like`);
    const leaf = segments[segments.length - 1]!;
    const value = segments.reduce<unknown>((v, s) => (v as Record<string, unknown>)[s], ctx.api.top.keras);
    if (ctx.api.top[leaf] === value) {
      ctx.globalsBind(alias, { type: 'module', path: fullPath }, ctx.usePackage(leaf, alias));
      out.bound = true;
      return;
    }
    const owner = segments.slice(0, -1);
    const source = [ctx.useKeras(), ...owner].join('.');
    ctx.destructure(source, leaf, alias);
    ctx.globalsBind(alias, { type: 'module', path: fullPath }, tsName(alias));
    out.bound = true;
    return;
  }
  if (module === 'tensorflow') {
    return keep(ctx, alias, out, 'other library', `TensorFlow's \`tf.${name}\` is not translated (TensorFlow.js is re-exported as \`tf\`)`);
  }
  if (module === 'numpy' || module.startsWith('numpy.') || module === 'math' || module.startsWith('matplotlib')) {
    ctx.globalsBind(alias, kind, '');
    out.bound = true;
    return;
  }
  const helper = helperFor(path);
  if (helper) {
    ctx.usePackage(helper.namespace);
    ctx.destructure(helper.module, helper.name, alias);
    ctx.globalsBind(alias, kind, tsName(alias));
    out.bound = true;
    return;
  }
  // Bound, so a statement that uses it names the library in its TODO.
  ctx.globalsBind(alias, kind, '');
  if (Object.keys(SKLEARN_HELPERS).some((p) => p.startsWith(`${path}.`))) {
    out.bound = true;
    return;
  }
  noEquivalent(out, `from ${module} import ${name}`, module);
}

function keep(ctx: Ctx, alias: string, out: ImportResult, category: KeptCategory, reason: string): void {
  ctx.globalsKeep(alias, reason);
  out.kept.push({ category, reason });
}
