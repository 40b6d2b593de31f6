/**
 * Checks for values a test or a benchmark expects to be there. They replace `x!` and `x as Foo`
 * casts that only drop `undefined` (forbidden by the lint config): a missing value fails at
 * once, with a message naming what was missing, instead of as a TypeError further on.
 * @module
 */

/**
 * `value`, checked to be there.
 * @param what names the value in the error, e.g. `"the first reply"`.
 * @throws {Error} when `value` is `undefined` or `null`.
 * @example const [reply] = fake.messages(7); expect(must(reply, "the bot's reply").text).toBe("Sveiki");
 */
export function must<T>(value: T, what: string): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}

/**
 * The `name=value` part of a response's Set-Cookie header, as a client sends it back: the
 * session cookie of a login that was expected to work.
 * @throws {Error} when the response sets no cookie.
 */
export function sessionCookie(res: Response): string {
  const [cookie] = (res.headers.get("set-cookie") ?? "").split(";");
  if (!cookie) throw new Error(`expected a Set-Cookie header (HTTP ${res.status})`);
  return cookie;
}

/**
 * A `let` that a setup assigns, read in a teardown as what it may be there: unset, when the setup
 * failed before assigning it. TypeScript reads `let app: App` as assigned everywhere, so the
 * lint calls `app?.close()` an unnecessary condition; `ifAssigned(app)?.close()` states the case.
 * @example afterAll(async () => { await ifAssigned(app)?.close(); if (ifAssigned(db)) await target.drop(db); });
 */
export function ifAssigned<T>(value: T): T | undefined {
  return value;
}
