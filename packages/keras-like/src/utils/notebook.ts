/**
 * The notebook kernel keras-like runs in, if any, and how output reaches it. Read at each
 * call (never cached at import), and without depending on any kernel's package:
 *
 * - tslab (a Node kernel) sets `globalThis.__tslab__`, whose `require('tslab')` is the kernel's
 *   own display API (`display.png(bytes)`, `display.text(s)`, `display.raw(mime, data)`).
 *   It captures `process.stdout` as the cell's stream output.
 * - Deno's kernel (`deno jupyter`) has `Deno.jupyter` (`display(bundle, { raw: true })`,
 *   `broadcast(type, content)`); everywhere else reading `Deno.jupyter` throws. It captures
 *   `console`, not `process.stdout`, so text is sent as stream messages with `broadcast`.
 *
 * In plain Node or Deno there is no kernel: pictures go to files and text to the terminal.
 */

/** A MIME type and its data: text, or bytes (sent base64-encoded, as Jupyter's messages carry them). */
export type DisplayBundle = Readonly<Record<string, string | Uint8Array>>;

/** Where text output goes: what the progress bar and `Epoch 3/10` are written to. */
export interface TextStream {
  write(text: string): unknown;
  /** True when a line can be redrawn in place with `\r` (a terminal, or a notebook's output area). */
  readonly isTTY?: boolean;
}

interface TslabDisplay {
  raw(contentType: string, data: string | Uint8Array): void;
}

interface DenoJupyter {
  display(bundle: Record<string, string>, options: { raw: true }): Promise<void>;
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

type Kernel = { kind: 'tslab'; display: TslabDisplay } | { kind: 'deno'; jupyter: DenoJupyter };

function currentKernel(): Kernel | null {
  const global = globalThis as { __tslab__?: { require?: (id: string) => unknown }; Deno?: { jupyter?: DenoJupyter } };
  const tslab = global.__tslab__?.require?.('tslab') as { display?: TslabDisplay } | undefined;
  if (tslab?.display !== undefined) return { kind: 'tslab', display: tslab.display };
  if (global.Deno !== undefined) {
    try {
      const jupyter = global.Deno.jupyter;
      if (jupyter !== undefined) return { kind: 'deno', jupyter };
    } catch {
      // "Deno.jupyter is only available in `deno jupyter` subcommand": a plain Deno script.
    }
  }
  return null;
}

/** 'tslab', 'deno', or null outside a notebook. */
export function notebookKernel(): 'tslab' | 'deno' | null {
  return currentKernel()?.kind ?? null;
}

function base64(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/**
 * Shows `bundle` in the running cell's output as Jupyter display data (one output holding
 * every MIME type given; tslab's API takes one type per output, so there the first is shown).
 * Returns false, and does nothing, outside a notebook; the caller then writes a file or prints.
 */
export async function display(bundle: DisplayBundle): Promise<boolean> {
  const kernel = currentKernel();
  if (kernel === null) return false;
  if (kernel.kind === 'tslab') {
    const [type, data] = Object.entries(bundle)[0]!;
    kernel.display.raw(type, data);
    return true;
  }
  const encoded = Object.fromEntries(Object.entries(bundle).map(([type, data]) => [type, typeof data === 'string' ? data : base64(data)]));
  await kernel.jupyter.display(encoded, { raw: true });
  return true;
}

/** Like `display`, for callers that cannot wait (`model.summary()` is synchronous). */
export function displayNow(bundle: DisplayBundle): boolean {
  if (currentKernel() === null) return false;
  void display(bundle);
  return true;
}

/**
 * The cell's standard output in a notebook, or `process.stdout`. In both kernels the output
 * area redraws a line on `\r` (and nbconvert keeps only the last draw), so it counts as a
 * terminal, which is how Keras's progress bar treats a notebook.
 */
export function stdout(): TextStream {
  const kernel = currentKernel();
  if (kernel?.kind === 'deno') {
    const { jupyter } = kernel;
    return { isTTY: true, write: (text: string) => void jupyter.broadcast('stream', { name: 'stdout', text }) };
  }
  if (kernel?.kind === 'tslab') return { isTTY: true, write: writeToTslab };
  return process.stdout;
}

/**
 * tslab sends each `process.stdout.write` as one ZeroMQ message, and its socket accepts only
 * so many (about 500, measured) while JavaScript runs without yielding to the event loop, as
 * a long `fit` does; the next write throws "Socket is busy writing". That used to end the cell
 * with an empty `<Error>` (S11's 500-epoch fit, issue 18). Text that cannot be sent is held and
 * sent as one message when the event loop turns, that is once the cell's code has returned.
 */
let heldForTslab = '';
let tslabRetry: ReturnType<typeof setTimeout> | undefined;

function writeToTslab(text: string): void {
  heldForTslab += text;
  if (tslabRetry === undefined) sendHeldToTslab();
}

function sendHeldToTslab(): void {
  tslabRetry = undefined;
  try {
    process.stdout.write(heldForTslab);
    heldForTslab = '';
  } catch (error) {
    if (!/busy/i.test(String(error))) throw error;
    tslabRetry = setTimeout(sendHeldToTslab, 10);
  }
}
