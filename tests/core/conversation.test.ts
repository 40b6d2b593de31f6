import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../src/core/assistant.js";
import { buttonIds } from "../../src/core/button-ids.js";
import { Conversation, NEW_SESSION, type SessionState, type TurnResult } from "../../src/core/conversation.js";
import { MESSAGES } from "../../src/core/messages.js";
import { MAX_REPLY_LENGTH, type Input, type Lang, type MediaKind } from "../../src/core/types.js";
import { buildFlows, loadFlows, type FlowSet } from "../../src/flows/load.js";
import type { KnowledgeBase } from "../../src/knowledge/load.js";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import { ROOT, shippedAssistant, shippedKnowledge } from "../helpers.js";

let knowledge: KnowledgeBase;
let assistant: Assistant;
let flows: FlowSet;
let conversation: Conversation;

/** Every turn taken in this file, to check the invariants across all of them at the end. */
const turns: { input: Input; result: TurnResult }[] = [];

beforeAll(async () => {
  knowledge = await shippedKnowledge();
  assistant = await shippedAssistant();
  flows = await loadFlows(path.join(ROOT, "flows"), knowledge);
  expect(flows.diagnostics.map(formatDiagnostic)).toEqual([]);
  conversation = new Conversation({ assistant, flows });
});

/** A resident's chat: threads the state and the language through `handle`, which is pure. */
class Chat {
  state: SessionState = NEW_SESSION;
  lang: Lang;
  last!: TurnResult;

  constructor(private conv: Conversation = conversation, lang: Lang = "lv") {
    this.lang = lang;
  }

  send(input: Input): TurnResult {
    const before = JSON.stringify(this.state);
    const result = this.conv.handle(this.state, input, { lang: this.lang });
    expect(JSON.stringify(this.state), "handle must not change the state it was given").toBe(before);
    turns.push({ input, result });
    checkInvariants(input, result);
    this.state = result.state;
    this.lang = result.lang;
    this.last = result;
    return result;
  }

  text(text: string): TurnResult {
    return this.send({ kind: "text", text });
  }

  press(id: string): TurnResult {
    return this.send({ kind: "button", id });
  }

  command(name: string, arg?: string): TurnResult {
    return this.send(arg === undefined ? { kind: "command", name } : { kind: "command", name, arg });
  }

  /** Presses the button whose label matches, on the last turn's replies. */
  pressLabel(label: RegExp | string): TurnResult {
    return this.press(buttonId(this.last, label));
  }

  /** Continues with another set of flows (as after a reload), keeping state and language. */
  switchTo(conv: Conversation): this {
    this.conv = conv;
    return this;
  }
}

/** What must hold after every turn: plain-JSON state, replies that fit Telegram, short button ids. */
function checkInvariants(input: Input, result: TurnResult): void {
  const where = JSON.stringify(input).slice(0, 80);
  expect(JSON.parse(JSON.stringify(result.state)), where).toEqual(result.state);
  expect(result.replies.length, where).toBeGreaterThan(0);
  for (const reply of result.replies) {
    expect(reply.text.trim().length, where).toBeGreaterThan(0);
    expect(reply.text.length, where).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    for (const b of reply.buttons) {
      expect(Buffer.byteLength(b.id, "utf8"), `${where} ${b.id}`).toBeLessThanOrEqual(64);
      expect(b.label.trim().length, `${where} ${b.id}`).toBeGreaterThan(0);
    }
  }
  expect(["guide", "flow", "escalate", "fallback"], where).toContain(result.intent);
}

const buttons = (r: TurnResult) => r.replies.flatMap((x) => x.buttons);
const ids = (r: TurnResult) => buttons(r).map((b) => b.id);
const texts = (r: TurnResult) => r.replies.map((x) => x.text);
const allText = (r: TurnResult) => texts(r).join("\n\n");
const kinds = (r: TurnResult) => r.events.map((e) => e.kind);

function buttonId(r: TurnResult, label: RegExp | string): string {
  const found = buttons(r).find((b) => (typeof label === "string" ? b.label === label : label.test(b.label)));
  if (!found) throw new Error(`no button ${String(label)} in: ${buttons(r).map((b) => b.label).join(" | ")}`);
  return found.id;
}

/** The text of a step of a shipped flow, in a language. */
function say(flow: string, step: string, lang: Lang = "lv"): string {
  const s = flows.get(flow)?.steps.get(step);
  if (!s || !("say" in s) || !s.say) throw new Error(`no text for ${flow}/${step}`);
  return s.say[lang];
}

/** A chat that has started e-invoice-setup by its deep link and is at the JNKU e-mail steps. */
function atJnkuMail(chat = new Chat()): Chat {
  chat.command("start", "e-invoices");
  chat.press("f:e-invoice-setup:which-invoice:0");
  chat.press("f:e-invoice-setup:utility-way:0");
  expect(chat.state.flow?.step).toBe("jnku-mail-prepare");
  return chat;
}

describe("Conversation: starting", () => {
  it("/start greets, shows the main menu and asks the channel to show the main actions", () => {
    const r = new Chat().command("start");
    expect(texts(r)[0]).toBe(MESSAGES.lv.greeting);
    expect(texts(r)).toContain(say("main-menu", "menu"));
    expect(ids(r)).toContain("f:main-menu:menu:0");
    expect(r.showActions).toBe(true);
    expect(r.state.flow?.flow).toBe("main-menu");
    expect(r.intent).toBe("flow");
  });

  it("/start typed as text works the same", () => {
    const r = new Chat().text("/start");
    expect(texts(r)[0]).toBe(MESSAGES.lv.greeting);
    expect(r.showActions).toBe(true);
  });

  it("/start e-invoices (a deep link) starts the e-invoice flow at its first step", () => {
    const r = new Chat().command("start", "e-invoices");
    expect(r.flowId).toBe("e-invoice-setup");
    expect(r.stepId).toBe("which-invoice");
    expect(texts(r)).toContain(say("e-invoice-setup", "which-invoice"));
    expect(kinds(r)).toContain("flow-started");
    expect(r.showActions).toBe(true);
    expect(new Chat().text("/start e-invoices").flowId).toBe("e-invoice-setup");
  });

  it("/start with a guide id shows that guide", () => {
    const r = new Chat().command("start", "property-tax");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("property-tax");
    expect(allText(r)).toContain(`📘 ${assistant.guide("property-tax", "lv")?.title}`);
  });

  it("/start with an unknown deep link just greets with the menu", () => {
    const r = new Chat().command("start", "no-such-thing");
    expect(texts(r)[0]).toBe(MESSAGES.lv.greeting);
    expect(r.state.flow?.flow).toBe("main-menu");
  });

  it("an unknown /command gets help", () => {
    for (const input of [{ kind: "command", name: "foo" }, { kind: "text", text: "/foo bar" }] as const) {
      const r = new Chat().send(input);
      expect(texts(r)[0]).toBe(`${MESSAGES.lv.unknownCommand}\n\n${MESSAGES.lv.help}`);
      expect(ids(r)).toEqual([buttonIds.menu, buttonIds.person]);
      expect(r.intent).toBe("fallback");
    }
  });
});

