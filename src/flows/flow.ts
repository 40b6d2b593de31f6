/**
 * Scripted flows: the data model. A flow is a set of named steps loaded from `flows/<id>.yaml`
 * (see docs/flows.md). Everything here is plain data; the runtime is in `engine.ts`.
 * @module
 */
import type { Lang } from "../core/types.js";

/** A text in every language. */
export type Texts = Readonly<Record<Lang, string>>;

/** Built-in events that start a flow. */
export type FlowEvent = "menu" | "language" | "scam" | "feedback";

/** All built-in events, each needing exactly one flow. */
export const FLOW_EVENTS: readonly FlowEvent[] = ["menu", "language", "scam", "feedback"];

/** What pressing a choice does (exactly one). */
export type ChoiceTarget =
  | { readonly kind: "next"; readonly step: string }
  | { readonly kind: "flow"; readonly flow: string }
  | { readonly kind: "guide"; readonly guide: string; readonly anchor?: string }
  | { readonly kind: "escalate" }
  | { readonly kind: "menu" };

/** One button of a `message` step. */
export interface Choice {
  readonly label: Texts;
  readonly target: ChoiceTarget;
  readonly set?: Readonly<Record<string, string>>;
  readonly language?: Lang;
  readonly record?: string;
}

interface StepBase {
  readonly id: string;
  /** Line of the step in its file, for messages. */
  readonly line: number;
}

/** A step of a flow. */
export type Step =
  | (StepBase & { readonly type: "message"; readonly say: Texts; readonly choices: readonly Choice[]; readonly next?: string })
  /** `typeIn`: where the resident types what the step asks for ("JNKU veidlapā"), when not in this chat. */
  | (StepBase & { readonly type: "instruction"; readonly say: Texts; readonly done: string; readonly failed?: string; readonly typeIn?: Texts })
  | (StepBase & { readonly type: "question"; readonly say: Texts; readonly save: string; readonly next: string })
  | (StepBase & { readonly type: "branch"; readonly on: string; readonly cases: Readonly<Record<string, string>>; readonly default: string })
  | (StepBase & { readonly type: "guide"; readonly guide: string; readonly section?: string; readonly next?: string })
  | (StepBase & { readonly type: "escalate"; readonly say?: Texts; readonly reason?: string })
  | (StepBase & { readonly type: "end"; readonly say: Texts; readonly record?: string });

/** The step types. */
export type StepType = Step["type"];

/** How a flow starts besides menu buttons. */
export interface Triggers {
  readonly deepLinks: readonly string[];
  readonly guides: readonly string[];
  readonly on: readonly FlowEvent[];
}

/** A loaded flow. */
export interface Flow {
  readonly id: string;
  /** Computed from the file's content; changes whenever the file does. */
  readonly version: string;
  readonly file: string;
  readonly title: Texts;
  readonly triggers: Triggers;
  readonly start: string;
  readonly steps: ReadonlyMap<string, Step>;
}
