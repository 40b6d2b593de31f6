/**
 * Telegram's sending limits (src/channels/telegram-limits.ts): a burst of messages to many chats
 * leaves the bot at most 30 a second, one a second per chat and 20 a minute per group, whatever
 * order they come in; other calls are not held.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { telegramLimits } from "../../src/channels/telegram-limits.js";
import { must } from "../support/must.js";

type Prev = Parameters<ReturnType<typeof telegramLimits>>[0];

function recorder(): { prev: Prev; sent: { chat: string; method: string; at: number }[] } {
  const sent: { chat: string; method: string; at: number }[] = [];
  const prev = ((method: string, payload: { chat_id?: number } | undefined) => {
    sent.push({ chat: String(payload?.chat_id), method, at: performance.now() });
    return Promise.resolve({ ok: true, result: true });
  }) as unknown as Prev;
  return { prev, sent };
}

const busiestSecond = (times: readonly number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    const at = must(sorted[i], "a send time");
    while (at - must(sorted[j], "a send time") >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe("Telegram's sending limits", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends a burst of 500 chats × 2 messages at most 30 a second and one a second per chat, each once and in order", async () => {
    const limit = telegramLimits();
    const { prev, sent } = recorder();
    const calls: Promise<unknown>[] = [];
    for (let round = 0; round < 2; round++) {
      for (let chat = 1; chat <= 500; chat++) calls.push(limit(prev, "sendMessage", { chat_id: chat, text: `m${round}` }));
    }
    const all = Promise.all(calls);
    await vi.runAllTimersAsync();
    await all;
    expect(sent).toHaveLength(1000);
    expect(busiestSecond(sent.map((s) => s.at))).toBeLessThanOrEqual(30);
    const byChat = new Map<string, number[]>();
    for (const s of sent) byChat.set(s.chat, [...(byChat.get(s.chat) ?? []), s.at]);
    for (const times of byChat.values()) {
      expect(times).toHaveLength(2);
      const [first, second] = times;
      expect(must(second, "the second send") - must(first, "the first send")).toBeGreaterThanOrEqual(1000);
    }
    // Not slower than needed: 1,000 messages at about 24 a second.
    expect(Math.max(...sent.map((s) => s.at)) - Math.min(...sent.map((s) => s.at))).toBeLessThan(45_000);
  });

  it("keeps a group to 20 messages a minute", async () => {
    const limit = telegramLimits();
    const { prev, sent } = recorder();
    const calls = Array.from({ length: 25 }, (_, i) => limit(prev, "sendMessage", { chat_id: -100123, text: `g${i}` }));
    const all = Promise.all(calls);
    await vi.runAllTimersAsync();
    await all;
    const times = sent.map((s) => s.at);
    const first = must(times[0], "the first send");
    const inFirstMinute = times.filter((t) => t - first < 60_000).length;
    expect(inFirstMinute).toBeLessThanOrEqual(20);
  });

  it("does not hold chat actions, edits or calls without a chat", async () => {
    const limit = telegramLimits();
    const { prev, sent } = recorder();
    await limit(prev, "sendMessage", { chat_id: 1, text: "a" });
    await limit(prev, "sendChatAction", { chat_id: 1, action: "typing" } as never);
    await limit(prev, "editMessageReplyMarkup", { chat_id: 1, message_id: 1 });
    await limit(prev, "getMe", undefined as never);
    expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendChatAction", "editMessageReplyMarkup", "getMe"]);
    expect(new Set(sent.map((s) => s.at)).size).toBe(1);
  });
});