describe("Conversation: main actions and commands", () => {
  it.each(["🏠 Galvenā izvēlne", "menu", "меню", "/menu", "🏠 Main menu"])("typing %s in the middle of a flow acts as /menu", (typed) => {
    const chat = atJnkuMail();
    const r = chat.text(typed);
    expect(r.flowId).toBe("main-menu");
    expect(r.state.flow?.flow).toBe("main-menu");
    expect(texts(r)).toContain(say("main-menu", "menu"));
    expect(r.state.misses).toBe(0);
  });

  it("the main-menu button acts as /menu", () => {
    const chat = atJnkuMail();
    expect(chat.press(buttonIds.menu).state.flow?.flow).toBe("main-menu");
  });

  it("/help explains how to talk to the bot and keeps the resident's place", () => {
    const chat = atJnkuMail();
    const r = chat.command("help");
    expect(texts(r)).toEqual([MESSAGES.lv.help]);
    expect(ids(r)).toEqual([buttonIds.menu, buttonIds.person]);
    expect(r.state.flow?.step).toBe("jnku-mail-prepare");
  });

  it("/person inside a flow asks for a person with the flow and the step", () => {
    const chat = atJnkuMail();
    const r = chat.command("person");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-prepare", vars: { invoice: "utility", way: "jnku-mail" } });
    expect(texts(r)[0]).toBe(MESSAGES.lv.escalation.confirm);
    expect(r.state.flow).toBeUndefined();
  });

  it("the context for staff carries the flow's, the step's and the guide's titles, not only ids", () => {
    const chat = atJnkuMail();
    chat.text("Kā saņemt rēķinus e-pastā?");
    const r = chat.command("person");
    expect(r.state.intake?.context.titles).toEqual({
      flow: flows.get("e-invoice-setup")?.title.lv,
      step: say("e-invoice-setup", "jnku-mail-prepare").split("\n")[0],
      guide: assistant.guide("e-invoices", "lv")?.title,
    });
  });

  it("a typed request for a person hands over the last real question, not the request", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    chat.text("paldies");
    const r = chat.text("gribu runāt ar cilvēku");
    expect(r.state.intake?.context.lastQuestion).toBe("Kā saņemt rēķinus e-pastā?");
    const ru = new Chat(conversation, "ru");
    ru.text("Как получать счета по электронной почте?");
    expect(ru.text("мне нужен оператор").state.intake?.context.lastQuestion).toBe("Как получать счета по электронной почте?");
  });

  it("a bare request for a person without an earlier question prefills nothing; one that tells the story is kept", () => {
    const chat = new Chat();
    chat.text("gribu runāt ar cilvēku");
    expect(chat.state.intake?.context.lastQuestion).toBeUndefined();
    const story = "gribu runāt ar cilvēku, jo nevaru atrast savu klienta numuru ūdens rēķinam";
    expect(new Chat().text(story).state.intake?.context.lastQuestion).toBe(story);
  });

  it("a parish typed in any inflection or in Russian is recognised; the buttons stay", () => {
    const parishAsked = (lang: Lang = "lv"): Chat => {
      const chat = new Chat(conversation, lang);
      chat.command("person");
      chat.press(buttonIds.intakeConfirm(true));
      expect(chat.state.intake?.step).toBe("parish");
      expect(ids(chat.last).filter((id) => id.startsWith("parish:"))).toHaveLength(17);
      return chat;
    };
    const cases: [string, string | undefined, Lang?][] = [
      ["dzīvoju Ozolniekos", "ozolnieku"], ["Elejā", "elejas"], ["es esmu no kalnciema", "kalnciema"], ["Zaļeniekos", "zalenieku"],
      ["Līvbērzē", "livberzes"], ["Lielplatonē", "lielplatones"], ["Platonē", "platones"], ["Sesavas pagastā", "sesavas"],
      ["живу в Озолниеках", "ozolnieku", "ru"], ["Элея", "elejas", "ru"], ["ja zhivu v ozolniekah", "ozolnieku", "ru"], ["v Eleje", "elejas", "ru"],
      ["I live in Ozolnieki", "ozolnieku", "en"],
    ];
    for (const [text, parish, lang] of cases) {
      const r = parishAsked(lang).text(text);
      expect(r.state.intake, text).toMatchObject({ step: "contact", parish });
    }
    // Jelgava itself is "another place"; words that name no parish show the buttons again.
    expect(parishAsked().text("dzīvoju Jelgavā").state.intake).toMatchObject({ step: "contact" });
    expect(parishAsked().text("dzīvoju Jelgavā").state.intake?.parish).toBeUndefined();
    const unknown = parishAsked().text("laukos pie meža");
    expect(unknown.state.intake?.step).toBe("parish");
    expect(ids(unknown).filter((id) => id.startsWith("parish:"))).toHaveLength(17);
  });

  it("asking in words to delete one's data leads to the /forget confirmation, in that language", () => {
    for (const [text, lang] of [["izdzēsiet manus datus", "lv"], ["Lūdzu, dzēsiet manu sarunu!", "lv"], ["удалите мои данные", "ru"], ["delete my data", "en"]] as const) {
      const r = new Chat().text(text);
      expect(r.state.forgetAsked, text).toBe(true);
      expect(texts(r), text).toEqual([MESSAGES[lang].forget.confirm]);
    }
    for (const text of ["kā dzēst manu kontu internetbankā?", "как удалить мои фото с телефона", "how do I delete my facebook account"]) {
      expect(new Chat().text(text).state.forgetAsked, text).toBeUndefined();
    }
    const asked = new Chat().press(buttonIds.forgetAsk);
    expect(texts(asked)).toEqual([MESSAGES.lv.forget.confirm]);
    expect(conversation.labelOf(buttonIds.forgetAsk, "lv")).toBe("🗑️ Beigt un dzēst sarunu");
  });

  it("/person outside a flow asks for a person without a flow", () => {
    const r = new Chat().command("person");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context.flow).toBeUndefined();
    expect(r.state.intake?.context.reason).toBe("askedForPerson");
  });

  it("typing the person action label, or pressing it, asks for a person too", () => {
    const chat = atJnkuMail();
    expect(chat.text("🙋 Runāt ar cilvēku").state.intake?.context).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-prepare" });
    expect(atJnkuMail().press(buttonIds.person).state.intake?.context.step).toBe("jnku-mail-prepare");
  });

  it("offers the main actions in each language", () => {
    for (const lang of ["lv", "ru", "en"] as const) {
      expect(conversation.mainActions(lang).map((b) => b.label)).toEqual([MESSAGES[lang].mainMenu, MESSAGES[lang].talkToPerson, MESSAGES[lang].language]);
    }
  });
});

