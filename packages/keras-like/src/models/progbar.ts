/**
 * The progress bar `fit`, `evaluate` and `predict` print (Keras's `Progbar`),
 * in the format course notebooks show:
 *
 *   77/77 [==============================] - 0s 1ms/step - loss: 0.4521 - accuracy: 0.7812
 *
 * verbose 1 redraws the bar in place on a terminal or in a notebook (at most every
 * `interval` seconds; in Jupyter `\r` rewrites the line, as Keras's bar does there, and
 * nbconvert keeps the last draw) and prints only the finished line when output is not a
 * terminal (a log, a pipe, CI); verbose 2 prints one summary line per run.
 */
import { stdout, type TextStream } from '../utils/notebook.js';

/** Where the bar is written: the notebook cell's output or `process.stdout` by default (utils/notebook.ts). */
export type ProgbarStream = TextStream;

export interface ProgbarOptions {
  verbose?: number;
  width?: number;
  /** Minimum seconds between redraws on a terminal. */
  interval?: number;
  unit_name?: string;
  stream?: ProgbarStream;
  /** For tests: the clock, in seconds. */
  now?: () => number;
}

export type ProgbarValues = ReadonlyArray<readonly [string, number]>;

export class Progbar {
  /** Steps to reach; null when unknown (a generator read until it ends): drawn as `n/Unknown`, as Keras. */
  target: number | null;
  private readonly verbose: number;
  private readonly width: number;
  private readonly interval: number;
  private readonly unitName: string;
  private readonly stream: ProgbarStream;
  private readonly now: () => number;
  private readonly start: number;
  private lastUpdate = 0;
  private totalWidth = 0;
  private readonly dynamic: boolean;

  constructor(target: number | null, options: ProgbarOptions = {}) {
    this.target = target;
    this.verbose = options.verbose ?? 1;
    this.width = options.width ?? 30;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unit_name ?? 'step';
    this.stream = options.stream ?? stdout();
    this.now = options.now ?? (() => performance.now() / 1000);
    this.start = this.now();
    this.dynamic = this.stream.isTTY === true;
  }

  /** True when `update(current)` would draw something: callers read values only then. */
  wantsUpdate(current: number, finalize = this.target !== null && current >= this.target): boolean {
    if (this.verbose === 1) return finalize || (this.dynamic && this.now() - this.lastUpdate >= this.interval);
    return this.verbose === 2 && finalize;
  }

  /** Draws the bar at step `current` with `values` (already averaged, in display order). */
  update(current: number, values: ProgbarValues = [], finalize = this.target !== null && current >= this.target): void {
    if (!this.wantsUpdate(current, finalize)) return;
    const now = this.now();
    this.lastUpdate = now;
    const elapsed = now - this.start;
    const perStep = current > 0 ? elapsed / current : 0;
    const metrics = values.map(([name, value]) => ` - ${name}: ${formatValue(value)}`).join('');
    if (this.verbose === 2) {
      this.stream.write(
        `${this.counter(current)} - ${Math.round(elapsed)}s${metrics} - ${formatDuration(elapsed, 'epoch')} - ${formatDuration(perStep, this.unitName)}\n`,
      );
      return;
    }
    const target = this.target;
    const bar = target === null ? `${String(current).padStart(7)}/Unknown` : `${this.counter(current)} ${this.bar(current, target)}`;
    const info = finalize || target === null
      ? ` - ${Math.round(elapsed)}s ${formatDuration(perStep, this.unitName)}${metrics}`
      : ` - ETA: ${formatEta(perStep * (target - current))}${metrics}`;
    let line = bar + info;
    const previousWidth = this.totalWidth;
    this.totalWidth = line.length;
    if (this.dynamic) {
      // Overwrite the previous draw; pad when the new line is shorter.
      if (previousWidth > line.length) line += ' '.repeat(previousWidth - line.length);
      this.stream.write(`\r${line}${finalize ? '\n' : ''}`);
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  private counter(current: number): string {
    if (this.target === null) return `${String(current).padStart(7)}/Unknown`;
    const digits = String(this.target).length;
    return `${String(current).padStart(digits)}/${this.target}`;
  }

  private bar(current: number, target: number): string {
    const progress = target > 0 ? current / target : 1;
    const filled = Math.floor(this.width * progress);
    let bar = '[';
    if (filled > 0) bar += '='.repeat(filled - 1) + (current < target ? '>' : '=');
    bar += '.'.repeat(this.width - filled);
    return `${bar}]`;
  }
}

/** Keras's `%.4f`, or `%.4e` for magnitudes up to 1e-3 (Python pads the exponent to 2 digits). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value).toLowerCase().replace('infinity', 'inf');
  if (Math.abs(value) > 1e-3) return fixed4(value);
  const [mantissa, exponent] = value.toExponential(4).split('e');
  const sign = exponent!.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent!.replace(/^[-+]/, '').padStart(2, '0')}`;
}

/**
 * Python's `'%.4f'`: like `toFixed(4)`, except that an exact tie rounds to even
 * (0.78125 → '0.7812', where JavaScript gives '0.7813').
 */
function fixed4(value: number): string {
  const exact = Math.abs(value).toFixed(30);
  const point = exact.indexOf('.');
  if (/^50*$/.test(exact.slice(point + 5))) {
    const kept = exact.slice(0, point + 5);
    const lastDigit = Number(kept[kept.length - 1]);
    const down = `${value < 0 ? '-' : ''}${kept}`;
    if (lastDigit % 2 === 0) return down;
  }
  return value.toFixed(4);
}

/** `1ms/step`, `25us/step`, `2s/step`: Keras's time per unit. */
export function formatDuration(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/${unit}`;
  return `${Math.round(seconds * 1e6)}us/${unit}`;
}

function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  if (s > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (s > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}
