/**
 * One turn of a conversation: the router. It sends an inbound message to a command, a button's
 * handler, the escalation intake, the open ticket's relay, the active scripted flow, a scam
 * warning or a retrieval answer, and returns the replies with the new session state. Pure: no
 * storage, no channel. The caller (the conversation service) loads and saves the state.
 *
 * The parts: {@link Answers} (guides), {@link FlowRunner} (flows), {@link IntakeRunner} (handing
 * over to a person) and {@link TicketRelay} (the open ticket and its rating).
 *
 * Routing order: commands (`/start`, `/menu`, `/language`, `/help`, `/person`, `/forget`, and
 * the main action labels typed as text) → buttons that work at any time (intake, ticket, rating,
 * `/forget` confirmation) → the intake → the open ticket's relay → a rating comment → other
 * buttons → media → the active flow → a scam warning → retrieval. Two misses in a row offer a
 * person.
 * @module
 */
import type { Flow, FlowEvent } from "../flows/flow.js";
import type { FlowSet } from "../flows/load.js";
import { mentionsScam, scamVictim } from "../nlp/intents.js";
import { Answers } from "./answers.js";
import type { Assistant } from "./assistant.js";
import { buttonIds, isIntakePress, parseButtonId, type ButtonPress } from "./button-ids.js";
import { FlowRunner } from "./flow-runner.js";
import { IntakeRunner } from "./intake.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import { ratingQuestion, TicketRelay } from "./relay.js";
import { VOICE_TEXTS, voiceProblemText } from "./voice-texts.js";
import { asksToForget, simplify, simplifyLabel } from "./text-match.js";
import { startDraft, type Core, type Draft, type SessionState, type TurnResult } from "./turn.js";
import { LANGS, type Button, type Input, type Lang, type Reply, type VoiceProblem } from "./types.js";

export { NEW_SESSION } from "./turn.js";
export type { EscalationRequest, FlowPosition, Intake, SessionState, TurnEvent, TurnResult } from "./turn.js";
export { normalisePhone } from "./text-match.js";

/** Options for {@link Conversation}. */
export interface ConversationOptions {
  readonly assistant: Assistant;
  readonly flows: FlowSet;
}

/** The commands residents can type. */
export const COMMANDS = ["start", "menu", "language", "help", "person", "forget"] as const;

/** Each language's name in itself. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { lv: "Latviešu", ru: "Русский", en: "English" };

/** A command typed or pressed: `/name arg`. */
interface Command {
  readonly name: string;
  readonly arg?: string;
  /** The language the command was typed in, when words said it ("удалите мои данные"). */
  readonly lang?: Lang;
}

/** The conversation router over an assistant and a set of flows. */
export class Conversation implements Core {
  readonly assistant: Assistant;
  readonly flows: FlowSet;
  readonly answers: Answers;
  readonly runner: FlowRunner;
  readonly intake: IntakeRunner;
  readonly tickets: TicketRelay;

  constructor(options: ConversationOptions) {
    this.assistant = options.assistant;
    this.flows = options.flows;
    this.answers = new Answers(this);
    this.runner = new FlowRunner(this);
    this.intake = new IntakeRunner(this);
    this.tickets = new TicketRelay(this);
  }

  /** The few main actions a channel shows permanently (Telegram's reply keyboard). */
  mainActions(lang: Lang): Button[] {
    const t = MESSAGES[lang];
    return [{ id: buttonIds.menu, label: t.mainMenu }, { id: buttonIds.person, label: t.talkToPerson }, { id: buttonIds.languages, label: t.language }];
  }

  /** The 1–5 rating question for a ticket (also sent by the service when staff close one). */
  ratingQuestion(lang: Lang, ticketId: number): Reply {
    return ratingQuestion(lang, ticketId);
  }

