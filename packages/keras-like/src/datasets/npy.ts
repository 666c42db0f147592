/**
 * NumPy's `.npy` format: a magic string, a version, a header — a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (404, 13), }` — then the raw values
 * (or, for object arrays, a pickle).
 *
 * Why a reader of our own: npm's `npyjs` parses numeric arrays only (not the object arrays of
 * imdb.npz and reuters.npz, which need their header skipped to reach the pickle anyway) and
 * brings a fetch library with it; the header is a few lines of parsing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { unpickle } from './pickle.js';

export interface NpyArray {
  /** NumPy's type string: `'|u1'`, `'<i8'`, `'<f8'`, `'|O'`... */
  dtype: string;
  shape: number[];
  fortran_order: boolean;
  /** The values in C order, as numbers; the objects for an object array. */
  data: ArrayLike<number> | unknown[];
}

interface DtypeInfo {
  readonly size: number;
  readonly read: (view: DataView, offset: number, little: boolean) => number;
  readonly little: boolean;
}

const READERS: Record<string, Omit<DtypeInfo, 'little'>> = {
  b1: { size: 1, read: (v, o) => v.getUint8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u2: { size: 2, read: (v, o, l) => v.getUint16(o, l) },
  i2: { size: 2, read: (v, o, l) => v.getInt16(o, l) },
  u4: { size: 4, read: (v, o, l) => v.getUint32(o, l) },
  i4: { size: 4, read: (v, o, l) => v.getInt32(o, l) },
  // int64 labels and word indices are far below 2^53, so a Number holds them exactly.
  i8: { size: 8, read: (v, o, l) => Number(v.getBigInt64(o, l)) },
  u8: { size: 8, read: (v, o, l) => Number(v.getBigUint64(o, l)) },
  f4: { size: 4, read: (v, o, l) => v.getFloat32(o, l) },
  f8: { size: 8, read: (v, o, l) => v.getFloat64(o, l) },
};

/** How to read a numeric dtype string; `what` names the array in messages. */
export function dtypeInfo(descr: string, what: string): DtypeInfo {
  const order = descr[0] === '<' || descr[0] === '>' || descr[0] === '|' || descr[0] === '=' ? descr[0] : '=';
  const kind = order === descr[0] ? descr.slice(1) : descr;
  const reader = READERS[kind === 'b' ? 'b1' : kind];
  if (!reader) throw new ValueError(`${what}: keras-like cannot read NumPy arrays of dtype ${JSON.stringify(descr)}.`);
  return { ...reader, little: order !== '>' };
}

/** `count` values of a dtype from raw bytes, as a Float64Array (exact for every dtype above). */
export function readValues(bytes: Uint8Array, info: DtypeInfo, count: number): Float64Array {
  if (bytes.length < count * info.size) throw new ValueError(`A NumPy array is truncated: ${bytes.length} bytes for ${count} values of ${info.size} bytes.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = info.read(view, i * info.size, info.little);
  return out;
}

/** Parses one `.npy` file; `what` names it in messages. Object arrays are unpickled (restricted). */
export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (!magic.every((b, i) => bytes[i] === b)) throw new ValueError(`${what} is not a NumPy .npy file.`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new ValueError(`${what}: unreadable .npy header ${JSON.stringify(header)}.`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const body = bytes.subarray(start + headerLength);
  if (descr === '|O') {
    const array = unpickle(body) as NpyArray;
    return { dtype: '|O', shape: array.shape, fortran_order: array.fortran_order, data: array.data };
  }
  const count = shape.reduce((a, b) => a * b, 1);
  return { dtype: descr, shape, fortran_order: fortran === 'True', data: readValues(body, dtypeInfo(descr, what), count) };
}

/** A numeric array as a tensor: float32 for data, int32 for labels and indices. */
export function arrayTensor(array: NpyArray, dtype: 'float32' | 'int32', what: string): tf.Tensor {
  if (array.dtype === '|O') throw new ValueError(`${what} is an object array; expected numbers.`);
  const values = dtype === 'float32' ? Float32Array.from(array.data as ArrayLike<number>) : Int32Array.from(array.data as ArrayLike<number>);
  return tf.tensor(values, array.shape, dtype);
}
