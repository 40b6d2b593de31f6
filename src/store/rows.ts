/**
 * Reading query results whose row count the SQL itself guarantees.
 * @module
 */

/**
 * The row of an `INSERT … RETURNING` or of a lookup of a key just written: the statement always
 * gives one, so none is a bug and is thrown as one (never read as `undefined`).
 * @throws {Error} when `rows` is empty.
 */
export function onlyRow<T>(rows: readonly T[], statement: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`${statement} returned no row`);
  return row;
}
