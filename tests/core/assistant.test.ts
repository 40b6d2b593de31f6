import { describe, expect, it } from "vitest";
import { buttonIds as BUTTON } from "../../src/core/button-ids.js";
import { MAX_REPLY_LENGTH } from "../../src/core/types.js";
import { Assistant } from "../../src/core/assistant.js";
import { shippedAssistant, shippedKnowledge } from "../helpers.js";
import { must } from "../support/must.js";

const assistant = await shippedAssistant();

describe("Assistant.ask: retrieval on fixed questions", () => {
  it.each([
    ["ka sanemt e-rekinu", "e-invoices", "lv"],
    ["Kā saņemt rēķinus e-pastā?", "e-invoices", "lv"],
    ["erēķins", "e-invoices", "lv"],
    ["e rēķins", "e-invoices", "lv"],
    ["kur nodot udens skaititaja radijumus", "meter-readings", "lv"],
    ["nekustamā īpašuma nodokļa maksāšana", "property-tax", "lv"],
    ["Как задекларировать место жительства?", "residence-declaration", "ru"],
    ["мошенники звонят от имени банка", "online-safety", "ru"],
    ["How do I get Smart-ID?", "e-identity", "en"],
    ["e-veselība receptes", "e-health", "lv"],
  ])("answers %s from the guide %s in %s", (question, id, lang) => {
    const out = assistant.ask(question);
    expect(out.intent).toBe("guide");
    expect(out.lang).toBe(lang);
    expect(out.guides[0]?.id).toBe(id);
  });

  it("answers with the title, one section, the source and its checked date", () => {
    const out = assistant.ask("Kā pieteikties e-rēķiniem internetbankā?");
    const [reply] = out.replies;
    expect(reply?.text).toMatch(/^📘 /);
    expect(reply?.text).toMatch(/Avots: https:\/\/\S+ \(pārbaudīts \d\d\.\d\d\.\d{4}\.\)$/);
    expect(reply?.buttons.map((b) => b.id)).toEqual(expect.arrayContaining([BUTTON.person]));
    expect(reply?.buttons.some((b) => b.id === BUTTON.guide("e-invoices") || b.id === BUTTON.section("e-invoices", "internet-bank"))).toBe(true);
    expect(out.answered?.anchor).toBe("internet-bank");
  });

  it("answers a typed question in short: the section's first lines, then \"More\" for the rest, at most three topic buttons", () => {
    const out = assistant.ask("Kā saņemt e-rēķinu par ūdeni e-pastā?");
    const [reply] = out.replies;
    const steps = (reply?.text ?? "").split("\n").filter((line) => /^\d+\. /.test(line));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThanOrEqual(5);
    const anchor = must(out.answered?.anchor, "the answered section");
    const section = assistant.guide("e-invoices", "lv")?.sections.find((s) => s.anchor === anchor);
    const pressed = assistant.press(BUTTON.section("e-invoices", anchor), { lang: "lv" }).replies[0]?.text ?? "";
    if (reply?.buttons[0]?.id === BUTTON.section("e-invoices", anchor)) {
      // Cut: "➕ Vairāk" shows the whole section, which is longer.
      expect(reply.buttons[0].label).toBe("➕ Vairāk");
      expect(reply.text).toContain("\n…\n");
      expect(pressed.length).toBeGreaterThan(reply.text.length);
    }
    expect(section).toBeDefined();
    expect(reply?.buttons.filter((b) => b.id !== BUTTON.person).length).toBeLessThanOrEqual(3);
  });

  it("cuts long button labels at a whole word", () => {
    for (const id of assistant.knowledge.ids) {
      for (const lang of ["lv", "ru", "en"] as const) {
        const label = assistant.label(id, lang);
        expect(label.length, `${id} ${lang}`).toBeLessThanOrEqual(40);
        const title = assistant.guide(id, lang)?.title ?? "";
        if (label.endsWith("…")) {
          const kept = label.slice(0, -1);
          // What is kept ends where a word of the title ends.
          expect(title.startsWith(kept), `${id} ${lang}`).toBe(true);
          expect(/[\p{L}\p{N}]/u.test(title.charAt(kept.length)) && /[\p{L}\p{N}]/u.test(kept.slice(-1)), `${id} ${lang}: ${label}`).toBe(false);
        }
      }
    }
  });

  it("sends people asking for a human to escalation in every language", () => {
    for (const q of ["gribu runāt ar cilvēku", "позовите оператора", "talk to a human"]) {
      expect(assistant.ask(q).intent).toBe("escalate");
    }
  });

  it("says honestly that it does not know, with the main topics and a person, instead of a random guide", () => {
    const out = assistant.ask("Kāds būs laiks rīt Jelgavā?");
    expect(out.intent).toBe("fallback");
    expect(out.replies[0]?.text).toContain("Atvainojiet, par šo es vēl nezinu.");
    expect(out.replies[0]?.buttons.some((b) => b.id === BUTTON.person)).toBe(true);
    expect(out.replies[0]?.buttons.some((b) => b.id === BUTTON.guide("e-invoices"))).toBe(true);
  });

  it("greets back and offers topics", () => {
    const out = assistant.ask("Labdien!");
    expect(out.intent).toBe("fallback");
    expect(out.replies[0]?.text).toMatch(/^Labdien!/);
  });
});

