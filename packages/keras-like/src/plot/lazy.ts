/**
 * The plotting entry points the `keras` namespace exports. The arguments are
 * checked here, at the call; the rendering libraries (vega, resvg) load on the
 * first plot, through `import()`, so `import 'keras-like'` stays as light as
 * before for a user who never plots.
 */
import { writeFile } from 'node:fs/promises';
import { display } from '../utils/notebook.js';
import { readPlotHistoryArgs, type HistoryLike, type PlotHistoryOptions } from './history_args.js';

export type { HistoryLike, PlotHistoryOptions };

/**
 * Draws the loss and metric curves of a `History`. In a notebook (tslab, Deno's kernel) the
 * picture shows in the cell's output, as matplotlib's does in Python, and is written to a file
 * only when `path` is given; elsewhere it is written to `path` (default `history.png`).
 * Resolves to the path written, or null when the picture was only displayed:
 *
 *   const history = model.fit(x, y, { validation_split: 0.2, epochs: 50, verbose: 0 });
 *   await keras.utils.plot_history(history, { path: 'loss.png', metrics: ['loss', 'accuracy'], title: 'model' });
 *
 * Options (see docs/plots.md): `path` (`.png` or `.svg`; defaults to `'history.png'`),
 * `metrics` (one panel each, with its `val_` curve; defaults to every training key),
 * `title` (defaults to none), `width` and `height` of one panel (default 360 x 240).
 * A wrong argument throws here, before anything is drawn.
 */
export function plot_history(history: HistoryLike, options: PlotHistoryOptions & { path: string }): Promise<string>;
export function plot_history(history: HistoryLike, options?: PlotHistoryOptions): Promise<string | null>;
export function plot_history(history: HistoryLike, options?: PlotHistoryOptions): Promise<string | null> {
  const args = readPlotHistoryArgs(history, options);
  const pathGiven = options?.path != null;
  return import('./plot_history.js').then(async ({ renderHistoryPlot }) => {
    const picture = await renderHistoryPlot(args);
    const shown = await display({ [picture.type]: picture.data });
    if (shown && !pathGiven) return null;
    await writeFile(args.path, picture.data);
    return args.path;
  });
}
