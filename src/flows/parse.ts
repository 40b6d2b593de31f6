/**
 * Parses one flow file (YAML) into a {@link Flow}, reporting every problem as `file:line`.
 * Checks that need other files (flow and guide references, events) are in `load.ts`.
 * @module
 */
import { createHash } from "node:crypto";
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import { isLang, LANGS, type Lang } from "../core/types.js";
import type { Diagnostic } from "../knowledge/diagnostics.js";
import { FLOW_EVENTS, type Choice, type ChoiceTarget, type Flow, type FlowEvent, type Step, type StepType, type Texts } from "./flow.js";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const VAR = /^[a-z][a-z0-9_-]*$/;
/** Longest button text that still fits on a phone. */
export const MAX_LABEL_LENGTH = 40;
/** Longest message a flow step may send. */
export const MAX_SAY_LENGTH = 1500;

const STEP_FIELDS: Readonly<Record<StepType, readonly string[]>> = {
  message: ["type", "say", "choices", "next"],
  instruction: ["type", "say", "done", "failed", "type_in"],
  question: ["type", "say", "save", "next"],
  branch: ["type", "on", "cases", "default"],
  guide: ["type", "guide", "section", "next"],
  escalate: ["type", "say", "reason"],
  end: ["type", "say", "record"],
};
const CHOICE_FIELDS = ["label", "next", "flow", "guide", "escalate", "menu", "set", "language", "record"];
const TOP_FIELDS = ["id", "title", "description", "triggers", "start", "steps"];

/** The result of parsing one flow file. */
export interface FlowParseResult {
  readonly flow?: Flow;
  readonly diagnostics: Diagnostic[];
}

type Path = readonly (string | number)[];

/** A reader over a parsed YAML document that knows the line of every node. */
class Reader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly doc: Document, private readonly lines: LineCounter, private readonly file: string) {}

  line(path: Path): number {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length === 0 ? this.doc.contents : this.doc.getIn(p, true);
      const range = (node as { range?: [number, number] } | null | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
      if (p.length === 0) return 1;
    }
  }

  keyLine(path: Path): number {
    const parent = path.length <= 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((it) => (it.key as { value?: unknown } | null)?.value === path[path.length - 1]);
      const range = (pair?.key as { range?: [number, number] } | null)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return this.line(path);
  }

  error(path: Path, message: string): void {
    this.diagnostics.push({ file: this.file, line: this.keyLine(path), severity: "error", message });
  }

  texts(value: unknown, path: Path, what: string, max: number): Texts | undefined {
    if (typeof value === "string") {
      this.error(path, `${what} needs a text for each language: lv, ru and en`);
      return undefined;
    }
    if (!isRecord(value)) {
      this.error(path, `${what} is missing: add lv, ru and en texts`);
      return undefined;
    }
    const out: Partial<Record<Lang, string>> = {};
    for (const key of Object.keys(value)) {
      if (!isLang(key)) this.error([...path, key], `${what}: unknown language '${key}' (use lv, ru, en)`);
    }
    for (const lang of LANGS) {
      const text = value[lang];
      if (typeof text !== "string" || text.trim() === "") {
        this.error(path, `${what}: missing ${lang} translation`);
        continue;
      }
      if (text.trim().length > max) this.error([...path, lang], `${what} (${lang}) is ${text.trim().length} characters; keep it within ${max}`);
      out[lang] = text.trim();
    }
    return LANGS.every((l) => out[l] !== undefined) ? (out as Texts) : undefined;
  }

  stepRef(value: unknown, path: Path, field: string): string | undefined {
    if (typeof value !== "string" || !ID.test(value)) {
      this.error(path, `${field} must name a step (lowercase letters, digits and hyphens)`);
      return undefined;
    }
    return value;
  }

  unknownFields(value: Record<string, unknown>, allowed: readonly string[], path: Path, what: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.error([...path, key], `${what}: unknown field '${key}' (allowed: ${allowed.join(", ")})`);
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(r: Reader, value: unknown, path: Path, what: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) {
    r.error(path, `${what} must be a list of names`);
    return [];
  }
  return list.filter((x): x is string => typeof x === "string");
}

/**
 * The line of a node in a flow file (of its key, for a map entry), for checks made after
 * parsing (references to other flows and guides). Line 1 when the path is not in the file.
 */
export function flowLineFinder(text: string): (path: readonly (string | number)[]) => number {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new Reader(doc, lines, "");
  return (path) => r.keyLine(path);
}

