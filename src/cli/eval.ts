/**
 * Understanding evaluation. Reads `{"q": "...", "expect": ["guide-id" | "escalate" | "none", ...],
 * "lang"?: "lv"|"ru"|"en"}` lines and runs each question as the **first turn of a real
 * conversation** (commands, scam check, person requests, flows, retrieval, clarification), so the
 * figures are what a resident gets. Reports hit@1, hit@3 (a clarification that offers an expected
 * guide counts here, not in hit@1), MRR, clarify, "I don't know", escalate and none accuracy,
 * overall and per language; `--calibration` prints the confidence bands.
 *
 * Held-in and held-out: every question falls into one part by a fixed hash of its text
 * ({@link part}), so tuning looks only at the held-in part and the held-out figure says how the
 * understanding generalises. Misses are listed for the held-in part only.
 * @module
 */
import type { Conversation } from "../core/conversation.js";
import { NEW_SESSION } from "../core/conversation.js";
import { UsageError } from "../core/errors.js";
import { isLang, type Intent, type Lang } from "../core/types.js";
import type { Flow } from "../flows/flow.js";

/** One evaluation question. */
export interface EvalCase {
  readonly q: string;
  readonly expect: readonly string[];
  /** The language the question is written in, when the set says so. */
  readonly lang?: Lang;
  /** The set's own label for the kind of question (short, story, translit …). */
  readonly kind?: string;
}

/** What a resident gets for a first message, in the terms of `ask --json`. */
export interface FirstTurn {
  readonly lang: Lang;
  readonly intent: Intent;
  /** The flow started, if any. */
  readonly flow?: string;
  /** Ranked guides; a flow started by a topic rule begins with the guide it covers. */
  readonly guides: readonly { readonly id: string; readonly score: number }[];
  /** The guides offered by a clarification ("Vai Jūs jautājat par: …"). */
  readonly suggestions?: readonly string[];
  /** Calibrated probability that the first guide is right (retrieval turns). */
  readonly confidence?: number;
  /** All reply texts, joined. */
  readonly reply: string;
  /** The escalation preselects a call back. */
  readonly callback?: boolean;
}

/** The outcome for one question. */
export interface EvalResult {
  readonly q: string;
  /** The language used for the per-language figures: the set's label, else the detected one. */
  readonly lang: Lang;
  readonly detected: Lang;
  readonly intent: Intent;
  readonly guides: readonly string[];
  readonly suggestions: readonly string[];
  readonly expect: readonly string[];
  readonly kind: "guide" | "escalate" | "none";
  readonly ok: boolean;
  /** Rank of the first expected guide among the answered guides (0 when not answered). */
  readonly rank: number;
  readonly confidence?: number;
  /** The top-ranked guide (answered or not) is an expected one. */
  readonly topRight: boolean;
  readonly part: "in" | "out";
}

/** Aggregates for a set of results. */
export interface EvalMetrics {
  readonly hit1: number;
  readonly hit3: number;
  readonly mrr: number;
  /** Share of in-scope questions answered with a clarification. */
  readonly clarify: number;
  /** Share of in-scope questions that ended in "I don't know". */
  readonly idk: number;
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
    if (typeof value !== "object" || value === null) throw new UsageError(`${file}:${i + 1}: expected {"q": "...", "expect": ["id", ...]}`);
    const v: { q?: unknown; expect?: unknown; lang?: unknown; kind?: unknown } = value;
    if (typeof v.q !== "string" || !Array.isArray(v.expect) || !v.expect.every((e): e is string => typeof e === "string")) {
      throw new UsageError(`${file}:${i + 1}: expected {"q": "...", "expect": ["id", ...]}`);
    }
    cases.push({
      q: v.q,
      expect: v.expect,
      ...(isLang(v.lang) ? { lang: v.lang } : {}),
      ...(typeof v.kind === "string" ? { kind: v.kind } : {}),
    });
  });
  return cases;
}

/** FNV-1a of a string, for the fixed held-in / held-out split. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Which part of the corpus a question belongs to: about 30 % are held out of tuning. */
export function part(question: string): "in" | "out" {
  return hash(question.trim()) % 10 < 3 ? "out" : "in";
}

