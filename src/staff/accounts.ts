/**
 * Staff accounts: passwords hashed with scrypt (a memory-hard KDF from node:crypto), sessions as
 * random tokens stored only as hashes, a CSRF token per session, and login limits that hold under
 * concurrent requests: {@link MAX_FAILURES} per username **and** client address (an attacker
 * elsewhere cannot lock a working agent out) and {@link MAX_ADDRESS_FAILURES} per address over
 * all usernames (no spraying). Every attempt is counted before its password is checked, under a
 * lock per address, so parallel guesses cannot get past the count. Admins can unlock a username.
 *
 * Admins manage the accounts in the console ({@link StaffAccounts.create}, `update`,
 * `resetPassword`, `unlockBy`): a new or reset password is a one-time password, shown once to the
 * admin and to be replaced by its owner at the next login (`mustChangePassword`); every change is
 * written to the audit log. The command line (`cli staff add`) stays for the first admin.
 * @module
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type pg from "pg";
import { maskPersonalData } from "../core/privacy.js";
import { sanitizeText } from "../core/sanitize.js";
import { KeyedMutex } from "../service/keyed-mutex.js";
import { AccountError } from "../core/errors.js";
import { withTransaction } from "../store/transaction.js";
import type { Role, StaffMember } from "./types.js";
import { onlyRow } from "../store/rows.js";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MB and tens of milliseconds per hash). */
export const PASSWORD_COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
let passwordCost: { readonly N: number; readonly r: number; readonly p: number; readonly maxmem: number } = PASSWORD_COST;

/**
 * Hashes new passwords (and the check for unknown usernames) with scrypt's N = `n` in this
 * process; `PASSWORD_COST.N` restores the default. For the in-process tests only, where hashing at
 * full cost is most of the time of every login; a stored hash carries its own N, so both verify.
 */
export function setPasswordCostForTests(n: number): void {
  passwordCost = { ...PASSWORD_COST, N: n };
}
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
  const key = await scrypt(password, salt, KEY_LENGTH, passwordCost);
  return `scrypt$${passwordCost.N}$${passwordCost.r}$${passwordCost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: passwordCost.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

interface StaffRow { id: string; username: string; display_name: string; role: Role; centres: string[]; password_hash: string; active: boolean; must_change_password: boolean }
const toMember = (r: StaffRow): StaffMember => ({ id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role, centres: r.centres });

/** An account as admins see it in the console. */
export interface AccountView extends StaffMember {
  readonly active: boolean;
  /** The password was set by an admin (a one-time password): its owner sets their own at the next login. */
  readonly mustChangePassword: boolean;
  /** Too many failed logins in the last 15 minutes (from one address): an admin can unlock it. */
  readonly locked: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastLoginAt: string | null;
}

/** What an admin gives for a new account. */
export interface NewAccount {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly centres: readonly string[];
}

/** What an admin may change on an account (the username stays). */
export interface AccountChanges {
  readonly displayName?: string;
  readonly role?: Role;
  readonly centres?: readonly string[];
  readonly active?: boolean;
}

/** An account with its new one-time password (shown to the admin once, never stored in clear). */
export interface AccountWithPassword {
  readonly account: AccountView;
  readonly password: string;
}

/** One account action of the audit log. */
export interface AccountLogEntry {
  readonly at: string;
  /** Who did it (null: the account was removed since, or the command line). */
  readonly by: { readonly username: string; readonly displayName: string } | null;
  readonly action: string;
  readonly account: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Valid usernames: 2–40 lowercase letters, digits, dots, dashes or underscores. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{2,40}$/;
/** The shortest password a staff member may choose. */
export const MIN_PASSWORD_LENGTH = 10;
/** Letters of one-time passwords: no 0/o, 1/l/i that are easy to mistake when read out. */
const OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A one-time password such as `k7mq-3xhz-p9ta` (about 71 bits). */
export function oneTimePassword(): string {
  const bytes = randomBytes(12);
  const letters = [...bytes].map((b) => OTP_ALPHABET.charAt(b % OTP_ALPHABET.length)).join("");
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8, 12)}`;
}

