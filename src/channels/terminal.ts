/**
 * The terminal channel: a conversation on stdin/stdout through the same core, with the session
 * kept in memory. Buttons are shown as numbered choices; typing the number presses the button.
 * @module
 */
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { NEW_SESSION, type Conversation, type SessionState } from "../core/conversation.js";
import type { Input, Lang, Reply } from "../core/types.js";

/** Renders a reply as text with numbered buttons. */
export function renderReply(reply: Reply): string {
  const buttons = reply.buttons.map((b, i) => `  [${i + 1}] ${b.label}`).join("\n");
  return buttons ? `${reply.text}\n${buttons}` : reply.text;
}

/** Options for {@link runTerminalChat}. */
export interface TerminalOptions {
  readonly conversation: Conversation;
  readonly input: Readable;
  readonly output: Writable;
  readonly lang: Lang;
}

/** Runs a conversation until the input ends or the resident types /quit. */
export async function runTerminalChat({ conversation, input, output, lang: startLang }: TerminalOptions): Promise<void> {
  const rl = createInterface({ input, output, terminal: false });
  let lang = startLang;
  let state: SessionState = NEW_SESSION;
  let buttons: Reply["buttons"] = [];
  const turn = (message: Input): void => {
    const result = conversation.handle(state, message, { lang });
    state = result.state;
    lang = result.lang;
    for (const r of result.replies) output.write(`\n${renderReply(r)}\n`);
    buttons = result.replies.flatMap((r) => r.buttons);
  };
  turn({ kind: "command", name: "start" });
  output.write("\n(Type a question, a number to press a button, or /quit.)\n> ");
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    const choice = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
    turn(choice ? { kind: "button", id: choice.id } : { kind: "text", text });
    output.write("\n> ");
  }
  rl.close();
}
