import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Assistant, CLARIFY_TEXT } from "../../src/core/assistant.js";
import { buttonIds } from "../../src/core/button-ids.js";
import { Conversation, NEW_SESSION } from "../../src/core/conversation.js";
import { firstTurn, flowGuide, parseEvalFile } from "../../src/cli/eval.js";
import { loadFlows } from "../../src/flows/load.js";
import { asksForCallback, asksForPerson, scamVictim } from "../../src/nlp/intents.js";
import { storyParts } from "../../src/nlp/story.js";
import { tidy } from "../../src/nlp/normalize.js";
import { ROOT, shippedKnowledge } from "../helpers.js";
import { must } from "../support/must.js";

const knowledge = await shippedKnowledge();
const assistant = new Assistant({ knowledge });
const flows = await loadFlows(path.join(ROOT, "flows"), knowledge);
const conversation = new Conversation({ assistant, flows });
const first = (text: string) => conversation.handle(NEW_SESSION, { kind: "text", text }, { lang: "lv" });

describe("call-back and 'I cannot type' requests", () => {
  it.each([
    "zvaniet man lūdzu", "piezvaniet, nemāku rakstīt", "Vai kāds var man piezvanīt?", "lūdzu atzvaniet uz 26123456",
    "slikti redzu, nevaru izlasīt", "позвоните мне", "перезвоните пожалуйста", "я плохо вижу, не могу читать",
    "perezvonite mne", "please call me back", "I can't type well, can someone phone me", "call my mother please",
  ])("recognises %s", (text) => {
    expect(asksForCallback(text) || asksForCallback(assistant.query(text, assistant.detection(text)).text)).toBe(true);
  });
  it.each([
    "man zvanīja no bankas un prasīja kodu", "vakar man piezvanīja kāds vīrietis", "мне звонили из банка", "мне позвонили и попросили код",
    "someone called me and asked for my PIN", "kā nomainīt telefona numuru e-adresē", "kur zvanīt, ja pazaudēju karti",
  ])("keeps the report or question %s a report, not a request", (text) => {
    expect(asksForCallback(text)).toBe(false);
  });
  it.each([
    "lai kāds man piezvana, lūdzu", "gribētu, lai ar mani sazinās pa telefonu", "пусть кто-нибудь мне позвонит", "хочу, чтобы мне перезвонили",
    "pust' kto-nibud' pozvonit", "could you have someone call me",
    "Labdien. Jau otro nedēļu mēģinu iesniegt iesniegumu portālā, bet lapa visu laiku rāda kļūdu, un meita, kas parasti palīdz, ir aizbraukusi uz ārzemēm strādāt. Esmu noguris un vairs nezinu, ko darīt. Lūdzu, piezvaniet man.",
  ])("recognises the polite, indirect or long request %s", (text) => {
    expect(asksForCallback(text) || asksForCallback(assistant.query(text, assistant.detection(text)).text)).toBe(true);
  });
  it.each([
    "ārste teica, ka jāpiezvana uz reģistratūru, bet kā pierakstīties e-veselībā?", "ģimenes ārste teica: zvaniet uz aptieku",
    "мне сказали позвонить в банк, а как подключить e-rēķins?", "the doctor said to call the social service, how do I apply?",
    "neredzu rēķinu internetbankā", "не вижу свою прививку в e-veselība", "I can't see my invoice",
  ])("does not take reported speech or a missing document for a request: %s", (text) => {
    expect(asksForCallback(text)).toBe(false);
    expect(first(text).intent).not.toBe("escalate");
  });
  it("takes the parish social worker and someone to teach as topics, not as a request for staff", () => {
    expect(asksForPerson("kā sazināties ar sociālo darbinieku Līvbērzē?")).toBe(false);
    expect(asksForPerson("my dad needs someone to teach him video calls, where?")).toBe(false);
    expect(asksForPerson("можно консультанта?")).toBe(true);
  });
  it("starts the scam check for a scam story typed in Latin letters, even when it names Smart-ID", () => {
    const turn = first("zvonili iz banka, prosili nazvat' kod smart-id, ja nazvala, chto teper' delat'");
    expect(turn.flowId).toBe("scam-check");
    expect(turn.stepId).toBe("urgent-bank");
  });
  it("does not take what someone said about letters and Smart-ID for a scam", () => {
    const turn = first("В управе мне сказали, что письма будут приходить на e-adrese. У меня есть Smart-ID. Как получать уведомления на почту?");
    expect(turn.flowId).not.toBe("scam-check");
    expect(turn.guideId).toBe("e-address");
  });
  it("escalates with the phone answer preselected, so after the parish the number is asked", () => {
    const turn = first("piezvaniet man, lūdzu, nemāku rakstīt");
    expect(turn.intent).toBe("escalate");
    expect(turn.state.intake).toMatchObject({ step: "confirm", contact: "phone" });
    const yes = conversation.handle(turn.state, { kind: "button", id: buttonIds.intakeConfirm(true) }, { lang: turn.lang });
    const parish = conversation.handle(yes.state, { kind: "button", id: buttonIds.parish(undefined) }, { lang: turn.lang });
    expect(parish.state.intake?.step).toBe("phone");
    expect(parish.replies.at(-1)?.requestContact).toBeDefined();
  });
  it("gives a scam victim who already gave a code or lost money the 'act now' steps first", () => {
    for (const text of ["zvanīja kāds no bankas un prasīja Smart-ID kodu, es iedevu. ko tagad darīt?", "мне позвонили из банка, я продиктовала код из смс", "someone called from the bank, I gave them my card number and they took my money"]) {
      const turn = first(text);
      expect(turn.flowId).toBe("scam-check");
      expect(turn.stepId).toBe("urgent-bank");
      expect(scamVictim(text)).toBe(true);
    }
    // Asked but not given: the warning first.
    expect(first("man zvanīja no bankas un prasīja PIN kodu").stepId).not.toBe("urgent-bank");
    expect(scamVictim("man zvanīja no bankas un prasīja PIN kodu")).toBe(false);
  });
  it("answers a past-tense scam report with the scam check, not an escalation", () => {
    expect(first("man zvanīja no bankas un prasīja PIN kodu").flowId).toBe("scam-check");
  });
});