/** Parses one flow file. `file` is used in diagnostics; `expectedId` is the file's base name. */
export function parseFlow(text: string, file: string, expectedId?: string): FlowParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new Reader(doc, lines, file);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      // Without prettyErrors the parser sets no linePos: find the line from the error's offset.
      const line = e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line;
      r.diagnostics.push({ file, line, severity: "error", message: `not valid YAML: ${e.message.split("\n")[0]}` });
    }
    return { diagnostics: r.diagnostics };
  }
  const data: unknown = doc.toJS();
  if (!isRecord(data)) {
    r.error([], "a flow file must be a map with id, title, start and steps");
    return { diagnostics: r.diagnostics };
  }
  r.unknownFields(data, TOP_FIELDS, [], "flow");

  const id = data.id;
  if (typeof id !== "string" || !ID.test(id)) r.error(["id"], "id must be lowercase letters, digits and hyphens");
  else if (expectedId && id !== expectedId) r.error(["id"], `id '${id}' must match the file name '${expectedId}'`);
  const title = r.texts(data.title, ["title"], "title", MAX_LABEL_LENGTH * 2);

  const triggersRaw = data.triggers ?? {};
  let triggers = { deepLinks: [] as string[], guides: [] as string[], on: [] as FlowEvent[] };
  if (!isRecord(triggersRaw)) {
    r.error(["triggers"], "triggers must be a map (deep-links, guides, on)");
  } else {
    r.unknownFields(triggersRaw, ["deep-links", "guides", "on"], ["triggers"], "triggers");
    const deepLinks = stringList(r, triggersRaw["deep-links"], ["triggers", "deep-links"], "deep-links");
    deepLinks.forEach((d, i) => {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(d)) r.error(["triggers", "deep-links", i], `deep link '${d}' may use only letters, digits, _ and - (at most 64)`);
    });
    const on = stringList(r, triggersRaw.on, ["triggers", "on"], "on");
    on.forEach((e, i) => {
      if (!FLOW_EVENTS.includes(e as FlowEvent)) r.error(["triggers", "on", i], `unknown event '${e}' (known: ${FLOW_EVENTS.join(", ")})`);
    });
    triggers = { deepLinks, guides: stringList(r, triggersRaw.guides, ["triggers", "guides"], "guides"), on: on.filter((e): e is FlowEvent => FLOW_EVENTS.includes(e as FlowEvent)) };
  }

  const stepsRaw = data.steps;
  const steps = new Map<string, Step>();
  if (!isRecord(stepsRaw) || Object.keys(stepsRaw).length === 0) {
    r.error(["steps"], "steps are missing: add at least one step");
  } else {
    for (const [stepId, raw] of Object.entries(stepsRaw)) {
      const step = parseStep(r, stepId, raw, ["steps", stepId]);
      if (step) steps.set(stepId, step);
    }
  }
  const start = data.start;
  if (typeof start !== "string") r.error(["start"], "start must name the first step");
  else if (isRecord(stepsRaw) && !(start in stepsRaw)) r.error(["start"], `start names an unknown step '${start}'`);

  if (isRecord(stepsRaw)) checkSteps(r, stepsRaw, steps, typeof start === "string" ? start : undefined);

  const ok = r.diagnostics.length === 0 && typeof id === "string" && title && typeof start === "string";
  if (!ok) return { diagnostics: r.diagnostics };
  const version = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return { flow: { id, version, file, title, triggers, start, steps }, diagnostics: r.diagnostics };
}