  /**
   * The label a button had when it was sent, worked out from its id: how a press on an older
   * message (whose labels the caller no longer has) is written to the transcript. Undefined for
   * ids nobody sent.
   */
  labelOf(id: string, lang: Lang): string | undefined {
    const press = parseButtonId(id);
    const t = MESSAGES[lang];
    const e = t.escalation;
    switch (press.kind) {
      case "menu": return t.mainMenu;
      case "person": return t.talkToPerson;
      case "languages": return t.language;
      case "language": return `🌐 ${LANGUAGE_NAMES[press.lang]}`;
      case "startFlow": return this.flows.get(press.flow) ? t.stepByStep : undefined;
      case "guide":
      case "section": return this.assistant.guide(press.guide, lang) ? this.assistant.label(press.guide, lang) : undefined;
      case "flowChoice": {
        const step = this.flows.get(press.flow)?.steps.get(press.step);
        return step?.type === "message" ? step.choices[press.index]?.label[lang] : undefined;
      }
      case "flowAction": return this.flows.get(press.flow) ? t[press.action] : undefined;
      case "flowResume": {
        const flow = this.flows.get(press.flow);
        return flow ? t.continueFlow(flow.title[lang]) : undefined;
      }
      case "intakeConfirm": return press.yes ? e.yes : e.no;
      case "parish": return press.parish === undefined ? e.parishOther : this.assistant.knowledge.centres?.parishes.find((p) => p.id === press.parish)?.name[lang];
      case "contact": return press.mode === "chat" ? e.contactChat : e.contactPhone;
      case "consent": return press.yes ? e.consentYes : e.consentNo;
      case "questionKeep": return e.questionKeep;
      case "ticket": return press.action === "end" ? e.end : e.backToSpecialist;
      case "rate": return press.score === "skip" ? e.skip : String(press.score);
      case "forget": return press.yes ? t.forget.yes : t.forget.no;
      case "forgetAsk": return t.forget.ask;
      case "unknown": return undefined;
    }
  }

  /** Handles one inbound message. Never throws on odd input; unknown things get a polite answer. */
  handle(state: SessionState, input: Input, ctx: { readonly lang: Lang }): TurnResult {
    const d = startDraft(state, ctx.lang);
    const press = input.kind === "button" ? parseButtonId(input.id) : undefined;
    const command = this.asCommand(input);
    const ticket = d.state.ticket;
    if (command) this.command(d, command);
    else if (press && this.anytimeButton(d, press, input)) { /* handled */ }
    else if (d.state.intake && this.intake.input(d, d.state.intake, input)) { /* handled */ }
    else if (ticket?.relay && (input.kind === "text" || input.kind === "media" || input.kind === "contact")) this.tickets.relay(d, ticket, input);
    else if (d.state.ratingComment !== undefined && input.kind === "text") this.tickets.comment(d, d.state.ratingComment, input.text);
    else if (press) this.button(d, press);
    else if (input.kind === "media") this.media(d, input.media, input.voiceProblem);
    else if (input.kind === "contact") this.media(d, "contact");
    else if (input.kind === "text") this.text(d, input.text, input.edited === true);
    // Messages for a member of staff get no bot reply: a person answers them.
    if (d.replies.length === 0 && !d.relay && !d.escalation) d.replies.push({ text: MESSAGES[d.lang].menuIntro, buttons: this.assistant.menuButtons(d.lang) });
    this.speech(d, input);
    return { ...d };
  }