describe("Conversation: the e-invoice flow by buttons", () => {
  it("goes the whole JNKU e-mail way to its end and records the result", () => {
    const chat = atJnkuMail();
    const steps = ["jnku-mail-prepare", "jnku-mail-open", "jnku-mail-client", "jnku-mail-name", "jnku-mail-email", "jnku-mail-send"];
    for (const [i, step] of steps.entries()) {
      expect(chat.state.flow?.step).toBe(step);
      // Steps typed into the JNKU form say so under their text.
      expect(texts(chat.last).some((text) => text.startsWith(say("e-invoice-setup", step)))).toBe(true);
      expect(ids(chat.last)).toEqual(expect.arrayContaining([`f:e-invoice-setup:${step}:done`, `f:e-invoice-setup:${step}:failed`, `f:e-invoice-setup:${step}:repeat`]));
      const r = chat.pressLabel(MESSAGES.lv.done);
      if (i < steps.length - 1) expect(r.events).toEqual([]);
    }
    const end = chat.last;
    expect(end.stepId).toBe("jnku-mail-done");
    expect(texts(end)).toContain(say("e-invoice-setup", "jnku-mail-done"));
    expect(kinds(end)).toEqual(["e-invoice-done", "flow-completed"]);
    expect(end.events[0]).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-done" });
    expect(ids(end)).toContain(buttonIds.menu);
    expect(end.state.flow).toBeUndefined();
  });

  it("Repeat shows the same step again without moving", () => {
    const chat = atJnkuMail();
    chat.pressLabel(MESSAGES.lv.done);
    const before = chat.last;
    const r = chat.pressLabel(MESSAGES.lv.repeat);
    expect(texts(r)).toEqual(texts(before));
    expect(ids(r)).toEqual(ids(before));
    expect(r.state.flow).toEqual(before.state.flow);
  });

  it("Back returns to the previous step, on instruction and message steps", () => {
    const chat = atJnkuMail();
    chat.pressLabel(MESSAGES.lv.done);
    expect(chat.state.flow?.step).toBe("jnku-mail-open");
    expect(chat.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("jnku-mail-prepare");
    expect(chat.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("utility-way");
    const r = chat.pressLabel(MESSAGES.lv.back);
    expect(r.state.flow?.step).toBe("which-invoice");
    expect(texts(r)).toContain(say("e-invoice-setup", "which-invoice"));
    expect(ids(r).some((id) => id.endsWith(":back"))).toBe(false);
  });

  it.each(["gatavs", "готово", "done", "Izdevās ✅", "Done ✅"])("typing %s acts as Done", (typed) => {
    const chat = atJnkuMail();
    const r = chat.text(typed);
    expect(r.state.flow?.step).toBe("jnku-mail-open");
    expect(r.intent).toBe("flow");
    expect(r.lang).toBe("lv");
  });

  it("typing atpakaļ acts as Back and atkārtot as Repeat", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    expect(chat.text("atkārtot").state.flow?.step).toBe("jnku-mail-open");
    expect(chat.text("atpakaļ").state.flow?.step).toBe("jnku-mail-prepare");
  });

  it("a typed number chooses that option, and a typed label chooses it too", () => {
    const chat = new Chat();
    chat.command("start", "e-invoices");
    const r = chat.text("1");
    expect(r.state.flow).toMatchObject({ step: "utility-way", vars: { invoice: "utility" } });
    expect(chat.text("Internetbankā").state.flow).toMatchObject({ step: "bank-login", vars: { invoice: "utility", way: "bank" } });
  });

  it("a branch goes on by the earlier choice: a utility bill not found in the bank offers JNKU by e-mail", () => {
    const chat = new Chat();
    chat.command("start", "e-invoices");
    chat.text("1");
    chat.text("2");
    chat.text("gatavs");
    chat.text("gatavs");
    expect(chat.state.flow?.step).toBe("bank-choose");
    const r = chat.pressLabel(MESSAGES.lv.failed);
    expect(r.state.flow?.step).toBe("bank-not-found-jnku");
    expect(kinds(r)).toEqual(["step-failed"]);
  });

  it("an old button of an earlier step continues from that step", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    chat.text("gatavs");
    const r = chat.press("f:e-invoice-setup:utility-way:1");
    expect(r.state.flow).toMatchObject({ step: "bank-login", history: ["which-invoice", "utility-way"], vars: { way: "bank" } });
  });
});

