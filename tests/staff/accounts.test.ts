/**
 * Accounts managed by admins through the staff API: add agents, editors and admins with a
 * one-time password that its owner replaces at the first login, set centres and roles,
 * deactivate and reactivate, reset a password, unlock a locked username — every action in the
 * audit log. The first admin comes from `staffAccounts.add()` (what `cli staff add` calls).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, MAX_FAILURES, oneTimePassword, PASSWORD_COST, setPasswordCostForTests, verifyPassword } from "../../src/staff/accounts.js";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { StaffClient, type StaffAnswer } from "../support/staff-client.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface Account { username: string; displayName: string; role: string; centres: string[]; active: boolean; mustChangePassword: boolean; locked: boolean; lastLoginAt: string | null }

const code = (answer: StaffAnswer): string | undefined => (answer.json.error as { code?: string } | undefined)?.code;
const OTP = /^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/;

const targets = await databaseTargets("accounts");

describe.each(targets)("accounts in the console, on $name", (target) => {
  let app: App;
  let db: Database;
  let admin: StaffClient;

  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    await app.staffAccounts.add({ username: "ilze", password: "the first admin's password", displayName: "Ilze", role: "admin" });
    admin = await StaffClient.login(app.url, "ilze", "the first admin's password");
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  const account = async (username: string): Promise<Account | undefined> =>
    ((await admin.call("GET", "/accounts")).json.accounts as Account[]).find((a) => a.username === username);

  it("adds an agent with a one-time password that must be replaced at the first login", async () => {
    const created = await admin.call("POST", "/accounts", { username: "Anna.Berzina", displayName: "Anna Bērziņa", role: "agent", centres: ["cenu-ozolnieku"] });
    expect(created.status).toBe(201);
    expect(created.json.account).toMatchObject({ username: "anna.berzina", displayName: "Anna Bērziņa", role: "agent", centres: ["cenu-ozolnieku"], active: true, mustChangePassword: true, locked: false, lastLoginAt: null });
    const password = created.json.password as string;
    expect(password).toMatch(OTP);
    // Shown once: the list never carries a password or its hash.
    expect(JSON.stringify((await admin.call("GET", "/accounts")).json)).not.toMatch(new RegExp(`${password}|scrypt`));

    const anna = await StaffClient.login(app.url, "anna.berzina", password);
    const me = await anna.call("GET", "/me");
    expect(me.json.mustChangePassword).toBe(true);
    const blocked = await anna.call("GET", "/tickets");
    expect([blocked.status, code(blocked)]).toEqual([403, "password_change_required"]);

    expect(code(await anna.call("POST", "/password", { currentPassword: "wrong", newPassword: "Anna-2026-pults" }))).toBe("invalid_credentials");
    expect(code(await anna.call("POST", "/password", { currentPassword: password, newPassword: "short" }))).toBe("bad_request");
    expect((await anna.call("POST", "/password", { currentPassword: password, newPassword: "Anna-2026-pults" })).status).toBe(204);
    expect((await anna.call("GET", "/tickets")).status).toBe(200);
    expect((await anna.call("GET", "/me")).json.mustChangePassword).toBe(false);
    // The one-time password no longer works; her own does.
    expect((await StaffClient.tryLogin(app.url, "anna.berzina", password)).status).toBe(401);
    await StaffClient.login(app.url, "anna.berzina", "Anna-2026-pults");
    expect((await account("anna.berzina"))?.lastLoginAt).not.toBeNull();
  });

  it("lets only admins manage accounts", async () => {
    const anna = await StaffClient.login(app.url, "anna.berzina", "Anna-2026-pults");
    for (const answer of [
      await anna.call("GET", "/accounts"),
      await anna.call("POST", "/accounts", { username: "x.y", displayName: "X", role: "admin", centres: [] }),
      await anna.call("PATCH", "/accounts/anna.berzina", { role: "admin" }),
      await anna.call("POST", "/accounts/ilze/reset-password"),
      await anna.call("POST", "/accounts/ilze/unlock"),
    ]) expect([answer.status, code(answer)]).toEqual([403, "forbidden"]);
  });

  it("refuses a taken username, a bad username, an agent without centres and unknown centres", async () => {
    const taken = await admin.call("POST", "/accounts", { username: "anna.berzina", displayName: "Cita Anna", role: "editor", centres: [] });
    expect([taken.status, code(taken)]).toEqual([409, "account_exists"]);
    expect(code(await admin.call("POST", "/accounts", { username: "a b", displayName: "A B", role: "editor", centres: [] }))).toBe("bad_request");
    expect(code(await admin.call("POST", "/accounts", { username: "juris", displayName: "Juris", role: "agent", centres: [] }))).toBe("bad_request");
    const unknown = await admin.call("POST", "/accounts", { username: "juris", displayName: "Juris", role: "agent", centres: ["atlantida"] });
    expect(code(unknown)).toBe("bad_request");
    expect((unknown.json.error as { message: string }).message).toContain("atlantida");
    expect(await account("juris")).toBeUndefined();
  });

  it("changes centres and role, and a deactivated account can no longer log in or use its session", async () => {
    const created = await admin.call("POST", "/accounts", { username: "juris", displayName: "Juris Kalns", role: "agent", centres: ["jelgava"] });
    const juris = await StaffClient.login(app.url, "juris", created.json.password as string);
    const changed = await admin.call("PATCH", "/accounts/juris", { centres: ["jelgava", "eleja"], displayName: "Juris Kalniņš" });
    expect(changed.json.account).toMatchObject({ centres: ["jelgava", "eleja"], displayName: "Juris Kalniņš", role: "agent" });
    expect((await juris.call("GET", "/me")).json.staff).toMatchObject({ centres: ["jelgava", "eleja"], displayName: "Juris Kalniņš" });
    expect((await admin.call("PATCH", "/accounts/juris", { role: "editor" })).json.account).toMatchObject({ role: "editor" });

    const off = await admin.call("PATCH", "/accounts/juris", { active: false });
    expect(off.json.account).toMatchObject({ active: false });
    expect((await juris.call("GET", "/me")).status).toBe(401);
    expect((await StaffClient.tryLogin(app.url, "juris", created.json.password as string)).status).toBe(401);
    expect((await admin.call("PATCH", "/accounts/juris", { active: true })).json.account).toMatchObject({ active: true });
    expect((await StaffClient.tryLogin(app.url, "juris", created.json.password as string)).status).toBe(200);
    expect(code(await admin.call("PATCH", "/accounts/nobody", { active: false }))).toBe("not_found");
  });

  it("keeps an admin from locking themselves out, and keeps the last admin", async () => {
    for (const change of [{ active: false }, { role: "editor" }]) {
      const refused = await admin.call("PATCH", "/accounts/ilze", change);
      expect([refused.status, code(refused)]).toEqual([409, "last_admin"]);
    }
    expect((await account("ilze"))).toMatchObject({ role: "admin", active: true });
    // A second admin can be added and removed again by the first.
    const second = await admin.call("POST", "/accounts", { username: "maris", displayName: "Māris", role: "admin", centres: [] });
    expect(second.status).toBe(201);
    expect((await admin.call("PATCH", "/accounts/maris", { active: false })).status).toBe(200);
  });

  it("resets a password: a new one-time password, the old password and sessions stop working", async () => {
    const anna = await StaffClient.login(app.url, "anna.berzina", "Anna-2026-pults");
    const reset = await admin.call("POST", "/accounts/anna.berzina/reset-password");
    expect(reset.status).toBe(200);
    expect(reset.json.password).toMatch(OTP);
    expect(reset.json.account).toMatchObject({ username: "anna.berzina", mustChangePassword: true });
    expect((await anna.call("GET", "/me")).status).toBe(401);
    expect((await StaffClient.tryLogin(app.url, "anna.berzina", "Anna-2026-pults")).status).toBe(401);
    const again = await StaffClient.login(app.url, "anna.berzina", reset.json.password as string);
    expect((await again.call("GET", "/me")).json.mustChangePassword).toBe(true);
    expect((await again.call("POST", "/password", { currentPassword: reset.json.password, newPassword: "Anna-2027-pults" })).status).toBe(204);
    expect(code(await admin.call("POST", "/accounts/nobody/reset-password"))).toBe("not_found");
  });

  it("shows a locked username and unlocks it", async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expect((await StaffClient.tryLogin(app.url, "anna.berzina", "guess")).status).toBe(401);
    expect((await StaffClient.tryLogin(app.url, "anna.berzina", "Anna-2027-pults")).status).toBe(429);
    expect(await account("anna.berzina")).toMatchObject({ locked: true });
    const unlocked = await admin.call("POST", "/accounts/anna.berzina/unlock");
    expect(unlocked.json).toEqual({ username: "anna.berzina", cleared: MAX_FAILURES });
    expect(await account("anna.berzina")).toMatchObject({ locked: false });
    expect((await StaffClient.tryLogin(app.url, "anna.berzina", "Anna-2027-pults")).status).toBe(200);
  });

  it("writes every account action to the audit log, newest first, with who did it", async () => {
    const log = await admin.call("GET", "/accounts/log");
    const entries = log.json.entries as { action: string; account: string; by: { username: string } | null; detail: Record<string, unknown> }[];
    expect(entries.map((e) => `${e.action} ${e.account} by ${e.by?.username ?? "-"}`).reverse()).toEqual([
      "account-created anna.berzina by ilze",
      "password-changed anna.berzina by anna.berzina",
      "account-created juris by ilze",
      "account-updated juris by ilze",
      "account-updated juris by ilze",
      "account-deactivated juris by ilze",
      "account-reactivated juris by ilze",
      "account-created maris by ilze",
      "account-deactivated maris by ilze",
      "password-reset anna.berzina by ilze",
      "password-changed anna.berzina by anna.berzina",
      "account-unlocked anna.berzina by ilze",
    ]);
    expect(entries.find((e) => e.action === "account-updated")?.detail).toEqual({ changes: { role: "editor" } });
    // No password is ever written to the log.
    expect(JSON.stringify(entries)).not.toMatch(/pults|password"/i);
  });
});

describe("oneTimePassword", () => {
  it("makes readable passwords without look-alike letters, a different one each time", () => {
    const passwords = new Set(Array.from({ length: 50 }, () => oneTimePassword()));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(OTP);
  });
});

describe("password hashes", () => {
  it("are scrypt with N = 2^15, r = 8, p = 1 outside the tests' lower cost, and verify at either cost", async () => {
    const cheap = await hashPassword("correct horse battery");
    setPasswordCostForTests(PASSWORD_COST.N);
    try {
      const full = await hashPassword("correct horse battery");
      expect(full).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
      expect(await verifyPassword("correct horse battery", full)).toBe(true);
      expect(await verifyPassword("correct horse batteries", full)).toBe(false);
      expect(await verifyPassword("correct horse battery", cheap)).toBe(true);
    } finally {
      setPasswordCostForTests(2 ** 10);
    }
  });
});
