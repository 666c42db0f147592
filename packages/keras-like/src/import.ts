/**
 * The ES-module entry (`import ... from 'keras-like'`): index.ts's exports, after waiting
 * for the fastest backend. An ES module may wait at import, so a script that imports
 * keras-like gets wasm from its first op without writing `await ready()`; CommonJS
 * `require` gets index.ts, which starts on cpu and switches to wasm when it is ready.
 */
import { ready } from './backend/kernels.js';

export * from './index.js';

await ready();
