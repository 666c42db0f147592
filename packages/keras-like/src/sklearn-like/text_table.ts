/** Reading a delimited text file (CSV): its lines split into fields, quotes removed. */
import { readFileSync } from 'node:fs';
import { ValueError } from '../errors.js';

/** A URL cannot be read synchronously; the message says how to get a local file. */
export function readLocalText(owner: string, path: string | URL): string {
  const text = String(path);
  if (/^https?:\/\//.test(text)) {
    throw new ValueError(
      `${owner}: ${text} is a URL; keras-like reads local files only (Python's call is synchronous, a download is not). ` +
        'Download the file and pass its path (`keras-like port --data <dir>` does this for a ported notebook).',
    );
  }
  return readFileSync(path, 'utf8');
}

/** Splits one line at `delimiter`, honouring double quotes ("a, b" is one field). */
export function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n').filter((line) => line.trim() !== '');
}
