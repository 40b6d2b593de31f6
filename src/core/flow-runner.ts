/**
 * Runs scripted flows (`flows/*.yaml`): starts them, moves between steps (automatic steps go
 * straight on, waiting steps are shown), handles their buttons — also presses on older messages
 * and after the flow file changed — and typed answers ("gatavs", "2", a label). Text that is
 * not an answer goes to the guides while the flow waits, with "↩️ Continue".
 * @module
 */
import { buttonIds, type ButtonPress, type InstructionAction } from "./button-ids.js";
import type { Choice, Flow, Step } from "../flows/flow.js";
import { mentionsScam } from "../nlp/intents.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import { hasWords, isLabel, isWord, labelLength, simplify } from "./text-match.js";
import type { Core, Draft, FlowPosition } from "./turn.js";
import { LANGS, type Button } from "./types.js";

/** Labels up to this many characters count as short (see `Button.inline`). */
const SHORT_LABEL = 12;

/** A button of a flow. */
export type FlowPress = Extract<ButtonPress, { kind: "flowChoice" | "flowAction" | "flowResume" }>;

/** The typed equivalents of an instruction step's buttons, in the order they are tried. */
const ACTIONS: readonly InstructionAction[] = ["done", "failed", "repeat", "back"];

/** What data typed into the chat looks like. */
type DataKind = "number" | "email";

/** A question where to type something (simplified text, padded with spaces). */
const WHERE = / (?:kur|kurp|kura vieta|где|куда|where) /u;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u;

/**
 * "number" for text that is mostly digits (a client number, an invoice number, a personal code),
 * "email" for an e-mail address; undefined for anything else (words, questions).
 */
export function dataKind(text: string): DataKind | undefined {
  const clean = text.trim();
  if (clean.includes("?")) return undefined;
  if (EMAIL.test(clean)) return "email";
  const digits = (clean.match(/\p{N}/gu) ?? []).length;
  const letters = (clean.match(/\p{L}/gu) ?? []).length;
  return digits >= 3 && digits >= letters ? "number" : undefined;
}

/** The flow engine. */
export class FlowRunner {
  constructor(private readonly core: Core) {}

  /** Starts a flow at its first step. */
  start(d: Draft, flow: Flow, vars: Readonly<Record<string, string>> = {}): void {
    d.events.push({ kind: "flow-started", flow: flow.id });
    this.goto(d, flow, flow.start, { flow: flow.id, version: flow.version, step: flow.start, history: [], vars });
  }

  /** True when typed text is one of the step's buttons (a label, a number, "gatavs", "atpakaļ"…). */
  answersStep(pos: FlowPosition, text: string): boolean {
    const step = this.core.flows.get(pos.flow)?.steps.get(pos.step);
    if (!step) return false;
    const simple = simplify(text);
    if (step.type === "message") return this.typedChoice(step, simple) >= 0;
    if (step.type !== "instruction") return false;
    return this.typedAction(simple) !== undefined;
  }

  /** The index of the choice typed as its number or label; -1 when none. */
  private typedChoice(step: Extract<Step, { type: "message" }>, simple: string): number {
    return step.choices.findIndex((c, i) => simple === String(i + 1) || isLabel(simple, LANGS.map((l) => c.label[l])));
  }

  /** The standard button typed as its label or one of its words ("gatavs"), in any language. */
  private typedAction(simple: string): InstructionAction | undefined {
    return ACTIONS.find((action) => isLabel(simple, LANGS.map((l) => MESSAGES[l][action])) || isWord(simple, action));
  }

