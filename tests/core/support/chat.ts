/**
 * A resident's chat with a {@link Conversation} for tests, the invariants every turn must keep,
 * and short ways to read a turn's replies.
 * @module
 */
import { expect } from "vitest";
import { NEW_SESSION, type Conversation, type SessionState, type TurnResult } from "../../../src/core/conversation.js";
import { MAX_REPLY_LENGTH, type Button, type Input, type Lang } from "../../../src/core/types.js";

/** One turn: what the resident sent and what the conversation returned. */
export interface Turn {
  readonly input: Input;
  readonly result: TurnResult;
}

/** A resident's chat: threads the state and the language through `handle`, which is pure. */
export class Chat {
  state: SessionState = NEW_SESSION;
  lang: Lang;
  #last: TurnResult | undefined;

  /** `log` collects every turn, for a check across all of them at the end of a file. */
  constructor(private conv: Conversation, lang: Lang = "lv", private readonly log: Turn[] = []) {
    this.lang = lang;
  }

  /** The last turn's result. @throws {Error} before the first turn. */
  get last(): TurnResult {
    if (!this.#last) throw new Error("the chat has no turn yet");
    return this.#last;
  }

  send(input: Input): TurnResult {
    const before = JSON.stringify(this.state);
    const result = this.conv.handle(this.state, input, { lang: this.lang });
    expect(JSON.stringify(this.state), "handle must not change the state it was given").toBe(before);
    this.log.push({ input, result });
    checkInvariants(input, result);
    this.state = result.state;
    this.lang = result.lang;
    this.#last = result;
    return result;
  }

  text(text: string): TurnResult {
    return this.send({ kind: "text", text });
  }

  press(id: string): TurnResult {
    return this.send({ kind: "button", id });
  }

  command(name: string, arg?: string): TurnResult {
    return this.send(arg === undefined ? { kind: "command", name } : { kind: "command", name, arg });
  }

  /** Presses the button whose label matches, on the last turn's replies. */
  pressLabel(label: RegExp | string): TurnResult {
    return this.press(buttonId(this.last, label));
  }

  /** Continues with another set of flows (as after a reload), keeping state and language. */
  switchTo(conv: Conversation): this {
    this.conv = conv;
    return this;
  }
}

/** What must hold after every turn: plain-JSON state, replies that fit Telegram, short button ids. */
export function checkInvariants(input: Input, result: TurnResult): void {
  const where = JSON.stringify(input).slice(0, 80);
  expect(JSON.parse(JSON.stringify(result.state)), where).toEqual(result.state);
  expect(result.replies.length, where).toBeGreaterThan(0);
  for (const reply of result.replies) {
    expect(reply.text.trim().length, where).toBeGreaterThan(0);
    expect(reply.text.length, where).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    for (const b of reply.buttons) {
      expect(Buffer.byteLength(b.id, "utf8"), `${where} ${b.id}`).toBeLessThanOrEqual(64);
      expect(b.label.trim().length, `${where} ${b.id}`).toBeGreaterThan(0);
    }
  }
  expect(["guide", "flow", "escalate", "fallback"], where).toContain(result.intent);
}

/** The invariants checked again over every turn of a log (each was checked as it happened, too). */
export function checkEveryTurn(log: readonly Turn[]): void {
  for (const { input, result } of log) checkInvariants(input, result);
  const longest = Math.max(0, ...log.flatMap(({ result }) => result.replies.map((r) => r.text.length)));
  expect(longest).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
}

/** Every button of a turn, in order. */
export const buttons = (r: TurnResult): Button[] => r.replies.flatMap((x) => x.buttons);
/** Every button id of a turn, in order. */
export const ids = (r: TurnResult): string[] => buttons(r).map((b) => b.id);
/** The texts of a turn's replies. */
export const texts = (r: TurnResult): string[] => r.replies.map((x) => x.text);
/** All of a turn's text, one reply after another. */
export const allText = (r: TurnResult): string => texts(r).join("\n\n");
/** The kinds of a turn's events, in order. */
export const kinds = (r: TurnResult): string[] => r.events.map((e) => e.kind);

/**
 * The id of the first button whose label is `label` (or matches it).
 * @throws {Error} naming the labels there are, when none matches.
 */
export function buttonId(r: TurnResult, label: RegExp | string): string {
  const found = buttons(r).find((b) => (typeof label === "string" ? b.label === label : label.test(b.label)));
  if (!found) throw new Error(`no button ${String(label)} in: ${buttons(r).map((b) => b.label).join(" | ")}`);
  return found.id;
}