describe("Assistant.ask: bad input never throws", () => {
  it.each([
    ["empty", ""],
    ["spaces", "   \n\t "],
    ["emoji only", "👍🙂🎉"],
    ["HTML", "<script>alert(1)</script><b>rēķins</b>"],
    ["Markdown", "**[klikšķini](javascript:alert(1))** _e-adrese_"],
    ["10,000 characters", "rēķins ".repeat(1500).slice(0, 10_000)],
    ["control characters", "\u0000\u0007rēķins\u202e"],
  ])("answers %s politely", (_name, text) => {
    const out = assistant.ask(text);
    expect(out.replies.length).toBeGreaterThan(0);
    for (const r of out.replies) {
      expect(r.text.length).toBeGreaterThan(0);
      expect(r.text.length).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    }
  });

  it("tells the resident when a very long message was cut", () => {
    const out = assistant.ask(`Kā saņemt e-rēķinu? ${"x".repeat(10_000)}`);
    expect(out.replies[0]?.text).toContain("ļoti gara");
  });

  it("asks for words when there are none, in the resident's language", () => {
    expect(assistant.ask("👍", { lang: "ru" }).replies[0]?.text).toBe("Пожалуйста, напишите свой вопрос словами.");
  });
});

describe("Assistant.press", () => {
  it("shows a full guide in messages of at most 4,000 characters", async () => {
    const kb = await shippedKnowledge();
    for (const id of kb.ids) {
      const out = assistant.press(BUTTON.guide(id), { lang: "ru" });
      expect(out.intent).toBe("guide");
      for (const r of out.replies) expect(r.text.length).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    }
  });

  it("answers an unknown or stale button politely with the menu", () => {
    const out = assistant.press("guide:does-not-exist", { lang: "en" });
    expect(out.intent).toBe("fallback");
    expect(out.replies[0]?.text).toBe("This button no longer works. Please choose again.");
  });

  it("falls back to Latvian with a note when a guide lacks the resident's language", async () => {
    const kb = await shippedKnowledge();
    const guides = new Map(kb.guides);
    const ru = new Map(kb.guides.get("ru"));
    ru.delete("e-invoices");
    guides.set("ru", ru);
    const partial = new Assistant({ knowledge: { ...kb, guides } });
    const out = partial.ask("как получать e-rēķini от банка?");
    expect(out.lang).toBe("ru");
    expect(out.guides[0]?.id).toBe("e-invoices");
    expect(out.replies[0]?.text).toMatch(/^Этой инструкции пока нет на русском языке.*\n\n📘 E-rēķini/);
    const full = partial.press(BUTTON.guide("e-invoices"), { lang: "ru" });
    expect(full.replies[0]?.text).toContain("Этой инструкции пока нет на русском языке");
  });
});
