/**
 * Global set-up of the full tier (vitest.full.config.ts): packs keras-like as npm would
 * publish it (`npm pack`, which runs `prepack`, the build) and installs the tarball with npm
 * into a fresh project in the system's temp folder, outside the repository, as a user would
 * (`npm init -y && npm install keras-like.tgz tsx typescript`). Deno comes from npm too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const packageDir = fileURLToPath(new URL('../../packages/keras-like/', import.meta.url));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

export default function setup(project: TestProject): void {
  const root = mkdtempSync(join(tmpdir(), 'keras-like-user-'));
  npm(['pack', '--pack-destination', root], packageDir);
  const tarball = join(root, readdirSync(root).find((file) => file.endsWith('.tgz'))!);
  const app = join(root, 'app');
  execFileSync('mkdir', ['-p', app]);
  npm(['init', '-y'], app); // "type": "commonjs", as npm makes it
  npm(['install', '--engine-strict', '--no-audit', '--no-fund', tarball, 'tsx', 'typescript', '@types/node@20'], app);
  const tools = join(root, 'tools');
  execFileSync('mkdir', ['-p', tools]);
  npm(['init', '-y'], tools);
  npm(['install', '--no-audit', '--no-fund', 'deno@2'], tools);
  project.provide('userRoot', root);
  project.provide('tarball', tarball);
  project.provide('app', app);
  project.provide('deno', join(tools, 'node_modules/.bin/deno'));
}

declare module 'vitest' {
  export interface ProvidedContext {
    userRoot: string;
    tarball: string;
    app: string;
    deno: string;
  }
}
