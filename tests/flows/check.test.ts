import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFlows, loadFlows, type FlowSource } from "../../src/flows/load.js";
import { MAX_LABEL_LENGTH, parseFlow } from "../../src/flows/parse.js";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import type { KnowledgeBase } from "../../src/knowledge/load.js";
import { ROOT, shippedKnowledge } from "../helpers.js";

let knowledge: KnowledgeBase;
beforeAll(async () => {
  knowledge = await shippedKnowledge();
});

/** A text in all three languages, as YAML flow map. */
const T = (text: string): string => `{ lv: "${text}", ru: "${text} (ru)", en: "${text} (en)" }`;

/** A flow file `flows/x.yaml` with the given steps (YAML indented by two spaces). */
const flowText = (steps: string, head = ""): string => `id: x
title: ${T("Flow X")}
${head}start: a
steps:
${steps}`;

/** The 1-based line of the only line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const lines = text.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  const [only] = hits;
  if (hits.length !== 1 || only === undefined) throw new Error(`'${needle}' is on ${hits.length} lines of the fixture`);
  return only;
}

/** Every problem `parseFlow` reports, formatted as `file:line: message`. */
const parse = (text: string, file = "flows/x.yaml", expectedId = "x"): string[] =>
  parseFlow(text, file, expectedId).diagnostics.map(formatDiagnostic);

/** One small, valid flow per built-in event, so that `buildFlows` has nothing else to say. */
const EVENT_FLOWS: FlowSource[] = (["menu", "language", "scam", "feedback"] as const).map((event) => ({
  file: `flows/on-${event}.yaml`,
  text: `id: on-${event}
title: ${T(event)}
triggers:
  on: [${event}]
start: only
steps:
  only:
    type: end
    say: ${T("Bye")}
`,
}));

/** Every problem `buildFlows` reports for these files plus the event flows. */
const build = (...files: FlowSource[]) => buildFlows([...EVENT_FLOWS, ...files], knowledge);
const problems = (...files: FlowSource[]): string[] => build(...files).diagnostics.map(formatDiagnostic);

