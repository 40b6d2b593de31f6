/**
 * The conversation over the fixture flows and guides (see flows.ts and knowledge.ts), built once,
 * and the ways into the fixture's library flow that many tests start from.
 * @module
 */
import { expect } from "vitest";
import { Assistant } from "../../../src/core/assistant.js";
import { Conversation } from "../../../src/core/conversation.js";
import type { Lang } from "../../../src/core/types.js";
import type { FlowSet } from "../../../src/flows/load.js";
import type { Chat } from "./chat.js";
import { fixtureFlows, stepText } from "./flows.js";
import { fixtureKnowledge } from "./knowledge.js";

/** The assistant over the fixture guides. */
export const assistant = new Assistant({ knowledge: fixtureKnowledge() });

/** The fixture flows, unchanged. */
export const flows: FlowSet = fixtureFlows();

/** The conversation over the fixture flows and guides. */
export const conversation = new Conversation({ assistant, flows });

/** The text of a step of a fixture flow, in a language. */
export function say(flow: string, step: string, lang: Lang = "lv"): string {
  return stepText(flows, flow, step, lang);
}

/** A chat that has started the library flow by its deep link and is at its first instruction step. */
export function atOnlinePrepare(chat: Chat): Chat {
  chat.command("start", "library");
  chat.press("f:library:which-library:0");
  chat.press("f:library:how:0");
  expect(chat.state.flow?.step).toBe("online-prepare");
  return chat;
}