describe("Conversation: when a step does not work", () => {
  it("It didn't work ❌ follows the flow's failed path, and a person then sees the step where the resident got stuck", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    expect(chat.state.flow?.step).toBe("jnku-mail-open");
    const r = chat.pressLabel(MESSAGES.lv.failed);
    expect(r.events).toEqual([{ kind: "step-failed", flow: "e-invoice-setup", step: "jnku-mail-open" }]);
    expect(r.guideId).toBe("e-invoices");
    expect(r.state.flow?.step).toBe("retry");
    expect(texts(r)).toContain(say("e-invoice-setup", "retry"));

    const person = chat.pressLabel("🙋 Runāt ar cilvēku");
    expect(person.intent).toBe("escalate");
    expect(person.state.intake?.context).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-open", vars: { way: "jnku-mail" } });
    expect(person.state.intake?.context).toMatchObject({ reason: "flowStep", note: expect.stringMatching(/JNKU/) as unknown });
    expect(person.state.flow).toBeUndefined();
  });

  it("\"Try again\" after a failure goes back to the chosen way", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    chat.pressLabel(MESSAGES.lv.failed);
    expect(chat.pressLabel(/Mēģināt vēlreiz/).state.flow?.step).toBe("jnku-mail-open");
  });

  it("typing nesanāk acts as It didn't work", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    expect(chat.text("nesanāk").state.flow?.step).toBe("retry");
  });

  it("without a failed path, It didn't work offers to repeat or a person, who sees the step", () => {
    // The fixture's meter flow has no failed paths.
    const chat = new Chat(new Conversation({ assistant, flows: fixtureFlows() }));
    chat.command("start", "meter");
    chat.text("gatavs");
    const r = chat.pressLabel(MESSAGES.lv.failed);
    expect(texts(r)).toEqual([MESSAGES.lv.failedOffer]);
    expect(ids(r)).toEqual(["f:meter:client:repeat", buttonIds.person, buttonIds.menu]);
    expect(r.state.flow?.step).toBe("client");
    expect(kinds(r)).toEqual(["step-failed"]);
    expect(chat.pressLabel(MESSAGES.lv.repeat).state.flow?.step).toBe("client");
    chat.pressLabel(MESSAGES.lv.failed);
    const person = chat.press(buttonIds.person);
    expect(person.state.intake?.context).toMatchObject({ flow: "meter", step: "client" });
  });
});

describe("Conversation: questions in the middle of a flow", () => {
  it("a guide question is answered with Continue, and Continue resumes the same step", () => {
    const chat = atJnkuMail();
    const r = chat.text("Kā deklarēt dzīvesvietu?");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("residence-declaration");
    const resume = buttons(r).find((b) => b.id === "f:e-invoice-setup:resume");
    expect(resume?.label).toBe(MESSAGES.lv.continueFlow("E-rēķinu pieteikšana"));
    // The answer carries Continue; the feedback question does not replace the flow.
    expect(r.replies.at(-1)?.buttons[0]?.id).toBe("f:e-invoice-setup:resume");
    expect(kinds(r)).not.toContain("flow-started");
    expect(ids(r).some((id) => id.startsWith("f:feedback:"))).toBe(false);
    expect(r.state.flow).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-prepare", paused: true });

    const back = chat.press("f:e-invoice-setup:resume");
    expect(back.state.flow).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-prepare", paused: false });
    expect(texts(back)).toEqual([say("e-invoice-setup", "jnku-mail-prepare")]);
    expect(chat.text("gatavs").state.flow?.step).toBe("jnku-mail-open");
  });

  it("typing a step's answer after a side question resumes the flow without pressing Continue", () => {
    const chat = atJnkuMail();
    expect(chat.text("Kā deklarēt dzīvesvietu?").state.flow?.paused).toBe(true);
    const r = chat.text("gatavs");
    expect(r.state.flow).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-open", paused: false });
    expect(texts(r)).toEqual([say("e-invoice-setup", "jnku-mail-open")]);
  });

  it("a question answered in Russian in a Latvian flow gets Continue in Russian", () => {
    const chat = atJnkuMail();
    const r = chat.text("Как задекларировать место жительства?");
    expect(r.lang).toBe("ru");
    expect(buttons(r).find((b) => b.id === "f:e-invoice-setup:resume")?.label).toBe(MESSAGES.ru.continueFlow("Подключение э-счетов"));
    expect(texts(chat.press("f:e-invoice-setup:resume"))).toEqual([say("e-invoice-setup", "jnku-mail-prepare", "ru")]);
  });

  it("gibberish in a flow shows the same step again, in the resident's language", () => {
    const chat = atJnkuMail();
    const before = chat.last;
    const r = chat.text("asdf qwer zxcv");
    expect(texts(r)).toEqual([MESSAGES.lv.chooseButton, say("e-invoice-setup", "jnku-mail-prepare")]);
    expect(r.replies[1]?.buttons).toEqual(before.replies.at(-1)?.buttons);
    expect(r.state.flow).toEqual(before.state.flow);
    // Not understood: a fallback at this flow's step, so that it reaches the unanswered report.
    expect(r).toMatchObject({ intent: "fallback", flowId: "e-invoice-setup", stepId: "jnku-mail-prepare" });
    expect(r.lang).toBe("lv");
  });

  it("a step that is typed into another site's form says so", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    const r = chat.text("gatavs");
    expect(r.state.flow?.step).toBe("jnku-mail-client");
    expect(texts(r)).toEqual([`${say("e-invoice-setup", "jnku-mail-client")}\n\n${MESSAGES.lv.typeIn("JNKU veidlapā")}`]);
    expect(texts(r)[0]).toMatch(/JNKU veidlapā, nevis šeit/);
  });

  it("a number typed at such a step is explained, with the step's buttons, and the resident stays there", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    const step = chat.text("gatavs");
    const r = chat.text("123456");
    expect(texts(r)).toEqual([MESSAGES.lv.typedData("number", "JNKU veidlapā")]);
    expect(texts(r)[0]).toMatch(/^Šo numuru ierakstiet JNKU veidlapā.*«Izdevās ✅»/);
    expect(ids(r)).toEqual(ids(step));
    expect(r).toMatchObject({ intent: "flow", stepId: "jnku-mail-client" });
    expect(r.state.flow).toEqual(step.state.flow);
    expect(r.state.misses).toBe(0);
    expect(texts(chat.text("jans@example.com"))[0]).toMatch(/^Šo e-pasta adresi ierakstiet/);
    // Then "gatavs" goes on as usual.
    expect(chat.text("gatavs").state.flow?.step).toBe("jnku-mail-name");
  });

  it("a question where to type it is answered at that step, in Russian too", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    chat.text("gatavs");
    const r = chat.text("nesaprotu, kur man jāieraksta klienta numurs?");
    expect(texts(r)).toEqual([MESSAGES.lv.stepHelp("JNKU veidlapā")]);
    expect(texts(r).join()).not.toContain(MESSAGES.lv.chooseButton);
    expect(ids(r)).toContain("f:e-invoice-setup:jnku-mail-client:done");
    expect(r.state.flow?.step).toBe("jnku-mail-client");
    const ru = new Chat(conversation, "ru");
    atJnkuMail(ru).text("готово");
    ru.text("готово");
    expect(texts(ru.text("куда вписывать номер клиента?"))).toEqual([MESSAGES.ru.stepHelp("в форме JNKU")]);
  });

  it("something not understood at such a step explains where to type and is not a second miss", () => {
    const chat = atJnkuMail();
    chat.text("gatavs");
    chat.text("gatavs");
    const r = chat.text("asdf qwer zxcv");
    expect(texts(r)).toEqual([MESSAGES.lv.stepHelp("JNKU veidlapā")]);
    expect(r).toMatchObject({ intent: "fallback", flowId: "e-invoice-setup", stepId: "jnku-mail-client" });
    expect(texts(chat.text("asdf qwer zxcv"))).not.toContain(MESSAGES.lv.offerPerson);
  });

  it("one miss in a flow does not offer a person yet; the second in a row does", () => {
    const chat = atJnkuMail();
    const first = chat.text("asdf qwer zxcv");
    expect(first.state.misses).toBe(1);
    expect(texts(first)).not.toContain(MESSAGES.lv.offerPerson);
    const second = chat.text("kāds laiks būs rīt Jelgavā");
    expect(texts(second)).toContain(MESSAGES.lv.offerPerson);
    expect(ids(second)).toContain(buttonIds.person);
    expect(second.state.flow?.step).toBe("jnku-mail-prepare");
  });

  it("a step done between two misses in a flow resets the count", () => {
    const chat = atJnkuMail();
    chat.text("asdf qwer zxcv");
    expect(chat.text("gatavs").state.misses).toBe(0);
    expect(texts(chat.text("asdf qwer zxcv"))).not.toContain(MESSAGES.lv.offerPerson);
  });

  it("a scam report in the middle of another flow gets the scam warning first", () => {
    const chat = atJnkuMail();
    const r = chat.text("Man zvanīja no bankas un prasīja PIN kodu");
    expect(r.flowId).toBe("scam-check");
    expect(texts(r)[0]).toBe(say("scam-check", "warning"));
  });

  it("media in a flow gets a helpful text and keeps the resident's place", () => {
    const chat = atJnkuMail();
    const r = chat.send({ kind: "media", media: "photo" });
    expect(texts(r)).toEqual([MESSAGES.lv.media.photo]);
    expect(r.state.flow?.step).toBe("jnku-mail-prepare");
  });
});

