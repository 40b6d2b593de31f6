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

const Hours = z.object({
  /** Whether the hours were confirmed by an official source. */
  confirmed: z.boolean(),
  note: z.string().optional(),
  mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day.default([]), sun: Day.default([]),
});

const Centre = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: Localised,
  address: z.string().nullable(),
  address_confirmed: z.boolean(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  parishes: z.array(z.string()),
  hours: Hours,
});

const Parish = z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: Localised });

const CentresFile = z.object({
  information_line: z.string(),
  sources: z.array(z.string().url()),
  parishes: z.array(Parish),
  centres: z.array(Centre),
});

/** A client service point. */
export type Centre = z.infer<typeof Centre>;
/** A parish (pagasts) of Jelgavas novads. */
export type Parish = z.infer<typeof Parish>;
/** Everything in centres.yaml. */
export type Centres = z.infer<typeof CentresFile>;

/** Parses and validates centres.yaml: every parish is served by exactly one centre. */
export function parseCentres(text: string, file: string): { centres?: Centres; diagnostics: Diagnostic[] } {
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
  return diagnostics.length > 0 ? { diagnostics } : { centres: data, diagnostics };
}

/** The centre that serves a parish. */
export function centreForParish(centres: Centres, parishId: string): Centre | undefined {
  return centres.centres.find((c) => c.parishes.includes(parishId));
}
