/**
 * One turn of a conversation: routes an inbound message to a command, the active scripted flow,
 * or a retrieval answer, and returns the replies with the new session state. Pure: no storage,
 * no channel. The caller (the conversation service) loads and saves the state.
 *
 * Routing order: commands (`/start`, `/menu`, `/language`, `/help`, `/person`, and the main
 * action labels typed as text) → buttons → the active flow → a scam warning → retrieval.
 * Two misses in a row offer a person.
 * @module
 */
import { buttonId, parseFlowButton, type InstructionAction } from "../flows/buttons.js";
import type { Choice, Flow, FlowEvent, Step } from "../flows/flow.js";
import type { FlowSet } from "../flows/load.js";
import { fold } from "../nlp/normalize.js";
import { mentionsScam } from "../nlp/intents.js";
import { BUTTON, type Assistant, type Outcome } from "./assistant.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import { isLang, LANGS, MAX_REPLY_LENGTH, type Button, type FileRef, type Input, type Intent, type Lang, type Reply } from "./types.js";

/** Where a resident is inside a flow. */
export interface FlowPosition {
  readonly flow: string;
  /** The flow's version when the resident was last moved; see {@link Flow.version}. */
  readonly version: string;
  readonly step: string;
  /** Earlier waiting steps, for "Back". */
  readonly history: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
  /** True while the resident asked something else; "Continue" resumes. */
  readonly paused?: boolean;
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
  /** The resident's open ticket; `relay` while their messages go to staff rather than the bot. */
  readonly ticket?: { readonly id: number; readonly number: string; readonly relay: boolean };
  /** Waiting for an optional comment on the rating of this ticket. */
  readonly ratingComment?: number;
  /** `/forget` asked; waiting for the confirmation. */
  readonly forgetAsked?: boolean;
}

/** Where the resident is in the escalation intake, and what they said so far. */
export interface Intake {
  readonly step: "confirm" | "parish" | "contact" | "phone" | "consent" | "question";
  readonly reason: string;
  readonly parish?: string;
  readonly contact?: "chat" | "phone";
  readonly phone?: string;
  readonly context: { readonly flow?: string; readonly step?: string; readonly vars?: Readonly<Record<string, string>>; readonly guide?: string; readonly lastQuestion?: string };
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
  readonly reason: string;
  readonly flow?: string;
  readonly step?: string;
  readonly guide?: string;
  readonly lastQuestion?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly question: string;
  readonly parish?: string;
  readonly contact: "chat" | "phone";
  readonly phone?: string;
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
  /** Text (or a description of media) for the member of staff handling the open ticket. */
  readonly relay?: { readonly ticketId: number; readonly text: string; readonly attachment?: FileRef & { readonly kind: string } };
  /** The resident ended their open ticket. */
  readonly endTicket?: number;
  /** A rating (1–5) or a comment for a closed ticket. */
  readonly rating?: { readonly ticketId: number; readonly score?: number; readonly comment?: string };
  /** The resident gave (true) or refused (false) consent to share the conversation with staff. */
  readonly consent?: boolean;
  /** The resident confirmed `/forget`: delete everything about them. */
  readonly forget?: boolean;
  /** The channel should (re)show its persistent main actions (after /start or a language change). */
  readonly showActions?: boolean;
  /** The retrieval decision, for free-text turns answered by retrieval. */
  readonly outcome?: Outcome;
}

/** Options for {@link Conversation}. */
export interface ConversationOptions {
  readonly assistant: Assistant;
  readonly flows: FlowSet;
}

/** The commands residents can type. */
export const COMMANDS = ["start", "menu", "language", "help", "person", "forget"] as const;

/** Button id that switches the language. */
export const languageButton = (lang: Lang): string => `lang:${lang}`;

/** Button id that starts a flow. */
export const startFlowButton = (flow: string): string => `flow:${flow}`;

/** Each language's name in itself. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { lv: "Latviešu", ru: "Русский", en: "English" };

/** Labels up to this many characters count as short (see {@link Button.inline}). */
const SHORT_LABEL = 12;

const simplified = new Map<string, string>();

/** Folds typed text for comparison with labels: no emoji, punctuation or case. */
function simplify(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}' ]+/gu, " ").replace(/\s+/g, " ").trim();
}

/** {@link simplify} for labels and fixed texts, memoised (never used for what residents type). */
function simplifyLabel(label: string): string {
  let value = simplified.get(label);
  if (value === undefined) {
    if (simplified.size >= 5000) simplified.clear();
    value = simplify(label);
    simplified.set(label, value);
  }
  return value;
}

/** A Latvian phone number as +371XXXXXXXX, or undefined. */
export function normalisePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s().-]/g, "");
  const m = /^(?:\+?371|00371)?([2-9]\d{7})$/.exec(digits);
  return m ? `+371${m[1]}` : undefined;
}

/** Mutable result under construction. */
interface Draft {
  state: SessionState;
  lang: Lang;
  replies: Reply[];
  intent: Intent;
  events: TurnEvent[];
  guideId?: string;
  flowId?: string;
  stepId?: string;
  escalation?: EscalationRequest;
  relay?: { ticketId: number; text: string; attachment?: FileRef & { kind: string } };
  endTicket?: number;
  rating?: { ticketId: number; score?: number; comment?: string };
  consent?: boolean;
  forget?: boolean;
  showActions?: boolean;
  outcome?: Outcome;
}

/** The conversation router over an assistant and a set of flows. */
export class Conversation {
  readonly assistant: Assistant;
  readonly flows: FlowSet;

  constructor(options: ConversationOptions) {
    this.assistant = options.assistant;
    this.flows = options.flows;
  }

