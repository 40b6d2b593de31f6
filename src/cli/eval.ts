/**
 * Retrieval evaluation: reads `{"q": "...", "expect": ["guide-id" | "escalate" | "none", ...]}`
 * lines and reports hit@1, hit@3, MRR, escalate and none accuracy, overall and per language.
 * @module
 */
import type { Assistant } from "../core/assistant.js";
import { UsageError } from "../core/errors.js";
import type { Intent, Lang } from "../core/types.js";

/** One evaluation question. */
export interface EvalCase {
  readonly q: string;
  readonly expect: readonly string[];
}

/** The outcome for one question. */
export interface EvalResult {
  readonly q: string;
  readonly lang: Lang;
  readonly intent: Intent;
  readonly guides: readonly string[];
  readonly expect: readonly string[];
  readonly kind: "guide" | "escalate" | "none";
  readonly ok: boolean;
  readonly rank: number;
}

/** Aggregates for a set of results. */
export interface EvalMetrics {
  readonly hit1: number;
  readonly hit3: number;
  readonly mrr: number;
  readonly escalate: number;
  readonly none: number;
  readonly n: number;
}

/** Parses a JSONL evaluation file; bad lines are reported with their line number. */
export function parseEvalFile(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${i + 1}: not valid JSON`);
    }
    const v = value as { q?: unknown; expect?: unknown };
    if (typeof v.q !== "string" || !Array.isArray(v.expect) || !v.expect.every((e) => typeof e === "string")) {
      throw new UsageError(`${file}:${i + 1}: expected {"q": "...", "expect": ["id", ...]}`);
    }
    cases.push({ q: v.q, expect: v.expect as string[] });
  });
  return cases;
}

/** Runs every case through the assistant. */
export function evaluate(assistant: Assistant, cases: readonly EvalCase[]): EvalResult[] {
  return cases.map((c) => {
    const out = assistant.ask(c.q);
    const guides = out.guides.map((g) => g.id);
    const kind = c.expect.includes("escalate") ? "escalate" : c.expect.includes("none") ? "none" : "guide";
    const answered = out.intent === "guide" || out.intent === "flow";
    const rankIndex = answered ? guides.findIndex((g) => c.expect.includes(g)) : -1;
    const rank = rankIndex + 1;
    const ok = kind === "escalate" ? out.intent === "escalate" : kind === "none" ? out.intent === "fallback" : rank === 1;
    return { q: c.q, lang: out.lang, intent: out.intent, guides: guides.slice(0, 3), expect: c.expect, kind, ok, rank };
  });
}

/** Computes the metrics of a set of results. */
export function metrics(results: readonly EvalResult[]): EvalMetrics {
  const share = (xs: readonly EvalResult[], pass: (r: EvalResult) => boolean): number =>
    xs.length === 0 ? 1 : round(xs.filter(pass).length / xs.length);
  const guides = results.filter((r) => r.kind === "guide");
  return {
    hit1: share(guides, (r) => r.rank === 1),
    hit3: share(guides, (r) => r.rank >= 1 && r.rank <= 3),
    mrr: guides.length === 0 ? 1 : round(guides.reduce((s, r) => s + (r.rank > 0 ? 1 / r.rank : 0), 0) / guides.length),
    escalate: share(results.filter((r) => r.kind === "escalate"), (r) => r.intent === "escalate"),
    none: share(results.filter((r) => r.kind === "none"), (r) => r.intent === "fallback"),
    n: results.length,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A readable report: the figures overall and per language, then the misses. */
export function formatReport(results: readonly EvalResult[]): string {
  const row = (name: string, m: EvalMetrics): string =>
    `${name.padEnd(8)} ${String(m.n).padStart(4)}  ${m.hit1.toFixed(3)}  ${m.hit3.toFixed(3)}  ${m.mrr.toFixed(3)}  ${m.escalate.toFixed(3)}     ${m.none.toFixed(3)}`;
  const lines = ["         n     hit@1  hit@3  MRR    escalate  none", row("all", metrics(results))];
  for (const lang of ["lv", "ru", "en"] as const) {
    const subset = results.filter((r) => r.lang === lang);
    if (subset.length > 0) lines.push(row(lang, metrics(subset)));
  }
  const misses = results.filter((r) => !r.ok);
  lines.push("", misses.length === 0 ? "No misses." : `Misses (${misses.length}):`);
  for (const m of misses) {
    lines.push(`  [${m.lang}] ${m.q}\n      expected ${m.expect.join("|")}, got ${m.intent}: ${m.guides.join(", ") || "—"}`);
  }
  return lines.join("\n");
}

/** The JSON summary (the last line of `eval --json`). */
export function jsonSummary(results: readonly EvalResult[]): object {
  const perLang: Record<string, EvalMetrics> = {};
  for (const lang of ["lv", "ru", "en"] as const) {
    const subset = results.filter((r) => r.lang === lang);
    if (subset.length > 0) perLang[lang] = metrics(subset);
  }
  return {
    ...metrics(results),
    per_lang: perLang,
    results: results.map((r) => ({ q: r.q, lang: r.lang, intent: r.intent, guides: r.guides })),
  };
}
