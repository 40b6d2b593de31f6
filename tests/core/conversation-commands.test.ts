import { describe, expect, it } from "vitest";
import { buttonIds } from "../../src/core/button-ids.js";
import { MESSAGES } from "../../src/core/messages.js";
import type { Lang } from "../../src/core/types.js";
import { allText, buttons, Chat, checkEveryTurn, ids, kinds, texts, type Turn } from "./support/chat.js";
import { assistant, atOnlinePrepare, conversation, say } from "./support/fixture.js";

/** Every turn taken in this file, to check the invariants across all of them at the end. */
const turns: Turn[] = [];
const chat = (lang: Lang = "lv"): Chat => new Chat(conversation, lang, turns);

/** The fixture menu's four choices. */
const MENU_IDS = ["f:home:menu:0", "f:home:menu:1", "f:home:menu:2", "f:home:menu:3"];

describe("Conversation: starting", () => {
  it("/start greets, shows the main menu and asks the channel to show the main actions", () => {
    const r = chat().command("start");
    expect(texts(r)).toEqual([MESSAGES.lv.greeting, say("home", "menu")]);
    expect(ids(r)).toEqual(MENU_IDS);
    expect(r.showActions).toBe(true);
    expect(r.state.flow?.flow).toBe("home");
    expect(r.intent).toBe("flow");
  });

  it("/start typed as text does the same", () => {
    const r = chat().text("/start");
    expect(texts(r)).toEqual([MESSAGES.lv.greeting, say("home", "menu")]);
    expect(r.showActions).toBe(true);
  });

  it("/start with a flow's deep link starts that flow at its first step", () => {
    const r = chat().command("start", "library");
    expect(r.flowId).toBe("library");
    expect(r.stepId).toBe("which-library");
    expect(texts(r)).toEqual([MESSAGES.lv.greeting, say("library", "which-library")]);
    expect(kinds(r)).toEqual(["flow-started"]);
    expect(r.showActions).toBe(true);
    expect(chat().text("/start library").flowId).toBe("library");
  });

  it("/start with a guide id shows that guide", () => {
    const r = chat().command("start", "meter-readings");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("meter-readings");
    expect(allText(r)).toContain("📘 Ūdens skaitītāja rādījumi – kur un kā nodot");
  });

  it("/start with an unknown deep link greets with the menu", () => {
    const r = chat().command("start", "no-such-thing");
    expect(texts(r)).toEqual([MESSAGES.lv.greeting, say("home", "menu")]);
    expect(r.state.flow?.flow).toBe("home");
  });

  it("an unknown /command gets help", () => {
    for (const input of [{ kind: "command", name: "foo" }, { kind: "text", text: "/foo bar" }] as const) {
      const r = chat().send(input);
      expect(texts(r)).toEqual([`${MESSAGES.lv.unknownCommand}\n\n${MESSAGES.lv.help}`]);
      expect(ids(r)).toEqual([buttonIds.menu, buttonIds.person]);
      expect(r.intent).toBe("fallback");
    }
  });
});

