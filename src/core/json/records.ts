/**
 * Records keyed by text from a store, a config file or a model file. A plain
 * `record[key] = value` with the key `__proto__` replaces the record's
 * prototype instead of adding the key, and `key in record` is true for
 * `constructor` or `toString` on an empty record. Both would drop data a user
 * stored, so records built from such keys go through these helpers.
 */

/** Sets `key` as an own enumerable property, `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Tells whether the record has `key` as its own property, whatever its prototype has. */
export function hasOwn(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}
