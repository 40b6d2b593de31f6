import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile, cp, rm, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../helpers.js";
import { cli } from "../support/cli.js";
import type { EvalMetrics, FirstTurn } from "../../src/cli/eval.js";
import { must } from "../support/must.js";

/** The last line of `cli eval --json` (jsonSummary in src/cli/eval.ts), as far as it is read here. */
interface EvalSummary {
  readonly per_lang: Record<string, EvalMetrics>;
  readonly results: readonly Record<string, unknown>[];
  readonly held_in: EvalMetrics;
  readonly held_out: EvalMetrics;
}

const run = promisify(execFile);
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

describe("cli as its own process", () => {
  it("runs a command through tsx, prints its result and exits with its code", async () => {
    const { stdout } = await run(TSX, ["src/cli/main.ts", "check"], { cwd: ROOT });
    expect(stdout).toMatch(/Checked 54 guide files \(18 guides\) and 6 flows: 0 error\(s\)/);
    const usage = await run(TSX, ["src/cli/main.ts", "nonsense"], { cwd: ROOT }).then(() => ({ code: 0, stderr: "" }), (e: unknown) => e as { code: number; stderr: string });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run --silent cli");
  });
});

describe("cli ask --json", () => {
  it("prints one JSON object with lang, intent, ranked guides and the reply", async () => {
    const { code, stdout } = await cli(["ask", "--json", "ka sanemt e-rekinu"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(must(lines[0], "the JSON line")) as FirstTurn;
    expect(out).toMatchObject({ lang: "lv", intent: "guide" });
    const [first, second] = out.guides;
    expect(first?.id).toBe("e-invoices");
    expect(out.guides.length).toBeGreaterThanOrEqual(3);
    expect(typeof first?.score).toBe("number");
    expect(must(first, "the first guide").score).toBeGreaterThanOrEqual(must(second, "the second guide").score);
    expect(out.reply).toContain("📘");
  });

  it("reports escalation and fallback intents", async () => {
    const esc = JSON.parse((await cli(["ask", "--json", "позовите оператора"])).stdout) as FirstTurn;
    expect(esc).toMatchObject({ lang: "ru", intent: "escalate" });
    const none = JSON.parse((await cli(["ask", "--json", "Who won the football match yesterday?"])).stdout) as FirstTurn;
    expect(none).toMatchObject({ lang: "en", intent: "fallback" });
  });
});

describe("cli eval --json", () => {
  it("ends with one JSON line of metrics, per language figures and per-question results", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "eval-"));
    const file = path.join(dir, "set.jsonl");
    await writeFile(file, [
      JSON.stringify({ q: "ka sanemt e-rekinu", expect: ["e-invoices"] }),
      JSON.stringify({ q: "позовите оператора", expect: ["escalate"] }),
      JSON.stringify({ q: "Ieteic labu filmu", expect: ["none"] }),
    ].join("\n"));
    const { code, stdout } = await cli(["eval", file, "--json"]);
    expect(code).toBe(0);
    const last = JSON.parse(must(stdout.trim().split("\n").at(-1), "the JSON line")) as EvalSummary;
    expect(last).toMatchObject({ hit1: 1, hit3: 1, mrr: 1, escalate: 1, none: 1, n: 3 });
    expect(Object.keys(last.per_lang).sort()).toEqual(["lv", "ru"]);
    expect(last.results[0]).toMatchObject({ q: "ka sanemt e-rekinu", lang: "lv", intent: "guide", guides: expect.arrayContaining(["e-invoices"]) as unknown, ok: true });
    expect(last.held_in.n + last.held_out.n).toBe(3);
    expect(stdout).toContain("hit@1");
    await rm(dir, { recursive: true });
  });

  it("reports a malformed evaluation line with its number", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "eval-"));
    const file = path.join(dir, "bad.jsonl");
    await writeFile(file, '{"q":"a","expect":["x"]}\nnot json\n');
    const { code, stderr } = await cli(["eval", file]);
    expect(code).toBe(2);
    expect(stderr).toContain("bad.jsonl:2: not valid JSON");
    await rm(dir, { recursive: true });
  });
});

describe("cli check", () => {
  it("passes on the shipped content", async () => {
    const { code, stdout } = await cli(["check"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Checked 54 guide files \(18 guides\) and 6 flows: 0 error\(s\)/);
  });

  it("exits non-zero and prints file:line messages for broken content", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kb-"));
    await cp(path.join(ROOT, "knowledge"), dir, { recursive: true });
    await writeFile(path.join(dir, "ru", "e-address.md"), "---\nid: e-address\nlang: ru\n---\n\n## Шаги\n1. x\n");
    const health = path.join(dir, "en", "e-health.md");
    await writeFile(health, (await readFile(health, "utf8")).replace("{#need}", ""));
    const { code, stdout } = await cli(["check"], { KNOWLEDGE_DIR: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/ru\/e-address\.md:1: front matter: 'title' is missing/);
    expect(stdout).toMatch(/en\/e-health\.md:\d+: heading '[^']+' needs an anchor like \{#need\}/);
    await rm(dir, { recursive: true });
  });

  it("stops with a message naming a bad setting", async () => {
    const { code, stderr } = await cli(["check"], { DEFAULT_LANG: "de" });
    expect(code).toBe(1);
    expect(stderr).toContain('DEFAULT_LANG="de"');
    expect(stderr).toContain("lv, ru or en");
  });
});

describe("cli staff add", () => {
  it("creates an account from STAFF_PASSWORD that can then log in, and refuses bad input", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "digipaligs-staff-"));
    try {
      const env = { DATA_DIR: dir, STAFF_PASSWORD: "a long enough secret" };
      const ok = await cli(["staff", "add", "anna", "--role", "agent", "--centre", "cenu-ozolnieku", "--name", "Anna"], env);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/'anna' \(agent, centres: cenu-ozolnieku\) is ready/);
      expect((await cli(["staff", "add", "bob", "--role", "agent"], env)).stderr).toMatch(/needs at least one --centre/);
      expect((await cli(["staff", "add", "bob", "--role", "boss"], env)).stderr).toMatch(/agent, editor or admin/);
      expect((await cli(["staff", "add", "bob", "--role", "agent", "--centre", "mars"], env)).stderr).toMatch(/unknown centre mars/);
      expect((await cli(["staff", "add", "bob", "--role", "admin"], { ...env, STAFF_PASSWORD: "short" })).stderr).toMatch(/at least 10 characters/);
      const { openDatabase } = await import("../../src/store/database.js");
      const { StaffAccounts } = await import("../../src/staff/accounts.js");
      const db = await openDatabase({ kind: "pglite", dataDir: dir });
      try {
        const login = await new StaffAccounts(db.pool).login("anna", "a long enough secret");
        expect(login).toMatchObject({ ok: true, staff: { username: "anna", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] } });
      } finally {
        await db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
