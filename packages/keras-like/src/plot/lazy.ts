/**
 * The plotting entry points the `keras` namespace exports. The arguments are
 * checked here, at the call; the rendering libraries (vega, resvg) load on the
 * first plot, through `import()`, so `import 'keras-like'` stays as light as
 * before for a user who never plots.
 */
import { readPlotHistoryArgs, type HistoryLike, type PlotHistoryOptions } from './history_args.js';

export type { HistoryLike, PlotHistoryOptions };

/**
 * Writes the loss and metric curves of a `History` to a PNG or SVG file; resolves to its path:
 *
 *   const history = model.fit(x, y, { validation_split: 0.2, epochs: 50, verbose: 0 });
 *   await keras.utils.plot_history(history, { path: 'loss.png', metrics: ['loss', 'accuracy'], title: 'model' });
 *
 * Options (see docs/plots.md): `path` (`.png` or `.svg`; defaults to `'history.png'`),
 * `metrics` (one panel each, with its `val_` curve; defaults to every training key),
 * `title` (defaults to none), `width` and `height` of one panel (default 360 x 240).
 * A wrong argument throws here, before anything is drawn.
 */
export function plot_history(history: HistoryLike, options?: PlotHistoryOptions): Promise<string> {
  const args = readPlotHistoryArgs(history, options);
  return import('./plot_history.js').then(async ({ writeHistoryPlot }) => {
    await writeHistoryPlot(args);
    return args.path;
  });
}
