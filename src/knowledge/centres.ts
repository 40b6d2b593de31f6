/**
 * The client service points of Jelgavas novads and the parishes each serves, loaded from
 * `knowledge/centres.yaml`. Values not confirmed by a source are marked so the bot can say so.
 * @module
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import type { Diagnostic } from "./diagnostics.js";

const Localised = z.object({ lv: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written as HH:MM");
const Interval = z.tuple([Time, Time]);
const Day = z.array(Interval);

const IsoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "must be a date written as YYYY-MM-DD");

/**
 * A centre's weekly opening hours. Only confirmed hours are ever shown or turned into "open now":
 * an editor confirms them with the page that gives them (`source`) and the day they checked it
 * (`checked`). Days without intervals are closed.
 */
const Hours = z.object({
  /** Whether the hours were confirmed by an official source. */
  confirmed: z.boolean(),
  /** The page that gives the hours (required when confirmed). */
  source: z.url().optional(),
  /** When an editor last compared the hours with the source (required when confirmed). */
  checked: IsoDate.optional(),
  note: z.string().optional(),
  mon: Day.default([]), tue: Day.default([]), wed: Day.default([]), thu: Day.default([]), fri: Day.default([]), sat: Day.default([]), sun: Day.default([]),
}).superRefine((h, ctx) => {
  if (!h.confirmed) return;
  if (h.source === undefined) ctx.addIssue({ code: "custom", path: ["source"], message: "confirmed hours need 'source:', the address of the page that gives them" });
  if (h.checked === undefined) ctx.addIssue({ code: "custom", path: ["checked"], message: "confirmed hours need 'checked:', the day (YYYY-MM-DD) they were compared with the source" });
});

/** Confirmed hours checked longer ago than this many days get a warning. */
export const HOURS_RECHECK_DAYS = 365;

const Centre = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: Localised,
  /** The name as the receiver of a question, in each language's case: "… pārvaldei", "в управление …", "to the …". */
  to: Localised.optional(),
  address: z.string().nullable(),
  address_confirmed: z.boolean(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  parishes: z.array(z.string()),
  /** Absent or `confirmed: false`: nobody knows the hours, and the bot says so. */
  hours: Hours.optional(),
});

const Parish = z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: Localised });

const CentresFile = z.object({
  information_line: z.string(),
  sources: z.array(z.url()),
  parishes: z.array(Parish),
  centres: z.array(Centre),
});

/** A client service point. */
export type Centre = z.infer<typeof Centre>;
/** A parish (pagasts) of Jelgavas novads. */
export type Parish = z.infer<typeof Parish>;
/** Everything in centres.yaml. */
export type Centres = z.infer<typeof CentresFile>;

/**
 * Parses and validates centres.yaml: every parish is served by exactly one centre; confirmed hours
 * carry `source` and `checked`. `today` (YYYY-MM-DD) enables the warnings about `checked` dates.
 */
export function parseCentres(text: string, file: string, today?: string): { centres?: Centres; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineAt = (offset: number): number => counter.linePos(offset).line;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diagnostics.push({ file, line: lineAt(e.pos[0]), severity: "error", message: e.message.split("\n")[0] ?? "" });
    return { diagnostics };
  }
  const parsed = CentresFile.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      let node: unknown = doc.contents;
      for (const key of issue.path) {
        const next: unknown = isMap(node) ? node.get(key, true) : isSeq(node) ? node.get(Number(key), true) : undefined;
        if (next === undefined) break;
        node = next;
      }
      const line = lineAt((node as Node | null)?.range?.[0] ?? 0);
      diagnostics.push({ file, line, severity: "error", message: `${issue.path.join(".")}: ${issue.message}` });
    }
    return { diagnostics };
  }
  const data = parsed.data;
  const parishIds = new Set(data.parishes.map((p) => p.id));
  const servedBy = new Map<string, string>();
  for (const centre of data.centres) {
    for (const parish of centre.parishes) {
      if (!parishIds.has(parish)) {
        diagnostics.push({ file, line: 1, severity: "error", message: `centre '${centre.id}' serves unknown parish '${parish}'` });
      } else if (servedBy.has(parish)) {
        diagnostics.push({ file, line: 1, severity: "error", message: `parish '${parish}' is served by both '${servedBy.get(parish)}' and '${centre.id}'` });
      } else {
        servedBy.set(parish, centre.id);
      }
    }
  }
  for (const parish of parishIds) {
    if (!servedBy.has(parish)) diagnostics.push({ file, line: 1, severity: "error", message: `parish '${parish}' is served by no centre` });
  }
  const errors = diagnostics.length;
  data.centres.forEach((centre, i) => {
    const hours = centre.hours;
    const hoursNode = (doc.getIn(["centres", i, "hours"], true) ?? doc.getIn(["centres", i], true)) as Node | null | undefined;
    const line = lineAt(hoursNode?.range?.[0] ?? 0);
    const days = hours ? [hours.mon, hours.tue, hours.wed, hours.thu, hours.fri, hours.sat, hours.sun] : [];
    if (hours && !hours.confirmed && days.some((d) => d.length > 0)) {
      diagnostics.push({ file, line, severity: "warning", message: `centre '${centre.id}': unconfirmed hours are never shown; remove them, or confirm them with 'confirmed: true', 'source' and 'checked'` });
    }
    if (!hours?.confirmed || !hours.checked || !today) return;
    if (hours.checked > today) diagnostics.push({ file, line, severity: "warning", message: `centre '${centre.id}': hours checked ${hours.checked} is in the future` });
    else if (daysBetween(hours.checked, today) > HOURS_RECHECK_DAYS) {
      diagnostics.push({ file, line, severity: "warning", message: `centre '${centre.id}': hours were checked on ${hours.checked}, more than ${HOURS_RECHECK_DAYS} days ago: compare them with the source again` });
    }
  });
  return errors > 0 ? { diagnostics } : { centres: data, diagnostics };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The centre that serves a parish. */
export function centreForParish(centres: Centres, parishId: string): Centre | undefined {
  return centres.centres.find((c) => c.parishes.includes(parishId));
}