describe("Conversation: guide answers and feedback", () => {
  it("a guide answer outside a flow ends with the feedback question, in the same message", () => {
    const r = new Chat().text("Kā saņemt rēķinus e-pastā?");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("e-invoices");
    expect(texts(r)).toHaveLength(1);
    expect(texts(r)[0]).toMatch(/^📘 /);
    expect(texts(r)[0]?.endsWith(`\n\n${say("feedback", "did-it-help")}`)).toBe(true);
    // 👍 / 👎 come first, side by side, then the answer's own buttons.
    expect(r.replies[0]?.buttons.slice(0, 2)).toEqual([
      { id: "f:feedback:did-it-help:0", label: "👍 Jā", inline: true },
      { id: "f:feedback:did-it-help:1", label: "👎 Nē", inline: true },
    ]);
    expect(ids(r)).toEqual(expect.arrayContaining(["f:feedback:did-it-help:0", "f:feedback:did-it-help:1", "flow:e-invoice-setup"]));
    expect(r.state.flow?.flow).toBe("feedback");
    expect(r.state.lastGuide?.id).toBe("e-invoices");
  });

  it("👍 records feedback-up for the guide and thanks", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    const r = chat.pressLabel("👍 Jā");
    expect(r.events[0]).toEqual({ kind: "feedback-up", flow: "feedback", step: "did-it-help", guide: "e-invoices" });
    expect(kinds(r)).toContain("flow-completed");
    expect(texts(r)).toEqual([say("feedback", "thanks")]);
    expect(r.state.flow).toBeUndefined();
  });

  it("👎 records feedback-down and offers to rephrase or a person", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    const r = chat.pressLabel("👎 Nē");
    expect(r.events).toEqual([{ kind: "feedback-down", flow: "feedback", step: "did-it-help", guide: "e-invoices" }]);
    expect(buttons(r).map((b) => b.label)).toEqual(expect.arrayContaining(["✍️ Jautāt citiem vārdiem", "🙋 Runāt ar cilvēku"]));
    expect(texts(chat.pressLabel("✍️ Jautāt citiem vārdiem"))).toEqual([say("feedback", "rephrase")]);
  });

  it("👎 then a person hands over with the guide that did not help", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    chat.text("👎 Nē");
    const r = chat.pressLabel("🙋 Runāt ar cilvēku");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context).toMatchObject({ guide: "e-invoices", lastQuestion: "Kā saņemt rēķinus e-pastā?" });
  });

  it("typing a new question instead of answering the feedback gets it answered normally", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    const r = chat.text("kur nodot udens skaititaja radijumus");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("meter-readings");
    expect(kinds(r)).not.toContain("feedback-up");
    expect(kinds(r)).not.toContain("feedback-down");
    expect(r.state.lastGuide?.id).toBe("meter-readings");
  });

  it("a guide that a flow walks through offers it step by step", () => {
    const chat = new Chat();
    chat.text("Kā saņemt rēķinus e-pastā?");
    const r = chat.press("flow:e-invoice-setup");
    expect(r.flowId).toBe("e-invoice-setup");
    expect(r.stepId).toBe("which-invoice");
  });
});

describe("Conversation: misses", () => {
  it("two nonsense messages in a row offer a person", () => {
    const chat = new Chat();
    const first = chat.text("asdf qwer zxcv");
    expect(first.intent).toBe("fallback");
    expect(texts(first)).not.toContain(MESSAGES[first.lang].offerPerson);
    const second = chat.text("qwer asdf zxcv");
    expect(texts(second)).toContain(MESSAGES[second.lang].offerPerson);
    expect(ids(second)).toContain(buttonIds.person);
  });

  it("two off-topic questions in a row offer a person", () => {
    const chat = new Chat();
    expect(texts(chat.text("kāds laiks būs rīt Jelgavā")).join()).toContain(MESSAGES.lv.fallback);
    const second = chat.text("kas uzvarēs hokeja spēlē");
    expect(second.lang).toBe("lv");
    expect(texts(second)).toContain(MESSAGES.lv.offerPerson);
  });

  it("an answer in between resets the count", () => {
    const chat = new Chat();
    chat.text("kāds laiks būs rīt Jelgavā");
    expect(chat.text("Kā saņemt rēķinus e-pastā?").state.misses).toBe(0);
    const r = chat.text("kas uzvarēs hokeja spēlē");
    expect(r.state.misses).toBe(1);
    expect(texts(r)).not.toContain(MESSAGES.lv.offerPerson);
  });
});

