/**
 * The reports as CSV: RFC 4180 with CRLF line ends and a UTF-8 byte order mark (Excel opens it
 * correctly); text a spreadsheet would run as a formula is defused.
 * @module
 */
import type { UnansweredGroup } from "./grouping.js";
import type { Indicators, KeyCount } from "./indicators.js";

type Cell = string | number | null;

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return) gets a leading apostrophe.
 */
function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV: UTF-8 byte order mark, CRLF line ends. */
function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/**
 * The indicators as a flat CSV with the columns `section,key,value`, e.g.
 * `totals,conversations,12`, `weeks.conversations,2026-W45,4`, `escalations.byTopic,e-invoices,2`,
 * `staffTimes.firstResponseMinutes,median,25`. Empty values are nulls (nothing to measure).
 */
export function indicatorsToCsv(ind: Indicators): string {
  const rows: Cell[][] = [["section", "key", "value"]];
  const add = (section: string, key: string, value: Cell): void => {
    rows.push([section, key, value]);
  };
  const counts = (section: string, list: readonly KeyCount[]): void => list.forEach((c) => add(section, c.key, c.count));
  add("period", "from", ind.period.from);
  add("period", "to", ind.period.to);
  add("period", "timeZone", ind.period.timeZone);
  add("period", "conversationGapMinutes", ind.period.conversationGapMinutes);
  for (const [key, value] of Object.entries(ind.totals)) add("totals", key, value);
  for (const w of ind.weeks) add("weeks.weekStart", w.week, w.weekStart);
  for (const w of ind.weeks) add("weeks.conversations", w.week, w.conversations);
  for (const w of ind.weeks) add("weeks.residents", w.week, w.residents);
  for (const w of ind.weeks) add("weeks.questions", w.week, w.questions);
  for (const [key, value] of Object.entries(ind.resolvedByBot)) add("resolvedByBot", key, value);
  add("escalations", "tickets", ind.escalations.tickets);
  counts("escalations.byTopic", ind.escalations.byTopic);
  counts("escalations.byParish", ind.escalations.byParish);
  counts("escalations.byCentre", ind.escalations.byCentre);
  for (const [name, d] of Object.entries(ind.staffTimes)) {
    add(`staffTimes.${name}`, "tickets", d.tickets);
    add(`staffTimes.${name}`, "median", d.median);
    add(`staffTimes.${name}`, "p90", d.p90);
  }
  add("satisfaction", "ratings", ind.satisfaction.ratings);
  add("satisfaction", "average", ind.satisfaction.average);
  for (const [key, value] of Object.entries(ind.satisfaction.distribution)) add("satisfaction.distribution", key, value);
  counts("languages.residents", ind.languages.residents);
  counts("languages.inboundMessages", ind.languages.inboundMessages);
  for (const g of ind.guides) add("guides.answers", g.id, g.answers);
  for (const g of ind.guides) add("guides.residents", g.id, g.residents);
  for (const f of ind.flows) add("flows.started", f.id, f.started);
  for (const f of ind.flows) add("flows.completed", f.id, f.completed);
  for (const [key, value] of Object.entries(ind.outcomes.eInvoices)) add("outcomes.eInvoices", key, value);
  for (const [key, value] of Object.entries(ind.outcomes.onlineApplications)) add("outcomes.onlineApplications", key, value);
  return toCsv(rows);
}

/** What an editor did about a group, as the unanswered CSV shows it (see content/handled.ts). */
export interface CsvHandled {
  /** `teach`, `dismiss` or `needs-guide`. */
  readonly action: string;
  /** The guide taught to (or that now covers a to-do item), if any. */
  readonly guideId: string | null;
  readonly by: string;
  /** ISO 8601. */
  readonly at: string;
}

/**
 * The unanswered report as CSV, one group a row: `rank,count,representative,languages,fallback,
 * lowConfidence,feedbackDown,escalation,closestGuide,examples,inFlows,handled,handledGuide,
 * handledBy,handledAt` (languages as `lv 3; ru 1`, examples joined with ` | `, the flows and
 * steps where residents were as `flow › step; …`). `handled[i]` is what an editor did about
 * group i (empty cells when nothing, or when not given).
 */
export function unansweredToCsv(groups: readonly UnansweredGroup[], handled: readonly (CsvHandled | null)[] = []): string {
  const rows: Cell[][] = [[
    "rank", "count", "representative", "languages", "fallback", "lowConfidence", "feedbackDown", "escalation", "closestGuide", "examples",
    "inFlows", "handled", "handledGuide", "handledBy", "handledAt",
  ]];
  groups.forEach((g, i) => {
    const h = handled[i] ?? null;
    rows.push([
      i + 1, g.count, g.representative, Object.entries(g.languages).map(([l, n]) => `${l} ${n}`).join("; "),
      g.reasons.fallback, g.reasons.lowConfidence, g.reasons.feedbackDown, g.reasons.escalation, g.closestGuide, g.examples.join(" | "),
      (g.inFlows ?? []).join("; "), h?.action ?? null, h?.guideId ?? null, h?.by ?? null, h?.at ?? null,
    ]);
  });
  return toCsv(rows);
}