describe("flow check: the shipped flows", () => {
  it("load from flows/ with no problems against the shipped guides", async () => {
    const flows = await loadFlows(path.join(ROOT, "flows"), knowledge);
    expect(flows.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(flows.all.map((f) => f.id).sort()).toEqual(["e-invoice-setup", "feedback", "language", "main-menu", "online-application", "scam-check"]);
  });

  it("give each built-in event, deep link and guide trigger its flow", async () => {
    const flows = await loadFlows(path.join(ROOT, "flows"), knowledge);
    expect(flows.forEvent("menu")?.id).toBe("main-menu");
    expect(flows.forEvent("language")?.id).toBe("language");
    expect(flows.forEvent("scam")?.id).toBe("scam-check");
    expect(flows.forEvent("feedback")?.id).toBe("feedback");
    expect(flows.forDeepLink("e-invoices")?.id).toBe("e-invoice-setup");
    expect(flows.forDeepLink("E-Invoices")?.id).toBe("e-invoice-setup");
    expect(flows.forDeepLink("application")?.id).toBe("online-application");
    expect(flows.forGuide("e-invoices")?.id).toBe("e-invoice-setup");
    expect(flows.forDeepLink("nothing")).toBeUndefined();
  });
});

describe("flow check: one file", () => {
  it("accepts a small valid flow with no problems", () => {
    const text = flowText(`  a:
    say: ${T("Hello")}
    choices:
      - label: ${T("Go")}
        next: b
      - label: ${T("Menu")}
        menu: true
  b:
    type: end
    say: ${T("Bye")}
`);
    const result = parseFlow(text, "flows/x.yaml", "x");
    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.id).toBe("x");
    expect([...(result.flow?.steps.keys() ?? [])]).toEqual(["a", "b"]);
  });

  it("reports invalid YAML on the line where it breaks, and loads nothing", () => {
    const duplicate = flowText(`  a:
    type: end
    say: ${T("Hi")}
    type: message
`);
    const result = parseFlow(duplicate, "flows/x.yaml", "x");
    expect(result.flow).toBeUndefined();
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([`flows/x.yaml:${lineOf(duplicate, "type: message")}: not valid YAML: Map keys must be unique`]);

    const indented = flowText(`  a:
    type: end
  say: ${T("Hi")}
   oops: 1
`);
    const out = parse(indented);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((l) => l.startsWith(`flows/x.yaml:${lineOf(indented, "oops")}: not valid YAML: `))).toBe(true);
  });

  it("reports an id that does not match the file name on the id line", () => {
    const text = flowText(`  a:
    type: end
    say: ${T("Hi")}
`).replace("id: x", "id: other");
    expect(parse(text)).toEqual([`flows/x.yaml:1: id 'other' must match the file name 'x'`]);
  });

  it.each([
    ["next of a message", `  a:\n    say: ${T("Hi")}\n    next: zzz\n`, "next: zzz"],
    ["done of an instruction", `  a:\n    type: instruction\n    say: ${T("Hi")}\n    done: zzz\n`, "done: zzz"],
    ["failed of an instruction", `  a:\n    type: instruction\n    say: ${T("Hi")}\n    done: b\n    failed: zzz\n  b:\n    type: end\n    say: ${T("Bye")}\n`, "failed: zzz"],
    ["a case of a branch", `  a:\n    type: branch\n    on: way\n    cases:\n      one: zzz\n    default: b\n  b:\n    type: end\n    say: ${T("Bye")}\n`, "one: zzz"],
    ["the default of a branch", `  a:\n    type: branch\n    on: way\n    cases:\n      one: b\n    default: zzz\n  b:\n    type: end\n    say: ${T("Bye")}\n`, "default: zzz"],
    ["next of a choice", `  a:\n    say: ${T("Hi")}\n    choices:\n      - label: ${T("Go")}\n        next: zzz\n`, "next: zzz"],
    ["next of a guide step", `  a:\n    type: guide\n    guide: e-invoices\n    next: zzz\n`, "next: zzz"],
    ["next of a question", `  a:\n    type: question\n    say: ${T("Which?")}\n    save: answer\n    next: zzz\n`, "next: zzz"],
  ])("reports an unknown step in %s on the line of the reference", (_what, steps, needle) => {
    const text = flowText(steps);
    expect(parse(text)).toContain(`flows/x.yaml:${lineOf(text, needle)}: step 'a' refers to an unknown step 'zzz'`);
  });

  it("reports a missing translation on the line of the text", () => {
    const text = flowText(`  a:
    type: end
    say:
      lv: Labdien
      en: Hello
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "say:")}: step 'a' say: missing ru translation`]);
  });

  it("reports a text given as a plain string instead of three languages", () => {
    const text = flowText(`  a:
    type: end
    say: Labdien
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "say:")}: step 'a' say needs a text for each language: lv, ru and en`]);
  });

  it("reports an unknown language key on its own line", () => {
    const text = flowText(`  a:
    type: end
    say:
      lv: Labdien
      ru: Здравствуйте
      en: Hello
      de: Hallo
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "de: Hallo")}: step 'a' say: unknown language 'de' (use lv, ru, en)`]);
  });

  it("reports a step that cannot be reached from start on the step's line", () => {
    const text = flowText(`  a:
    type: end
    say: ${T("Hi")}
  lonely:
    type: end
    say: ${T("Nobody comes here")}
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "lonely:")}: step 'lonely' cannot be reached from start 'a'`]);
  });

  it("does not call a step unreachable only because the choice leading to it has another error", () => {
    const text = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: { lv: "Tālāk", en: "Next" }
        next: b
  b:
    type: end
    say: ${T("Bye")}
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "- label:")}: step 'a' choice 1 label: missing ru translation`]);
  });

  it("reports an unknown start step", () => {
    const text = flowText(`  b:
    type: end
    say: ${T("Bye")}
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "start: a")}: start names an unknown step 'a'`]);
  });

  it("reports an unknown step type on the type line", () => {
    const text = flowText(`  a:
    type: wizard
    say: ${T("Hi")}
