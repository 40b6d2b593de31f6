/**
 * Button ids: what comes back when a resident presses a button. They travel through Telegram's
 * `callback_data` (at most 64 bytes) and the web chat, so they are short strings; this module is
 * the only place that builds or reads them. {@link buttonIds} builds them, {@link parseButtonId}
 * turns any id (also an old, unknown or forged one) into a {@link ButtonPress}, and
 * {@link formatButtonId} is its exact inverse.
 *
 * Flow buttons carry the flow and step they belong to, so a press on an old message is
 * recognised and handled, not misapplied to the current step.
 * @module
 */
import { isLang, type Lang } from "./types.js";

/** What an instruction step's standard buttons do. */
export type InstructionAction = "done" | "failed" | "repeat" | "back";

/** A rating score. */
export type Score = 1 | 2 | 3 | 4 | 5;

/** A pressed button, as the core understands it. */
export type ButtonPress =
  /** The main menu. */
  | { readonly kind: "menu" }
  /** "Talk to a person". */
  | { readonly kind: "person" }
  /** The language picker. */
  | { readonly kind: "languages" }
  /** A language was chosen. */
  | { readonly kind: "language"; readonly lang: Lang }
  /** Starts a flow at its first step ("▶️ Step by step"). */
  | { readonly kind: "startFlow"; readonly flow: string }
  /** A whole guide. */
  | { readonly kind: "guide"; readonly guide: string }
  /** One section of a guide. */
  | { readonly kind: "section"; readonly guide: string; readonly anchor: string }
  /** A choice of a flow's `message` step, by index. */
  | { readonly kind: "flowChoice"; readonly flow: string; readonly step: string; readonly index: number }
  /** A standard button of a flow step (done, failed, repeat, back). */
  | { readonly kind: "flowAction"; readonly flow: string; readonly step: string; readonly action: InstructionAction }
  /** "Continue where we were" after a question in the middle of a flow. */
  | { readonly kind: "flowResume"; readonly flow: string }
  /** The intake's "hand my question to a person?" answer. */
  | { readonly kind: "intakeConfirm"; readonly yes: boolean }
  /** The resident's parish; `undefined` for "another parish / I don't know". */
  | { readonly kind: "parish"; readonly parish: string | undefined }
  /** How the resident wants the answer. */
  | { readonly kind: "contact"; readonly mode: "chat" | "phone" }
  /** Consent to share the conversation with staff. */
  | { readonly kind: "consent"; readonly yes: boolean }
  /** Keep the prefilled question for staff. */
  | { readonly kind: "questionKeep" }
  /** End the open ticket, or go back to writing to the specialist. */
  | { readonly kind: "ticket"; readonly action: "end" | "resume" }
  /** A rating (1–5) of a closed ticket, or skipping the comment. */
  | { readonly kind: "rate"; readonly ticketId: number; readonly score: Score | "skip" }
  /** The answer to the `/forget` confirmation. */
  | { readonly kind: "forget"; readonly yes: boolean }
  /** "End and delete the conversation" (the web chat's button): asks the `/forget` confirmation. */
  | { readonly kind: "forgetAsk" }
  /** A choice under "Vai Jūs jautājat par: …": a guide, "Cits jautājums" (other) or a person. */
  | { readonly kind: "clarify"; readonly choice: { readonly guide: string } | "other" | "person" }
  /** Anything else: old, removed or made-up ids. */
  | { readonly kind: "unknown"; readonly id: string };

/** The kinds of {@link ButtonPress}. */
export type ButtonKind = ButtonPress["kind"];

/** Ids of flows, steps, guides, anchors and parishes (checked by the content checker). */
const SLUG = "[a-z0-9-]+";
/** Reads the capture groups of one pattern (up to three; a pattern's own groups always match). */
type ReadGroups = (groups: readonly [string, string, string]) => ButtonPress | undefined;
const PATTERNS: readonly [RegExp, ReadGroups][] = [
  [/^lang:(\w+)$/, ([lang]) => (isLang(lang) ? { kind: "language", lang } : undefined)],
  [new RegExp(`^flow:(${SLUG})$`), ([flow]) => ({ kind: "startFlow", flow })],
  [new RegExp(`^guide:(${SLUG})$`), ([guide]) => ({ kind: "guide", guide })],
  [new RegExp(`^section:(${SLUG})#(${SLUG})$`), ([guide, anchor]) => ({ kind: "section", guide, anchor })],
  [new RegExp(`^f:(${SLUG}):resume$`), ([flow]) => ({ kind: "flowResume", flow })],
  [new RegExp(`^f:(${SLUG}):(${SLUG}):(\\d{1,2}|done|failed|repeat|back)$`), ([flow, step, action]) => {
    // "07" is not how an index is written: only the builder's own form is accepted.
    if (/^\d+$/.test(action)) return String(Number(action)) === action ? { kind: "flowChoice", flow, step, index: Number(action) } : undefined;
    return isInstructionAction(action) ? { kind: "flowAction", flow, step, action } : undefined;
  }],
  [/^intake:(yes|no)$/, ([answer]) => ({ kind: "intakeConfirm", yes: answer === "yes" })],
  [new RegExp(`^parish:(${SLUG})$`), ([parish]) => ({ kind: "parish", parish: parish === "other" ? undefined : parish })],
  [/^contact:(chat|phone)$/, ([mode]) => ({ kind: "contact", mode: mode === "chat" ? "chat" : "phone" })],
  [/^consent:(yes|no)$/, ([answer]) => ({ kind: "consent", yes: answer === "yes" })],
  [/^ticket:(end|resume)$/, ([action]) => ({ kind: "ticket", action: action === "end" ? "end" : "resume" })],
  [/^rate:([1-9]\d{0,14}):([1-5]|skip)$/, ([ticketId, score]) => {
    const value = score === "skip" ? "skip" : SCORES.find((s) => String(s) === score);
    return value === undefined ? undefined : { kind: "rate", ticketId: Number(ticketId), score: value };
  }],
  [/^forget:(yes|no)$/, ([answer]) => ({ kind: "forget", yes: answer === "yes" })],
  [new RegExp(`^clarify:(${SLUG})$`), ([choice]) => ({ kind: "clarify", choice: choice === "other" || choice === "person" ? choice : { guide: choice } })],
];

