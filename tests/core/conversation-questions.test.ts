import { describe, expect, it } from "vitest";
import { buttonIds } from "../../src/core/button-ids.js";
import type { SessionState } from "../../src/core/conversation.js";
import { MESSAGES } from "../../src/core/messages.js";
import type { Lang, MediaKind } from "../../src/core/types.js";
import { allText, buttons, Chat, checkEveryTurn, ids, kinds, texts, type Turn } from "./support/chat.js";
import { atOnlinePrepare, conversation, say } from "./support/fixture.js";

/** Every turn taken in this file, to check the invariants across all of them at the end. */
const turns: Turn[] = [];
const chat = (lang: Lang = "lv"): Chat => new Chat(conversation, lang, turns);

/** The menu buttons of the fixture: its two main-topic guides and a person. */
const TOPICS = [buttonIds.guide("residence-declaration"), buttonIds.guide("meter-readings"), buttonIds.person];

/** A chat in the library flow at its first step that is typed into a form (the personal code). */
function atTypeInStep(c: Chat = chat()): Chat {
  atOnlinePrepare(c).text("gatavs");
  c.text("gatavs");
  expect(c.state.flow?.step).toBe("online-code");
  return c;
}

describe("Conversation: questions in the middle of a flow", () => {
  it("a guide question is answered with Continue, and Continue resumes the same step", () => {
    const c = atOnlinePrepare(chat());
    const r = c.text("Kā deklarēt dzīvesvietu?");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("residence-declaration");
    // The answer carries Continue first; the feedback question does not replace the flow.
    expect(r.replies.at(-1)?.buttons[0]).toEqual({ id: "f:library:resume", label: MESSAGES.lv.continueFlow("Bibliotēkas kartes pieteikšana") });
    expect(kinds(r)).not.toContain("flow-started");
    expect(ids(r).some((id) => id.startsWith("f:helped:"))).toBe(false);
    expect(r.state.flow).toMatchObject({ flow: "library", step: "online-prepare", paused: true });

    const back = c.press("f:library:resume");
    expect(back.state.flow).toMatchObject({ flow: "library", step: "online-prepare", paused: false });
    expect(texts(back)).toEqual([say("library", "online-prepare")]);
    expect(c.text("gatavs").state.flow?.step).toBe("online-open");
  });

  it("a step's answer typed after a side question resumes the flow without pressing Continue", () => {
    const c = atOnlinePrepare(chat());
    expect(c.text("Kā deklarēt dzīvesvietu?").state.flow?.paused).toBe(true);
    const r = c.text("gatavs");
    expect(r.state.flow).toMatchObject({ flow: "library", step: "online-open", paused: false });
    expect(texts(r)).toEqual([say("library", "online-open")]);
  });

  it("a question answered in Russian in a Latvian flow gets Continue in Russian", () => {
    const c = atOnlinePrepare(chat());
    const r = c.text("Как задекларировать место жительства?");
    expect(r.lang).toBe("ru");
    expect(buttons(r).find((b) => b.id === "f:library:resume")?.label).toBe(MESSAGES.ru.continueFlow("Оформление читательского билета"));
    expect(texts(c.press("f:library:resume"))).toEqual([say("library", "online-prepare", "ru")]);
  });

  it("gibberish in a flow shows the same step again, in the resident's language", () => {
    const c = atOnlinePrepare(chat());
    const before = c.last;
    const r = c.text("asdf qwer zxcv");
    expect(texts(r)).toEqual([MESSAGES.lv.chooseButton, say("library", "online-prepare")]);
    expect(r.replies[1]?.buttons).toEqual(before.replies.at(-1)?.buttons);
    expect(r.state.flow).toEqual(before.state.flow);
    // Not understood: a fallback at this flow's step, so that it reaches the unanswered report.
    expect(r).toMatchObject({ intent: "fallback", flowId: "library", stepId: "online-prepare" });
    expect(r.lang).toBe("lv");
  });

  it("a step that is typed into another site's form says so", () => {
    const r = atTypeInStep().last;
    expect(texts(r)).toEqual([`${say("library", "online-code")}\n\n${MESSAGES.lv.typeIn("pieteikuma formā")}`]);
    expect(texts(r)[0]).toMatch(/pieteikuma formā, nevis šeit/);
  });

  it("a number or an e-mail address typed at such a step is explained, with the step's buttons, and the resident stays there", () => {
    const c = atTypeInStep();
    const step = c.last;
    const r = c.text("123456");
    expect(texts(r)).toEqual([MESSAGES.lv.typedData("number", "pieteikuma formā")]);
    expect(texts(r)[0]).toMatch(/^Šo numuru ierakstiet pieteikuma formā.*«Izdevās ✅»/);
    expect(ids(r)).toEqual(ids(step));
    expect(r).toMatchObject({ intent: "flow", stepId: "online-code" });
    expect(r.state.flow).toEqual(step.state.flow);
    expect(r.state.misses).toBe(0);
    expect(texts(c.text("jans@example.com"))).toEqual([MESSAGES.lv.typedData("email", "pieteikuma formā")]);
    // Then "gatavs" goes on as usual.
    expect(c.text("gatavs").state.flow?.step).toBe("online-email");
  });

  it("a question where to type it is answered at that step, in Russian too", () => {
    const c = atTypeInStep();
    const r = c.text("nesaprotu, kur man jāieraksta personas kods?");
    expect(texts(r)).toEqual([MESSAGES.lv.stepHelp("pieteikuma formā")]);
    expect(ids(r)).toEqual(ids(c.last));
    expect(ids(r)).toContain("f:library:online-code:done");
    expect(r.state.flow?.step).toBe("online-code");
    const ru = chat("ru");
    atTypeInStep(ru);
    expect(texts(ru.text("куда вписывать личный код?"))).toEqual([MESSAGES.ru.stepHelp("в форме заявки")]);
  });

  it("something not understood at such a step explains where to type and is not a second miss", () => {
    const c = atTypeInStep();
    const r = c.text("asdf qwer zxcv");
    expect(texts(r)).toEqual([MESSAGES.lv.stepHelp("pieteikuma formā")]);
    expect(r).toMatchObject({ intent: "fallback", flowId: "library", stepId: "online-code" });
    expect(texts(c.text("asdf qwer zxcv"))).toEqual([MESSAGES.lv.stepHelp("pieteikuma formā")]);
  });

  it("one miss in a flow does not offer a person yet; the second in a row does", () => {
    const c = atOnlinePrepare(chat());
    const first = c.text("asdf qwer zxcv");
    expect(first.state.misses).toBe(1);
    expect(texts(first)).not.toContain(MESSAGES.lv.offerPerson);
    const second = c.text("kāds laiks būs rīt Jelgavā");
    expect(texts(second)).toEqual([MESSAGES.lv.chooseButton, say("library", "online-prepare"), MESSAGES.lv.offerPerson]);
    expect(second.replies.at(-1)?.buttons.map((b) => b.id)).toEqual([buttonIds.person, buttonIds.menu]);
    expect(second.state.flow?.step).toBe("online-prepare");
  });

  it("a step done between two misses in a flow resets the count", () => {
    const c = atOnlinePrepare(chat());
    c.text("asdf qwer zxcv");
    expect(c.text("gatavs").state.misses).toBe(0);
    expect(texts(c.text("asdf qwer zxcv"))).not.toContain(MESSAGES.lv.offerPerson);
  });

  it("a scam report in the middle of another flow gets the scam warning first", () => {
    const r = atOnlinePrepare(chat()).text("Man zvanīja no bankas un prasīja PIN kodu");
    expect(r.flowId).toBe("scam-warning");
    expect(texts(r)[0]).toBe(say("scam-warning", "warning"));
  });

  it("media in a flow gets a helpful text and keeps the resident's place", () => {
    const r = atOnlinePrepare(chat()).send({ kind: "media", media: "photo" });
    expect(texts(r)).toEqual([MESSAGES.lv.media.photo]);
    expect(r.state.flow?.step).toBe("online-prepare");
  });
});

