/**
 * The optimizer race: SGD, momentum, Nesterov, Adagrad, Adadelta, RMSprop and Adam
 * from keras-like's `optimizers`, each started from the same point of a 2-D loss
 * surface and given the same number of steps, as in the course notebook's
 * animations. For each surface it writes a contour plot with every path (PNG) and
 * an animation of the race (GIF) to examples/output/ (or the folder given):
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/optimizer-race.ts [output folder]
 *
 * Each step is the notebook's training loop on two weights, x and y:
 *
 *   grads = tape.gradient(loss, [x, y])                     # tf.grads(f)([x, y])
 *   optimizer.apply_gradients(zip(grads, [x, y]))           # optimizer.apply_gradients([[gx, x], [gy, y]])
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimizers, plots, tf } from 'keras-like';
import type { Landmark, Trajectory } from '../packages/keras-like/src/plot/contour.js';

/** A loss surface z = f(x, y), written with tf ops so it serves both autodiff and the contour grid. */
export interface Surface {
  readonly name: string;
  readonly title: string;
  readonly f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly start: readonly [number, number];
  readonly steps: number;
  /** Contours of log10(1 + z - min) show a surface whose values span many decades. */
  readonly logContours: boolean;
  readonly landmarks: readonly Landmark[];
  /** The racers' hyperparameters on this surface (a step that suits one surface diverges on another). */
  readonly racers: readonly Racer[];
}

/** One entry of the race: a name for the legend and a fresh optimizer. */
export interface Racer {
  readonly name: string;
  readonly make: () => optimizers.Optimizer;
}

export const BEALE: Surface = {
  name: 'beale',
  title: "Beale's function",
  // (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5).
  f: (x, y) =>
    tf.tidy(() =>
      tf.addN([
        tf.square(tf.add(tf.sub(1.5, x), tf.mul(x, y))),
        tf.square(tf.add(tf.sub(2.25, x), tf.mul(x, tf.square(y)))),
        tf.square(tf.add(tf.sub(2.625, x), tf.mul(x, tf.pow(y, 3)))),
      ]),
    ),
  x: [-4.5, 4.5],
  y: [-4.5, 4.5],
  start: [1, 1.5],
  steps: 300,
  logContours: true,
  landmarks: [{ x: 3, y: 0.5, label: 'minimum', shape: 'diamond' }],
  racers: racers({ sgd: 0.002, momentum: 0.0005, adagrad: 0.5, adadelta: 1.0, rmsprop: 0.01, adam: 0.05 }),
};

export const SADDLE: Surface = {
  name: 'saddle',
  title: 'Saddle point: z = x² − y²',
  f: (x, y) => tf.tidy(() => tf.sub(tf.square(x), tf.square(y))),
  x: [-1.5, 1.5],
  y: [-1.5, 1.5],
  // On the ridge, a hair off the axis where the gradient along y vanishes.
  start: [1, 0.001],
  steps: 200,
  logContours: false,
  landmarks: [{ x: 0, y: 0, label: 'saddle', shape: 'cross' }],
  racers: racers({ sgd: 0.01, momentum: 0.01, adagrad: 0.1, adadelta: 1.0, rmsprop: 0.01, adam: 0.02 }),
};

export const ROSENBROCK: Surface = {
  name: 'rosenbrock',
  title: 'Rosenbrock: (1 − x)² + 100 (y − x²)²',
  f: (x, y) => tf.tidy(() => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))))),
  x: [-2, 2],
  y: [-1, 3],
  start: [-1.5, 2],
  steps: 1000,
  logContours: true,
  landmarks: [{ x: 1, y: 1, label: 'minimum', shape: 'diamond' }],
  racers: racers({ sgd: 0.0008, momentum: 0.0002, adagrad: 0.5, adadelta: 1.0, rmsprop: 0.01, adam: 0.05 }),
};

export const SURFACES: readonly Surface[] = [BEALE, SADDLE, ROSENBROCK];