describe("stories", () => {
  it("marks the asking sentences as the request and the rest as story", () => {
    const parts = storyParts("Labdien! Esmu pensionāre no Kalnciema, visus rēķinus saņēmu pastkastītē. Pastniece nāk reti, un divreiz bija jāmaksā nokavējuma nauda. Kā rēķinus saņemt internetbankā?");
    expect(parts.filter((p) => p.focus).map((p) => p.text)).toEqual(["Kā rēķinus saņemt internetbankā?"]);
    expect(parts.filter((p) => !p.focus)).toHaveLength(3);
  });
  it("takes a short message whole and the last sentence when nothing asks", () => {
    expect(storyParts("e-rēķins. apkure").every((p) => p.focus)).toBe(true);
    const parts = storyParts("Man ir 81 gads un internetu nelietoju. Meita dzīvo Rīgā un palīdzēt nevar. Man vajag nokārtot zemes nodokli par šo gadu");
    expect(parts.at(-1)?.focus).toBe(true);
    expect(parts[0]?.focus).toBe(false);
  });
  it("finds the request of a story that names other topics in passing", () => {
    const out = assistant.ask("Mans dēls strādā Vācijā un deklarēja dzīvesvietu tur, bet man pašai ir māja Sesavā, un par to nāk nodoklis. Kur redzēt, cik man jāmaksā par māju?");
    expect(out.guides[0]?.id).toBe("property-tax");
  });
});

describe("robust to how residents type", () => {
  const clean = "kā saņemt e-rēķinu par ūdeni";
  const best = assistant.ask(clean).guides[0]?.id;
  it.each([
    "KĀ SAŅEMT E-RĒĶINU PAR ŪDENI", "kaaaa sanemt e-rekinu par udeni!!!", "🙂 kā saņemt e-rēķinu par ūdeni? 💧",
    "Labdien! Kā saņemt e-rēķinu par ūdeni?", "kā saņemt e-rēķinu par ūdeni 2025", "ka sanemt e-rekinu par udeni",
  ])("%s finds the same guide", (text) => {
    expect(best).toBe("e-invoices");
    expect(assistant.ask(text).guides[0]?.id).toBe(best);
  });
  it("writes a word of look-alike letters of both scripts in the script of most of them", () => {
    expect(tidy("сч\u0065т")).toBe("счет"); // a Latin e inside a Cyrillic word
    expect(tidy("e-\u0430drese")).toBe("e-adrese"); // a Cyrillic а inside a Latin word
    expect(tidy("paaaldies")).toBe("paldies");
  });
  it("answers Latin-typed Russian in Cyrillic Russian", () => {
    const out = assistant.ask("kak oplatit nalog za dom i zemlju");
    expect(out.lang).toBe("ru");
    expect(out.guides[0]?.id).toBe("property-tax");
    expect(out.replies[0]?.text).toMatch(/\p{Script=Cyrillic}/u);
  });
});

