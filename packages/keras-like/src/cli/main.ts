#!/usr/bin/env node
/** The `keras-like` executable (package.json `bin`). */
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  // The translator checks names against keras-like itself (is `keras.layers.Conv2D` there?).
  api: async () => ({ top: (await import('../index.js')) as unknown as Record<string, unknown> }),
});