describe("Conversation: guide answers and feedback", () => {
  it("a guide answer outside a flow ends with the feedback question, in the same message", () => {
    const r = chat().text("Kā saņemt bibliotēkas karti?");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("library-card");
    expect(texts(r)).toHaveLength(1);
    expect(texts(r)[0]).toMatch(/^📘 Bibliotēkas karte – kā to saņemt\n/);
    expect(texts(r)[0]?.endsWith(`\n\n${say("helped", "question")}`)).toBe(true);
    // 👍 / 👎 come first, side by side, then the answer's own buttons.
    expect(r.replies[0]?.buttons.slice(0, 2)).toEqual([
      { id: "f:helped:question:0", label: "👍 Jā", inline: true },
      { id: "f:helped:question:1", label: "👎 Nē", inline: true },
    ]);
    expect(ids(r)).toContain("flow:library");
    expect(r.state.flow?.flow).toBe("helped");
    expect(r.state.lastGuide?.id).toBe("library-card");
  });

  it("👍 records feedback-up for the guide and thanks", () => {
    const c = chat();
    c.text("Kā saņemt bibliotēkas karti?");
    const r = c.pressLabel("👍 Jā");
    expect(r.events).toEqual([
      { kind: "feedback-up", flow: "helped", step: "question", guide: "library-card" },
      { kind: "flow-completed", flow: "helped", step: "thanks" },
    ]);
    expect(texts(r)).toEqual([say("helped", "thanks")]);
    expect(r.state.flow).toBeUndefined();
  });

  it("👎 records feedback-down and offers to rephrase or a person", () => {
    const c = chat();
    c.text("Kā saņemt bibliotēkas karti?");
    const r = c.pressLabel("👎 Nē");
    expect(r.events).toEqual([{ kind: "feedback-down", flow: "helped", step: "question", guide: "library-card" }]);
    expect(texts(r)).toEqual([say("helped", "sorry")]);
    expect(buttons(r).map((b) => b.label)).toEqual(["✍️ Citiem vārdiem", "🙋 Cilvēks", MESSAGES.lv.back]);
    expect(texts(c.pressLabel("✍️ Citiem vārdiem"))).toEqual([say("helped", "rephrase")]);
  });

  it("👎 typed, then a choice that asks for a person, hands over with the guide that did not help", () => {
    const c = chat();
    c.text("Kā saņemt bibliotēkas karti?");
    c.text("👎 Nē");
    const r = c.pressLabel("🙋 Cilvēks");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context).toMatchObject({ reason: "flowChoice", note: "🙋 Cilvēks", guide: "library-card", lastQuestion: "Kā saņemt bibliotēkas karti?" });
  });

  it("a new question typed instead of answering the feedback is answered as usual", () => {
    const c = chat();
    c.text("Kā saņemt bibliotēkas karti?");
    const r = c.text("kur nodot udens skaititaja radijumus");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("meter-readings");
    expect(kinds(r)).not.toContain("feedback-up");
    expect(kinds(r)).not.toContain("feedback-down");
    expect(r.state.lastGuide?.id).toBe("meter-readings");
  });

  it("a guide that a flow walks through offers that flow step by step", () => {
    const c = chat();
    const answer = c.text("Kā saņemt bibliotēkas karti?");
    expect(buttons(answer).find((b) => b.id === "flow:library")?.label).toBe(MESSAGES.lv.stepByStep);
    const r = c.press("flow:library");
    expect(r.flowId).toBe("library");
    expect(r.stepId).toBe("which-library");
  });
});

