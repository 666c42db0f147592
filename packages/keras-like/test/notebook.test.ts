/**
 * Inline display in notebooks (src/utils/notebook.ts), with each kernel's API stood in by a
 * recorder installed where the kernel puts it: tslab's `globalThis.__tslab__.require('tslab')`
 * and Deno's `Deno.jupyter`. The real kernels run in the full tier
 * (test/full/example_notebooks.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keras, plots, Sequential, Dense, tf } from '../src/index.js';
import { Progbar } from '../src/models/progbar.js';
import { display, notebookKernel, stdout } from '../src/utils/notebook.js';

interface Shown {
  type: string;
  data: string | Uint8Array;
}

const global = globalThis as Record<string, unknown>;

/** tslab's display API as its executor exposes it; returns what it was asked to show. */
function fakeTslab(): Shown[] {
  const shown: Shown[] = [];
  const tslab = { display: { raw: (type: string, data: string | Uint8Array) => shown.push({ type, data }) } };
  global.__tslab__ = { require: (id: string) => (id === 'tslab' ? tslab : undefined) };
  return shown;
}

/** Deno's kernel: `Deno.jupyter.display(bundle, { raw: true })` and `broadcast('stream', ...)`. */
function fakeDeno(): { bundles: Array<Record<string, string>>; streams: string[] } {
  const bundles: Array<Record<string, string>> = [];
  const streams: string[] = [];
  const jupyter = {
    display: async (bundle: Record<string, string>) => void bundles.push(bundle),
    broadcast: async (_type: string, content: { text: string }) => void streams.push(content.text),
  };
  global.Deno = { jupyter };
  return { bundles, streams };
}

afterEach(() => {
  delete global.__tslab__;
  delete global.Deno;
  vi.restoreAllMocks();
});

function smallModel() {
  const model = Sequential();
  model.add(Dense(2, { input_dim: 3 }));
  model.compile({ loss: 'mse', optimizer: 'sgd' });
  return model;
}

describe('notebook kernel detection', () => {
  it('finds none in plain Node, and a plain Deno script (where reading Deno.jupyter throws) is none either', async () => {
    expect(notebookKernel()).toBeNull();
    expect(await display({ 'text/plain': 'x' })).toBe(false);
    expect(stdout()).toBe(process.stdout);
    global.Deno = Object.defineProperty({}, 'jupyter', {
      get() {
        throw new Error('Deno.jupyter is only available in `deno jupyter` subcommand');
      },
    });
    expect(notebookKernel()).toBeNull();
  });

  it('finds tslab and Deno at call time', () => {
    fakeTslab();
    expect(notebookKernel()).toBe('tslab');
    delete global.__tslab__;
    fakeDeno();
    expect(notebookKernel()).toBe('deno');
  });

  it('sends bytes base64-encoded to Deno, and as bytes to tslab (which encodes them)', async () => {
    const { bundles } = fakeDeno();
    await display({ 'image/png': new Uint8Array([1, 2, 3]) });
    expect(bundles).toEqual([{ 'image/png': 'AQID' }]);
    delete global.Deno;
    const shown = fakeTslab();
    await display({ 'image/gif': new Uint8Array([1, 2, 3]) });
    expect(shown).toEqual([{ type: 'image/gif', data: new Uint8Array([1, 2, 3]) }]);
  });
});

describe('model.summary() in a notebook', () => {
  it('is one text/plain display output, the same table console.log prints elsewhere', () => {
    const model = smallModel();
    const lines: string[] = [];
    model.summary({ print_fn: (line) => lines.push(line) });
    const shown = fakeTslab();
    const log = vi.spyOn(console, 'log');
    model.summary();
    expect(log).not.toHaveBeenCalled();
    expect(shown).toEqual([{ type: 'text/plain', data: lines.join('\n') }]);
    expect(lines.join('\n')).toContain('Total params: 8');
  });
});

