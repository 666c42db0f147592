/**
 * The plotting entry points the `keras` namespace exports. Each loads the
 * rendering libraries (vega, resvg) on first call, through `import()`, so
 * `import 'keras-like'` stays as light as before for a user who never plots.
 */
import type { HistoryLike, PlotHistoryOptions } from './plot_history.js';

export type { HistoryLike, PlotHistoryOptions };

/**
 * Writes the loss and metric curves of a `History` to a PNG or SVG file; resolves to the path.
 * See plot_history.ts for the options.
 */
export async function plot_history(history: HistoryLike, options?: PlotHistoryOptions): Promise<string> {
  const { plot_history: draw } = await import('./plot_history.js');
  return draw(history, options);
}
