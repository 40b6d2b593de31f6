/**
 * `npm run bench`: tables of figures, no pass/fail on timing (targets are shown next to them).
 * 1. Retrieval on the shipped guides and on synthetic corpora of 1,000 and 10,000 guide sections:
 *    build time, query latency p50/p99 and resident memory. Targets: p99 ≤ 2 ms (shipped),
 *    ≤ 20 ms (10,000 sections); build of 10,000 ≤ 3 s.
 * 2. End to end on the local Telegram emulator: 200 residents × 10 messages against a bare grammY
 *    echo bot and against DigiPalīgs (embedded PGlite; and a PostgreSQL server when
 *    BENCH_DATABASE_URL or the default 127.0.0.1:5432/test answers). Every message must be answered
 *    exactly once and in order. Targets (median of the rounds): ≥ 0.6 × the echo bot on the
 *    server, ≥ 0.45 × on PGlite.
 * 3. Footprint (bench/footprint.ts): the real app (the Dockerfile's command, no tokens) on
 *    an empty data folder: time until it answers a web chat message and idle memory, after the
 *    first start and after restarts; peak memory during the end-to-end rounds on PGlite.
 *    Targets: idle ≤ 250 MB, peak ≤ 400 MB, first start ≤ 4 s, restart ≤ 2 s.
 * 4. Escalation (bench/escalation.ts; needs the PostgreSQL server): 100 web chat residents asking
 *    for a person at once against two instances; time until every ticket is visible to staff and
 *    every staff reply is delivered (p50/p95/max), each exactly once.
 * 5. Telegram limits (bench/telegram-burst.ts): 1,000 staff messages to 500 chats released at once
 *    from the outbox after an outage: how fast they reach the emulator, overall and per chat.
 * 6. With `--year` (bench/year.ts): a municipality's year of data seeded in SQL on both databases,
 *    and what it does to turns, reports, the staff queue, retention and /forget.
 * 7. Voice (bench/voice.ts): the bot's own added latency of a voice turn against the fake speech
 *    service, and speech out (first and cached).
 * Options: `--json` (the last line is one JSON object with the figures), `--year` (`--year-scale 0.1` for a tenth),
 * `--<section>-only` (retrieval, e2e, footprint, escalation, telegram, year, voice; several may be given),
 * `--residents N`, `--rounds N` (default 3).
 * @module
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { runEndToEnd } from "./e2e/run.js";
import { postgresReachable, runEscalationBench } from "./escalation.js";
import { runFootprint } from "./footprint.js";
import { containerStart } from "./start-command.js";
import { runTelegramBurst } from "./telegram-burst.js";
import { runVoiceBench } from "./voice.js";
import { FULL_YEAR, runYear } from "./year.js";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Assistant } from "../src/core/assistant.js";
import { LANGS, type Lang } from "../src/core/types.js";
import type { Guide, Section } from "../src/knowledge/guide.js";
import { loadKnowledge, type KnowledgeBase } from "../src/knowledge/load.js";
import { must } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const QUERIES_FILE = path.join(ROOT, "tests", "fixtures", "questions-own.jsonl");

/** A small deterministic PRNG so that every run builds the same synthetic corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Builds a synthetic knowledge base of about `sections` sections from the shipped vocabulary. */
function synthetic(base: KnowledgeBase, sections: number): KnowledgeBase {
  const rand = rng(sections);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const guides = new Map<Lang, Map<string, Guide>>();
  const perGuide = 8;
  const count = Math.ceil(sections / perGuide / LANGS.length);
  for (const lang of LANGS) {
    const shipped = [...(base.guides.get(lang)?.values() ?? [])];
    const words = shipped.flatMap((g) => g.sections.flatMap((s) => s.body.split(/\s+/))).filter((w) => w.length > 2);
    const sentence = (n: number): string => Array.from({ length: n }, () => pick(words)).join(" ");
    const map = new Map<string, Guide>();
    for (let i = 0; i < count; i++) {
      const model = must(shipped[i % shipped.length], `a shipped ${lang} guide`);
      const secs: Section[] = Array.from({ length: perGuide }, (_, j) => ({
        anchor: `s${j}`, heading: sentence(3), body: Array.from({ length: 6 }, (_, k) => `${k + 1}. ${sentence(10)}`).join("\n"),
        kind: j === 0 ? "need" : "steps", line: 1,
      }));
      const id = `${model.id}-${i}`;
      map.set(id, { ...model, id, title: `${model.title} ${sentence(2)}`, keywords: [...model.keywords, sentence(2)], related: [], sections: secs });
    }
    guides.set(lang, map);
  }
  return { guides, ids: [...(guides.get("lv")?.keys() ?? [])], diagnostics: [] };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `cpuP99`: the 99th percentile of the process's CPU time per question — what the question costs, without the time other processes of a shared machine took the core. */
interface Row { corpus: string; sections: number; buildMs: number; p50: number; p99: number; cpuP99: number; rssMb: number }

function measure(name: string, knowledge: KnowledgeBase, queries: readonly string[], rounds: number): Row {
  const t0 = performance.now();
  const assistant = new Assistant({ knowledge });
  const buildMs = performance.now() - t0;
  const sections = LANGS.reduce((n, l) => n + assistant.index.size(l).sections, 0);
  for (const q of queries) assistant.ask(q); // warm up the JIT and the stem cache
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const c = process.cpuUsage();
      const s = performance.now();
      assistant.ask(q);
      times.push(performance.now() - s);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { corpus: name, sections, buildMs, p50: percentile(times, 50), p99: percentile(times, 99), cpuP99: percentile(cpu, 99), rssMb: process.memoryUsage().rss / 2 ** 20 };
}

const args = process.argv.slice(2);
const residentsArg = args.indexOf("--residents");
const residents = residentsArg >= 0 ? Number(args[residentsArg + 1]) : 200;
const roundsArg = args.indexOf("--rounds");
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 3;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const SECTIONS = ["retrieval", "e2e", "footprint", "escalation", "telegram", "year", "voice"] as const;
type SectionName = (typeof SECTIONS)[number];
const only = SECTIONS.filter((name) => args.includes(`--${name}-only`));
const wanted = (name: SectionName): boolean => (only.length > 0 ? only.includes(name) : name !== "year" || args.includes("--year"));
const scaleArg = args.indexOf("--year-scale");
const yearScale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;

/** The figures `--json` prints (the issue's keys, and a few more). */
const summary: Record<string, unknown> = {};
const round2 = (x: number): number => Math.round(x * 100) / 100;
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => must(sorted[i], "a sorted value");
  return sorted.length === 0 ? 0 : sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
};
/** Peak RSS of the bot on PGlite over the end-to-end rounds, for the footprint table. */
let pglitePeakRssMb: number | undefined;

