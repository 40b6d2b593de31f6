import { describe, expect, it } from "vitest";
import { fold, surfaceTerms, tokenize } from "../../src/nlp/normalize.js";
import { analyze } from "../../src/nlp/stem.js";
import { stemLatvian } from "../../src/nlp/latvian-stemmer.js";

describe("fold", () => {
  it("removes Latvian diacritics and lower-cases", () => {
    expect(fold("Kā SAŅEMT e-Rēķinu, ŪDENS, dzīvokļa?")).toBe("ka sanemt e-rekinu, udens, dzivokla?");
  });
  it("applies NFKC so compatibility forms match", () => {
    expect(fold("ﬁle ＡＢＣ")).toBe("file abc");
  });
  it("keeps Cyrillic й but folds ё to е", () => {
    expect(fold("Счёт Мой")).toBe("счет мой");
  });
  it("folds decomposed input the same as composed", () => {
    expect(fold("re\u0304k\u0327ins")).toBe(fold("rēķins"));
  });
});

describe("tokenize", () => {
  it("joins hyphen, space and no-space variants of e-words to one token", () => {
    const joined = (s: string) => tokenize(s).map((t) => t.joined);
    expect(joined("e-rēķins")).toEqual(["erekins"]);
    expect(joined("erēķins")).toEqual(["erekins"]);
    expect(joined("e rēķins")).toEqual(["erekins"]);
    expect(joined("э-счёт")).toEqual(["эсчет"]);
  });
  it("keeps the parts of compounds and dotted names", () => {
    expect(surfaceTerms("Smart-ID latvija.lv")).toEqual(["smartid", "smart", "id", "latvijalv", "latvija", "lv"]);
  });
  it("returns nothing for emoji and punctuation only", () => {
    expect(tokenize("👍🙂 ?!")).toEqual([]);
  });
});

describe("stemLatvian", () => {
  it.each([
    ["rekins", "rekin"], ["rekinu", "rekin"], ["rekini", "rekin"], ["rekinus", "rekin"], ["rekiniem", "rekin"],
    ["pieteikties", "pieteik"], ["pieteiksanas", "pieteik"],
    ["dzivoklis", "dzivokl"], ["dzivokla", "dzivokl"],
    ["skaititajs", "skaititaj"], ["skaititaja", "skaititaj"],
    ["publiskais", "publisk"], ["publiski", "publisk"],
  ])("reduces %s to %s", (word, stem) => {
    expect(stemLatvian(word)).toBe(stem);
  });
  it("leaves short words and numbers alone", () => {
    expect(stemLatvian("nin")).toBe("nin");
    expect(stemLatvian("2026")).toBe("2026");
  });
});

describe("analyze", () => {
  it("gives the same terms with and without diacritics", () => {
    expect(analyze("Kā saņemt e-rēķinu?", "lv")).toEqual(analyze("ka sanemt e-rekinu", "lv"));
  });
  it("drops function words in each language", () => {
    expect(analyze("Kā un kur es varu", "lv")).toEqual([]);
    expect(analyze("как и где я могу", "ru")).toEqual([]);
    expect(analyze("how and where can I", "en")).toEqual([]);
  });
  it("stems Russian and English with Snowball", () => {
    expect(analyze("счета счетов", "ru")).toEqual(["счет", "счет"]);
    expect(analyze("invoices invoice", "en")).toEqual(["invoic", "invoic"]);
  });
});