function parseStep(r: Reader, id: string, raw: unknown, path: Path): Step | undefined {
  if (!ID.test(id)) r.error(path, `step id '${id}' must be lowercase letters, digits and hyphens`);
  if (!isRecord(raw)) {
    r.error(path, `step '${id}' must be a map with a type and its fields`);
    return undefined;
  }
  const type = (raw.type ?? "message") as StepType;
  if (!(type in STEP_FIELDS)) {
    r.error([...path, "type"], `step '${id}': unknown type '${String(raw.type)}' (known: ${Object.keys(STEP_FIELDS).join(", ")})`);
    return undefined;
  }
  r.unknownFields(raw, STEP_FIELDS[type], path, `step '${id}' (${type})`);
  const line = r.keyLine(path);
  const base = { id, line } as const;
  const say = (required: boolean): Texts | undefined =>
    raw.say === undefined && !required ? undefined : r.texts(raw.say, [...path, "say"], `step '${id}' say`, MAX_SAY_LENGTH);
  const ref = (field: string, required: boolean): string | undefined => {
    if (raw[field] === undefined) {
      if (required) r.error(path, `step '${id}' (${type}) needs '${field}'`);
      return undefined;
    }
    return r.stepRef(raw[field], [...path, field], `step '${id}' ${field}`);
  };
  switch (type) {
    case "message": {
      const text = say(true);
      const next = ref("next", false);
      const choices: Choice[] = [];
      if (raw.choices !== undefined) {
        if (!Array.isArray(raw.choices) || raw.choices.length === 0) r.error([...path, "choices"], `step '${id}' choices must be a list of at least one choice`);
        else raw.choices.forEach((c, i) => {
          const choice = parseChoice(r, c, [...path, "choices", i], id);
          if (choice) choices.push(choice);
        });
        if (next) r.error([...path, "next"], `step '${id}' has both choices and next: use one`);
      }
      return text ? { ...base, type, say: text, choices, ...(next ? { next } : {}) } : undefined;
    }
    case "instruction": {
      const text = say(true);
      const done = ref("done", true);
      const failed = ref("failed", false);
      // Where the resident types what the step asks for, when that is another site's form.
      const typeIn = raw.type_in === undefined ? undefined : r.texts(raw.type_in, [...path, "type_in"], `step '${id}' type_in`, MAX_LABEL_LENGTH);
      return text && done ? { ...base, type, say: text, done, ...(failed ? { failed } : {}), ...(typeIn ? { typeIn } : {}) } : undefined;
    }
    case "question": {
      const text = say(true);
      const next = ref("next", true);
      const save = raw.save;
      if (typeof save !== "string" || !VAR.test(save)) r.error([...path, "save"], `step '${id}' needs 'save': a variable name (lowercase letters)`);
      return text && next && typeof save === "string" ? { ...base, type, say: text, save, next } : undefined;
    }
    case "branch": {
      const on = raw.on;
      if (typeof on !== "string" || !VAR.test(on)) r.error([...path, "on"], `step '${id}' needs 'on': the variable to branch on`);
      const def = ref("default", true);
      const cases: Record<string, string> = {};
      if (!isRecord(raw.cases)) r.error([...path, "cases"], `step '${id}' needs 'cases': value → step`);
      else for (const [value, target] of Object.entries(raw.cases)) {
        const stepRef = r.stepRef(target, [...path, "cases", value], `step '${id}' case '${value}'`);
        if (stepRef) cases[value] = stepRef;
      }
      return typeof on === "string" && def ? { ...base, type, on, cases, default: def } : undefined;
    }
    case "guide": {
      const guide = raw.guide;
      if (typeof guide !== "string" || !ID.test(guide)) r.error([...path, "guide"], `step '${id}' needs 'guide': a guide id`);
      const section = raw.section;
      if (section !== undefined && (typeof section !== "string" || !ID.test(section))) r.error([...path, "section"], `step '${id}' section must be an anchor`);
      const next = ref("next", false);
      return typeof guide === "string" ? { ...base, type, guide, ...(typeof section === "string" ? { section } : {}), ...(next ? { next } : {}) } : undefined;
    }
    case "escalate": {
      const text = say(false);
      const reason = typeof raw.reason === "string" ? raw.reason : undefined;
      if (raw.reason !== undefined && reason === undefined) r.error([...path, "reason"], `step '${id}' reason must be text`);
      return { ...base, type, ...(text ? { say: text } : {}), ...(reason ? { reason } : {}) };
    }
    case "end": {
      const text = say(true);
      const record = raw.record;
      if (record !== undefined && (typeof record !== "string" || !ID.test(record))) r.error([...path, "record"], `step '${id}' record must be an event name`);
      return text ? { ...base, type, say: text, ...(typeof record === "string" ? { record } : {}) } : undefined;
    }
  }
}

