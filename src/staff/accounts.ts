/**
 * Staff accounts: passwords hashed with scrypt (a memory-hard KDF from node:crypto), sessions as
 * random tokens stored only as hashes, a CSRF token per session, and login limits that hold under
 * concurrent requests: {@link MAX_FAILURES} per username **and** client address (an attacker
 * elsewhere cannot lock a working agent out) and {@link MAX_ADDRESS_FAILURES} per address over
 * all usernames (no spraying). Every attempt is counted before its password is checked, under a
 * lock per address, so parallel guesses cannot get past the count. Admins can unlock a username.
 * @module
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type pg from "pg";
import { maskPersonalData } from "../core/privacy.js";
import { sanitizeText } from "../core/sanitize.js";
import { KeyedMutex } from "../service/keyed-mutex.js";
import { withTransaction } from "../store/transaction.js";
import type { Role, StaffMember } from "./types.js";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MB and tens of milliseconds per hash). */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;
/** Failed logins allowed per username and client address within {@link FAILURE_WINDOW_MINUTES}. */
export const MAX_FAILURES = 5;
/** Failed logins allowed per client address over all usernames within {@link FAILURE_WINDOW_MINUTES}. */
export const MAX_ADDRESS_FAILURES = 20;
/** Identifies the advisory locks of login attempts (one per client address). */
const LOGIN_LOCK = 7_420_302;
const FAILURE_WINDOW_MINUTES = 15;
/** How long a console session lasts. */
const SESSION_HOURS = 12;

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: COST.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

interface StaffRow { id: string; username: string; display_name: string; role: Role; centres: string[]; password_hash: string; active: boolean }
const toMember = (r: StaffRow): StaffMember => ({ id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role, centres: r.centres });

/** Result of a login attempt. */
export type LoginResult =
  | { readonly ok: true; readonly staff: StaffMember; readonly token: string; readonly csrfToken: string }
  | { readonly ok: false; readonly reason: "invalid_credentials" | "too_many_attempts" };

/** Staff accounts and console sessions in PostgreSQL. */
export class StaffAccounts {
  /** Attempts from one address wait here, not on a database connection (a login storm must not empty the pool). */
  readonly #attempts = new KeyedMutex();
  constructor(private readonly pool: pg.Pool) {}

  /** Creates or updates an account (the password is hashed here). */
  async add(input: { username: string; password: string; displayName?: string; role: Role; centres?: readonly string[]; slackUserId?: string }): Promise<StaffMember> {
    if (!/^[a-z0-9._-]{2,40}$/.test(input.username)) throw new RangeError("username: 2–40 lowercase letters, digits, dots, dashes or underscores");
    if (input.password.length < 10) throw new RangeError("password: at least 10 characters");
    const hash = await hashPassword(input.password);
    const { rows } = await this.pool.query<StaffRow>(
      `INSERT INTO staff (username, display_name, password_hash, role, centres, slack_user_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
         role = EXCLUDED.role, centres = EXCLUDED.centres, slack_user_id = COALESCE(EXCLUDED.slack_user_id, staff.slack_user_id), active = true
       RETURNING id, username, display_name, role, centres, password_hash, active`,
      [input.username, input.displayName ?? input.username, hash, input.role, [...(input.centres ?? [])], input.slackUserId ?? null],
    );
    return toMember(rows[0] as StaffRow);
  }

  /** How many accounts exist (a fresh database has none). */
  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>("SELECT count(*) AS n FROM staff WHERE active");
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Checks a login from `address`. After {@link MAX_FAILURES} failures of this username from this
   * address in 15 minutes (or {@link MAX_ADDRESS_FAILURES} from the address in all) further
   * attempts are refused without looking at the password. The attempt is recorded as a failure
   * first and cleared when the password is right, so concurrent guesses are all counted.
   */
  async login(username: string, password: string, address = "unknown"): Promise<LoginResult> {
    const user = maskPersonalData(sanitizeText(username)).slice(0, 100);
    const where = address.slice(0, 64);
    const attempt = await this.#attempts.run(where, () => withTransaction(this.pool, async (db) => {
      await db.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOGIN_LOCK, where]);
      const { rows } = await db.query<{ mine: string; here: string }>(
        `SELECT count(*) FILTER (WHERE username = $1) AS mine, count(*) AS here FROM login_failures
         WHERE address = $2 AND at > now() - make_interval(mins => $3)`, [user, where, FAILURE_WINDOW_MINUTES]);
      if (Number(rows[0]?.mine ?? 0) >= MAX_FAILURES || Number(rows[0]?.here ?? 0) >= MAX_ADDRESS_FAILURES) return undefined;
      const inserted = await db.query<{ id: string }>("INSERT INTO login_failures (username, address) VALUES ($1, $2) RETURNING id", [user, where]);
      return inserted.rows[0]?.id;
    }));
    if (attempt === undefined) return { ok: false, reason: "too_many_attempts" };
    const { rows } = await this.pool.query<StaffRow>(
      "SELECT id, username, display_name, role, centres, password_hash, active FROM staff WHERE username = $1 AND active", [user]);
    const row = rows[0];
    // Hash even for unknown users, so timing does not tell which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    if (!row || !ok) return { ok: false, reason: "invalid_credentials" };
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await this.pool.query(
      "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))",
      [sha256(token), row.id, csrfToken, SESSION_HOURS]);
    await this.pool.query("DELETE FROM login_failures WHERE username = $1 AND address = $2", [user, where]);
    return { ok: true, staff: toMember(row), token, csrfToken };
  }

  /** Lets a locked username log in again (an admin's action); returns how many failures were cleared. */
  async unlock(username: string): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM login_failures WHERE username = $1", [username]);
    return rowCount ?? 0;
  }

  /** The staff member and CSRF token of a live session. */
  async session(token: string): Promise<{ staff: StaffMember; csrfToken: string } | undefined> {
    const { rows } = await this.pool.query<StaffRow & { csrf_token: string }>(
      `SELECT s.id, s.username, s.display_name, s.role, s.centres, s.password_hash, s.active, x.csrf_token
       FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = $1 AND x.expires_at > now() AND s.active`,
      [sha256(token)]);
    const row = rows[0];
    return row ? { staff: toMember(row), csrfToken: row.csrf_token } : undefined;
  }

  /** Ends a session. */
  async logout(token: string): Promise<void> {
    await this.pool.query("DELETE FROM staff_sessions WHERE token_hash = $1", [sha256(token)]);
  }

  /** The staff member linked to a Slack user. */
  async bySlackUser(slackUserId: string): Promise<StaffMember | undefined> {
    const { rows } = await this.pool.query<StaffRow>(
      "SELECT id, username, display_name, role, centres, password_hash, active FROM staff WHERE slack_user_id = $1 AND active", [slackUserId]);
    return rows[0] ? toMember(rows[0]) : undefined;
  }

  /** A staff member by id. */
  async byId(id: number): Promise<StaffMember | undefined> {
    const { rows } = await this.pool.query<StaffRow>("SELECT id, username, display_name, role, centres, password_hash, active FROM staff WHERE id = $1", [id]);
    return rows[0] ? toMember(rows[0]) : undefined;
  }
}
