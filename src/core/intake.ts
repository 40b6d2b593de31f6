/**
 * Handing a conversation to a person: the short intake (confirm, parish, how to answer, phone,
 * consent, the question) that ends in an {@link EscalationRequest}, or the open ticket when the
 * resident already has one.
 * @module
 */
import { buttonIds, isIntakePress, parseButtonId, type ButtonPress } from "./button-ids.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import { hasWords, isLabel, isWord, normalisePhone, simplify } from "./text-match.js";
import type { Core, Draft, FlowPosition, Intake } from "./turn.js";
import { fold } from "../nlp/normalize.js";
import { type EscalationContext, type EscalationReason, type Input, type Lang } from "./types.js";

/** A parish as the intake knows it: an id and its name in each language. */
interface ParishName {
  readonly id: string;
  readonly name: Readonly<Record<Lang, string>>;
}

/** Latin stems longer than this may have more letters of ending than a short one. */
const LATIN_ENDING = 4;
const CYRILLIC_ENDING = 6;

/**
 * The stems of a parish's name, folded: Latvian ("ozolniek" from "Ozolnieku pagasts", also read
 * in Latin-typed Russian: "v ozolniekah"), English ("ozolnieki") and Russian ("озолниек" from
 * "Озолниекская волость").
 */
function parishStems(p: ParishName): string[] {
  const first = (name: string): string => fold(name).split(/\s+/)[0] ?? "";
  const lv = first(p.name.lv).replace(/(?:as|es|u|a|e|s)$/u, "");
  const en = first(p.name.en).replace(/(?:i|a|e|s)$/u, "");
  const ru = first(p.name.ru).replace(/(?:ская|ской)$/u, "").replace(/[йь]$/u, "");
  return [...new Set([lv, en, ru].filter((stem) => stem.length >= 3))];
}

/**
 * The parish a resident typed, in any inflection ("dzīvoju Ozolniekos", "Elejā", "в Озолниеках",
 * "v Eleje"), "other" for the city of Jelgava, or undefined when none (or more than one) is named.
 */
export function typedParish<P extends ParishName>(text: string, parishes: readonly P[]): P | "other" | undefined {
  const words = fold(text).split(/[^\p{L}]+/u).filter((w) => w.length >= 3);
  const found = new Set<P>();
  for (const p of parishes) {
    for (const stem of parishStems(p)) {
      const max = /[a-z]/.test(stem) ? LATIN_ENDING : CYRILLIC_ENDING;
      if (words.some((w) => w.startsWith(stem) && w.length - stem.length <= max)) found.add(p);
    }
  }
  if (found.size === 1) return [...found][0];
  if (found.size > 1) return undefined;
  // Jelgava itself (not "Jelgavas novads", the whole municipality).
  const city = words.some((w) => w.startsWith("jelgav") || w.startsWith("елгав"));
  const county = words.some((w) => w.startsWith("novad") || w.startsWith("кра"));
  return city && !county ? "other" : undefined;
}

/** Why the conversation goes to a person, with the flow's words or the label pressed. */
export interface EscalationCause {
  readonly reason: EscalationReason;
  readonly note?: string;
  /** The resident asked to be called back or cannot type: the phone answer is preselected. */
  readonly callback?: boolean;
}

/** The escalation intake. */
export class IntakeRunner {
  constructor(private readonly core: Core) {}

