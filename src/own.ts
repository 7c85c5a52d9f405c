/**
 * Lookups on plain objects keyed by user-given names (node names, option values): only the
 * object's own keys count, so 'constructor' or '__proto__' never reach Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** record[key] = value as an own, enumerable property, even for key '__proto__'. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A table keyed by user-given names, as an API caller may pass it: a Map or a plain record. */
export type NameTable<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

/**
 * The Map of a name table: a record's own enumerable keys only (so 'constructor' or a '__proto__'
 * made with JSON.parse or setOwn is a name like any other, and nothing comes from Object.prototype).
 */
export function nameMap<T>(t: NameTable<T> | undefined): ReadonlyMap<string, T> {
  if (t === undefined) return new Map();
  if (t instanceof Map) return t as ReadonlyMap<string, T>;
  return new Map(Object.entries(t as Readonly<Record<string, T>>));
}