describe("Conversation: misses", () => {
  it("two nonsense messages in a row offer a person", () => {
    const c = chat();
    const first = c.text("asdf qwer zxcv");
    expect(first.intent).toBe("fallback");
    expect(texts(first)).not.toContain(MESSAGES.lv.offerPerson);
    const second = c.text("qwer asdf zxcv");
    expect(texts(second)).toContain(MESSAGES.lv.offerPerson);
    expect(ids(second)).toContain(buttonIds.person);
  });

  it("two off-topic questions in a row offer a person", () => {
    const c = chat();
    expect(texts(c.text("kāds laiks būs rīt Jelgavā")).join()).toContain(MESSAGES.lv.fallback);
    const second = c.text("kas uzvarēs hokeja spēlē");
    expect(second.lang).toBe("lv");
    expect(texts(second)).toContain(MESSAGES.lv.offerPerson);
  });

  it("an answer in between resets the count", () => {
    const c = chat();
    c.text("kāds laiks būs rīt Jelgavā");
    expect(c.text("Kā saņemt bibliotēkas karti?").state.misses).toBe(0);
    const r = c.text("kas uzvarēs hokeja spēlē");
    expect(r.state.misses).toBe(1);
    expect(texts(r)).not.toContain(MESSAGES.lv.offerPerson);
  });
});

