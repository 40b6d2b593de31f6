/**
 * Latvian public holidays (svētku dienas), loaded from `knowledge/holidays.yaml`: days on which
 * state and municipal institutions, and so the client service centres, are closed. Every date is
 * listed explicitly; the check compares each listed year with the rules of the law so that a
 * forgotten holiday is caught, and warns when the list is about to run out.
 * @module
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import type { Diagnostic } from "./diagnostics.js";
import { isValidUrl } from "./parse.js";

/** Warn when the list of holidays ends within this many days of today. */
export const HOLIDAYS_WARN_DAYS = 60;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The date `days` days after the YYYY-MM-DD date `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The day of the week of a YYYY-MM-DD date: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Western (Gregorian) Easter Sunday of `year` as YYYY-MM-DD (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** One day the law requires in a year, used to check that the data lists it. */
export interface RequiredHoliday {
  readonly date: string;
  /** What the rule is, in English, for diagnostics. */
  readonly rule: string;
}

/**
 * The holidays the law "Par svētku, atceres un atzīmējamām dienām" fixes for `year`: fixed dates,
 * Good Friday and Easter Sunday/Monday, and the Monday after 4 May or 18 November when either falls
 * on a weekend. One-off days (Song and Dance Festival, Saeima decisions) are not rules and are not here.
 */
export function requiredHolidays(year: number): RequiredHoliday[] {
  const on = (md: string): string => `${year}-${md}`;
  const easter = easterSunday(year);
  const days: RequiredHoliday[] = [
    { date: on("01-01"), rule: "1 January (New Year's Day)" },
    { date: addDays(easter, -2), rule: "Good Friday" },
    { date: easter, rule: "Easter Sunday" },
    { date: addDays(easter, 1), rule: "Easter Monday" },
    { date: on("05-01"), rule: "1 May" },
    { date: on("05-04"), rule: "4 May" },
    { date: on("06-23"), rule: "23 June (Midsummer Eve)" },
    { date: on("06-24"), rule: "24 June (Midsummer Day)" },
    { date: on("11-18"), rule: "18 November" },
    { date: on("12-24"), rule: "24 December (Christmas Eve)" },
    { date: on("12-25"), rule: "25 December (Christmas Day)" },
    { date: on("12-26"), rule: "26 December" },
    { date: on("12-31"), rule: "31 December (New Year's Eve)" },
  ];
  for (const [md, label] of [["05-04", "4 May"], ["11-18", "18 November"]] as const) {
    const weekday = weekdayOf(on(md));
    if (weekday === 6 || weekday === 0) {
      days.push({ date: addDays(on(md), weekday === 6 ? 2 : 1), rule: `the Monday after ${label}, which falls on a weekend` });
    }
  }
  return days.sort((x, y) => x.date.localeCompare(y.date));
}

const nonEmpty = z.string().trim().min(1, "must not be empty");

const dateField = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isIsoDate, "must be a real date written as YYYY-MM-DD");

const HolidayName = z.object({ lv: nonEmpty, en: nonEmpty, ru: nonEmpty.optional() });

const Entry = z.object({ date: dateField, name: HolidayName });

const HolidaysFile = z.object({
  law: z.string().optional(),
  source: z.string().refine(isValidUrl, "must be the URL of the law"),
  checked: dateField,
  notes: z.array(z.string()).default([]),
  holidays: z.array(Entry).min(1, "needs at least one holiday"),
});

/** A holiday's name: Latvian and English always, Russian when the editors gave one. */
export type HolidayName = z.infer<typeof HolidayName>;

/** One public holiday. */
export interface Holiday {
  /** YYYY-MM-DD, in Latvia. */
  readonly date: string;
  readonly name: HolidayName;
}

/** The public holidays, with lookups by date. */
export interface Holidays {
  /** Every holiday, sorted by date. */
  readonly list: readonly Holiday[];
  /** The first listed date (YYYY-MM-DD). */
  readonly coversFrom: string;
  /** The last listed date (YYYY-MM-DD): after it, holidays are unknown. */
  readonly coversUntil: string;
  /** URL of the law. */
  readonly source?: string;
  /** When the editors last checked the list (YYYY-MM-DD). */
  readonly checked?: string;
  /** The Latvian name of the holiday on `date` (YYYY-MM-DD), or undefined on other days. */
  isHoliday(date: string): string | undefined;
  /** The holiday on `date` (YYYY-MM-DD) with all its names, or undefined on other days. */
  holiday(date: string): Holiday | undefined;
}

/** Builds the lookups over a list of holidays (used by the parser and by tests). */
export function createHolidays(list: readonly Holiday[], meta: { source?: string; checked?: string } = {}): Holidays {
  const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
  const byDate = new Map(sorted.map((h) => [h.date, h]));
  return {
    list: sorted,
    coversFrom: sorted[0]?.date ?? "",
    coversUntil: sorted[sorted.length - 1]?.date ?? "",
    ...(meta.source !== undefined ? { source: meta.source } : {}),
    ...(meta.checked !== undefined ? { checked: meta.checked } : {}),
    isHoliday: (date) => byDate.get(date)?.name.lv,
    holiday: (date) => byDate.get(date),
  };
}

/**
 * Parses and validates holidays.yaml. `today` (YYYY-MM-DD) is for the warnings about a list that
 * is about to end and a `checked` date in the future. Errors leave `holidays` undefined.
 */
export function parseHolidays(text: string, file: string, today: string): { holidays?: Holidays; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const lineAt = (offset: number): number => counter.linePos(offset).line;
  const error = (line: number, message: string): void => {
    diagnostics.push({ file, line, severity: "error", message });
  };
  const warn = (line: number, message: string): void => {
    diagnostics.push({ file, line, severity: "warning", message });
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) error(lineAt(e.pos[0]), e.message.split("\n")[0] ?? "");
    return { diagnostics };
  }
  /** The line of the node at `path` (of its nearest existing parent if absent) and whether it exists. */
  const locate = (path: readonly PropertyKey[]): { line: number; found: boolean } => {
    let node: unknown = doc.contents;
    let found = true;
    for (const key of path) {
      const next: unknown = isMap(node) ? node.get(key, true) : isSeq(node) ? node.get(Number(key), true) : undefined;
      if (next === undefined) {
        found = false;
        break;
      }
      node = next;
    }
    // A missing top-level field is reported at line 1, as in guides.
    if (!found && node === doc.contents) return { line: 1, found };
    return { line: lineAt((node as Node | null)?.range?.[0] ?? 0), found };
  };
  const lineOf = (path: readonly PropertyKey[]): number => locate(path).line;
  /** The line of a top-level key (`holidays:`), or 1. */
  const keyLine = (name: string): number => {
    const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === name) : undefined;
    const key = pair?.key as Node | null | undefined;
    return key?.range ? lineAt(key.range[0]) : 1;
  };
  const parsed = HolidaysFile.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const { line, found } = locate(issue.path);
      const where = issue.path.join(".");
      error(line, found ? `${where}: ${issue.message}` : `'${where}' is missing`);
    }
    return { diagnostics };
  }
  const data = parsed.data;
  const lineOfEntry = (i: number): number => lineOf(["holidays", i]);

  const seen = new Map<string, number>();
  data.holidays.forEach((h, i) => {
    const first = seen.get(h.date);
    if (first !== undefined) error(lineOfEntry(i), `duplicate date ${h.date} (also on line ${lineOfEntry(first)})`);
    else seen.set(h.date, i);
  });

  const years = [...new Set(data.holidays.map((h) => Number(h.date.slice(0, 4))))].sort((a, b) => a - b);
  for (const year of years) {
    for (const required of requiredHolidays(year)) {
      if (!seen.has(required.date)) {
        error(keyLine("holidays"), `${year}: ${required.date} (${required.rule}) is missing`);
      }
    }
  }
  if (diagnostics.length > 0) return { diagnostics };

  const holidays = createHolidays(data.holidays, { source: data.source, checked: data.checked });
  if (holidays.coversUntil < today) {
    warn(keyLine("holidays"), `holidays are listed only until ${holidays.coversUntil}, which has passed: add the next year's holidays`);
  } else if (holidays.coversUntil <= addDays(today, HOLIDAYS_WARN_DAYS)) {
    warn(keyLine("holidays"), `holidays are listed only until ${holidays.coversUntil}: add the next year's holidays`);
  }
  if (data.checked > today) warn(keyLine("checked"), `checked ${data.checked} is in the future`);
  return { holidays, diagnostics };
}
