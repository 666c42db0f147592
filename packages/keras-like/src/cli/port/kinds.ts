/**
 * What the translator knows about a Python value. Python decides at run time whether `a * b`
 * multiplies numbers or NumPy arrays; TypeScript cannot, so the translator follows each value's
 * kind from where it was made (`np.linspace` → a tensor, `len(x)` → a number) and picks
 * `a * b` or `tf.mul(a, b)` accordingly. A kind it cannot tell is `unknown`.
 */
export type Kind =
  | { readonly type: 'number' }
  | { readonly type: 'string' }
  | { readonly type: 'boolean' }
  | { readonly type: 'null' }
  /** A NumPy array, as a `tf.Tensor`; `rank` when known. */
  | { readonly type: 'tensor'; readonly rank?: number }
  /** `x.shape`: a `number[]` that Python prints as a tuple. */
  | { readonly type: 'shape'; readonly rank?: number }
  | { readonly type: 'list'; readonly item: Kind }
  | { readonly type: 'tuple'; readonly items: readonly Kind[] }
  | { readonly type: 'dict'; readonly value: Kind }
  /** An object of a known class (`Sequential`, `History`, `StandardScaler`...). */
  | { readonly type: 'object'; readonly of: string }
  /** A Python module or a name imported from one: `np`, `keras`, `make_moons`. */
  | { readonly type: 'module'; readonly path: string }
  /** A function defined in the notebook. */
  | { readonly type: 'function'; readonly name: string }
  | { readonly type: 'unknown' };

export const NUMBER: Kind = { type: 'number' };
export const STRING: Kind = { type: 'string' };
export const BOOLEAN: Kind = { type: 'boolean' };
export const NULL: Kind = { type: 'null' };
export const UNKNOWN: Kind = { type: 'unknown' };

export function tensor(rank?: number): Kind {
  return rank === undefined ? { type: 'tensor' } : { type: 'tensor', rank };
}

export function object(of: string): Kind {
  return { type: 'object', of };
}

export function list(item: Kind): Kind {
  return { type: 'list', item };
}

export function isTensor(kind: Kind): kind is { type: 'tensor'; rank?: number } {
  return kind.type === 'tensor';
}

export function rankOf(kind: Kind): number | undefined {
  return kind.type === 'tensor' ? kind.rank : undefined;
}

/** The kind of `value[i]`. */
export function itemOf(kind: Kind, index?: number): Kind {
  switch (kind.type) {
    case 'list':
      return kind.item;
    case 'tuple':
      return index !== undefined ? (kind.items[index] ?? UNKNOWN) : UNKNOWN;
    case 'dict':
      return kind.value;
    case 'shape':
      return NUMBER;
    case 'string':
      return STRING;
    case 'number':
      // `_, acc = model.evaluate(...)`: evaluate's result is a number or [loss, ...metrics].
      return NUMBER;
    default:
      return UNKNOWN;
  }
}

export function sameKind(a: Kind, b: Kind): boolean {
  return tsType(a) === tsType(b);
}

/** The TypeScript type written for a declaration that needs one (`let train_set: number[] = []`). */
export function tsType(kind: Kind): string {
  switch (kind.type) {
    case 'number':
    case 'string':
    case 'boolean':
      return kind.type;
    case 'null':
      return 'null';
    case 'tensor':
      return 'tf.Tensor';
    case 'shape':
      return 'number[]';
    case 'list': {
      const item = tsType(kind.item);
      return item.includes(' ') ? `(${item})[]` : `${item}[]`;
    }
    case 'tuple':
      return `[${kind.items.map(tsType).join(', ')}]`;
    case 'dict':
      return `Record<string, ${tsType(kind.value)}>`;
    case 'object':
      return OBJECT_TYPES[kind.of] ?? 'any';
    default:
      return 'any';
  }
}

/** TypeScript types of the objects a declaration may need to name. */
const OBJECT_TYPES: Record<string, string> = {
  Sequential: 'keras.Sequential',
  History: 'keras.callbacks.History',
};

/** A kind that covers both, for a name assigned values of two kinds. */
export function union(a: Kind, b: Kind): Kind {
  if (sameKind(a, b)) return a;
  if (a.type === 'unknown') return b;
  if (b.type === 'unknown') return a;
  if (a.type === 'tensor' && b.type === 'tensor') return tensor(a.rank === b.rank ? a.rank : undefined);
  if (a.type === 'list' && b.type === 'list') return list(union(a.item, b.item));
  return UNKNOWN;
}
