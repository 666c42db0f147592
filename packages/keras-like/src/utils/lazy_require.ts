/**
 * A dependency loaded on first use, synchronously, instead of at `import 'keras-like'`.
 * For packages only a few calls need (image codecs, zip, pickle), whose load would
 * otherwise add to every script's start-up (docs/backends.md, "Start-up time").
 * `require` serves every loader: the CommonJS bundle has it, the ES-module bundle and
 * Deno get it from `createRequire`, and Node ≥ 20.19 and Deno 2 also `require` packages
 * that are ES modules only (fast-png).
 */
import { createRequire } from 'node:module';

export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
