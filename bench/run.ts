/**
 * `npm run bench`: retrieval performance on the shipped guides and on synthetic corpora of 1,000
 * and 10,000 guide sections. Prints one table: build time, query latency p50/p99 and resident
 * memory. Targets: p99 ≤ 2 ms (shipped), ≤ 20 ms (10,000 sections); build of 10,000 ≤ 3 s.
 * @module
 */
import { readFileSync } from "node:fs";
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
