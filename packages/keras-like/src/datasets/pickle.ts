/**
 * Python pickles of NumPy arrays, as Keras's datasets store them (CIFAR's batch files, and the
 * object arrays inside imdb.npz and reuters.npz), read with pickleparser (npm) and a name
 * resolver that, like Keras's `RestrictedUnpickler` (datasets/npz_utils.py), allows exactly
 * the globals that rebuild an array — `numpy.core.multiarray._reconstruct` (or
 * `numpy._core…`), `numpy.ndarray`, `numpy.dtype` — and refuses every other, so a tampered file
 * cannot make the loader call anything.
 *
 * Python 2 pickles (the CIFAR files) hold bytes as `str` opcodes; pickleparser decodes those
 * as text, so the reader below decodes them as Latin-1, one character per byte, and the array
 * turns them back into bytes. That is Python 3's `pickle.load(f, encoding='bytes')`.
 */
import type * as PickleParser from 'pickleparser';
import { lazyRequire } from '../utils/lazy_require.js';
import { ValueError } from '../errors.js';
import { dtypeInfo, type NpyArray, readValues } from './npy.js';

// Loaded by the first dataset that holds a pickle, not at import (utils/lazy_require.ts).
const pickleparser = lazyRequire<typeof PickleParser>('pickleparser');

/** `np.dtype('u1')` as the pickle rebuilds it; its byte order arrives with `__setstate__`. */
class PickledDtype {
  byteOrder = '|';
  constructor(readonly name: string) {}
  __setstate__(state: unknown[]): void {
    if (typeof state[1] === 'string') this.byteOrder = state[1];
  }
}

/** An ndarray under construction: `_reconstruct` makes it, `__setstate__` gives it its data. */
class PickledArray implements NpyArray {
  shape: number[] = [];
  dtype = '';
  fortran_order = false;
  data: ArrayLike<number> | unknown[] = [];
  __setstate__(state: unknown[]): void {
    // (version, shape, dtype, is_fortran, raw data or list of objects)
    const [, shape, dtype, fortran, raw] = state as [number, number[], PickledDtype, boolean, unknown];
    this.shape = [...shape];
    this.fortran_order = Boolean(fortran);
    if (dtype.name === 'O' || dtype.name === 'O8') {
      this.dtype = '|O';
      this.data = raw as unknown[];
      return;
    }
    this.dtype = `${dtype.byteOrder === '=' ? '<' : dtype.byteOrder}${dtype.name.replace(/^([a-z])(\d+)$/, (_, k: string, n: string) => `${k}${n}`)}`;
    const bytes = typeof raw === 'string' ? Uint8Array.from(raw, (c) => c.charCodeAt(0)) : (raw as Uint8Array);
    this.data = readValues(bytes, dtypeInfo(this.dtype, 'a pickled array'), this.shape.reduce((a, b) => a * b, 1));
  }
}

const ALLOWED: Record<string, (...args: unknown[]) => unknown> = {
  'numpy.core.multiarray._reconstruct': () => new PickledArray(),
  'numpy._core.multiarray._reconstruct': () => new PickledArray(),
  'numpy.ndarray': () => undefined,
  'numpy.dtype': (name) => new PickledDtype(String(name)),
};

/** pickleparser's reader, with `str` opcodes read as Latin-1 (made once pickleparser is loaded). */
function latin1Reader(bytes: Uint8Array): PickleParser.BufferReader {
  const { BufferReader } = pickleparser();
  class Latin1Reader extends BufferReader {
    override string(size: number, encoding: 'ascii' | 'utf-8'): string {
      if (encoding === 'utf-8') return super.string(size, encoding);
      return Buffer.from(this.bytes(size)).toString('latin1');
    }
  }
  return new Latin1Reader(bytes);
}

/** Unpickles `bytes`, allowing only NumPy's array reconstruction; dicts come back as Maps. */
export function unpickle(bytes: Uint8Array): unknown {
  const parser = new (pickleparser().Parser)({
    unpicklingTypeOfDictionary: 'Map',
    nameResolver: {
      resolve(module: string, name: string) {
        const make = ALLOWED[`${module}.${name}`];
        if (!make) {
          throw new ValueError(`Refusing to deserialize \`${module}.${name}\` while loading a Keras dataset. The file may be corrupted or malicious.`);
        }
        return make;
      },
    },
  });
  return parser.read(latin1Reader(bytes));
}
