/**
 * One place that turns what a user passed into a validated options object, for
 * every public constructor and method (PORTING_SPEC §2 and §6):
 *
 * - keyword arguments are one plain object with Keras's snake_case keys;
 *   camelCase spellings are aliases, and giving both spellings is an error;
 * - positional arguments keep Keras's order (`SGD(0.01)`, `Dense(64, {...})`);
 * - an unknown key names the closest valid one;
 * - a wrong value fails here, with the owner, the argument and the value received.
 */
import type { z } from 'zod';
import { ValueError } from '../errors.js';
import type { WithCamelAliases } from './aliases.js';
import { repr } from './repr.js';
import { closestName } from './suggest.js';

export type { SnakeToCamel, WithCamelAliases } from './aliases.js';

/** What a user may pass for a schema: its input type, with camelCase aliases. */
export type KerasOptions<S extends z.ZodObject> = WithCamelAliases<z.input<S>>;

export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Validates a keyword-arguments object against `schema`; `owner` names the class or call in messages. */
export function parseOptions<S extends z.ZodObject>(owner: string, schema: S, given: unknown): z.output<S> {
  if (given !== undefined && given !== null && !isPlainObject(given)) {
    throw new TypeError(`${owner}: keyword arguments must be one plain object, such as { name: 'x' }. Received: ${repr(given)}`);
  }
  const normalized = normalizeKeys(owner, Object.keys(schema.shape), given ?? {});
  const result = schema.safeParse(normalized);
  if (result.success) return result.data;
  throw new ValueError(`${owner}: ${describeIssue(result.error.issues[0]!, normalized)}`);
}

/**
 * Like `parseOptions`, for calls with positional arguments in Keras's order:
 * `parseArgs('SGD', schema, ['learning_rate', 'momentum'], [0.01, { nesterov: true }])`.
 * A trailing plain object is the keyword arguments.
 */
export function parseArgs<S extends z.ZodObject>(
  owner: string,
  schema: S,
  positionalNames: readonly string[],
  args: readonly unknown[],
): z.output<S> {
  let positional = [...args];
  while (positional.length > 0 && positional[positional.length - 1] === undefined) positional.pop();
  let keywords: Record<string, unknown> = {};
  const last = positional[positional.length - 1];
  if (positional.length > 0 && (isPlainObject(last) || last === null) && positional.length <= positionalNames.length + 1) {
    // A plain object in the last slot is the keyword arguments, unless it fills a positional slot
    // that takes objects (a config); callers with such a slot pass it by keyword.
    keywords = (last as Record<string, unknown> | null) ?? {};
    positional = positional.slice(0, -1);
  }
  if (positional.length > positionalNames.length) {
    throw new TypeError(
      `${owner} takes at most ${positionalNames.length} positional argument(s) (${positionalNames.join(', ')}); ` +
        `received ${positional.length}. Pass the others as keyword arguments in one object.`,
    );
  }
  const merged: Record<string, unknown> = { ...keywords };
  positional.forEach((value, i) => {
    const key = positionalNames[i]!;
    if (value === undefined) return;
    if (key in keywords || snakeToCamel(key) in keywords) {
      throw new TypeError(`${owner} got multiple values for argument '${key}'.`);
    }
    merged[key] = value;
  });
  return parseOptions(owner, schema, merged);
}

function normalizeKeys(owner: string, keys: readonly string[], given: Record<string, unknown>): Record<string, unknown> {
  const byCamel = new Map(keys.map((key) => [snakeToCamel(key), key]));
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    const canonical = keys.includes(key) ? key : byCamel.get(key);
    if (canonical === undefined) {
      unknown.push(key);
      continue;
    }
    if (canonical in out) {
      throw new ValueError(
        `${owner}: both \`${canonical}\` and \`${snakeToCamel(canonical)}\` were given; they are the same argument, give only one.`,
      );
    }
    out[canonical] = value;
  }
  if (unknown.length > 0) {
    const listed = unknown.map((key) => `'${key}': ${repr(given[key])}`).join(', ');
    const suggestion = closestName(unknown[0]!, keys);
    throw new ValueError(
      `Unrecognized keyword arguments passed to ${owner}: {${listed}}.` +
        (keys.length === 0
          ? ` ${owner} takes no arguments.`
          : suggestion
            ? ` Did you mean \`${suggestion}\`?`
            : ` Valid arguments: ${keys.join(', ')}.`),
    );
  }
  return out;
}

/**
 * Turns a zod issue into Keras's sentence: "`momentum` must be a float between
 * [0, 1]. Received: momentum=2". Schemas give Keras's own wording as a custom
 * message starting with "must"; zod's generic issues are reworded the same way.
 */
function describeIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const key = issue.path.map(String).join('.') || 'value';
  const top = issue.path[0];
  const received = typeof top === 'string' ? given[top] : undefined;
  const receivedText = issue.path.length > 1 ? repr(pick(given, issue.path)) : repr(received);
  return `\`${key}\` ${expectation(issue)}. Received: ${key}=${receivedText}`;
}

function pick(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[step];
  }
  return current;
}

function expectation(issue: z.core.$ZodIssue): string {
  if (/^(must|should|is|cannot|expected)\b/.test(issue.message)) return issue.message.replace(/\.$/, '');
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be an integer' : `must be ${article(issue.expected)} ${issue.expected}`;
    case 'too_small':
      return `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => repr(v)).join(', ')}`;
    case 'invalid_union':
      return 'has an invalid type or value';
    default:
      return issue.message.replace(/^Invalid input: /, 'is invalid: ');
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