describe("Conversation: main actions and commands", () => {
  it.each(["🏠 Galvenā izvēlne", "menu", "меню", "/menu", "🏠 Main menu"])("%s typed in the middle of a flow acts as /menu", (typed) => {
    const r = atOnlinePrepare(chat()).text(typed);
    expect(r.flowId).toBe("home");
    expect(r.state.flow?.flow).toBe("home");
    expect(texts(r)).toEqual([say("home", "menu")]);
    expect(r.state.misses).toBe(0);
  });

  it("the main-menu button acts as /menu", () => {
    const r = atOnlinePrepare(chat()).press(buttonIds.menu);
    expect(r.state.flow?.flow).toBe("home");
    expect(texts(r)).toEqual([say("home", "menu")]);
  });

  it("/help explains how to talk to the bot and keeps the resident's place", () => {
    const r = atOnlinePrepare(chat()).command("help");
    expect(texts(r)).toEqual([MESSAGES.lv.help]);
    expect(ids(r)).toEqual([buttonIds.menu, buttonIds.person]);
    expect(r.state.flow?.step).toBe("online-prepare");
  });

  it("/person inside a flow asks for a person with the flow, the step and the flow's variables", () => {
    const r = atOnlinePrepare(chat()).command("person");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context).toMatchObject({ flow: "library", step: "online-prepare", vars: { library: "county", way: "online" } });
    expect(texts(r)[0]).toBe(MESSAGES.lv.escalation.confirm);
    expect(r.state.flow).toBeUndefined();
  });

  it("the context for staff carries the flow's title, the first line of the step and the guide's title, not only ids", () => {
    const c = atOnlinePrepare(chat());
    c.text("Kā deklarēt dzīvesvietu?");
    const r = c.command("person");
    expect(r.state.intake?.context.titles).toEqual({
      flow: "Bibliotēkas kartes pieteikšana",
      step: "Sagatavojiet personas apliecību.",
      guide: "Dzīvesvietas deklarēšana – internetā vai klātienē",
    });
  });

  it("a typed request for a person hands over the last real question, not the request", () => {
    const c = chat();
    c.text("Kā saņemt bibliotēkas karti?");
    c.text("paldies");
    expect(c.text("gribu runāt ar cilvēku").state.intake?.context.lastQuestion).toBe("Kā saņemt bibliotēkas karti?");
    const ru = chat("ru");
    ru.text("Как получить библиотечную карту?");
    expect(ru.text("мне нужен оператор").state.intake?.context.lastQuestion).toBe("Как получить библиотечную карту?");
  });

  it("a bare request for a person without an earlier question prefills nothing; one that tells the story is kept", () => {
    expect(chat().text("gribu runāt ar cilvēku").state.intake?.context.lastQuestion).toBeUndefined();
    const story = "gribu runāt ar cilvēku, jo nevaru atrast savu klienta numuru ūdens rēķinam";
    expect(chat().text(story).state.intake?.context.lastQuestion).toBe(story);
  });

  it("a parish typed in any inflection or in Russian is recognised; otherwise the buttons stay", () => {
    // The fixture's eight parishes, and "another place".
    const parishButtons = 9;
    const parishAsked = (lang: Lang = "lv"): Chat => {
      const c = chat(lang);
      c.command("person");
      c.press(buttonIds.intakeConfirm(true));
      expect(c.state.intake?.step).toBe("parish");
      expect(ids(c.last).filter((id) => id.startsWith("parish:"))).toHaveLength(parishButtons);
      return c;
    };
    const cases: [string, string, Lang?][] = [
      ["dzīvoju Ozolniekos", "ozolnieku"], ["Elejā", "elejas"], ["es esmu no kalnciema", "kalnciema"], ["Zaļeniekos", "zalenieku"],
      ["Līvbērzē", "livberzes"], ["Lielplatonē", "lielplatones"], ["Platonē", "platones"], ["Sesavas pagastā", "sesavas"],
      ["живу в Озолниеках", "ozolnieku", "ru"], ["Элея", "elejas", "ru"], ["ja zhivu v ozolniekah", "ozolnieku", "ru"], ["v Eleje", "elejas", "ru"],
      ["I live in Ozolnieki", "ozolnieku", "en"],
    ];
    for (const [text, parish, lang] of cases) {
      expect(parishAsked(lang).text(text).state.intake, text).toMatchObject({ step: "contact", parish });
    }
    // Jelgava itself is "another place"; words that name no parish show the buttons again.
    const jelgava = parishAsked().text("dzīvoju Jelgavā").state.intake;
    expect(jelgava).toMatchObject({ step: "contact" });
    expect(jelgava?.parish).toBeUndefined();
    const unknown = parishAsked().text("laukos pie meža");
    expect(unknown.state.intake?.step).toBe("parish");
    expect(ids(unknown).filter((id) => id.startsWith("parish:"))).toHaveLength(parishButtons);
  });

  it("asking in words to delete one's data leads to the /forget confirmation, in that language", () => {
    for (const [text, lang] of [["izdzēsiet manus datus", "lv"], ["Lūdzu, dzēsiet manu sarunu!", "lv"], ["удалите мои данные", "ru"], ["delete my data", "en"]] as const) {
      const r = chat().text(text);
      expect(r.state.forgetAsked, text).toBe(true);
      expect(texts(r), text).toEqual([MESSAGES[lang].forget.confirm]);
    }
    for (const text of ["kā dzēst manu kontu internetbankā?", "как удалить мои фото с телефона", "how do I delete my facebook account"]) {
      expect(chat().text(text).state.forgetAsked, text).toBeUndefined();
    }
    expect(texts(chat().press(buttonIds.forgetAsk))).toEqual([MESSAGES.lv.forget.confirm]);
    expect(conversation.labelOf(buttonIds.forgetAsk, "lv")).toBe("🗑️ Beigt un dzēst sarunu");
  });

  it("/person outside a flow asks for a person without a flow", () => {
    const r = chat().command("person");
    expect(r.intent).toBe("escalate");
    expect(r.state.intake?.context.flow).toBeUndefined();
    expect(r.state.intake?.context.reason).toBe("askedForPerson");
  });

  it("the person action's label, typed or pressed, asks for a person too", () => {
    expect(atOnlinePrepare(chat()).text("🙋 Runāt ar cilvēku").state.intake?.context).toMatchObject({ flow: "library", step: "online-prepare" });
    expect(atOnlinePrepare(chat()).press(buttonIds.person).state.intake?.context.step).toBe("online-prepare");
  });

  it("offers the main actions in each language", () => {
    for (const lang of ["lv", "ru", "en"] as const) {
      expect(conversation.mainActions(lang).map((b) => b.label)).toEqual([MESSAGES[lang].mainMenu, MESSAGES[lang].talkToPerson, MESSAGES[lang].language]);
    }
  });
});