  /** Starts handing the conversation to a person: the intake (or the open ticket, if any). */
  escalate(d: Draft, cause: EscalationCause): void {
    const t = MESSAGES[d.lang].escalation;
    d.intent = "escalate";
    const ticket = d.state.ticket;
    if (ticket) {
      d.state = { ...d.state, ticket: { ...ticket, relay: true }, flow: undefined };
      d.replies.push({ text: t.alreadyOpen(ticket.number), buttons: [{ id: buttonIds.endTicket, label: t.end }, { id: buttonIds.menu, label: MESSAGES[d.lang].mainMenu }] });
      return;
    }
    const assistant = this.core.assistant;
    if (!assistant.knowledge.centres) {
      d.replies.push(...assistant.escalation(d.lang));
      d.state = { ...d.state, flow: undefined, misses: 0 };
      return;
    }
    const pos = d.state.flow;
    // The step where the resident got stuck: the last instruction on the way, not an automatic step.
    const stuck = pos ? this.stuckStep(pos) : undefined;
    const titles = this.titles(pos?.flow, stuck, d.state.lastGuide?.id);
    const intake: Intake = {
      step: "confirm",
      ...(cause.callback ? { contact: "phone" as const } : {}),
      context: {
        reason: cause.reason,
        ...(cause.note ? { note: cause.note } : {}),
        ...(pos ? { flow: pos.flow } : {}), ...(stuck ? { step: stuck } : {}),
        ...(pos && Object.keys(pos.vars).length > 0 ? { vars: pos.vars } : {}),
        ...(d.state.lastGuide ? { guide: d.state.lastGuide.id } : {}),
        ...(d.state.lastQuestion ? { lastQuestion: d.state.lastQuestion } : {}),
        ...(titles ? { titles } : {}),
      },
    };
    d.state = { ...d.state, flow: undefined, misses: 0, intake };
    this.show(d, intake);
  }

  /** The Latvian titles of the flow, the step and the guide, for staff; undefined when none is known. */
  private titles(flowId: string | undefined, stepId: string | undefined, guideId: string | undefined): EscalationContext["titles"] {
    const flow = flowId ? this.core.flows.get(flowId) : undefined;
    const step = stepId ? flow?.steps.get(stepId) : undefined;
    const say = step && "say" in step && step.say ? step.say.lv.split("\n")[0]?.trim() : undefined;
    const guide = guideId ? this.core.assistant.guide(guideId, "lv")?.title : undefined;
    const titles = { ...(flow ? { flow: flow.title.lv } : {}), ...(say ? { step: say.slice(0, 200) } : {}), ...(guide ? { guide } : {}) };
    return Object.keys(titles).length > 0 ? titles : undefined;
  }

  /** The step where the resident got stuck in a flow. */
  private stuckStep(pos: FlowPosition): string | undefined {
    const flow = this.core.flows.get(pos.flow);
    const waits = (id: string): boolean => {
      const type = flow?.steps.get(id)?.type;
      return type === "instruction" || type === "question" || type === "message";
    };
    if (waits(pos.step)) return pos.step;
    const earlier = [...pos.history].reverse();
    return earlier.find((id) => flow?.steps.get(id)?.type === "instruction") ?? earlier[0] ?? pos.step;
  }

  /** Shows the current intake step. */
  show(d: Draft, intake: Intake): void {
    const t = MESSAGES[d.lang].escalation;
    const centres = this.core.assistant.knowledge.centres;
    d.intent = "escalate";
    switch (intake.step) {
      case "confirm":
        d.replies.push({ text: t.confirm, buttons: [{ id: buttonIds.intakeConfirm(true), label: t.yes }, { id: buttonIds.intakeConfirm(false), label: t.no }] });
        return;
      case "parish":
        d.replies.push({
          text: t.parish,
          buttons: [
            ...(centres?.parishes ?? []).map((p) => ({ id: buttonIds.parish(p.id), label: p.name[d.lang] })),
            { id: buttonIds.parish(undefined), label: t.parishOther },
          ],
        });
        return;
      case "contact":
        d.replies.push({ text: t.contact, buttons: [{ id: buttonIds.contact("chat"), label: t.contactChat }, { id: buttonIds.contact("phone"), label: t.contactPhone }] });
        return;
      case "phone":
        d.replies.push({ text: t.phone, buttons: [], requestContact: { label: t.phoneShare } });
        return;
      case "consent":
        d.replies.push({ text: t.consent, buttons: [{ id: buttonIds.consent(true), label: t.consentYes, inline: true }, { id: buttonIds.consent(false), label: t.consentNo, inline: true }] });
        return;
      case "question": {
        const known = intake.context.lastQuestion;
        d.replies.push(known
          ? { text: t.questionPrefilled(known.slice(0, 300)), buttons: [{ id: buttonIds.questionKeep, label: t.questionKeep }] }
          : { text: t.question, buttons: [] });
        return;
      }
    }
  }