`);
    expect(parse(text)).toEqual([
      `flows/x.yaml:${lineOf(text, "type: wizard")}: step 'a': unknown type 'wizard' (known: message, instruction, question, branch, guide, escalate, end)`,
    ]);
  });

  it("reports a field the step type does not have on the field's line", () => {
    const text = flowText(`  a:
    type: end
    say: ${T("Hi")}
    done: a
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "done: a")}: step 'a' (end): unknown field 'done' (allowed: type, say, record)`]);
  });

  it("reports an unknown top-level or choice field", () => {
    const top = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "colour: red\n");
    expect(parse(top)).toEqual([`flows/x.yaml:${lineOf(top, "colour")}: flow: unknown field 'colour' (allowed: id, title, description, triggers, start, steps)`]);
    const choice = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("Menu")}
        menu: true
        colour: red
`);
    expect(parse(choice)).toEqual([
      `flows/x.yaml:${lineOf(choice, "colour")}: step 'a' choice 1: unknown field 'colour' (allowed: label, next, flow, guide, escalate, menu, set, language, record)`,
    ]);
  });

  it("reports a step missing a field its type needs", () => {
    const text = flowText(`  a:
    type: instruction
    say: ${T("Do it")}
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, "a:")}: step 'a' (instruction) needs 'done'`]);
  });

  it("reports a choice with two targets, and one with none, on the choice's line", () => {
    const two = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("Both")}
        next: b
        menu: true
      - label: ${T("Fine")}
        next: b
  b:
    type: end
    say: ${T("Bye")}
`);
    expect(parse(two)).toEqual([`flows/x.yaml:${lineOf(two, "Both")}: step 'a' choice 1 needs exactly one of next, flow, guide, escalate, menu (has next, menu)`]);

    const none = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("Menu")}
        menu: true
      - label: ${T("Nowhere")}
`);
    expect(parse(none)).toEqual([`flows/x.yaml:${lineOf(none, "Nowhere")}: step 'a' choice 2 needs exactly one of next, flow, guide, escalate, menu (has none)`]);
  });

  it("reports a button label over 40 characters, and accepts one of exactly 40", () => {
    const long = "A".repeat(MAX_LABEL_LENGTH + 1);
    const text = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label:
          lv: "${long}"
          ru: "Коротко"
          en: "Short"
        menu: true
`);
    expect(parse(text)).toEqual([`flows/x.yaml:${lineOf(text, long)}: step 'a' choice 1 label (lv) is 41 characters; keep it within 40`]);
    expect(parse(text.replace(long, "A".repeat(MAX_LABEL_LENGTH)))).toEqual([]);
  });

  it("reports several problems of one file at once, each on its own line", () => {
    const text = flowText(`  a:
    say: ${T("Hi")}
    next: zzz
  b:
    type: end
    say:
      lv: Atā
      en: Bye
`);
    expect(parse(text)).toEqual([
      `flows/x.yaml:${lineOf(text, "lv: Atā") - 1}: step 'b' say: missing ru translation`,
      `flows/x.yaml:${lineOf(text, "next: zzz")}: step 'a' refers to an unknown step 'zzz'`,
    ]);
  });
});

describe("flow check: across files", () => {
  const file = (id: string, text: string): FlowSource => ({ file: `flows/${id}.yaml`, text });

  it("accepts the event flows alone", () => {
    expect(problems()).toEqual([]);
  });

  it("reports a choice that starts an unknown flow on the line of flow:", () => {
    const text = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("Elsewhere")}
        flow: no-such-flow
`);
    expect(problems(file("x", text))).toEqual([`flows/x.yaml:${lineOf(text, "flow: no-such-flow")}: step 'a' choice 1 refers to an unknown flow 'no-such-flow'`]);
  });

  it("accepts a choice that starts another existing flow", () => {
    const text = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("Feedback")}
        flow: on-feedback
`);
    expect(problems(file("x", text))).toEqual([]);
  });

  it("reports unknown guides and anchors in choices, guide steps and triggers, each on its own line", () => {
    const text = flowText(`  a:
    say: ${T("Hi")}
    choices:
      - label: ${T("No guide")}
        guide: no-such-guide
      - label: ${T("No anchor")}
        guide: e-invoices#no-such-anchor
      - label: ${T("Good")}
        guide: e-invoices#trouble
      - label: ${T("On")}
        next: g
  g:
    type: guide
    guide: e-invoices
    section: nowhere
    next: h
  h:
    type: guide
    guide: nothing-here
`, "triggers:\n  guides: [e-invoices, not-a-guide]\n");
    expect(problems(file("x", text))).toEqual([
      `flows/x.yaml:${lineOf(text, "not-a-guide")}: triggers.guides refers to an unknown guide 'not-a-guide'`,
      `flows/x.yaml:${lineOf(text, "guide: no-such-guide")}: step 'a' choice 1 refers to an unknown guide 'no-such-guide'`,
      `flows/x.yaml:${lineOf(text, "no-such-anchor")}: step 'a' choice 2 refers to an unknown section 'e-invoices#no-such-anchor'`,
      `flows/x.yaml:${lineOf(text, "section: nowhere")}: step 'g' refers to an unknown section 'e-invoices#nowhere'`,
      `flows/x.yaml:${lineOf(text, "guide: nothing-here")}: step 'h' refers to an unknown guide 'nothing-here'`,
    ]);
  });

  it("does not check guides when there is no knowledge base", () => {
    const text = flowText(`  a:\n    type: guide\n    guide: nothing-here\n`);
    expect(buildFlows([...EVENT_FLOWS, file("x", text)], undefined).diagnostics).toEqual([]);
  });

  it("reports a deep link used by two flows (in any case) on the second flow's line", () => {
    const one = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "triggers:\n  deep-links: [shared, own]\n");
    const two = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "triggers:\n  deep-links:\n    - mine\n    - Shared\n").replace("id: x", "id: y");
    expect(problems(file("x", one), file("y", two))).toEqual([`flows/y.yaml:${lineOf(two, "- Shared")}: deep link 'Shared' is already used by flow 'x'`]);
  });

  it("reports a built-in event with no flow", () => {
    const set = buildFlows(EVENT_FLOWS.filter((f) => !f.file.includes("scam")), knowledge);
    expect(set.diagnostics.map(formatDiagnostic)).toEqual(["flows:1: no flow handles the event 'scam': add 'triggers: { on: [scam] }' to one flow"]);
    expect(buildFlows([], knowledge, "somewhere/flows").diagnostics.map(formatDiagnostic)).toHaveLength(4);
  });

  it("reports a built-in event handled by two flows on the second flow's trigger line", () => {
    const text = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "triggers:\n  on:\n    - scam\n    - menu\n");
    expect(problems(file("x", text))).toEqual([
      `flows/x.yaml:${lineOf(text, "- menu")}: event 'menu' is already handled by flow 'on-menu'`,
      `flows/x.yaml:${lineOf(text, "- scam")}: event 'scam' is already handled by flow 'on-scam'`,
    ]);
  });

  it("reports an unknown event name", () => {
    const text = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "triggers:\n  on: [birthday]\n");
    expect(problems(file("x", text))).toEqual([`flows/x.yaml:${lineOf(text, "birthday")}: unknown event 'birthday' (known: menu, language, scam, feedback)`]);
  });

  it("does not load a flow with errors, but loads the others", () => {
    const good = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`).replace("id: x", "id: good");
    const badRef = flowText(`  a:\n    say: ${T("Hi")}\n    next: zzz\n`).replace("id: x", "id: bad-ref");
    const badFlow = flowText(`  a:\n    say: ${T("Hi")}\n    choices:\n      - label: ${T("Go")}\n        flow: nowhere\n`).replace("id: x", "id: bad-flow");
    const wrongName = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`).replace("id: x", "id: not-the-file-name");
    const set = build(file("good", good), file("bad-ref", badRef), file("bad-flow", badFlow), file("renamed", wrongName));
    expect(set.diagnostics.map((d) => d.file).sort()).toEqual(["flows/bad-flow.yaml", "flows/bad-ref.yaml", "flows/renamed.yaml"]);
    expect(set.all.map((f) => f.id).sort()).toEqual(["good", "on-feedback", "on-language", "on-menu", "on-scam"]);
    expect(set.get("bad-ref")).toBeUndefined();
    expect(set.get("bad-flow")).toBeUndefined();
    expect(set.get("not-the-file-name")).toBeUndefined();
  });

  it("does not let the second handler of an event go live", () => {
    const text = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`, "triggers:\n  on: [menu]\n");
    const set = build(file("x", text));
    expect(set.get("x")).toBeUndefined();
    expect(set.forEvent("menu")?.id).toBe("on-menu");
  });
});