const ACTIONS: ReadonlySet<string> = new Set<InstructionAction>(["done", "failed", "repeat", "back"]);
const isInstructionAction = (value: string): value is InstructionAction => ACTIONS.has(value);
const SCORES: readonly Score[] = [1, 2, 3, 4, 5];

/** Reads a button id. Never throws: anything not built by {@link buttonIds} is `unknown`. */
export function parseButtonId(id: string): ButtonPress {
  switch (id) {
    case "menu": return { kind: "menu" };
    case "person": return { kind: "person" };
    case "language": return { kind: "languages" };
    case "question:keep": return { kind: "questionKeep" };
    case "forget:ask": return { kind: "forgetAsk" };
  }
  for (const [pattern, read] of PATTERNS) {
    const m = pattern.exec(id);
    if (m) {
      const [, first = "", second = "", third = ""] = m;
      return read([first, second, third]) ?? { kind: "unknown", id };
    }
  }
  return { kind: "unknown", id };
}

/** The id of a press: the exact inverse of {@link parseButtonId}. */
export function formatButtonId(press: ButtonPress): string {
  switch (press.kind) {
    case "menu": return "menu";
    case "person": return "person";
    case "languages": return "language";
    case "language": return `lang:${press.lang}`;
    case "startFlow": return `flow:${press.flow}`;
    case "guide": return `guide:${press.guide}`;
    case "section": return `section:${press.guide}#${press.anchor}`;
    case "flowChoice": return `f:${press.flow}:${press.step}:${press.index}`;
    case "flowAction": return `f:${press.flow}:${press.step}:${press.action}`;
    case "flowResume": return `f:${press.flow}:resume`;
    case "intakeConfirm": return `intake:${press.yes ? "yes" : "no"}`;
    case "parish": return `parish:${press.parish ?? "other"}`;
    case "contact": return `contact:${press.mode}`;
    case "consent": return `consent:${press.yes ? "yes" : "no"}`;
    case "questionKeep": return "question:keep";
    case "ticket": return `ticket:${press.action}`;
    case "rate": return `rate:${press.ticketId}:${press.score}`;
    case "forget": return `forget:${press.yes ? "yes" : "no"}`;
    case "forgetAsk": return "forget:ask";
    case "clarify": return `clarify:${typeof press.choice === "string" ? press.choice : press.choice.guide}`;
    case "unknown": return press.id;
  }
}

/** Builders for every button id the application sends. */
export const buttonIds = {
  menu: "menu",
  person: "person",
  languages: "language",
  language: (lang: Lang): string => formatButtonId({ kind: "language", lang }),
  startFlow: (flow: string): string => formatButtonId({ kind: "startFlow", flow }),
  guide: (guide: string): string => formatButtonId({ kind: "guide", guide }),
  section: (guide: string, anchor: string): string => formatButtonId({ kind: "section", guide, anchor }),
  choice: (flow: string, step: string, index: number): string => formatButtonId({ kind: "flowChoice", flow, step, index }),
  instruction: (flow: string, step: string, action: InstructionAction): string => formatButtonId({ kind: "flowAction", flow, step, action }),
  resume: (flow: string): string => formatButtonId({ kind: "flowResume", flow }),
  intakeConfirm: (yes: boolean): string => formatButtonId({ kind: "intakeConfirm", yes }),
  parish: (parish: string | undefined): string => formatButtonId({ kind: "parish", parish }),
  contact: (mode: "chat" | "phone"): string => formatButtonId({ kind: "contact", mode }),
  consent: (yes: boolean): string => formatButtonId({ kind: "consent", yes }),
  questionKeep: "question:keep",
  endTicket: "ticket:end",
  resumeTicket: "ticket:resume",
  rate: (ticketId: number, score: Score | "skip"): string => formatButtonId({ kind: "rate", ticketId, score }),
  forget: (yes: boolean): string => formatButtonId({ kind: "forget", yes }),
  forgetAsk: "forget:ask",
  clarify: (guide: string): string => formatButtonId({ kind: "clarify", choice: { guide } }),
  clarifyOther: "clarify:other",
  clarifyPerson: "clarify:person",
} as const;

/** True for the buttons of the escalation intake. */
export function isIntakePress(press: ButtonPress): boolean {
  return press.kind === "intakeConfirm" || press.kind === "parish" || press.kind === "contact" || press.kind === "consent" || press.kind === "questionKeep";
}
