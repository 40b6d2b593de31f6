/**
 * Child process of the end-to-end benchmark: one bot against the emulator — either a bare grammY
 * echo bot (the baseline, with the same runner and per-chat sequencing) or DigiPalīgs itself
 * (the whole app: core, flows, storage). Reports its peak memory when asked to stop.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { run, sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { openDatabase } from "../../src/store/database.js";
import { must } from "../../tests/support/must.js";
import { countStatements } from "./statements.js";

const [kind, apiRoot, token, botInfoJson, databaseUrl] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const botInfo = JSON.parse(botInfoJson) as UserFromGetMe;
const ROOT = path.resolve(import.meta.dirname, "../..");

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);

/** Statements the bot sends to the database while it is measured. */
const statements = countStatements();

let stop: () => Promise<void>;
if (kind === "echo") {
  const bot = new Bot(token, { botInfo, client: { apiRoot } });
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  const runner = run(bot);
  stop = () => runner.stop();
} else {
  let schema: string | undefined;
  const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), "digipaligs-bench-"));
  const database = databaseUrl
    ? await (async () => {
        schema = `bench_${process.pid}`;
        const admin = await openDatabase({ kind: "postgres", url: databaseUrl });
        await admin.pool.query(`CREATE SCHEMA ${schema}`);
        await admin.close();
        return openDatabase({ kind: "postgres", url: databaseUrl, schema });
      })()
    : await openDatabase({ kind: "pglite", ...(dataDir ? { dataDir } : {}) });
  const config = loadConfig({
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1",
    TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot,
  });
  const app = await startApp(config, silentLogger, { database, telegram: { botInfo, throttle: false } });
  stop = async () => {
    await app.close();
    if (schema) await database.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await database.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

// BENCH_CPU_PROFILE=<dir> profiles the measured part only (after start, until stop);
// BENCH_HEAP_PROFILE=<dir> samples what it allocates, garbage included (where the GC time comes from).
const inspector = process.env.BENCH_CPU_PROFILE || process.env.BENCH_HEAP_PROFILE ? await import("node:inspector/promises") : undefined;
const profiler = process.env.BENCH_CPU_PROFILE && inspector ? new inspector.Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const heapSampler = process.env.BENCH_HEAP_PROFILE && inspector ? new inspector.Session() : undefined;
if (heapSampler) {
  heapSampler.connect();
  await heapSampler.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

/** Writes a profile to the folder the variable names, as `<kind>-<pid>.<extension>`. */
async function writeProfile(variable: string, extension: string, profile: unknown): Promise<void> {
  const { writeFile, mkdir } = await import("node:fs/promises");
  const dir = must(process.env[variable], `${variable} (set when profiling)`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${kind}-${process.pid}.${extension}`), JSON.stringify(profile));
}

process.on("message", (m: { type: string }) => {
  if (m.type !== "stop") return;
  clearInterval(sampler);
  statements.stop();
  if (profiler) void profiler.post("Profiler.stop").then(({ profile }) => writeProfile("BENCH_CPU_PROFILE", "cpuprofile", profile));
  if (heapSampler) void heapSampler.post("HeapProfiler.stopSampling").then(({ profile }) => writeProfile("BENCH_HEAP_PROFILE", "heapprofile", profile));
  void stop().finally(() => {
    const cpu = process.cpuUsage(cpuAtReady);
    process.send?.({ type: "stopped", peakRssMb: peakRss / 2 ** 20, cpuMs: (cpu.user + cpu.system) / 1000, queries: Object.fromEntries(statements.counts) });
    setTimeout(() => process.exit(0), 50);
  });
});
const cpuAtReady = process.cpuUsage();
statements.start();
process.send?.({ type: "ready" });
