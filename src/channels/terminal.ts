/**
 * The terminal channel: a conversation on stdin/stdout through the same core. Buttons are shown
 * as numbered choices; typing the number presses the button.
 * @module
 */
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import type { Assistant } from "../core/assistant.js";
import type { Lang, Reply } from "../core/types.js";

/** Renders a reply as text with numbered buttons. */
export function renderReply(reply: Reply): string {
  const buttons = reply.buttons.map((b, i) => `  [${i + 1}] ${b.label}`).join("\n");
  return buttons ? `${reply.text}\n${buttons}` : reply.text;
}

/** Options for {@link runTerminalChat}. */
export interface TerminalOptions {
  readonly assistant: Assistant;
  readonly input: Readable;
  readonly output: Writable;
  readonly lang: Lang;
}

/** Runs a conversation until the input ends or the resident types /quit. */
export async function runTerminalChat({ assistant, input, output, lang: startLang }: TerminalOptions): Promise<void> {
  const rl = createInterface({ input, output, terminal: false });
  let lang = startLang;
  let buttons: Reply["buttons"] = [];
  const show = (replies: readonly Reply[]): void => {
    for (const r of replies) output.write(`\n${renderReply(r)}\n`);
    buttons = replies.at(-1)?.buttons ?? [];
  };
  show(assistant.ask("labdien", { lang }).replies);
  output.write("\n(Type a question, a number to press a button, or /quit.)\n> ");
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    const choice = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
    const out = choice ? assistant.press(choice.id, { lang }) : assistant.ask(text, { lang });
    lang = out.lang;
    show(out.replies);
    output.write("\n> ");
  }
  rl.close();
}
