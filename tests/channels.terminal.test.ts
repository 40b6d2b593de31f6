import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { runTerminalChat } from "../src/channels/terminal.js";
import { shippedAssistant } from "./helpers.js";

describe("terminal chat", () => {
  it("answers questions and presses buttons typed as numbers", async () => {
    const assistant = await shippedAssistant();
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const done = runTerminalChat({ assistant, input, output, lang: "lv" });
    input.end("ka sanemt e-rekinu\n1\n/quit\n");
    await done;
    expect(text).toContain("Labdien! Esmu DigiPalīgs.");
    expect(text).toMatch(/📘 E-rēķini/);
    expect(text).toMatch(/\[1\] 📖 Visa instrukcija/);
    // Pressing 1 shows the whole guide, which ends with the main-menu button.
    expect(text).toMatch(/\[\d\] 🏠 Galvenā izvēlne/);
  });
});
