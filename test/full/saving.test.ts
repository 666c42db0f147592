/**
 * Saving from the installed package's CommonJS build (`require('keras-like')`): the HDF5 worker
 * finds h5wasm, an ES-module-only package, from dist/cjs (src/saving/hdf5_worker.ts).
 */
import { copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

describe('saving, installed', () => {
  it('node, CommonJS require: model.save / load_model, save_weights / load_weights, save_tfjs', () => {
    const app = inject('app');
    copyFileSync(fileURLToPath(new URL('./app/save-load.cjs', import.meta.url)), join(app, 'save-load.cjs'));
    const env = { ...process.env };
    delete env.KERAS_LIKE_BACKEND;
    delete env.NODE_OPTIONS;
    const child = spawnSync('node', ['save-load.cjs'], { cwd: app, encoding: 'utf8', env });
    expect(child.status, child.stderr).toBe(0);
    const seen = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(seen).toEqual({ loadModel: true, loadWeights: true, optimizerIterations: 2, tfjs: true });
  });
});
