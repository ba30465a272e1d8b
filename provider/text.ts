/**
 * A value of no known type (an input read from a `Record<string, unknown>`, a field of an object
 * read from a server, a caught error) as text: what `String()` writes, except for an object that
 * does not say how it reads, which `String()` would write as "[object Object]" and this writes
 * as JSON. A string, number, boolean, undefined or null, an Error, an array or a Secret reads
 * the same as with `String()`. Write `text(p.branch ?? 'main')` where `String(p.branch ?? 'main')`
 * was meant.
 */
export function text(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'symbol':
    case 'function':
      return value.toString();
    default: {
      if (value === null) return 'null';
      const own = (value as { toString?: unknown }).toString;
      // an object that says how it reads (an Error, a Date, an array, a Secret): as it says
      if (typeof own === 'function' && own !== Object.prototype.toString) return (value as { toString(): string }).toString();
      try {
        return JSON.stringify(value) ?? Object.prototype.toString.call(value);
      } catch {
        // a cycle: "[object Object]", as String() writes it
        return Object.prototype.toString.call(value);
      }
    }
  }
}