const ACCOUNT_COLUMNS = `s.id, s.username, s.display_name, s.role, s.centres, s.password_hash, s.active, s.must_change_password,
  s.created_at, s.updated_at, s.last_login_at,
  EXISTS (SELECT 1 FROM login_failures f WHERE f.username = s.username AND f.at > now() - make_interval(mins => ${FAILURE_WINDOW_MINUTES})
    GROUP BY f.address HAVING count(*) >= ${MAX_FAILURES}) AS locked`;

type AccountRow = StaffRow & { created_at: Date; updated_at: Date; last_login_at: Date | null; locked: boolean };
const toView = (r: AccountRow): AccountView => ({
  ...toMember(r), active: r.active, mustChangePassword: r.must_change_password, locked: r.locked,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), lastLoginAt: r.last_login_at?.toISOString() ?? null,
});

type Db = Pick<pg.Pool, "query">;

/** Writes an account action to the audit log. */
async function audit(db: Db, by: StaffMember | undefined, action: string, detail: Record<string, unknown>): Promise<void> {
  await db.query("INSERT INTO audit_log (staff_id, action, detail) VALUES ($1, $2, $3::jsonb)", [by?.id ?? null, action, JSON.stringify(detail)]);
}

/** Result of a login attempt. */
export type LoginResult =
  | { readonly ok: true; readonly staff: StaffMember; readonly token: string; readonly csrfToken: string; readonly mustChangePassword: boolean }
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
         role = EXCLUDED.role, centres = EXCLUDED.centres, slack_user_id = COALESCE(EXCLUDED.slack_user_id, staff.slack_user_id), active = true,
         must_change_password = false, updated_at = now()
       RETURNING id, username, display_name, role, centres, password_hash, active`,
      [input.username, input.displayName ?? input.username, hash, input.role, [...(input.centres ?? [])], input.slackUserId ?? null],
    );
    return toMember(onlyRow(rows, "INSERT INTO staff … RETURNING"));
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
      "SELECT id, username, display_name, role, centres, password_hash, active, must_change_password FROM staff WHERE username = $1 AND active", [user]);
    const row = rows[0];
    // Hash even for unknown users, so timing does not tell which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? `scrypt$${passwordCost.N}$${passwordCost.r}$${passwordCost.p}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`);
    if (!row || !ok) return { ok: false, reason: "invalid_credentials" };
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await this.pool.query(
      "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))",
      [sha256(token), row.id, csrfToken, SESSION_HOURS]);
    await this.pool.query("DELETE FROM login_failures WHERE username = $1 AND address = $2", [user, where]);
    await this.pool.query("UPDATE staff SET last_login_at = now() WHERE id = $1", [row.id]);
    return { ok: true, staff: toMember(row), token, csrfToken, mustChangePassword: row.must_change_password };
  }

  /** Lets a locked username log in again; returns how many failures were cleared. */
  async unlock(username: string): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM login_failures WHERE username = $1", [username]);
    return rowCount ?? 0;
  }

  /** An admin unlocks a username (audit-logged); returns how many failures were cleared. */
  async unlockBy(by: StaffMember, username: string): Promise<number> {
    const cleared = await this.unlock(username);
    await audit(this.pool, by, "account-unlocked", { account: username, cleared });
    return cleared;
  }

  // ---- accounts managed by admins ----------------------------------------------------------

  /** Every account, active ones first, then by name. */
  async list(): Promise<AccountView[]> {
    const { rows } = await this.pool.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff s ORDER BY s.active DESC, s.display_name, s.username`);
    return rows.map(toView);
  }

  /** An account just written in `db`'s transaction; none is `not_found`. */
  async #written(username: string, db: Db): Promise<AccountView> {
    const view = await this.account(username, db);
    if (!view) throw new AccountError("not_found", `There is no account '${username}'.`);
    return view;
  }

  /** One account, or undefined. */
  async account(username: string, db: Db = this.pool): Promise<AccountView | undefined> {
    const { rows } = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff s WHERE s.username = $1`, [username]);
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /**
   * An admin adds an account with a one-time password (returned once).
   * @throws {AccountError} `bad_request` for an invalid username, name or centres; `account_exists` when the username is taken.
   */
  async create(by: StaffMember, input: NewAccount): Promise<AccountWithPassword> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME_PATTERN.test(username)) throw new AccountError("bad_request", "The username needs 2–40 lowercase letters, digits, dots, dashes or underscores.");
    const displayName = checkName(input.displayName);
    checkCentres(input.role, input.centres);
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    const account = await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO staff (username, display_name, password_hash, role, centres, must_change_password) VALUES ($1, $2, $3, $4, $5, true)
         ON CONFLICT (username) DO NOTHING RETURNING id`, [username, displayName, hash, input.role, [...input.centres]]);
      if (!rows[0]) throw new AccountError("account_exists", `There is already an account '${username}'.`);
      await audit(db, by, "account-created", { account: username, displayName, role: input.role, centres: [...input.centres] });
      return await this.#written(username, db);
    });
    return { account, password };
  }

  /**
   * An admin changes an account's name, role, centres or whether it is active. Deactivating ends
   * its sessions. Admins cannot deactivate themselves or give up their own admin role, and the
   * last active admin stays.
   * @throws {AccountError} `not_found`, `bad_request` or `last_admin`.
   */
  async update(by: StaffMember, username: string, changes: AccountChanges): Promise<AccountView> {
    return withTransaction(this.pool, async (db) => {
      // Admin changes wait for each other: two admins cannot demote each other at once.
      await db.query("SELECT id FROM staff WHERE role = 'admin' AND active FOR UPDATE");
      const current = await this.account(username, db);
      if (!current) throw new AccountError("not_found", `There is no account '${username}'.`);
      const role = changes.role ?? current.role;
      const active = changes.active ?? current.active;
      const centres = changes.centres ?? current.centres;
      const displayName = changes.displayName !== undefined ? checkName(changes.displayName) : current.displayName;
      if (active) checkCentres(role, centres);
      if (current.id === by.id && (!active || role !== "admin")) {
        throw new AccountError("last_admin", "You cannot deactivate your own account or give up your own admin role; ask another admin.");
      }
      if (current.role === "admin" && current.active && (role !== "admin" || !active)) {
        const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM staff WHERE role = 'admin' AND active AND id <> $1", [current.id]);
        if (Number(rows[0]?.n ?? 0) === 0) throw new AccountError("last_admin", "This is the last active admin account.");
      }
      const diff: Record<string, unknown> = {};
      if (displayName !== current.displayName) diff.displayName = displayName;
      if (role !== current.role) diff.role = role;
      if (centres.join(",") !== current.centres.join(",")) diff.centres = [...centres];
      if (active !== current.active) diff.active = active;
      if (Object.keys(diff).length === 0) return current;
      await db.query("UPDATE staff SET display_name = $2, role = $3, centres = $4, active = $5, updated_at = now() WHERE id = $1",
        [current.id, displayName, role, [...centres], active]);
      if (!active) await db.query("DELETE FROM staff_sessions WHERE staff_id = $1", [current.id]);
      const action = diff.active === false ? "account-deactivated" : diff.active === true ? "account-reactivated" : "account-updated";
      await audit(db, by, action, { account: username, changes: diff });
      return await this.#written(username, db);
    });
  }

  /**
   * An admin resets a password: a new one-time password (returned once), the old sessions end and
   * the username is unlocked.
   * @throws {AccountError} `not_found`.
   */
  async resetPassword(by: StaffMember, username: string): Promise<AccountWithPassword> {
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    const account = await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        "UPDATE staff SET password_hash = $2, must_change_password = true, updated_at = now() WHERE username = $1 RETURNING id", [username, hash]);
      const id = rows[0]?.id;
      if (!id) throw new AccountError("not_found", `There is no account '${username}'.`);
      await db.query("DELETE FROM staff_sessions WHERE staff_id = $1", [id]);
      await db.query("DELETE FROM login_failures WHERE username = $1", [username]);
      await audit(db, by, "password-reset", { account: username });
      return await this.#written(username, db);
    });
    return { account, password };
  }

  /**
   * A staff member replaces their password (after a one-time password, or any time). Their other
   * sessions end.
   * @returns false when the current password is wrong.
   * @throws {AccountError} `bad_request` when the new password is too short or the same.
   */
  async changePassword(staff: StaffMember, currentToken: string, current: string, next: string): Promise<boolean> {
    if (next.length < MIN_PASSWORD_LENGTH) throw new AccountError("bad_request", `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (next === current) throw new AccountError("bad_request", "The new password must differ from the current one.");
    const { rows } = await this.pool.query<{ password_hash: string }>("SELECT password_hash FROM staff WHERE id = $1 AND active", [staff.id]);
    if (!rows[0] || !(await verifyPassword(current, rows[0].password_hash))) return false;
    const hash = await hashPassword(next);
    await withTransaction(this.pool, async (db) => {
      await db.query("UPDATE staff SET password_hash = $2, must_change_password = false, updated_at = now() WHERE id = $1", [staff.id, hash]);
      await db.query("DELETE FROM staff_sessions WHERE staff_id = $1 AND token_hash <> $2", [staff.id, sha256(currentToken)]);
      await audit(db, staff, "password-changed", { account: staff.username });
    });
    return true;
  }

  /** The latest account actions of the audit log, newest first. */
  async accountLog(limit = 50): Promise<AccountLogEntry[]> {
    const { rows } = await this.pool.query<{ at: Date; username: string | null; display_name: string | null; action: string; detail: Record<string, unknown> }>(
      `SELECT a.at, s.username, s.display_name, a.action, a.detail FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
       WHERE a.ticket_id IS NULL AND a.action IN ('account-created', 'account-updated', 'account-deactivated', 'account-reactivated', 'password-reset', 'password-changed', 'account-unlocked')
       ORDER BY a.at DESC, a.id DESC LIMIT $1`, [limit]);
    return rows.map((r) => {
      const { account, ...detail } = r.detail;
      return {
        at: r.at.toISOString(), by: r.username ? { username: r.username, displayName: r.display_name ?? r.username } : null,
        action: r.action, account: typeof account === "string" ? account : "", detail,
      };
    });
  }

  /** The staff member and CSRF token of a live session, and whether they must set their own password first. */
  async session(token: string): Promise<{ staff: StaffMember; csrfToken: string; mustChangePassword: boolean } | undefined> {
    const { rows } = await this.pool.query<StaffRow & { csrf_token: string }>(
      `SELECT s.id, s.username, s.display_name, s.role, s.centres, s.password_hash, s.active, s.must_change_password, x.csrf_token
       FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = $1 AND x.expires_at > now() AND s.active`,
      [sha256(token)]);
    const row = rows[0];
    return row ? { staff: toMember(row), csrfToken: row.csrf_token, mustChangePassword: row.must_change_password } : undefined;
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

/** A display name: trimmed, 1–100 characters, without control characters. */
function checkName(name: string): string {
  const clean = sanitizeText(name).trim();
  if (clean.length < 1 || clean.length > 100) throw new AccountError("bad_request", "The name needs 1–100 characters.");
  return clean;
}

/** Agents need at least one centre (they see only their centres' tickets). */
function checkCentres(role: Role, centres: readonly string[]): void {
  if (role === "agent" && centres.length === 0) throw new AccountError("bad_request", "An agent needs at least one centre.");
}
