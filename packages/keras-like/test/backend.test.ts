import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../src/backend/choose.js';

const fixture = fileURLToPath(new URL('./fixtures/print-backend.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function runWithBackend(value: string | undefined) {
  const env = { ...process.env };
  delete env.KERAS_LIKE_BACKEND;
  if (value !== undefined) env.KERAS_LIKE_BACKEND = value;
  const child = spawnSync(tsx, [fixture], { env, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('chooseBackend (the rule)', () => {
  it('prefers tensorflow when tfjs-node loads, else the npm default', () => {
    expect(chooseBackend(undefined, true)).toBe('tensorflow');
    expect(chooseBackend(undefined, false)).toBe('wasm');
    expect(chooseBackend('', false)).toBe('wasm');
  });
  it('honours an explicit, case-insensitive request', () => {
    expect(chooseBackend('cpu', true)).toBe('cpu');
    expect(chooseBackend('WASM', true)).toBe('wasm');
    expect(chooseBackend('tensorflow', true)).toBe('tensorflow');
  });
  it('rejects unknown names and a missing tfjs-node with an install hint', () => {
    expect(() => chooseBackend('webgl', false)).toThrow(/KERAS_LIKE_BACKEND=webgl is not a backend keras-like knows. Expected one of: tensorflow, wasm, cpu/);
    expect(() => chooseBackend('tensorflow', false)).toThrow(/pnpm add @tensorflow\/tfjs-node/);
  });
});

describe('backend selection in a fresh process', () => {
  it('uses wasm by default when @tensorflow/tfjs-node is not installed, with no banner', () => {
    const run = runWithBackend(undefined);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('backend=wasm tfjs=wasm');
    expect(run.stderr).toBe('');
  });
  it('KERAS_LIKE_BACKEND=cpu picks cpu, without the tfjs-node banner', () => {
    const run = runWithBackend('cpu');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('backend=cpu tfjs=cpu');
    expect(run.stderr + run.stdout).not.toMatch(/tfjs-node|Hi, looks like/);
  });
  it('KERAS_LIKE_BACKEND=wasm picks wasm', () => {
    const run = runWithBackend('wasm');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('backend=wasm tfjs=wasm');
  });
  it('an unknown name fails at import with the list of backends', () => {
    const run = runWithBackend('gpu');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('KERAS_LIKE_BACKEND=gpu is not a backend keras-like knows');
  });
  it('asking for tensorflow without tfjs-node says how to install it', () => {
    const run = runWithBackend('tensorflow');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('@tensorflow/tfjs-node, which is not installed or does not load');
    expect(run.stderr).toContain('pnpm add @tensorflow/tfjs-node');
  });
});