  /** The few main actions a channel shows permanently (Telegram's reply keyboard). */
  mainActions(lang: Lang): Button[] {
    const t = MESSAGES[lang];
    return [{ id: BUTTON.menu, label: t.mainMenu }, { id: BUTTON.person, label: t.talkToPerson }, { id: "language", label: t.language }];
  }

  /** Handles one inbound message. Never throws on odd input; unknown things get a polite answer. */
  handle(state: SessionState, input: Input, ctx: { readonly lang: Lang }): TurnResult {
    const d: Draft = { state: { ...NEW_SESSION, ...state }, lang: ctx.lang, replies: [], intent: "flow", events: [] };
    const command = this.asCommand(input);
    if (command) this.command(d, command.name, command.arg);
    else if (input.kind === "button" && this.special(d, input.id)) { /* handled */ }
    else if (d.state.intake && this.intakeInput(d, input)) { /* handled */ }
    else if (d.state.ticket?.relay && (input.kind === "text" || input.kind === "media" || input.kind === "contact")) this.relay(d, input);
    else if (d.state.ratingComment !== undefined && input.kind === "text") this.ratingComment(d, input.text);
    else if (input.kind === "button") this.button(d, input.id);
    else if (input.kind === "media") this.media(d, input.media);
    else if (input.kind === "contact") this.media(d, "contact");
    else if (input.kind === "text") this.text(d, input.text, input.edited === true);
    // Messages for a member of staff get no bot reply: a person answers them.
    if (d.replies.length === 0 && !d.relay && !d.escalation) d.replies.push({ text: MESSAGES[d.lang].menuIntro, buttons: this.assistant.menuButtons(d.lang) });
    const { state: s, ...rest } = d;
    return { ...rest, state: s };
  }

