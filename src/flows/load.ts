/**
 * Loads `flows/*.yaml` and checks what needs more than one file: flow and guide references,
 * deep links, and that each built-in event has exactly one flow.
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../knowledge/diagnostics.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { buttonIds } from "../core/button-ids.js";
import { FLOW_EVENTS, type Flow, type FlowEvent } from "./flow.js";
import { flowLineFinder, parseFlow } from "./parse.js";

/** One raw flow file. */
export interface FlowSource {
  readonly file: string;
  readonly text: string;
}

/** The loaded flows with lookups by event, deep link and guide, and every problem found. */
export class FlowSet {
  readonly #flows: ReadonlyMap<string, Flow>;
  readonly #events = new Map<FlowEvent, Flow>();
  readonly #deepLinks = new Map<string, Flow>();
  readonly #guides = new Map<string, Flow>();

  constructor(flows: readonly Flow[], readonly diagnostics: readonly Diagnostic[] = []) {
    this.#flows = new Map(flows.map((f) => [f.id, f]));
    for (const f of flows) {
      for (const e of f.triggers.on) if (!this.#events.has(e)) this.#events.set(e, f);
      for (const d of f.triggers.deepLinks) if (!this.#deepLinks.has(d.toLowerCase())) this.#deepLinks.set(d.toLowerCase(), f);
      for (const g of f.triggers.guides) if (!this.#guides.has(g)) this.#guides.set(g, f);
    }
  }

  /** The flow with this id. */
  get(id: string): Flow | undefined {
    return this.#flows.get(id);
  }

  /** Every flow, by id. */
  get all(): readonly Flow[] {
    return [...this.#flows.values()];
  }

  /** The flow started by a built-in event. */
  forEvent(event: FlowEvent): Flow | undefined {
    return this.#events.get(event);
  }

  /** The flow a deep link (`/start <name>`) starts. */
  forDeepLink(name: string): Flow | undefined {
    return this.#deepLinks.get(name.toLowerCase());
  }

  /** The flow offered after an answer from this guide. */
  forGuide(guideId: string): Flow | undefined {
    return this.#guides.get(guideId);
  }
}

/** Builds the flow set from raw files, checking references against the knowledge base. */
export function buildFlows(sources: readonly FlowSource[], knowledge: KnowledgeBase | undefined, dirLabel = "flows"): FlowSet {
  const diagnostics: Diagnostic[] = [];
  const flows: Flow[] = [];
  const lineFinders = new Map<Flow, (path: readonly (string | number)[]) => number>();
  for (const src of sources) {
    const expected = path.basename(src.file).replace(/\.ya?ml$/, "");
    const result = parseFlow(src.text, src.file, expected);
    diagnostics.push(...result.diagnostics);
    if (result.flow) {
      flows.push(result.flow);
      lineFinders.set(result.flow, flowLineFinder(src.text));
    }
  }
  const ids = new Set(flows.map((f) => f.id));
  const err = (flow: Flow, line: number, message: string): void => {
    diagnostics.push({ file: flow.file, line, severity: "error", message });
  };
  /** The line of a node of a flow's file, so that every problem points at its own line. */
  const lineOf = (flow: Flow, ...nodePath: (string | number)[]): number => lineFinders.get(flow)?.(nodePath) ?? 1;
  const lvGuides = knowledge?.guides.get("lv");
  const checkGuide = (flow: Flow, guideLine: number, anchorLine: number, guide: string, anchor: string | undefined, what: string): void => {
    if (!knowledge) return;
    const g = lvGuides?.get(guide);
    if (!g) err(flow, guideLine, `${what} refers to an unknown guide '${guide}'`);
    else if (anchor && !g.sections.some((s) => s.anchor === anchor)) err(flow, anchorLine, `${what} refers to an unknown section '${guide}#${anchor}'`);
  };
  const seenDeepLinks = new Map<string, string>();
  for (const flow of flows) {
    flow.triggers.deepLinks.forEach((d, i) => {
      const other = seenDeepLinks.get(d.toLowerCase());
      if (other) err(flow, lineOf(flow, "triggers", "deep-links", i), `deep link '${d}' is already used by flow '${other}'`);
      else seenDeepLinks.set(d.toLowerCase(), flow.id);
    });
    flow.triggers.guides.forEach((g, i) => {
      const line = lineOf(flow, "triggers", "guides", i);
      checkGuide(flow, line, line, g, undefined, "triggers.guides");
    });
    for (const step of flow.steps.values()) {
      if (step.type === "guide") checkGuide(flow, lineOf(flow, "steps", step.id, "guide"), lineOf(flow, "steps", step.id, "section"), step.guide, step.section, `step '${step.id}'`);
      if (step.type === "message") {
        step.choices.forEach((c, i) => {
          const what = `step '${step.id}' choice ${i + 1}`;
          if (c.target.kind === "flow" && !ids.has(c.target.flow)) err(flow, lineOf(flow, "steps", step.id, "choices", i, "flow"), `${what} refers to an unknown flow '${c.target.flow}'`);
          if (c.target.kind === "guide") {
            const line = lineOf(flow, "steps", step.id, "choices", i, "guide");
            checkGuide(flow, line, line, c.target.guide, c.target.anchor, what);
          }
          if (Buffer.byteLength(buttonIds.choice(flow.id, step.id, i)) > 64) err(flow, step.line, `${what}: flow and step ids are too long for a Telegram button (shorten them)`);
        });
      }
      if (step.type === "instruction" && Buffer.byteLength(buttonIds.instruction(flow.id, step.id, "failed")) > 64) {
        err(flow, step.line, `step '${step.id}': flow and step ids are too long for a Telegram button (shorten them)`);
      }
    }
  }
  for (const event of FLOW_EVENTS) {
    const handlers = flows.filter((f) => f.triggers.on.includes(event));
    if (handlers.length === 0) diagnostics.push({ file: dirLabel, line: 1, severity: "error", message: `no flow handles the event '${event}': add 'triggers: { on: [${event}] }' to one flow` });
    for (const extra of handlers.slice(1)) err(extra, lineOf(extra, "triggers", "on", extra.triggers.on.indexOf(event)), `event '${event}' is already handled by flow '${handlers[0]?.id}'`);
  }
  // A flow with errors found here must not go live with broken references.
  const broken = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  return new FlowSet(flows.filter((f) => !broken.has(f.file)), diagnostics);
}

/** Reads `<dir>/*.yaml` (and `.yml`) and builds the flow set. */
export async function loadFlows(dir: string, knowledge?: KnowledgeBase): Promise<FlowSet> {
  const display = (p: string): string => path.relative(process.cwd(), p) || p;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    names = [];
  }
  const sources = await Promise.all(names.map(async (n) => ({ file: display(path.join(dir, n)), text: await readFile(path.join(dir, n), "utf8") })));
  return buildFlows(sources, knowledge, display(dir));
}