describe("flow versions", () => {
  const text = flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`);

  it("are computed from the file text: the same text gives the same version", () => {
    const a = parseFlow(text, "flows/x.yaml", "x").flow;
    const b = parseFlow(text, "flows/elsewhere/x.yaml", "x").flow;
    expect(a?.version).toMatch(/^[0-9a-f]{12}$/);
    expect(b?.version).toBe(a?.version);
  });

  it("change whenever the file text changes, even a comment", () => {
    const v = (t: string) => parseFlow(t, "flows/x.yaml", "x").flow?.version;
    const base = v(text);
    expect(v(text.replace(`"Hi"`, `"Hello"`))).not.toBe(base);
    expect(v(`# a note for editors\n${text}`)).not.toBe(base);
  });
});

describe("loadFlows", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "digipaligs-flows-"));
    for (const f of EVENT_FLOWS) await writeFile(path.join(dir, path.basename(f.file)), f.text);
    await writeFile(path.join(dir, "short.yml"), flowText(`  a:\n    type: end\n    say: ${T("Hi")}\n`).replace("id: x", "id: short"));
    await writeFile(path.join(dir, "broken.yaml"), flowText(`  a:\n    say: ${T("Hi")}\n    next: zzz\n`).replace("id: x", "id: broken"));
    await writeFile(path.join(dir, "notes.txt"), "not a flow");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads .yaml and .yml files, reports problems with the file's path and skips other files", async () => {
    const set = await loadFlows(dir, knowledge);
    expect(set.all.map((f) => f.id).sort()).toEqual(["on-feedback", "on-language", "on-menu", "on-scam", "short"]);
    const out = set.diagnostics.map(formatDiagnostic);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/broken\.yaml:7: step 'a' refers to an unknown step 'zzz'$/);
  });

  it("reports every missing event for a directory that does not exist, instead of throwing", async () => {
    const set = await loadFlows(path.join(dir, "missing"), knowledge);
    expect(set.all).toEqual([]);
    expect(set.diagnostics.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringMatching(/no flow handles the event 'menu'/)]));
  });
});