describe("fit's progress bar in a notebook", () => {
  const x = tf.ones([20, 3]);
  const y = tf.zeros([20, 2]);

  it("goes to Deno's stream messages (its kernel does not capture process.stdout), ending each epoch with its final line", () => {
    const { streams } = fakeDeno();
    const write = vi.spyOn(process.stdout, 'write');
    smallModel().fit(x, y, { epochs: 2, batch_size: 5 });
    expect(write).not.toHaveBeenCalled();
    const text = streams.join('');
    expect(text).toMatch(/^Epoch 1\/2\n(?:[^\n]*\r)?4\/4 \[=+\] - \d+s \d+u?m?s\/step - loss: \d\.\d{4} *\nEpoch 2\/2\n/);
    // What nbconvert keeps of each line: the text after its last \r.
    const kept = text.split('\n').map((line) => line.slice(line.lastIndexOf('\r') + 1));
    expect(kept.filter((line) => line.startsWith('4/4'))).toHaveLength(2);
  });

  it('redraws its line with \\r on tslab, as Keras does in Jupyter', () => {
    fakeTslab();
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    const bar = new Progbar(4, { interval: 0 });
    bar.update(1);
    bar.update(4);
    expect(written).toEqual([expect.stringMatching(/^\r1\/4 \[=+>?\.+\] - ETA: \d+s$/), expect.stringMatching(/^\r4\/4 \[=+\] - \d+s \d+u?m?s\/step *\n$/)]);
  });

  it("holds what tslab's busy socket refuses during a long fit, and sends it in one message once the cell's code returns", async () => {
    fakeTslab();
    // tslab's socket as measured: a few sends go through, then every send throws until the event loop runs.
    const sent: string[] = [];
    let accepted = 0;
    let busy = true;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      if (busy && accepted === 3) throw new Error('Socket is busy writing; only one send operation may be in progress at any time');
      accepted++;
      return sent.push(String(chunk)) > 0;
    });
    const history = smallModel().fit(x, y, { epochs: 5, batch_size: 5 });
    expect(history.history.loss).toHaveLength(5); // the fit ran to its end
    expect(sent).toHaveLength(3);
    busy = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(4); // the rest, as one message
    const kept = sent.join('').split('\n').map((line) => line.slice(line.lastIndexOf('\r') + 1));
    expect(kept.filter((line) => line.startsWith('Epoch '))).toEqual(['Epoch 1/5', 'Epoch 2/5', 'Epoch 3/5', 'Epoch 4/5', 'Epoch 5/5']);
    expect(kept.filter((line) => line.startsWith('4/4'))).toHaveLength(5);
  });
});

describe('pictures in a notebook', () => {
  it('plot_history shows a PNG and writes no file without a path', async () => {
    const shown = fakeTslab();
    const result = await keras.utils.plot_history({ history: { loss: [3, 2, 1] } });
    expect(result).toBeNull();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.type).toBe('image/png');
    expect(Buffer.from(shown[0]!.data as Uint8Array).subarray(1, 4).toString()).toBe('PNG');
  });

  it('plots.plot_paths shows an animated GIF', async () => {
    const shown = fakeTslab();
    const points: Array<[number, number]> = [[1, 0.1], [0.5, 0.3], [0.2, 0.9]];
    const result = await plots.plot_paths({ surface: (a, b) => tf.sub(tf.square(a), tf.square(b)), x: [-1, 1], y: [-1, 1], paths: [{ label: 'SGD', points }], animate: true, frames: 3 });
    expect(result).toBeNull();
    expect(shown.map((s) => s.type)).toEqual(['image/gif']);
    const gif = Buffer.from(shown[0]!.data as Uint8Array);
    expect(gif.subarray(0, 6).toString()).toBe('GIF89a');
    // Three frames: three graphic control extensions.
    expect(gif.toString('latin1').split('\u0021\u00f9\u0004').length - 1).toBe(3);
  });

  it('plots.plot_paths checks its arguments at the call', () => {
    const surface = (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b);
    expect(() => plots.plot_paths({ surface, x: [1, -1], y: [-1, 1], paths: [{ label: 'a', points: [[0, 0]] }] })).toThrow(/plot_paths.*`x` must be a range \[low, high\] with high > low/);
    expect(() => plots.plot_paths({ surface, x: [-1, 1], y: [-1, 1], paths: [] })).toThrow(/`paths` must hold at least one path/);
    expect(() => plots.plot_paths({ surface, x: [-1, 1], y: [-1, 1], paths: [{ label: 'a', points: [[0, 0]] }], path: 'race.png', animate: true })).toThrow(
      "plot_paths: `path` must end in .gif with animate=true. Received: path='race.png'",
    );
  });
});
