/**
 * `cli indicators --from YYYY-MM-DD --to YYYY-MM-DD [--json|--csv] [--unanswered] [--limit N]`:
 * the assistant's indicators for a period (see src/staff/reports/), or with `--unanswered` the
 * questions residents did not get answered, grouped. Both dates are included and read as days in
 * Latvia (Europe/Riga). Prints a readable summary, or JSON, or CSV (UTF-8 with BOM, for Excel).
 * Uses the configured database (PGlite in DATA_DIR — stop the app first, PGlite allows one
 * process — or DATABASE_URL).
 * @module
 */
import type { Writable } from "node:stream";
import { loadConfig } from "../config.js";
import { UsageError } from "../core/errors.js";
import { localTime, TIME_ZONE } from "../core/hours.js";
import {
  computeIndicators, indicatorsToCsv, unansweredReport, unansweredToCsv,
  type Indicators, type KeyCount, type ReportPeriod, type UnansweredGroup,
} from "../staff/reports/index.js";
import { openDatabase } from "../store/database.js";
import { migrate } from "../store/migrate.js";

/** How `indicators` is used. */
export const INDICATORS_USAGE = `  indicators --from YYYY-MM-DD --to YYYY-MM-DD [--json|--csv] [--unanswered] [--limit N]
                                            figures for a period (both days included, Latvian time);
                                            --unanswered: what residents did not get answered, grouped`;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a calendar day written as YYYY-MM-DD.
 * @throws {UsageError} naming the option when the text is not a real date.
 */
export function parseDay(text: string, option: string): { year: number; month: number; day: number } {
  const m = DAY.exec(text);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!m || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new UsageError(`${option} must be a date written as YYYY-MM-DD (e.g. 2026-11-01); got "${text}"`);
  }
  return { year, month, day };
}

/** How far the clock in `timeZone` is ahead of UTC at `at`, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a day starts (00:00) on a clock in `timeZone`. */
export function startOfDay(day: { year: number; month: number; day: number }, timeZone: string = TIME_ZONE): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day);
  let at = wall - zoneOffset(wall, timeZone);
  at = wall - zoneOffset(at, timeZone);
  return new Date(at);
}

/**
 * The half-open period from the start of day `from` to the start of the day after `to`, on a
 * clock in Latvia (both days included).
 * @throws {UsageError} for malformed dates or `from` after `to`.
 */
export function dayPeriod(from: string, to: string): ReportPeriod {
  const start = parseDay(from, "--from");
  const end = parseDay(to, "--to");
  const next = new Date(Date.UTC(end.year, end.month - 1, end.day + 1));
  const period = { from: startOfDay(start), to: startOfDay({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }) };
  if (period.to.getTime() <= period.from.getTime()) throw new UsageError(`--from ${from} is after --to ${to}`);
  return period;
}

/** "1 ticket", "2 tickets". */
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const list = (items: readonly KeyCount[]): string => (items.length > 0 ? items.map((c) => `${c.key} ${c.count}`).join(", ") : "none");
const minutes = (value: number | null): string => (value === null ? "–" : `${value} min`);

/** A half-open period as the days a reader in Latvia means: its first and last day. */
function days(from: Date, to: Date): string {
  return `${localTime(from).date} – ${localTime(new Date(to.getTime() - 1)).date} (${TIME_ZONE})`;
}

