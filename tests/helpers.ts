import path from "node:path";
import { fileURLToPath } from "node:url";
import { Assistant } from "../src/core/assistant.js";
import { loadKnowledge, type KnowledgeBase } from "../src/knowledge/load.js";

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let shared: Promise<KnowledgeBase> | undefined;

/** The shipped knowledge base, loaded once per test file. */
export function shippedKnowledge(): Promise<KnowledgeBase> {
  shared ??= loadKnowledge(path.join(ROOT, "knowledge"), { today: new Date("2026-11-22") });
  return shared;
}

/** An assistant over the shipped guides. */
export async function shippedAssistant(): Promise<Assistant> {
  return new Assistant({ knowledge: await shippedKnowledge() });
}