describe("Conversation: language", () => {
  it("/language then a typed language name switches to it, shows the actions and the next reply is in it", () => {
    const c = chat();
    const ask = c.command("language");
    expect(ask.flowId).toBe("pick-language");
    expect(buttons(ask).map((b) => b.label)).toEqual(["Latviešu", "Русский", "English"]);
    const r = c.text("Русский");
    expect(r.lang).toBe("ru");
    expect(r.showActions).toBe(true);
    expect(texts(r)).toEqual([MESSAGES.ru.languageSaved, say("home", "menu", "ru")]);
    const next = c.command("help");
    expect(next.lang).toBe("ru");
    expect(texts(next)).toEqual([MESSAGES.ru.help]);
  });

  it("the language button lang:en works from anywhere", () => {
    const c = atOnlinePrepare(chat());
    const r = c.press("lang:en");
    expect(r.lang).toBe("en");
    expect(r.showActions).toBe(true);
    expect(texts(r)).toEqual([MESSAGES.en.languageSaved, say("home", "menu", "en")]);
    expect(c.command("start").replies[0]?.text).toBe(MESSAGES.en.greeting);
  });

  it("the language action's label, typed, opens the language choice", () => {
    expect(chat().text("🌐 Valoda").flowId).toBe("pick-language");
  });

  it("a Russian question while Latvian is set is answered in Russian", () => {
    const r = chat().text("Как задекларировать место жительства?");
    expect(r.lang).toBe("ru");
    expect(r.intent).toBe("guide");
    expect(r.guideId).toBe("residence-declaration");
    expect(texts(r)[0]).toContain(`📘 ${assistant.guide("residence-declaration", "ru")?.title ?? "?"}`);
    expect(texts(r).at(-1)?.endsWith(say("helped", "question", "ru"))).toBe(true);
  });
});

describe("Conversation: invariants across every turn in this file", () => {
  // Each turn is checked as it happens (see Chat.send); this runs after the other tests of the file.
  it("keeps the state JSON-serialisable, every reply within 4,000 characters and every button id within 64 bytes", () => {
    checkEveryTurn(turns);
  });
});
