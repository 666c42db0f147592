import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { countNear, darkPixels, distinctColours, readPng } from './image_checks.js';

const dir = mkdtempSync(join(tmpdir(), 'keras-like-plots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A run shaped like the course notebooks': loss falls, accuracy rises, validation lags.
const history = {
  history: {
    loss: [0.69, 0.52, 0.41, 0.35, 0.31, 0.29, 0.28, 0.27],
    val_loss: [0.7, 0.58, 0.5, 0.47, 0.46, 0.46, 0.47, 0.48],
    accuracy: [0.55, 0.7, 0.79, 0.83, 0.86, 0.87, 0.88, 0.89],
    val_accuracy: [0.52, 0.66, 0.72, 0.75, 0.76, 0.76, 0.75, 0.75],
  },
  epoch: [0, 1, 2, 3, 4, 5, 6, 7],
};
const TRAIN_BLUE = [0x1f, 0x77, 0xb4] as const;
const VALIDATION_ORANGE = [0xff, 0x7f, 0x0e] as const;

describe('keras.utils.plot_history', () => {
  it('writes a PNG with one panel per metric, train and validation curves, axes and a title', async () => {
    const path = join(dir, 'history.png');
    const written = await keras.utils.plot_history(history, { path, title: 'model' });
    expect(written).toBe(path);

    const picture = readPng(path);
    // Two panels of the default 360 x 240 side by side, plus axes, legend and title around them.
    expect(picture.width).toBeGreaterThan(2 * 360);
    expect(picture.width).toBeLessThan(2 * 360 + 300);
    expect(picture.height).toBeGreaterThan(240);
    expect(picture.height).toBeLessThan(240 + 150);
    // Both curves are drawn (line pixels in their colours, beyond the legend swatches) and
    // the picture holds text and grid lines, not a flat fill.
    expect(countNear(picture, TRAIN_BLUE)).toBeGreaterThan(300);
    expect(countNear(picture, VALIDATION_ORANGE)).toBeGreaterThan(300);
    expect(darkPixels(picture)).toBeGreaterThan(1000);
    expect(distinctColours(picture)).toBeGreaterThan(50);
  });

  it('renders the title text (the font loads)', async () => {
    const withTitle = readPng(await keras.utils.plot_history(history, { path: join(dir, 'titled.png'), title: 'Model loss and accuracy' }));
    const without = readPng(await keras.utils.plot_history(history, { path: join(dir, 'untitled.png') }));
    // The title adds a band of glyphs above the panels.
    expect(withTitle.height).toBeGreaterThan(without.height);
    const band = withTitle.height - without.height;
    expect(darkPixels(withTitle, 0, band)).toBeGreaterThan(150);
  });

  it('draws only the metrics asked for, and a history without validation', async () => {
    const lossOnly = readPng(
      await keras.utils.plot_history({ history: { loss: [3, 2, 1.5, 1.2] } }, { path: join(dir, 'loss.png'), metrics: 'loss' }),
    );
    expect(lossOnly.width).toBeLessThan(360 + 300);
    expect(countNear(lossOnly, TRAIN_BLUE)).toBeGreaterThan(100);
    // No validation curve, and no legend entry for one.
    expect(countNear(lossOnly, VALIDATION_ORANGE)).toBe(0);
  });

  it('writes SVG when the path ends in .svg, at the requested panel size', async () => {
    const path = join(dir, 'history.svg');
    await keras.utils.plot_history(history, { path, metrics: ['accuracy'], title: 'accuracy', width: 500, height: 300 });
    const svg = readFileSync(path, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const width = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(500);
    expect(width).toBeLessThan(500 + 300);
    for (const text of ['>accuracy<', '>epoch<', '>train<', '>validation<']) expect(svg).toContain(text);
    expect(svg).not.toContain('>loss<');
  });

  it('keeps a gap where a diverged run has NaN or Infinity', async () => {
    const path = join(dir, 'diverged.svg');
    await keras.utils.plot_history({ history: { loss: [1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 0.4] } }, { path });
    expect(readFileSync(path, 'utf8')).toContain('>loss<');
  });

  it('rejects wrong arguments at the call (before drawing), in Keras words', () => {
    expect(() => keras.utils.plot_history(history, { metrics: ['acc'] })).toThrow(
      "plot_history: `metrics` must name metrics recorded in the history (loss, val_loss, accuracy, val_accuracy). Received: metrics=['acc']",
    );
    expect(() => keras.utils.plot_history(history, { path: 'curves.jpg' })).toThrow(
      "plot_history: `path` must be a file name ending in .png or .svg. Received: path='curves.jpg'",
    );
    expect(() => keras.utils.plot_history(history, { width: -3 })).toThrow(
      'plot_history: `width` must be a positive integer (pixels). Received: width=-3',
    );
    expect(() => keras.utils.plot_history(history, { height: 2.5 })).toThrow('plot_history: `height` must be an integer. Received: height=2.5');
    expect(() => keras.utils.plot_history(history, { title: 3 as unknown as string })).toThrow(
      'plot_history: `title` must be a string. Received: title=3',
    );
    expect(() => keras.utils.plot_history(history, { metics: ['loss'] } as never)).toThrow('Did you mean `metrics`?');
    expect(() => keras.utils.plot_history({ history: { loss: [1, 'x'] } } as never)).toThrow(
      "plot_history: `history.history.loss` must be an array of numbers, one per epoch. Received: loss=[1, 'x']",
    );
    expect(() => keras.utils.plot_history([1, 2] as never)).toThrow('plot_history: `history` must be a History');
  });

  it('draws a real History: examples/training-curves.ts (Pima, validation_split) end to end', { timeout: 180_000 }, () => {
    const root = join(import.meta.dirname, '..');
    const out = execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'examples/training-curves.ts'), dir], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, EPOCHS: '5' },
    });
    expect(out).toContain(`wrote ${join(dir, 'training-curves.png')}`);
    const picture = readPng(join(dir, 'training-curves.png'));
    // loss and accuracy panels side by side, each with its train and validation curve.
    expect(picture.width).toBeGreaterThan(2 * 360);
    expect(countNear(picture, TRAIN_BLUE)).toBeGreaterThan(300);
    expect(countNear(picture, VALIDATION_ORANGE)).toBeGreaterThan(300);
  });

  it('is not loaded by `import "keras-like"` (the renderer loads on the first plot)', () => {
    const root = join(import.meta.dirname, '..');
    const out = execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/fixtures/plot_lazily.ts'), join(dir, 'lazy.svg')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ afterImport: false, afterPlot: true });
  });
});