describe("Conversation: scam reports", () => {
  it.each([
    ["Man zvanīja no bankas un prasīja PIN kodu", "lv"],
    ["Мне позвонили из банка и попросили PIN-код", "ru"],
    ["Someone called from the bank and asked for my PIN code", "en"],
  ] as const)("%s starts the scam flow with the warning first", (text, lang) => {
    const r = chat().text(text);
    expect(r.lang).toBe(lang);
    expect(r.intent).toBe("flow");
    expect(r.flowId).toBe("scam-warning");
    expect(texts(r)).toEqual([say("scam-warning", "warning", lang), say("scam-warning", "gave-away", lang)]);
    expect(r.events).toEqual([{ kind: "flow-started", flow: "scam-warning" }]);
    expect(r.state.flow?.step).toBe("gave-away");
    expect(r.state.lastQuestion).toBe(text);
  });

  it("a resident who already gave a code away skips the warning: the flow's victim branch acts first", () => {
    const r = chat().text("zvanīja kāds no bankas un prasīja Smart-ID kodu, es iedevu. ko tagad darīt?");
    expect(r.flowId).toBe("scam-warning");
    expect(r.state.flow).toMatchObject({ step: "act-now", vars: { victim: "yes" } });
    expect(texts(r)).toEqual([say("scam-warning", "act-now")]);
  });

  it("after the warning, \"No, nothing\" ends safely and records it", () => {
    const c = chat();
    c.text("Man zvanīja no bankas un prasīja PIN kodu");
    c.pressLabel(/Nē, neko/);
    expect(kinds(c.pressLabel(/Viss skaidrs/))).toEqual(["scam-safe", "flow-completed"]);
  });
});

describe("Conversation: media", () => {
  it.each(["voice", "photo", "sticker", "document", "location", "contact", "audio", "video", "other"] as const)(
    "a %s gets a helpful text and buttons, never an empty reply",
    (media: MediaKind) => {
      const r = chat().send({ kind: "media", media });
      expect(texts(r)).toEqual([MESSAGES.lv.media[media]]);
      // A sticker gets the topics; anything else the way to the menu and to a person.
      expect(ids(r)).toEqual(media === "sticker" ? TOPICS : [buttonIds.menu, buttonIds.person]);
      expect(r.intent).toBe("fallback");
    },
  );

  it("a media message is answered in the resident's language", () => {
    expect(texts(chat("ru").send({ kind: "media", media: "voice" }))).toEqual([MESSAGES.ru.media.voice]);
  });
});

describe("Conversation: odd messages", () => {
  it("a 10,000-character message is read from its beginning and answered", () => {
    const long = `Kā saņemt bibliotēkas karti? ${"un vēl daudz teksta ".repeat(600)}`.slice(0, 10_000);
    expect(long).toHaveLength(10_000);
    const r = chat().text(long);
    expect(texts(r)[0]).toBe(MESSAGES.lv.tooLong);
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("library-card");
    expect(r.state.lastQuestion?.length).toBeLessThanOrEqual(500);
  });

  it("a 10,000-character message in a flow keeps the resident at the step", () => {
    const r = atOnlinePrepare(chat()).text("x".repeat(10_000));
    expect(texts(r)).toEqual([MESSAGES.lv.chooseButton, say("library", "online-prepare")]);
    expect(r.state.flow?.step).toBe("online-prepare");
  });

  it.each(["", "   ", "\n\n", "🙂", "???"])("an empty or wordless message %j asks for words", (text) => {
    const r = chat().text(text);
    expect(texts(r)).toEqual([MESSAGES.lv.emptyMessage]);
    expect(ids(r)).toEqual(TOPICS);
  });

  it("an empty message in a flow shows the step again", () => {
    expect(texts(atOnlinePrepare(chat()).text(""))).toEqual([MESSAGES.lv.chooseButton, say("library", "online-prepare")]);
  });

  it("HTML and Markdown are not echoed back and do not break anything", () => {
    const r = chat().text("<b>x</b> *y* [z](http://e.x)");
    expect(r.intent).toBe("fallback");
    expect(allText(r)).not.toContain("<b>");
    expect(allText(r)).not.toContain("http://e.x");
    const inFlow = atOnlinePrepare(chat()).text("<script>alert(1)</script> _z_ `code`");
    expect(inFlow.state.flow?.step).toBe("online-prepare");
    expect(allText(inFlow)).not.toContain("<script>");
  });

  it("an edited message says so before the answer", () => {
    const r = chat().send({ kind: "text", text: "Kā saņemt bibliotēkas karti?", edited: true });
    expect(texts(r)[0]).toBe(MESSAGES.lv.edited);
    expect(r.guideId).toBe("library-card");
  });

  it("a state from an older version of the bot (missing fields) is accepted", () => {
    const r = conversation.handle({} as SessionState, { kind: "text", text: "Kā saņemt bibliotekas karti?" }, { lang: "lv" });
    expect(r.state.misses).toBe(0);
    expect(r.guideId).toBe("library-card");
  });
});

describe("Conversation: invariants across every turn in this file", () => {
  // Each turn is checked as it happens (see Chat.send); this runs after the other tests of the file.
  it("keeps the state JSON-serialisable, every reply within 4,000 characters and every button id within 64 bytes", () => {
    checkEveryTurn(turns);
  });
});
