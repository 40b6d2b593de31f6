import { describe, expect, it } from "vitest";
import { buttonIds } from "../../src/core/button-ids.js";
import { Conversation } from "../../src/core/conversation.js";
import { MESSAGES } from "../../src/core/messages.js";
import type { Input, Lang } from "../../src/core/types.js";
import type { FlowSet } from "../../src/flows/load.js";
import { Chat, checkEveryTurn, ids, kinds, texts, type Turn } from "./support/chat.js";
import { assistant, atOnlinePrepare, conversation, flows, say } from "./support/fixture.js";
import { fixtureFlows, stepText } from "./support/flows.js";

/** Every turn taken in this file, to check the invariants across all of them at the end. */
const turns: Turn[] = [];
const chat = (conv: Conversation = conversation, lang: Lang = "lv"): Chat => new Chat(conv, lang, turns);

/** The menu buttons of the fixture: its two main-topic guides and a person. */
const TOPICS = [buttonIds.guide("residence-declaration"), buttonIds.guide("meter-readings"), buttonIds.person];

describe("Conversation: an instruction flow by buttons", () => {
  it("goes one way to its end and records the result", () => {
    const c = atOnlinePrepare(chat());
    const steps = ["online-prepare", "online-open", "online-code", "online-email", "online-send"];
    for (const [i, step] of steps.entries()) {
      expect(c.state.flow?.step).toBe(step);
      // Steps typed into a form say so under their text.
      expect(texts(c.last).some((text) => text.startsWith(say("library", step)))).toBe(true);
      expect(ids(c.last)).toEqual(expect.arrayContaining([`f:library:${step}:done`, `f:library:${step}:failed`, `f:library:${step}:repeat`]));
      const r = c.pressLabel(MESSAGES.lv.done);
      if (i < steps.length - 1) expect(r.events).toEqual([]);
    }
    const end = c.last;
    expect(end.stepId).toBe("online-done");
    expect(texts(end)).toEqual([say("library", "online-done")]);
    expect(kinds(end)).toEqual(["card-requested", "flow-completed"]);
    expect(end.events[0]).toMatchObject({ flow: "library", step: "online-done" });
    expect(ids(end)).toEqual([buttonIds.menu]);
    expect(end.state.flow).toBeUndefined();
  });

  it("Repeat shows the same step again without moving", () => {
    const c = atOnlinePrepare(chat());
    c.pressLabel(MESSAGES.lv.done);
    const before = c.last;
    const r = c.pressLabel(MESSAGES.lv.repeat);
    expect(texts(r)).toEqual(texts(before));
    expect(ids(r)).toEqual(ids(before));
    expect(r.state.flow).toEqual(before.state.flow);
  });

  it("Back returns to the previous step, on instruction and message steps, and the first step has no Back", () => {
    const c = atOnlinePrepare(chat());
    c.pressLabel(MESSAGES.lv.done);
    expect(c.state.flow?.step).toBe("online-open");
    expect(c.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("online-prepare");
    expect(c.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("how");
    const r = c.pressLabel(MESSAGES.lv.back);
    expect(r.state.flow).toMatchObject({ step: "which-library", history: [] });
    expect(texts(r)).toEqual([say("library", "which-library")]);
    expect(ids(r)).toEqual(["f:library:which-library:0", "f:library:which-library:1"]);
  });

  it.each(["gatavs", "готово", "done", "Izdevās ✅", "Done ✅"])("%s typed acts as Done", (typed) => {
    const r = atOnlinePrepare(chat()).text(typed);
    expect(r.state.flow?.step).toBe("online-open");
    expect(r.intent).toBe("flow");
    expect(r.lang).toBe("lv");
  });

  it("atkārtot typed acts as Repeat and atpakaļ as Back", () => {
    const c = atOnlinePrepare(chat());
    c.text("gatavs");
    expect(c.text("atkārtot").state.flow?.step).toBe("online-open");
    expect(c.text("atpakaļ").state.flow?.step).toBe("online-prepare");
  });

  it("a typed number picks the choice with that number, and a typed label picks its choice", () => {
    const c = chat();
    c.command("start", "library");
    expect(c.text("1").state.flow).toMatchObject({ step: "how", vars: { library: "county" } });
    expect(c.text("Klātienē").state.flow).toMatchObject({ step: "visit-bring", vars: { library: "county", way: "visit" } });
  });

  it("a branch goes on by an earlier choice, and by its default for any other value", () => {
    const closed = (library: "1" | "2"): Chat => {
      const c = chat();
      c.command("start", "library");
      c.text(library);
      c.text("2");
      c.text("gatavs");
      expect(c.state.flow?.step).toBe("visit-go");
      return c;
    };
    const county = closed("1").pressLabel(MESSAGES.lv.failed);
    expect(county.state.flow?.step).toBe("county-closed");
    expect(texts(county)).toEqual([say("library", "county-closed")]);
    expect(kinds(county)).toEqual(["step-failed"]);
    expect(closed("2").pressLabel(MESSAGES.lv.failed).state.flow?.step).toBe("school-closed");
  });

  it("an old button of an earlier step continues from that step", () => {
    const c = atOnlinePrepare(chat());
    c.text("gatavs");
    c.text("gatavs");
    expect(c.state.flow?.step).toBe("online-code");
    const r = c.press("f:library:how:1");
    expect(r.state.flow).toMatchObject({ step: "visit-bring", history: ["which-library", "how"], vars: { library: "county", way: "visit" } });
  });
});

describe("Conversation: when a step does not work", () => {
  it("It didn't work ❌ follows the flow's failed path, and a person then sees the step where the resident got stuck", () => {
    const c = atOnlinePrepare(chat());
    c.text("gatavs");
    expect(c.state.flow?.step).toBe("online-open");
    const r = c.pressLabel(MESSAGES.lv.failed);
    expect(r.events).toEqual([{ kind: "step-failed", flow: "library", step: "online-open" }]);
    // The failed path goes through the guide's trouble section, then asks what next.
    expect(r.guideId).toBe("library-card");
    expect(texts(r)[0]).toMatch(/^📘 Bibliotēkas karte – kā to saņemt\n\nJa neizdodas\n• Forma neatveras\?/);
    expect(r.state.flow?.step).toBe("retry");
    expect(texts(r).at(-1)).toBe(say("library", "retry"));

    const person = c.pressLabel("🙋 Runāt ar cilvēku");
    expect(person.intent).toBe("escalate");
    expect(person.state.intake?.context).toMatchObject({ flow: "library", step: "online-open", vars: { way: "online" } });
    expect(person.state.intake?.context).toMatchObject({ reason: "flowStep", note: "Neizdodas pieteikt bibliotēkas karti (pieteikuma forma, personas kods)." });
    expect(person.state.flow).toBeUndefined();
  });

  it("\"Try again\" after a failure goes back to the chosen way", () => {
    const c = atOnlinePrepare(chat());
    c.text("gatavs");
    c.pressLabel(MESSAGES.lv.failed);
    expect(c.pressLabel(/Mēģināt vēlreiz/).state.flow?.step).toBe("online-open");
  });

  it("nesanāk typed acts as It didn't work", () => {
    const c = atOnlinePrepare(chat());
    c.text("gatavs");
    expect(c.text("nesanāk").state.flow?.step).toBe("retry");
  });

  it("without a failed path, It didn't work offers to repeat or a person, who sees the step", () => {
    // The fixture's meter flow has no failed paths.
    const c = chat();
    c.command("start", "meter");
    c.text("gatavs");
    const r = c.pressLabel(MESSAGES.lv.failed);
    expect(texts(r)).toEqual([MESSAGES.lv.failedOffer]);
    expect(ids(r)).toEqual(["f:meter:client:repeat", buttonIds.person, buttonIds.menu]);
    expect(r.state.flow?.step).toBe("client");
    expect(kinds(r)).toEqual(["step-failed"]);
    expect(c.pressLabel(MESSAGES.lv.repeat).state.flow?.step).toBe("client");
    c.pressLabel(MESSAGES.lv.failed);
    expect(c.press(buttonIds.person).state.intake?.context).toMatchObject({ flow: "meter", step: "client" });
  });
});

describe("Conversation: flows that change under a running conversation", () => {
  const changedText = (t: string) => t.replace("lv: Ierakstiet klienta numuru.", "lv: Ierakstiet savu klienta numuru no rēķina.");
  /** The client step removed; the step before goes straight to the next one. */
  const withoutClientStep = (t: string) => t.replace("done: client\n", "done: reading\n").replace(/\n {2}client:\n(?: {4}.*\n)+/, "\n");
  /** The meter flow deleted, and the menu no longer links to it. */
  const withoutMenuLink = (t: string) => t.replace(/ {6}- label: \{ lv: "Skaitītājs".*\n {8}flow: meter\n/, "");

  /** The conversation over the fixture guides and a changed set of flows (as after a reload). */
  const on = (set: FlowSet) => new Conversation({ assistant, flows: set });

  /** A chat at the client step of the fixture's meter flow. */
  function atClientStep(): Chat {
    const c = chat();
    c.command("start", "meter");
    expect(c.state.flow?.step).toBe("prepare");
    c.text("gatavs");
    expect(c.state.flow?.step).toBe("client");
    return c;
  }

  it("a changed text gives a new version; the resident continues at the same step", () => {
    const changed = fixtureFlows({ meter: changedText });
    expect(changed.get("meter")?.version).not.toBe(flows.get("meter")?.version);
    expect([...(changed.get("meter")?.steps.keys() ?? [])]).toEqual([...(flows.get("meter")?.steps.keys() ?? [])]);

    const c = atClientStep().switchTo(on(changed));
    const r = c.text("gatavs");
    expect(r.state.flow).toMatchObject({ step: "reading", version: changed.get("meter")?.version });
    expect(texts(r)).not.toContain(MESSAGES.lv.flowChanged);
    expect(c.pressLabel(MESSAGES.lv.back).state.flow?.step).toBe("client");
    expect(texts(c.last)).toEqual(["Ierakstiet savu klienta numuru no rēķina."]);
  });

  it("a changed text: the old Repeat and Done buttons of the same step still work", () => {
    const changed = on(fixtureFlows({ meter: changedText }));
    expect(texts(atClientStep().switchTo(changed).press("f:meter:client:repeat"))).toEqual(["Ierakstiet savu klienta numuru no rēķina."]);
    expect(atClientStep().switchTo(changed).press("f:meter:client:done").state.flow?.step).toBe("reading");
  });

  it("a changed flow: an old choice button shows the step again instead of guessing", () => {
    const changed = fixtureFlows({ home: (t) => t.replace("{ lv: Ko darīsim?, ru: Что делаем?, en: What shall we do? }", "{ lv: Ar ko sākam?, ru: С чего начнём?, en: Where shall we start? }") });
    const c = chat();
    c.command("menu");
    c.switchTo(on(changed));
    const r = c.press("f:home:menu:0");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, "Ar ko sākam?"]);
    expect(r.state.flow).toMatchObject({ flow: "home", step: "menu", version: changed.get("home")?.version });
  });

  it("the current step removed: a short apology and the flow starts again", () => {
    const removed = fixtureFlows({ meter: withoutClientStep });
    expect(removed.get("meter")?.steps.has("client")).toBe(false);
    const r = atClientStep().switchTo(on(removed)).text("gatavs");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, stepText(removed, "meter", "prepare")]);
    expect(MESSAGES.lv.flowChanged).toContain("tikko tika atjaunoti");
    expect(r.state.flow).toMatchObject({ flow: "meter", step: "prepare", version: removed.get("meter")?.version, history: [] });
    expect(r.intent).toBe("flow");
    expect(r.state.misses).toBe(0);
  });

  it("the current step removed: its old button also restarts the flow", () => {
    const r = atClientStep().switchTo(on(fixtureFlows({ meter: withoutClientStep }))).press("f:meter:client:done");
    expect(texts(r)[0]).toBe(MESSAGES.lv.flowChanged);
    expect(r.state.flow?.step).toBe("prepare");
  });

  it("the current step removed while the resident asked something else: Continue restarts the flow", () => {
    const removed = fixtureFlows({ meter: withoutClientStep });
    const c = atClientStep();
    c.text("Kā deklarēt dzīvesvietu?");
    expect(c.state.flow?.paused).toBe(true);
    const r = c.switchTo(on(removed)).press("f:meter:resume");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, stepText(removed, "meter", "prepare")]);
  });

  it("the flow deleted: the resident is told it is gone and may ask anew", () => {
    const gone = fixtureFlows({ meter: null, home: withoutMenuLink });
    expect(gone.get("meter")).toBeUndefined();
    const conv = on(gone);

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
      fixtureFlows({ meter: null, home: withoutMenuLink }),
    ];
    const inputs: Input[] = [
      { kind: "text", text: "gatavs" }, { kind: "text", text: "1" }, { kind: "text", text: "asdf" },
      { kind: "button", id: "f:meter:client:back" }, { kind: "button", id: "f:meter:resume" },
      { kind: "button", id: "f:home:menu:3" }, { kind: "command", name: "person" }, { kind: "media", media: "voice" },
    ];
    for (const set of sets) {
      for (const input of inputs) {
        // Chat.send checks the invariants of the reply (at least one, none empty).
        expect(() => atClientStep().switchTo(on(set)).send(input)).not.toThrow();
      }
    }
  });
});

