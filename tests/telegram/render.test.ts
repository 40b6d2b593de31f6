import { describe, expect, it } from "vitest";
import { renderForTelegram, TELEGRAM_TEXT_LIMIT } from "../../src/channels/telegram.js";
import { listenButton } from "../../src/voice/telegram-voice.js";

const keys = (m: ReturnType<typeof renderForTelegram>[number] | undefined): string[] =>
  m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard.flat().map((b) => b.text) : [];

describe("renderForTelegram", () => {
  const long = Array.from({ length: 120 }, (_, i) => `${i + 1}. Solis ar paskaidrojumu, kas ir pietiekami garš, lai atbilde neietilptu vienā ziņā.`).join("\n\n");

  it("puts 🔊 under every piece of a reply too long for one message, and the other buttons under the last", () => {
    const reply = { text: long, buttons: [{ id: "menu", label: "🏠 Galvenā izvēlne" }, listenButton("lv")], listen: true };
    const messages = renderForTelegram(reply);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    for (const m of messages.slice(0, -1)) expect(keys(m)).toEqual(["🔊 Noklausīties"]);
    expect(keys(messages.at(-1))).toEqual(["🏠 Galvenā izvēlne", "🔊 Noklausīties"]);
  });

  it("leaves the earlier pieces without buttons when the reply has no 🔊", () => {
    const messages = renderForTelegram({ text: long, buttons: [{ id: "menu", label: "🏠 Galvenā izvēlne" }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages.slice(0, -1)) expect(m.reply_markup).toBeUndefined();
    expect(keys(messages.at(-1))).toEqual(["🏠 Galvenā izvēlne"]);
  });
});
