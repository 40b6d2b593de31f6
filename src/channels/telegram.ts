/**
 * The Telegram channel (grammY). It only translates: an update becomes an {@link Input}, the
 * conversation service decides, and replies become HTML-escaped messages with inline buttons and
 * a persistent reply keyboard. Long polling by default (grammY runner, per-chat sequential);
 * webhook mode with Telegram's secret-token header when a public URL is configured.
 * @module
 */
import { createHash } from "node:crypto";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Api, Bot, GrammyError, HttpError, webhookCallback, type ApiClientOptions, type Context, type Transformer } from "grammy";
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, Update, UserFromGetMe } from "grammy/types";
import { sanitizeText } from "../core/sanitize.js";
import { isLang, type Button, type Input, type Lang, type MediaKind, type Reply } from "../core/types.js";
import type { Logger } from "../log.js";
import type { ConversationService } from "../service/conversations.js";
import { DeliveryRefusedError, RequestError } from "../core/errors.js";
import type { Resident } from "../store/conversation-store.js";
import { isConnectionError } from "../store/database.js";
import { hearTelegram, LISTEN_BUTTON_ID, speakTelegram, telegramFileType, withListenButton } from "../voice/telegram-voice.js";
import type { Voice } from "../voice/voice.js";
import { botApiFetch, directJsonCalls } from "./telegram-fetch.js";
import { labelLength } from "../core/text-match.js";
import { telegramLimits } from "./telegram-limits.js";

/** Telegram's limit for one message, after entities are parsed. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit for a button's callback data, in bytes. */
const CALLBACK_DATA_LIMIT = 64;
/** Telegram's Bot API, unless another server is configured. */
const DEFAULT_API_ROOT = "https://api.telegram.org";
/** The updates the bot asks for. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/**
 * How long one update may take, all retries included (waiting for the database, resending to
 * Telegram after 429/5xx/network errors): well within Telegram's webhook timeout. Replies that
 * could not be sent by then wait in the outbox and go out, in order, when Telegram is back.
 */
export const UPDATE_BUDGET_MS = 25_000;
/** Part of the budget kept for sending after waiting for the database. */
const SEND_RESERVE_MS = 8_000;

/** Said when the database stayed away for the whole budget (long polling; a webhook gets a 503 and Telegram retries). */
const SEND_AGAIN: Readonly<Record<Lang, string>> = {
  lv: "Atvainojiet, šobrīd ir tehniski traucējumi, un Jūsu ziņu neizdevās saglabāt. Lūdzu, nosūtiet to vēlreiz pēc dažām minūtēm.",
  ru: "Извините, сейчас технические неполадки, и Ваше сообщение не удалось сохранить. Пожалуйста, отправьте его ещё раз через несколько минут.",
  en: "Sorry, we have a technical problem right now and could not save your message. Please send it again in a few minutes.",
};

/**
 * An API transformer that retries 429 (after `retry_after`), 5xx and network errors with backoff
 * until `deadline()`; then the last error stands. grammY's auto-retry has no overall budget.
 */
export function retryUntil(deadline: () => number): Transformer {
  return async (prev, method, payload, signal) => {
    let delay = 500;
    for (;;) {
      let wait: number | undefined;
      try {
        const result = await prev(method, payload, signal);
        if (result.ok) return result;
        const retryAfter = result.parameters?.retry_after;
        wait = typeof retryAfter === "number" ? retryAfter * 1000 : result.error_code >= 500 ? delay : undefined;
        if (wait === undefined || Date.now() + wait > deadline()) return result;
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || Date.now() + delay > deadline()) throw error;
        wait = delay;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, 8000);
    }
  };
}

/** A refusal that no retry changes (blocked bot, unknown chat, a malformed request). */
function isPermanent(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
}