describe("Conversation: buttons of flows and steps that are not there", () => {
  it("a button of a flow that does not exist says so politely, with the topics", () => {
    const r = chat().press("f:nope:x:1");
    expect(texts(r)).toEqual([MESSAGES.lv.flowGone]);
    expect(ids(r)).toEqual(TOPICS);
  });

  it("a button of a flow that does not exist does not end the flow the resident is in", () => {
    const c = atOnlinePrepare(chat());
    c.press("f:nope:x:1");
    expect(c.state.flow?.step).toBe("online-prepare");
    expect(c.text("gatavs").state.flow?.step).toBe("online-open");
  });

  it.each(["guide:nope", "section:nope#x", "zzz", "lang:de", "flow:nope", ""])("an unknown button %j gets a polite answer", (id) => {
    const r = chat().press(id);
    expect(texts(r)).toEqual([MESSAGES.lv.unknownButton]);
    expect(ids(r)).toEqual(TOPICS);
  });

  it("a button of an unknown step of a known flow starts that flow again", () => {
    const r = chat().press("f:library:nope:0");
    expect(texts(r)).toEqual([MESSAGES.lv.flowChanged, say("library", "which-library")]);
    expect(r.state.flow?.step).toBe("which-library");
  });

  it("a choice number that the step does not have shows the step again", () => {
    const c = chat();
    c.command("start", "library");
    const r = c.press("f:library:which-library:42");
    expect(texts(r)).toEqual([say("library", "which-library")]);
    expect(r.state.flow?.step).toBe("which-library");
  });

  it("Continue of a flow the resident is not in starts it", () => {
    const r = chat().press("f:library:resume");
    expect(r.state.flow?.step).toBe("which-library");
    expect(kinds(r)).toEqual(["flow-started"]);
  });
});

describe("Conversation: invariants across every turn in this file", () => {
  // Each turn is checked as it happens (see Chat.send); this runs after the other tests of the file.
  it("keeps the state JSON-serialisable, every reply within 4,000 characters and every button id within 64 bytes", () => {
    checkEveryTurn(turns);
  });
});
