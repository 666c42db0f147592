/**
 * Reading and writing whole files for saving, with the errors a student can act on.
 *
 * A file is written to a temporary name in the same folder and then renamed over the
 * target, so a save that fails half-way (a full disk, an error while encoding, the process
 * killed) never leaves a half-written model where a good one was: the rename is atomic on
 * one file system.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ValueError } from '../errors.js';

let temporaryCount = 0;

/** Writes `bytes` to `filepath` atomically (temporary file in the same folder, then rename). */
export function writeFileAtomic(filepath: string, bytes: Uint8Array): void {
  const folder = dirname(resolve(filepath));
  if (!existsSync(folder)) {
    throw new ValueError(`Cannot save to ${filepath}: the folder ${folder} does not exist. Create it first (fs.mkdirSync(folder, { recursive: true })).`);
  }
  if (!statSync(folder).isDirectory()) throw new ValueError(`Cannot save to ${filepath}: ${folder} is not a folder.`);
  if (existsSync(filepath) && statSync(filepath).isDirectory()) throw new ValueError(`Cannot save to ${filepath}: it is a folder.`);
  temporaryCount += 1;
  const temporary = join(folder, `.${basename(filepath)}.${process.pid}.${temporaryCount}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, filepath);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new ValueError(`Cannot save to ${filepath}: the folder ${folder} is not writable (${code}).`);
    }
    throw error;
  }
}

/** The bytes of `filepath`, or Keras-like errors for a missing file or a folder. */
export function readFileChecked(filepath: string, what = 'file'): Uint8Array {
  if (!existsSync(filepath)) throw new ValueError(`No such ${what}: ${filepath}`);
  if (statSync(filepath).isDirectory()) throw new ValueError(`Cannot load ${filepath}: it is a folder, not a ${what}.`);
  return new Uint8Array(readFileSync(filepath));
}