  /** Recognises commands: `/name arg`, and the main action labels typed or pressed as text. */
  asCommand(input: Input): { name: string; arg?: string } | undefined {
    if (input.kind === "command") return input.arg ? { name: input.name, ...(input.arg ? { arg: input.arg } : {}) } : { name: input.name };
    if (input.kind !== "text") return undefined;
    const text = input.text.trim();
    const m = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+(.+))?$/s.exec(text);
    if (m) return { name: (m[1] as string).toLowerCase(), ...(m[2] ? { arg: m[2].trim() } : {}) };
    const simple = simplify(text);
    if (simple === "") return undefined;
    for (const lang of LANGS) {
      const t = MESSAGES[lang];
      if (simple === simplifyLabel(t.mainMenu) || t.words.menu.includes(simple)) return { name: "menu" };
      if (simple === simplifyLabel(t.talkToPerson)) return { name: "person" };
      if (simple === simplifyLabel(t.language)) return { name: "language" };
    }
    return undefined;
  }

  private command(d: Draft, name: string, arg: string | undefined): void {
    const t = () => MESSAGES[d.lang];
    switch (name) {
      case "start": {
        d.showActions = true;
        const deep = arg ? this.deepLink(arg) : undefined;
        d.replies.push({ text: t().greeting, buttons: [] });
        if (deep?.flow) {
          d.state = { misses: 0 };
          this.startFlow(d, deep.flow);
          return;
        }
        if (deep?.guide) {
          d.state = { misses: 0 };
          this.answerButton(d, BUTTON.guide(deep.guide));
          return;
        }
        d.state = { misses: 0 };
        this.event(d, "menu");
        return;
      }
      case "menu":
        d.state = { ...d.state, flow: undefined, misses: 0, intake: undefined, ratingComment: undefined, forgetAsked: undefined };
        if (d.state.ticket) {
          const ticket = d.state.ticket;
          d.state = { ...d.state, ticket: { ...ticket, relay: false } };
          d.replies.push({ text: t().escalation.paused(ticket.number), buttons: [{ id: "ticket:resume", label: t().escalation.backToSpecialist }] });
        }
        this.event(d, "menu");
        return;
      case "forget":
        d.intent = "fallback";
        d.state = { ...d.state, forgetAsked: true };
        d.replies.push({ text: t().forget.confirm, buttons: [{ id: "forget:yes", label: t().forget.yes, inline: true }, { id: "forget:no", label: t().forget.no, inline: true }] });
        return;
      case "language":
        d.state = { ...d.state, flow: undefined };
        this.event(d, "language");
        return;
      case "help":
        d.intent = "fallback";
        d.replies.push({ text: t().help, buttons: this.mainButtons(d.lang) });
        return;
      case "person":
        this.escalate(d, "resident asked for a person");
        return;
      default:
        d.intent = "fallback";
        d.replies.push({ text: `${t().unknownCommand}\n\n${t().help}`, buttons: this.mainButtons(d.lang) });
    }
  }

  private deepLink(arg: string): { flow?: Flow; guide?: string } | undefined {
    const name = arg.trim().split(/\s+/)[0] ?? "";
    const flow = this.flows.forDeepLink(name);
    if (flow) return { flow };
    const id = name.toLowerCase().replace(/_/g, "-");
    return this.assistant.knowledge.ids.includes(id) ? { guide: id } : undefined;
  }

  private mainButtons(lang: Lang): Button[] {
    const t = MESSAGES[lang];
    return [{ id: BUTTON.menu, label: t.mainMenu }, { id: BUTTON.person, label: t.talkToPerson }];
  }

  /** Starts the flow bound to a built-in event, or falls back to the plain menu. */
  private event(d: Draft, event: FlowEvent): void {
    const flow = this.flows.forEvent(event);
    if (flow) {
      this.startFlow(d, flow);
      return;
    }
    const t = MESSAGES[d.lang];
    if (event === "language") {
      d.replies.push({ text: t.language, buttons: LANGS.map((l) => ({ id: languageButton(l), label: LANGUAGE_NAMES[l] })) });
    } else {
      d.replies.push({ text: t.menuIntro, buttons: this.assistant.menuButtons(d.lang) });
    }
  }

  private button(d: Draft, id: string): void {
    if (id === BUTTON.menu) return this.command(d, "menu", undefined);
    if (id === BUTTON.person) return this.escalate(d, "resident asked for a person");
    if (id === "language") return this.command(d, "language", undefined);
    const lang = /^lang:(\w+)$/.exec(id)?.[1];
    if (lang !== undefined) {
      if (isLang(lang)) {
        this.setLanguage(d, lang);
        d.state = { ...d.state, flow: undefined };
        this.event(d, "menu");
        return;
      }
    }
    const start = /^flow:([a-z0-9-]+)$/.exec(id)?.[1];
    if (start !== undefined) {
      const flow = this.flows.get(start);
      if (flow) return this.startFlow(d, flow);
    }
    const fb = parseFlowButton(id);
    if (fb) return this.flowButton(d, fb.flow, fb.step, fb.action);
    this.answerButton(d, id);
  }

  private setLanguage(d: Draft, lang: Lang): void {
    d.lang = lang;
    d.showActions = true;
    d.replies.push({ text: MESSAGES[lang].languageSaved, buttons: [] });
  }

  /** Guide and section buttons, and anything unknown, go to the assistant. */
  private answerButton(d: Draft, id: string): void {
    const out = this.assistant.press(id, { lang: d.lang });
    d.intent = out.intent === "escalate" ? "escalate" : out.intent;
    if (out.intent === "escalate") return this.escalate(d, "resident asked for a person");
    d.replies.push(...out.replies);
    if (out.answered) {
      d.guideId = out.answered.id;
      d.state = { ...d.state, lastGuide: out.answered, misses: 0 };
      this.offerFlowForGuide(d, out.answered.id);
      this.askFeedback(d);
    }
  }

  private media(d: Draft, media: Extract<Input, { kind: "media" }>["media"]): void {
    const t = MESSAGES[d.lang];
    d.intent = "fallback";
    const buttons = media === "sticker" ? this.assistant.menuButtons(d.lang) : this.mainButtons(d.lang);
    d.replies.push({ text: t.media[media] ?? t.media.other, buttons });
  }

  private text(d: Draft, raw: string, edited: boolean): void {
    const text = raw.trim();
    if (edited) d.replies.push({ text: MESSAGES[d.lang].edited, buttons: [] });
    let pos = d.state.flow;
    if (pos?.paused && this.answersStep(pos, text)) {
      // "gatavs" or "2" after a side question: the resident is back in the flow.
      pos = { ...pos, paused: false };
      d.state = { ...d.state, flow: pos };
    }
    if (pos && !pos.paused) {
      const handled = this.flowText(d, pos, text);
      if (handled) return;
    }
    if (mentionsScam(text)) {
      const flow = this.flows.forEvent("scam");
      d.state = { ...d.state, lastQuestion: maskPersonalData(text).slice(0, 500) };
      if (flow && d.state.flow?.flow !== flow.id) {
        d.lang = this.assistant.detect(text, { lang: d.lang });
        this.startFlow(d, flow);
        return;
      }
    }
    this.retrieve(d, text);
  }

  /** True when typed text is one of the step's buttons (a label, a number, "gatavs", "atpakaļ"…). */
  private answersStep(pos: FlowPosition, text: string): boolean {
    const step = this.flows.get(pos.flow)?.steps.get(pos.step);
    if (!step) return false;
    const simple = simplify(text);
    if (step.type === "message") {
      return step.choices.some((c, i) => simple === String(i + 1) || LANGS.some((l) => simplifyLabel(c.label[l]) === simple));
    }
    if (step.type !== "instruction") return false;
    return LANGS.some((l) => {
      const t = MESSAGES[l];
      return [t.done, t.failed, t.repeat, t.back].some((label) => simplifyLabel(label) === simple)
        || (["done", "failed", "repeat", "back"] as const).some((k) => t.words[k].includes(simple));
    });
  }

  /** Free text while a flow waits: an answer, a typed button, or a question about something else. */
  private flowText(d: Draft, pos: FlowPosition, text: string): boolean {
    const flow = this.currentFlow(d, pos);
    // Restarted after an update: its first step is the reply (the text was meant for the old
    // step). Gone: the text is handled as a new message.
    if (!flow) return this.flows.get(pos.flow) !== undefined;
    const current = d.state.flow as FlowPosition;
    const step = flow.steps.get(current.step) as Step;
    if (step.type === "question") {
      if (!/[\p{L}\p{N}]/u.test(text)) {
        d.replies.push({ text: MESSAGES[d.lang].emptyMessage, buttons: [] });
        this.render(d, flow, step, current);
        return true;
      }
      const value = maskPersonalData(text).slice(0, 500);
      const vars = { ...current.vars, [step.save]: value };
      d.state = { ...d.state, misses: 0 };
      this.goto(d, flow, step.next, { ...current, vars, history: [...current.history, step.id] });
      return true;
    }
    const simple = simplify(text);
    const words = (key: keyof typeof MESSAGES.lv.words): boolean => LANGS.some((l) => MESSAGES[l].words[key].includes(simple));
    if (step.type === "instruction") {
      const action: InstructionAction | undefined = [MESSAGES[d.lang].done, ...LANGS.map((l) => MESSAGES[l].done)].some((x) => simplifyLabel(x) === simple) || words("done")
        ? "done"
        : LANGS.some((l) => simplifyLabel(MESSAGES[l].failed) === simple) || words("failed") ? "failed"
          : LANGS.some((l) => simplifyLabel(MESSAGES[l].repeat) === simple) || words("repeat") ? "repeat"
            : LANGS.some((l) => simplifyLabel(MESSAGES[l].back) === simple) || words("back") ? "back" : undefined;
      if (action) {
        this.flowAction(d, flow, step, action);
        return true;
      }
    }
    if (step.type === "message") {
      const index = step.choices.findIndex((c, i) => simple === String(i + 1) || LANGS.some((l) => simplifyLabel(c.label[l]) === simple));
      if (index >= 0) {
        this.choose(d, flow, step, index);
        return true;
      }
      if ((words("back") || LANGS.some((l) => simplifyLabel(MESSAGES[l].back) === simple)) && current.history.length > 0) {
        this.flowAction(d, flow, step, "back");
        return true;
      }
    }
    // A message about a scam gets the warning first, even in the middle of another flow.
    const scam = this.flows.forEvent("scam");
    if (scam && scam.id !== flow.id && mentionsScam(text)) return false;
    // Something else. Passive flows (like feedback) just end; others pause with a way back.
    if (flow.triggers.on.includes("feedback") || flow.triggers.on.includes("menu") || flow.triggers.on.includes("language")) {
      d.state = { ...d.state, flow: undefined };
      return false;
    }
    const before = d.replies.length;
    const { misses } = d.state;
    const lang = d.lang;
    // Paused while the question is answered, so that the answer gets "Continue" and not the
    // feedback question (which would replace this flow).
    d.state = { ...d.state, flow: { ...current, paused: true } };
    this.retrieve(d, text);
    const answered = d.intent === "guide";
    if (answered) {
      d.state = { ...d.state, flow: { ...current, paused: true } };
      const t = MESSAGES[d.lang];
      const last = d.replies[d.replies.length - 1] as Reply;
      d.replies[d.replies.length - 1] = { ...last, buttons: [{ id: buttonId.resume(flow.id), label: t.continueFlow(flow.title[d.lang]) }, ...last.buttons] };
    } else if (d.intent === "fallback") {
      // Not understood: keep the resident where they were, in their language, and show the step
      // again. One miss, however retrieval counted it.
      d.replies.splice(before);
      d.lang = lang;
      d.replies.push({ text: MESSAGES[d.lang].chooseButton, buttons: [] });
      d.intent = "flow";
      this.render(d, flow, step, current);
      d.state = { ...d.state, flow: current, misses: misses + 1 };
      if (d.state.misses >= 2) this.offerPerson(d);
    }
    return true;
  }

  /** The active flow, updated to its current version, or undefined when it had to end. */
  private currentFlow(d: Draft, pos: FlowPosition): Flow | undefined {
    const flow = this.flows.get(pos.flow);
    const t = MESSAGES[d.lang];
    if (!flow) {
      d.state = { ...d.state, flow: undefined };
      d.replies.push({ text: t.flowGone, buttons: [] });
      return undefined;
    }
    if (flow.version === pos.version) return flow;
    if (flow.steps.has(pos.step) && pos.history.every((s) => flow.steps.has(s))) {
      d.state = { ...d.state, flow: { ...pos, version: flow.version } };
      return flow;
    }
    d.replies.push({ text: t.flowChanged, buttons: [] });
    this.startFlow(d, flow);
    return undefined;
  }

  private flowButton(d: Draft, flowId: string, stepId: string | undefined, action: number | InstructionAction | "resume"): void {
    const flow = this.flows.get(flowId);
    const t = MESSAGES[d.lang];
    if (!flow) {
      d.intent = "fallback";
      d.replies.push({ text: t.flowGone, buttons: this.assistant.menuButtons(d.lang) });
      // An old button of a removed flow must not end the flow the resident is in now.
      if (d.state.flow?.flow === flowId) d.state = { ...d.state, flow: undefined };
      return;
    }
    const pos = d.state.flow;
    if (action === "resume") {
      if (pos && pos.flow === flowId) {
        const current = { ...pos, paused: false };
        d.state = { ...d.state, flow: current };
        const live = this.currentFlow(d, current);
        if (live) this.render(d, live, live.steps.get((d.state.flow as FlowPosition).step) as Step, d.state.flow as FlowPosition);
      } else {
        this.startFlow(d, flow);
      }
      return;
    }
    const step = stepId ? flow.steps.get(stepId) : undefined;
    const sameVersion = pos?.flow === flowId && pos.version === flow.version;
    if (!step) {
      d.replies.push({ text: t.flowChanged, buttons: [] });
      this.startFlow(d, flow);
      return;
    }
    if (pos?.flow === flowId && pos.version !== flow.version && typeof action === "number") {
      // The choices may have moved: show the step again rather than guess.
      d.replies.push({ text: t.flowChanged, buttons: [] });
      d.state = { ...d.state, flow: { ...pos, version: flow.version, step: step.id, paused: false, history: pos.history.filter((s) => flow.steps.has(s)) } };
      this.render(d, flow, step, d.state.flow as FlowPosition);
      return;
    }
    // A press on an older message of this flow continues from that step; of another flow, starts there.
    let position: FlowPosition;
    if (pos && pos.flow === flowId && (sameVersion || flow.steps.has(pos.step))) {
      const at = pos.history.lastIndexOf(step.id);
      const history = step.id === pos.step ? pos.history : at >= 0 ? pos.history.slice(0, at) : pos.history;
      position = { ...pos, version: flow.version, step: step.id, history, paused: false };
    } else {
      position = { flow: flow.id, version: flow.version, step: step.id, history: [], vars: {} };
    }
    d.state = { ...d.state, flow: position };
    if (typeof action === "number") {
      if (step.type !== "message" || !step.choices[action]) {
        this.render(d, flow, step, position);
        return;
      }
      this.choose(d, flow, step, action);
      return;
    }
    this.flowAction(d, flow, step, action);
  }

  private flowAction(d: Draft, flow: Flow, step: Step, action: InstructionAction): void {
    // Understood: the resident is back on track, so earlier misses no longer count.
    d.state = { ...d.state, misses: 0 };
    const pos = d.state.flow as FlowPosition;
    d.flowId = flow.id;
    d.stepId = step.id;
    switch (action) {
      case "repeat":
        this.render(d, flow, step, pos);
        return;
      case "back": {
        const previous = pos.history[pos.history.length - 1];
        const prevStep = previous ? flow.steps.get(previous) : undefined;
        if (!prevStep) {
          this.render(d, flow, step, pos);
          return;
        }
        const back = { ...pos, step: prevStep.id, history: pos.history.slice(0, -1) };
        d.state = { ...d.state, flow: back };
        this.render(d, flow, prevStep, back);
        return;
      }
      case "done":
        if (step.type !== "instruction") return this.render(d, flow, step, pos);
        this.goto(d, flow, step.done, { ...pos, history: [...pos.history, step.id] });
        return;
      case "failed":
        if (step.type !== "instruction") return this.render(d, flow, step, pos);
        d.events.push({ kind: "step-failed", flow: flow.id, step: step.id });
        if (step.failed) {
          this.goto(d, flow, step.failed, { ...pos, history: [...pos.history, step.id] });
          return;
        }
        d.replies.push({
          text: MESSAGES[d.lang].failedOffer,
          buttons: [
            { id: buttonId.instruction(flow.id, step.id, "repeat"), label: MESSAGES[d.lang].repeat },
            { id: BUTTON.person, label: MESSAGES[d.lang].talkToPerson },
            { id: BUTTON.menu, label: MESSAGES[d.lang].mainMenu },
          ],
        });
        return;
    }
  }

  private choose(d: Draft, flow: Flow, step: Extract<Step, { type: "message" }>, index: number): void {
    const choice = step.choices[index] as Choice;
    d.state = { ...d.state, misses: 0 };
    const pos = d.state.flow as FlowPosition;
    d.flowId = flow.id;
    d.stepId = step.id;
    if (choice.record) d.events.push({ kind: choice.record, flow: flow.id, step: step.id, ...(d.state.lastGuide ? { guide: d.state.lastGuide.id } : {}) });
    if (choice.language) this.setLanguage(d, choice.language);
    const vars = choice.set ? { ...pos.vars, ...choice.set } : pos.vars;
    const target = choice.target;
    switch (target.kind) {
      case "next":
        this.goto(d, flow, target.step, { ...pos, vars, history: [...pos.history, step.id] });
        return;
      case "flow": {
        const next = this.flows.get(target.flow);
        if (next) this.startFlow(d, next);
        else this.event(d, "menu");
        return;
      }
      case "guide":
        d.state = { ...d.state, flow: undefined };
        this.answerButton(d, target.anchor ? BUTTON.section(target.guide, target.anchor) : BUTTON.guide(target.guide));
        return;
      case "escalate":
        d.state = { ...d.state, flow: { ...pos, vars } };
        this.escalate(d, `pressed "${choice.label.en}" in ${flow.id}/${step.id}`);
        return;
      case "menu":
        d.state = { ...d.state, flow: undefined };
        this.event(d, "menu");
        return;
    }
  }

  /** Starts a flow at its first step. */
  private startFlow(d: Draft, flow: Flow): void {
    d.events.push({ kind: "flow-started", flow: flow.id });
    this.goto(d, flow, flow.start, { flow: flow.id, version: flow.version, step: flow.start, history: [], vars: {} });
  }

  /** Moves to a step and runs it: automatic steps go straight on, waiting steps are shown. */
  private goto(d: Draft, flow: Flow, stepId: string, from: FlowPosition): void {
    d.intent = "flow";
    d.flowId = flow.id;
    let pos = { ...from, step: stepId, paused: false };
    for (let hops = 0; hops < 50; hops++) {
      const step = flow.steps.get(pos.step);
      if (!step) break;
      d.stepId = step.id;
      d.state = { ...d.state, flow: pos };
      switch (step.type) {
        case "message":
          this.render(d, flow, step, pos);
          if (step.choices.length > 0) return;
          if (!step.next) return this.finish(d, flow, step);
          pos = { ...pos, step: step.next };
          continue;
        case "instruction":
        case "question":
          this.render(d, flow, step, pos);
          return;
        case "branch":
          pos = { ...pos, step: step.cases[pos.vars[step.on] ?? ""] ?? step.default };
          continue;
        case "guide": {
          this.render(d, flow, step, pos);
          if (!step.next) return this.finish(d, flow, step);
          pos = { ...pos, step: step.next };
          continue;
        }
        case "escalate": {
          if (step.say) d.replies.push({ text: step.say[d.lang], buttons: [] });
          // A person needs the step where the resident got stuck, not this automatic hand-over
          // step: the last instruction on the way here, else the step where they asked for help.
          const stuck = [...pos.history].reverse().find((s) => flow.steps.get(s)?.type === "instruction") ?? pos.history[pos.history.length - 1];
          if (stuck) d.state = { ...d.state, flow: { ...pos, step: stuck } };
          this.escalate(d, step.reason ?? `${flow.id}/${step.id}`);
          return;
        }
        case "end":
          d.replies.push({ text: step.say[d.lang], buttons: [{ id: BUTTON.menu, label: MESSAGES[d.lang].mainMenu }] });
          if (step.record) d.events.push({ kind: step.record, flow: flow.id, step: step.id });
          return this.finish(d, flow, step);
      }
    }
    this.finish(d, flow, flow.steps.get(pos.step));
  }

  private finish(d: Draft, flow: Flow, step: Step | undefined): void {
    d.events.push({ kind: "flow-completed", flow: flow.id, ...(step ? { step: step.id } : {}) });
    d.state = { ...d.state, flow: undefined };
  }

  /** Shows a step that waits for the resident (or a guide section). */
  private render(d: Draft, flow: Flow, step: Step, pos: FlowPosition): void {
    const t = MESSAGES[d.lang];
    const back = pos.history.length > 0 ? [{ id: buttonId.back(flow.id, step.id), label: t.back }] : [];
    d.flowId = flow.id;
    d.stepId = step.id;
    switch (step.type) {
      case "message": {
        // Two or three short answers (👍 Jā / 👎 Nē, languages) sit side by side.
        const short = step.choices.length >= 2 && step.choices.length <= 3 && step.choices.every((c) => [...c.label[d.lang]].length <= SHORT_LABEL);
        d.replies.push({
          text: step.say[d.lang],
          buttons: step.choices.length > 0
            ? [...step.choices.map((c, i) => ({ id: buttonId.choice(flow.id, step.id, i), label: c.label[d.lang], ...(short ? { inline: true } : {}) })), ...back]
            : [],
        });
        return;
      }
      case "instruction":
        d.replies.push({
          text: step.say[d.lang],
          buttons: [
            { id: buttonId.instruction(flow.id, step.id, "done"), label: t.done },
            { id: buttonId.instruction(flow.id, step.id, "failed"), label: t.failed },
            { id: buttonId.instruction(flow.id, step.id, "repeat"), label: t.repeat },
            ...(pos.history.length > 0 ? [{ id: buttonId.instruction(flow.id, step.id, "back"), label: t.back }] : []),
          ],
        });
        return;
      case "question":
        d.replies.push({ text: step.say[d.lang], buttons: back });
        return;
      case "guide": {
        const guide = this.assistant.guide(step.guide, d.lang);
        const section = guide && (step.section ? guide.sections.find((s) => s.anchor === step.section) : guide.sections.find((s) => s.kind === "steps"));
        if (!guide || !section) return;
        const [answer] = this.assistant.answerReplies(guide, section, d.lang);
        if (answer) d.replies.push({ text: answer.text, buttons: step.next ? [] : answer.buttons });
        d.guideId = guide.id;
        return;
      }
      default:
        return;
    }
  }

  /** Free text answered from the guides, with feedback and a step-by-step offer. */
  private retrieve(d: Draft, text: string): void {
    const out = this.assistant.ask(text, { lang: d.lang });
    d.outcome = out;
    d.lang = out.lang;
    d.state = { ...d.state, lastQuestion: maskPersonalData(text).slice(0, 500) };
    if (out.intent === "escalate") {
      if (out.replies[0]?.text === MESSAGES[out.lang].tooLong) d.replies.push(out.replies[0]);
      this.escalate(d, "resident asked for a person");
      return;
    }
    d.intent = out.intent;
    d.replies.push(...out.replies);
    if (out.intent === "guide" && out.answered) {
      d.guideId = out.answered.id;
      d.state = { ...d.state, misses: 0, lastGuide: out.answered, flow: d.state.flow?.paused ? d.state.flow : undefined };
      this.offerFlowForGuide(d, out.answered.id);
      this.askFeedback(d);
      return;
    }
    if (out.intent === "fallback" && out.replies.some((r) => r.text.startsWith(MESSAGES[out.lang].fallback))) {
      d.state = { ...d.state, misses: d.state.misses + 1 };
      if (d.state.misses >= 2) this.offerPerson(d);
    }
  }

  /** After a guide answer outside a flow: "Did this help?" (the feedback flow). */
  private askFeedback(d: Draft): void {
    const feedback = this.flows.forEvent("feedback");
    if (!feedback || d.state.flow) return;
    const guideId = d.guideId;
    const before = d.replies.length;
    this.startFlow(d, feedback);
    d.intent = "guide";
    if (guideId) d.guideId = guideId;
    // One answer, one message: the question goes under the answer, its buttons first.
    const answer = d.replies[before - 1];
    const question = d.replies[before];
    if (answer && question && d.replies.length === before + 1 && answer.text.length + question.text.length + 2 <= MAX_REPLY_LENGTH) {
      d.replies.splice(before - 1, 2, { text: `${answer.text}\n\n${question.text}`, buttons: [...question.buttons, ...answer.buttons] });
    }
  }

  /** Adds "Step by step" to a guide answer when a flow walks through that guide. */
  private offerFlowForGuide(d: Draft, guideId: string): void {
    const flow = this.flows.forGuide(guideId);
    if (!flow || d.state.flow?.flow === flow.id) return;
    const i = d.replies.findIndex((r) => r.buttons.length > 0);
    if (i < 0) return;
    const reply = d.replies[i] as Reply;
    d.replies[i] = { ...reply, buttons: [{ id: startFlowButton(flow.id), label: MESSAGES[d.lang].stepByStep }, ...reply.buttons] };
  }

  private offerPerson(d: Draft): void {
    const t = MESSAGES[d.lang];
    d.replies.push({ text: t.offerPerson, buttons: [{ id: BUTTON.person, label: t.talkToPerson }, { id: BUTTON.menu, label: t.mainMenu }] });
  }

  /** Starts handing the conversation to a person: the intake (or the open ticket, if any). */
  private escalate(d: Draft, reason: string): void {
    const t = MESSAGES[d.lang].escalation;
    d.intent = "escalate";
    const ticket = d.state.ticket;
    if (ticket) {
      d.state = { ...d.state, ticket: { ...ticket, relay: true }, flow: undefined };
      d.replies.push({ text: t.alreadyOpen(ticket.number), buttons: [{ id: "ticket:end", label: t.end }, { id: BUTTON.menu, label: MESSAGES[d.lang].mainMenu }] });
      return;
    }
    if (!this.assistant.knowledge.centres) {
      d.replies.push(...this.assistant.escalation(d.lang));
      d.state = { ...d.state, flow: undefined, misses: 0 };
      return;
    }
    const pos = d.state.flow;
    // The step where the resident got stuck: the last instruction on the way, not an automatic step.
    const stuck = pos ? this.stuckStep(pos) : undefined;
    d.state = {
      ...d.state,
      flow: undefined,
      misses: 0,
      intake: {
        step: "confirm",
        reason,
        context: {
          ...(pos ? { flow: pos.flow } : {}), ...(stuck ? { step: stuck } : {}),
          ...(pos && Object.keys(pos.vars).length > 0 ? { vars: pos.vars } : {}),
          ...(d.state.lastGuide ? { guide: d.state.lastGuide.id } : {}),
          ...(d.state.lastQuestion ? { lastQuestion: d.state.lastQuestion } : {}),
        },
      },
    };
    this.intakeStep(d);
  }

  /** The step where the resident got stuck in a flow. */
  private stuckStep(pos: FlowPosition): string | undefined {
    const flow = this.flows.get(pos.flow);
    const waits = (id: string): boolean => {
      const type = flow?.steps.get(id)?.type;
      return type === "instruction" || type === "question" || type === "message";
    };
    if (waits(pos.step) && flow?.steps.get(pos.step)?.type !== "escalate") return pos.step;
    const earlier = [...pos.history].reverse();
    return earlier.find((id) => flow?.steps.get(id)?.type === "instruction") ?? earlier[0] ?? pos.step;
  }

  /** Shows the current intake step. */
  private intakeStep(d: Draft): void {
    const intake = d.state.intake as Intake;
    const t = MESSAGES[d.lang].escalation;
    const centres = this.assistant.knowledge.centres;
    d.intent = "escalate";
    switch (intake.step) {
      case "confirm":
        d.replies.push({ text: t.confirm, buttons: [{ id: "intake:yes", label: t.yes }, { id: "intake:no", label: t.no }] });
        return;
      case "parish":
        d.replies.push({
          text: t.parish,
          buttons: [
            ...(centres?.parishes ?? []).map((p) => ({ id: `parish:${p.id}`, label: p.name[d.lang] })),
            { id: "parish:other", label: t.parishOther },
          ],
        });
        return;
      case "contact":
        d.replies.push({ text: t.contact, buttons: [{ id: "contact:chat", label: t.contactChat }, { id: "contact:phone", label: t.contactPhone }] });
        return;
      case "phone":
        d.replies.push({ text: t.phone, buttons: [], requestContact: { label: t.phoneShare } });
        return;
      case "consent":
        d.replies.push({ text: t.consent, buttons: [{ id: "consent:yes", label: t.consentYes, inline: true }, { id: "consent:no", label: t.consentNo, inline: true }] });
        return;
      case "question": {
        const known = intake.context.lastQuestion;
        d.replies.push(known
          ? { text: t.questionPrefilled(known.slice(0, 300)), buttons: [{ id: "question:keep", label: t.questionKeep }] }
          : { text: t.question, buttons: [] });
        return;
      }
    }
  }

  /** Buttons that work at any time: intake answers, the open ticket, ratings and /forget. */
  private special(d: Draft, id: string): boolean {
    const t = MESSAGES[d.lang];
    const intake = d.state.intake;
    const [kind, value] = id.split(":", 2) as [string, string | undefined];
    if (intake && ["intake", "parish", "contact", "consent", "question"].includes(kind)) return this.intakeInput(d, { kind: "button", id });
    if (kind === "ticket") {
      const ticket = d.state.ticket;
      if (!ticket) {
        d.intent = "fallback";
        d.replies.push({ text: t.unknownButton, buttons: this.assistant.menuButtons(d.lang) });
        return true;
      }
      if (value === "end") {
        d.endTicket = ticket.id;
        d.intent = "escalate";
        d.state = { ...d.state, ticket: undefined, ratingComment: undefined };
        d.replies.push({ text: t.escalation.ended(ticket.number), buttons: [] });
        d.replies.push(this.ratingQuestion(d.lang, ticket.id));
        return true;
      }
      if (value === "resume") {
        d.intent = "escalate";
        d.state = { ...d.state, ticket: { ...ticket, relay: true }, flow: undefined };
        d.replies.push({ text: t.escalation.keepWriting, buttons: [{ id: "ticket:end", label: t.escalation.end }] });
        return true;
      }
    }
    const rate = /^rate:(\d+):([1-5]|skip)$/.exec(id);
    if (rate) {
      const ticketId = Number(rate[1]);
      d.intent = "escalate";
      if (rate[2] === "skip") {
        d.state = { ...d.state, ratingComment: undefined };
        d.replies.push({ text: t.menuIntro, buttons: this.assistant.menuButtons(d.lang) });
        return true;
      }
      d.rating = { ticketId, score: Number(rate[2]) };
      d.state = { ...d.state, ratingComment: ticketId };
      d.replies.push({ text: `${t.escalation.rateThanks}\n${t.escalation.rateComment}`, buttons: [{ id: `rate:${ticketId}:skip`, label: t.escalation.skip }] });
      return true;
    }
    if (kind === "forget" && d.state.forgetAsked) {
      d.state = { ...d.state, forgetAsked: undefined };
      d.intent = "fallback";
      if (value === "yes") {
        d.forget = true;
        d.state = { misses: 0 };
        d.replies.push({ text: t.forget.done, buttons: [] });
      } else {
        d.replies.push({ text: t.forget.cancelled, buttons: this.assistant.menuButtons(d.lang) });
      }
      return true;
    }
    return false;
  }

  /** The 1–5 rating question for a ticket (also sent by the service when staff close one). */
  ratingQuestion(lang: Lang, ticketId: number): Reply {
    return {
      text: MESSAGES[lang].escalation.rate,
      buttons: [1, 2, 3, 4, 5].map((n) => ({ id: `rate:${ticketId}:${n}`, label: String(n), inline: true })),
    };
  }

  private ratingComment(d: Draft, text: string): void {
    const ticketId = d.state.ratingComment as number;
    d.state = { ...d.state, ratingComment: undefined };
    d.intent = "escalate";
    const comment = maskPersonalData(text.trim()).slice(0, 1000);
    if (comment === "") {
      d.replies.push({ text: MESSAGES[d.lang].menuIntro, buttons: this.assistant.menuButtons(d.lang) });
      return;
    }
    d.rating = { ticketId, comment };
    d.replies.push({ text: MESSAGES[d.lang].escalation.commentThanks, buttons: this.mainButtons(d.lang) });
  }

  /** An answer during the intake. False when the input is not for the intake (it then ends). */
  private intakeInput(d: Draft, input: Input): boolean {
    const intake = d.state.intake as Intake;
    const t = MESSAGES[d.lang].escalation;
    const button = input.kind === "button" ? input.id : undefined;
    const text = input.kind === "text" ? input.text.trim() : undefined;
    const simple = text !== undefined ? simplify(text) : "";
    const set = (next: Partial<Intake>): void => {
      d.state = { ...d.state, intake: { ...intake, ...next } };
      this.intakeStep(d);
    };
    const yes = (label: string): boolean => simple !== "" && (simple === simplifyLabel(label) || LANGS.some((l) => MESSAGES[l].words.done.includes(simple)));
    const no = (label: string): boolean => simple !== "" && (simple === simplifyLabel(label) || LANGS.some((l) => MESSAGES[l].words.failed.includes(simple)));
    switch (intake.step) {
      case "confirm":
        if (button === "intake:yes" || yes(t.yes)) return set({ step: "parish" }), true;
        if (button === "intake:no" || no(t.no)) {
          d.state = { ...d.state, intake: undefined };
          d.intent = "fallback";
          d.replies.push({ text: t.cancelled, buttons: this.assistant.menuButtons(d.lang) });
          return true;
        }
        break;
      case "parish": {
        const parishes = this.assistant.knowledge.centres?.parishes ?? [];
        const fromButton = button?.startsWith("parish:") ? button.slice(7) : undefined;
        const typed = simple !== "" ? parishes.find((p) => LANGS.some((l) => simplify(p.name[l]).split(" ")[0] === simple.split(" ")[0])) : undefined;
        if (fromButton === "other") return set({ step: "contact", parish: undefined }), true;
        const parish = parishes.find((p) => p.id === fromButton) ?? typed;
        if (parish) return set({ step: "contact", parish: parish.id }), true;
        break;
      }
      case "contact":
        if (button === "contact:chat" || (simple !== "" && simple === simplifyLabel(t.contactChat))) return set({ step: "consent", contact: "chat" }), true;
        if (button === "contact:phone" || (simple !== "" && simple === simplifyLabel(t.contactPhone))) return set({ step: "phone", contact: "phone" }), true;
        break;
      case "phone": {
        const raw = input.kind === "contact" ? input.phone : text;
        const phone = raw !== undefined ? normalisePhone(raw) : undefined;
        if (phone) {
          // The share-number keyboard is gone now: the thanks brings the main actions back.
          d.showActions = true;
          d.replies.push({ text: t.phoneThanks, buttons: [] });
          return set({ step: "consent", phone }), true;
        }
        if (raw !== undefined) {
          d.replies.push({ text: t.phoneInvalid, buttons: [], requestContact: { label: t.phoneShare } });
          d.intent = "escalate";
          return true;
        }
        break;
      }
      case "consent":
        if (button === "consent:yes" || yes(t.consentYes)) {
          d.consent = true;
          return set({ step: "question" }), true;
        }
        if (button === "consent:no" || no(t.consentNo)) {
          d.consent = false;
          d.state = { ...d.state, intake: undefined };
          d.intent = "escalate";
          d.replies.push({ text: t.consentRefused, buttons: this.assistant.menuButtons(d.lang) });
          return true;
        }
        break;
      case "question": {
        const question = button === "question:keep" ? intake.context.lastQuestion : text;
        if (question && /[\p{L}\p{N}]/u.test(question)) {
          d.state = { ...d.state, intake: undefined };
          d.intent = "escalate";
          d.escalation = {
            reason: intake.reason,
            ...intake.context,
            question: maskPersonalData(question).slice(0, 2000),
            ...(intake.parish ? { parish: intake.parish } : {}),
            contact: intake.contact ?? "chat",
            ...(intake.phone ? { phone: intake.phone } : {}),
          };
          return true;
        }
        break;
      }
    }
    // Commands and menu buttons leave the intake; anything else shows the step again.
    if (input.kind === "button" && !["intake", "parish", "contact", "consent", "question"].some((k) => input.id.startsWith(`${k}:`))) {
      d.state = { ...d.state, intake: undefined };
      return false;
    }
    d.intent = "escalate";
    this.intakeStep(d);
    return true;
  }

  /** While a person handles the ticket, what the resident writes goes to them. */
  private relay(d: Draft, input: Input): void {
    const ticket = d.state.ticket as NonNullable<SessionState["ticket"]>;
    d.intent = "escalate";
    const text = input.kind === "text" ? input.text.slice(0, 4000)
      : input.kind === "media" ? `[${input.media}]`
        : input.kind === "contact" ? `[📞 ${input.phone}]` : "";
    const file = input.kind === "media" ? input.file : undefined;
    d.relay = { ticketId: ticket.id, text: maskPersonalData(text), ...(file && input.kind === "media" ? { attachment: { ...file, kind: input.media } } : {}) };
  }

}
