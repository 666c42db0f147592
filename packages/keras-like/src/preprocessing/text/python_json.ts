/**
 * Python's `json.dumps` with its defaults (`", "` and `": "` separators, non-ASCII escaped as
 * `\uXXXX`), so `Tokenizer.to_json()` writes the string Keras
 * writes and a file saved by either loads in the other.
 */

/** A JSON value whose objects keep their key order, as Python dicts do (`[key, value]` pairs). */
export type PyJson = string | number | boolean | null | PyJson[] | { readonly entries: ReadonlyArray<readonly [string, PyJson]> };

/** `{ entries }` for a Python dict in insertion order. */
export function dict(entries: Iterable<readonly [string | number, PyJson]>): PyJson {
  return { entries: Array.from(entries, ([k, v]) => [String(k), v] as const) };
}

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    // ensure_ascii: every code unit outside printable ASCII as \uXXXX (surrogate pairs stay pairs).
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function pythonJsonDumps(value: PyJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const object = value as { entries: ReadonlyArray<readonly [string, PyJson]> };
  return `{${object.entries.map(([k, v]) => `${quote(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}
