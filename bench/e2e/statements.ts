/**
 * Counts the database statements a benchmark process sends, by their first line. Every
 * statement goes through a node-postgres client — PGlite's adapter too, and transactions' BEGIN
 * and COMMIT — so patching the client's `query` sees them all.
 * @module
 */
import pg from "pg";

/** A running count; `start()` and `stop()` bound what is counted. */
export interface StatementCounter {
  start(): void;
  stop(): void;
  /** Statements by their first line (at most 90 characters), with how often each was sent. */
  readonly counts: Map<string, number>;
  /** All statements counted. */
  total(): number;
}

/** Patches node-postgres once and returns the counter. */
export function countStatements(): StatementCounter {
  const counts = new Map<string, number>();
  let counting = false;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (counting) {
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text ?? "?";
      // The first line without splitting the whole text (a commit's text is a few KB; this runs per statement).
      const start = text.length - text.trimStart().length;
      const end = text.indexOf("\n", start);
      const key = text.slice(start, end < 0 ? start + 90 : Math.min(end, start + 90)).trimEnd();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return {
    start: () => { counting = true; },
    stop: () => { counting = false; },
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}