/** A readable summary of the indicators. */
export function formatIndicators(ind: Indicators): string {
  const t = ind.totals;
  const r = ind.resolvedByBot;
  const s = ind.satisfaction;
  const times = ind.staffTimes;
  const lines = [
    `DigiPalīgs indicators, ${days(new Date(ind.period.from), new Date(ind.period.to))}`,
    "",
    `Conversations: ${t.conversations} with ${count(t.residents, "resident")} (${count(t.inboundMessages, "message")}, ${count(t.questions, "question")})`,
    "Per ISO week:",
    ...ind.weeks.map((w) => `  ${w.week} (from ${w.weekStart}): ${count(w.conversations, "conversation")}, ${count(w.residents, "resident")}, ${count(w.questions, "question")}`),
    `Resolved by the bot: ${r.conversationsResolved} of ${r.conversationsWithQuestions} conversations with questions${r.share === null ? "" : ` (${Math.round(r.share * 1000) / 10}%)`}`,
    `  (answered from a guide, no "I don't know", no clarification left open, no ticket, no 👎; ${r.conversationsWithGuideAnswer} had a guide answer)`,
    `Escalations: ${count(ind.escalations.tickets, "ticket")}`,
    `  by topic: ${list(ind.escalations.byTopic)}`,
    `  by parish: ${list(ind.escalations.byParish)}`,
    `  by centre: ${list(ind.escalations.byCentre)}`,
    `First staff response: median ${minutes(times.firstResponseMinutes.median)}, 90% within ${minutes(times.firstResponseMinutes.p90)} (${count(times.firstResponseMinutes.tickets, "ticket")})`,
    `Resolution: median ${minutes(times.resolutionMinutes.median)}, 90% within ${minutes(times.resolutionMinutes.p90)} (${count(times.resolutionMinutes.tickets, "ticket")})`,
    `Satisfaction: ${count(s.ratings, "rating")}${s.average === null ? "" : `, average ${s.average.toFixed(2)}`} (${Object.entries(s.distribution).map(([k, n]) => `${k}★ ${n}`).join(", ")})`,
    `Languages: residents ${list(ind.languages.residents)}; messages ${list(ind.languages.inboundMessages)}`,
    `Guides answered: ${ind.guides.length > 0 ? ind.guides.map((g) => `${g.id} ${g.answers}`).join(", ") : "none"}`,
    `Flows started/completed: ${ind.flows.length > 0 ? ind.flows.map((f) => `${f.id} ${f.started}/${f.completed}`).join(", ") : "none"}`,
    `E-invoices: ${count(ind.outcomes.eInvoices.residentsCompleted, "resident")} set one up (${ind.outcomes.eInvoices.residentsStartedSetup} started the set-up), ${ind.outcomes.eInvoices.residentsGuided} guided there (answered from the guide or started the set-up)`,
    `Online applications: ${count(ind.outcomes.onlineApplications.residentsCompleted, "resident")} submitted one (${ind.outcomes.onlineApplications.residentsStartedFlow} started the flow), ${ind.outcomes.onlineApplications.residentsGuided} guided there (answered from the guide or started the flow)`,
  ];
  return `${lines.join("\n")}\n`;
}

/** A readable list of the unanswered groups. */
export function formatUnanswered(groups: readonly UnansweredGroup[], period: ReportPeriod): string {
  const head = `Unanswered questions, ${days(period.from, period.to)}: ${count(groups.length, "group")}`;
  const lines = groups.flatMap((g, i) => {
    const reasons = Object.entries(g.reasons).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    const langs = Object.entries(g.languages).map(([l, n]) => `${l} ${n}`).join(", ");
    return [
      `${String(i + 1).padStart(3)}. ${g.count}× «${g.representative}» [${langs}] ${reasons}; closest guide: ${g.closestGuide ?? "none"}`,
      ...(g.examples.length > 1 ? [`     also: ${g.examples.slice(1).map((e) => `«${e}»`).join(", ")}`] : []),
    ];
  });
  return `${[head, ...lines].join("\n")}\n`;
}

/** Runs `indicators …`; returns the exit code. */
export async function indicatorsCommand(argv: readonly string[], io: { output: Writable; env?: NodeJS.ProcessEnv } = { output: process.stdout }): Promise<number> {
  const usage = `Usage:\n${INDICATORS_USAGE}`;
  let from: string | undefined;
  let to: string | undefined;
  let limit: number | undefined;
  let format: "text" | "json" | "csv" = "text";
  let unanswered = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--json" || flag === "--csv") {
      const wanted = flag === "--json" ? "json" : "csv";
      if (format !== "text" && format !== wanted) throw new UsageError(`choose one of --json and --csv\n${usage}`);
      format = wanted;
    } else if (flag === "--unanswered") {
      unanswered = true;
    } else if (flag === "--from" || flag === "--to" || flag === "--limit") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value\n${usage}`);
      if (flag === "--from") from = value;
      else if (flag === "--to") to = value;
      else if (/^[1-9]\d{0,5}$/.test(value)) limit = Number(value);
      else throw new UsageError(`--limit must be a whole number from 1; got "${value}"`);
    } else {
      throw new UsageError(`unknown option ${flag}\n${usage}`);
    }
  }
  if (from === undefined || to === undefined) throw new UsageError(`--from and --to are required\n${usage}`);
  if (limit !== undefined && !unanswered) throw new UsageError("--limit applies to --unanswered only");
  const period = dayPeriod(from, to);

  const config = loadConfig(io.env ?? process.env);
  const db = await openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: config.dataDir }, { purpose: "cli indicators" });
  try {
    await migrate(db.pool);
    if (unanswered) {
      const groups = await unansweredReport(db.pool, { ...period, ...(limit !== undefined ? { limit } : {}) });
      io.output.write(format === "json" ? `${JSON.stringify(groups, null, 2)}\n` : format === "csv" ? unansweredToCsv(groups) : formatUnanswered(groups, period));
    } else {
      const indicators = await computeIndicators(db.pool, period);
      io.output.write(format === "json" ? `${JSON.stringify(indicators, null, 2)}\n` : format === "csv" ? indicatorsToCsv(indicators) : formatIndicators(indicators));
    }
  } finally {
    await db.close();
  }
  return 0;
}
