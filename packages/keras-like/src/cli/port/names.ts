/** Python names that are reserved in TypeScript get a trailing underscore (`default` → `default_`). */
const RESERVED = new Set([
  'arguments', 'case', 'catch', 'const', 'debugger', 'default', 'delete', 'do', 'enum', 'eval', 'export',
  'extends', 'function', 'implements', 'instanceof', 'interface', 'let', 'new', 'package', 'private',
  'protected', 'public', 'static', 'super', 'switch', 'this', 'throw', 'typeof', 'var', 'void', 'await',
  'undefined', 'NaN', 'Infinity', 'Object', 'Array', 'Math', 'Number', 'String', 'JSON', 'console',
]);

export function tsName(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}
