/**
 * `keras-like port <notebook.ipynb> [-o out.ipynb | out.ts] [--kernel tslab|deno] [--data DIR]`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { KerasApi } from './context.js';
import { PortError, readNotebook, writeAtomically, type Kernel } from './notebook.js';
import { portNotebook, type PortResult } from './translate.js';
import { summaryText } from './summary.js';

export const PORT_USAGE = `Usage: keras-like port <notebook.ipynb> [-o <out.ipynb | out.ts>] [--kernel tslab|deno] [--data <dir>]

Translates a Python Keras notebook to TypeScript for keras-like (docs/porting.md, "keras-like port").
  -o, --output <file>  out.ipynb: a TypeScript notebook; out.ts: a script. Default: <notebook>.<kernel>.ipynb
  --kernel <name>      the notebook's kernel: tslab (default) or deno (imports 'npm:keras-like')
  --data <dir>         read files the notebook downloads (np.loadtxt / pd.read_csv of a URL) from <dir>,
                       matched by file name
`;

export interface PortArgs {
  readonly input: string;
  readonly output: string;
  readonly kernel: Kernel;
  readonly dataDir?: string;
}

export class UsageError extends Error {}

export function parsePortArgs(argv: readonly string[]): PortArgs {
  let input: string | undefined;
  let output: string | undefined;
  let kernel: Kernel = 'tslab';
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value.`);
      return v;
    };
    if (arg === '-o' || arg === '--output') output = next();
    else if (arg === '--kernel') {
      const k = next();
      if (k !== 'tslab' && k !== 'deno') throw new UsageError(`--kernel must be tslab or deno. Received: ${k}`);
      kernel = k;
    } else if (arg === '--data') dataDir = next();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}.`);
    else if (input === undefined) input = arg;
    else throw new UsageError(`one notebook at a time. Received a second one: ${arg}`);
  }
  if (input === undefined) throw new UsageError('which notebook? Give its path.');
  output ??= join(dirname(input), `${basename(input, extname(input))}.${kernel}.ipynb`);
  const ext = extname(output);
  if (ext !== '.ipynb' && ext !== '.ts') throw new UsageError(`-o must end in .ipynb (a notebook) or .ts (a script). Received: ${output}`);
  if (resolve(output) === resolve(input)) throw new UsageError('the output would overwrite the notebook itself; choose another -o.');
  return { input, output, kernel, ...(dataDir !== undefined ? { dataDir } : {}) };
}

/** The files of `--data DIR`, by lower-case name, as paths relative to the output's folder (where it runs). */
function dataFiles(dir: string | undefined, output: string): Map<string, string> {
  const files = new Map<string, string>();
  if (dir === undefined) return files;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PortError(`--data ${dir} is not a folder.`);
  for (const name of readdirSync(dir)) {
    const path = relative(dirname(resolve(output)), resolve(dir, name));
    files.set(name.toLowerCase(), path.startsWith('.') ? path : `./${path}`);
  }
  return files;
}

/** The command's translation, without writing it (scripts/port-table.ts tabulates the course from it). */
export function convertNotebook(args: PortArgs, api: KerasApi): PortResult {
  const notebook = readNotebook(args.input);
  const mode = extname(args.output) === '.ts' ? 'script' : 'notebook';
  return portNotebook(notebook, {
    api, mode, kernel: args.kernel, dataFiles: dataFiles(args.dataDir, args.output), name: basename(args.input),
  });
}

/** Runs the command; returns the summary. Throws PortError / UsageError for bad input. */
export function runPort(args: PortArgs, api: KerasApi): string {
  const result = convertNotebook(args, api);
  writeAtomically(args.output, result.text);
  return summaryText(result, args.input, args.output);
}
