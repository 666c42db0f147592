/**
 * NumPy's `.npz`: a zip archive of `.npy` files, one per array (`x_train.npy`...), unzipped by
 * fflate (npm). Like Keras's `npz_utils.load_npz`: every member ending in `.npy`, object arrays
 * through the restricted unpickler.
 */
import { fflate } from '../utils/fflate.js';
import { ValueError } from '../errors.js';
import { type NpyArray, parseNpy } from './npy.js';

export function loadNpz(bytes: Uint8Array, what: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = fflate().unzipSync(bytes);
  } catch (error) {
    throw new ValueError(`${what} is not a NumPy .npz (zip) file: ${(error as Error).message}`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, member] of Object.entries(files)) {
    if (name.endsWith('.npy')) arrays.set(name.slice(0, -4), parseNpy(member, `${what}:${name}`));
  }
  return arrays;
}

/** The array `key` of an archive, or Keras's KeyError wording. */
export function member(arrays: Map<string, NpyArray>, key: string, what: string): NpyArray {
  const found = arrays.get(key);
  if (!found) throw new ValueError(`${key} is not a file in the archive ${what} (it holds ${[...arrays.keys()].join(', ')}).`);
  return found;
}
