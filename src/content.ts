/**
 * Loads the editors' content — guides (`knowledge/`) and flows (`flows/`) — and checks them
 * together, so that a flow pointing at a missing guide section is caught before going live.
 * @module
 */
import { loadFlows, type FlowSet } from "./flows/load.js";
import type { Diagnostic } from "./knowledge/diagnostics.js";
import { loadKnowledge, type KnowledgeBase, type LoadOptions } from "./knowledge/load.js";

/** Loaded, checked content. */
export interface Content {
  readonly knowledge: KnowledgeBase;
  readonly flows: FlowSet;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads guides and flows and checks them together. */
export async function loadContent(knowledgeDir: string, flowsDir: string, options: LoadOptions = {}): Promise<Content> {
  const knowledge = await loadKnowledge(knowledgeDir, options);
  const flows = await loadFlows(flowsDir, knowledge);
  return { knowledge, flows, diagnostics: [...knowledge.diagnostics, ...flows.diagnostics] };
}
