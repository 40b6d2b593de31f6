/**
 * The shipped flows walked end to end by the engine, over the shipped guides: content tests.
 * The engine's own behaviour is tested on flows written in the tests (tests/core/conversation-*);
 * these check that what editors wrote in flows/ leads where it should.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../src/core/assistant.js";
import { buttonIds } from "../../src/core/button-ids.js";
import { Conversation, NEW_SESSION, type SessionState, type TurnResult } from "../../src/core/conversation.js";
import { MESSAGES } from "../../src/core/messages.js";
import type { Input, Lang } from "../../src/core/types.js";
import type { Flow, Step } from "../../src/flows/flow.js";
import { loadFlows, type FlowSet } from "../../src/flows/load.js";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import { must } from "../support/must.js";
import { ROOT, shippedAssistant, shippedKnowledge } from "../helpers.js";
import { buttons, Chat, ids, kinds, texts } from "../core/support/chat.js";

let assistant: Assistant;
let flows: FlowSet;
let conversation: Conversation;

beforeAll(async () => {
  assistant = await shippedAssistant();
  flows = await loadFlows(path.join(ROOT, "flows"), await shippedKnowledge());
  expect(flows.diagnostics.map(formatDiagnostic)).toEqual([]);
  conversation = new Conversation({ assistant, flows });
});

const chat = (lang: Lang = "lv"): Chat => new Chat(conversation, lang);

/** The text of a step of a shipped flow, in a language. */
function say(flow: string, step: string, lang: Lang = "lv"): string {
  const s = flows.get(flow)?.steps.get(step);
  if (!s || !("say" in s) || !s.say) throw new Error(`no text for ${flow}/${step}`);
  return s.say[lang];
}

/** A chat that has started e-invoice-setup by its deep link and chose JNKU bills by e-mail. */
function atJnkuMail(c: Chat = chat()): Chat {
  c.command("start", "e-invoices");
  c.press("f:e-invoice-setup:which-invoice:0");
  c.press("f:e-invoice-setup:utility-way:0");
  expect(c.state.flow?.step).toBe("jnku-mail-prepare");
  return c;
}

describe("shipped flows: the main menu", () => {
  it("/start shows the main menu, whose every choice starts its flow or shows its guide", () => {
    const start = chat().command("start");
    expect(texts(start)).toEqual([MESSAGES.lv.greeting, say("main-menu", "menu")]);
    const menu = must(flows.get("main-menu")?.steps.get("menu"), "the main menu step");
    if (menu.type !== "message") throw new Error("the main menu is not a message step");
    expect(menu.choices.map((c) => c.target.kind === "flow" ? c.target.flow : c.target.kind === "guide" ? c.target.guide : c.target.kind)).toEqual([
      "e-invoice-setup", "online-application", "e-address", "e-identity", "residence-declaration", "property-tax", "meter-readings", "scam-check", "language",
    ]);
    menu.choices.forEach((choice, i) => {
      const r = conversation.handle(start.state, { kind: "button", id: `f:main-menu:menu:${i}` }, { lang: "lv" });
      if (choice.target.kind === "flow") expect(r.flowId, choice.label.lv).toBe(choice.target.flow);
      if (choice.target.kind === "guide") expect(r.guideId, choice.label.lv).toBe(choice.target.guide);
    });
  });
});

describe("shipped flows: e-invoice setup", () => {
  it("/start e-invoices starts the e-invoice setup at its first question", () => {
    const r = chat().command("start", "e-invoices");
    expect(r.flowId).toBe("e-invoice-setup");
    expect(r.stepId).toBe("which-invoice");
    expect(texts(r)).toEqual([MESSAGES.lv.greeting, say("e-invoice-setup", "which-invoice")]);
  });

  it("reaches the JNKU e-mail steps by its deep link and buttons and walks them to the end", () => {
    const c = atJnkuMail();
    for (const step of ["jnku-mail-prepare", "jnku-mail-open", "jnku-mail-client", "jnku-mail-name", "jnku-mail-email", "jnku-mail-send"]) {
      expect(c.state.flow?.step).toBe(step);
      c.pressLabel(MESSAGES.lv.done);
    }
    expect(c.last.stepId).toBe("jnku-mail-done");
    expect(kinds(c.last)).toEqual(["e-invoice-done", "flow-completed"]);
  });

  it("a utility bill not found in the bank offers JNKU by e-mail", () => {
    const c = chat();
    c.command("start", "e-invoices");
    for (const typed of ["1", "2", "gatavs", "gatavs"]) c.text(typed);
    expect(c.state.flow?.step).toBe("bank-choose");
    expect(c.pressLabel(MESSAGES.lv.failed).state.flow?.step).toBe("bank-not-found-jnku");
  });

  it("a JNKU step that fails shows the e-invoice trouble section, and a person then sees that step", () => {
    const c = atJnkuMail();
    c.text("gatavs");
    const r = c.pressLabel(MESSAGES.lv.failed);
    expect(r.guideId).toBe("e-invoices");
    expect(r.state.flow?.step).toBe("retry");
    expect(c.pressLabel(/Mēģināt vēlreiz/).state.flow?.step).toBe("jnku-mail-open");
    c.pressLabel(MESSAGES.lv.failed);
    const person = c.pressLabel("🙋 Runāt ar cilvēku");
    expect(person.state.intake?.context).toMatchObject({ flow: "e-invoice-setup", step: "jnku-mail-open", reason: "flowStep", note: expect.stringMatching(/JNKU/) as unknown });
  });

  it("the e-invoices guide answer offers the setup step by step and asks the shipped feedback question", () => {
    const r = chat().text("Kā saņemt rēķinus e-pastā?");
    expect(r.guideId).toBe("e-invoices");
    expect(ids(r)).toEqual(expect.arrayContaining(["f:feedback:did-it-help:0", "f:feedback:did-it-help:1", "flow:e-invoice-setup"]));
    expect(texts(r)[0]?.endsWith(say("feedback", "did-it-help"))).toBe(true);
  });
});