describe("clarification: 'Vai Jūs jautājat par:'", () => {
  // Bands that send every matching question to a clarification, to test its shape.
  const unsure = new Assistant({ knowledge, calibration: { ...assistant.calibration, answer: 1.01, clarify: 0 } });
  const chat = new Conversation({ assistant: unsure, flows });
  it("offers two or three guides, 'Cits jautājums' and a person as buttons", () => {
    const turn = chat.handle(NEW_SESSION, { kind: "text", text: "nodoklis par māju un rēķini" }, { lang: "lv" });
    expect(turn.intent).toBe("clarify");
    expect(turn.replies).toHaveLength(1);
    const [reply] = turn.replies;
    expect(reply?.text).toBe("Vai Jūs jautājat par:");
    const ids = reply?.buttons.map((b) => b.id) ?? [];
    const guides = ids.filter((id) => /^clarify:(?!other|person)/.test(id));
    expect(guides.length).toBeGreaterThanOrEqual(2);
    expect(guides.length).toBeLessThanOrEqual(3);
    expect(reply?.buttons.slice(-2).map((b) => b.label)).toEqual(["Cits jautājums", "🙋 Runāt ar cilvēku"]);
    expect(turn.events).toContainEqual({ kind: "clarify-offered", guide: turn.outcome?.suggestions?.[0] });
  });
  it("answers the chosen guide with one tap and records the choice", () => {
    const turn = chat.handle(NEW_SESSION, { kind: "text", text: "nodoklis par māju un rēķini" }, { lang: "lv" });
    const choice = must(turn.outcome?.suggestions?.[1], "the second suggestion");
    const next = chat.handle(turn.state, { kind: "button", id: buttonIds.clarify(choice) }, { lang: "lv" });
    expect(next.intent).toBe("guide");
    expect(next.guideId).toBe(choice);
    expect(next.replies[0]?.text).toMatch(/^📘 /);
    expect(next.events).toContainEqual({ kind: "clarify-chosen", guide: choice });
  });
  it("'Cits jautājums' asks for other words and 'Runāt ar cilvēku' starts the hand-over, both recorded", () => {
    const turn = chat.handle(NEW_SESSION, { kind: "text", text: "nodoklis par māju un rēķini" }, { lang: "ru" });
    const other = chat.handle(turn.state, { kind: "button", id: buttonIds.clarifyOther }, { lang: turn.lang });
    expect(other.replies[0]?.text).toBe(CLARIFY_TEXT[turn.lang].rephrase);
    expect(other.events).toContainEqual({ kind: "clarify-other" });
    const person = chat.handle(turn.state, { kind: "button", id: buttonIds.clarifyPerson }, { lang: turn.lang });
    expect(person.intent).toBe("escalate");
    expect(person.events).toContainEqual({ kind: "clarify-person" });
  });
  it("still says 'I don't know' for what matches nothing", () => {
    expect(assistant.ask("qwrtz plmkd").intent).toBe("fallback");
  });
});

const corpus = ["../shared/eval/dev.jsonl", "../shared/eval/dev2.jsonl", "tests/fixtures/questions-own.jsonl", "tests/fixtures/questions-blind-a.jsonl"]
  .flatMap((f) => {
    try {
      return parseEvalFile(readFileSync(path.join(ROOT, f), "utf8"), f);
    } catch {
      return [];
    }
  })
  .map((c) => c.q);

describe("ask --json and eval report the conversation's first turn", () => {
  it("agree with what the resident gets, for questions of the corpus", () => {
    expect(corpus.length).toBeGreaterThan(300);
    fc.assert(fc.property(fc.constantFrom(...corpus), (q) => {
      const turn = first(q);
      const json = firstTurn(conversation, q);
      expect(json.intent).toBe(turn.intent);
      expect(json.lang).toBe(turn.lang);
      expect(json.reply).toBe(turn.replies.map((r) => r.text).join("\n\n"));
      if (turn.intent === "flow") {
        expect(json.flow).toBe(turn.flowId);
        const covered = flowGuide(must(conversation.flows.get(must(turn.flowId, "the started flow")), "the started flow's definition"));
        if (covered) expect(json.guides[0]?.id).toBe(covered);
      }
      if (turn.intent === "clarify") {
        const offered = turn.replies.flatMap((r) => r.buttons.map((b) => b.id)).filter((id) => /^clarify:(?!other|person)/.test(id)).map((id) => id.slice(8));
        expect(json.suggestions).toEqual(offered);
      }
      if (turn.intent === "guide" && turn.outcome) expect(json.guides[0]?.id).toBe(turn.guideId);
    }), { numRuns: 150 });
  });
  it("starts the scam check for a scam story that names Smart-ID, with online-safety first", () => {
    const json = firstTurn(conversation, "zvanīja kāds no bankas un prasīja Smart-ID kodu, es iedevu. ko tagad darīt?");
    expect(json).toMatchObject({ intent: "flow", flow: "scam-check" });
    expect(json.guides[0]?.id).toBe("online-safety");
  });
});

describe("how residents split and type service names", () => {
  it("reads a lone 'e' before a word as the e- of a service", () => {
    for (const [text, id] of [["e rēķins", "e-invoices"], ["kā aktivizēt e adresi", "e-address"]] as const) {
      const out = assistant.ask(text);
      expect(out.guides[0]?.id).toBe(id);
      expect(out.intent).toBe("guide");
    }
  });
});

describe("choosing the section of a guide", () => {
  it("chooses among the sections of the guide asked, whatever other guides contain", () => {
    const out = assistant.ask("kā pieteikt e-rēķinu internetbankā");
    expect(out.answered?.id).toBe("e-invoices");
    expect(assistant.index.bestSection("internetbanka", "lv", "no-such-guide")).toBeUndefined();
    const best = assistant.index.bestSection("internetbanka e-rēķins", "lv", "e-invoices");
    expect(best?.score).toBeGreaterThan(0);
    expect(assistant.guide("e-invoices", "lv")?.sections.some((s) => s.anchor === best?.anchor)).toBe(true);
  });
});
