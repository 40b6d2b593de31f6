/**
 * Telegram's sending limits as a grammY API transformer: about 30 messages per second per bot,
 * one per second per private chat, 20 per minute per group. One instance is shared by every API
 * object of the bot (turn replies and outbox deliveries), so that together they stay within them.
 *
 * Unlike a chain of rate limiters (per chat, then global), the gap per chat is measured at the
 * moment a message gets its global slot: a message that waited behind a burst of others still
 * leaves a second to the next one of its chat. Global slots are evenly spaced, so no second
 * (however it is cut) holds more than the global rate.
 * @module
 */
import type { Transformer } from "grammy";

/**
 * Limits; the defaults stay a little under Telegram's published ones (about 30 a second, one a
 * second per chat, 20 a minute per group), because messages sent evenly still arrive bunched by
 * the network: in bench/telegram-burst.ts, 29 sent a second arrived as up to 33 in one second.
 */
export interface TelegramLimitOptions {
  /** Messages per second for the whole bot (default 25). */
  readonly perSecond?: number;
  /** Least time between two messages to one private chat (default 1100 ms). */
  readonly chatGapMs?: number;
  /** Least time between two messages to one group (default 3100 ms: under 20 a minute). */
  readonly groupGapMs?: number;
}

/** Methods that put a message into a chat (chat actions and edits are not limited). */
const SENDS = /^(?:send(?!ChatAction)\w*|copyMessages?|forwardMessages?)$/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface ChatState {
  /** The previous message of this chat, once it has its slot. */
  tail: Promise<void>;
  /** When the previous message got its slot. */
  last: number;
  pending: number;
}

/** A transformer that holds each sending call until Telegram's limits allow it. */
export function telegramLimits(options: TelegramLimitOptions = {}): Transformer {
  // One millisecond more than the even spacing: a window of exactly one second never holds more.
  const spacing = 1000 / (options.perSecond ?? 25) + 1;
  const chatGap = options.chatGapMs ?? 1100;
  const groupGap = options.groupGapMs ?? 3100;
  let nextSlot = 0;
  const chats = new Map<string, ChatState>();

  const globalSlot = async (): Promise<void> => {
    const now = performance.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + spacing;
    if (at > now) await sleep(at - now);
  };

  return async (prev, method, payload, signal) => {
    const chatId = typeof payload === "object" && "chat_id" in payload ? String((payload as { chat_id: unknown }).chat_id) : undefined;
    if (chatId === undefined || !SENDS.test(method)) return prev(method, payload, signal);
    const gap = chatId.startsWith("-") ? groupGap : chatGap;
    const chat = chats.get(chatId) ?? { tail: Promise.resolve(), last: Number.NEGATIVE_INFINITY, pending: 0 };
    chats.set(chatId, chat);
    chat.pending++;
    const turn = chat.tail.then(async () => {
      const wait = chat.last + gap - performance.now();
      if (wait > 0) await sleep(wait);
      await globalSlot();
      chat.last = performance.now();
    });
    chat.tail = turn;
    try {
      await turn;
      return await prev(method, payload, signal);
    } finally {
      chat.pending--;
      // Forget an idle chat once its gap has passed (nothing is left to wait for).
      if (chat.pending === 0) {
        setTimeout(() => {
          if (chat.pending === 0 && chats.get(chatId) === chat) chats.delete(chatId);
        }, gap).unref();
      }
    }
  };
}
