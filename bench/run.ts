/**
 * `npm run bench`: three tables.
 * 1. Retrieval on the shipped guides and on synthetic corpora of 1,000 and 10,000 guide sections:
 *    build time, query latency p50/p99 and resident memory. Targets: p99 ≤ 2 ms (shipped),
 *    ≤ 20 ms (10,000 sections); build of 10,000 ≤ 3 s.
 * 2. End to end on the local Telegram emulator: 200 residents × 10 messages against a bare grammY
 *    echo bot and against DigiPalīgs (embedded PGlite; and a PostgreSQL server when
 *    BENCH_DATABASE_URL or the default 127.0.0.1:5432/test answers). Every message must be answered
 *    exactly once and in order. Target: throughput ≥ 0.5 × the echo bot's.
 * 3. Escalation (bench/escalation.ts; needs the PostgreSQL server): 100 web chat residents asking
 *    for a person at once against two instances; time until every ticket is visible to staff and
 *    every staff reply is delivered (p50/p95/max), each exactly once.
 * Options: `--e2e-only`, `--retrieval-only`, `--escalation-only`, `--residents N`, `--rounds N` (default 3).
 * @module
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import pg from "pg";
import { runEndToEnd, type EndToEndRow } from "./e2e/run.js";
import { postgresReachable, runEscalationBench } from "./escalation.js";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Assistant } from "../src/core/assistant.js";
import { LANGS, type Lang } from "../src/core/types.js";
import type { Guide, Section } from "../src/knowledge/guide.js";
import { loadKnowledge, type KnowledgeBase } from "../src/knowledge/load.js";

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
      const model = shipped[i % shipped.length] as Guide;
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

interface Row { corpus: string; sections: number; buildMs: number; p50: number; p99: number; rssMb: number }

function measure(name: string, knowledge: KnowledgeBase, queries: readonly string[], rounds: number): Row {
  const t0 = performance.now();
  const assistant = new Assistant({ knowledge });
  const buildMs = performance.now() - t0;
  const sections = LANGS.reduce((n, l) => n + assistant.index.size(l).sections, 0);
  for (const q of queries) assistant.ask(q); // warm up the JIT and the stem cache
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const s = performance.now();
      assistant.ask(q);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  return { corpus: name, sections, buildMs, p50: percentile(times, 50), p99: percentile(times, 99), rssMb: process.memoryUsage().rss / 2 ** 20 };
}

const args = process.argv.slice(2);
const residentsArg = args.indexOf("--residents");
const residents = residentsArg >= 0 ? Number(args[residentsArg + 1]) : 200;
const roundsArg = args.indexOf("--rounds");
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 3;

const escalationOnly = args.includes("--escalation-only");
if (!escalationOnly && !args.includes("--e2e-only")) await retrieval();
if (!escalationOnly && !args.includes("--retrieval-only")) await endToEnd();
if (!args.includes("--e2e-only") && !args.includes("--retrieval-only")) await escalation();

async function endToEnd(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  const reachable = await client.connect().then(() => client.end()).then(() => true, () => false);
  const rows = await runEndToEnd(residents, reachable ? url : undefined, rounds);
  const echo = rows[0] as EndToEndRow;
  console.log(`\nEnd to end on the local Telegram emulator (${residents} residents × 10 messages, each waiting for its replies; best of ${rounds} alternating rounds; ${cpus().length} cores)\n`);
  console.log("| bot | messages | replies | msg/s | vs echo | p50 (ms) | p95 (ms) | bot CPU/msg (ms) | emulator CPU/msg (ms) | peak RSS (MB) | answered once, in order |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    const ok = r.problems.length === 0 ? "yes" : `NO: ${r.problems.slice(0, 3).join("; ")}`;
    console.log(`| ${r.bot} | ${r.messages} | ${r.replies} | ${r.throughput.toFixed(0)} | ${(r.throughput / echo.throughput).toFixed(2)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.botCpuPerMessage.toFixed(2)} | ${r.emulatorCpuPerMessage.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${ok} |`);
  }
  if (!reachable) console.log(`\n(No PostgreSQL at ${url}: the server row is left out.)`);
  if (rows.some((r) => r.problems.length > 0)) process.exitCode = 1;
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
  console.log("| corpus | sections | build (ms) | p50 (ms) | p99 (ms) | RSS (MB) | target |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(`| ${r.corpus} | ${r.sections} | ${r.buildMs.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${target[r.corpus]} |`);
  }
}

/** Table 3: 100 residents escalating at once against two instances on one PostgreSQL server. */
async function escalation(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
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
  if (r.problems.length > 0) {
    console.log(`\nProblems: ${r.problems.slice(0, 5).join("; ")}`);
    process.exitCode = 1;
  }
}
