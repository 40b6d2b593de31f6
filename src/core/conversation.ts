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
import { isLang, LANGS, MAX_REPLY_LENGTH, type Button, type Input, type Intent, type Lang, type Reply } from "./types.js";

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

/** What a person taking over needs to know. */
export interface EscalationRequest {
  readonly reason: string;
  readonly flow?: string;
  readonly step?: string;
  readonly guide?: string;
  readonly question?: string;
  readonly vars?: Readonly<Record<string, string>>;
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
export const COMMANDS = ["start", "menu", "language", "help", "person"] as const;

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
    else if (input.kind === "button") this.button(d, input.id);
    else if (input.kind === "media") this.media(d, input.media);
    else if (input.kind === "text") this.text(d, input.text, input.edited === true);
    if (d.replies.length === 0) d.replies.push({ text: MESSAGES[d.lang].menuIntro, buttons: this.assistant.menuButtons(d.lang) });
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
        d.state = { ...d.state, flow: undefined, misses: 0 };
        this.event(d, "menu");
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

  /** Hands the conversation to a person, with what the bot knows. */
  private escalate(d: Draft, reason: string): void {
    const pos = d.state.flow;
    d.intent = "escalate";
    d.escalation = {
      reason,
      ...(pos ? { flow: pos.flow, step: pos.step, vars: pos.vars } : {}),
      ...(d.state.lastGuide ? { guide: d.state.lastGuide.id } : {}),
      ...(d.state.lastQuestion ? { question: d.state.lastQuestion } : {}),
    };
    d.replies.push(...this.assistant.escalation(d.lang));
    d.state = { ...d.state, flow: undefined, misses: 0 };
  }
}