describe("shipped flows: feedback, scam check and language", () => {
  it("👍 and 👎 under an answer record feedback; 👎 offers other words or a person", () => {
    const up = chat();
    up.text("Kā saņemt rēķinus e-pastā?");
    expect(kinds(up.pressLabel("👍 Jā"))).toEqual(["feedback-up", "flow-completed"]);
    const down = chat();
    down.text("Kā saņemt rēķinus e-pastā?");
    const r = down.pressLabel("👎 Nē");
    expect(kinds(r)).toEqual(["feedback-down"]);
    expect(buttons(r).map((b) => b.label)).toEqual(expect.arrayContaining(["✍️ Jautāt citiem vārdiem", "🙋 Runāt ar cilvēku"]));
  });

  it("a scam report gets the warning and the question whether anything was given away; \"No\" ends safely", () => {
    const c = chat();
    const r = c.text("Man zvanīja no bankas un prasīja PIN kodu");
    expect(r.flowId).toBe("scam-check");
    expect(texts(r)[0]).toBe(say("scam-check", "warning"));
    expect(r.state.flow?.step).toBe("gave-away");
    c.pressLabel(/Nē, neko/);
    expect(kinds(c.pressLabel(/Viss skaidrs/))).toEqual(["scam-safe", "flow-completed"]);
  });

  it("a scam victim who already gave a code away gets the urgent bank step first", () => {
    expect(chat().text("zvanīja kāds no bankas un prasīja Smart-ID kodu, es iedevu. ko tagad darīt?").stepId).toBe("urgent-bank");
  });

  it("/language offers the three languages, and Русский shows the main menu in Russian", () => {
    const c = chat();
    expect(buttons(c.command("language")).map((b) => b.label)).toEqual(["Latviešu", "Русский", "English"]);
    expect(texts(c.text("Русский"))).toEqual([MESSAGES.ru.languageSaved, say("main-menu", "menu", "ru")]);
  });
});

/** True for the steps a resident sees and answers, or where a flow ends or hands over. */
const visible = (step: Step): boolean =>
  step.type === "instruction" || step.type === "question" || step.type === "end" || step.type === "escalate" || (step.type === "message" && (step.choices.length > 0 || !step.next));

/** The steps of a flow that only a branch's `default:` leads to: safety nets the buttons may never need. */
function onlyDefaults(flow: Flow): Set<string> {
  const targets = new Map<string, "default" | "other">([[flow.start, "other"]]);
  const mark = (id: string | undefined, how: "default" | "other"): void => {
    if (id !== undefined && targets.get(id) !== "other") targets.set(id, how);
  };
  for (const s of flow.steps.values()) {
    if (s.type === "branch") {
      for (const id of Object.values(s.cases)) mark(id, "other");
      mark(s.default, "default");
    } else if (s.type === "message") {
      mark(s.next, "other");
      for (const c of s.choices) if (c.target.kind === "next") mark(c.target.step, "other");
    } else if (s.type === "instruction") {
      mark(s.done, "other");
      mark(s.failed, "other");
    } else if (s.type === "question" || s.type === "guide") mark(s.next, "other");
  }
  return new Set([...targets].filter(([, how]) => how === "default").map(([id]) => id));
}

describe("shipped flows: every step is reachable", () => {
  it("every step a resident sees, and every end and hand-over, is reached by pressing the flow's buttons from its start", () => {
    for (const flow of flows.all) {
      const reached = new Set<string>();
      const seen = new Set<string>();
      const see = (r: TurnResult): void => {
        if (r.state.flow?.flow === flow.id) reached.add(r.state.flow.step);
        for (const e of r.events) if (e.kind === "flow-completed" && e.flow === flow.id && e.step) reached.add(e.step);
        const note = r.state.intake?.context.note;
        for (const s of flow.steps.values()) if (s.type === "escalate" && r.state.intake?.context.flow === flow.id && note === s.reason) reached.add(s.id);
      };
      const queue: { state: SessionState; result: TurnResult }[] = [];
      const send = (state: SessionState, input: Input): void => {
        const result = conversation.handle(state, input, { lang: "lv" });
        see(result);
        const pos = result.state.flow;
        if (pos?.flow !== flow.id) return;
        const key = JSON.stringify([pos.step, pos.vars]);
        if (seen.has(key)) return;
        seen.add(key);
        queue.push({ state: result.state, result });
      };
      send(NEW_SESSION, { kind: "button", id: buttonIds.startFlow(flow.id) });
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { state, result } = next;
        const step = flow.steps.get(state.flow?.step ?? "");
        if (step?.type === "question") send(state, { kind: "text", text: "Mana atbilde" });
        for (const id of ids(result)) {
          if (id.startsWith(`f:${flow.id}:`) && !id.endsWith(":repeat") && !id.endsWith(":back")) send(state, { kind: "button", id });
        }
      }
      const nets = onlyDefaults(flow);
      const expected = [...flow.steps.values()].filter((s) => visible(s) && !nets.has(s.id)).map((s) => s.id).sort();
      expect([...reached].filter((id) => expected.includes(id)).sort(), flow.id).toEqual(expected);
    }
  });
});