/** The seven racers of the notebook, with one learning rate each. */
function racers(lr: { sgd: number; momentum: number; adagrad: number; adadelta: number; rmsprop: number; adam: number }): Racer[] {
  return [
    { name: 'SGD', make: () => optimizers.SGD({ learning_rate: lr.sgd }) },
    { name: 'Momentum', make: () => optimizers.SGD({ learning_rate: lr.momentum, momentum: 0.9 }) },
    { name: 'Nesterov', make: () => optimizers.SGD({ learning_rate: lr.momentum, momentum: 0.9, nesterov: true }) },
    { name: 'Adagrad', make: () => optimizers.Adagrad({ learning_rate: lr.adagrad }) },
    { name: 'Adadelta', make: () => optimizers.Adadelta({ learning_rate: lr.adadelta, rho: 0.95 }) },
    { name: 'RMSprop', make: () => optimizers.RMSprop({ learning_rate: lr.rmsprop }) },
    { name: 'Adam', make: () => optimizers.Adam({ learning_rate: lr.adam }) },
  ];
}

/** "Momentum: SGD(learning_rate=0.01, momentum=0.9)": the racer's hyperparameters, read from the optimizer's own config. */
export function legendLabel(name: string, optimizer: optimizers.Optimizer): string {
  const config = optimizer.get_config() as unknown as Record<string, unknown>;
  const shown = ['learning_rate', 'momentum', 'nesterov', 'rho']
    .filter((key) => key in config && config[key] !== 0 && config[key] !== false)
    .map((key) => `${key}=${String(config[key])}`);
  const call = `${optimizer.class_name}(${shown.join(', ')})`;
  return name === optimizer.class_name ? call : `${name}: ${call}`;
}

/** Runs one racer for `surface.steps` steps from `surface.start`; returns every point it visited. */
export function runRacer(surface: Surface, racer: Racer): Trajectory {
  const optimizer = racer.make();
  // tidy disposes the initial scalars; the variables live until the finally below.
  const [x, y] = tf.tidy(() => surface.start.map((value, i) => tf.variable(tf.scalar(value), true, `${surface.name}_${racer.name}_${'xy'[i]}`)));
  const gradient = tf.grads((a: tf.Tensor, b: tf.Tensor) => surface.f(a, b));
  const points: Array<[number, number]> = [[...surface.start] as [number, number]];
  try {
    for (let step = 0; step < surface.steps; step++) {
      const [gx, gy] = gradient([x, y]);
      optimizer.apply_gradients([
        [gx!, x],
        [gy!, y],
      ]);
      tf.dispose([gx!, gy!]);
      points.push([x.dataSync()[0]!, y.dataSync()[0]!]);
    }
    return { label: legendLabel(racer.name, optimizer), points };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y]);
  }
}

/** Every racer on `surface`, in the legend's order. */
export function race(surface: Surface): Trajectory[] {
  return surface.racers.map((racer) => runRacer(surface, racer));
}

/** `plots.plot_paths`'s arguments for one surface's race: the surface, its landmarks and start, and every path. */
export function racePlot(surface: Surface, paths: readonly Trajectory[]): plots.PlotPathsOptions {
  return {
    title: `${surface.title}: ${surface.steps} steps from (${surface.start.join(', ')})`,
    surface: surface.f,
    x: [...surface.x],
    y: [...surface.y],
    log_contours: surface.logContours,
    paths: paths.map((path) => ({ label: path.label, points: path.points.map(([x, y]) => [x, y] as [number, number]) })),
    landmarks: [...surface.landmarks, { x: surface.start[0], y: surface.start[1], label: 'start', shape: 'circle' }],
  };
}

/** Races on every surface and writes `<surface>.png` and `<surface>.gif` into `outDir`; returns the files written. */
export async function main(outDir: string, options: { frames?: number } = {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const surface of SURFACES) {
    const plot = racePlot(surface, race(surface));
    written.push(await plots.plot_paths({ ...plot, path: join(outDir, `optimizer-race-${surface.name}.png`) }));
    written.push(await plots.plot_paths({ ...plot, animate: true, frames: options.frames ?? 40, path: join(outDir, `optimizer-race-${surface.name}.gif`) }));
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL('./output/', import.meta.url));
  for (const file of await main(outDir)) console.log(`wrote ${file}`);
}
