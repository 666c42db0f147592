/**
 * Draws `keras.utils.plot_history`: the picture every course notebook ends with,
 *
 *   plt.plot(history.history['loss']); plt.plot(history.history['val_loss'])
 *   plt.title('model loss'); plt.xlabel('epoch'); plt.legend(['train', 'test'])
 *
 * as a PNG or SVG picture: one panel per metric, the training curve and (when present)
 * the validation curve, with axes, legend and title. The arguments come checked from
 * history_args.ts; this module loads the renderer.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryPlotArgs } from './history_args.js';
import { FONT_FAMILY, loadRenderers, svgToPng, vegaLiteToSvg } from './render.js';

const TRAIN = 'train';
const VALIDATION = 'validation';
// matplotlib's first two colours, the ones the notebooks' plots show.
const TRAIN_COLOUR = '#1f77b4';
const VALIDATION_COLOUR = '#ff7f0e';

/** The curves as a picture: SVG text, or PNG bytes (`format` follows `args.path`'s extension). */
export async function renderHistoryPlot(args: HistoryPlotArgs): Promise<{ type: 'image/svg+xml'; data: string } | { type: 'image/png'; data: Uint8Array }> {
  await loadRenderers();
  const svg = await vegaLiteToSvg(historySpec(args));
  return /\.svg$/i.test(args.path) ? { type: 'image/svg+xml', data: svg } : { type: 'image/png', data: svgToPng(svg) };
}

function historySpec({ series, metrics, epochs, title, width, height }: HistoryPlotArgs): TopLevelSpec {
  const manyEpochs = epochs.length > 50;
  // The legend names only the curves that exist: no "validation" entry for a run without one.
  const hasValidation = metrics.some((metric) => series.has(`val_${metric}`));
  const legend = hasValidation
    ? { domain: [TRAIN, VALIDATION], range: [TRAIN_COLOUR, VALIDATION_COLOUR] }
    : { domain: [TRAIN], range: [TRAIN_COLOUR] };
  const panels = metrics.map((metric) => ({
    title: metric,
    width,
    height,
    data: { values: rows(series, metric, epochs) },
    // Points mark each epoch while there are few enough to see them apart.
    mark: { type: 'line' as const, point: !manyEpochs, clip: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
      // Flush end labels keep every panel's top edge (and so its title) at the same height.
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false }, axis: { labelFlush: true } },
      color: {
        field: 'series',
        type: 'nominal' as const,
        title: null,
        scale: legend,
      },
    },
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title === null ? {} : { title: { text: title, fontSize: 16, anchor: 'middle' } }),
    config: { font: FONT_FAMILY, background: 'white' },
    columns: 2,
    // Panels aligned by their plotting areas (not by their axis labels), with room for the axes between.
    bounds: 'flush',
    spacing: { row: 80, column: 80 },
    concat: panels,
    resolve: { scale: { color: 'shared' } },
  };
}

function rows(series: ReadonlyMap<string, readonly number[]>, metric: string, epochs: readonly number[]) {
  const out: Array<{ series: string; epoch: number; value: number | null }> = [];
  for (const [label, key] of [
    [TRAIN, metric],
    [VALIDATION, `val_${metric}`],
  ] as const) {
    // A diverged run (NaN, Infinity) leaves a gap rather than breaking the axis.
    series.get(key)?.forEach((value, i) => out.push({ series: label, epoch: epochs[i]!, value: Number.isFinite(value) ? value : null }));
  }
  return out;
}
