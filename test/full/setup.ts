/**
 * Global set-up of the full tier (vitest.full.config.ts): packs keras-like as npm would
 * publish it (`npm pack`, which runs `prepack`, the build) and installs the tarball with npm
 * into a fresh project in the system's temp folder, outside the repository, as a user would
 * (`npm init -y && npm install keras-like.tgz tsx typescript`). Deno comes from npm too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const packageDir = fileURLToPath(new URL('../../packages/keras-like/', import.meta.url));

/** Runs npm; returns what it printed (stdout, and stderr, where its warnings go; also shown). */
function npm(args: string[], cwd: string): { stdout: string; stderr: string } {
  const child = spawnSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  process.stderr.write(child.stderr);
  if (child.status !== 0) throw new Error(`npm ${args.join(' ')} exited with ${child.status}\n${child.stderr}`);
  return { stdout: child.stdout, stderr: child.stderr };
}

export default function setup(project: TestProject): void {
  const root = mkdtempSync(join(tmpdir(), 'keras-like-user-'));
  // --json: npm's report of the tarball (its stdout, which the build leaves to npm).
  const packed = (JSON.parse(npm(['pack', '--json', '--pack-destination', root], packageDir).stdout) as PackReport[])[0]!;
  const tarball = join(root, readdirSync(root).find((file) => file.endsWith('.tgz'))!);
  const app = join(root, 'app');
  execFileSync('mkdir', ['-p', app]);
  npm(['init', '-y'], app); // "type": "commonjs", as npm makes it
  const install = npm(['install', '--engine-strict', '--no-audit', '--no-fund', tarball, 'tsx', 'typescript', '@types/node@20'], app);
  const tools = join(root, 'tools');
  execFileSync('mkdir', ['-p', tools]);
  npm(['init', '-y'], tools);
  npm(['install', '--no-audit', '--no-fund', 'deno@2'], tools);
  project.provide('userRoot', root);
  project.provide('tarball', tarball);
  project.provide('packed', { size: packed.size, unpackedSize: packed.unpackedSize, entryCount: packed.entryCount, files: packed.files.map((file) => file.path) });
  project.provide('installLog', install.stdout + install.stderr);
  project.provide('app', app);
  project.provide('deno', join(tools, 'node_modules/.bin/deno'));
}

/** The parts of `npm pack --json`'s report the tests read. */
interface PackReport {
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    userRoot: string;
    tarball: string;
    /** `npm pack --json`: packed and unpacked bytes, number of files, their paths. */
    packed: Omit<PackReport, 'files'> & { files: string[] };
    /** What `npm install <tarball> ...` printed (stdout and stderr). */
    installLog: string;
    app: string;
    deno: string;
  }
}
