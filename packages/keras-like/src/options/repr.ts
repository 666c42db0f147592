/**
 * Python-flavoured `repr` of a received value, for error messages:
 * `Received: momentum=2`, `Received: activation='relu6x'`, `Received: input_shape=[10, 2]`.
 */
export function repr(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  if (Array.isArray(value)) {
    if (value.length > 8) return `[${value.slice(0, 8).map(repr).join(', ')}, ...] (length ${value.length})`;
    return `[${value.map(repr).join(', ')}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(length ${(value as unknown as ArrayLike<unknown>).length})`;
  if (typeof value === 'object') {
    const ctor = (value as object).constructor;
    if (ctor && ctor !== Object) return `<${ctor.name} object>`;
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${repr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}
