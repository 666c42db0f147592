/**
 * A contour plot of a 2-D loss surface with optimizer paths drawn over it, as a
 * Vega spec: filled isocontours (vega's `isocontour` transform), one line per
 * path, a marker at each path's current point, landmarks (start, minimum, saddle)
 * and a legend naming each path. The same spec draws the still picture and every
 * frame of the animation (animation.ts); a frame only changes the data.
 */
import type * as vega from 'vega';

/** Values of a surface sampled on a regular grid over `x` × `y`, row 0 at the top (largest y). */
export interface Grid {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly columns: number;
  readonly rows: number;
  /** `rows * columns` values, row by row; what the contours are drawn from (e.g. log-scaled loss). */
  readonly values: ArrayLike<number>;
}

/** One optimizer's path: the point after each step, starting with the start point. */
export interface Trajectory {
  /** The legend entry: the optimizer's name and hyperparameters. */
  readonly label: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** A marked point on the surface, such as the start, the minimum or the saddle. */
export interface Landmark {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly shape: 'circle' | 'cross' | 'diamond' | 'triangle-up';
}

export interface ContourPlot {
  readonly title: string;
  readonly grid: Grid;
  readonly paths: readonly Trajectory[];
  readonly landmarks?: readonly Landmark[];
  /** Size of the plotting area in pixels (the legend and axes come on top). Defaults to 440 x 440. */
  readonly width?: number;
  readonly height?: number;
  /** Number of contour levels. Defaults to 24. */
  readonly levels?: number;
}

/** Colours of the paths, in legend order: matplotlib's tab10, distinct on a light background. */
export const PATH_COLOURS = ['#d62728', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#1f77b4', '#bcbd22', '#7f7f7f'];

/** Cell-centre coordinates of a grid: `xs` left to right, `ys` top (largest y) to bottom. */
export function gridPoints(x: readonly [number, number], y: readonly [number, number], columns: number, rows: number) {
  const xs = Array.from({ length: columns }, (_, i) => x[0] + ((i + 0.5) * (x[1] - x[0])) / columns);
  const ys = Array.from({ length: rows }, (_, j) => y[1] - ((j + 0.5) * (y[1] - y[0])) / rows);
  return { xs, ys };
}

/** The number of steps of the longest path. */
export function lastStep(plot: ContourPlot): number {
  return Math.max(0, ...plot.paths.map((path) => path.points.length - 1));
}

/** One row of a path's data: where optimizer `path` is after `step` steps. */
export interface PathPoint {
  readonly path: string;
  readonly step: number;
  readonly x: number;
  readonly y: number;
}

/**
 * The rows of every path up to `step` (all of it by default). Coordinates are held
 * within one plot-width of the plot, which clips there anyway, so a diverging path
 * never asks the renderer to draw at 1e30 (only a single step longer than the plot
 * is drawn bent). Non-finite points end the path.
 */
export function pathRows(plot: ContourPlot, step = Infinity): PathPoint[] {
  const { x, y } = plot.grid;
  const clampTo = (value: number, [lo, hi]: readonly [number, number]) => Math.min(Math.max(value, 2 * lo - hi), 2 * hi - lo);
  const rows: PathPoint[] = [];
  for (const path of plot.paths) {
    for (let i = 0; i < path.points.length && i <= step; i++) {
      const [px, py] = path.points[i]!;
      if (!Number.isFinite(px) || !Number.isFinite(py)) break;
      rows.push({ path: path.label, step: i, x: clampTo(px, x), y: clampTo(py, y) });
    }
  }
  return rows;
}

/** The last row of each path in `rows`: where each optimizer is now. */
export function headRows(rows: readonly PathPoint[]): PathPoint[] {
  const last = new Map<string, PathPoint>();
  for (const row of rows) last.set(row.path, row);
  return [...last.values()];
}

/** The Vega spec of a contour plot; its `paths` and `heads` datasets and `step` signal are what a frame changes. */
export function contourSpec(plot: ContourPlot): vega.Spec {
  const { grid } = plot;
  const width = plot.width ?? 440;
  const height = plot.height ?? 440;
  const thresholds = evenLevels(grid.values, plot.levels ?? 24);
  const labels = plot.paths.map((path) => path.label);
  const rows = pathRows(plot);
  const xy = {
    x: { scale: 'x', field: 'x' },
    y: { scale: 'y', field: 'y' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width,
    height,
    padding: 10,
    autosize: 'pad',
    background: 'white',
    title: { text: plot.title, fontSize: 16, subtitle: { signal: "'step ' + step" }, subtitleFontSize: 12 },
    // The step the picture shows; an animation frame sets it (the still shows the last).
    signals: [{ name: 'step', value: lastStep(plot) }],
    data: [
      {
        name: 'grid',
        // d3-contour draws in cell units; `scale` stretches them to pixels.
        values: [{ width: grid.columns, height: grid.rows, values: Array.from(grid.values), scale: [width / grid.columns, height / grid.rows] }],
      },
      { name: 'contours', source: 'grid', transform: [{ type: 'isocontour', thresholds }] },
      { name: 'paths', values: rows },
      { name: 'heads', values: headRows(rows) },
      { name: 'landmarks', values: [...(plot.landmarks ?? [])] },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: [...grid.x], range: 'width', zero: false, nice: false },
      { name: 'y', type: 'linear', domain: [...grid.y], range: 'height', zero: false, nice: false },
      {
        name: 'level',
        type: 'linear',
        domain: [thresholds[0]!, thresholds[thresholds.length - 1]!],
        // Light enough that every path stays visible over it.
        range: { scheme: 'greys', extent: [0.02, 0.45] },
      },
      { name: 'path', type: 'ordinal', domain: labels, range: PATH_COLOURS.slice(0, Math.max(labels.length, 1)) },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'x', grid: false },
      { orient: 'left', scale: 'y', title: 'y', grid: false },
    ],
    legends: [
      {
        stroke: 'path',
        title: 'optimizer',
        orient: 'right',
        symbolType: 'stroke',
        symbolStrokeWidth: 3,
        labelLimit: 0,
        labelFontSize: 11,
      },
    ],
    marks: [
      {
        type: 'path',
        from: { data: 'contours' },
        clip: true,
        encode: {
          enter: {
            fill: { scale: 'level', field: 'contour.value' },
            stroke: { value: '#ffffff' },
            strokeWidth: { value: 0.6 },
          },
        },
        transform: [{ type: 'geopath', field: 'datum.contour' }],
      },
      {
        type: 'group',
        from: { facet: { name: 'path_points', data: 'paths', groupby: 'path' } },
        encode: { enter: { width: { signal: 'width' }, height: { signal: 'height' }, clip: { value: true } } },
        marks: [
          {
            type: 'line',
            from: { data: 'path_points' },
            sort: { field: 'datum.step' },
            encode: {
              update: { ...xy, stroke: { scale: 'path', field: 'path' }, strokeWidth: { value: 2.2 }, strokeOpacity: { value: 0.9 } },
            },
          },
        ],
      },
      {
        type: 'symbol',
        from: { data: 'heads' },
        clip: true,
        encode: {
          update: { ...xy, fill: { scale: 'path', field: 'path' }, stroke: { value: 'white' }, strokeWidth: { value: 1 }, size: { value: 70 } },
        },
      },
      {
        type: 'symbol',
        from: { data: 'landmarks' },
        encode: {
          enter: { ...xy, shape: { field: 'shape' }, fill: { value: 'black' }, size: { value: 110 } },
        },
      },
      {
        type: 'text',
        from: { data: 'landmarks' },
        encode: {
          enter: { ...xy, text: { field: 'label' }, dx: { value: 8 }, dy: { value: -8 }, fontSize: { value: 12 }, fill: { value: 'black' } },
        },
      },
    ],
  };
}

/**
 * The lowest value, then `count` levels evenly spaced above it: the lowest level's
 * polygon covers the whole grid, so no corner of the plot is left unfilled.
 */
function evenLevels(values: ArrayLike<number>, count: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) return [lo];
  return Array.from({ length: count + 1 }, (_, k) => lo + (k * (hi - lo)) / (count + 1));
}

/** The contour plot with every whole path, as PNG file bytes. */
export async function renderContourPng(plot: ContourPlot): Promise<Uint8Array> {
  const { loadRenderers, svgToPng, vegaToSvg } = await import('./render.js');
  await loadRenderers();
  return svgToPng(await vegaToSvg(contourSpec(plot)));
}
