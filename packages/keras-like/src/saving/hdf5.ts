/**
 * An HDF5 file as a plain tree: groups (with attributes and named children, in order) and
 * datasets (a dtype, a shape and the values). Keras's weights files are small trees of
 * this kind (`layers/dense/vars/0`); the tree is built or read whole, then encoded or
 * decoded by h5wasm in one call (hdf5_worker.ts).
 */
import { ValueError } from '../errors.js';
import { callHdf5, H5Error } from './hdf5_worker.js';

/** An attribute value as h5wasm gives it in JSON form (h5py's `attrs[name]`). */
export type H5Attribute = string | number | boolean | null | H5Attribute[];

export interface H5Dataset {
  readonly kind: 'dataset';
  /** Written: 'float32' or 'int32'. Read: h5wasm's dtype ('<f', '<i', '<d', '<q', ...). */
  readonly dtype: string;
  readonly shape: number[];
  readonly value: Float32Array | Int32Array | Float64Array | BigInt64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array | string | string[] | number;
  readonly attrs: Record<string, H5Attribute>;
}

export interface H5Group {
  readonly kind: 'group';
  readonly attrs: Record<string, H5Attribute>;
  readonly children: Map<string, H5Node>;
}

export type H5Node = H5Group | H5Dataset;

/** A new, empty group. */
export function h5Group(attrs: Record<string, H5Attribute> = {}): H5Group {
  return { kind: 'group', attrs, children: new Map() };
}

/** The group at `path` below `root` ('layers/dense/vars'), made on the way when missing. */
export function makeGroup(root: H5Group, path: string): H5Group {
  let group = root;
  for (const name of path.split('/').filter((part) => part !== '')) {
    let child = group.children.get(name);
    if (child === undefined) {
      child = h5Group();
      group.children.set(name, child);
    }
    if (child.kind !== 'group') throw new ValueError(`HDF5: '${name}' in '${path}' is a dataset, not a group.`);
    group = child;
  }
  return group;
}

/** The node at `path` below `root`, or undefined. */
export function getNode(root: H5Group, path: string): H5Node | undefined {
  let node: H5Node = root;
  for (const name of path.split('/').filter((part) => part !== '')) {
    if (node.kind !== 'group') return undefined;
    const child: H5Node | undefined = node.children.get(name);
    if (child === undefined) return undefined;
    node = child;
  }
  return node;
}

/** The group at `path`, or undefined when there is none (or it is a dataset). */
export function getGroup(root: H5Group, path: string): H5Group | undefined {
  const node = getNode(root, path);
  return node?.kind === 'group' ? node : undefined;
}

/** A dataset's values as float32, whatever type the file stored them in. */
export function datasetValues(dataset: H5Dataset): Float32Array {
  const { value } = dataset;
  if (value instanceof Float32Array) return value;
  if (value instanceof BigInt64Array) return Float32Array.from(value, (v) => Number(v));
  if (ArrayBuffer.isView(value)) return Float32Array.from(value as ArrayLike<number>);
  if (typeof value === 'number') return Float32Array.of(value);
  throw new ValueError(`HDF5: a dataset of type ${dataset.dtype} holds no numbers.`);
}

/** The bytes of an HDF5 file holding `tree`. */
export function writeHdf5(tree: H5Group): Uint8Array {
  return callHdf5({ op: 'write', tree }).bytes!;
}

/**
 * The tree of the HDF5 file in `bytes`. `what` names the file in the error a file that is
 * not HDF5 (or is truncated) gets.
 */
export function readHdf5(bytes: Uint8Array, what: string): H5Group {
  try {
    return callHdf5({ op: 'read', bytes }).tree!;
  } catch (error) {
    if (!(error instanceof H5Error)) throw error;
    throw new ValueError(`${what} is not a readable HDF5 file (it may be truncated or of another format): ${firstLine(error.message)}`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
