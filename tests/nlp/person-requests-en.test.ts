/**
 * English requests for a person: the usual phrasings, typos and short forms escalate like the
 * Latvian and Russian ones; English how-to questions that name a person do not.
 */
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Assistant } from "../../src/core/assistant.js";
import { Conversation, NEW_SESSION } from "../../src/core/conversation.js";
import { loadFlows } from "../../src/flows/load.js";
import { asksForCallback, asksForPerson, correctEnglish, ENGLISH_LOOKALIKES } from "../../src/nlp/intents.js";
import { ROOT, shippedKnowledge } from "../helpers.js";
import { must } from "../support/must.js";

const knowledge = await shippedKnowledge();
const assistant = new Assistant({ knowledge });
const flows = await loadFlows(path.join(ROOT, "flows"), knowledge);
const conversation = new Conversation({ assistant, flows });
const first = (text: string) => conversation.handle(NEW_SESSION, { kind: "text", text }, { lang: "en" });

describe("English requests for a person", () => {
  it.each([
    "I want to talk to a person", "can I speak to a human", "operator please", "Could you put me through to someone?",
    "is there a real human here?", "I'd like to speak with somebody at the municipality", "connect me with an agent",
    "not a bot, a real person please", "I need a person to help me", "help from a real person, please",
    "I'd appreciate it if a person could look at my case", "human pls", "get me a human",
  ])("escalates %s", (text) => {
    expect(asksForPerson(text)).toBe(true);
    const turn = first(text);
    expect(turn.intent).toBe("escalate");
    expect(turn.lang).toBe("en");
  });

  it.each([
    "I want to tlak to a persn", "can i speek to a humna", "operater please", "conect me with an opertor", "i wnat a humna", "speek with a persn plz",
  ])("escalates the typed-in-a-hurry %s", (text) => {
    expect(asksForPerson(text)).toBe(true);
    expect(first(text).intent).toBe("escalate");
  });

  it.each(["call me", "please call me back", "can you cal me back", "could someone phone me"])("takes %s as a call-back request", (text) => {
    expect(asksForCallback(text)).toBe(true);
    const turn = first(text);
    expect(turn.intent).toBe("escalate");
    expect(turn.state.intake).toMatchObject({ contact: "phone" });
  });

  it.each([
    "how do I pay a person's property tax", "how do people get an e-address", "I need to pay property tax for another person",
    "how do I declare a place of residence for another person", "is a human needed to confirm Smart-ID", "what documents does a person need for the residence declaration",
    "my neighbour is an old person who needs help with e-invoices", "can someone walk me through the steps", "I lost all my savings",
    "how many people live in Jelgava", "Can I get a person's e-address?", "where can I get help in person",
  ])("does not take the how-to question or story %s for a request", (text) => {
    expect(asksForPerson(text)).toBe(false);
    expect(asksForCallback(text)).toBe(false);
    expect(first(text).intent).not.toBe("escalate");
  });

  it("corrects typos of the request words only, never common look-alikes or other languages' words", () => {
    expect(correctEnglish("tlak to a persn plz")).toBe("talk to a person plz");
    expect(correctEnglish("walk me through, tell all")).toBe("walk me through, tell all");
    expect(correctEnglish("maznodrosinatas personas statuss")).toBe("maznodrosinatas personas statuss");
  });

  it("corrects every word exactly as the plain distance table says (property)", () => {
    // The reference: the whole optimal-string-alignment table, no early exit, no reused rows.
    const distance = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
          must(d[i], "a row of the table")[j] = v;
        }
      }
      return at(a.length, b.length);
    };
    const keywords = ["person", "human", "someone", "somebody", "operator", "agent", "staff", "employee", "representative", "consultant", "people", "speak", "talk", "connect", "transfer", "please", "call", "phone", "real", "live", "actual", "want"];
    // Words near the keywords: a keyword with up to three random edits, or random letters.
    const edited = fc.tuple(fc.constantFrom(...keywords), fc.array(fc.tuple(fc.nat(20), fc.constantFrom(...Array.from("abcdeilmnoprstuy")), fc.constantFrom("swap", "drop", "add", "change")), { maxLength: 3 }))
      .map(([word, edits]) => edits.reduce((w, [at, letter, kind]) => {
        const i = w.length === 0 ? 0 : at % w.length;
        if (kind === "drop") return w.slice(0, i) + w.slice(i + 1);
        if (kind === "add") return w.slice(0, i) + letter + w.slice(i);
        if (kind === "change") return w.slice(0, i) + letter + w.slice(i + 1);
        return i + 1 < w.length ? w.slice(0, i) + (w[i + 1] ?? "") + (w[i] ?? "") + w.slice(i + 2) : w;
      }, word));
    const word = fc.oneof(edited, fc.stringMatching(/^[a-z]{1,20}$/));
    fc.assert(fc.property(word, (w) => {
      // The keyword nearest to the word within its allowance (the first of equals); the word itself
      // when it is short, a keyword, a common look-alike, or near none.
      const kept = w.length < 3 || keywords.includes(w) || ENGLISH_LOOKALIKES.has(w);
      const candidates = keywords.filter((k) => !(k.length < 4 && w.length < 4)).map((k) => ({ k, d: distance(w, k), max: k.length >= 8 ? 2 : 1 })).filter((c) => c.d <= c.max);
      const nearest = Math.min(...candidates.map((c) => c.d));
      expect(correctEnglish(w)).toBe(kept ? w : candidates.find((c) => c.d === nearest)?.k ?? w);
    }), { numRuns: 2000 });
    // And a word within a keyword's allowance is corrected unless it is a word in its own right.
    expect(correctEnglish("representatve")).toBe("representative");
    expect(correctEnglish("reprsentatve")).toBe("representative");
    expect(correctEnglish("oprator")).toBe("operator");
    expect(correctEnglish("hmuan")).toBe("human");
  });

  it("keeps the Latvian and Russian requests escalating", () => {
    expect(first("gribu runāt ar cilvēku").intent).toBe("escalate");
    expect(first("хочу поговорить с человеком").intent).toBe("escalate");
    expect(asksForPerson("maznodrošinātās personas statuss")).toBe(false);
    // "spēka" is one swap from "speak": corrections apply to English phrasings only.
    expect(asksForPerson("man nav spēka, esmu vecs cilvēks")).toBe(false);
  });
});
