/**
 * The translator's working context for one cell: the source text, the scope chain, the imports
 * the cell's TypeScript needs, and how Python module names resolve (`np.random.rand` is the
 * Python path `numpy.random.rand`; `keras.layers.Dense` exists in keras-like or not).
 */
import { Hints, Imports, Scope, hasPath, untranslatable, type Binding, type KerasApi } from './context.js';
import { NUMBER, UNKNOWN, tensor, type Kind } from './kinds.js';
import { children, type SyntaxNode } from './python.js';
import { tsName } from './names.js';
import { value, type Value } from './expressions.js';
import { numpyMember } from './numpy.js';
import type { FunctionInfo } from './functions.js';

export type OutputMode = 'notebook' | 'script';

/** The package's top-level names (`import { x } from 'keras-like'`) a translation can use. */
const PACKAGE_NAMESPACES = ['keras', 'tf', 'sklearn', 'pandas', 'numpy', 'backend', 'optimizers', 'layers', 'models', 'losses', 'metrics', 'activations', 'initializers', 'regularizers', 'constraints', 'callbacks', 'utils'];

/** The names every notebook gives these modules. */
const CONVENTIONAL_ALIASES: Record<string, string> = { np: 'numpy', plt: 'matplotlib.pyplot', tf: 'tensorflow' };

export class Ctx {
  text = '';
  scope: Scope;
  imports = new Imports();
  /** Names imported from the package in earlier cells (tslab keeps them; a script hoists them). */
  readonly imported = new Set<string>();
  /** Notes for the summary: names the notebook used without importing them. */
  readonly implicitImports = new Set<string>();
  /** Depth of `def` bodies being translated (no top-level `await` inside). */
  functionDepth = 0;
  /** Depth of `if` / `for` / `while` blocks in the current function (declarations there are hoisted). */
  blockDepth = 0;
  /** `let x: T;` lines to write before the outermost block being translated. */
  readonly hoisted: string[] = [];
  /** The kind each enclosing `def` returns (its last `return` seen). */
  readonly returnKinds: Kind[] = [];
  /** The notebook's functions, by name. */
  readonly functions = new Map<string, FunctionInfo>();

  constructor(
    readonly api: KerasApi,
    readonly hints: Hints,
    readonly record: Hints,
    readonly globals: Scope,
    readonly mode: OutputMode,
    /** `--data DIR`: local copies of the files a notebook downloads, by file name. */
    readonly dataFiles: ReadonlyMap<string, string>,
  ) {
    this.scope = globals;
  }

  /** `from sympy import *` and the like: where an undefined name probably comes from. */
  readonly starImports: string[] = [];
  /** `const { x } = ...;` lines written so far (a script declares each once). */
  private readonly destructured = new Set<string>();
  /** Set when the cell uses Keras (for the per-notebook share of Keras cells translated). */
  usesKeras = false;

  /** Makes the package export `name` available in this cell as `local` (`import { backend as K }`). */
  usePackage(name: string, local = name): string {
    const key = `${name} as ${local}`;
    if (!this.imported.has(key)) {
      this.imported.add(key);
      this.imports.add(local, name);
    }
    return local;
  }

  /** `const { name: alias } = source;` once. */
  destructure(source: string, name: string, alias: string): void {
    const local = tsName(alias);
    const line = `const { ${name === local ? name : `${name}: ${local}`} } = ${source};`;
    if (this.destructured.has(line)) return;
    this.destructured.add(line);
    this.imports.destructure(line);
  }

  /** Records `list.append(x)` for the first pass: an empty list is declared with its items' type. */
  appended(target: Value, kind: Kind): void {
    if (/^[A-Za-z_$][\w$]*$/.test(target.code)) this.record.append(this.scope, target.code, kind);
  }

  /** Binds an imported name in the current scope. */
  globalsBind(name: string, kind: Kind, ts: string): void {
    this.scope.set(name, { kind, ts, declared: true });
  }

  /** Binds a name whose import stayed Python: using it keeps the using statement too. */
  globalsKeep(name: string, reason: string): void {
    this.scope.set(name, { kind: UNKNOWN, ts: tsName(name), declared: false, keptBecause: reason });
  }

  useTf(): string {
    const own = this.scope.lookup('tf');
    if (own?.kind.type === 'module' && own.kind.path === 'tensorflow') return 'tf';
    return this.usePackage('tf');
  }

  useKeras(): string {
    return this.usePackage('keras');
  }

  /** A name the notebook uses without defining: a keras-like export (S10 uses `Dense` unimported). */
  implicitName(name: string): Value | undefined {
    const alias = CONVENTIONAL_ALIASES[name];
    if (alias) {
      // `np` used before `import numpy as np`, as a notebook run out of order allows.
      this.implicitImports.add(name);
      const ts = alias === 'tensorflow' ? this.usePackage('tf') : '';
      this.globals.set(name, { kind: { type: 'module', path: alias }, ts, declared: true });
      return value(ts, { type: 'module', path: alias });
    }
    const path = this.packagePath(name);
    if (!path) return undefined;
    this.implicitImports.add(name);
    const ts = this.usePackage(name);
    return value(ts, { type: 'module', path });
  }