function parseChoice(r: Reader, raw: unknown, path: Path, stepId: string): Choice | undefined {
  const what = `step '${stepId}' choice ${Number(path[path.length - 1]) + 1}`;
  if (!isRecord(raw)) {
    r.error(path, `${what} must be a map with a label and where it leads`);
    return undefined;
  }
  r.unknownFields(raw, CHOICE_FIELDS, path, what);
  const label = r.texts(raw.label, [...path, "label"], `${what} label`, MAX_LABEL_LENGTH);
  const targets = (["next", "flow", "guide", "escalate", "menu"] as const).filter((k) => raw[k] !== undefined && raw[k] !== false);
  const [kind, ...more] = targets;
  if (kind === undefined || more.length > 0) {
    r.error(path, `${what} needs exactly one of next, flow, guide, escalate, menu (has ${targets.length === 0 ? "none" : targets.join(", ")})`);
    return undefined;
  }
  let target: ChoiceTarget | undefined;
  const value = raw[kind];
  if (kind === "next") {
    const step = r.stepRef(value, [...path, "next"], `${what} next`);
    if (step) target = { kind, step };
  } else if (kind === "flow") {
    if (typeof value === "string" && ID.test(value)) target = { kind, flow: value };
    else r.error([...path, "flow"], `${what} flow must be a flow id`);
  } else if (kind === "guide") {
    const m = typeof value === "string" ? /^([a-z0-9-]+)(?:#([a-z0-9-]+))?$/.exec(value) : null;
    if (m?.[1]) target = { kind, guide: m[1], ...(m[2] ? { anchor: m[2] } : {}) };
    else r.error([...path, "guide"], `${what} guide must be 'guide-id' or 'guide-id#anchor'`);
  } else if (value === true) {
    target = kind === "escalate" ? { kind: "escalate" } : { kind: "menu" };
  } else {
    r.error([...path, kind], `${what} ${kind} must be true`);
  }
  let set: Record<string, string> | undefined;
  if (raw.set !== undefined) {
    if (!isRecord(raw.set) || Object.entries(raw.set).some(([k, v]) => !VAR.test(k) || (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean"))) {
      r.error([...path, "set"], `${what} set must map variable names to values`);
    } else {
      set = Object.fromEntries(Object.entries(raw.set).map(([k, v]) => [k, String(v)]));
    }
  }
  const language = raw.language;
  if (language !== undefined && !isLang(language)) r.error([...path, "language"], `${what} language must be lv, ru or en`);
  const record = raw.record;
  if (record !== undefined && (typeof record !== "string" || !ID.test(record))) r.error([...path, "record"], `${what} record must be an event name`);
  if (!label || !target) return undefined;
  return {
    label, target,
    ...(set ? { set } : {}),
    ...(isLang(language) ? { language } : {}),
    ...(typeof record === "string" ? { record } : {}),
  };
}

/** Checks step references and reachability within one flow. */
function checkSteps(r: Reader, raw: Record<string, unknown>, steps: ReadonlyMap<string, Step>, start: string | undefined): void {
  const known = new Set(Object.keys(raw));
  const refs = (s: Step): { field: Path; step: string }[] => {
    const p = (...rest: (string | number)[]): Path => ["steps", s.id, ...rest];
    switch (s.type) {
      case "message":
        return [
          ...(s.next ? [{ field: p("next"), step: s.next }] : []),
          ...s.choices.flatMap((c, i) => (c.target.kind === "next" ? [{ field: p("choices", i, "next"), step: c.target.step }] : [])),
        ];
      case "instruction":
        return [{ field: p("done"), step: s.done }, ...(s.failed ? [{ field: p("failed"), step: s.failed }] : [])];
      case "question":
        return [{ field: p("next"), step: s.next }];
      case "branch":
        return [...Object.entries(s.cases).map(([v, step]) => ({ field: p("cases", v), step })), { field: p("default"), step: s.default }];
      case "guide":
        return s.next ? [{ field: p("next"), step: s.next }] : [];
      default:
        return [];
    }
  };
  for (const s of steps.values()) {
    for (const ref of refs(s)) if (!known.has(ref.step)) r.error(ref.field, `step '${s.id}' refers to an unknown step '${ref.step}'`);
  }
  if (!start || !known.has(start)) return;
  const seen = new Set<string>();
  const queue = [start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const s = steps.get(id);
    if (!s) return; // an invalid step hides what it leads to; its own error is reported
    queue.push(...refs(s).map((x) => x.step));
    // A choice that did not parse (e.g. a label missing a language) still leads somewhere:
    // its own error is reported, and its target must not be called unreachable too.
    const entry = raw[id];
    const rawChoices = isRecord(entry) ? entry.choices : undefined;
    if (Array.isArray(rawChoices)) for (const c of rawChoices) if (isRecord(c) && typeof c.next === "string") queue.push(c.next);
  }
  for (const id of known) if (!seen.has(id)) r.error(["steps", id], `step '${id}' cannot be reached from start '${start}'`);
}
