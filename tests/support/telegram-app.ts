/**
 * One fixture for the Telegram suites: a fake Bot API server and the app polling it (or taking
 * its webhook), started in `beforeAll` and closed in `afterAll`, and the steps a resident takes
 * in a chat (send, press a button) that wait for the bot's answer.
 *
 * ```ts
 * const telegram = telegramSuite({ app: { env: { STT_BASE_URL: speech.url } } });
 * it("…", async () => {
 *   const [reply] = await say(telegram.fake(), 101, "/start", 2);
 * });
 * ```
 * @module
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll } from "vitest";
import { startTestApp, type TestAppOptions } from "./app.js";
import { FakeTelegram, type BotMessage } from "./fake-telegram.js";
import { freePort } from "./ports.js";

/** The started test app. */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** What `startTestApp` needs to run Telegram against `fake` (`webhookUrl` for webhook mode). */
export function telegramOptions(fake: FakeTelegram, webhookUrl?: string): NonNullable<TestAppOptions["telegram"]> {
  return { apiRoot: fake.apiRoot, token: fake.token, botInfo: fake.botInfo, ...(webhookUrl ? { webhookUrl } : {}) };
}

/** Options for {@link telegramSuite}. */
export interface TelegramSuiteOptions {
  /** How the app starts besides Telegram (or a function giving that once `beforeAll` runs). */
  readonly app?: Omit<TestAppOptions, "telegram"> | (() => Promise<Omit<TestAppOptions, "telegram">>);
  /** Webhook mode: the app listens on a port of its own, and Telegram posts to it. */
  readonly webhook?: boolean;
  /** Runs after the app and the fake closed. */
  readonly teardown?: () => Promise<unknown>;
}

/** A fake Bot API and the app that talks to it, for one test file or `describe`. */
export interface TelegramSuite {
  readonly fake: () => FakeTelegram;
  readonly app: () => TestApp;
  /** The app's port (webhook mode). */
  readonly port: () => number;
}

/** Registers `beforeAll`/`afterAll` that start and close the fake Bot API and the app. */
export function telegramSuite(options: TelegramSuiteOptions = {}): TelegramSuite {
  let fake: FakeTelegram | undefined;
  let app: TestApp | undefined;
  let port: number | undefined;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const appOptions = typeof options.app === "function" ? await options.app() : (options.app ?? {});
    if (options.webhook) port = await freePort();
    app = await startTestApp({
      ...appOptions,
      telegram: telegramOptions(fake, port === undefined ? undefined : `http://127.0.0.1:${port}/telegram/webhook`),
      ...(port === undefined ? {} : { env: { ...appOptions.env, PORT: String(port) } }),
    });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await options.teardown?.();
  });
  return {
    fake: () => {
      if (!fake) throw new Error("the fake Bot API did not start");
      return fake;
    },
    app: () => {
      if (!app) throw new Error("the test app did not start");
      return app;
    },
    port: () => {
      if (port === undefined) throw new Error("the app has no port of its own (not in webhook mode)");
      return port;
    },
  };
}

/** The inline buttons of a bot message, row by row flattened. */
export function inline(message: BotMessage | undefined): InlineKeyboardButton.CallbackButton[] {
  return ((message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat() as InlineKeyboardButton.CallbackButton[];
}

/** The labels of a bot message's inline buttons. */
export function labels(message: BotMessage | undefined): string[] {
  return inline(message).map((button) => button.text);
}

/** Does `act` and waits for `count` new bot messages in the chat; returns them. */
export async function answersTo(fake: FakeTelegram, chatId: number, count: number, act: () => unknown, timeoutMs?: number): Promise<BotMessage[]> {
  const before = fake.messages(chatId).length;
  await act();
  return (await fake.waitForMessages(chatId, before + count, timeoutMs)).slice(before);
}

/** Sends `text` as the resident and waits for `count` answers. */
export function say(fake: FakeTelegram, chatId: number, text: string, count = 1): Promise<BotMessage[]> {
  return answersTo(fake, chatId, count, () => fake.sendText(chatId, text));
}

/** Presses the button whose label matches, on the newest message that has it; waits for `count` answers. */
export function press(fake: FakeTelegram, chatId: number, label: RegExp, count = 1): Promise<BotMessage[]> {
  const messages = fake.messages(chatId);
  const message = [...messages].reverse().find((m) => inline(m).some((b) => label.test(b.text)));
  const button = inline(message).find((b) => label.test(b.text));
  if (!message || !button) throw new Error(`no button ${String(label)} in chat ${chatId}; last: ${messages.at(-1)?.plainText ?? "none"}`);
  return answersTo(fake, chatId, count, () => fake.pressButton(chatId, message.message_id, button.callback_data));
}
