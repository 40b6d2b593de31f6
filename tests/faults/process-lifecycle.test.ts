/**
 * The app as the Dockerfile starts it, on an embedded PGlite folder: the first start says what it
 * is doing; a second process on the folder (the staff CLI) refuses at once and names the holder;
 * `kill -9` under load loses nothing and, with the page's client message ids, stores and answers
 * every message once; SIGTERM finishes the running turns and exits cleanly within 10 s.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { LOCK_FILE } from "../../src/store/data-dir-lock.js";
import { dockerHealthcheck, startAppProcess, type AppProcess } from "../support/app-process.js";
import { reportFault } from "../support/fault-report.js";
import { ROOT } from "../helpers.js";
import { freePort } from "../support/ports.js";
import { must } from "../support/must.js";

const run = promisify(execFile);
interface Session { id: string; token: string }


describe("the app process on an embedded database folder", () => {
  let dataDir: string;
  let port: number;
  let app: AppProcess | undefined;
  const url = (p: string): string => `http://127.0.0.1:${port}${p}`;
  const start = async (): Promise<AppProcess> => {
    const started = startAppProcess({ DATA_DIR: dataDir, PORT: String(port), WEB_SESSIONS_PER_ADDRESS: "100000" });
    await started.waitFor(/channels running/, 90_000);
    return started;
  };
  const post = async (p: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    try {
      const res = await fetch(url(p), {
        method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body), signal: AbortSignal.timeout(20_000),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    } catch {
      return { status: 0, json: {} };
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "dp-lifecycle-"));
    port = await freePort();
  });
  afterAll(async () => {
    app?.kill("SIGKILL");
    await app?.exited();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("says what it is doing while it prepares a new embedded database, and passes its health check", async () => {
    app = await start();
    expect(app.output()).toMatch(/preparing the embedded database in .* \(first start only/);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
    // The Dockerfile's HEALTHCHECK, run as Docker would (inside the container, PORT set).
    const [file, ...args] = dockerHealthcheck() as [string, ...string[]];
    await expect(run(file, args, { env: { ...process.env, PORT: String(port) } })).resolves.toBeDefined();
    await expect(run(file, args, { env: { ...process.env, PORT: String(await freePort()) } })).rejects.toMatchObject({ code: 1 });
  }, 120_000);

  it("refuses a second process on the same folder, naming the process that holds it", async () => {
    const pid = String(app?.child.pid);
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toMatchObject({ code: "database_locked", owner: { pid: Number(pid) } });
    const cli = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "staff", "add", "late-admin", "--role", "admin"], {
      cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, STAFF_PASSWORD: "correct horse battery" },
    }).then(() => ({ code: 0, stderr: "", stdout: "" }), (error: unknown) => error as { code: number; stderr: string; stdout: string });
    expect(cli.code).toBe(1);
    expect(cli.stdout).not.toMatch(/ready/);
    expect(cli.stderr).toContain(`in use by process ${pid}`);
    expect(cli.stderr).toMatch(/Stop that process first.*\n?.*DATABASE_URL/s);
  }, 60_000);

  it("loses nothing under kill -9: messages sent again with their client id are stored and answered once", async () => {
    const sessions: Session[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await post("/api/chat/sessions", {});
      expect(r.status).toBe(201);
      sessions.push({ id: String(r.json.id), token: String(r.json.token) });
    }
    const perResident = 8;
    const answered = new Map<string, unknown>();
    let retried = 0;
    const load = Promise.all(sessions.map(async (s, n) => {
      for (let i = 0; i < perResident; i++) {
        const text = `kā iesniegt iesniegumu ${n}-${i}`;
        const messageId = randomUUID();
        for (let attempt = 0; ; attempt++) {
          const r = await post(`/api/chat/sessions/${s.id}/messages`, { text, messageId }, s.token);
          if (r.status === 200) {
            if (answered.has(text)) throw new Error(`${text} answered twice`);
            answered.set(text, r.json.replies);
            break;
          }
          retried++;
          if (attempt > 300) throw new Error(`${text}: never answered`);
          await new Promise((res) => setTimeout(res, 200));
        }
      }
    }));
    // Kill while the residents are mid-way: some answered, the rest waiting or in flight (a fixed
    // delay let a fast machine finish everything first).
    while (answered.size < sessions.length) await new Promise((r) => setTimeout(r, 5));
    app?.kill("SIGKILL");
    expect((await app?.exited())?.signal).toBe("SIGKILL");
    // The stale lock of the killed process is taken over.
    app = await start();
    await load;
    // Some messages were in flight when the process died and were sent again.
    expect(retried).toBeGreaterThan(0);
    expect(answered.size).toBe(sessions.length * perResident);
    // Every message once in the transcript, with one reply set (a turn is stored before it is answered).
    for (const [n, s] of sessions.entries()) {
      const res = await fetch(url(`/api/chat/sessions/${s.id}`), { headers: { authorization: `Bearer ${s.token}` } });
      const history = (await res.json()) as { messages: { direction: string; text: string }[] };
      for (let i = 0; i < perResident; i++) {
        const text = `kā iesniegt iesniegumu ${n}-${i}`;
        const at = history.messages.map((m, k) => (m.direction === "in" && m.text === text ? k : -1)).filter((k) => k >= 0);
        expect(at, text).toHaveLength(1);
        const after = must(at[0], `the message "${text}"`) + 1;
        const next = history.messages.slice(after).findIndex((m) => m.direction === "in");
        const replies = history.messages.slice(after, next < 0 ? undefined : after + next);
        expect(replies.length, `${text}: one reply set`).toBe((answered.get(text) as unknown[]).length);
      }
    }
    reportFault(`kill -9 under load (PGlite), restart: ${sessions.length} residents × ${perResident} messages`, `${retried} requests failed (connection cut or refused) and were sent again with their client id`, `0 of ${answered.size} lost, 0 doubled, one reply set each`);
  }, 180_000);

  it("stops cleanly on SIGTERM within 10 s, finishing the turn in progress", async () => {
    const created = await post("/api/chat/sessions", {});
    const s = { id: String(created.json.id), token: String(created.json.token) };
    const inFlight = post(`/api/chat/sessions/${s.id}/messages`, { text: "kā saņemt e-rēķinu par ūdeni?", messageId: randomUUID() }, s.token);
    await new Promise((r) => setTimeout(r, 30));
    const signalled = Date.now();
    app?.kill("SIGTERM");
    const [answer, exit] = await Promise.all([inFlight, app?.exited()]);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(answer.status).toBe(200);
    expect(app?.output()).toMatch(/SIGTERM: stopping[\s\S]*stopped/);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    reportFault("SIGTERM during a turn", `the turn was answered (200); exit 0 after ${Date.now() - signalled} ms`, "0 lost");
    app = undefined;
  }, 60_000);
});
