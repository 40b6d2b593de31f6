/**
 * Where the bot's CPU per message goes, without Telegram: the residents' scripts of the
 * end-to-end benchmark run (1) through the pure core alone and (2) through the conversation
 * service of the whole app (core, storage, group commit) on PGlite and on the PostgreSQL
 * server, every resident at once as in the end-to-end run. CPU time is this process's own
 * (PGlite's WebAssembly included; a PostgreSQL server's is not), so the figures compare well on
 * a busy machine. `BENCH_CPU_PROFILE=<dir>` writes a CPU profile of each database run.
 *
 *   npx tsx bench/e2e/turns.ts [--residents 200] [--rounds 3] [--queries]
 * @module
 */
import { mkdtemp, rm, mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { loadContent } from "../../src/content.js";
import { Assistant } from "../../src/core/assistant.js";
import { Conversation, NEW_SESSION, type SessionState } from "../../src/core/conversation.js";
import { isLang, type Lang } from "../../src/core/types.js";
import { silentLogger } from "../../src/log.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { postgresReachable } from "../escalation.js";
import { residentInputs } from "./run.js";
import { must } from "../../tests/support/must.js";
import { countStatements } from "./statements.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const residents = option("--residents", 200);
const rounds = option("--rounds", 3);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const statements = countStatements();
const scripts = residentInputs(residents);
const messages = scripts.reduce((n, s) => n + s.inputs.length, 0);
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** The pure core: CPU ms per message (the best round). */
async function core(): Promise<number> {
  const content = await loadContent(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
  const conversation = new Conversation({ assistant: new Assistant({ knowledge: content.knowledge }), flows: content.flows });
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds + 1; round++) {
    const start = process.cpuUsage();
    for (const script of scripts) {
      let state: SessionState = NEW_SESSION;
      let lang: Lang = script.lang;
      for (const input of script.inputs) {
        const result = conversation.handle(state, input, { lang });
        state = result.state;
        lang = isLang(result.lang) ? result.lang : lang;
      }
    }
    // The first round warms the JIT up.
    if (round > 0) best = Math.min(best, cpuMs(start) / messages);
  }
  return best;
}

/** The whole app's conversation service on a database: CPU ms and statements per message (the best round). */
async function service(name: string, open: () => Promise<{ database: Database; close: () => Promise<void> }>): Promise<{ cpu: number; statements: number }> {
  const { database, close } = await open();
  const config = loadConfig({ KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1" });
  const app = await startApp(config, silentLogger, { database });
  let best = { cpu: Number.POSITIVE_INFINITY, statements: 0 };
  let update = 0;
  try {
    for (let round = 0; round < rounds + 1; round++) {
      const profiler = process.env.BENCH_CPU_PROFILE && round === rounds ? new Session() : undefined;
      if (profiler) {
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
      }
      statements.counts.clear();
      statements.start();
      const start = process.cpuUsage();
      // New residents every round (the first message of each creates them, as in the end-to-end run).
      await Promise.all(scripts.map(async (script) => {
        const chatId = String(script.chatId + round * 1_000_000);
        for (const input of script.inputs) {
          await app.service.handle("telegram", chatId, input, { updateId: String(++update), langHint: script.lang });
        }
      }));
      const cpu = cpuMs(start) / messages;
      statements.stop();
      if (profiler) {
        const { profile } = await profiler.post("Profiler.stop");
        const dir = must(process.env.BENCH_CPU_PROFILE, "BENCH_CPU_PROFILE (set when profiling)");
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, `turns-${name.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
      }
      if (round > 0 && cpu < best.cpu) best = { cpu, statements: statements.total() / messages };
      if (args.includes("--queries") && round === rounds) {
        console.log(`\nStatements on ${name} (last round, ${messages} messages):`);
        for (const [text, n] of [...statements.counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(7)}  ${text}`);
      }
    }
  } finally {
    await app.close();
    await close();
  }
  return best;
}

const rows: [string, number, number | undefined][] = [["core only (conversation.handle)", await core(), undefined]];
const pglite = await service("PGlite", async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "digipaligs-turns-"));
  const database = await openDatabase({ kind: "pglite", dataDir });
  return { database, close: async () => { await database.close(); await rm(dataDir, { recursive: true, force: true }); } };
});
rows.push(["service on embedded PGlite", pglite.cpu, pglite.statements]);
if (await postgresReachable(DATABASE_URL)) {
  const schema = `bench_turns_${process.pid}`;
  const server = await service("PostgreSQL", async () => {
    const admin = await openDatabase({ kind: "postgres", url: DATABASE_URL });
    await admin.pool.query(`CREATE SCHEMA ${schema}`);
    const database = await openDatabase({ kind: "postgres", url: DATABASE_URL, schema });
    return { database, close: async () => { await database.close(); await admin.pool.query(`DROP SCHEMA ${schema} CASCADE`); await admin.close(); } };
  });
  rows.push(["service on the PostgreSQL server", server.cpu, server.statements]);
}
console.log(`\nCPU per message without Telegram (${residents} residents × 10 messages, all at once; best of ${rounds} rounds after a warm-up; this process's CPU)\n`);
console.log("| layer | CPU/msg (ms) | statements/msg |");
console.log("|---|---:|---:|");
for (const [name, cpu, n] of rows) console.log(`| ${name} | ${cpu.toFixed(3)} | ${n === undefined ? "—" : n.toFixed(2)} |`);