  /** Recognises commands: `/name arg`, and the main action labels typed or pressed as text. */
  asCommand(input: Input): Command | undefined {
    if (input.kind === "command") return input.arg ? { name: input.name, arg: input.arg } : { name: input.name };
    if (input.kind !== "text") return undefined;
    const text = input.text.trim();
    const [, name, arg] = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+(.+))?$/s.exec(text) ?? [];
    if (name) return { name: name.toLowerCase(), ...(arg ? { arg: arg.trim() } : {}) };
    const simple = simplify(text);
    if (simple === "") return undefined;
    for (const lang of LANGS) {
      const t = MESSAGES[lang];
      if (simple === simplifyLabel(t.mainMenu) || t.words.menu.includes(simple)) return { name: "menu" };
      if (simple === simplifyLabel(t.talkToPerson)) return { name: "person" };
      if (simple === simplifyLabel(t.language)) return { name: "language" };
    }
    // "izdzēsiet manus datus", "удалите мои данные", "delete my data": the /forget confirmation.
    const forgetIn = asksToForget(simple);
    if (forgetIn) return { name: "forget", lang: forgetIn };
    return undefined;
  }

  private command(d: Draft, { name, arg, lang }: Command): void {
    if (lang) d.lang = lang;
    const t = MESSAGES[d.lang];
    switch (name) {
      case "start": {
        d.showActions = true;
        const deep = arg ? this.deepLink(arg) : undefined;
        d.replies.push({ text: t.greeting, buttons: [] });
        d.state = { misses: 0 };
        if (deep?.flow) this.runner.start(d, deep.flow);
        else if (deep?.guide) this.answers.press(d, { kind: "guide", guide: deep.guide });
        else this.event(d, "menu");
        return;
      }
      case "menu":
        this.menu(d);
        return;
      case "forget":
        d.intent = "fallback";
        d.state = { ...d.state, forgetAsked: true };
        d.replies.push({ text: t.forget.confirm, buttons: [{ id: buttonIds.forget(true), label: t.forget.yes, inline: true }, { id: buttonIds.forget(false), label: t.forget.no, inline: true }] });
        return;
      case "language":
        d.state = { ...d.state, flow: undefined };
        this.event(d, "language");
        return;
      case "help":
        d.intent = "fallback";
        d.replies.push({ text: t.help, buttons: this.mainButtons(d.lang) });
        return;
      case "person":
        this.intake.escalate(d, { reason: "askedForPerson" });
        return;
      default:
        d.intent = "fallback";
        d.replies.push({ text: `${t.unknownCommand}\n\n${t.help}`, buttons: this.mainButtons(d.lang) });
    }
  }

  /** The main menu: leaves any flow or intake; an open ticket pauses with a way back. */
  private menu(d: Draft): void {
    d.state = { ...d.state, flow: undefined, misses: 0, intake: undefined, ratingComment: undefined, forgetAsked: undefined };
    const ticket = d.state.ticket;
    if (ticket) {
      const t = MESSAGES[d.lang].escalation;
      d.state = { ...d.state, ticket: { ...ticket, relay: false } };
      d.replies.push({ text: t.paused(ticket.number), buttons: [{ id: buttonIds.resumeTicket, label: t.backToSpecialist }] });
    }
    this.event(d, "menu");
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
    return [{ id: buttonIds.menu, label: t.mainMenu }, { id: buttonIds.person, label: t.talkToPerson }];
  }

  event(d: Draft, event: FlowEvent): void {
    const flow = this.flows.forEvent(event);
    if (flow) {
      this.runner.start(d, flow);
      return;
    }
    const t = MESSAGES[d.lang];
    if (event === "language") {
      d.replies.push({ text: t.language, buttons: LANGS.map((l) => ({ id: buttonIds.language(l), label: LANGUAGE_NAMES[l] })) });
    } else {
      d.replies.push({ text: t.menuIntro, buttons: this.assistant.menuButtons(d.lang) });
    }
  }

  setLanguage(d: Draft, lang: Lang): void {
    d.lang = lang;
    d.showActions = true;
    d.replies.push({ text: MESSAGES[lang].languageSaved, buttons: [] });
  }

  /**
   * Buttons that work at any time: intake answers (while the intake runs), the open ticket,
   * ratings and the `/forget` confirmation. False for every other button.
   */
  private anytimeButton(d: Draft, press: ButtonPress, input: Input): boolean {
    if (d.state.intake && isIntakePress(press)) return this.intake.input(d, d.state.intake, input);
    switch (press.kind) {
      case "ticket":
        this.tickets.ticketButton(d, press.action);
        return true;
      case "rate":
        this.tickets.rate(d, press);
        return true;
      case "forget":
        if (!d.state.forgetAsked) return false;
        this.forget(d, press.yes);
        return true;
      default:
        return false;
    }
  }

  /** The answer to the `/forget` confirmation. */
  private forget(d: Draft, yes: boolean): void {
    const t = MESSAGES[d.lang];
    d.state = { ...d.state, forgetAsked: undefined };
    d.intent = "fallback";
    if (yes) {
      d.forget = true;
      d.state = { misses: 0 };
      d.replies.push({ text: t.forget.done, buttons: [] });
    } else {
      d.replies.push({ text: t.forget.cancelled, buttons: this.assistant.menuButtons(d.lang) });
    }
  }

  private button(d: Draft, press: ButtonPress): void {
    switch (press.kind) {
      case "menu":
        return this.menu(d);
      case "person":
        return this.intake.escalate(d, { reason: "askedForPerson" });
      case "languages":
        d.state = { ...d.state, flow: undefined };
        return this.event(d, "language");
      case "language":
        this.setLanguage(d, press.lang);
        d.state = { ...d.state, flow: undefined };
        return this.event(d, "menu");
      case "startFlow": {
        const flow = this.flows.get(press.flow);
        if (flow) return this.runner.start(d, flow);
        return this.unknownButton(d);
      }
      case "flowChoice":
      case "flowAction":
      case "flowResume":
        return this.runner.press(d, press);
      case "guide":
      case "section":
        return this.answers.press(d, press);
      case "clarify":
        return this.answers.clarified(d, press);
      case "forgetAsk":
        return this.command(d, { name: "forget" });
      default:
        // Intake, ticket and /forget buttons out of their time, and ids nobody sent.
        return this.unknownButton(d);
    }
  }

  private unknownButton(d: Draft): void {
    d.intent = "fallback";
    d.replies.push({ text: MESSAGES[d.lang].unknownButton, buttons: this.assistant.menuButtons(d.lang) });
  }

  private media(d: Draft, media: Extract<Input, { kind: "media" }>["media"], problem?: VoiceProblem): void {
    const t = MESSAGES[d.lang];
    d.intent = "fallback";
    const buttons = media === "sticker" ? this.assistant.menuButtons(d.lang) : this.mainButtons(d.lang);
    d.replies.push({ text: problem ? voiceProblemText(d.lang, problem) : t.media[media], buttons });
  }

  /**
   * Speech around a turn: a spoken message is answered first with what was understood (masked,
   * in the language of the answer), and guide answers and flow steps — the replies of such a turn
   * that carry their own buttons, not a greeting or a "saved" line — are marked worth listening to.
   */
  private speech(d: Draft, input: Input): void {
    if (d.guideId !== undefined || d.stepId !== undefined) {
      d.replies = d.replies.map((r) => (r.from || r.buttons.length === 0 || r.text.trim() === "" ? r : { ...r, listen: true }));
    }
    if (input.kind === "text" && input.spoken) {
      d.replies.unshift({ text: VOICE_TEXTS[d.lang].heard(maskPersonalData(input.text.trim()).slice(0, 1000)), buttons: [] });
    }
  }

  private text(d: Draft, raw: string, edited: boolean): void {
    const text = raw.trim();
    if (edited) d.replies.push({ text: MESSAGES[d.lang].edited, buttons: [] });
    let pos = d.state.flow;
    if (pos?.paused && this.runner.answersStep(pos, text)) {
      // "gatavs" or "2" after a side question: the resident is back in the flow.
      pos = { ...pos, paused: false };
      d.state = { ...d.state, flow: pos };
    }
    if (pos && !pos.paused && this.runner.text(d, pos, text)) return;
    // Russian typed in Latin letters is read in Cyrillic too ("zvonili iz banka, prosili kod").
    const readings = this.assistant.readings(text, { lang: d.lang });
    const victim = readings.some(scamVictim);
    if (victim || readings.some(mentionsScam)) {
      const flow = this.flows.forEvent("scam");
      d.state = { ...d.state, lastQuestion: maskPersonalData(text).slice(0, 500) };
      if (flow && d.state.flow?.flow !== flow.id) {
        d.lang = this.assistant.detect(text, { lang: d.lang });
        // A victim who already gave something away gets the "act now" steps first (flow variable `victim`).
        this.runner.start(d, flow, victim ? { victim: "yes" } : {});
        return;
      }
    }
    this.answers.retrieve(d, text);
  }
}
