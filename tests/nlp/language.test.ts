import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/nlp/language.js";
import { asksForPerson, mentionsScam, smallTalk } from "../../src/nlp/intents.js";
import { buildVocabulary } from "../../src/knowledge/knowledge.js";
import { shippedKnowledge } from "../helpers.js";

describe("detectLanguage", async () => {
  const vocab = buildVocabulary(await shippedKnowledge());
  it.each([
    ["Kā saņemt e-rēķinu?", "lv"],
    ["ka sanemt e-rekinu", "lv"],
    ["udens skaititajs", "lv"],
    ["iesniegums pasvaldibai tiessaiste", "lv"],
    ["Как подключить э-счёт?", "ru"],
    ["Как активировать e-adrese?", "ru"],
    ["How do I activate my e-address?", "en"],
    ["kindergarten waiting list", "en"],
    ["digital wednesday", "en"],
  ])("detects %s as %s", (text, lang) => {
    expect(detectLanguage(text, vocab).lang).toBe(lang);
  });
  it("falls back to the given language when there is no evidence", () => {
    expect(detectLanguage("123 ???", vocab, "ru").lang).toBe("ru");
    expect(detectLanguage("", vocab, "en").lang).toBe("en");
  });
  it("keeps the resident's language for nonsense and typos with no known word", () => {
    expect(detectLanguage("asdf qwer zxcv", vocab, "lv").lang).toBe("lv");
    expect(detectLanguage("wxyq", vocab, "ru").lang).toBe("ru");
  });
});

describe("asksForPerson", () => {
  it.each([
    "gribu runāt ar cilvēku", "operators", "Palīdziet, gribu konsultantu", "sazināties ar darbinieku",
    "позовите оператора", "Соедините с оператором", "живой человек", "talk to a human", "Can I speak to someone?",
  ])("recognises %s", (text) => {
    expect(asksForPerson(text)).toBe(true);
  });
  it.each([
    "Kā sazināties ar pašvaldību?", "maznodrošinātās personas statuss", "Where can I get help in person?",
    "someone called me and asked for my PIN", "Kā mainīt personas kodu?", "client service centre address",
  ])("does not mistake %s for a request for a person", (text) => {
    expect(asksForPerson(text)).toBe(false);
  });
});

describe("smallTalk", () => {
  it("recognises greetings and thanks in each language", () => {
    expect(smallTalk("Labdien!")).toBe("greeting");
    expect(smallTalk("здравствуйте")).toBe("greeting");
    expect(smallTalk("paldies")).toBe("thanks");
    expect(smallTalk("thank you very much")).toBe(undefined);
    expect(smallTalk("thank you")).toBe("thanks");
  });
  it("does not treat questions as small talk", () => {
    expect(smallTalk("labdien, kā saņemt e-rēķinu?")).toBe(undefined);
  });
});

describe("mentionsScam", () => {
  it.each([
    "Man zvanīja no bankas un prasīja PIN kodu",
    "saņēmu īsziņu ar saiti uz latvija.lv",
    "Мне позвонили из банка и попросили код из смс",
    "someone called and asked for my card number",
    "I got a text message asking for my card details",
    "I got an SMS with a link to pay a parcel fee",
  ])("recognises a report of a call or message: %s", (text) => {
    expect(mentionsScam(text)).toBe(true);
  });
  it.each([
    "eParaksts prasa SMS kodu, bet tas nenāk",
    "kur ievadīt sms kodu",
    "kā nomainīt PIN kodu",
    "куда ввести код из смс",
    "Smart-ID kods neatnāk SMS",
    "ka sanemt e-rekinu",
  ])("does not mistake a how-to question for a scam report: %s", (text) => {
    expect(mentionsScam(text)).toBe(false);
  });
});