/** The guide a flow covers: the first guide its steps show (scam-check → online-safety). */
export function flowGuide(flow: Flow): string | undefined {
  for (const step of flow.steps.values()) if (step.type === "guide") return step.guide;
  return undefined;
}

/**
 * Runs one message as the first turn of a new conversation, exactly as a resident's first
 * message is handled, and describes the result as `ask --json` does.
 */
export function firstTurn(conversation: Conversation, text: string, lang: Lang = "lv"): FirstTurn {
  const turn = conversation.handle(NEW_SESSION, { kind: "text", text }, { lang });
  const outcome = turn.outcome;
  const flow = turn.flowId ? conversation.flows.get(turn.flowId) : undefined;
  let guides = (outcome?.guides ?? []).map((g) => ({ id: g.id, score: g.score }));
  if (turn.intent === "flow" && flow) {
    const covered = flowGuide(flow);
    if (covered) guides = [{ id: covered, score: guides.find((g) => g.id === covered)?.score ?? 0 }, ...guides.filter((g) => g.id !== covered)];
  }
  const suggestions = outcome?.suggestions;
  const callback = turn.state.intake?.contact === "phone" || outcome?.callback === true;
  return {
    lang: turn.lang,
    intent: turn.intent,
    ...(turn.intent === "flow" && turn.flowId ? { flow: turn.flowId } : {}),
    guides,
    ...(turn.intent === "clarify" && suggestions ? { suggestions } : {}),
    ...(outcome?.confidence !== undefined ? { confidence: outcome.confidence } : {}),
    reply: turn.replies.map((r) => r.text).join("\n\n"),
    ...(turn.intent === "escalate" && callback ? { callback: true } : {}),
  };
}

/** Runs every case as a first turn. */
export function evaluate(conversation: Conversation, cases: readonly EvalCase[]): EvalResult[] {
  return cases.map((c) => judge(c, firstTurn(conversation, c.q)));
}

/** Scores one first turn against its case. */
export function judge(c: EvalCase, out: FirstTurn): EvalResult {
  const guides = out.guides.map((g) => g.id);
  const kind = c.expect.includes("escalate") ? "escalate" : c.expect.includes("none") ? "none" : "guide";
  const answered = out.intent === "guide" || out.intent === "flow";
  const rankIndex = answered ? guides.findIndex((g) => c.expect.includes(g)) : -1;
  const rank = rankIndex + 1;
  const ok = kind === "escalate" ? out.intent === "escalate" : kind === "none" ? out.intent === "fallback" : rank === 1;
  return {
    q: c.q,
    lang: c.lang ?? out.lang,
    detected: out.lang,
    intent: out.intent,
    guides: guides.slice(0, 3),
    suggestions: out.suggestions ?? [],
    expect: c.expect,
    kind,
    ok,
    rank,
    ...(out.confidence !== undefined ? { confidence: out.confidence } : {}),
    topRight: guides[0] !== undefined && c.expect.includes(guides[0]),
    part: part(c.q),
  };
}