if (wanted("retrieval")) await retrieval();
if (wanted("e2e")) await endToEnd();
if (wanted("footprint")) await footprint();
if (wanted("escalation")) await escalation();
if (wanted("telegram")) await telegramBurst();
if (wanted("year")) await year();
if (wanted("voice")) await voiceTable();
if (args.includes("--json")) console.log(`\n${JSON.stringify(summary)}`);

/** The voice table: what a voice turn adds, with a speech service that answers at once. */
async function voiceTable(): Promise<void> {
  const r = await runVoiceBench(40);
  summary.voice = { typedP50Ms: round2(r.typed.p50), voiceP50Ms: round2(r.voice.p50), addedP50Ms: round2(r.voice.p50 - r.typed.p50), speechFirstP50Ms: round2(r.speechFirst.p50), speechCachedP50Ms: round2(r.speechCached.p50) };
  const ms = (s: { p50: number; p95: number }): string => `${s.p50.toFixed(0)} / ${s.p95.toFixed(0)}`;
  console.log(`\nVoice turns in the web chat (${r.turns} typed and ${r.turns} voice turns, alternating, each a new conversation; a ${r.recordingSeconds.toFixed(1)} s WebM recording of ${r.recordingKb.toFixed(0)} KB; the fake speech service answers at once, so the difference is the bot's own share)\n`);
  console.log("| turn | p50 / p95 (ms) |");
  console.log("|---|---:|");
  console.log(`| typed message | ${ms(r.typed)} |`);
  console.log(`| voice message | ${ms(r.voice)} |`);
  console.log(`| added by voice (p50) | ${(r.voice.p50 - r.typed.p50).toFixed(0)} |`);
  console.log(`| 🔊 first time (espeak-ng + ffmpeg) | ${ms(r.speechFirst)} |`);
  console.log(`| 🔊 again (cached) | ${ms(r.speechCached)} |`);
}