/** Options for {@link createTelegramChannel}. */
export interface TelegramOptions {
  readonly token: string;
  readonly service: ConversationService;
  readonly log: Logger;
  /** Another Bot API server (self-hosted, or a local fake in tests). */
  readonly apiRoot?: string;
  /** Public HTTPS URL of the webhook; long polling when absent. */
  readonly webhookUrl?: string;
  /** Secret for Telegram's `X-Telegram-Bot-Api-Secret-Token` header; derived from the token when absent. */
  readonly webhookSecret?: string;
  /** Outgoing throttling (on in production; off in tests, where it only adds latency). */
  readonly throttle?: boolean;
  /** Known bot info, to skip `getMe` (tests). */
  readonly botInfo?: UserFromGetMe;
  /** How long one update may take, retries included. @default {@link UPDATE_BUDGET_MS} */
  readonly retryBudgetMs?: number;
  /** Speech: voice notes transcribed, answers spoken (src/voice). */
  readonly voice?: Voice;
}

/** A running Telegram channel. */
export interface TelegramChannel {
  readonly bot: Bot;
  readonly mode: "polling" | "webhook";
  /** The webhook handler for the HTTP server (webhook mode only). */
  readonly webhook?: (request: Request) => Promise<Response>;
  /** Downloads a file a resident sent (for staff). */
  download(fileId: string): Promise<{ bytes: Uint8Array; contentType: string }>;
  /** Starts receiving updates (polling) or registers the webhook. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How every API object of the channel talks to the Bot API (see telegram-fetch.ts). */
function apiClient(apiRoot: string | undefined): ApiClientOptions {
  // grammY types `fetch` with node-fetch's signature, which this project does not install (the
  // type resolves to nothing usable); botApiFetch implements the part grammY calls (telegram-fetch.ts).
  return { ...(apiRoot ? { apiRoot } : {}), fetch: botApiFetch as never };
}

/** A Bot API object of the channel: JSON calls sent directly (the innermost transformer), uploads by grammY. */
function channelApi(token: string, apiRoot: string | undefined): Api {
  const api = new Api(token, apiClient(apiRoot));
  api.config.use(directJsonCalls(apiRoot ?? DEFAULT_API_ROOT, token));
  return api;
}

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Splits plain text into pieces whose escaped form fits one Telegram message, preferring
 * paragraph, then line, then word boundaries.
 */
export function splitForTelegram(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const fits = (s: string): boolean => escapeHtml(s).length <= limit;
  if (fits(text)) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (!fits(rest)) {
    let cut = -1;
    for (const sep of ["\n\n", "\n", " "]) {
      let at = rest.lastIndexOf(sep);
      while (at > 0 && !fits(rest.slice(0, at))) at = rest.lastIndexOf(sep, at - 1);
      if (at > 0) {
        cut = at;
        break;
      }
    }
    if (cut <= 0) {
      cut = Math.max(1, Math.floor(limit / 5));
      while (cut < rest.length && fits(rest.slice(0, cut + 1))) cut++;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** One outgoing Telegram message. */
export interface TelegramMessage {
  readonly text: string;
  readonly reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
}

/**
 * Formats a reply: escaped HTML (the guide title in bold), split to fit, buttons on the last
 * piece. When the reply has "🔊", every piece has it: each reads the message it is under.
 */
export function renderForTelegram(reply: Reply, keyboard?: readonly Button[]): TelegramMessage[] {
  // A member of staff's message: their name and centre in bold, the text as a quote (another look than the bot's).
  const author = reply.from ? `<b>${escapeHtml(`👤 ${reply.from.name}${reply.from.centre ? ` · ${reply.from.centre}` : ""}`)}</b>\n` : "";
  const pieces = splitForTelegram(reply.text, TELEGRAM_TEXT_LIMIT - 8 - (reply.from ? author.length + 30 : 0));
  const buttons = reply.buttons.filter((b) => Buffer.byteLength(b.id) <= CALLBACK_DATA_LIMIT);
  const listen = buttons.find((b) => b.id === LISTEN_BUTTON_ID);
  return pieces.map((piece, i) => {
    const escaped = escapeHtml(piece);
    const text = reply.from ? `${i === 0 ? author : ""}<blockquote>${escaped}</blockquote>`
      : i === 0 && piece.startsWith("📘 ") ? escaped.replace(/^([^\n]+)/, "<b>$1</b>") : escaped;
    const last = i === pieces.length - 1;
    if (last && reply.requestContact) {
      return { text, reply_markup: { keyboard: [[{ text: reply.requestContact.label, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true } };
    }
    if (last && buttons.length > 0) return { text, reply_markup: { inline_keyboard: keyboardRows(buttons) } };
    if (!last && listen) return { text, reply_markup: { inline_keyboard: keyboardRows([listen]) } };
    if (last && keyboard && keyboard.length > 0) {
      return { text, reply_markup: replyKeyboard(keyboard) };
    }
    return { text };
  });
}

/**
 * Every Telegram message for a turn's replies, in order. The persistent keyboard rides on the
 * first message without inline buttons; when every reply has inline buttons it comes with a short
 * extra line.
 */
export function planMessages(replies: readonly Reply[], keyboard?: readonly Button[]): (TelegramMessage & { plain?: boolean })[] {
  const out: (TelegramMessage & { plain?: boolean })[] = [];
  let keyboardSent = !keyboard || keyboard.length === 0;
  for (const reply of replies) {
    const wants = !keyboardSent && reply.buttons.length === 0 ? keyboard : undefined;
    for (const message of renderForTelegram(reply, wants)) {
      out.push(message);
      if (message.reply_markup && "keyboard" in message.reply_markup) keyboardSent = true;
    }
  }
  if (!keyboardSent && keyboard && out.length > 0) out.push({ text: "⬇️", reply_markup: replyKeyboard(keyboard), plain: true });
  return out;
}

/** One button per row (big targets), except short inline answers side by side. */
export function keyboardRows(buttons: readonly Button[]): { text: string; callback_data: string }[][] {
  const rows: { text: string; callback_data: string }[][] = [];
  let previousInline = false;
  for (const b of buttons) {
    const key = { text: b.label, callback_data: b.id };
    const row = rows[rows.length - 1];
    // Up to three short answers side by side; up to five digits (a 1–5 rating).
    const capacity = labelLength(b.label) <= 2 ? 5 : 3;
    if (b.inline && previousInline && row && row.length < capacity) row.push(key);
    else rows.push([key]);
    previousInline = b.inline === true;
  }
  return rows;
}

/** The persistent keyboard with the main actions, two per row. */
export function replyKeyboard(actions: readonly Button[]): ReplyKeyboardMarkup {
  const rows: { text: string }[][] = [];
  for (let i = 0; i < actions.length; i += 2) rows.push(actions.slice(i, i + 2).map((a) => ({ text: a.label })));
  return { keyboard: rows, resize_keyboard: true, is_persistent: true };
}

/** Translates an update into the channel-neutral input, or undefined for updates we ignore. */
export function toInput(update: Update): Input | undefined {
  if (update.callback_query) {
    const data = update.callback_query.data;
    return data !== undefined ? { kind: "button", id: sanitizeText(data) } : { kind: "media", media: "other" };
  }
  const message = update.message ?? update.edited_message;
  if (!message) return undefined;
  const edited = update.edited_message !== undefined;
  if (typeof message.text === "string") {
    const [, name, arg] = !edited && message.entities?.[0]?.type === "bot_command" && message.entities[0].offset === 0
      ? /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]+))?$/.exec(message.text) ?? [] : [];
    if (name) return { kind: "command", name: name.toLowerCase(), ...(arg ? { arg: sanitizeText(arg.trim()) } : {}) };
    return { kind: "text", text: sanitizeText(message.text), ...(edited ? { edited: true } : {}) };
  }
  if (message.contact) {
    // Only the resident's own number (the share-contact button), not someone else's card.
    const own = message.contact.user_id !== undefined && message.contact.user_id === message.from.id;
    return own ? { kind: "contact", phone: sanitizeText(message.contact.phone_number) } : { kind: "media", media: "contact" };
  }
  const media: MediaKind = message.voice || message.video_note ? "voice"
    : message.audio ? "audio"
      : message.video || message.animation ? "video"
        : message.photo ? "photo"
          : message.sticker ? "sticker"
            : message.document ? "document"
              : message.location || message.venue ? "location" : "other";
  if (media === "other" && !message.poll && !message.dice && !message.game) {
    // Service messages (a member joined, a pinned message…) are not addressed to the bot.
    const service = message.new_chat_members ?? message.left_chat_member ?? message.pinned_message ?? message.new_chat_title;
    if (service) return undefined;
  }
  // Photos and documents can be fetched again by staff (the largest photo size).
  const photo = message.photo?.[message.photo.length - 1];
  const fileId = photo?.file_id ?? message.document?.file_id ?? message.voice?.file_id ?? message.audio?.file_id;
  const name = message.document?.file_name === undefined ? undefined : sanitizeText(message.document.file_name);
  return fileId ? { kind: "media", media, file: { channel: "telegram", id: fileId, ...(name ? { name } : {}) } } : { kind: "media", media };
}

/** A webhook secret derived from the bot token: stable across instances, unguessable without it. */
export function deriveWebhookSecret(token: string): string {
  return createHash("sha256").update(`digipaligs-webhook:${token}`).digest("hex").slice(0, 48);
}

const COMMAND_TEXTS = {
  lv: { start: "Sākt", menu: "Galvenā izvēlne", language: "Mainīt valodu", help: "Kā lietot", person: "Runāt ar cilvēku", forget: "Dzēst manus datus" },
  ru: { start: "Начать", menu: "Главное меню", language: "Сменить язык", help: "Как пользоваться", person: "Поговорить с человеком", forget: "Удалить мои данные" },
  en: { start: "Start", menu: "Main menu", language: "Change the language", help: "How to use", person: "Talk to a person", forget: "Delete my data" },
} as const;

/** Creates the Telegram channel over the conversation service. */
export function createTelegramChannel(options: TelegramOptions): TelegramChannel {
  const { service, log } = options;
  const budgetMs = options.retryBudgetMs ?? UPDATE_BUDGET_MS;
  const reserveMs = Math.min(SEND_RESERVE_MS, budgetMs / 3);
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: apiClient(options.apiRoot),
  });
  // Installed first, so it stays the innermost transformer of every update's API object too.
  bot.api.config.use(directJsonCalls(options.apiRoot ?? DEFAULT_API_ROOT, options.token));
  // Each update gets its retry budget below (a transformer on its own API object); the runner
  // retries getUpdates itself, and the start retries its calls with startCall().
  // One set of limits for both API objects: together they stay within Telegram's.
  const limits = options.throttle !== false ? telegramLimits() : undefined;
  if (limits) bot.api.config.use(limits);

  // Messages sent outside a turn come from the outbox, which retries with its own persistent
  // backoff: they use an API client without auto-retry, so a long outage does not hold them.
  const deliveryApi = channelApi(options.token, options.apiRoot);
  if (limits) deliveryApi.config.use(limits);

  const sendOne = async (api: Api, chatId: number | string, message: TelegramMessage & { plain?: boolean }): Promise<void> => {
    await api.sendMessage(chatId, message.text, {
      ...(message.plain ? {} : { parse_mode: "HTML" as const }),
      link_preview_options: { is_disabled: true },
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
  };

  /**
   * Sends a turn's replies in order; returns the replies not sent (from the first that failed),
   * or none. A permanent refusal (the resident blocked the bot) ends the sending.
   */
  const sendTurn = async (api: Api, chatId: number, replies: readonly Reply[], keyboard?: readonly Button[], lang: Lang = "lv"): Promise<readonly Reply[]> => {
    let keyboardSent = !keyboard || keyboard.length === 0;
    for (const [i, next] of replies.entries()) {
      const reply = withListenButton(next, options.voice, lang);
      const wants = !keyboardSent && reply.buttons.length === 0 ? keyboard : undefined;
      const messages = renderForTelegram(reply, wants);
      try {
        for (const message of messages) {
          await sendOne(api, chatId, message);
          if (message.reply_markup && "keyboard" in message.reply_markup) keyboardSent = true;
        }
      } catch (error) {
        if (isPermanent(error)) {
          log.warn("Telegram refused a reply for good", { code: error.error_code, description: error.description });
          return [];
        }
        log.warn("could not send a reply in time; it waits in the outbox", { error });
        return replies.slice(i);
      }
    }
    if (!keyboardSent && keyboard && replies.length > 0) {
      await sendOne(api, chatId, { text: "⬇️", reply_markup: replyKeyboard(keyboard), plain: true }).catch((error: unknown) => log.debug("keyboard line not sent", { error }));
    }
    return [];
  };

  /** Messages from the outbox (one reply each): a permanent refusal becomes a dead letter. */
  const deliver = async (chatId: string, replies: readonly Reply[]): Promise<void> => {
    try {
      for (const message of planMessages(replies)) await sendOne(deliveryApi, chatId, message);
    } catch (error) {
      if (isPermanent(error)) throw new DeliveryRefusedError(`Telegram: ${error.description}`, { cause: error });
      throw error;
    }
  };

  /**
   * After a press, the pressed message keeps only the chosen button (marked ✔️), so the chat reads
   * as a clean history rather than a wall of identical buttons. The button still works (it does
   * what it did). A failure here only costs the looks.
   */
  const markPressed = async (ctx: Context): Promise<void> => {
    const query = ctx.callbackQuery;
    const message = query?.message;
    const markup = message && "reply_markup" in message ? message.reply_markup : undefined;
    const keys = markup?.inline_keyboard.flat() ?? [];
    const pressed = keys.find((b) => "callback_data" in b && b.callback_data === query?.data);
    if (!message || !pressed || !query.data) return;
    const chosen = pressed.text.startsWith("✔️ ") ? pressed.text : `✔️ ${pressed.text}`;
    if (keys.length === 1 && pressed.text === chosen) return;
    try {
      await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id, { reply_markup: { inline_keyboard: [[{ text: chosen, callback_data: query.data }]] } });
    } catch (error) {
      log.debug("could not mark the pressed button", { error });
    }
  };

  /** The turn, waiting for the database while it is away (a restart), within the budget. */
  const handleTurn = async (chatId: string, input: Input, ctx: Context, deadline: number) => {
    for (let delay = 250; ; delay = Math.min(delay * 2, 4000)) {
      try {
        return await service.handle("telegram", chatId, input, {
          updateId: String(ctx.update.update_id),
          ...(ctx.from?.language_code ? { langHint: ctx.from.language_code } : {}),
        });
      } catch (error) {
        if (!isConnectionError(error) || Date.now() + delay > deadline - reserveMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.on("callback_query", async (ctx, next) => {
    // Stop the button's spinner at once; the answer follows as a message.
    await ctx.answerCallbackQuery().catch((error: unknown) => log.warn("answerCallbackQuery failed", { error }));
    const spoken = ctx.callbackQuery.message;
    if (ctx.callbackQuery.data === LISTEN_BUTTON_ID && options.voice && spoken) {
      // "🔊": the message the button is on, as speech; not a turn.
      const lang = await service.languageOf("telegram", String(spoken.chat.id)) ?? "lv";
      await speakTelegram(options.voice, ctx.api, spoken.chat.id, ("text" in spoken ? spoken.text : undefined) ?? "", lang, log);
      return;
    }
    await next();
  });
  bot.use(async (ctx) => {
    const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
    if (chat?.type !== "private") return;
    let input = toInput(ctx.update);
    if (!input) return;
    if (options.voice) {
      // Listening takes a moment: show "typing…" meanwhile.
      if (options.voice.canListen && input.kind === "media" && (input.media === "voice" || input.media === "audio")) void ctx.api.sendChatAction(chat.id, "typing").catch(() => undefined);
      const hint = ctx.from?.language_code?.slice(0, 2);
      const lang = await service.languageOf("telegram", String(chat.id)) ?? (isLang(hint) ? hint : undefined);
      input = await hearTelegram(options.voice, ctx.message, input, lang, download) ?? input;
    }
    const deadline = Date.now() + budgetMs;
    ctx.api.config.use(retryUntil(() => deadline));
    let turn;
    try {
      turn = await handleTurn(String(chat.id), input, ctx, deadline);
    } catch (error) {
      if (error instanceof RequestError && error.code === "bad_request" && input.kind === "button") {
        // A forged button: answer as to any button we do not know.
        input = { kind: "button", id: "unknown" };
        turn = await handleTurn(String(chat.id), input, ctx, deadline);
      } else if (isConnectionError(error) && options.webhookUrl === undefined) {
        // Long polling: Telegram will not send this update again, so say what happened.
        const hint = ctx.from?.language_code?.slice(0, 2);
        log.warn("database unreachable for the whole update budget; the resident was asked to send again", { update: ctx.update.update_id });
        await sendOne(ctx.api, chat.id, { text: escapeHtml(SEND_AGAIN[isLang(hint) ? hint : "lv"]) });
        return;
      } else {
        // Webhook: the error answers 503 and Telegram delivers the update again.
        throw error;
      }
    }
    if (turn.duplicate) {
      log.debug("redelivered update ignored", { update: ctx.update.update_id });
      return;
    }
    if (ctx.callbackQuery) await markPressed(ctx);
    if (service.hasQueuedReplies(turn.residentId)) {
      // Earlier replies still wait in the outbox: these go after them, never before.
      await service.queueReplies(turn.residentId, turn.replies);
      return;
    }
    const unsent = await sendTurn(ctx.api, chat.id, turn.replies, turn.mainActions, turn.lang);
    if (unsent.length > 0) await service.queueReplies(turn.residentId, unsent);
  });
  bot.catch((err) => {
    const error = err.error;
    if (error instanceof GrammyError) log.error("Telegram refused a request", { method: error.method, code: error.error_code, description: error.description });
    else if (error instanceof HttpError) log.error("network error talking to Telegram", { error: error.error });
    else log.error("update failed", { error });
  });

  service.registerChannel("telegram", {
    deliver: (resident: Resident, replies: readonly Reply[]) => deliver(resident.chatId, replies),
  });

  /** A call at start (getMe, webhook, commands) with the same budget as an update. */
  const startCall = async <T>(call: (api: Api) => Promise<T>): Promise<T> => {
    const deadline = Date.now() + budgetMs;
    const api = channelApi(options.token, options.apiRoot);
    api.config.use(retryUntil(() => deadline));
    return call(api);
  };

  const setCommands = async (): Promise<void> => {
    try {
      for (const lang of ["lv", "ru", "en"] as const) {
        const commands = Object.entries(COMMAND_TEXTS[lang]).map(([command, description]) => ({ command, description }));
        await startCall((api) => api.setMyCommands(commands, lang === "lv" ? {} : { language_code: lang }));
      }
    } catch (error) {
      log.warn("could not set the bot's command list", { error });
    }
  };

  const apiRoot = (options.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, "");
  const download = async (fileId: string): Promise<{ bytes: Uint8Array; contentType: string }> => {
    const file = await deliveryApi.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no file path");
    const response = await fetch(`${apiRoot}/file/bot${options.token}/${file.file_path}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`Telegram file download failed with HTTP ${response.status}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: telegramFileType(file.file_path) };
  };

  const { webhookUrl } = options;
  if (webhookUrl) {
    const secret = options.webhookSecret ?? deriveWebhookSecret(options.token);
    const handler = webhookCallback(bot, "std/http", { secretToken: secret, onTimeout: "return", timeoutMilliseconds: 55_000 });
    return {
      bot,
      mode: "webhook",
      download,
      webhook: (request: Request) => handler(request),
      start: async () => {
        if (!options.botInfo) bot.botInfo = await startCall((api) => api.getMe());
        await startCall((api) => api.setWebhook(webhookUrl, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }));
        await setCommands();
      },
      stop: () => Promise.resolve(),
    };
  }

  let runner: RunnerHandle | undefined;
  return {
    bot,
    mode: "polling",
    download,
    start: async () => {
      if (!options.botInfo) bot.botInfo = await startCall((api) => api.getMe());
      await startCall((api) => api.deleteWebhook());
      await setCommands();
      // Polling never gives up on a long outage (the runner's default stops after 15 hours).
      runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, maxRetryTime: Number.MAX_SAFE_INTEGER, retryInterval: "exponential" } });
      void runner.task()?.catch((error: unknown) => log.error("Telegram polling stopped", { error }));
    },
    stop: async () => {
      if (runner?.isRunning()) await runner.stop();
    },
  };
}
