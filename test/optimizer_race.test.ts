import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { tf } from 'keras-like';
import { headRows, PATH_COLOURS, pathRows, type ContourPlot, type Trajectory } from '../packages/keras-like/src/plot/contour.js';
import { main, race, SADDLE, SURFACES } from '../examples/optimizer-race.js';
import { changedPixels, countNear, distinctColours, readGif, readPng } from './image_checks.js';

type Point = readonly [number, number];

/** Steps spent within `radius` of the saddle point (0, 0). */
const stepsNearSaddle = (points: readonly Point[], radius = 0.5) => points.filter(([x, y]) => Math.hypot(x, y) < radius).length;
/** The first step at which the path is 1 away from the ridge along y (the way down), or Infinity. */
const escapeStep = (points: readonly Point[]) => {
  const step = points.findIndex(([, y]) => Math.abs(y) > 1);
  return step === -1 ? Infinity : step;
};

describe('optimizer race: trajectories', () => {
  let paths: Trajectory[] = [];
  let byName = new Map<string, readonly Point[]>();
  beforeAll(() => {
    paths = race(SADDLE);
    byName = new Map(paths.map((path) => [path.label.split(/[:(]/)[0]!, path.points]));
  });

  it('runs every racer from the same start for the same number of steps, with a legend naming its hyperparameters', () => {
    expect(paths.map((path) => path.label)).toEqual([
      'SGD(learning_rate=0.01)',
      'Momentum: SGD(learning_rate=0.01, momentum=0.9)',
      'Nesterov: SGD(learning_rate=0.01, momentum=0.9, nesterov=true)',
      'Adagrad(learning_rate=0.1)',
      'Adadelta(learning_rate=1, rho=0.95)',
      'RMSprop(learning_rate=0.01, rho=0.9)',
      'Adam(learning_rate=0.02)',
    ]);
    for (const path of paths) {
      expect(path.points).toHaveLength(SADDLE.steps + 1);
      expect(path.points[0]).toEqual([1, 0.001]);
    }
  });

  it("follows gradient descent's closed form on the saddle", () => {
    // z = x² − y² has ∂z/∂x = 2x and ∂z/∂y = −2y, so plain SGD with step lr multiplies
    // x by (1 − 2·lr) and y by (1 + 2·lr) at every step: x_t = 0.98^t, y_t = 0.001 · 1.02^t.
    const sgd = byName.get('SGD')!;
    for (const t of [1, 10, 100, 200]) {
      expect(sgd[t]![0]).toBeCloseTo(0.98 ** t, 5);
      expect(sgd[t]![1]).toBeCloseTo(0.001 * 1.02 ** t, 5);
    }
  });

  it('shows SGD stalling at the saddle longer than the adaptive methods', () => {
    const sgd = byName.get('SGD')!;
    // SGD walks down to the saddle and sits there: after the whole budget it is still near it.
    expect(Math.hypot(...sgd[sgd.length - 1]!)).toBeLessThan(0.1);
    for (const name of ['Adagrad', 'Adadelta', 'RMSprop', 'Adam']) {
      const adaptive = byName.get(name)!;
      // Each adaptive method rescales the tiny y-gradient per coordinate and leaves the ridge.
      expect(escapeStep(adaptive), name).toBeLessThan(SADDLE.steps);
      expect(escapeStep(sgd), name).toBeGreaterThan(escapeStep(adaptive));
      expect(stepsNearSaddle(sgd), name).toBeGreaterThan(stepsNearSaddle(adaptive) + 100);
    }
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    race(SADDLE);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('optimizer race: pictures', () => {
  it('cuts paths at a step, holds diverged points near the plot and ends a path at NaN', () => {
    const plot: ContourPlot = {
      title: 't',
      grid: { x: [-1, 1], y: [0, 2], columns: 2, rows: 2, values: [0, 1, 2, 3] },
      paths: [
        { label: 'a', points: [[0, 1], [0.5, 1.5], [1e30, -1e30], [0.2, 0.2]] },
        { label: 'b', points: [[0, 1], [Number.NaN, 1], [0, 0]] },
      ],
    };
    expect(pathRows(plot, 1).map((row) => [row.path, row.step])).toEqual([['a', 0], ['a', 1], ['b', 0]]);
    const rows = pathRows(plot);
    // x within [-1, 1] is held to [-3, 3] (one plot-width out), y within [0, 2] to [-2, 4].
    expect(rows.find((row) => row.path === 'a' && row.step === 2)).toMatchObject({ x: 3, y: -2 });
    expect(rows.filter((row) => row.path === 'b')).toHaveLength(1);
    expect(headRows(rows).map((row) => [row.path, row.step])).toEqual([['a', 3], ['b', 0]]);
  });

  it('writes, per surface, a contour PNG with every path and a GIF of the race', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-like-race-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const frames = 6;
    const written = await main(dir, { frames });
    expect(written).toHaveLength(2 * SURFACES.length);

    for (const surface of SURFACES) {
      const png = readPng(join(dir, `optimizer-race-${surface.name}.png`));
      // The 440 x 440 plotting area, plus axes and title, plus the legend on the right.
      expect(png.height).toBeGreaterThan(440);
      expect(png.height).toBeLessThan(440 + 150);
      expect(png.width).toBeGreaterThan(440 + 200);
      expect(png.width).toBeLessThan(440 + 700);
      // Contour bands, seven path colours, text: a real picture, not a flat fill.
      expect(distinctColours(png)).toBeGreaterThan(100);
      for (const colour of PATH_COLOURS.slice(0, surface.racers.length)) {
        const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
        expect(countNear(png, rgb, 20), `${surface.name} ${colour}`).toBeGreaterThan(20);
      }

      const gif = readGif(join(dir, `optimizer-race-${surface.name}.gif`));
      expect([gif.width, gif.height]).toEqual([png.width, png.height]);
      expect(gif.frames).toHaveLength(frames);
      // The last frame stays up longest, before the loop restarts.
      expect(gif.delays[frames - 1]).toBeGreaterThan(gif.delays[0]!);
      // Frames differ (the paths grow), and each is a picture (contours), not a blank.
      const first = gif.frames[0]!;
      const last = gif.frames[frames - 1]!;
      expect(changedPixels(first, last)).toBeGreaterThan(1000);
      expect(distinctColours(first)).toBeGreaterThan(20);
    }
  });
});