describe("Conversation: scam reports", () => {
  it.each([
    ["Man zvanīja no bankas un prasīja PIN kodu", "lv"],
    ["Мне позвонили из банка и попросили PIN-код", "ru"],
    ["Someone called from the bank and asked for my PIN code", "en"],
  ] as const)("%s starts the scam check with the warning first", (text, lang) => {
    const r = new Chat().text(text);
    expect(r.lang).toBe(lang);
    expect(r.intent).toBe("flow");
    expect(r.flowId).toBe("scam-check");
    expect(texts(r)[0]).toBe(say("scam-check", "warning", lang));
    expect(r.events).toContainEqual({ kind: "flow-started", flow: "scam-check" });
    expect(r.state.flow?.step).toBe("gave-away");
    expect(r.state.lastQuestion).toBe(text);
  });

  it("after the warning, \"No, I gave nothing\" ends safely", () => {
    const chat = new Chat();
    chat.text("Man zvanīja no bankas un prasīja PIN kodu");
    chat.pressLabel(/Nē, neko/);
    const r = chat.pressLabel(/Viss skaidrs/);
    expect(kinds(r)).toEqual(["scam-safe", "flow-completed"]);
  });
});

describe("Conversation: language", () => {
  it("/language then Русский switches to Russian, shows the actions and the next reply is in Russian", () => {
    const chat = new Chat();
    const ask = chat.command("language");
    expect(ask.flowId).toBe("language");
    expect(buttons(ask).map((b) => b.label)).toEqual(["Latviešu", "Русский", "English"]);
    const r = chat.text("Русский");
    expect(r.lang).toBe("ru");
    expect(r.showActions).toBe(true);
    expect(texts(r)[0]).toBe(MESSAGES.ru.languageSaved);
    expect(texts(r)).toContain(say("main-menu", "menu", "ru"));
    const next = chat.command("help");
    expect(next.lang).toBe("ru");
    expect(texts(next)).toEqual([MESSAGES.ru.help]);
  });

  it("the language button lang:en works from anywhere", () => {
    const chat = atJnkuMail();
    const r = chat.press("lang:en");
    expect(r.lang).toBe("en");
    expect(r.showActions).toBe(true);
    expect(texts(r)[0]).toBe(MESSAGES.en.languageSaved);
    expect(texts(r)).toContain(say("main-menu", "menu", "en"));
    expect(chat.command("start").replies[0]?.text).toBe(MESSAGES.en.greeting);
  });

  it("the typed language action opens the language choice", () => {
    expect(new Chat().text("🌐 Valoda").flowId).toBe("language");
  });

  it("a Russian question while Latvian is set is answered in Russian", () => {
    const r = new Chat().text("Как задекларировать место жительства?");
    expect(r.lang).toBe("ru");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("residence-declaration");
    expect(texts(r)[0]).toContain(`📘 ${assistant.guide("residence-declaration", "ru")?.title}`);
    expect(texts(r).at(-1)?.endsWith(say("feedback", "did-it-help", "ru"))).toBe(true);
  });
});

describe("Conversation: media and odd buttons", () => {
  it.each(["voice", "photo", "sticker", "document", "location", "contact", "audio", "video", "other"] as const)(
    "a %s gets a helpful text and buttons, never an empty reply",
    (media: MediaKind) => {
      const r = new Chat().send({ kind: "media", media });
      expect(texts(r)).toEqual([MESSAGES.lv.media[media]]);
      expect(buttons(r).length).toBeGreaterThan(0);
      expect(r.intent).toBe("fallback");
    },
  );

  it("a media message is answered in the resident's language", () => {
    expect(texts(new Chat(conversation, "ru").send({ kind: "media", media: "voice" }))).toEqual([MESSAGES.ru.media.voice]);
  });

  it("a button of a flow that does not exist says so politely, with topics", () => {
    const r = new Chat().press("f:nope:x:1");
    expect(texts(r)).toEqual([MESSAGES.lv.flowGone]);
    expect(buttons(r).length).toBeGreaterThan(0);
  });

  it("a button of a flow that does not exist does not end the flow the resident is in", () => {
    const chat = atJnkuMail();
    chat.press("f:nope:x:1");
    expect(chat.state.flow?.step).toBe("jnku-mail-prepare");
    expect(chat.text("gatavs").state.flow?.step).toBe("jnku-mail-open");
  });

  it.each(["guide:nope", "section:nope#x", "zzz", "lang:de", "flow:nope", ""])("an unknown button %j gets a polite answer", (id) => {
    const r = new Chat().press(id);
    expect(texts(r)).toEqual([MESSAGES.lv.unknownButton]);
    expect(ids(r)).toContain(buttonIds.person);
  });

  it("a button of an unknown step of a known flow starts that flow again", () => {
    const r = new Chat().press("f:e-invoice-setup:nope:0");
    expect(texts(r)[0]).toBe(MESSAGES.lv.flowChanged);
    expect(r.state.flow?.step).toBe("which-invoice");
  });

  it("a choice number that the step does not have shows the step again", () => {
    const chat = new Chat();
    chat.command("start", "e-invoices");
    const r = chat.press("f:e-invoice-setup:which-invoice:42");
    expect(texts(r)).toEqual([say("e-invoice-setup", "which-invoice")]);
    expect(r.state.flow?.step).toBe("which-invoice");
  });

  it("Continue of a flow the resident is not in starts it", () => {
    expect(new Chat().press("f:e-invoice-setup:resume").state.flow?.step).toBe("which-invoice");
  });
});

/**
 * Flows written here rather than the shipped ones, so that the engine's behaviour when content
 * changes under a running conversation is tested on its own, whatever the editors write: a menu,
 * the three event flows the engine needs, and a four-step instruction flow whose wording, steps
 * and existence the tests change.
 */
