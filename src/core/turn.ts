/**
 * The shapes of one conversation turn: the session state remembered between turns, the result a
 * turn returns, and the draft the parts of the core fill in while handling it.
 * @module
 */
import type { Assistant, Outcome } from "./assistant.js";
import type { FlowSet } from "../flows/load.js";
import type { FlowEvent } from "../flows/flow.js";
import type { Answers } from "./answers.js";
import type { FlowRunner } from "./flow-runner.js";
import type { IntakeRunner } from "./intake.js";
import type { EscalationContext, FileRef, Intent, Lang, Reply } from "./types.js";

/** Where a resident is inside a flow. */
export interface FlowPosition {
  readonly flow: string;
  /** The flow's version when the resident was last moved; see `Flow.version`. */
  readonly version: string;
  readonly step: string;
  /** Earlier waiting steps, for "Back". */
  readonly history: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
  /** True while the resident asked something else; "Continue" resumes. */
  readonly paused?: boolean;
}

/** The resident's open ticket; `relay` while their messages go to staff rather than the bot. */
export interface OpenTicket {
  readonly id: number;
  readonly number: string;
  readonly relay: boolean;
}

/** Everything remembered between turns. Plain JSON, stored in the session row. */
export interface SessionState {
  readonly flow?: FlowPosition;
  /** Consecutive questions without an answer. */
  readonly misses: number;
  /** The last question asked (masked), for a person who takes over. */
  readonly lastQuestion?: string;
  readonly lastGuide?: { readonly id: string; readonly anchor: string };
  /** The short intake before a question goes to a person. */
  readonly intake?: Intake;
  readonly ticket?: OpenTicket;
  /** Waiting for an optional comment on the rating of this ticket. */
  readonly ratingComment?: number;
  /** `/forget` asked; waiting for the confirmation. */
  readonly forgetAsked?: boolean;
}

/** How the resident wants the answer from staff. */
export type ContactMode = "chat" | "phone";

/** Where the resident is in the escalation intake, and what they said so far. */
export interface Intake {
  readonly step: "confirm" | "parish" | "contact" | "phone" | "consent" | "question";
  readonly parish?: string;
  readonly contact?: ContactMode;
  readonly phone?: string;
  readonly context: EscalationContext;
}

/** A fresh session. */
export const NEW_SESSION: SessionState = { misses: 0 };

/** Something worth counting (feedback, a finished flow), recorded by the caller. */
export interface TurnEvent {
  readonly kind: string;
  readonly flow?: string;
  readonly step?: string;
  readonly guide?: string;
}

/** What a person taking over needs to know: the finished intake. */
export interface EscalationRequest {
  readonly context: EscalationContext;
  readonly question: string;
  readonly parish?: string;
  readonly contact: ContactMode;
  readonly phone?: string;
}

/** Text (or a description of media) for the member of staff handling the open ticket. */
export interface Relay {
  readonly ticketId: number;
  readonly text: string;
  readonly attachment?: FileRef & { readonly kind: string };
}

/** A rating (1–5) or a comment for a closed ticket. */
export interface Rating {
  readonly ticketId: number;
  readonly score?: number;
  readonly comment?: string;
}

/** The result of one turn. */
export interface TurnResult {
  readonly state: SessionState;
  /** The resident's language after this turn (a language choice or a message in another language). */
  readonly lang: Lang;
  readonly replies: readonly Reply[];
  readonly intent: Intent;
  readonly guideId?: string;
  readonly flowId?: string;
  readonly stepId?: string;
  readonly events: readonly TurnEvent[];
  readonly escalation?: EscalationRequest;
  readonly relay?: Relay;
  /** The resident ended their open ticket. */
  readonly endTicket?: number;
  readonly rating?: Rating;
  /** The resident gave (true) or refused (false) consent to share the conversation with staff. */
  readonly consent?: boolean;
  /** The resident confirmed `/forget`: delete everything about them. */
  readonly forget?: boolean;
  /** The channel should (re)show its persistent main actions (after /start or a language change). */
  readonly showActions?: boolean;
  /** The retrieval decision, for free-text turns answered by retrieval. */
  readonly outcome?: Outcome;
}

/** A {@link TurnResult} under construction: the parts of the core fill it in. */
export interface Draft {
  state: SessionState;
  lang: Lang;
  replies: Reply[];
  intent: Intent;
  events: TurnEvent[];
  guideId?: string;
  flowId?: string;
  stepId?: string;
  escalation?: EscalationRequest;
  relay?: Relay;
  endTicket?: number;
  rating?: Rating;
  consent?: boolean;
  forget?: boolean;
  showActions?: boolean;
  outcome?: Outcome;
}

/** A new draft for a turn that starts from `state`. */
export function startDraft(state: SessionState, lang: Lang): Draft {
  return { state: { ...NEW_SESSION, ...state }, lang, replies: [], intent: "flow", events: [] };
}

/**
 * What the parts of the core (router, answers, flow runner, intake) know of each other. The
 * router implements it and hands itself to each part.
 */
export interface Core {
  readonly assistant: Assistant;
  readonly flows: FlowSet;
  readonly answers: Answers;
  readonly runner: FlowRunner;
  readonly intake: IntakeRunner;
  /** Starts the flow bound to a built-in event, or shows the plain menu or language picker. */
  event(d: Draft, event: FlowEvent): void;
  /** Switches the resident's language and says so. */
  setLanguage(d: Draft, lang: Lang): void;
}
