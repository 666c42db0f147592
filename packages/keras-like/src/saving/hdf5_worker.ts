/**
 * HDF5 files are read and written by h5wasm (the HDF5 C library compiled to WebAssembly).
 * h5wasm can only start asynchronously (`await h5wasm.ready`), while `model.save` and
 * `keras.models.load_model` are synchronous, as in Python. So h5wasm runs in a worker
 * thread, started on the first save or load (about half a second, once per process), and
 * each call blocks on it: the request is posted, `Atomics.wait` sleeps until the worker
 * signals its reply, and `receiveMessageOnPort` takes the reply synchronously. Importing
 * keras-like therefore pays nothing for HDF5, and a script that never saves never loads it.
 *
 * The worker sees only bytes and plain trees (hdf5.ts): it never touches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { RuntimeError } from '../errors.js';
import type { H5Group } from './hdf5.js';

/** What the worker is asked: encode a tree as an HDF5 file, or decode a file's bytes to a tree. */
export type H5Request = { readonly op: 'write'; readonly tree: H5Group } | { readonly op: 'read'; readonly bytes: Uint8Array };
type H5Reply = { ok: true; bytes?: Uint8Array; tree?: H5Group } | { ok: false; message: string };

// Plain JavaScript, run by the worker as is (no TypeScript loader exists in a worker thread).
const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { port, signal, h5wasmUrl } = workerData;
let h5 = null;
const PATH = '/file.h5';

function writeAttrs(target, attrs) {
  for (const [name, value] of Object.entries(attrs)) target.create_attribute(name, value);
}
function writeGroup(group, node) {
  writeAttrs(group, node.attrs);
  for (const [name, child] of node.children) {
    if (child.kind === 'group') writeGroup(group.create_group(name), child);
    else {
      const dataset = group.create_dataset({ name, data: child.value, shape: child.shape, dtype: child.dtype === 'int32' ? '<i' : '<f' });
      writeAttrs(dataset, child.attrs);
    }
  }
}
function readAttrs(entity) {
  const attrs = {};
  for (const name of Object.keys(entity.attrs)) attrs[name] = entity.get_attribute(name, true);
  return attrs;
}
function readGroup(group) {
  const children = new Map();
  for (const name of group.keys()) {
    const child = group.get(name);
    if (child instanceof h5.Group) children.set(name, readGroup(child));
    else if (child instanceof h5.Dataset) {
      const value = child.value;
      children.set(name, { kind: 'dataset', dtype: child.dtype, shape: child.shape ?? [], value, attrs: readAttrs(child) });
    }
  }
  return { kind: 'group', attrs: readAttrs(group), children };
}

port.on('message', async (request) => {
  let reply;
  try {
    if (h5 === null) {
      const module = await import(h5wasmUrl);
      await module.ready;
      h5 = module;
    }
    if (request.op === 'write') {
      const file = new h5.File(PATH, 'w');
      try { writeGroup(file, request.tree); } finally { file.close(); }
      reply = { ok: true, bytes: h5.FS.readFile(PATH) };
    } else {
      h5.FS.writeFile(PATH, request.bytes);
      const file = new h5.File(PATH, 'r');
      try { reply = { ok: true, tree: readGroup(file) }; } finally { file.close(); }
    }
  } catch (error) {
    reply = { ok: false, message: String((error && error.message) || error) };
  } finally {
    try { h5 && h5.FS.unlink(PATH); } catch {}
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

// Long enough for a large model's weights on a slow machine; a crashed worker must not hang the caller forever.
const TIMEOUT_MS = 5 * 60_000;

let worker: { port: MessagePort; signal: Int32Array } | null = null;

/**
 * The URL of h5wasm's ES-module entry. h5wasm exports an `import` entry only, so in the CommonJS
 * build (dist/cjs, where `import.meta.resolve` is `require.resolve`) the lookup fails with
 * ERR_PACKAGE_PATH_NOT_EXPORTED: there the package is found where `require` looks, and its
 * `exports['.'].import` entry is taken, what an ES-module `import` would resolve to.
 */
function resolveH5wasm(): string {
  try {
    return import.meta.resolve('h5wasm');
  } catch (error) {
    const require = createRequire(import.meta.url);
    for (const folder of require.resolve.paths('h5wasm') ?? []) {
      const manifest = join(folder, 'h5wasm', 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.'?: string | { import?: string } }; module?: string };
      const root = pkg.exports?.['.'];
      const entry = typeof root === 'string' ? root : (root?.import ?? pkg.module);
      if (entry !== undefined) return pathToFileURL(join(folder, 'h5wasm', entry)).href;
    }
    throw error;
  }
}

function start(): { port: MessagePort; signal: Int32Array } {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const h5wasmUrl = resolveH5wasm();
  const thread = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, signal, h5wasmUrl },
    transferList: [port2],
    // HDF5 prints its whole error stack on a bad file; the reply carries the message that matters.
    stderr: true,
    stdout: true,
  });
  // The worker must not keep the process alive once the script is done.
  thread.unref();
  port1.unref();
  return { port: port1, signal };
}

/** Runs one request in the HDF5 worker and waits for its reply (synchronously). */
export function callHdf5(request: H5Request): { bytes?: Uint8Array; tree?: H5Group } {
  worker ??= start();
  const { port, signal } = worker;
  Atomics.store(signal, 0, 0);
  port.postMessage(request);
  const woke = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
  const received = receiveMessageOnPort(port);
  if (woke === 'timed-out' || received === undefined) {
    worker = null;
    throw new RuntimeError('keras-like: the HDF5 worker (h5wasm) did not answer; the file was not read or written.');
  }
  const reply = received.message as H5Reply;
  if (!reply.ok) throw new H5Error(reply.message);
  return reply;
}

/** h5wasm's own error, raised in the worker (a file that is not HDF5, a truncated one...). */
export class H5Error extends Error {
  override name = 'H5Error';
}
