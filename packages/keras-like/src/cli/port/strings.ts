/**
 * Python string literals and formatting: a literal's value, the JavaScript literal for it,
 * and `'%.2f' % x` / f-string format specs turned into template-literal pieces.
 */

/** Splits `rb'''x'''` into its prefix, quote and body. */
export function splitLiteral(literal: string): { prefix: string; quote: string; body: string } {
  let i = 0;
  while (i < literal.length && /[a-zA-Z]/.test(literal[i]!)) i++;
  const prefix = literal.slice(0, i).toLowerCase();
  const rest = literal.slice(i);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  return { prefix, quote, body: rest.slice(quote.length, rest.length - quote.length) };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0',
};

/** The value of a Python string body, escapes resolved unless the literal is raw. */
export function decodeBody(body: string, raw: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[++i]!;
    if (next === '\n') continue; // a backslash-newline joins lines
    if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + width), 16));
      i += width;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else {
      out += `\\${next}`; // Python keeps unknown escapes as written
    }
  }
  return out;
}

/** The value of one Python string literal (`'a'`, `r"\d"`, `"""..."""`). */
export function stringValue(literal: string): string {
  const { prefix, body } = splitLiteral(literal);
  return decodeBody(body, prefix.includes('r'));
}

/** A single-quoted JavaScript literal for `value`. */
export function jsString(value: string): string {
  let out = "'";
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c < ' ') out += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}'`;
}

/** Text inside a template literal. */
export function templateText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/**
 * A Python format spec (`.2f`, `d`, `>8.3f`, `.1%`, `e`) applied to the JavaScript expression
 * `expr` (already parenthesised when needed); `undefined` for a spec this does not cover.
 */
export function formatSpec(spec: string, expr: string): string | undefined {
  // [[fill]align][sign][width][,][.precision][type] — the parts the course uses.
  const match = /^(?:(.)?([<>^]))?([+-])?(\d+)?(,)?(?:\.(\d+))?([fdieEgs%])?$/.exec(spec);
  if (!match) return undefined;
  const [, fill, align, sign, width, , precision, type] = match;
  let value: string;
  switch (type) {
    case 'f':
      value = `${expr}.toFixed(${precision ?? 6})`;
      break;
    case '%':
      value = `\`\${(${expr} * 100).toFixed(${precision ?? 6})}%\``;
      break;
    case 'e':
    case 'E':
      value = `${expr}.toExponential(${precision ?? 6})`;
      break;
    case 'd':
    case 'i':
      value = `Math.trunc(${expr}).toString()`;
      break;
    case 'g':
      value = precision !== undefined ? `${expr}.toPrecision(${precision})` : `String(${expr})`;
      break;
    case 's':
    case undefined:
      value = precision !== undefined && type === 's' ? `String(${expr}).slice(0, ${precision})` : `String(${expr})`;
      break;
    default:
      return undefined;
  }
  if (sign === '+') value = `(${expr} >= 0 ? '+' : '') + ${value}`;
  if (width !== undefined) {
    const pad = jsString(fill ?? ' ');
    // Python right-aligns numbers and left-aligns strings by default.
    const right = align === '>' || (align === undefined && type !== 's' && type !== undefined);
    value = `(${value}).${right ? 'padStart' : 'padEnd'}(${width}, ${pad})`;
  }
  return value;
}

/** One piece of a `%` format string: literal text, or a conversion applied to the next argument. */
export type PercentPiece = { text: string } | { spec: string; conversion: string };

/** Splits `'%s => %d (expected %.2f)'` into its pieces; `undefined` for what it does not cover (`%(name)s`, `*`). */
export function percentPieces(format: string): PercentPiece[] | undefined {
  const pieces: PercentPiece[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      text += c;
      continue;
    }
    if (format[i + 1] === '%') {
      text += '%';
      i++;
      continue;
    }
    const match = /^([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifFeEgGrx])/.exec(format.slice(i + 1));
    if (!match) return undefined;
    if (text) pieces.push({ text });
    text = '';
    const [whole, flags, width, precision, conversion] = match;
    const align = flags!.includes('-') ? '<' : '';
    const fill = flags!.includes('0') ? '0' : '';
    const sign = flags!.includes('+') ? '+' : '';
    const conv = conversion === 'F' ? 'f' : conversion === 'G' ? 'g' : conversion === 'r' || conversion === 'x' ? 's' : conversion!;
    const spec = `${fill && !align ? '0>' : align}${sign}${width ?? ''}${precision !== undefined ? `.${precision}` : ''}${conv}`;
    pieces.push({ spec, conversion: conversion! });
    i += whole!.length;
  }
  if (text) pieces.push({ text });
  return pieces;
}