const FIXTURE_FLOWS: Readonly<Record<string, string>> = {
  "main-menu": `id: main-menu
title: { lv: Izvēlne, ru: Меню, en: Menu }
triggers:
  on: [menu]
start: menu
steps:
  menu:
    say: { lv: Ko darīsim?, ru: Что делаем?, en: What shall we do? }
    choices:
      - label: { lv: "Skaitītājs", ru: "Счётчик", en: "Meter" }
        flow: meter
      - label: { lv: "Valoda", ru: "Язык", en: "Language" }
        flow: language
`,
  language: `id: language
title: { lv: Valoda, ru: Язык, en: Language }
triggers:
  on: [language]
start: choose
steps:
  choose:
    say: { lv: Izvēlieties valodu., ru: Выберите язык., en: Choose your language. }
    choices:
      - label: { lv: "Latviešu", ru: "Latviešu", en: "Latviešu" }
        language: lv
        menu: true
      - label: { lv: "English", ru: "English", en: "English" }
        language: en
        menu: true
`,
  feedback: `id: feedback
title: { lv: Atsauksme, ru: Отзыв, en: Feedback }
triggers:
  on: [feedback]
start: did-it-help
steps:
  did-it-help:
    say: { lv: Vai palīdzēja?, ru: Помогло?, en: Did it help? }
    choices:
      - label: { lv: "Jā", ru: "Да", en: "Yes" }
        next: thanks
  thanks:
    type: end
    say: { lv: Paldies!, ru: Спасибо!, en: Thank you! }
`,
  "scam-check": `id: scam-check
title: { lv: Krāpšana, ru: Мошенничество, en: Scam }
triggers:
  on: [scam]
start: warning
steps:
  warning:
    type: end
    say: { lv: Nevienam nesakiet kodus., ru: Никому не сообщайте коды., en: Never tell anyone your codes. }
`,
  meter: `id: meter
title: { lv: Skaitītājs, ru: Счётчик, en: Meter }
triggers:
  deep-links: [meter]
start: prepare
steps:
  prepare:
    type: instruction
    say: { lv: Sagatavojiet rēķinu., ru: Приготовьте счёт., en: Get your bill. }
    done: client
  client:
    type: instruction
    say: { lv: Ierakstiet klienta numuru., ru: Введите номер клиента., en: Type the client number. }
    done: reading
  reading:
    type: instruction
    say: { lv: Ierakstiet rādījumu., ru: Введите показание., en: Type the reading. }
    done: finish
  finish:
    type: end
    say: { lv: Gatavs!, ru: Готово!, en: Done! }
`,
};

/** The fixture flows with some files edited (`null` deletes the file); must still check cleanly. */
function fixtureFlows(edits: Readonly<Record<string, ((text: string) => string) | null>> = {}): FlowSet {
  const sources = Object.entries(FIXTURE_FLOWS).flatMap(([id, text]) => {
    const edit = edits[id];
    if (edit === null) return [];
    return [{ file: `flows/${id}.yaml`, text: edit ? edit(text) : text }];
  });
  const set = buildFlows(sources, knowledge);
  expect(set.diagnostics.map(formatDiagnostic)).toEqual([]);
  return set;
}

