/**
 * Where Keras keeps downloaded datasets, and the error when a file is not there. keras-like
 * downloads nothing (many classroom machines have no network): it reads the files Keras would
 * have cached, `$KERAS_HOME/datasets/` or `~/.keras/datasets/`, or the `path` given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { FileNotFoundError } from '../errors.js';

const ORIGIN = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/** `~/.keras/datasets` (or `$KERAS_HOME/datasets`), as Keras's `get_file` uses it. */
export function datasetsDir(): string {
  return join(process.env.KERAS_HOME ?? join(homedir(), '.keras'), 'datasets');
}

/** A dataset file: `fname` inside the cache (an absolute path is used as is, as os.path.join does). */
export function cachedPath(fname: string): string {
  return isAbsolute(fname) ? fname : join(datasetsDir(), fname);
}

/** The first of `candidates` that exists, else the error that says where to put the file. */
export function findDataset(call: string, candidates: readonly string[], download: string): string {
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return found;
  throw new FileNotFoundError(
    `${call}: the dataset file is not on this machine, and keras-like does not download. ` +
      `Download ${ORIGIN}${download} (the file Keras's load_data fetches) and place it at ${candidates[0]}` +
      (download.endsWith('.tar.gz') ? ' (extracted)' : '') +
      `, or set KERAS_HOME to the folder holding datasets/.`,
  );
}

export function readDataset(call: string, candidates: readonly string[], download: string): Uint8Array {
  return readFileSync(findDataset(call, candidates, download));
}