async function endToEnd(): Promise<void> {
  const reachable = await postgresReachable(DATABASE_URL);
  const series = await runEndToEnd(residents, reachable ? DATABASE_URL : undefined, rounds);
  const echo = series[0]?.best;
  if (!echo) return;
  console.log(`\nEnd to end on the local Telegram emulator (${residents} residents × 10 messages, each waiting for its replies; ${rounds} alternating rounds, the fastest shown, the ratio to the echo bot per round as median (best–worst); ${cpus().length} cores, shared with whatever else runs)\n`);
  console.log("| bot | messages | replies | msg/s | vs echo | vs echo, median (best–worst) | p50 (ms) | p95 (ms) | bot CPU/msg (ms) | DB statements/msg | emulator CPU/msg (ms) | peak RSS (MB) | answered once, in order |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const { best: r, ratios, rounds: all } of series) {
    const problems = all.flatMap((x) => x.problems);
    const ok = problems.length === 0 ? "yes" : `NO: ${problems.slice(0, 3).join("; ")}`;
    const spread = `${median(ratios).toFixed(2)} (${Math.max(...ratios).toFixed(2)}–${Math.min(...ratios).toFixed(2)})`;
    const peak = Math.max(...all.map((x) => x.peakRssMb));
    console.log(`| ${r.bot} | ${r.messages} | ${r.replies} | ${r.throughput.toFixed(0)} | ${(r.throughput / echo.throughput).toFixed(2)} | ${spread} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.botCpuPerMessage.toFixed(2)} | ${r.bot.startsWith("DigiPal") ? r.queriesPerMessage.toFixed(2) : "—"} | ${r.emulatorCpuPerMessage.toFixed(2)} | ${peak.toFixed(0)} | ${ok} |`);
  }
  if (args.includes("--queries")) {
    for (const { best: r } of series.filter((x) => x.best.bot.startsWith("DigiPal"))) {
      console.log(`\nStatements of ${r.bot} (${r.messages} messages):`);
      for (const [text, n] of Object.entries(r.queries).sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(7)}  ${text}`);
    }
  }
  if (!reachable) console.log(`\n(No PostgreSQL at ${DATABASE_URL}: the server row is left out.)`);
  const find = (word: string) => series.find((x) => x.best.bot.includes(word));
  const pglite = find("PGlite");
  const server = find("PostgreSQL");
  pglitePeakRssMb = pglite ? Math.max(...pglite.rounds.map((x) => x.peakRssMb)) : undefined;
  summary.e2e = {
    echo_msgs: Math.round(echo.throughput),
    ...(server ? { pg_ratio: round2(server.best.throughput / echo.throughput), pg_ratio_median: round2(median(server.ratios)), pg_ratio_best: round2(Math.max(...server.ratios)), pg_ratio_worst: round2(Math.min(...server.ratios)), pg_cpu_ms_per_msg: round2(server.best.botCpuPerMessage), pg_statements_per_msg: round2(server.best.queriesPerMessage) } : {}),
    ...(pglite ? { pglite_ratio: round2(pglite.best.throughput / echo.throughput), pglite_ratio_median: round2(median(pglite.ratios)), pglite_ratio_best: round2(Math.max(...pglite.ratios)), pglite_ratio_worst: round2(Math.min(...pglite.ratios)), pglite_cpu_ms_per_msg: round2(pglite.best.botCpuPerMessage), pglite_statements_per_msg: round2(pglite.best.queriesPerMessage) } : {}),
    echo_cpu_ms_per_msg: round2(echo.botCpuPerMessage),
    rounds,
  };
  if (series.some((x) => x.rounds.some((r) => r.problems.length > 0))) process.exitCode = 1;
}

/** Table 3: the real app's start time and memory. */
async function footprint(): Promise<void> {
  const restarts = 3;
  const start = containerStart();
  const r = await runFootprint(restarts, 3000, start);
  const restartMs = median(r.restarts.map((x) => x.answerMs));
  const restartCpu = median(r.restarts.map((x) => x.startCpuMs));
  const restartRss = median(r.restarts.map((x) => x.idleRssMb));
  const env = Object.entries(start.env ?? {}).filter(([k]) => k.startsWith("MALLOC_")).map(([k, v]) => `${k}=${v} `).join("");
  console.log(`\nFootprint of the embedded default (${env}${start.command.join(" ")} on an empty data folder, no tokens; start = until a web chat message is answered; CPU = the process's user + system time until then; idle = VmRSS 3 s later; ${restarts} restarts, median; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores: times depend on it)\n`);
  console.log("| | start (ms) | start CPU (ms) | idle RSS (MB) | peak RSS while starting (MB) | target |");
  console.log("|---|---:|---:|---:|---:|---|");
  console.log(`| first start (empty data folder) | ${r.first.answerMs.toFixed(0)} | ${r.first.startCpuMs.toFixed(0)} | ${r.first.idleRssMb.toFixed(0)} | ${r.first.startPeakRssMb.toFixed(0)} | ≤ 4000 ms, ≤ 250 MB |`);
  console.log(`| restart (median of ${restarts}; ${r.restarts.map((x) => x.answerMs.toFixed(0)).join(", ")} ms) | ${restartMs.toFixed(0)} | ${restartCpu.toFixed(0)} | ${restartRss.toFixed(0)} | ${Math.max(...r.restarts.map((x) => x.startPeakRssMb)).toFixed(0)} | ≤ 2000 ms, ≤ 250 MB |`);
  if (pglitePeakRssMb !== undefined) console.log(`| end-to-end rounds on PGlite (peak) | — | — | — | ${pglitePeakRssMb.toFixed(0)} | ≤ 400 MB |`);
  summary.footprint = {
    idle_rss_mb_first: Math.round(r.first.idleRssMb),
    idle_rss_mb_restart: Math.round(restartRss),
    peak_rss_mb: pglitePeakRssMb === undefined ? null : Math.round(pglitePeakRssMb),
    first_start_ms: Math.round(r.first.answerMs),
    restart_ms: Math.round(restartMs),
    restart_ms_all: r.restarts.map((x) => Math.round(x.answerMs)),
    first_start_cpu_ms: Math.round(r.first.startCpuMs),
    restart_cpu_ms: Math.round(restartCpu),
  };
}

/** Table 5: an outbox burst against Telegram's limits. */
async function telegramBurst(): Promise<void> {
  const r = await runTelegramBurst(500);
  console.log(`\nTelegram limits under an outbox burst (${r.chats} Telegram residents; staff took and answered each ticket while sendMessage was down: ${r.messages} messages released at once when it came back; arrival times at the emulator)\n`);
  console.log("| messages | delivered once | drained in (s) | mean rate (msg/s) | busiest second (msg) | shortest gap in one chat (ms) | Telegram's limits |");
  console.log("|---:|---|---:|---:|---:|---:|---|");
  console.log(`| ${r.messages} | ${r.delivered === r.messages && r.duplicates === 0 ? "yes" : `NO: ${r.delivered} delivered, ${r.duplicates} duplicates`} | ${(r.drainMs / 1000).toFixed(1)} | ${r.meanRate.toFixed(1)} | ${r.busiestSecond} | ${r.minChatGapMs.toFixed(0)} | ~30 msg/s per bot, 1 msg/s per chat |`);
  summary.telegram = { messages: r.messages, delivered: r.delivered, duplicates: r.duplicates, drain_ms: Math.round(r.drainMs), mean_rate: round2(r.meanRate), busiest_second: r.busiestSecond, min_chat_gap_ms: Math.round(r.minChatGapMs) };
  if (r.delivered !== r.messages || r.duplicates > 0) process.exitCode = 1;
}

/** Table 6: a year of a municipality's data on both databases. */
async function year(): Promise<void> {
  const size = { residents: Math.round(FULL_YEAR.residents * yearScale), turns: Math.round(FULL_YEAR.turns * yearScale), tickets: Math.round(FULL_YEAR.tickets * yearScale) };
  const reachable = await postgresReachable(DATABASE_URL);
  const results = await runYear(reachable ? DATABASE_URL : undefined, size);
  for (const r of results) {
    console.log(`\nA year of data on ${r.database} (${Object.entries(r.rows).map(([k, v]) => `${v.toLocaleString("en")} ${k}`).join(", ")}; seeded in ${(r.seedMs / 1000).toFixed(0)} s; database ${r.dbMb.toFixed(0)} MB; median of the runs, first run in brackets)\n`);
    console.log("| what | ms | target | |");
    console.log("|---|---:|---:|---|");
    const within = (a: number, b: number): string => (a <= b * 1.1 ? "within 10 %" : `NO: ${((a / b - 1) * 100).toFixed(0)} % slower`);
    console.log(`| a turn, p50 / p99 (empty database) | ${r.turnEmpty.p50.toFixed(1)} / ${r.turnEmpty.p99.toFixed(1)} | | |`);
    console.log(`| a turn, p50 / p99 (a year of data) | ${r.turnYear.p50.toFixed(1)} / ${r.turnYear.p99.toFixed(1)} | ≤ empty + 10 % | ${within(r.turnYear.p99, r.turnEmpty.p99)} |`);
    for (const m of r.measures) {
      const verdict = m.targetMs === undefined ? "" : m.ms <= m.targetMs ? "yes" : `NO — ${m.worst ?? "no plan"}`;
      console.log(`| ${m.name} | ${m.ms.toFixed(0)} (${m.firstMs.toFixed(0)}) | ${m.targetMs === undefined ? "" : `≤ ${m.targetMs}`} | ${verdict} |`);
    }
  }
  const key = (r: (typeof results)[number], name: string): number | undefined => {
    const m = r.measures.find((x) => x.name.startsWith(name));
    return m ? Math.round(m.ms) : undefined;
  };
  const part = (r: (typeof results)[number]): Record<string, unknown> => ({
    turn_p50_ms_empty: round2(r.turnEmpty.p50), turn_p99_ms_empty: round2(r.turnEmpty.p99), turn_p50_ms_year: round2(r.turnYear.p50), turn_p99_ms_year: round2(r.turnYear.p99),
    indicators_year_ms: key(r, "indicators, the whole year"), indicators_month_ms: key(r, "indicators, one month"),
    unanswered_month_ms: key(r, "unanswered report, one month"), unanswered_year_ms: key(r, "unanswered report, the whole year"),
    queue_ms: key(r, "staff queue (an agent"), ticket_ms: key(r, "ticket view"), forget_ms: key(r, "/forget"),
    retention_ms: key(r, "retention job, daily"), retention_first_90_days_ms: key(r, "retention job, first run"),
    aggregates_build_ms: key(r, "indicators' aggregates"), db_mb: Math.round(r.dbMb), seed_ms: Math.round(r.seedMs),
  });
  const server = results.find((r) => r.database.includes("PostgreSQL"));
  const pglite = results.find((r) => r.database.includes("PGlite"));
  // The issue's keys at the top level are the PostgreSQL server's (PGlite's when there is none).
  summary.year = { ...part(must(server ?? pglite, "a year's results")), scale: yearScale, ...(server ? { pg: part(server) } : {}), ...(pglite ? { pglite: part(pglite) } : {}) };
}

async function retrieval(): Promise<void> {
  const shipped = await loadKnowledge(path.join(ROOT, "knowledge"));
  const queries = readFileSync(QUERIES_FILE, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { q: string }).q);
  const rows = [
    measure("shipped guides", shipped, queries, 10),
    measure("synthetic 1,000", synthetic(shipped, 1_000), queries, 3),
    measure("synthetic 10,000", synthetic(shipped, 10_000), queries, 1),
  ];
  const target: Record<string, string> = { "shipped guides": "p99 ≤ 2 ms", "synthetic 1,000": "—", "synthetic 10,000": "p99 ≤ 20 ms, build ≤ 3 s" };
  console.log(`Retrieval benchmark (${queries.length} questions per round; Node ${process.version})\n`);
  console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores: on a busy machine wall-clock p99 includes time other processes held the core; "CPU p99" is the question's own CPU time)\n`);
  console.log("| corpus | sections | build (ms) | p50 (ms) | p99 (ms) | CPU p99 (ms) | RSS (MB) | target |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(`| ${r.corpus} | ${r.sections} | ${r.buildMs.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuP99.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${target[r.corpus]} |`);
  }
  const [own, , large] = rows as [Row, Row, Row];
  summary.retrieval = { shipped_p99_ms: round2(own.p99), shipped_cpu_p99_ms: round2(own.cpuP99), synthetic_10000_p99_ms: round2(large.p99), synthetic_10000_cpu_p99_ms: round2(large.cpuP99), synthetic_10000_build_ms: Math.round(large.buildMs) };
}

/** Table 3: 100 residents escalating at once against two instances on one PostgreSQL server. */
async function escalation(): Promise<void> {
  const url = DATABASE_URL;
  const residents = 100;
  console.log(`\nEscalation to staff across two instances on one PostgreSQL server (${residents} web chat residents at once; the agent on instance B answers 10 tickets at a time; both instances and the residents in this process; one run)\n`);
  if (!(await postgresReachable(url))) {
    console.log(`(No PostgreSQL at ${url}: the escalation row is left out.)`);
    return;
  }
  const r = await runEscalationBench(residents, url);
  const ms = (s: { p50: number; p95: number; max: number }): string => `${s.p50.toFixed(0)} / ${s.p95.toFixed(0)} / ${s.max.toFixed(0)}`;
  console.log("| residents | instances | tickets visible to staff p50/p95/max (ms) | staff replies delivered p50/p95/max (ms) | all visible once | all delivered once |");
  console.log("|---:|---:|---:|---:|---|---|");
  console.log(`| ${r.residents} | ${r.instances} | ${ms(r.visible)} | ${ms(r.delivered)} | ${r.allVisibleOnce ? "yes" : "NO"} | ${r.allDeliveredOnce ? "yes" : "NO"} |`);
  summary.escalation = { visible_p95_ms: Math.round(r.visible.p95), delivered_p95_ms: Math.round(r.delivered.p95) };
  if (r.problems.length > 0) {
    console.log(`\nProblems: ${r.problems.slice(0, 5).join("; ")}`);
    process.exitCode = 1;
  }
}
