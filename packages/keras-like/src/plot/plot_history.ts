/**
 * `keras.utils.plot_history`: the picture every course notebook ends with,
 *
 *   plt.plot(history.history['loss']); plt.plot(history.history['val_loss'])
 *   plt.title('model loss'); plt.xlabel('epoch'); plt.legend(['train', 'test'])
 *
 * as one call that writes a PNG or SVG file: one panel per metric, the training
 * curve and (when present) the validation curve, with axes, legend and title.
 */
import { writeFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { FONT_FAMILY, svgToPng, vegaLiteToSvg } from './render.js';

/** What `fit` returns (a `History`), or any object shaped like it: `{ history: { loss: [...] } }`. */
export interface HistoryLike {
  /** One array per metric, one number per epoch, with Keras's keys (`loss`, `val_loss`, `accuracy`...). */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** The epoch indices (`History.epoch`); 0, 1, 2... when absent. */
  readonly epoch?: readonly number[];
}

const positiveInt = (what: string) => z.number().int().positive({ message: `must be a positive integer (${what})` });

const plotHistorySchema = z.object({
  /** Where to write; the extension chooses the format: `.png` or `.svg`. Defaults to `'history.png'`. */
  path: z
    .string()
    .regex(/\.(png|svg)$/i, { message: 'must be a file name ending in .png or .svg' })
    .default('history.png'),
  /**
   * The metrics to draw, one panel each, by their training key (`'loss'`, `'accuracy'`);
   * the `val_` curve of each is drawn with it. Defaults to every training key of the history.
   */
  metrics: z.union([z.string(), z.array(z.string())]).nullable().default(null),
  /** A title above the panels. Defaults to none. */
  title: z.string().nullable().default(null),
  /** Width of one panel, in pixels. Defaults to 360. */
  width: positiveInt('pixels').default(360),
  /** Height of one panel, in pixels. Defaults to 240. */
  height: positiveInt('pixels').default(240),
});

/** Options of `plot_history`. */
export type PlotHistoryOptions = KerasOptions<typeof plotHistorySchema>;

const OWNER = 'plot_history';
const TRAIN = 'train';
const VALIDATION = 'validation';
// matplotlib's first two colours, the ones the notebooks' plots show.
const TRAIN_COLOUR = '#1f77b4';
const VALIDATION_COLOUR = '#ff7f0e';

/**
 * Writes the loss and metric curves of a training run to a PNG or SVG file and
 * returns its path. Asynchronous (it loads the renderer on first use):
 *
 *   const history = model.fit(x, y, { validation_split: 0.2, epochs: 50, verbose: 0 });
 *   await keras.utils.plot_history(history, { path: 'loss.png', metrics: ['loss', 'accuracy'], title: 'model' });
 */
export async function plot_history(history: HistoryLike, options?: PlotHistoryOptions): Promise<string> {
  const { path, metrics, title, width, height } = parseOptions(OWNER, plotHistorySchema, options);
  const series = readHistory(history);
  const names = metrics === null ? defaultMetrics(series) : typeof metrics === 'string' ? [metrics] : metrics;
  checkMetrics(names, series);
  const epochs = epochIndices(history, series);
  const svg = await vegaLiteToSvg(historySpec(series, names, epochs, { title, width, height }));
  await writeFile(path, /\.svg$/i.test(path) ? svg : svgToPng(svg));
  return path;
}

function readHistory(history: HistoryLike): Map<string, readonly number[]> {
  const record: unknown = (history as { history?: unknown } | null | undefined)?.history;
  if (typeof record !== 'object' || record === null) {
    throw new TypeError(`${OWNER}: \`history\` must be a History or an object { history: { loss: [...] } }. Received: history=${repr(history)}`);
  }
  const series = new Map<string, readonly number[]>();
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) {
      throw new ValueError(`${OWNER}: \`history.history.${key}\` must be an array of numbers, one per epoch. Received: ${key}=${repr(values)}`);
    }
    series.set(key, values);
  }
  if (series.size === 0) throw new ValueError(`${OWNER}: \`history.history\` must hold at least one metric. Received: history.history={}`);
  return series;
}

function defaultMetrics(series: Map<string, readonly number[]>): string[] {
  const train = [...series.keys()].filter((key) => !key.startsWith('val_'));
  // A history of validation curves only still gets its panels.
  return train.length > 0 ? train : [...series.keys()].map((key) => key.slice('val_'.length));
}

function checkMetrics(names: readonly string[], series: Map<string, readonly number[]>): void {
  const unknown = names.find((name) => !series.has(name) && !series.has(`val_${name}`));
  if (names.length === 0 || unknown !== undefined) {
    throw new ValueError(
      `${OWNER}: \`metrics\` must name metrics recorded in the history (${[...series.keys()].join(', ')}). ` +
        `Received: metrics=${repr(names)}`,
    );
  }
}

function epochIndices(history: HistoryLike, series: Map<string, readonly number[]>): readonly number[] {
  const longest = Math.max(...[...series.values()].map((values) => values.length));
  const given = history.epoch;
  // Keras numbers epochs from 0 in `History.epoch`, as matplotlib's x axis does for a plain list.
  return given !== undefined && given.length >= longest ? given : Array.from({ length: longest }, (_, i) => i);
}

interface Layout {
  readonly title: string | null;
  readonly width: number;
  readonly height: number;
}

function historySpec(
  series: Map<string, readonly number[]>,
  metrics: readonly string[],
  epochs: readonly number[],
  layout: Layout,
): TopLevelSpec {
  const manyEpochs = epochs.length > 50;
  // The legend names only the curves that exist: no "validation" entry for a run without one.
  const hasValidation = metrics.some((metric) => series.has(`val_${metric}`));
  const legend = hasValidation
    ? { domain: [TRAIN, VALIDATION], range: [TRAIN_COLOUR, VALIDATION_COLOUR] }
    : { domain: [TRAIN], range: [TRAIN_COLOUR] };
  const panels = metrics.map((metric) => ({
    title: metric,
    width: layout.width,
    height: layout.height,
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
    ...(layout.title === null ? {} : { title: { text: layout.title, fontSize: 16, anchor: 'middle' } }),
    config: { font: FONT_FAMILY, background: 'white' },
    columns: 2,
    // Panels aligned by their plotting areas (not by their axis labels), with room for the axes between.
    bounds: 'flush',
    spacing: { row: 80, column: 80 },
    concat: panels,
    resolve: { scale: { color: 'shared' } },
  };
}

function rows(series: Map<string, readonly number[]>, metric: string, epochs: readonly number[]) {
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
