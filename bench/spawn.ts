/**
 * Starting measurement processes: each job runs in a fresh Node process with
 * the backend chosen through KERAS_LIKE_BACKEND, as a user would choose it.
 */
import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildJob, ChildOutcome } from './child.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
// The child is TypeScript: load tsx's hooks into it, resolved from here so the cwd does not matter.
const TSX_HOOKS = ['--import', import.meta.resolve('tsx')];

export function runChild(job: ChildJob, backend: string): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(job)], {
      execArgv: TSX_HOOKS,
      env: { ...process.env, KERAS_LIKE_BACKEND: backend },
    });
    let outcome: ChildOutcome | undefined;
    child.on('message', (message) => {
      outcome = message as ChildOutcome;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      resolve(outcome ?? { kind: 'error', message: `the measurement process exited with code ${code} and no result` });
    });
  });
}

/** Runs a TypeScript script (another bench's entry) on `backend` and returns its standard output. */
export function runScript(script: string, args: readonly string[], backend: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...TSX_HOOKS, script, ...args],
      { env: { ...process.env, KERAS_LIKE_BACKEND: backend }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${script} failed: ${stderr || error.message}`)) : resolve(stdout)),
    );
  });
}
