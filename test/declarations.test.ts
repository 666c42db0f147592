/**
 * Every object keras-like's API constructs has a type a declaration file can name. tslab (the
 * TypeScript Jupyter kernel) compiles each cell with `declaration: true` and exports the cell's
 * top-level names, so that later cells see their types. When the class of a value is local to
 * its module, TypeScript writes the class out structurally, and a private or protected member
 * anywhere in its hierarchy stops the cell with TS4094 ("Property 'initSeed' of exported class
 * expression may not be private or protected"), which tslab reports as an empty `<Error>`: this is
 * why `let init = keras.initializers.RandomUniform(...)` failed in S11 on tslab and ran as a
 * script. So the implementation classes behind `callable()` (`RandomUniformInitializer`,
 * `DropoutLayer`, `EarlyStoppingCallback`, ...) are exported from their modules.
 *
 * The test walks the public API at run time, writes `export const v = instanceOf(keras.layers.X)`
 * for each class it finds, and compiles that with declaration emit, as tslab does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import * as keraslike from 'keras-like';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/.bin/tsc');
// Inside the repository, so that `import ... from 'keras-like'` resolves through tsconfig's paths.
const dir = mkdtempSync(join(root, '.declarations-'));
const outDir = mkdtempSync(join(tmpdir(), 'keras-like-declarations-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

/** A class has methods on its prototype; a plain function (`keras.Input`, `keras.losses.MSE`) has only `constructor`. */
function isClass(f: { prototype?: unknown }): boolean {
  const prototype = f.prototype;
  if (typeof prototype !== 'object' || prototype === null) return false;
  return Object.getPrototypeOf(prototype) !== Object.prototype || Object.getOwnPropertyNames(prototype).length > 1;
}

/** `keras.layers.Dropout`-like paths of the API's classes (callables with a prototype, Keras's capitalized names). */
function classPaths(): string[] {
  const paths: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 3 || value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      const at = `${path}.${key}`;
      if (typeof member === 'function' && /^[A-Z]/.test(key) && isClass(member)) paths.push(at);
      else if (typeof member === 'object') walk(member, at, depth + 1);
    }
  };
  // `tf` is TensorFlow.js's own namespace, re-exported as it is.
  for (const [name, value] of Object.entries(keraslike)) if (name !== 'tf' && name !== 'default') walk(value, `kl.${name}`, 0);
  return paths;
}

it('the classes the API constructs can be named in a declaration file (tslab compiles cells so)', { timeout: 180_000 }, async () => {
  const paths = classPaths();
  expect(paths).toContain('kl.keras.initializers.RandomUniform');
  expect(paths).toContain('kl.keras.callbacks.EarlyStopping');
  expect(paths).toContain('kl.keras.layers.Dropout');
  const lines = [
    "import * as kl from 'keras-like';",
    // Only the instance type matters; the constructor's arguments do not.
    'declare function instanceOf<T>(c: { prototype: T }): T;',
    ...paths.map((path, i) => `export const v${i} = instanceOf(${path});`),
  ];
  writeFileSync(join(dir, 'api.ts'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: '..', outDir },
      include: ['./api.ts', '../packages/keras-like/src/**/*.d.ts'],
    }),
  );
  const result = await promisify(execFile)(tsc, ['-p', join(dir, 'tsconfig.json')], { cwd: root }).then(
    () => '',
    (error: { stdout?: string }) => String(error.stdout),
  );
  // Each failing line names the class it was written for.
  const failing = [...result.matchAll(/api\.ts\((\d+),\d+\): error (TS\d+: [^\n]*)/g)].map(([, line, message]) => `${lines[Number(line) - 1]} → ${message}`);
  expect(failing).toEqual([]);
  expect(result).toBe('');
});
