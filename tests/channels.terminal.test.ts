import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { runTerminalChat } from "../src/channels/terminal.js";
import { Conversation } from "../src/core/conversation.js";
import { loadFlows } from "../src/flows/load.js";
import { ROOT, shippedAssistant } from "./helpers.js";
import path from "node:path";

describe("terminal chat", () => {
  it("greets with the menu, answers questions and presses buttons typed as numbers", async () => {
    const assistant = await shippedAssistant();
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const flows = await loadFlows(path.join(ROOT, "flows"), assistant.knowledge);
    const done = runTerminalChat({ conversation: new Conversation({ assistant, flows }), input, output, lang: "lv" });
    input.end("ka sanemt e-rekinu\n4\n/quit\n");
    await done;
    expect(text).toContain("Labdien! Esmu DigiPalīgs.");
    expect(text).toMatch(/📘 E-rēķini/);
    expect(text).toMatch(/\[1\] 👍 Jā\n {2}\[2\] 👎 Nē/);
    expect(text).toMatch(/\[3\] ▶️ Soli pa solim/);
    expect(text).toMatch(/\[4\] ➕ Vairāk/);
    // Pressing 4 shows the whole section, which offers the whole guide.
    expect(text).toMatch(/\[\d\] 📖 Visa instrukcija/);
  });
});