  /** The Python path of a top-level export of keras-like (`Dense` → `keras.layers.Dense`). */
  private packagePath(name: string): string | undefined {
    const top = this.api.top;
    if (!(name in top) || name === 'default') return undefined;
    if (name === 'keras') return 'keras';
    if (name === 'tf') return 'tensorflow';
    const keras = top.keras as Record<string, unknown>;
    if (keras[name] === top[name]) return `keras.${name}`;
    for (const module of ['layers', 'models', 'optimizers', 'callbacks', 'utils']) {
      const members = keras[module] as Record<string, unknown> | undefined;
      if (members && members[name] === top[name]) return `keras.${module}.${name}`;
    }
    return PACKAGE_NAMESPACES.includes(name) ? `keras.${name}` : undefined;
  }

  /**
   * The Python path of `node` when it names a module or something imported from one
   * (`np.random.rand`, `keras.layers.Dense`, `plt`), else undefined.
   */
  modulePath(node: SyntaxNode): string | undefined {
    if (node.name === 'VariableName') {
      const name = this.text.slice(node.from, node.to);
      const binding = this.scope.lookup(name);
      const path = binding
        ? binding.kind.type === 'module' && binding.keptBecause === undefined ? binding.kind.path : undefined
        : (CONVENTIONAL_ALIASES[name] ?? this.packagePath(name));
      if (!binding && CONVENTIONAL_ALIASES[name]) this.implicitName(name);
      if (path?.startsWith('keras') || path?.startsWith('tensorflow')) this.usesKeras = true;
      return path;
    }
    if (node.name === 'MemberExpression') {
      const all = children(node);
      if (all[1]?.name !== '.') return undefined;
      const root = this.modulePath(all[0]!);
      return root === undefined ? undefined : `${root}.${this.text.slice(all[2]!.from, all[2]!.to)}`;
    }
    return undefined;
  }

  /** The TypeScript that names module member `node` (whose Python path is `path`). */
  moduleCode(node: SyntaxNode, path: string): string {
    if (node.name === 'VariableName') {
      const name = this.text.slice(node.from, node.to);
      const binding = this.scope.lookup(name);
      if (binding) return binding.ts;
      this.implicitName(name);
      return name;
    }
    const all = children(node);
    const rootPath = path.slice(0, path.lastIndexOf('.'));
    return `${this.moduleCode(all[0]!, rootPath)}.${this.text.slice(all[2]!.from, all[2]!.to)}`;
  }

  /** A module member used as a value (not called): `keras.layers.Dense`, `K.tanh`, `np.pi`. */
  moduleMember(path: string, node: SyntaxNode): Value {
    if (path.startsWith('keras.')) {
      this.assertKeras(path);
      return value(this.moduleCode(node, path), { type: 'module', path });
    }
    if (path.startsWith('numpy.')) return numpyMember(path.slice('numpy.'.length));
    if (path === 'math.pi') return value('Math.PI', NUMBER);
    if (path === 'math.e') return value('Math.E', NUMBER);
    return value(this.moduleCode(node, path), { type: 'module', path });
  }

  /** Throws the summary's "not in keras-like" reason when `keras.a.b` does not exist. */
  assertKeras(path: string): void {
    const segments = path.split('.').slice(1);
    if (!hasPath(this.api.top.keras, segments)) {
      untranslatable('not in keras-like', `\`${path}\` is not in keras-like`);
    }
  }

  /** Kinds of the attributes of objects the translator knows (`data.data` of `load_iris()`). */
  objectAttribute(of: string, property: string): Kind | undefined {
    const attributes: Record<string, Record<string, Kind>> = {
      Bunch: { data: tensor(2), target: tensor(1) },
      StandardScaler: { mean_: tensor(1), scale_: tensor(1), var_: tensor(1) },
      MinMaxScaler: { data_min_: tensor(1), data_max_: tensor(1), scale_: tensor(1), min_: tensor(1) },
      DataFrame: { values: tensor(2), columns: { type: 'list', item: { type: 'string' } }, shape: { type: 'shape' } },
      Sequential: { layers: { type: 'list', item: { type: 'object', of: 'Layer' } } },
    };
    return attributes[of]?.[property];
  }

  /** Declares `targets` (names) in a new scope for a lambda or a comprehension; returns `fn`'s value. */
  withLocals<T>(targets: SyntaxNode[], itemKind: Kind, fn: (params: string) => T): T {
    const outer = this.scope;
    this.scope = new Scope(`${outer.id}>`, outer);
    try {
      const names = targets.filter((t) => t.name === 'VariableName' || t.name === 'TupleExpression');
      const params = names.map((t, i) => this.bindTarget(t, names.length > 1 ? (itemKind.type === 'tuple' ? (itemKind.items[i] ?? UNKNOWN) : UNKNOWN) : itemKind));
      return fn(names.length > 1 ? `[${params.join(', ')}]` : (params[0] ?? ''));
    } finally {
      this.scope = outer;
    }
  }

  private bindTarget(node: SyntaxNode, kind: Kind): string {
    const name = this.text.slice(node.from, node.to);
    if (node.name !== 'VariableName') untranslatable('python', 'nested unpacking in a comprehension');
    const binding: Binding = { kind, ts: tsName(name), declared: true };
    this.scope.set(name, binding);
    return binding.ts;
  }

  /** The local copy of a downloaded file, by its file name, when `--data DIR` has one. */
  localData(url: string): string | undefined {
    const name = url.slice(url.lastIndexOf('/') + 1).toLowerCase();
    return this.dataFiles.get(name);
  }
}
