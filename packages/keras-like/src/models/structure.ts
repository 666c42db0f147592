/**
 * The structure of a functional model's `inputs` or `outputs`, as it was given: one KerasTensor,
 * a list, or a dict by key (`keras.Model({ inputs: { a: x1, b: x2 }, outputs: { ... } })`).
 *
 * The graph runs on the flat list. As Keras's `tree.flatten`, a dict is flattened in sorted key
 * order, so `model.inputs` / `model.outputs` list a dict's tensors by key, and a dict comes back
 * (`model.input`, `predict`'s result) with the keys in the order they were given.
 */
import { isKerasTensor, type KerasTensor } from '../layers/keras_tensor.js';

export type Structure =
  | { readonly kind: 'one' }
  /** `nested`: the shape of a list that holds lists (a stacked RNN's states per cell); absent when flat. */
  | { readonly kind: 'list'; readonly nested?: ListShape }
  /** `given`: the keys as the user wrote them; `sorted`: the flat order. */
  | { readonly kind: 'dict'; readonly given: readonly string[]; readonly sorted: readonly string[] };

/** A nested list's shape: a leaf is null, a list its own shape (`[null, [null, null], null]`). */
export type ListShape = ReadonlyArray<ListShape | null>;

/** KerasTensors in lists, nested: `[out, [h1, c1], h2]`, what a stacked RNN returns with return_state. */
export type KerasTensorList = ReadonlyArray<KerasTensor | KerasTensorList>;

/** A dict of KerasTensors: the inputs or outputs of a functional model, keyed. */
export type KerasTensorDict = Readonly<Record<string, KerasTensor>>;

export function isPlainDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** A non-empty plain object whose values are all KerasTensors. */
export function isKerasTensorDict(v: unknown): v is KerasTensorDict {
  return isPlainDict(v) && Object.keys(v).length > 0 && Object.values(v).every(isKerasTensor);
}

/** The structure of `given` and its tensors in flat order (a dict's by sorted key). */
export function flatten(given: KerasTensor | KerasTensorList | KerasTensorDict): { structure: Structure; flat: KerasTensor[] } {
  if (Array.isArray(given)) {
    const list = given as KerasTensorList;
    if (!list.some(Array.isArray)) return { structure: { kind: 'list' }, flat: [...(list as KerasTensor[])] };
    // A list holding lists: flat in order (Keras's tree.flatten), its shape kept for pack.
    const flat: KerasTensor[] = [];
    const shapeOf = (items: KerasTensorList): ListShape => items.map((v) => (Array.isArray(v) ? shapeOf(v as KerasTensorList) : (flat.push(v as KerasTensor), null)));
    const nested = shapeOf(list);
    return { structure: { kind: 'list', nested }, flat };
  }
  if (isKerasTensorDict(given)) {
    const keys = Object.keys(given);
    const sorted = [...keys].sort();
    return { structure: { kind: 'dict', given: keys, sorted }, flat: sorted.map((k) => given[k]!) };
  }
  return { structure: { kind: 'one' }, flat: [given as KerasTensor] };
}

/** Values in flat order, packed back into `structure` (a dict with its keys in the given order). */
export function pack<T>(structure: Structure, flat: readonly T[]): T | T[] | Record<string, T> {
  if (structure.kind === 'one') return flat[0]!;
  if (structure.kind === 'list') {
    if (structure.nested === undefined) return [...flat];
    let next = 0;
    const build = (shape: ListShape): unknown[] => shape.map((s) => (s === null ? flat[next++]! : build(s)));
    return build(structure.nested) as T[];
  }
  const byKey = new Map(structure.sorted.map((k, i) => [k, flat[i]!]));
  return Object.fromEntries(structure.given.map((k) => [k, byKey.get(k)!]));
}

/** Python's repr of a structure with every leaf shown as `leaf` (Keras's messages: `{'a': '*'}`, `['*', '*']`). */
export function pythonStructure(structure: Structure, count: number, leaf: (i: number) => string): string {
  if (structure.kind === 'one') return `'${leaf(0)}'`;
  if (structure.kind === 'list') return `[${Array.from({ length: count }, (_, i) => `'${leaf(i)}'`).join(', ')}]`;
  const index = new Map(structure.sorted.map((k, i) => [k, i]));
  return `{${structure.given.map((k) => `'${k}': '${leaf(index.get(k)!)}'`).join(', ')}}`;
}

/** Python's repr of a list of keys: `['a', 'b']`. */
export function pythonKeys(keys: readonly string[]): string {
  return `[${keys.map((k) => `'${k}'`).join(', ')}]`;
}
