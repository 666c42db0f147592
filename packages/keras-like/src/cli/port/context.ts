/**
 * The state a translation carries from statement to statement and cell to cell: which names
 * exist and what they hold, which imports the TypeScript needs, and why a statement could not
 * be translated.
 */
import type { Kind } from './kinds.js';
import { UNKNOWN, union } from './kinds.js';

/** Why a statement stays Python. `category` groups the summary; `reason` is the TODO line. */
export type KeptCategory =
  | 'plot' // matplotlib, other than history curves
  | 'not in keras-like' // a Keras name keras-like does not have
  | 'other library' // scikit-learn models, scipy, sympy, seaborn, pandas frames, os...
  | 'numpy' // a NumPy function or indexing with no TensorFlow.js equivalent here
  | 'python' // a Python construct the translator does not handle
  | 'depends on kept code' // uses a name whose definition stayed Python
  | 'ipython'; // %magic and !shell lines

export class Untranslatable extends Error {
  constructor(
    readonly category: KeptCategory,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function untranslatable(category: KeptCategory, reason: string): never {
  throw new Untranslatable(category, reason);
}

export interface Binding {
  kind: Kind;
  /** The TypeScript spelling of the name (`default` is a reserved word: `default_`). */
  readonly ts: string;
  /** Declared (`const` / `let` / import) in the TypeScript written so far. */
  declared: boolean;
  /** Set when the statement that defined the name stayed Python. */
  keptBecause?: string;
}

/** Python scoping: the notebook's globals, and one scope per function call frame. */
export class Scope {
  private readonly names = new Map<string, Binding>();
  constructor(
    readonly id: string,
    readonly parent?: Scope,
  ) {}

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  own(name: string): Binding | undefined {
    return this.names.get(name);
  }

  set(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  /** A copy of this scope's bindings, to undo a statement that turned out untranslatable. */
  snapshot(): Map<string, Binding> {
    return new Map([...this.names].map(([name, binding]) => [name, { ...binding }]));
  }

  restore(snapshot: Map<string, Binding>): void {
    this.names.clear();
    for (const [name, binding] of snapshot) this.names.set(name, binding);
  }
}

/**
 * What a first translation pass learns that the second needs: how often each name is assigned
 * (`const` or `let`), the kinds it takes (a declared type when they differ), what `.append`
 * puts into an empty list, and the kinds a function's parameters are called with.
 */
export class Hints {
  readonly assignments = new Map<string, number>();
  readonly kinds = new Map<string, Kind>();
  readonly appended = new Map<string, Kind>();
  readonly params = new Map<string, Kind[]>();
  private readonly mixedKinds = new Set<string>();

  assigned(scope: Scope, name: string, kind: Kind): void {
    const key = `${scope.id}:${name}`;
    this.assignments.set(key, (this.assignments.get(key) ?? 0) + 1);
    const before = this.kinds.get(key);
    const merged = before ? union(before, kind) : kind;
    // Two known kinds with no common type (a list of reviews, then the padded tensor).
    if (before && before.type !== 'unknown' && kind.type !== 'unknown' && merged.type === 'unknown') this.mixedKinds.add(key);
    this.kinds.set(key, merged);
  }

  /** Whether `name` holds values of kinds no one TypeScript type but `any` covers. */
  mixed(scope: Scope, name: string): boolean {
    return this.mixedKinds.has(`${scope.id}:${name}`);
  }

  reassigned(scope: Scope, name: string): boolean {
    return (this.assignments.get(`${scope.id}:${name}`) ?? 0) > 1;
  }

  kindOf(scope: Scope, name: string): Kind {
    return this.kinds.get(`${scope.id}:${name}`) ?? UNKNOWN;
  }

  append(scope: Scope, name: string, kind: Kind): void {
    const key = `${scope.id}:${name}`;
    const before = this.appended.get(key);
    this.appended.set(key, before ? union(before, kind) : kind);
  }

  appendedTo(scope: Scope, name: string): Kind | undefined {
    return this.appended.get(`${scope.id}:${name}`);
  }

  called(name: string, args: Kind[]): void {
    if (!this.params.has(name)) this.params.set(name, args);
  }
}

/** Imports the TypeScript needs, by cell: `import { keras, tf } from 'keras-like'` and destructured names. */
export class Imports {
  /** Named imports from the package: local name → exported name. */
  readonly named = new Map<string, string>();
  /** `const { make_moons } = sklearn.datasets;` lines, in order. */
  readonly destructured: string[] = [];

  add(local: string, exported = local): void {
    this.named.set(local, exported);
  }

  destructure(line: string): void {
    if (!this.destructured.includes(line)) this.destructured.push(line);
  }

  get empty(): boolean {
    return this.named.size === 0 && this.destructured.length === 0;
  }
}

/** What the command's run knows about keras-like's own API: which names exist. */
export interface KerasApi {
  /** The package's top-level exports (`keras`, `tf`, `Dense`, `sklearn`...). */
  readonly top: Readonly<Record<string, unknown>>;
}

/** Whether `keras.layers.Dense`-style path `segments` exists under `root`. */
export function hasPath(root: unknown, segments: readonly string[]): boolean {
  let value: unknown = root;
  for (const segment of segments) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
    if (!Object.prototype.hasOwnProperty.call(value, segment) && !(segment in (value as object))) return false;
    value = (value as Record<string, unknown>)[segment];
    if (value === undefined) return false;
  }
  return true;
}
