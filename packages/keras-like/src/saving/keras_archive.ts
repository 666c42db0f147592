/**
 * The `.keras` file of Keras 3: a zip archive of three members, stored uncompressed as
 * Keras writes them (`saving_lib._save_model_to_fileobj`):
 *
 *   metadata.json      {"keras_version": "3.x", "date_saved": "2026-12-06@18:53:44"}
 *   config.json        the model's serialized config (serialize_keras_object), with its
 *                      compile_config when the model was compiled
 *   model.weights.h5   the HDF5 weights file (weights_store.ts)
 *
 * Zip encoding and decoding is fflate's (synchronous).
 */
import { fflate } from '../utils/fflate.js';
import { ValueError } from '../errors.js';
import { readFileChecked, writeFileAtomic } from './files.js';

export const CONFIG_FILENAME = 'config.json';
export const METADATA_FILENAME = 'metadata.json';
export const WEIGHTS_FILENAME = 'model.weights.h5';

/** The members of a `.keras` archive. */
export interface KerasArchive {
  readonly config: string;
  readonly metadata: string;
  readonly weights: Uint8Array;
}

/** Writes a `.keras` archive atomically. */
export function writeKerasArchive(filepath: string, archive: KerasArchive): void {
  // level 0: stored, as Keras writes its members.
  const { strToU8, zipSync } = fflate();
  const bytes = zipSync(
    {
      [METADATA_FILENAME]: [strToU8(archive.metadata), { level: 0 }],
      [CONFIG_FILENAME]: [strToU8(archive.config), { level: 0 }],
      [WEIGHTS_FILENAME]: [archive.weights, { level: 0 }],
    },
    { mtime: new Date() },
  );
  writeFileAtomic(filepath, bytes);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Reads a `.keras` archive; a missing, truncated or foreign file gets an error saying which. */
export function readKerasArchive(filepath: string): KerasArchive {
  let bytes: Uint8Array;
  try {
    bytes = readFileChecked(filepath, '`.keras` file');
  } catch (error) {
    if (error instanceof ValueError && error.message.startsWith('No such')) {
      throw new ValueError(`File not found: filepath=${filepath}. Please ensure the file is an accessible \`.keras\` zip file.`);
    }
    throw error;
  }
  if (!ZIP_MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new ValueError(`${filepath} is not a \`.keras\` zip file: it does not start with a zip header (is it another format, such as HDF5 \`.h5\`?).`);
  }
  let members: Record<string, Uint8Array>;
  try {
    members = fflate().unzipSync(bytes);
  } catch (cause) {
    throw new ValueError(`${filepath} is a damaged \`.keras\` zip file (truncated or corrupt): ${(cause as Error).message}`);
  }
  for (const name of [CONFIG_FILENAME, WEIGHTS_FILENAME]) {
    if (members[name] === undefined) {
      throw new ValueError(`${filepath} is not a Keras 3 \`.keras\` file: it has no ${name} (members: ${Object.keys(members).join(', ') || 'none'}).`);
    }
  }
  return {
    config: fflate().strFromU8(members[CONFIG_FILENAME]!),
    metadata: members[METADATA_FILENAME] === undefined ? '{}' : fflate().strFromU8(members[METADATA_FILENAME]!),
    weights: members[WEIGHTS_FILENAME]!,
  };
}
