/**
 * `plots.plot_paths`: optimizer paths over a 2-D loss surface, the S10 lesson's optimizer race,
 * as a contour plot (PNG) or, with `animate: true`, an animated GIF of the paths growing step
 * by step. Not a Keras function (the lesson's animations were matplotlib's): keras-like's
 * own, exported as `plots` next to the `sklearn` / `pandas` / `numpy` stand-ins.
 *
 *   const paths = [{ label: 'SGD', points: [[1, 0.001], [0.98, 0.00102], ...] }, ...];
 *   await plots.plot_paths({ surface: (x, y) => tf.sub(tf.square(x), tf.square(y)), x: [-1.5, 1.5], y: [-1.5, 1.5], paths, animate: true });
 *
 * In a notebook the picture shows in the cell's output (image/png or image/gif) and is
 * written only when `path` is given; elsewhere it is written to `path` (default
 * `paths.png` / `paths.gif`). The arguments are checked at the call; the renderers (optional
 * packages) load when it draws.
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { display } from '../utils/notebook.js';
import { ValueError } from '../errors.js';
// Both load the optional renderers only when they draw (packages.ts).
import { renderContourGif } from './animation.js';
import { renderContourPng, type ContourPlot } from './contour.js';

const OWNER = 'plot_paths';

const range = z
  .tuple([z.number(), z.number()], { error: 'must be a range [low, high]' })
  .refine(([lo, hi]) => hi > lo, { message: 'must be a range [low, high] with high > low' });
const point = z.tuple([z.number(), z.number()], { error: 'must be a point [x, y]' });
const positiveInt = z.number().int().positive({ message: 'must be a positive integer' });

const pathsSchema = z.object({
  /** The loss surface z = f(x, y), written with tf ops (it is evaluated on a grid of x, y tensors). */
  surface: z.custom<(x: tf.Tensor, y: tf.Tensor) => tf.Tensor>((v) => typeof v === 'function', { error: 'must be a function (x, y) => tf.Tensor' }),
  /** The plotted range of x. */
  x: range,
  /** The plotted range of y. */
  y: range,
  /** One path per optimizer: a legend label and the point after each step, starting with the start point. */
  paths: z.array(z.object({ label: z.string(), points: z.array(point).min(1) }), { error: 'must be a list of { label, points }' }).min(1, { message: 'must hold at least one path' }),
  /** A title above the plot. Defaults to none. */
  title: z.string().default(''),
  /** Points to mark, such as the minimum or the saddle. Defaults to none. */
  landmarks: z
    .array(z.object({ x: z.number(), y: z.number(), label: z.string(), shape: z.enum(['circle', 'cross', 'diamond', 'triangle-up']).default('circle') }))
    .default([]),
  /** Contours of log10(1 + z − min z), for a surface whose values span many decades (Rosenbrock, Beale). Defaults to false. */
  log_contours: z.boolean().default(false),
  /** An animated GIF of the paths growing, instead of a still PNG. Defaults to false. */
  animate: z.boolean().default(false),
  /** Frames of the animation (the last shows the whole paths). Defaults to 40. */
  frames: positiveInt.default(40),
  /** Where to write: `.png`, or `.gif` with `animate`. Defaults to `paths.png` / `paths.gif` outside a notebook. */
  path: z
    .string()
    .regex(/\.(png|gif)$/i, { message: 'must be a file name ending in .png or .gif' })
    .nullish(),
});

export type PlotPathsOptions = KerasOptions<typeof pathsSchema>;

/** Cell centres of a `columns` × `rows` grid, as contour.ts's `Grid` lays them out (row 0 at the top). */
function surfaceGrid(surface: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor, x: [number, number], y: [number, number], logContours: boolean, size = 160): ContourPlot['grid'] {
  const xs = Array.from({ length: size }, (_, i) => x[0] + ((i + 0.5) * (x[1] - x[0])) / size);
  const ys = Array.from({ length: size }, (_, j) => y[1] - ((j + 0.5) * (y[1] - y[0])) / size);
  const values = tf.tidy(() => {
    const [gx, gy] = tf.meshgrid(tf.tensor1d(xs), tf.tensor1d(ys));
    const z = surface(gx!, gy!);
    return logContours ? tf.div(tf.log1p(tf.sub(z, tf.min(z))), Math.LN10) : z;
  });
  const grid = { x, y, columns: size, rows: size, values: values.dataSync() as Float32Array };
  values.dispose();
  return grid;
}

/** Draws the paths; resolves to the file written, or null when the picture was only displayed. A wrong argument throws here. */
export function plot_paths(options: PlotPathsOptions & { path: string }): Promise<string>;
export function plot_paths(options: PlotPathsOptions): Promise<string | null>;
export function plot_paths(options: PlotPathsOptions): Promise<string | null> {
  const args = parseOptions(OWNER, pathsSchema, options);
  if (args.path != null && /\.gif$/i.test(args.path) !== args.animate) {
    throw new ValueError(`${OWNER}: \`path\` must end in ${args.animate ? '.gif with animate=true' : '.png without animate'}. Received: path='${args.path}'`);
  }
  const plot: ContourPlot = {
    title: args.title,
    grid: surfaceGrid(args.surface, args.x, args.y, args.log_contours),
    paths: args.paths,
    landmarks: args.landmarks,
  };
  return draw(plot, args.animate, args.frames, args.path ?? null);
}

async function draw(plot: ContourPlot, animate: boolean, frames: number, path: string | null): Promise<string | null> {
  const [type, bytes] = animate
    ? (['image/gif', await renderContourGif(plot, { frames })] as const)
    : (['image/png', await renderContourPng(plot)] as const);
  const shown = await display({ [type]: bytes });
  if (shown && path === null) return null;
  const file = path ?? (animate ? 'paths.gif' : 'paths.png');
  await writeFile(file, bytes);
  return file;
}
