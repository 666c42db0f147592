/**
 * The arguments of `keras.utils.plot_history`, read and checked without loading
 * any renderer, so a wrong argument fails at the call, as every keras-like call does.
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';

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

/** What plot_history draws: the checked options, the curves by key, the panels and the epoch axis. */
export interface HistoryPlotArgs {
  readonly path: string;
  readonly title: string | null;
  readonly width: number;
  readonly height: number;
  readonly series: ReadonlyMap<string, readonly number[]>;
  readonly metrics: readonly string[];
  readonly epochs: readonly number[];
}

/** Reads `plot_history(history, options)`; throws a Keras-worded error on a wrong argument. */
export function readPlotHistoryArgs(history: HistoryLike, options?: PlotHistoryOptions): HistoryPlotArgs {
  const { path, metrics, title, width, height } = parseOptions(OWNER, plotHistorySchema, options);
  const series = readHistory(history);
  const names = metrics === null ? defaultMetrics(series) : typeof metrics === 'string' ? [metrics] : metrics;
  checkMetrics(names, series);
  return { path, title, width, height, series, metrics: names, epochs: epochIndices(history, series) };
}
