/**
 * Staff login under attack: the lockout holds under concurrent guesses; it is per username and
 * client address, so an attacker elsewhere cannot lock a working agent out (and one address
 * cannot spray many usernames); admins can unlock. Login and every POST require JSON from our
 * own pages (no login CSRF). Over https cookies are Secure and HSTS is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ADDRESS_FAILURES, MAX_FAILURES } from "../../src/staff/accounts.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { ifAssigned, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const targets = await databaseTargets("login");

async function login(app: App, username: string, password: string, address: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/api/staff/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address, ...headers },
    body: JSON.stringify({ username, password }),
  });
}

describe.each(targets)("staff login limits on $name", (target) => {
  let app: App;
  let db: Awaited<ReturnType<typeof target.open>>;
  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db, env: { TRUST_PROXY: "1" } });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["jelgava"] });
    await app.staffAccounts.add({ username: "boss", password: "admin password here", displayName: "Boss", role: "admin" });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("counts every one of 200 parallel guesses: at most five are checked, then the right password is refused too", async () => {
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => login(app, "anna", `wrong guess ${i}`, "198.51.100.66").then((r) => r.status)));
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    expect(counts).toEqual({ 401: MAX_FAILURES, 429: 200 - MAX_FAILURES });
    expect((await login(app, "anna", "correct horse battery", "198.51.100.66")).status).toBe(429);
  }, 120_000);

  it("does not lock the agent out at her own address, and lets an admin unlock the name", async () => {
    const own = await login(app, "anna", "correct horse battery", "192.0.2.10");
    expect(own.status).toBe(200);
    // The attacker's address stays locked until an admin unlocks the username.
    const adminLogin = await login(app, "boss", "admin password here", "192.0.2.11");
    const cookie = sessionCookie(adminLogin);
    const { csrfToken } = (await adminLogin.json()) as { csrfToken: string };
    const unlock = await fetch(`${app.url}/api/staff/accounts/anna/unlock`, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" }, body: "{}" });
    expect(unlock.status).toBe(200);
    expect(((await unlock.json()) as { cleared: number }).cleared).toBeGreaterThanOrEqual(MAX_FAILURES);
    expect((await login(app, "anna", "correct horse battery", "198.51.100.66")).status).toBe(200);
    // Agents may not unlock.
    const agent = await login(app, "anna", "correct horse battery", "192.0.2.10");
    const agentCookie = sessionCookie(agent);
    const agentCsrf = ((await agent.json()) as { csrfToken: string }).csrfToken;
    expect((await fetch(`${app.url}/api/staff/accounts/boss/unlock`, { method: "POST", headers: { cookie: agentCookie, "x-csrf-token": agentCsrf, "content-type": "application/json" }, body: "{}" })).status).toBe(403);
  }, 60_000);

  it("refuses one address that tries many usernames", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_ADDRESS_FAILURES + 3; i++) statuses.push((await login(app, `user${i}`, "not the password", "203.0.113.9")).status);
    expect(statuses.slice(0, MAX_ADDRESS_FAILURES).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(MAX_ADDRESS_FAILURES).every((s) => s === 429)).toBe(true);
  }, 60_000);

  it("takes logins and changes only as JSON from this site's own pages", async () => {
    const form = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ username: "anna", password: "correct horse battery" }) });
    expect(form.status).toBe(400);
    expect(form.headers.get("set-cookie")).toBeNull();
    const urlencoded = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=anna&password=correct+horse+battery" });
    expect(urlencoded.status).toBe(400);
    const crossSite = await login(app, "anna", "correct horse battery", "192.0.2.10", { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    expect((await login(app, "anna", "correct horse battery", "192.0.2.10", { referer: "https://evil.example/page" })).status).toBe(403);
    expect((await login(app, "anna", "correct horse battery", "192.0.2.10", { origin: "null" })).status).toBe(403);
    const same = await login(app, "anna", "correct horse battery", "192.0.2.10", { origin: new URL(app.url).origin });
    expect(same.status).toBe(200);
    const cookie = sessionCookie(same);
    const { csrfToken } = (await same.json()) as { csrfToken: string };
    const logout = await fetch(`${app.url}/api/staff/logout`, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json", origin: "https://evil.example" }, body: "{}" });
    expect(logout.status).toBe(403);
  });
});

describe("console cookies and HSTS over https", () => {
  let direct: App;
  let behindProxy: App;
  let publicHttps: App;
  beforeAll(async () => {
    direct = await startTestApp();
    behindProxy = await startTestApp({ env: { TRUST_PROXY: "1" } });
    publicHttps = await startTestApp({ env: { PUBLIC_URL: "https://paligs.example.lv" } });
    for (const app of [direct, behindProxy, publicHttps]) await app.staffAccounts.add({ username: "anna", password: "correct horse battery", role: "agent", centres: ["jelgava"] });
  }, 90_000);
  afterAll(async () => {
    for (const app of [direct, behindProxy, publicHttps]) await ifAssigned(app)?.close();
  });

  it("marks cookies Secure and sends HSTS only when the client is on https", async () => {
    const plain = await login(direct, "anna", "correct horse battery", "192.0.2.1");
    expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/i);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const proxied = await login(behindProxy, "anna", "correct horse battery", "192.0.2.1", { "x-forwarded-proto": "https", origin: `https://${new URL(behindProxy.url).host}` });
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure/i);
    expect(proxied.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const configured = await login(publicHttps, "anna", "correct horse battery", "192.0.2.1", { origin: "https://paligs.example.lv" });
    expect(configured.status).toBe(200);
    expect(configured.headers.get("set-cookie")).toMatch(/; Secure/i);
    expect((await fetch(`${publicHttps.url}/`)).headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
  });
});
