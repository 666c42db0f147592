/**
 * The `keras-like` command line: subcommands by name. `main.ts` runs it; tests call `runCli`.
 */
import { PORT_USAGE, UsageError, parsePortArgs, runPort } from './port/command.js';
import { PortError } from './port/notebook.js';
import type { KerasApi } from './port/context.js';

export const USAGE = `Usage: keras-like <command> [options]

Commands:
  port <notebook.ipynb> [-o out.ipynb | out.ts]   translate a Python Keras notebook to TypeScript

Run \`keras-like port --help\` for the command's options.
`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** keras-like's API, loaded only by commands that need it. */
  readonly api: () => Promise<KerasApi>;
}

/** Runs one command; resolves to the process exit code (0 done, 1 bad input, 2 bad usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'port') {
    io.err(`keras-like: unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(PORT_USAGE);
    return 0;
  }
  try {
    const args = parsePortArgs(rest);
    io.out(runPort(args, await io.api()));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`keras-like port: ${error.message}\n\n${PORT_USAGE}`);
      return 2;
    }
    if (error instanceof PortError) {
      io.err(`keras-like port: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