describe("Conversation: flows that change under a running conversation", () => {
  const changedText = (t: string) => t.replace("lv: Ierakstiet klienta numuru.", "lv: Ierakstiet savu klienta numuru no rēķina.");
  /** The client step removed; the step before goes straight to the next one. */
  const withoutClientStep = (t: string) => t.replace("done: client\n", "done: reading\n").replace(/\n {2}client:\n(?: {4}.*\n)+/, "\n");
  /** The meter flow deleted, and the menu no longer links to it. */
  const withoutMenuLink = (t: string) => t.replace(/ {6}- label: \{ lv: "Skaitītājs".*\n {8}flow: meter\n/, "");
  const text = (set: FlowSet, step: string): string => {
    const s = set.get("meter")?.steps.get(step);
    if (!s || !("say" in s) || !s.say) throw new Error(`no text for meter/${step}`);
    return s.say.lv;
  };

  let original: FlowSet;
  let before: Conversation;
  beforeAll(() => {
    original = fixtureFlows();
    before = new Conversation({ assistant, flows: original });
  });

  /** A chat at the client step of the fixture's meter flow. */
  function atClientStep(): Chat {
    const chat = new Chat(before);
    chat.command("start", "meter");
    expect(chat.state.flow?.step).toBe("prepare");
    chat.text("gatavs");
    expect(chat.state.flow?.step).toBe("client");
    return chat;
  }

  it("a changed text gives a new version; the resident continues at the same step", () => {
    const changed = fixtureFlows({ meter: changedText });
    expect(changed.get("meter")?.version).not.toBe(original.get("meter")?.version);
    expect([...(changed.get("meter")?.steps.keys() ?? [])]).toEqual([...(original.get("meter")?.steps.keys() ?? [])]);

    const chat = atClientStep().switchTo(new Conversation({ assistant, flows: changed }));
    const r = chat.text("gatavs");
    expect(r.state.flow).toMatchObject({ step: "reading", version: changed.get("meter")?.version });
    expect(texts(r)).not.toContain(MESSAGES.lv.flowChanged);
    expect(chat.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("client");
    expect(texts(chat.last)).toEqual(["Ierakstiet savu klienta numuru no rēķina."]);
  });

  it("a changed text: the old Repeat and Done buttons of the same step still work", () => {
    const changed = new Conversation({ assistant, flows: fixtureFlows({ meter: changedText }) });
    expect(texts(atClientStep().switchTo(changed).press("f:meter:client:repeat"))).toEqual(["Ierakstiet savu klienta numuru no rēķina."]);
    expect(atClientStep().switchTo(changed).press("f:meter:client:done").state.flow?.step).toBe("reading");
  });

  it("a changed flow: an old choice button shows the step again instead of guessing", () => {
    const changed = fixtureFlows({ "main-menu": (t) => t.replace('{ lv: Ko darīsim?, ru: Что делаем?, en: What shall we do? }', '{ lv: Ar ko sākam?, ru: С чего начнём?, en: Where shall we start? }') });
    const chat = new Chat(before);
    chat.command("menu");
    chat.switchTo(new Conversation({ assistant, flows: changed }));
    const r = chat.press("f:main-menu:menu:0");
    expect(texts(r)[0]).toBe(MESSAGES.lv.flowChanged);
    expect(r.state.flow).toMatchObject({ flow: "main-menu", step: "menu", version: changed.get("main-menu")?.version });
  });

  it("the current step removed: a short apology and the flow starts again", () => {
    const removed = fixtureFlows({ meter: withoutClientStep });
    expect(removed.get("meter")?.steps.has("client")).toBe(false);
    const chat = atClientStep().switchTo(new Conversation({ assistant, flows: removed }));
    const r = chat.text("gatavs");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, text(removed, "prepare")]);
    expect(MESSAGES.lv.flowChanged).toContain("tikko tika atjaunoti");
    expect(r.state.flow).toMatchObject({ flow: "meter", step: "prepare", version: removed.get("meter")?.version, history: [] });
    expect(r.intent).toBe("flow");
    expect(r.state.misses).toBe(0);
  });

  it("the current step removed: its old button also restarts the flow", () => {
    const removed = new Conversation({ assistant, flows: fixtureFlows({ meter: withoutClientStep }) });
    const r = atClientStep().switchTo(removed).press("f:meter:client:done");
    expect(texts(r)[0]).toBe(MESSAGES.lv.flowChanged);
    expect(r.state.flow?.step).toBe("prepare");
  });

  it("the current step removed while the resident asked something else: Continue restarts the flow", () => {
    const removed = new Conversation({ assistant, flows: fixtureFlows({ meter: withoutClientStep }) });
    const chat = atClientStep();
    chat.text("Kā deklarēt dzīvesvietu?");
    expect(chat.state.flow?.paused).toBe(true);
    const r = chat.switchTo(removed).press("f:meter:resume");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, text(fixtureFlows({ meter: withoutClientStep }), "prepare")]);
  });

  it("the flow deleted: the resident is told it is gone and may ask anew", () => {
    const gone = fixtureFlows({ meter: null, "main-menu": withoutMenuLink });
    expect(gone.get("meter")).toBeUndefined();
    const conv = new Conversation({ assistant, flows: gone });

    const typed = atClientStep().switchTo(conv).text("gatavs");
    expect(texts(typed)[0]).toBe(MESSAGES.lv.flowGone);
    expect(typed.state.flow).toBeUndefined();

    const pressed = atClientStep().switchTo(conv).press("f:meter:client:done");
    expect(texts(pressed)).toEqual([MESSAGES.lv.flowGone]);
    expect(pressed.state.flow).toBeUndefined();

    const asked = atClientStep().switchTo(conv).text("Kā deklarēt dzīvesvietu?");
    expect(texts(asked)[0]).toBe(MESSAGES.lv.flowGone);
    expect(asked.guideId).toBe("residence-declaration");

    const paused = atClientStep();
    paused.text("Kā deklarēt dzīvesvietu?");
    const resumed = paused.switchTo(conv).press("f:meter:resume");
    expect(texts(resumed)).toEqual([MESSAGES.lv.flowGone]);
    expect(resumed.state.flow).toBeUndefined();
  });

  it("never throws whatever the resident sends after a change", () => {
    const sets = [
      fixtureFlows({ meter: changedText }),
      fixtureFlows({ meter: withoutClientStep }),
      fixtureFlows({ meter: null, "main-menu": withoutMenuLink }),
    ];
    const inputs: Input[] = [
      { kind: "text", text: "gatavs" }, { kind: "text", text: "1" }, { kind: "text", text: "asdf" },
      { kind: "button", id: "f:meter:client:back" }, { kind: "button", id: "f:meter:resume" },
      { kind: "button", id: "f:main-menu:menu:3" }, { kind: "command", name: "person" }, { kind: "media", media: "voice" },
    ];
    for (const set of sets) {
      for (const input of inputs) {
        const chat = atClientStep().switchTo(new Conversation({ assistant, flows: set }));
        expect(() => chat.send(input)).not.toThrow();
        expect(chat.last.replies.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("Conversation: odd messages", () => {
  it("a 10,000-character message is read from its beginning and answered", () => {
    const long = `Kā saņemt rēķinus e-pastā? ${"un vēl daudz teksta ".repeat(600)}`.slice(0, 10_000);
    expect(long).toHaveLength(10_000);
    const r = new Chat().text(long);
    expect(texts(r)[0]).toBe(MESSAGES.lv.tooLong);
    expect(r.intent).toBe("guide");
    expect(r.state.lastQuestion?.length).toBeLessThanOrEqual(500);
  });

  it("a 10,000-character message in a flow does not throw", () => {
    const r = atJnkuMail().text("x".repeat(10_000));
    expect(r.replies.length).toBeGreaterThan(0);
    expect(r.state.flow?.step).toBe("jnku-mail-prepare");
  });

  it.each(["", "   ", "\n\n", "🙂", "???"])("an empty or wordless message %j asks for words", (text) => {
    const r = new Chat().text(text);
    expect(texts(r)[0]).toBe(MESSAGES.lv.emptyMessage);
    expect(buttons(r).length).toBeGreaterThan(0);
  });

  it("an empty message in a flow shows the step again", () => {
    const r = atJnkuMail().text("");
    expect(texts(r)).toEqual([MESSAGES.lv.chooseButton, say("e-invoice-setup", "jnku-mail-prepare")]);
  });

  it("HTML and Markdown are not echoed back and do not break anything", () => {
    const r = new Chat().text("<b>x</b> *y* [z](http://e.x)");
    expect(r.intent).toBe("fallback");
    expect(allText(r)).not.toContain("<b>");
    expect(allText(r)).not.toContain("http://e.x");
    const inFlow = atJnkuMail().text("<script>alert(1)</script> _z_ `code`");
    expect(inFlow.state.flow?.step).toBe("jnku-mail-prepare");
    expect(allText(inFlow)).not.toContain("<script>");
  });

  it("an edited message says so before the answer", () => {
    const r = new Chat().send({ kind: "text", text: "Kā saņemt rēķinus e-pastā?", edited: true });
    expect(texts(r)[0]).toBe(MESSAGES.lv.edited);
    expect(r.guideId).toBe("e-invoices");
  });

  it("a state from an older version of the bot (missing fields) is accepted", () => {
    const r = conversation.handle({} as SessionState, { kind: "text", text: "Kā saņemt rēkinus e-pastā?" }, { lang: "lv" });
    expect(r.state.misses).toBe(0);
    expect(r.replies.length).toBeGreaterThan(0);
  });
});

describe("Conversation: invariants across every turn in this file", () => {
  // Each turn is checked as it happens (see Chat.send); this runs after the other tests of the file.
  it("kept the state JSON-serialisable, every reply within 4,000 characters and every button id within 64 bytes", () => {
    for (const { input, result } of turns) checkInvariants(input, result);
    const longest = Math.max(0, ...turns.flatMap(({ result }) => result.replies.map((r) => r.text.length)));
    expect(longest).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
  });
});
