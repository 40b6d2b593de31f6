/**
 * A pure function of a string, remembered for recent keys: the same message or word is read by
 * several parts of one turn (language, intents, scope, retrieval). The memory is bounded by
 * emptying it when full, which is cheap and keeps the recent keys of a busy moment.
 * @module
 */

/**
 * `compute` remembered for up to `limit` keys. The values are shared between callers: they must
 * not be changed.
 * @example const folded = memoize(4096, (text) => text.toLowerCase());
 */
export function memoize<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
