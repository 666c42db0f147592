/**
 * Python's `str.format` for checkpoint paths: `'w-{epoch:02d}-{val_loss:.2f}.keras'` with
 * `{ epoch: 3, val_loss: 0.4567 }` gives `'w-03-0.46.keras'`. The format specs checkpoint
 * names use: `[0][width][.precision][d|f|e|g|%]`; a key missing from the values is a KeyError,
 * as in Python.
 */
import { ValueError } from '../errors.js';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;
const SPEC = /^(0?)(\d*)(?:\.(\d+))?([dfeg%]?)$/;

export function formatFilepath(template: string, values: Record<string, number>): string {
  return template.replace(FIELD, (_, key: string, spec: string | undefined) => {
    const value = values[key];
    if (value === undefined) {
      throw new ValueError(`Failed to format this callback filepath: "${template}". Reason: KeyError('${key}') (available keys: ${Object.keys(values).join(', ')})`);
    }
    return formatNumber(value, spec ?? '', template);
  });
}

function formatNumber(value: number, spec: string, template: string): string {
  const match = SPEC.exec(spec);
  if (match === null) throw new ValueError(`Failed to format this callback filepath: "${template}". Reason: unsupported format spec ':${spec}'`);
  const [, zero, width, precision, type] = match;
  const digits = precision === undefined ? 6 : Number(precision);
  let text: string;
  if (type === 'd') text = String(Math.trunc(value));
  else if (type === 'f') text = value.toFixed(digits);
  else if (type === 'e') text = value.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
  else if (type === '%') text = `${(value * 100).toFixed(digits)}%`;
  else if (type === 'g') text = String(Number(value.toPrecision(precision === undefined ? 6 : Math.max(1, digits))));
  else text = precision === undefined ? String(value) : value.toFixed(digits);
  const size = width === '' ? 0 : Number(width);
  if (text.length >= size) return text;
  if (zero === '0') return text.startsWith('-') ? `-${text.slice(1).padStart(size - 1, '0')}` : text.padStart(size, '0');
  return text.padStart(size, ' ');
}