  /**
   * Free text while a flow waits: an answer, a typed button, or a question about something else.
   * False when the text is not for the flow (the router then handles it as a new message).
   */
  text(d: Draft, pos: FlowPosition, text: string): boolean {
    const live = this.current(d, pos);
    // Restarted after an update: its first step is the reply (the text was meant for the old
    // step). Gone: the text is handled as a new message.
    if (!live) return this.core.flows.get(pos.flow) !== undefined;
    const { flow, pos: current, step } = live;
    if (step.type === "question") {
      if (!hasWords(text)) {
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
    if (step.type === "instruction") {
      const action = this.typedAction(simple);
      if (action) {
        this.action(d, flow, step, current, action);
        return true;
      }
      // A number or an e-mail address typed here is meant for the form the step talks about.
      const data = dataKind(text);
      if (data) {
        this.typedData(d, flow, step, current, data);
        return true;
      }
    }
    if (step.type === "message") {
      const choice = step.choices[this.typedChoice(step, simple)];
      if (choice) {
        this.choose(d, flow, step, current, choice);
        return true;
      }
      if ((isWord(simple, "back") || isLabel(simple, LANGS.map((l) => MESSAGES[l].back))) && current.history.length > 0) {
        this.action(d, flow, step, current, "back");
        return true;
      }
    }
    // A message about a scam gets the warning first, even in the middle of another flow.
    const scam = this.core.flows.forEvent("scam");
    if (scam && scam.id !== flow.id && mentionsScam(text)) return false;
    // Something else. Passive flows (like feedback) just end; others pause with a way back.
    if (flow.triggers.on.includes("feedback") || flow.triggers.on.includes("menu") || flow.triggers.on.includes("language")) {
      d.state = { ...d.state, flow: undefined };
      return false;
    }
    if (step.type === "instruction" && step.typeIn && WHERE.test(` ${simple} `)) {
      // "Where do I type it?": the step's own answer.
      d.intent = "flow";
      d.flowId = flow.id;
      d.stepId = step.id;
      d.state = { ...d.state, misses: 0 };
      d.replies.push({ text: MESSAGES[d.lang].stepHelp(step.typeIn[d.lang]), buttons: this.stepButtons(d, flow, step, current) });
      return true;
    }
    this.sideQuestion(d, flow, step, current, text);
    return true;
  }

  /** A question in the middle of a flow: answered with "Continue", or the step shown again. */
  private sideQuestion(d: Draft, flow: Flow, step: Step, current: FlowPosition, text: string): void {
    const before = d.replies.length;
    const { misses } = d.state;
    const lang = d.lang;
    // Paused while the question is answered, so that the answer gets "Continue" and not the
    // feedback question (which would replace this flow).
    d.state = { ...d.state, flow: { ...current, paused: true } };
    this.core.answers.retrieve(d, text);
    if (d.intent === "guide" || d.intent === "clarify") {
      // Answered (or "did you mean…?"): the way back into the flow comes first.
      d.state = { ...d.state, flow: { ...current, paused: true } };
      const t = MESSAGES[d.lang];
      const last = d.replies.pop();
      if (last) d.replies.push({ ...last, buttons: [{ id: buttonIds.resume(flow.id), label: t.continueFlow(flow.title[d.lang]) }, ...last.buttons] });
    } else if (d.intent === "fallback") {
      // Not understood: keep the resident where they were, in their language. The turn stays a
      // fallback with its flow and step, so that editors see it in the unanswered report.
      d.replies.splice(before);
      d.lang = lang;
      d.state = { ...d.state, flow: current };
      d.flowId = flow.id;
      d.stepId = step.id;
      const t = MESSAGES[d.lang];
      if (step.type === "instruction" && step.typeIn) {
        // "Where do I type it?": the step's own answer, with its buttons. Not a second miss.
        d.replies.push({ text: t.stepHelp(step.typeIn[d.lang]), buttons: this.stepButtons(d, flow, step, current) });
        d.state = { ...d.state, misses };
        d.intent = "fallback";
        return;
      }
      d.replies.push({ text: t.chooseButton, buttons: [] });
      this.render(d, flow, step, current);
      d.intent = "fallback";
      d.state = { ...d.state, misses: misses + 1 };
      if (d.state.misses >= 2) this.core.answers.offerPerson(d);
    }
  }

  /** Data typed into the chat during a step that asks to type it into another site's form. */
  private typedData(d: Draft, flow: Flow, step: Extract<Step, { type: "instruction" }>, pos: FlowPosition, data: DataKind): void {
    const t = MESSAGES[d.lang];
    d.intent = "flow";
    d.flowId = flow.id;
    d.stepId = step.id;
    d.state = { ...d.state, misses: 0 };
    d.replies.push({ text: t.typedData(data, step.typeIn?.[d.lang] ?? t.typeInDefault), buttons: this.stepButtons(d, flow, step, pos) });
  }

  /** The standard buttons of an instruction step: done, failed, repeat and (when there is one) back. */
  private stepButtons(d: Draft, flow: Flow, step: Step, pos: FlowPosition): Button[] {
    const t = MESSAGES[d.lang];
    return [
      { id: buttonIds.instruction(flow.id, step.id, "done"), label: t.done },
      { id: buttonIds.instruction(flow.id, step.id, "failed"), label: t.failed },
      { id: buttonIds.instruction(flow.id, step.id, "repeat"), label: t.repeat },
      ...(pos.history.length > 0 ? [{ id: buttonIds.instruction(flow.id, step.id, "back"), label: t.back }] : []),
    ];
  }

  /** The active flow, updated to its current version, or undefined when it had to end. */
  private current(d: Draft, pos: FlowPosition): { flow: Flow; pos: FlowPosition; step: Step } | undefined {
    const flow = this.core.flows.get(pos.flow);
    const t = MESSAGES[d.lang];
    if (!flow) {
      d.state = { ...d.state, flow: undefined };
      d.replies.push({ text: t.flowGone, buttons: [] });
      return undefined;
    }
    const step = flow.steps.get(pos.step);
    if (step && flow.version === pos.version) return { flow, pos, step };
    if (step && pos.history.every((s) => flow.steps.has(s))) {
      const updated = { ...pos, version: flow.version };
      d.state = { ...d.state, flow: updated };
      return { flow, pos: updated, step };
    }
    d.replies.push({ text: t.flowChanged, buttons: [] });
    this.start(d, flow);
    return undefined;
  }

  /** A button of a flow, pressed on the current or an older message. */
  press(d: Draft, press: FlowPress): void {
    const flow = this.core.flows.get(press.flow);
    const t = MESSAGES[d.lang];
    if (!flow) {
      d.intent = "fallback";
      d.replies.push({ text: t.flowGone, buttons: this.core.assistant.menuButtons(d.lang) });
      // An old button of a removed flow must not end the flow the resident is in now.
      if (d.state.flow?.flow === press.flow) d.state = { ...d.state, flow: undefined };
      return;
    }
    const pos = d.state.flow;
    if (press.kind === "flowResume") {
      if (pos?.flow === press.flow) {
        const resumed = { ...pos, paused: false };
        d.state = { ...d.state, flow: resumed };
        const live = this.current(d, resumed);
        if (live) this.render(d, live.flow, live.step, live.pos);
      } else {
        this.start(d, flow);
      }
      return;
    }
    const step = flow.steps.get(press.step);
    const sameVersion = pos?.flow === press.flow && pos.version === flow.version;
    if (!step) {
      d.replies.push({ text: t.flowChanged, buttons: [] });
      this.start(d, flow);
      return;
    }
    if (pos?.flow === press.flow && pos.version !== flow.version && press.kind === "flowChoice") {
      // The choices may have moved: show the step again rather than guess.
      d.replies.push({ text: t.flowChanged, buttons: [] });
      const shown = { ...pos, version: flow.version, step: step.id, paused: false, history: pos.history.filter((s) => flow.steps.has(s)) };
      d.state = { ...d.state, flow: shown };
      this.render(d, flow, step, shown);
      return;
    }
    // A press on an older message of this flow continues from that step; of another flow, starts there.
    let position: FlowPosition;
    if (pos?.flow === press.flow && (sameVersion || flow.steps.has(pos.step))) {
      const at = pos.history.lastIndexOf(step.id);
      const history = step.id === pos.step ? pos.history : at >= 0 ? pos.history.slice(0, at) : pos.history;
      position = { ...pos, version: flow.version, step: step.id, history, paused: false };
    } else {
      position = { flow: flow.id, version: flow.version, step: step.id, history: [], vars: {} };
    }
    d.state = { ...d.state, flow: position };
    if (press.kind === "flowChoice") {
      const choice = step.type === "message" ? step.choices[press.index] : undefined;
      if (step.type !== "message" || !choice) {
        this.render(d, flow, step, position);
        return;
      }
      this.choose(d, flow, step, position, choice);
      return;
    }
    this.action(d, flow, step, position, press.action);
  }

  private action(d: Draft, flow: Flow, step: Step, pos: FlowPosition, action: InstructionAction): void {
    // Understood: the resident is back on track, so earlier misses no longer count.
    d.state = { ...d.state, misses: 0 };
    d.flowId = flow.id;
    d.stepId = step.id;
    const t = MESSAGES[d.lang];
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
          text: t.failedOffer,
          buttons: [
            { id: buttonIds.instruction(flow.id, step.id, "repeat"), label: t.repeat },
            { id: buttonIds.person, label: t.talkToPerson },
            { id: buttonIds.menu, label: t.mainMenu },
          ],
        });
        return;
    }
  }

  private choose(d: Draft, flow: Flow, step: Extract<Step, { type: "message" }>, pos: FlowPosition, choice: Choice): void {
    d.state = { ...d.state, misses: 0 };
    d.flowId = flow.id;
    d.stepId = step.id;
    if (choice.record) d.events.push({ kind: choice.record, flow: flow.id, step: step.id, ...(d.state.lastGuide ? { guide: d.state.lastGuide.id } : {}) });
    if (choice.language) this.core.setLanguage(d, choice.language);
    const vars = choice.set ? { ...pos.vars, ...choice.set } : pos.vars;
    const target = choice.target;
    switch (target.kind) {
      case "next":
        this.goto(d, flow, target.step, { ...pos, vars, history: [...pos.history, step.id] });
        return;
      case "flow": {
        const next = this.core.flows.get(target.flow);
        if (next) this.start(d, next);
        else this.core.event(d, "menu");
        return;
      }
      case "guide":
        d.state = { ...d.state, flow: undefined };
        this.core.answers.press(d, target.anchor ? { kind: "section", guide: target.guide, anchor: target.anchor } : { kind: "guide", guide: target.guide });
        return;
      case "escalate":
        d.state = { ...d.state, flow: { ...pos, vars } };
        this.core.intake.escalate(d, { reason: "flowChoice", note: choice.label.lv });
        return;
      case "menu":
        d.state = { ...d.state, flow: undefined };
        this.core.event(d, "menu");
        return;
    }
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
          this.core.intake.escalate(d, { reason: "flowStep", ...(step.reason ? { note: step.reason } : {}) });
          return;
        }
        case "end":
          d.replies.push({ text: step.say[d.lang], buttons: [{ id: buttonIds.menu, label: MESSAGES[d.lang].mainMenu }] });
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
  render(d: Draft, flow: Flow, step: Step, pos: FlowPosition): void {
    const t = MESSAGES[d.lang];
    const back = pos.history.length > 0 ? [{ id: buttonIds.instruction(flow.id, step.id, "back"), label: t.back }] : [];
    d.flowId = flow.id;
    d.stepId = step.id;
    switch (step.type) {
      case "message": {
        // Two or three short answers (👍 Jā / 👎 Nē, languages) sit side by side.
        const short = step.choices.length >= 2 && step.choices.length <= 3 && step.choices.every((c) => labelLength(c.label[d.lang]) <= SHORT_LABEL);
        d.replies.push({
          text: step.say[d.lang],
          buttons: step.choices.length > 0
            ? [...step.choices.map((c, i) => ({ id: buttonIds.choice(flow.id, step.id, i), label: c.label[d.lang], ...(short ? { inline: true } : {}) })), ...back]
            : [],
        });
        return;
      }
      case "instruction":
        d.replies.push({
          text: step.typeIn ? `${step.say[d.lang]}\n\n${t.typeIn(step.typeIn[d.lang])}` : step.say[d.lang],
          buttons: this.stepButtons(d, flow, step, pos),
        });
        return;
      case "question":
        d.replies.push({ text: step.say[d.lang], buttons: back });
        return;
      case "guide": {
        const assistant = this.core.assistant;
        const guide = assistant.guide(step.guide, d.lang);
        const section = guide && (step.section ? guide.sections.find((s) => s.anchor === step.section) : guide.sections.find((s) => s.kind === "steps"));
        if (!guide || !section) return;
        const [answer] = assistant.answerReplies(guide, section, d.lang);
        if (answer) d.replies.push({ text: answer.text, buttons: step.next ? [] : answer.buttons });
        d.guideId = guide.id;
        return;
      }
      default:
        return;
    }
  }
}