/** Computes the metrics of a set of results. */
export function metrics(results: readonly EvalResult[]): EvalMetrics {
  const share = (xs: readonly EvalResult[], pass: (r: EvalResult) => boolean): number =>
    xs.length === 0 ? 1 : round(xs.filter(pass).length / xs.length);
  const guides = results.filter((r) => r.kind === "guide");
  const offered = (r: EvalResult): boolean => r.intent === "clarify" && r.suggestions.some((s) => r.expect.includes(s));
  return {
    hit1: share(guides, (r) => r.rank === 1),
    hit3: share(guides, (r) => (r.rank >= 1 && r.rank <= 3) || offered(r)),
    mrr: guides.length === 0 ? 1 : round(guides.reduce((s, r) => s + (r.rank > 0 ? 1 / r.rank : 0), 0) / guides.length),
    clarify: guides.length === 0 ? 0 : round(guides.filter((r) => r.intent === "clarify").length / guides.length),
    idk: guides.length === 0 ? 0 : round(guides.filter((r) => r.intent === "fallback").length / guides.length),
    escalate: share(results.filter((r) => r.kind === "escalate"), (r) => r.intent === "escalate"),
    none: share(results.filter((r) => r.kind === "none"), (r) => r.intent === "fallback"),
    n: results.length,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

const HEADER = "              n    hit@1  hit@3  MRR    clarify  idk    escalate  none";

function row(name: string, m: EvalMetrics): string {
  const f = (x: number): string => x.toFixed(3);
  return `${name.padEnd(12)} ${String(m.n).padStart(4)}   ${f(m.hit1)}  ${f(m.hit3)}  ${f(m.mrr)}  ${f(m.clarify)}    ${f(m.idk)}  ${f(m.escalate)}     ${f(m.none)}`;
}

/** The table of figures overall and per language for a set of results. */
export function figures(results: readonly EvalResult[], name = "all"): string[] {
  const lines = [row(name, metrics(results))];
  for (const lang of ["lv", "ru", "en"] as const) {
    const subset = results.filter((r) => r.lang === lang);
    if (subset.length > 0) lines.push(row(`  ${lang}`, metrics(subset)));
  }
  return lines;
}

/**
 * A readable report: the figures overall, held-in and held-out, per language, then the misses
 * of the held-in part (held-out questions are not shown one by one).
 */
export function formatReport(results: readonly EvalResult[], options: { misses?: boolean } = {}): string {
  const inPart = results.filter((r) => r.part === "in");
  const outPart = results.filter((r) => r.part === "out");
  const lines = [HEADER, ...figures(results, "all"), ...figures(inPart, "held-in"), ...figures(outPart, "held-out")];
  if (options.misses === false) return lines.join("\n");
  const misses = inPart.filter((r) => !r.ok);
  lines.push("", misses.length === 0 ? "No held-in misses." : `Held-in misses (${misses.length}; held-out misses are not listed):`);
  for (const m of misses) {
    const got = m.intent === "clarify" ? `clarify: ${m.suggestions.join(", ")}` : `${m.intent}: ${m.guides.join(", ") || "—"}`;
    lines.push(`  [${m.lang}${m.detected !== m.lang ? `→${m.detected}` : ""}] ${m.q}\n      expected ${m.expect.join("|")}, got ${got}${m.confidence !== undefined ? ` (p=${m.confidence.toFixed(2)})` : ""}`);
  }
  return lines.join("\n");
}

/** Confidence bands for `eval --calibration`: lower edges. */
export const CALIBRATION_BANDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;

/**
 * The calibration table: per confidence band, how many retrieval questions fell in it and the
 * share whose first guide is right (out-of-scope questions count as wrong), with the decision
 * the assistant takes in that band.
 */
export function calibrationTable(results: readonly EvalResult[], decide: (p: number) => string): string {
  const scored = results.filter((r) => r.confidence !== undefined && r.kind !== "escalate");
  const lines = ["band          n    first right  in-scope  decision"];
  CALIBRATION_BANDS.forEach((lo, i) => {
    const hi = CALIBRATION_BANDS[i + 1] ?? 1.0001;
    const band = scored.filter((r) => r.confidence !== undefined && r.confidence >= lo && r.confidence < hi);
    const right = band.filter((r) => r.topRight).length;
    const inScope = band.filter((r) => r.kind === "guide").length;
    const share = band.length === 0 ? "—" : (right / band.length).toFixed(3);
    lines.push(`${lo.toFixed(2)}–${Math.min(hi, 1).toFixed(2)}  ${String(band.length).padStart(5)}  ${share.padStart(11)}  ${String(inScope).padStart(8)}  ${decide(lo)}`);
  });
  const answered = scored.filter((r) => r.intent === "guide");
  const direct = answered.length === 0 ? 1 : answered.filter((r) => r.topRight).length / answered.length;
  const inScope = scored.filter((r) => r.kind === "guide");
  const idk = inScope.length === 0 ? 0 : inScope.filter((r) => r.intent === "fallback").length / inScope.length;
  lines.push("", `direct answers right: ${direct.toFixed(3)} (target ≥ 0.95); in-scope "I don't know": ${idk.toFixed(3)} (target < 0.05)`);
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
    held_in: metrics(results.filter((r) => r.part === "in")),
    held_out: metrics(results.filter((r) => r.part === "out")),
    results: results.map((r) => ({
      q: r.q, lang: r.detected, intent: r.intent, guides: r.guides,
      ...(r.intent === "clarify" ? { suggestions: r.suggestions } : {}),
      ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
      expect: r.expect, ok: r.ok, part: r.part, top_right: r.topRight,
    })),
  };
}
