import { describe, expect, it } from "vitest";
import { Assistant } from "../../src/core/assistant.js";
import { outOfScope } from "../../src/nlp/scope.js";
import { shippedKnowledge } from "../helpers.js";

const assistant = new Assistant({ knowledge: await shippedKnowledge() });

describe("questions outside the guides that share a word with one", () => {
  it.each([
    ["kāds laiks gaidāms nedēļas nogalē? laikapstākļi Jelgavā", "weather"], ["какая погода в Ozolnieki", "weather"],
    ["kurss eiro pret dolāru", "currency"], ["курс доллара сегодня", "currency"],
    ["vai Rimi strādā svētdienās", "shops"], ["когда работает магазин в Елгаве", "shops"],
    ["Swedbank filiāles darba laiks", "bank"], ["комиссия банка за перевод", "bank"], ["SEB branch opening hours", "bank"],
    ["recepte ābolu kūkai", "cooking"], ["рецепт пирога с капустой", "cooking"],
    ["kur nomainīt riepas", "car"], ["where to change car tyres", "car"],
    ["pase drīz beigsies, kur taisīt jaunu", "documents"], ["как продлить паспорт", "documents"], ["kur nomainīt autovadītāja apliecību", "documents"],
  ])("recognises %s as out of scope (%s)", (text, topic) => {
    expect(outOfScope(text)).toBe(topic);
  });
  it.each([
    "VPVKAC darba laiks", "kāds ir pieņemšanas laiks pagastā", "cik ilgs laiks jāgaida lēmums", "e-recepte kur redzēt",
    "kā saņemt e-rēķinu no bankas", "vai NĪN var samaksāt Maximā", "как безопасно покупать в интернет-магазине",
    "strādāju veikalā, vai varu pieteikties kursiem", "kā pieteikt jaunu eID karti", "jāņem līdzi pase un eID karte", "Swedbank internetbanka neielaiž latvija.lv", "курсы латышского языка",
  ])("keeps %s in scope", (text) => {
    expect(outOfScope(text)).toBeUndefined();
  });
  it("answers an out-of-scope question with the honest fallback, also when typed in Latin letters", () => {
    for (const text of ["kad strādā Maxima Ozolniekos svētdien", "kakoj segodnja kurs evro", "bankas komisijas maksa par kontu"]) {
      const out = assistant.ask(text);
      expect(out.intent).toBe("fallback");
      expect(out.offTopic).toBeDefined();
    }
  });
});
