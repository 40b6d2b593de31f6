/**
 * Answers from the guides: free text through retrieval, guide and section buttons, the "Did
 * this help?" question under an answer, the "Step by step" offer, and a person after two misses.
 * @module
 */
import { buttonIds, type ButtonPress } from "./button-ids.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import type { OutcomeReason } from "./assistant.js";
import type { Core, Draft } from "./turn.js";
import { MAX_REPLY_LENGTH } from "./types.js";

/** A guide button: the whole guide or one section. */
export type GuidePress = Extract<ButtonPress, { kind: "guide" | "section" }>;

/** A request for a person with more words than this also says what it is about. */
const REQUEST_ONLY_WORDS = 7;

/** True when a message is a question worth handing to a person (see {@link Answers.retrieve}). */
function isRealQuestion(reason: OutcomeReason, text: string): boolean {
  switch (reason) {
    case "answered":
    case "noMatch":
    case "unsure":
    case "rephrase":
      return true;
    case "askedForPerson":
      return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length > REQUEST_ONLY_WORDS;
    default:
      return false;
  }
}

/** Answers from the guides. */
export class Answers {
  constructor(private readonly core: Core) {}

  /** A guide or section button (also flow steps that point at a guide). */
  press(d: Draft, press: GuidePress): void {
    const id = press.kind === "guide" ? buttonIds.guide(press.guide) : buttonIds.section(press.guide, press.anchor);
    const out = this.core.assistant.press(id, { lang: d.lang });
    d.intent = out.intent;
    d.replies.push(...out.replies);
    if (out.answered) {
      d.guideId = out.answered.id;
      d.state = { ...d.state, lastGuide: out.answered, misses: 0 };
      this.offerFlowForGuide(d, out.answered.id);
      this.askFeedback(d);
    }
  }

  /** Free text answered from the guides, with feedback and a step-by-step offer. */
  retrieve(d: Draft, text: string): void {
    const out = this.core.assistant.ask(text, { lang: d.lang });
    d.outcome = out;
    d.lang = out.lang;
    // The last real question, for a person who takes over: not a greeting, a thanks or the
    // request for a person itself ("gribu runāt ar cilvēku") — unless that tells the story too.
    if (isRealQuestion(out.reason, text)) d.state = { ...d.state, lastQuestion: maskPersonalData(text).slice(0, 500) };
    if (out.reason === "askedForPerson") {
      // The "I read only the start" notice still belongs before the intake.
      const notice = out.truncated ? out.replies[0] : undefined;
      if (notice) d.replies.push(notice);
      this.core.intake.escalate(d, { reason: "askedForPerson", ...(out.callback ? { callback: true } : {}) });
      return;
    }
    d.intent = out.intent;
    d.replies.push(...out.replies);
    if (out.reason === "unsure" && out.suggestions) {
      // Counted, so that editors see which wordings needed a "Vai Jūs jautājat par …?".
      d.events.push({ kind: "clarify-offered", guide: out.suggestions[0] });
      return;
    }
    if (out.reason === "answered" && out.answered) {
      d.guideId = out.answered.id;
      d.state = { ...d.state, misses: 0, lastGuide: out.answered, flow: d.state.flow?.paused ? d.state.flow : undefined };
      this.offerFlowForGuide(d, out.answered.id);
      this.askFeedback(d);
      return;
    }
    if (out.reason === "noMatch") {
      d.state = { ...d.state, misses: d.state.misses + 1 };
      if (d.state.misses >= 2) this.offerPerson(d);
    }
  }

  /**
   * A choice under "Vai Jūs jautājat par: …": the chosen guide's section that fits the
   * question asked, "Cits jautājums" (write it again), or a person. The choice is recorded.
   */
  clarified(d: Draft, press: Extract<ButtonPress, { kind: "clarify" }>): void {
    const choice = press.choice;
    d.events.push(typeof choice === "string" ? { kind: `clarify-${choice}` } : { kind: "clarify-chosen", guide: choice.guide });
    const out = this.core.assistant.choose(choice, d.lang, d.state.lastQuestion);
    if (out.intent === "escalate") {
      this.core.intake.escalate(d, { reason: "askedForPerson" });
      return;
    }
    d.intent = out.intent;
    d.replies.push(...out.replies);
    if (out.answered) {
      d.guideId = out.answered.id;
      d.state = { ...d.state, lastGuide: out.answered, misses: 0 };
      this.offerFlowForGuide(d, out.answered.id);
      this.askFeedback(d);
    }
  }

  /** After a guide answer outside a flow: "Did this help?" (the feedback flow). */
  askFeedback(d: Draft): void {
    const feedback = this.core.flows.forEvent("feedback");
    if (!feedback || d.state.flow) return;
    const guideId = d.guideId;
    const before = d.replies.length;
    this.core.runner.start(d, feedback);
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
  offerFlowForGuide(d: Draft, guideId: string): void {
    const flow = this.core.flows.forGuide(guideId);
    if (!flow || d.state.flow?.flow === flow.id) return;
    const i = d.replies.findIndex((r) => r.buttons.length > 0);
    const reply = d.replies[i];
    if (!reply) return;
    d.replies[i] = { ...reply, buttons: [{ id: buttonIds.startFlow(flow.id), label: MESSAGES[d.lang].stepByStep }, ...reply.buttons] };
  }

  /** After two misses: a person or the menu. */
  offerPerson(d: Draft): void {
    const t = MESSAGES[d.lang];
    d.replies.push({ text: t.offerPerson, buttons: [{ id: buttonIds.person, label: t.talkToPerson }, { id: buttonIds.menu, label: t.mainMenu }] });
  }
}