  /** An answer during the intake. False when the input is not for the intake (it then ends). */
  input(d: Draft, intake: Intake, input: Input): boolean {
    const t = MESSAGES[d.lang].escalation;
    const press: ButtonPress | undefined = input.kind === "button" ? parseButtonId(input.id) : undefined;
    const text = input.kind === "text" ? input.text.trim() : undefined;
    const simple = text !== undefined ? simplify(text) : "";
    const set = (next: Partial<Intake>): true => {
      const updated = { ...intake, ...next };
      d.state = { ...d.state, intake: updated };
      this.show(d, updated);
      return true;
    };
    const yes = (label: string): boolean => isLabel(simple, [label]) || isWord(simple, "done");
    const no = (label: string): boolean => isLabel(simple, [label]) || isWord(simple, "failed");
    switch (intake.step) {
      case "confirm":
        if ((press?.kind === "intakeConfirm" && press.yes) || yes(t.yes)) return set({ step: "parish" });
        if ((press?.kind === "intakeConfirm" && !press.yes) || no(t.no)) {
          d.state = { ...d.state, intake: undefined };
          d.intent = "fallback";
          d.replies.push({ text: t.cancelled, buttons: this.core.assistant.menuButtons(d.lang) });
          return true;
        }
        break;
      case "parish": {
        const parishes = this.core.assistant.knowledge.centres?.parishes ?? [];
        // A call back was asked for: the phone number comes next, not the choice of contact.
        const next = intake.contact === "phone" ? "phone" : "contact";
        if (press?.kind === "parish" && press.parish === undefined) return set({ step: next, parish: undefined });
        const typed = press === undefined && text !== undefined ? typedParish(text, parishes) : undefined;
        if (typed === "other") return set({ step: next, parish: undefined });
        const parish = (press?.kind === "parish" ? parishes.find((p) => p.id === press.parish) : undefined) ?? typed;
        if (parish) return set({ step: next, parish: parish.id });
        break;
      }
      case "contact":
        if ((press?.kind === "contact" && press.mode === "chat") || isLabel(simple, [t.contactChat])) return set({ step: "consent", contact: "chat" });
        if ((press?.kind === "contact" && press.mode === "phone") || isLabel(simple, [t.contactPhone])) return set({ step: "phone", contact: "phone" });
        break;
      case "phone": {
        const raw = input.kind === "contact" ? input.phone : text;
        const phone = raw !== undefined ? normalisePhone(raw) : undefined;
        if (phone) {
          // The share-number keyboard is gone now: the thanks brings the main actions back.
          d.showActions = true;
          d.replies.push({ text: t.phoneThanks, buttons: [] });
          return set({ step: "consent", phone });
        }
        if (raw !== undefined) {
          d.replies.push({ text: t.phoneInvalid, buttons: [], requestContact: { label: t.phoneShare } });
          d.intent = "escalate";
          return true;
        }
        break;
      }
      case "consent":
        if ((press?.kind === "consent" && press.yes) || yes(t.consentYes)) {
          d.consent = true;
          return set({ step: "question" });
        }
        if ((press?.kind === "consent" && !press.yes) || no(t.consentNo)) {
          d.consent = false;
          d.state = { ...d.state, intake: undefined };
          d.intent = "escalate";
          d.replies.push({ text: t.consentRefused, buttons: this.core.assistant.menuButtons(d.lang) });
          return true;
        }
        break;
      case "question": {
        const question = press?.kind === "questionKeep" ? intake.context.lastQuestion : text;
        if (question && hasWords(question)) {
          d.state = { ...d.state, intake: undefined };
          d.intent = "escalate";
          d.escalation = {
            context: intake.context,
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
    if (press && !isIntakePress(press)) {
      d.state = { ...d.state, intake: undefined };
      return false;
    }
    d.intent = "escalate";
    this.show(d, intake);
    return true;
  }
}
