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
