/**
 * A local, in-process fake of the Telegram Bot API for tests and benchmarks.
 *
 * It listens on 127.0.0.1 (a random free port) and speaks enough of the Bot API
 * for grammY and @grammyjs/runner to run unmodified against it:
 *
 * - real long polling: `getUpdates` honours `offset`, `limit` and `timeout`,
 *   holds the request open and wakes it as soon as an update is queued;
 * - webhook delivery with the secret header, per-chat ordering and retries;
 * - Bot API error shapes (`{ ok: false, error_code, description, parameters }`)
 *   with the HTTP status set to the error code, as Telegram does;
 * - HTML / MarkdownV2 / Markdown entity parsing, so formatting mistakes fail
 *   here with Telegram's "can't parse entities" errors instead of in production;
 * - fault injection (`failNext`, and `startOutage`/`endOutage` for outages of any length) for 429/5xx handling;
 * - a test-side API that plays the users (`sendText`, `pressButton`, ...) and
 *   observes what the bot did (`messages`, `waitForMessages`, `calls`, ...).
 *
 * No dependencies beyond node:http. Not a security boundary: loopback only.
 *
 * @example
 * const fake = await FakeTelegram.start();
 * const bot = new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
 * bot.command("start", (ctx) => ctx.reply("Sveiki!"));
 * void bot.start();
 * fake.sendText(42, "/start");
 * const [reply] = await fake.waitForMessages(42, 1);
 * await bot.stop();
 * await fake.close();
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type {
  BotCommand,
  Chat,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
  UserFromGetMe,
  WebhookInfo,
} from "grammy/types";
import { must } from "./must.js";

// ---------------------------------------------------------------------------
// Public types

/** Options for {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  /** Bot token; the part before ":" becomes the bot's user id. Defaults to a fixed test token. */
  token?: string;
  /** Overrides for the bot's `getMe` answer. */
  botInfo?: Partial<UserFromGetMe>;
  /**
   * HTML parse mode: treat a bare `&` that does not start `&lt;`, `&gt;`, `&amp;`,
   * `&quot;` or a numeric entity as an error (default `true`). Telegram itself
   * keeps such an `&` literally, but its docs require escaping it, and text like
   * `&nbsp;` would show up verbatim in the chat, so tests are stricter.
   */
  strictHtml?: boolean;
  /** Backoff between webhook retries: starts at `initialMs` (default 25) and doubles up to `maxMs` (default 1000). */
  webhookRetry?: { initialMs?: number; maxMs?: number };
}

/** An error in the Bot API's shape, as given to {@link FakeTelegram.failNext}. */
export interface ApiErrorSpec {
  /** HTTP status and `error_code`, e.g. 429, 400, 500. */
  error_code: number;
  /** e.g. "Too Many Requests: retry after 1". */
  description: string;
  /** Seconds; sent as `parameters.retry_after` (use with 429). */
  retry_after?: number;
}

/** Any reply markup a bot can send. */
export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** A file uploaded with multipart/form-data. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** One Bot API request the fake received. */
export interface RecordedCall {
  /** Method name as the client spelled it, e.g. "sendMessage". */
  method: string;
  /** Parameters (query string + body; JSON-valued fields already parsed). */
  params: Record<string, unknown>;
  /** `Date.now()` when the request was handled. */
  at: number;
  /** Whether the API answered `ok: true`. */
  ok: boolean;
  /** For failures: the Bot API error code. */
  error_code?: number;
  /** For failures: the Bot API error description. */
  description?: string;
  /** True when the failure came from {@link FakeTelegram.failNext}. */
  injected?: boolean;
  /** True when the call arrived as a webhook reply (method in the webhook response body). */
  webhookReply?: boolean;
}

/** A message the bot sent, as the tests see it. Edits update the record in place. */
export interface BotMessage {
  chatId: number;
  message_id: number;
  /** "text" for sendMessage, otherwise the media kind. */
  kind: "text" | "photo" | "document" | "voice";
  /** The text (or caption) exactly as the bot sent it, markup included. */
  text: string;
  /** The text as a user sees it: tags removed, entities decoded, trimmed. */
  plainText: string;
  parse_mode?: string;
  /** Formatting entities Telegram would store (from parse_mode or given explicitly). */
  entities?: MessageEntity[];
  reply_markup?: ReplyMarkup;
  date: number;
  /** How many times the bot edited this message. */
  editCount: number;
  /** True once the bot deleted it. */
  deleted: boolean;
  /** The Message object the API returned to the bot (latest version). */
  message: Message;
}

/** A recorded `answerCallbackQuery`. */
export interface CallbackAnswer {
  callback_query_id: string;
  chatId?: number;
  messageId?: number;
  /** The button's callback_data. */
  data?: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** One attempt to deliver an update to the webhook. */
export interface WebhookDelivery {
  update_id: number;
  url: string;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** HTTP status of the webhook's answer; 0 when the connection failed. */
  status: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  at: number;
}

/** Who a simulated user is; remembered per chat once given. */
export interface UserOptions {
  /** Fields of the sending user (id defaults to the chat id for private chats). */
  from?: Partial<User>;
  /** Shortcut for `from.language_code`. */
  languageCode?: string;
}

/** Listener for {@link FakeTelegram.onMessage}. */
export type MessageListener = (chatId: number, message: BotMessage) => void;

// ---------------------------------------------------------------------------
// Internals

type Params = Record<string, unknown>;

/** A Bot API error raised inside a method handler. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (description: string): ApiError => new ApiError(400, description);

interface QueuedUpdate {
  update: Update;
  json: string;
  /** Insertion order; defines delivery order. */
  seq: number;
  /** Handed to a getUpdates caller at least once. */
  delivered: boolean;
  /** Queued by redeliver(): not confirmed by an offset until delivered again. */
  redelivery: boolean;
}

interface StoredMessage {
  message: Message;
  fromBot: boolean;
  deleted: boolean;
  record?: BotMessage;
}

interface ChatState {
  id: number;
  chat: Chat.PrivateChat | Chat.GroupChat;
  user: User;
  nextMessageId: number;
  botMessages: BotMessage[];
  byId: Map<number, StoredMessage>;
  waiters: Set<MessageWaiter>;
  blocked: boolean;
}

interface MessageWaiter {
  count: number;
  resolve: (messages: BotMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface CallWaiter {
  method: string;
  count: number;
  resolve: (calls: RecordedCall[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Poller {
  res: http.ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
}

interface Webhook {
  url: URL;
  secret?: string;
  maxConnections: number;
  allowedUpdates?: string[];
  generation: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

interface CallbackState {
  chatId: number;
  messageId: number;
  data: string;
  answered: boolean;
}

interface FileEntry {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data: Buffer;
}

interface Formatted {
  text: string;
  entities: MessageEntity[];
}

const DEFAULT_TOKEN = "7000000001:AAFakeTokenForLocalTestsOnly_0123456";
const MAX_BODY = 50 * 1024 * 1024;
const METHOD_NOT_FOUND = "Not Found: method not found";
const QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
/** Fields Telegram accepts as JSON-serialized strings in form/multipart bodies. */
const JSON_FIELDS = [
  "reply_markup",
  "entities",
  "caption_entities",
  "commands",
  "scope",
  "allowed_updates",
  "reply_parameters",
  "link_preview_options",
  "media",
];
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const now = (): number => Math.floor(Date.now() / 1000);

/**
 * A fake Telegram Bot API server on 127.0.0.1. Create it with {@link FakeTelegram.start},
 * point grammY at {@link FakeTelegram.apiRoot}, drive it with the simulated-user methods and
 * observe the bot with {@link FakeTelegram.messages} and friends. Call {@link FakeTelegram.close}
 * when done (after stopping the bot).
 */
export class FakeTelegram {
  /** Base URL to pass to grammY as `client.apiRoot`, e.g. "http://127.0.0.1:40123". */
  readonly apiRoot: string;
  /** The bot token the fake accepts; any other token gets 401. */
  readonly token: string;
  /** The bot's `getMe` answer; pass it as grammY's `botInfo` option to skip `bot.init()`. */
  readonly botInfo: UserFromGetMe;

  private readonly server: http.Server;
  private readonly botUser: User;
  private readonly strictHtml: boolean;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly webhookAgent = new http.Agent({ keepAlive: true });
  private readonly handlers: Map<string, (p: Params) => unknown>;

  private closed = false;
  private nextUpdateId = 10_000_001;
  private nextSeq = 1;
  private nextCallbackId = 1;
  private nextFileId = 1;

  // getUpdates queue: entries [head, queue.length) are pending.
  private queue: QueuedUpdate[] = [];
  private head = 0;
  private poller: Poller | undefined;
  private wakeScheduled = false;

  // Webhook mode: per-chat FIFOs, a min-heap of chats ready to deliver (by seq of their head).
  private webhook: Webhook | undefined;
  private webhookGeneration = 0;
  private whQueues = new Map<string, QueuedUpdate[]>();
  private whHeap: { key: string; seq: number }[] = [];
  private whPending = 0;
  private whActive = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  private chats = new Map<number, ChatState>();
  private recorded: RecordedCall[] = [];
  private answers: CallbackAnswer[] = [];
  private deliveries: WebhookDelivery[] = [];
  private callbacks = new Map<string, CallbackState>();
  private failures = new Map<string, { remaining: number; error: ApiErrorSpec }>();
  private outages: { methods: Set<string> | undefined; error: ApiErrorSpec } | undefined;
  private commands = new Map<string, BotCommand[]>();
  private files = new Map<string, FileEntry>();
  private filesByPath = new Map<string, FileEntry>();
  private callWaiters = new Set<CallWaiter>();
  private readonly listeners = new Set<MessageListener>();

  private constructor(server: http.Server, port: number, opts: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = opts.token ?? DEFAULT_TOKEN;
    const idPart = Number(this.token.split(":")[0]);
    const id = Number.isSafeInteger(idPart) && idPart > 0 ? idPart : 7000000001;
    this.botInfo = {
      id,
      is_bot: true,
      first_name: "DigiPalīgs Test",
      username: "digipaligs_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...opts.botInfo,
    };
    this.botUser = {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
    this.strictHtml = opts.strictHtml ?? true;
    this.retryInitialMs = opts.webhookRetry?.initialMs ?? 25;
    this.retryMaxMs = opts.webhookRetry?.maxMs ?? 1000;
    this.handlers = this.buildHandlers();
  }

  /** Starts a fake on 127.0.0.1 with a random free port. */
  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = http.createServer({ keepAlive: true, requestTimeout: 0 });
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeTelegram(server, port, opts);
    server.on("request", (req, res) => fake.onRequest(req, res));
    return fake;
  }

  /**
   * Stops the server: answers a pending long poll with no updates, stops webhook
   * delivery, rejects pending waits and drops all connections. Stop bots first.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.webhookGeneration++;
    this.webhook = undefined;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    if (this.poller) this.finishPoller(200, '{"ok":true,"result":[]}');
    this.rejectWaiters(new Error("FakeTelegram closed"));
    this.webhookAgent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * Forgets everything recorded and queued: updates, chats and their messages,
   * calls, callback answers, webhook (removed) and its deliveries, commands,
   * files, injected failures and blocks. Pending waits are rejected. Keeps the
   * server, token, listeners, a waiting long poll, and the update_id counter
   * (so a running bot's offset stays valid).
   */
  reset(): void {
    this.queue = [];
    this.head = 0;
    this.clearWebhook();
    this.chats.clear();
    this.recorded = [];
    this.answers = [];
    this.deliveries = [];
    this.callbacks.clear();
    this.failures.clear();
    this.outages = undefined;
    this.commands.clear();
    this.files.clear();
    this.filesByPath.clear();
    this.rejectWaiters(new Error("FakeTelegram reset"));
  }

  // -------------------------------------------------------------------------
  // Fault injection and chat state

  /**
   * Makes the next `count` calls of `method` (case-insensitive; "*" for any method)
   * fail with `error` in Bot API shape; 429s carry `parameters.retry_after`.
   */
  failNext(method: string, count: number, error: ApiErrorSpec): void {
    this.failures.set(method.toLowerCase(), { remaining: count, error });
  }

  /**
   * An outage: until {@link endOutage}, every call of `methods` (all methods when absent,
   * getUpdates included) fails with `error` (default 502 Bad Gateway), however often it is retried.
   */
  startOutage(options: { methods?: readonly string[]; error?: ApiErrorSpec } = {}): void {
    this.outages = {
      methods: options.methods ? new Set(options.methods.map((m) => m.toLowerCase())) : undefined,
      error: options.error ?? { error_code: 502, description: "Bad Gateway" },
    };
  }

  /** Ends the outage started with {@link startOutage}. */
  endOutage(): void {
    this.outages = undefined;
  }

  /** Simulates the user blocking (or unblocking) the bot: sends to the chat get 403. */
  setBlocked(chatId: number, blocked = true): void {
    this.chatFor(chatId).blocked = blocked;
  }

  // -------------------------------------------------------------------------
  // Simulated users: each queues an update and returns it

  /**
   * The user sends a text message. A leading "/command" (optionally "@botname")
   * gets a bot_command entity; http(s) URLs get url entities.
   */
  sendText(chatId: number, text: string, opts?: UserOptions & { replyTo?: number }): Update {
    const entities = userEntities(text);
    const fields: Partial<Message> = { text };
    if (entities.length > 0) fields.entities = entities;
    if (opts?.replyTo !== undefined) {
      const replied = this.chatFor(chatId).byId.get(opts.replyTo);
      if (replied) fields.reply_to_message = { ...replied.message, reply_to_message: undefined };
    }
    return this.userMessage(chatId, fields, opts);
  }

  /**
   * The user presses an inline button under the bot's message `messageId`.
   * Throws if the message is unknown, deleted or has no button with this
   * callback_data (pass `force: true` to send stale or forged data anyway).
   */
  pressButton(chatId: number, messageId: number, data: string, opts?: UserOptions & { force?: boolean }): Update {
    const chat = this.chatFor(chatId);
    const stored = chat.byId.get(messageId);
    if (!stored?.fromBot) throw new Error(`pressButton: chat ${chatId} has no bot message ${messageId}`);
    if (stored.deleted) throw new Error(`pressButton: message ${messageId} in chat ${chatId} was deleted`);
    if (!opts?.force) {
      const buttons = inlineButtons(stored.record?.reply_markup);
      if (!buttons.some((b) => b.callback_data === data)) {
        const have = buttons.map((b) => JSON.stringify(b.callback_data ?? b.text)).join(", ") || "none";
        throw new Error(`pressButton: message ${messageId} in chat ${chatId} has no button with data ${JSON.stringify(data)} (buttons: ${have})`);
      }
    }
    const from = this.userFor(chat, opts);
    const id = String(4_000_000_000_000 + this.nextCallbackId++);
    this.callbacks.set(id, { chatId, messageId, data, answered: false });
    return this.enqueue({
      callback_query: {
        id,
        from,
        message: stored.message,
        chat_instance: String(-chatId * 7 - 1_000_000),
        data,
      },
    });
  }

  /**
   * Presses the inline button labelled `label` on the newest bot message in the
   * chat that has one. Throws if there is none.
   */
  pressButtonByText(chatId: number, label: string, opts?: UserOptions): Update {
    const messages = this.chatFor(chatId).botMessages;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (!m || m.deleted) continue;
      const data = inlineButtons(m.reply_markup).find((b) => b.text === label && b.callback_data !== undefined)?.callback_data;
      if (data !== undefined) return this.pressButton(chatId, m.message_id, data, opts);
    }
    throw new Error(`pressButtonByText: no bot message in chat ${chatId} has a callback button labelled ${JSON.stringify(label)}`);
  }

  /** The user sends a voice message; the bot can fetch it with getFile and download it. */
  sendVoice(chatId: number, opts?: UserOptions & { duration?: number; data?: Uint8Array }): Update {
    const file = this.addFile("voice", "oga", opts?.data);
    return this.userMessage(
      chatId,
      {
        voice: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          duration: opts?.duration ?? 3,
          mime_type: "audio/ogg",
          file_size: file.data.length,
        },
      },
      opts,
    );
  }

  /** The user sends an audio file (a music-player file, not a voice note). */
  sendAudio(chatId: number, opts?: UserOptions & { duration?: number; data?: Uint8Array; fileName?: string; mimeType?: string }): Update {
    const file = this.addFile("music", "mp3", opts?.data);
    return this.userMessage(chatId, {
      audio: {
        file_id: file.file_id, file_unique_id: file.file_unique_id, duration: opts?.duration ?? 3,
        mime_type: opts?.mimeType ?? "audio/mpeg", file_name: opts?.fileName ?? "recording.mp3", file_size: file.data.length,
      },
    }, opts);
  }

  /** The bytes of a file the bot uploaded or a user sent (e.g. a voice message the bot sent). */
  fileData(fileId: string): Buffer | undefined {
    return this.files.get(fileId)?.data;
  }

  /** The user sends a photo (three sizes), optionally with a caption. */
  sendPhoto(chatId: number, caption?: string, opts?: UserOptions & { data?: Uint8Array }): Update {
    const sizes = [90, 320, 800].map((w, i) => {
      const f = this.addFile("photos", "jpg", i === 2 ? opts?.data : undefined);
      return { file_id: f.file_id, file_unique_id: f.file_unique_id, width: w, height: Math.round((w * 3) / 4), file_size: f.data.length };
    });
    const fields: Partial<Message> = { photo: sizes };
    if (caption !== undefined) {
      fields.caption = caption;
      const entities = userEntities(caption);
      if (entities.length > 0) fields.caption_entities = entities;
    }
    return this.userMessage(chatId, fields, opts);
  }

  /** The user sends a sticker. */
  sendSticker(chatId: number, opts?: UserOptions & { emoji?: string }): Update {
    const f = this.addFile("stickers", "webp");
    return this.userMessage(
      chatId,
      {
        sticker: {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: opts?.emoji ?? "👍",
          file_size: f.data.length,
        },
      },
      opts,
    );
  }

  /** The user sends a document (default "document.pdf", application/pdf). */
  sendDocument(
    chatId: number,
    opts?: UserOptions & { fileName?: string; mimeType?: string; caption?: string; data?: Uint8Array },
  ): Update {
    const f = this.addFile("documents", "pdf", opts?.data);
    const fields: Partial<Message> = {
      document: {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_name: opts?.fileName ?? "document.pdf",
        mime_type: opts?.mimeType ?? "application/pdf",
        file_size: f.data.length,
      },
    };
    if (opts?.caption !== undefined) fields.caption = opts.caption;
    return this.userMessage(chatId, fields, opts);
  }

  /** The user shares a location (default: Jelgava). */
  sendLocation(chatId: number, opts?: UserOptions & { latitude?: number; longitude?: number }): Update {
    return this.userMessage(chatId, { location: { latitude: opts?.latitude ?? 56.6511, longitude: opts?.longitude ?? 23.7214 } }, opts);
  }

  /** The user shares a contact; by default their own (user_id set, as with a request_contact button). */
  sendContact(chatId: number, phone: string, opts?: UserOptions & { firstName?: string; userId?: number | null }): Update {
    const chat = this.chatFor(chatId);
    const from = this.userFor(chat, opts);
    const contact: NonNullable<Message["contact"]> = { phone_number: phone, first_name: opts?.firstName ?? from.first_name };
    const userId = opts?.userId === undefined ? from.id : opts.userId;
    if (userId !== null) contact.user_id = userId;
    return this.userMessage(chatId, { contact }, opts);
  }

  /** The user edits their earlier text message `messageId`: queues an edited_message update. */
  editText(chatId: number, messageId: number, newText: string): Update {
    const chat = this.chatFor(chatId);
    const stored = chat.byId.get(messageId);
    if (!stored || stored.fromBot || stored.message.text === undefined) {
      throw new Error(`editText: chat ${chatId} has no user text message ${messageId}`);
    }
    const edited = { ...stored.message, text: newText, edit_date: now() } as Message & Update.Edited & Update.NonChannel;
    const entities = userEntities(newText);
    if (entities.length > 0) edited.entities = entities;
    else delete edited.entities;
    stored.message = edited;
    return this.enqueue({ edited_message: edited });
  }

  /** Queues the very same update again (same update_id), as Telegram does when delivery was not confirmed. */
  redeliver(update: Update): Update {
    this.push(update, true);
    return update;
  }

  /** Queues any other update (e.g. my_chat_member); update_id is assigned. */
  pushUpdate(body: Omit<Update, "update_id">): Update {
    return this.enqueue(body);
  }

  // -------------------------------------------------------------------------
  // Observation

  /** The bot's messages to the chat, oldest first (a snapshot array of live records). */
  messages(chatId: number): BotMessage[] {
    return [...(this.chats.get(chatId)?.botMessages ?? [])];
  }

  /**
   * Resolves with the chat's bot messages once there are at least `count` of them
   * in total (counting those sent before the call). Rejects after `timeoutMs` with
   * an error listing what arrived and recent failed API calls for the chat.
   */
  waitForMessages(chatId: number, count: number, timeoutMs = 5000): Promise<BotMessage[]> {
    const chat = this.chatFor(chatId);
    if (chat.botMessages.length >= count) return Promise.resolve([...chat.botMessages]);
    return new Promise((resolve, reject) => {
      const waiter: MessageWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          chat.waiters.delete(waiter);
          reject(new Error(this.describeTimeout(chat, count, timeoutMs)));
        }, timeoutMs),
      };
      chat.waiters.add(waiter);
    });
  }

  /**
   * Resolves with the recorded calls of `method` once there are at least `count`
   * (failed ones included); rejects after `timeoutMs`.
   */
  waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const have = this.calls(method);
    if (have.length >= count) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const waiter: CallWaiter = {
        method: method.toLowerCase(),
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.callWaiters.delete(waiter);
          reject(new Error(`waitForCalls: expected ${count} ${method} call(s) within ${timeoutMs} ms, got ${this.calls(method).length}`));
        }, timeoutMs),
      };
      this.callWaiters.add(waiter);
    });
  }

  /** Recorded API calls, oldest first; only those of `method` (case-insensitive) if given. */
  calls(method?: string): RecordedCall[] {
    if (method === undefined) return [...this.recorded];
    const m = method.toLowerCase();
    return this.recorded.filter((c) => c.method.toLowerCase() === m);
  }

  /** Successful answerCallbackQuery calls, oldest first. */
  callbackAnswers(): CallbackAnswer[] {
    return [...this.answers];
  }

  /** Webhook delivery attempts, oldest first. */
  webhookDeliveries(): WebhookDelivery[] {
    return [...this.deliveries];
  }

  /** Updates queued and not yet confirmed (getUpdates offset) or acknowledged (webhook 2xx). */
  pendingUpdates(): number {
    return this.queue.length - this.head + this.whPending;
  }

  /** Commands set with setMyCommands for a scope type ("default") and language ("" = all). */
  myCommands(scope = "default", languageCode = ""): BotCommand[] {
    return [...(this.commands.get(`${scope}|${languageCode}`) ?? [])];
  }

  /**
   * Registers a listener called synchronously for every new bot message
   * (sendMessage, sendPhoto, sendDocument), before the API answers the bot.
   * Returns a function that removes it.
   */
  onMessage(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------
  // HTTP

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? "" : url.slice(q + 1);
    if (path.startsWith("/file/bot")) {
      this.serveFile(path, res);
      req.resume();
      return;
    }
    if (!path.startsWith("/bot")) {
      send(res, 404, '{"ok":false,"error_code":404,"description":"Not Found"}');
      req.resume();
      return;
    }
    const slash = path.indexOf("/", 4);
    const token = safeDecode(slash < 0 ? path.slice(4) : path.slice(4, slash));
    const method = slash < 0 ? "" : safeDecode(path.slice(slash + 1));

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) {
        send(res, 413, '{"ok":false,"error_code":413,"description":"Request Entity Too Large"}');
        return;
      }
      let params: Params;
      try {
        params = parseParams(query, req.headers["content-type"], (chunks.length === 1 ? chunks[0] : undefined) ?? Buffer.concat(chunks));
      } catch (error) {
        const e = error instanceof ApiError ? error : bad(`Bad Request: ${(error as Error).message}`);
        this.record(method, {}, e);
        sendError(res, e);
        return;
      }
      this.dispatch(token, method, params, res);
    });
  }

  private dispatch(token: string, method: string, params: Params, res: http.ServerResponse): void {
    if (token !== this.token) {
      const e = new ApiError(401, "Unauthorized");
      this.record(method, params, e);
      sendError(res, e);
      return;
    }
    const key = method.toLowerCase();
    const outage = this.outages;
    if (outage && (!outage.methods || outage.methods.has(key)) && (key === "getupdates" || this.handlers.has(key))) {
      const { error_code, description, retry_after } = outage.error;
      const e = new ApiError(error_code, description, retry_after === undefined ? undefined : { retry_after });
      this.record(method, params, e, true);
      sendError(res, e);
      return;
    }
    const failure = this.failures.get(key) ?? this.failures.get("*");
    if (failure && failure.remaining > 0 && (key === "getupdates" || this.handlers.has(key))) {
      if (--failure.remaining === 0) this.failures.delete(this.failures.get(key) === failure ? key : "*");
      const { error_code, description, retry_after } = failure.error;
      const e = new ApiError(error_code, description, retry_after === undefined ? undefined : { retry_after });
      this.record(method, params, e, true);
      sendError(res, e);
      return;
    }
    if (key === "getupdates") {
      try {
        this.getUpdates(method, params, res);
      } catch (error) {
        const e = toApiError(error);
        this.record(method, params, e);
        sendError(res, e);
      }
      return;
    }
    const result = this.invoke(method, params, false);
    if (result instanceof ApiError) sendError(res, result);
    else send(res, 200, result);
  }

  /** Runs a (non-getUpdates) method; returns the JSON body or an ApiError. */
  private invoke(method: string, params: Params, webhookReply: boolean): string | ApiError {
    const handler = this.handlers.get(method.toLowerCase());
    try {
      if (!handler) throw new ApiError(404, METHOD_NOT_FOUND);
      const result = handler(params);
      this.record(method, params, undefined, false, webhookReply);
      if (result instanceof Described) return JSON.stringify({ ok: true, result: result.result, description: result.description });
      return JSON.stringify({ ok: true, result });
    } catch (error) {
      const e = toApiError(error);
      this.record(method, params, e, false, webhookReply);
      return e;
    }
  }

  private record(method: string, params: Params, error?: ApiError, injected = false, webhookReply = false): void {
    const call: RecordedCall = { method, params, at: Date.now(), ok: error === undefined };
    if (error) {
      call.error_code = error.code;
      call.description = error.description;
    }
    if (injected) call.injected = true;
    if (webhookReply) call.webhookReply = true;
    this.recorded.push(call);
    if (this.callWaiters.size > 0) {
      const m = method.toLowerCase();
      for (const w of this.callWaiters) {
        if (w.method !== m) continue;
        const have = this.calls(m);
        if (have.length >= w.count) {
          clearTimeout(w.timer);
          this.callWaiters.delete(w);
          w.resolve(have);
        }
      }
    }
  }

  private serveFile(path: string, res: http.ServerResponse): void {
    // /file/bot<token>/<file_path>
    const rest = path.slice("/file/bot".length);
    const slash = rest.indexOf("/");
    const token = safeDecode(slash < 0 ? rest : rest.slice(0, slash));
    if (token !== this.token) {
      send(res, 401, '{"ok":false,"error_code":401,"description":"Unauthorized"}');
      return;
    }
    const file = this.filesByPath.get(safeDecode(rest.slice(slash + 1)));
    if (!file) {
      send(res, 404, '{"ok":false,"error_code":404,"description":"Not Found"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.data.length });
    res.end(file.data);
  }

  // -------------------------------------------------------------------------
  // getUpdates and the update queue

  private getUpdates(method: string, p: Params, res: http.ServerResponse): void {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = optInt(p, "offset") ?? 0;
    const limit = Math.min(100, Math.max(1, optInt(p, "limit") ?? 100));
    const timeout = Math.max(0, optInt(p, "timeout") ?? 0);
    this.record(method, p);
    // Telegram allows one getUpdates at a time: the newer request wins.
    if (this.poller) {
      this.finishPoller(
        409,
        JSON.stringify({
          ok: false,
          error_code: 409,
          description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        }),
      );
    }
    this.confirm(offset);
    const batch = this.take(limit);
    if (batch.length > 0 || timeout === 0 || this.closed) {
      send(res, 200, updatesBody(batch));
      return;
    }
    const poller: Poller = {
      res,
      limit,
      timer: setTimeout(() => {
        if (this.poller === poller) this.finishPoller(200, '{"ok":true,"result":[]}');
      }, timeout * 1000),
    };
    this.poller = poller;
    // The client gave up (e.g. grammY aborted on bot.stop()).
    res.on("close", () => {
      if (this.poller === poller) {
        clearTimeout(poller.timer);
        this.poller = undefined;
      }
    });
  }

  private finishPoller(status: number, body: string): void {
    const poller = this.poller;
    if (!poller) return;
    this.poller = undefined;
    clearTimeout(poller.timer);
    send(poller.res, status, body);
  }

  /** Drops confirmed updates: everything before `offset` (or all but the last -offset). */
  private confirm(offset: number): void {
    if (offset < 0) {
      this.head = Math.max(this.head, this.queue.length + offset);
    } else if (offset > 0) {
      while (this.head < this.queue.length) {
        const e = this.queue[this.head];
        if (!e || e.update.update_id >= offset || (e.redelivery && !e.delivered)) break;
        this.head++;
      }
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private take(limit: number): QueuedUpdate[] {
    const end = Math.min(this.queue.length, this.head + limit);
    const batch = this.queue.slice(this.head, end);
    for (const e of batch) e.delivered = true;
    return batch;
  }

  private enqueue(body: Omit<Update, "update_id">): Update {
    const update: Update = { update_id: this.nextUpdateId++, ...body };
    this.push(update, false);
    return update;
  }

  private push(update: Update, redelivery: boolean): void {
    if (this.closed) throw new Error("FakeTelegram is closed");
    const entry: QueuedUpdate = { update, json: JSON.stringify(update), seq: this.nextSeq++, delivered: false, redelivery };
    if (this.webhook) {
      this.webhookEnqueue(entry);
      this.pumpWebhook();
      return;
    }
    this.queue.push(entry);
    if (this.poller && !this.wakeScheduled) {
      // Batch what is queued in this tick into one response.
      this.wakeScheduled = true;
      setImmediate(() => {
        this.wakeScheduled = false;
        const poller = this.poller;
        if (!poller) return;
        const batch = this.take(poller.limit);
        if (batch.length > 0) this.finishPoller(200, updatesBody(batch));
      });
    }
  }

  // -------------------------------------------------------------------------
  // Webhook delivery

  private webhookEnqueue(entry: QueuedUpdate): void {
    const key = chatKey(entry.update);
    const q = this.whQueues.get(key);
    this.whPending++;
    if (q) {
      q.push(entry); // head unchanged: the chat is either in the heap already or in flight
      return;
    }
    this.whQueues.set(key, [entry]);
    heapPush(this.whHeap, { key, seq: entry.seq });
  }

  private pumpWebhook(): void {
    const wh = this.webhook;
    if (!wh) return;
    while (this.whActive < wh.maxConnections) {
      const next = heapPop(this.whHeap);
      if (next === undefined) break;
      const { key } = next;
      this.whActive++;
      void this.deliverChat(key, wh);
    }
  }

  private async deliverChat(key: string, wh: Webhook): Promise<void> {
    const q = must(this.whQueues.get(key), `the webhook queue of ${key}`);
    const entry = must(q[0], `the head of the webhook queue of ${key}`);
    let backoff = this.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const result = await this.postUpdate(wh, entry.json);
      if (wh.generation !== this.webhookGeneration) return; // webhook changed meanwhile; queues were moved
      const ok = result.status >= 200 && result.status < 300;
      const delivery: WebhookDelivery = {
        update_id: entry.update.update_id,
        url: wh.url.href,
        attempt,
        status: result.status,
        ok,
        durationMs: Date.now() - started,
        at: started,
      };
      if (result.error !== undefined) delivery.error = result.error;
      this.deliveries.push(delivery);
      if (ok) {
        this.handleWebhookReply(result);
        break;
      }
      wh.lastErrorDate = now();
      wh.lastErrorMessage = result.error ?? `Wrong response from the webhook: ${result.status} ${http.STATUS_CODES[result.status] ?? ""}`.trim();
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.retryTimers.delete(t);
          resolve();
        }, backoff);
        this.retryTimers.add(t);
      });
      if (wh.generation !== this.webhookGeneration) return;
      backoff = Math.min(backoff * 2, this.retryMaxMs);
    }
    q.shift();
    this.whPending--;
    const [head] = q;
    if (head) heapPush(this.whHeap, { key, seq: head.seq });
    else this.whQueues.delete(key);
    this.whActive--;
    this.pumpWebhook();
  }

  /** grammY's webhook reply: the webhook's response body may carry one method call. */
  private handleWebhookReply(result: { body: string; contentType: string }): void {
    if (!result.contentType.includes("json") || result.body === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.body);
    } catch {
      return;
    }
    if (!isObject(parsed) || typeof parsed.method !== "string") return;
    const { method, ...params } = parsed;
    try {
      normalizeJsonFields(params);
    } catch {
      return;
    }
    this.invoke(method, params, true);
  }

  private postUpdate(wh: Webhook, body: string): Promise<{ status: number; body: string; contentType: string; error?: string }> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      };
      if (wh.secret !== undefined) headers["x-telegram-bot-api-secret-token"] = wh.secret;
      const isHttps = wh.url.protocol === "https:";
      const request = isHttps ? https.request : http.request;
      const req = request(
        wh.url,
        { method: "POST", headers, timeout: 10_000, ...(isHttps ? {} : { agent: this.webhookAgent }) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              contentType: res.headers["content-type"] ?? "",
            }),
          );
          res.on("error", (e) => resolve({ status: 0, body: "", contentType: "", error: e.message }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("Read timeout expired")));
      req.on("error", (e: NodeJS.ErrnoException) =>
        resolve({ status: 0, body: "", contentType: "", error: e.code === "ECONNREFUSED" ? "Connection refused" : e.message }),
      );
      req.end(body);
    });
  }

  /** Removes the webhook; its undelivered updates go back to the getUpdates queue. */
  private clearWebhook(): void {
    if (!this.webhook) return;
    this.webhook = undefined;
    this.webhookGeneration++;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    const rest: QueuedUpdate[] = [];
    for (const q of this.whQueues.values()) rest.push(...q);
    rest.sort((a, b) => a.seq - b.seq);
    this.whQueues.clear();
    this.whHeap = [];
    this.whPending = 0;
    this.whActive = 0;
    for (const e of rest) this.queue.push({ ...e, delivered: false });
  }

  private dropPending(): void {
    this.queue = [];
    this.head = 0;
    this.whQueues.clear();
    this.whHeap = [];
    this.whPending = 0;
  }

  // -------------------------------------------------------------------------
  // Chats and messages

  private chatFor(chatId: number): ChatState {
    let chat = this.chats.get(chatId);
    if (!chat) {
      const user: User = { id: chatId > 0 ? chatId : 1, is_bot: false, first_name: `User ${Math.abs(chatId)}` };
      chat = {
        id: chatId,
        chat: chatId > 0 ? { id: chatId, type: "private", first_name: user.first_name } : { id: chatId, type: "group", title: `Group ${-chatId}` },
        user,
        nextMessageId: 1,
        botMessages: [],
        byId: new Map(),
        waiters: new Set(),
        blocked: false,
      };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  /** The sending user; options are remembered for later messages in the chat. */
  private userFor(chat: ChatState, opts: UserOptions | undefined): User {
    if (opts?.from || opts?.languageCode !== undefined) {
      chat.user = { ...chat.user, ...opts.from };
      if (opts.languageCode !== undefined) chat.user.language_code = opts.languageCode;
      if (chat.chat.type === "private") {
        chat.chat = { id: chat.id, type: "private", first_name: chat.user.first_name };
        if (chat.user.last_name !== undefined) chat.chat.last_name = chat.user.last_name;
        if (chat.user.username !== undefined) chat.chat.username = chat.user.username;
      }
    }
    return chat.user;
  }

  private userMessage(chatId: number, fields: Partial<Message>, opts: UserOptions | undefined): Update {
    const chat = this.chatFor(chatId);
    const from = this.userFor(chat, opts);
    const message = { message_id: chat.nextMessageId++, from, chat: chat.chat, date: now(), ...fields } as Message & Update.NonChannel;
    chat.byId.set(message.message_id, { message, fromBot: false, deleted: false });
    return this.enqueue({ message });
  }

  private addFile(dir: string, ext: string, data?: Uint8Array): FileEntry {
    const n = this.nextFileId++;
    const entry: FileEntry = {
      file_id: `AgACAgIAAxkBAAI${dir}${n}`,
      file_unique_id: `AQAD${n}`,
      file_path: `${dir}/file_${n}.${ext}`,
      data: data ? Buffer.from(data) : Buffer.from(`fake ${dir} file ${n}`),
    };
    this.files.set(entry.file_id, entry);
    this.filesByPath.set(entry.file_path, entry);
    return entry;
  }

  private targetChat(p: Params): ChatState {
    const chat = this.chatFor(chatIdParam(p));
    if (chat.blocked) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return chat;
  }

  private addBotMessage(chat: ChatState, record: BotMessage): void {
    chat.botMessages.push(record);
    chat.byId.set(record.message_id, { message: record.message, fromBot: true, deleted: false, record });
    for (const w of chat.waiters) {
      if (chat.botMessages.length >= w.count) {
        clearTimeout(w.timer);
        chat.waiters.delete(w);
        w.resolve([...chat.botMessages]);
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(chat.id, record);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private replyTarget(chat: ChatState, p: Params): Message | undefined {
    let id = optInt(p, "reply_to_message_id");
    const rp = p.reply_parameters;
    if (isObject(rp) && rp.message_id !== undefined) id = optInt(rp, "message_id");
    if (id === undefined) return undefined;
    const stored = chat.byId.get(id);
    if (!stored || stored.deleted) {
      const allow = isObject(rp) ? optBool(rp, "allow_sending_without_reply") : optBool(p, "allow_sending_without_reply");
      if (allow) return undefined;
      throw bad("Bad Request: message to be replied not found");
    }
    return { ...stored.message, reply_to_message: undefined };
  }

  private format(raw: string, p: Params, entitiesField: string, max: number, what: "text" | "caption"): Formatted {
    const mode = optStr(p, "parse_mode");
    let f: Formatted;
    if (mode === undefined || mode === "") {
      const given = p[entitiesField];
      f = { text: raw, entities: Array.isArray(given) ? (given as MessageEntity[]) : [] };
    } else {
      switch (mode.toLowerCase()) {
        case "html":
          f = parseHtml(raw, this.strictHtml);
          break;
        case "markdownv2":
          f = parseMarkdownV2(raw);
          break;
        case "markdown":
          f = parseMarkdown(raw);
          break;
        default:
          throw bad(`Bad Request: unsupported parse_mode "${mode}"`);
      }
    }
    f = trimFormatted(f);
    if (what === "text") {
      if (f.text.length === 0) throw bad("Bad Request: message text is empty");
      if (f.text.length > max) throw bad("Bad Request: message is too long");
    } else if (f.text.length > max) {
      throw bad("Bad Request: message caption is too long");
    }
    return f;
  }

  private editTarget(p: Params): { chat: ChatState; stored: StoredMessage & { record: BotMessage } } {
    if (p.inline_message_id !== undefined) throw bad("Bad Request: MESSAGE_ID_INVALID");
    const chat = this.targetChat(p);
    const id = optInt(p, "message_id");
    if (id === undefined) throw bad("Bad Request: message identifier is not specified");
    const stored = chat.byId.get(id);
    if (!stored || stored.deleted) throw bad("Bad Request: message to edit not found");
    if (!stored.fromBot || !stored.record) throw bad("Bad Request: message can't be edited");
    return { chat, stored: stored as StoredMessage & { record: BotMessage } };
  }

  private applyEdit(stored: StoredMessage & { record: BotMessage }, change: { raw?: string; parseMode?: string; formatted?: Formatted; markup: ReplyMarkup | undefined }): Message {
    const rec = stored.record;
    const oldKey = JSON.stringify([rec.plainText, rec.entities ?? [], rec.reply_markup ?? null]);
    const f = change.formatted;
    const newKey = JSON.stringify([f ? f.text : rec.plainText, f ? f.entities : (rec.entities ?? []), change.markup ?? null]);
    if (oldKey === newKey) throw bad(NOT_MODIFIED);
    if (f) {
      rec.text = must(change.raw, "the raw text of a formatted edit");
      rec.plainText = f.text;
      if (change.parseMode !== undefined) rec.parse_mode = change.parseMode;
      else delete rec.parse_mode;
      if (f.entities.length > 0) rec.entities = f.entities;
      else delete rec.entities;
    }
    if (change.markup) rec.reply_markup = change.markup;
    else delete rec.reply_markup;
    rec.editCount++;
    const message = { ...rec.message, edit_date: now() } as Message;
    const textField = rec.kind === "text" ? "text" : "caption";
    const entField = rec.kind === "text" ? "entities" : "caption_entities";
    message[textField] = rec.plainText;
    if (rec.entities) message[entField] = rec.entities;
    else if (entField === "entities") delete message.entities;
    else delete message.caption_entities;
    if (change.markup && "inline_keyboard" in change.markup) message.reply_markup = change.markup;
    else delete message.reply_markup;
    rec.message = message;
    stored.message = message;
    return message;
  }

  private describeTimeout(chat: ChatState, count: number, timeoutMs: number): string {
    const lines = [
      `waitForMessages: chat ${chat.id} has ${chat.botMessages.length} of ${count} expected bot message(s) after ${timeoutMs} ms.`,
    ];
    for (const m of chat.botMessages) lines.push(`  #${m.message_id} ${JSON.stringify(m.plainText.slice(0, 200))}`);
    const failed = this.recorded.filter((c) => !c.ok && String(c.params.chat_id) === String(chat.id)).slice(-5);
    if (failed.length > 0) {
      lines.push("Failed API calls for this chat:");
      for (const c of failed) lines.push(`  ${c.method} → ${c.error_code} ${c.description}`);
    }
    lines.push(`Pending updates: ${this.pendingUpdates()}`);
    return lines.join("\n");
  }

  private rejectWaiters(error: Error): void {
    for (const chat of this.chats.values()) {
      for (const w of chat.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      chat.waiters.clear();
    }
    for (const w of this.callWaiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.callWaiters.clear();
  }

  // -------------------------------------------------------------------------
  // Method handlers (lower-case names)

  private buildHandlers(): Map<string, (p: Params) => unknown> {
    const h = new Map<string, (p: Params) => unknown>();
    h.set("getme", () => this.botInfo);
    h.set("logout", () => true);
    h.set("close", () => true);

    h.set("sendmessage", (p) => {
      const chat = this.targetChat(p);
      const raw = typeof p.text === "string" ? p.text : typeof p.text === "number" ? String(p.text) : "";
      if (raw === "") throw bad("Bad Request: message text is empty");
      const f = this.format(raw, p, "entities", 4096, "text");
      const markup = parseReplyMarkup(p.reply_markup);
      const replyTo = this.replyTarget(chat, p);
      return this.createBotMessage(chat, "text", raw, optStr(p, "parse_mode"), f, markup, replyTo, {});
    });

    const sendMedia = (kind: "photo" | "document" | "voice") => (p: Params) => {
      const chat = this.targetChat(p);
      const input = p[kind];
      if (input === undefined || input === "") throw bad(`Bad Request: there is no ${kind} in the request`);
      const raw = optStr(p, "caption") ?? "";
      const f = this.format(raw, p, "caption_entities", 1024, "caption");
      const markup = parseReplyMarkup(p.reply_markup);
      const replyTo = this.replyTarget(chat, p);
      const upload = isUploadedFile(input) ? input : undefined;
      const known = typeof input === "string" ? this.files.get(input) : undefined;
      const file = known ?? this.addFile(kind === "photo" ? "photos" : kind === "voice" ? "voice" : "documents", kind === "photo" ? "jpg" : kind === "voice" ? "oga" : "dat", upload?.data);
      const fields: Partial<Message> = kind === "voice"
        ? { voice: { file_id: file.file_id, file_unique_id: file.file_unique_id, duration: 1, mime_type: upload?.contentType ?? "audio/ogg", file_size: file.data.length } }
        : kind === "photo"
          ? { photo: [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 800, height: 600, file_size: file.data.length }] }
          : {
              document: {
                file_id: file.file_id,
                file_unique_id: file.file_unique_id,
                file_name: upload?.filename ?? (typeof input === "string" ? input.split("/").pop() : undefined) ?? "file",
                mime_type: upload?.contentType ?? "application/octet-stream",
                file_size: file.data.length,
              },
            };
      return this.createBotMessage(chat, kind, raw, optStr(p, "parse_mode"), f, markup, replyTo, fields);
    };
    h.set("sendphoto", sendMedia("photo"));
    h.set("senddocument", sendMedia("document"));
    h.set("sendvoice", sendMedia("voice"));

    h.set("getfile", (p) => {
      const id = optStr(p, "file_id");
      const file = id === undefined ? undefined : this.files.get(id);
      if (!file) throw bad("Bad Request: invalid file_id");
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.data.length, file_path: file.file_path };
    });

    h.set("editmessagetext", (p) => {
      const { stored } = this.editTarget(p);
      if (stored.record.kind !== "text") throw bad("Bad Request: there is no text in the message to edit");
      const raw = typeof p.text === "string" ? p.text : "";
      if (raw === "") throw bad("Bad Request: text must be non-empty");
      const f = this.format(raw, p, "entities", 4096, "text");
      const mode = optStr(p, "parse_mode");
      return this.applyEdit(stored, { raw, ...(mode === undefined ? {} : { parseMode: mode }), formatted: f, markup: inlineOnly(parseReplyMarkup(p.reply_markup)) });
    });

    h.set("editmessagecaption", (p) => {
      const { stored } = this.editTarget(p);
      if (stored.record.kind === "text") throw bad("Bad Request: there is no caption in the message to edit");
      const raw = optStr(p, "caption") ?? "";
      const f = this.format(raw, p, "caption_entities", 1024, "caption");
      const mode = optStr(p, "parse_mode");
      return this.applyEdit(stored, { raw, ...(mode === undefined ? {} : { parseMode: mode }), formatted: f, markup: inlineOnly(parseReplyMarkup(p.reply_markup)) });
    });

    h.set("editmessagereplymarkup", (p) => {
      const { stored } = this.editTarget(p);
      return this.applyEdit(stored, { markup: inlineOnly(parseReplyMarkup(p.reply_markup)) });
    });

    h.set("deletemessage", (p) => {
      const chat = this.chatFor(chatIdParam(p));
      const id = optInt(p, "message_id");
      const stored = id === undefined ? undefined : chat.byId.get(id);
      if (!stored || stored.deleted) throw bad("Bad Request: message to delete not found");
      stored.deleted = true;
      if (stored.record) stored.record.deleted = true;
      return true;
    });

    h.set("sendchataction", (p) => {
      this.targetChat(p);
      const action = optStr(p, "action");
      if (action === undefined || action === "") throw bad("Bad Request: action is empty");
      if (!CHAT_ACTIONS.has(action)) throw bad("Bad Request: wrong parameter action in request");
      return true;
    });

    h.set("answercallbackquery", (p) => {
      const id = optStr(p, "callback_query_id");
      const state = id === undefined ? undefined : this.callbacks.get(id);
      if (id === undefined || !state || state.answered) throw bad(QUERY_TOO_OLD);
      const text = optStr(p, "text");
      if (text !== undefined && text.length > 200) throw bad("Bad Request: MESSAGE_TOO_LONG");
      state.answered = true;
      const answer: CallbackAnswer = { callback_query_id: id, chatId: state.chatId, messageId: state.messageId, data: state.data, at: Date.now() };
      if (text !== undefined) answer.text = text;
      const alert = optBool(p, "show_alert");
      if (alert !== undefined) answer.show_alert = alert;
      const url = optStr(p, "url");
      if (url !== undefined) answer.url = url;
      const cache = optInt(p, "cache_time");
      if (cache !== undefined) answer.cache_time = cache;
      this.answers.push(answer);
      return true;
    });

    const commandsKey = (p: Params): string => {
      const scope = isObject(p.scope) && typeof p.scope.type === "string" ? p.scope.type : "default";
      return `${scope}|${optStr(p, "language_code") ?? ""}`;
    };
    h.set("setmycommands", (p) => {
      if (!Array.isArray(p.commands)) throw bad("Bad Request: parameter \"commands\" is required");
      if (p.commands.length > 100) throw bad("Bad Request: too many commands");
      const commands: BotCommand[] = [];
      for (const c of p.commands as unknown[]) {
        if (!isObject(c) || typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad("Bad Request: BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
          throw bad("Bad Request: command description must be 1-256 characters long");
        }
        commands.push({ command: c.command, description: c.description });
      }
      this.commands.set(commandsKey(p), commands);
      return true;
    });
    h.set("deletemycommands", (p) => {
      this.commands.delete(commandsKey(p));
      return true;
    });
    h.set("getmycommands", (p) => this.commands.get(commandsKey(p)) ?? []);

    h.set("setwebhook", (p) => {
      const urlText = optStr(p, "url") ?? "";
      const drop = optBool(p, "drop_pending_updates") ?? false;
      if (urlText === "") {
        const had = this.webhook !== undefined;
        this.clearWebhook();
        if (drop) this.dropPending();
        return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
      }
      let url: URL;
      try {
        url = new URL(urlText);
      } catch {
        throw bad("Bad Request: bad webhook: Failed to parse URL");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw bad("Bad Request: bad webhook: Unsupported URL protocol");
      const secret = optStr(p, "secret_token");
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw bad("Bad Request: secret token contains unallowed characters");
      const maxConnections = Math.min(100, Math.max(1, optInt(p, "max_connections") ?? 40));
      const same = this.webhook?.url.href === url.href && this.webhook.secret === secret && this.webhook.maxConnections === maxConnections;
      if (same && !drop) return new Described(true, "Webhook is already set");
      this.clearWebhook();
      if (drop) this.dropPending();
      const wh: Webhook = { url, maxConnections, generation: ++this.webhookGeneration };
      if (secret !== undefined) wh.secret = secret;
      if (Array.isArray(p.allowed_updates)) wh.allowedUpdates = p.allowed_updates as string[];
      this.webhook = wh;
      if (this.poller) {
        this.finishPoller(409, JSON.stringify({ ok: false, error_code: 409, description: "Conflict: terminated by setWebhook request" }));
      }
      const pending = this.queue.slice(this.head);
      this.queue = [];
      this.head = 0;
      for (const e of pending) this.webhookEnqueue(e);
      this.pumpWebhook();
      return new Described(true, "Webhook was set");
    });

    h.set("deletewebhook", (p) => {
      const had = this.webhook !== undefined;
      this.clearWebhook();
      if (optBool(p, "drop_pending_updates")) this.dropPending();
      return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    });

    h.set("getwebhookinfo", () => {
      const wh = this.webhook;
      const info: WebhookInfo = { url: wh?.url.href ?? "", has_custom_certificate: false, pending_update_count: this.pendingUpdates() };
      if (wh) {
        info.max_connections = wh.maxConnections;
        info.ip_address = "127.0.0.1";
        if (wh.lastErrorDate !== undefined) info.last_error_date = wh.lastErrorDate;
        if (wh.lastErrorMessage !== undefined) info.last_error_message = wh.lastErrorMessage;
        if (wh.allowedUpdates) info.allowed_updates = wh.allowedUpdates as WebhookInfo["allowed_updates"];
      }
      return info;
    });
    return h;
  }

  private createBotMessage(
    chat: ChatState,
    kind: BotMessage["kind"],
    raw: string,
    parseMode: string | undefined,
    f: Formatted,
    markup: ReplyMarkup | undefined,
    replyTo: Message | undefined,
    fields: Partial<Message>,
  ): Message {
    const message = { message_id: chat.nextMessageId++, from: this.botUser, chat: chat.chat, date: now(), ...fields } as Message;
    if (kind === "text") {
      message.text = f.text;
      if (f.entities.length > 0) message.entities = f.entities;
    } else if (f.text !== "") {
      message.caption = f.text;
      if (f.entities.length > 0) message.caption_entities = f.entities;
    }
    if (replyTo) message.reply_to_message = replyTo as Message & { reply_to_message: undefined };
    if (markup && "inline_keyboard" in markup) message.reply_markup = markup;
    const record: BotMessage = {
      chatId: chat.id,
      message_id: message.message_id,
      kind,
      text: raw,
      plainText: f.text,
      date: message.date,
      editCount: 0,
      deleted: false,
      message,
    };
    if (parseMode !== undefined) record.parse_mode = parseMode;
    if (f.entities.length > 0) record.entities = f.entities;
    if (markup) record.reply_markup = markup;
    this.addBotMessage(chat, record);
    return message;
  }
}

/** A successful result that also carries a `description` (as setWebhook's). */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

// ---------------------------------------------------------------------------
// HTTP helpers

function send(res: http.ServerResponse, status: number, body: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: http.ServerResponse, e: ApiError): void {
  const body: Record<string, unknown> = { ok: false, error_code: e.code, description: e.description };
  if (e.parameters) body.parameters = e.parameters;
  send(res, e.code >= 400 && e.code < 600 ? e.code : 400, JSON.stringify(body));
}

function updatesBody(batch: QueuedUpdate[]): string {
  if (batch.length === 0) return '{"ok":true,"result":[]}';
  let body = '{"ok":true,"result":[';
  for (const [i, entry] of batch.entries()) body += (i === 0 ? "" : ",") + entry.json;
  return body + "]}";
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isUploadedFile(v: unknown): v is UploadedFile {
  return isObject(v) && Buffer.isBuffer(v.data) && typeof v.filename === "string";
}

/** Query string + body (JSON, urlencoded or multipart) → params, JSON-valued fields parsed. */
function parseParams(query: string, contentType: string | undefined, body: Buffer): Params {
  const params: Params = {};
  if (query !== "") for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  const type = (contentType ?? "").toLowerCase();
  if (body.length > 0) {
    if (type.startsWith("application/json") || (type === "" && body[0] === 0x7b)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw bad("Bad Request: can't parse JSON request body");
      }
      if (!isObject(parsed)) throw bad("Bad Request: request body must be a JSON object");
      Object.assign(params, parsed);
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = v;
    } else if (type.startsWith("multipart/form-data")) {
      const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
      const boundary = m?.[1] ?? m?.[2];
      if (!boundary) throw bad("Bad Request: multipart/form-data without a boundary");
      Object.assign(params, parseMultipart(body, boundary));
    } else {
      throw bad(`Bad Request: unsupported Content-Type "${contentType}"; use JSON, urlencoded or multipart/form-data`);
    }
  }
  normalizeJsonFields(params);
  return params;
}

function normalizeJsonFields(params: Params): void {
  for (const field of JSON_FIELDS) {
    const v = params[field];
    if (typeof v !== "string") continue;
    try {
      params[field] = JSON.parse(v);
    } catch {
      throw bad(field === "reply_markup" ? "Bad Request: can't parse reply keyboard markup JSON object" : `Bad Request: can't parse ${field} JSON object`);
    }
  }
}

/** Minimal multipart/form-data: text fields become strings, files UploadedFile; attach:// resolved. */
function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw bad("Bad Request: malformed multipart/form-data body");
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw bad("Bad Request: malformed multipart/form-data body");
    const headers = body.toString("utf8", pos, headerEnd);
    const end = body.indexOf(next, headerEnd + 4);
    if (end < 0) throw bad("Bad Request: malformed multipart/form-data body");
    const content = body.subarray(headerEnd + 4, end);
    const name = /name="([^"]*)"|name=([^;\r\n]+)/i.exec(headers);
    const fieldName = name?.[1] ?? name?.[2]?.trim();
    if (fieldName === undefined) throw bad("Bad Request: multipart part without a name");
    const filename = /filename="([^"]*)"|filename=([^;\r\n]+)/i.exec(headers);
    if (filename) {
      const type = /content-type:\s*([^\r\n;]+)/i.exec(headers);
      files.set(fieldName, {
        filename: filename[1] ?? must(filename[2], "the unquoted filename").trim(),
        contentType: type?.[1]?.trim() ?? "application/octet-stream",
        size: content.length,
        data: Buffer.from(content),
      });
    } else {
      params[fieldName] = content.toString("utf8");
    }
    pos = end + next.length;
  }
  const used = new Set<string>();
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === "string" && v.startsWith("attach://")) {
      const file = files.get(v.slice("attach://".length));
      if (file) {
        params[k] = file;
        used.add(v.slice("attach://".length));
      }
    }
  }
  for (const [k, f] of files) if (!used.has(k) && params[k] === undefined) params[k] = f;
  return params;
}

// ---------------------------------------------------------------------------
// Parameter helpers

function optInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  throw bad(`Bad Request: field "${name}" must be an Integer`);
}

function optBool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "1" || v === 1) return true;
  if (v === "false" || v === "0" || v === 0) return false;
  throw bad(`Bad Request: field "${name}" must be a Boolean`);
}

function optStr(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw bad(`Bad Request: field "${name}" must be a String`);
}

function chatIdParam(p: Params): number {
  const v = p.chat_id;
  if (v === undefined || v === null || v === "") throw bad("Bad Request: chat_id is empty");
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n === 0) throw bad("Bad Request: chat not found");
  return n;
}

// ---------------------------------------------------------------------------
// Reply markup

interface InlineButtonLike {
  text?: unknown;
  callback_data?: string;
}

function inlineButtons(markup: ReplyMarkup | undefined): InlineButtonLike[] {
  if (!markup || !("inline_keyboard" in markup)) return [];
  return markup.inline_keyboard.flat();
}

function inlineOnly(markup: ReplyMarkup | undefined): InlineKeyboardMarkup | undefined {
  if (markup === undefined) return undefined;
  if (!("inline_keyboard" in markup)) throw bad("Bad Request: inline keyboard expected");
  return markup;
}

const INLINE_KINDS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

/** Validates reply_markup like Telegram does (enough to catch real mistakes). */
function parseReplyMarkup(raw: unknown): ReplyMarkup | undefined {
  if (raw === undefined || raw === null) return undefined;
  const cannot = bad("Bad Request: can't parse reply keyboard markup JSON object");
  if (!isObject(raw)) throw cannot;
  if ("inline_keyboard" in raw) {
    const rows = raw.inline_keyboard;
    const notArrays = bad('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    if (!Array.isArray(rows)) throw notArrays;
    for (const row of rows) {
      if (!Array.isArray(row)) throw notArrays;
      for (const button of row) {
        if (!isObject(button)) throw bad("Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof button.text !== "string") throw bad('Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String');
        const kinds = INLINE_KINDS.filter((k) => button[k] !== undefined);
        if (kinds.length === 0) throw bad("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if (button.text.trim() === "") throw bad("Bad Request: BUTTON_TEXT_INVALID");
        if (button.callback_data !== undefined) {
          const data = button.callback_data;
          if (typeof data !== "string" || data.length === 0 || Buffer.byteLength(data, "utf8") > 64) throw bad("Bad Request: BUTTON_DATA_INVALID");
        }
        if (button.url !== undefined) {
          let ok = typeof button.url === "string";
          if (ok) {
            try {
              ok = ["http:", "https:", "tg:"].includes(new URL(button.url as string).protocol);
            } catch {
              ok = false;
            }
          }
          if (!ok) throw bad("Bad Request: BUTTON_URL_INVALID");
        }
      }
    }
    return raw as unknown as InlineKeyboardMarkup;
  }
  if ("keyboard" in raw) {
    const rows = raw.keyboard;
    if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw bad('Bad Request: field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        const text = typeof button === "string" ? button : isObject(button) ? button.text : undefined;
        if (typeof text !== "string" || text === "") throw bad('Bad Request: can\'t parse keyboard button: Field "text" must be of type String');
      }
    }
    return raw as unknown as ReplyKeyboardMarkup;
  }
  if (raw.remove_keyboard === true) return raw as unknown as ReplyKeyboardRemove;
  if (raw.force_reply === true) return raw as unknown as ForceReply;
  throw cannot;
}

// ---------------------------------------------------------------------------
// Updates

function chatKey(update: Update): string {
  for (const [k, v] of Object.entries(update)) {
    if (k === "update_id" || !isObject(v)) continue;
    if (isObject(v.chat) && typeof v.chat.id === "number") return String(v.chat.id);
    if (isObject(v.message) && isObject(v.message.chat)) return String(v.message.chat.id);
    if (isObject(v.from) && typeof v.from.id === "number") return `u${v.from.id}`;
  }
  return "_";
}

function heapPush(heap: { key: string; seq: number }[], item: { key: string; seq: number }): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent];
    if (above === undefined || above.seq <= item.seq) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = item;
}

function heapPop(heap: { key: string; seq: number }[]): { key: string; seq: number } | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const left = heap[l];
    if (left === undefined) break;
    const right = heap[l + 1];
    const [c, child] = right !== undefined && right.seq < left.seq ? [l + 1, right] : [l, left];
    if (child.seq >= last.seq) break;
    heap[i] = child;
    i = c;
  }
  heap[i] = last;
  return top;
}

/** Entities Telegram adds to a user's text: a leading bot command, and URLs. */
function userEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
  if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
  for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"]+/g)) {
    entities.push({ type: "url", offset: m.index, length: m[0].replace(/[.,;:!?)]+$/, "").length });
  }
  return entities;
}

// ---------------------------------------------------------------------------
// Formatting: HTML, MarkdownV2 and legacy Markdown, modelled on tdlib's parsers

const entitiesError = (src: string, message: string, at?: number): ApiError =>
  bad(`Bad Request: can't parse entities: ${message.replace("%OFFSET%", String(Buffer.byteLength(src.slice(0, at ?? 0), "utf8")))}`);

function trimFormatted(f: Formatted): Formatted {
  const start = f.text.length - f.text.trimStart().length;
  const text = f.text.trim();
  if (start === 0 && text.length === f.text.length) return f;
  const entities: MessageEntity[] = [];
  for (const e of f.entities) {
    const from = Math.max(0, e.offset - start);
    const to = Math.min(text.length, e.offset + e.length - start);
    if (to > from) entities.push({ ...e, offset: from, length: to - from });
  }
  return { text, entities };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const HTML_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "tg-time",
  "code",
  "pre",
  "blockquote",
]);

const HTML_ENTITY_TYPES: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  span: "spoiler",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
};

const isSpace = (c: string | undefined): boolean => c === " " || c === "\n" || c === "\t" || c === "\r";

/** Decodes &lt; &gt; &amp; &quot; and numeric entities at `i`; null if there is none. */
function decodeHtmlEntity(src: string, i: number): { ch: string; len: number } | null {
  const semi = src.indexOf(";", i + 1);
  if (semi < 0 || semi - i > 10) return null;
  const name = src.slice(i + 1, semi);
  switch (name) {
    case "lt":
      return { ch: "<", len: 4 };
    case "gt":
      return { ch: ">", len: 4 };
    case "amp":
      return { ch: "&", len: 5 };
    case "quot":
      return { ch: '"', len: 6 };
  }
  let code = NaN;
  if (/^#[0-9]{1,7}$/.test(name)) code = Number(name.slice(1));
  else if (/^#[xX][0-9a-fA-F]{1,6}$/.test(name)) code = parseInt(name.slice(2), 16);
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { ch: String.fromCodePoint(code), len: name.length + 2 };
}

function decodeAttribute(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "&") {
      const d = decodeHtmlEntity(value, i);
      if (d) {
        out += d.ch;
        i += d.len - 1;
        continue;
      }
    }
    out += value.charAt(i);
  }
  return out;
}

function parseHtml(src: string, strictAmp: boolean): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: { tag: string; start: number; attrs: Record<string, string>; language?: string }[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charAt(i);
    if (c === "&") {
      const d = decodeHtmlEntity(src, i);
      if (d) {
        out += d.ch;
        i += d.len;
        continue;
      }
      if (strictAmp) throw entitiesError(src, 'Unescaped "&" at byte offset %OFFSET%; write "&amp;" (FakeTelegram is stricter than Telegram here)', i);
      out += c;
      i++;
      continue;
    }
    if (c !== "<") {
      let j = i + 1;
      while (j < n && src[j] !== "<" && src[j] !== "&") j++;
      out += src.slice(i, j);
      i = j;
      continue;
    }
    const begin = i++;
    if (src[i] !== "/") {
      let tagEnd = i;
      while (tagEnd < n && !isSpace(src[tagEnd]) && src[tagEnd] !== ">") tagEnd++;
      if (tagEnd >= n) throw entitiesError(src, "Unclosed start tag at byte offset %OFFSET%", begin);
      const tag = src.slice(i, tagEnd).toLowerCase();
      if (!HTML_TAGS.has(tag)) throw entitiesError(src, `Unsupported start tag "${tag}" at byte offset %OFFSET%`, begin);
      i = tagEnd;
      const attrs: Record<string, string> = {};
      for (;;) {
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) throw entitiesError(src, "Unclosed start tag at byte offset %OFFSET%", begin);
        if (src[i] === ">") {
          i++;
          break;
        }
        const nameStart = i;
        while (i < n && !isSpace(src[i]) && src[i] !== "=" && src[i] !== ">") i++;
        const attr = src.slice(nameStart, i).toLowerCase();
        if (attr === "") throw entitiesError(src, `Empty attribute name in the tag "${tag}" at byte offset %OFFSET%`, begin);
        while (i < n && isSpace(src[i])) i++;
        if (src[i] !== "=") {
          attrs[attr] = "";
          continue;
        }
        i++;
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) throw entitiesError(src, "Unclosed start tag at byte offset %OFFSET%", begin);
        const q = src[i];
        if (q === '"' || q === "'") {
          const close = src.indexOf(q, i + 1);
          if (close < 0) throw entitiesError(src, "Unclosed start tag at byte offset %OFFSET%", begin);
          attrs[attr] = decodeAttribute(src.slice(i + 1, close));
          i = close + 1;
        } else {
          const valueStart = i;
          while (i < n && !isSpace(src[i]) && src[i] !== ">") i++;
          attrs[attr] = decodeAttribute(src.slice(valueStart, i));
        }
      }
      if (tag === "span" && attrs.class !== "tg-spoiler") {
        throw entitiesError(src, 'Tag "span" must have class "tg-spoiler" at byte offset %OFFSET%', begin);
      }
      if (tag === "tg-emoji" && !/^\d+$/.test(attrs["emoji-id"] ?? "")) {
        throw entitiesError(src, 'Tag "tg-emoji" must have attribute "emoji-id" at byte offset %OFFSET%', begin);
      }
      stack.push({ tag, start: out.length, attrs });
      continue;
    }
    // End tag.
    if (stack.length === 0) throw entitiesError(src, "Unexpected end tag at byte offset %OFFSET%", begin);
    i++;
    const nameStart = i;
    while (i < n && !isSpace(src[i]) && src[i] !== ">") i++;
    const endName = src.slice(nameStart, i).toLowerCase();
    while (i < n && isSpace(src[i])) i++;
    if (i >= n || src[i] !== ">") throw entitiesError(src, "Unclosed end tag at byte offset %OFFSET%", begin);
    i++;
    const open = must(stack.pop(), "the open tag");
    if (endName !== "" && endName !== open.tag) {
      throw entitiesError(src, `Unmatched end tag at byte offset %OFFSET%, expected "</${open.tag}>", found "</${endName}>"`, begin);
    }
    const length = out.length - open.start;
    if (length === 0) continue;
    const parent = stack[stack.length - 1];
    if (open.tag === "code" && parent?.tag === "pre" && parent.start === open.start) {
      const language = /^language-(.+)$/.exec(open.attrs.class ?? "")?.[1];
      if (language) parent.language = language;
      if (language) continue;
    }
    switch (open.tag) {
      case "a": {
        const href = open.attrs.href;
        if (href) entities.push({ type: "text_link", offset: open.start, length, url: href });
        break;
      }
      case "tg-emoji":
        entities.push({ type: "custom_emoji", offset: open.start, length, custom_emoji_id: must(open.attrs["emoji-id"], "the emoji-id checked at the start tag") });
        break;
      case "tg-time":
        if (/^\d+$/.test(open.attrs.unix ?? "")) {
          entities.push({
            type: "date_time",
            offset: open.start,
            length,
            unix_time: Number(open.attrs.unix),
            date_time_format: (open.attrs.format ?? "") as "r",
          });
        }
        break;
      case "blockquote":
        entities.push({ type: "expandable" in open.attrs ? "expandable_blockquote" : "blockquote", offset: open.start, length });
        break;
      case "pre":
        entities.push(open.language ? { type: "pre", offset: open.start, length, language: open.language } : { type: "pre", offset: open.start, length });
        break;
      default:
        entities.push({ type: HTML_ENTITY_TYPES[open.tag] as MessageEntity.CommonMessageEntity["type"], offset: open.start, length });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw entitiesError(src, `Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text: out, entities: sortEntities(entities) };
}

const MDV2_RESERVED = new Set("_*[]()~`>#+-=|{}.!");
const MDV2_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
  custom_emoji: "CustomEmoji",
  code: "Code",
  pre: "Pre",
};

function parseMarkdownV2(src: string): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: { type: string; start: number; at: number; language?: string }[] = [];
  const n = src.length;
  let quote: { start: number; expandable: boolean } | undefined;
  const endQuote = (): void => {
    if (!quote) return;
    const end = out.endsWith("\n") ? out.length - 1 : out.length;
    if (end > quote.start) entities.push({ type: quote.expandable ? "expandable_blockquote" : "blockquote", offset: quote.start, length: end - quote.start });
    quote = undefined;
  };
  let i = 0;
  while (i < n) {
    const c = src.charAt(i);
    const top = stack[stack.length - 1];
    const inCode = top?.type === "code" || top?.type === "pre";
    if (!inCode && (i === 0 || src[i - 1] === "\n")) {
      if (src.startsWith("**>", i)) {
        quote ??= { start: out.length, expandable: true };
        i += 3;
        continue;
      }
      if (c === ">") {
        quote ??= { start: out.length, expandable: false };
        i++;
        continue;
      }
      endQuote();
    }
    if (c === "\\" && i + 1 < n && src.charCodeAt(i + 1) > 0 && src.charCodeAt(i + 1) <= 126) {
      out += src.charAt(i + 1);
      i += 2;
      continue;
    }
    if (inCode) {
      if (c === "`" && (top.type === "code" || src.startsWith("```", i))) {
        stack.pop();
        i += top.type === "code" ? 1 : 3;
        const length = out.length - top.start;
        if (length > 0) {
          entities.push(
            top.type === "pre" && top.language ? { type: "pre", offset: top.start, length, language: top.language } : { type: top.type as "code", offset: top.start, length },
          );
        }
      } else {
        out += c;
        i++;
      }
      continue;
    }
    if (!MDV2_RESERVED.has(c)) {
      out += c;
      i++;
      continue;
    }
    if (quote && src.startsWith("||", i) && (i + 2 === n || src[i + 2] === "\n")) {
      quote.expandable = true;
      i += 2;
      continue;
    }
    let closeLen = 0;
    if (top) {
      switch (top.type) {
        case "bold":
          if (c === "*") closeLen = 1;
          break;
        case "italic":
          if (c === "_" && (src[i + 1] !== "_" || stack[stack.length - 2]?.type === "underline")) closeLen = 1;
          break;
        case "underline":
          if (c === "_" && src[i + 1] === "_") closeLen = 2;
          break;
        case "strikethrough":
          if (c === "~") closeLen = 1;
          break;
        case "spoiler":
          if (c === "|" && src[i + 1] === "|") closeLen = 2;
          break;
        case "text_link":
        case "custom_emoji":
          if (c === "]") closeLen = 1;
          break;
      }
    }
    if (closeLen > 0 && top) {
      stack.pop();
      i += closeLen;
      const length = out.length - top.start;
      if (top.type === "text_link" || top.type === "custom_emoji") {
        let url = "";
        if (src[i] === "(") {
          let j = i + 1;
          for (; j < n && src[j] !== ")"; j++) {
            if (src[j] === "\\" && j + 1 < n) j++;
            url += src.charAt(j);
          }
          if (j >= n) throw entitiesError(src, "Can't find end of a URL at byte offset %OFFSET%", i);
          i = j + 1;
        }
        if (top.type === "custom_emoji") {
          const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url);
          if (!id) throw entitiesError(src, "Custom emoji entity must contain a tg://emoji URL");
          if (length > 0) entities.push({ type: "custom_emoji", offset: top.start, length, custom_emoji_id: must(id[1], "the emoji id") });
        } else if (url !== "" && length > 0) {
          entities.push({ type: "text_link", offset: top.start, length, url });
        }
      } else if (length > 0) {
        entities.push({ type: top.type as "bold", offset: top.start, length });
      }
      continue;
    }
    const at = i;
    switch (c) {
      case "_":
        if (src[i + 1] === "_") {
          stack.push({ type: "underline", start: out.length, at });
          i += 2;
        } else {
          stack.push({ type: "italic", start: out.length, at });
          i++;
        }
        break;
      case "*":
        stack.push({ type: "bold", start: out.length, at });
        i++;
        break;
      case "~":
        stack.push({ type: "strikethrough", start: out.length, at });
        i++;
        break;
      case "|":
        if (src[i + 1] !== "|") throw entitiesError(src, "Character '|' is reserved and must be escaped with the preceding '\\'");
        stack.push({ type: "spoiler", start: out.length, at });
        i += 2;
        break;
      case "[":
        stack.push({ type: "text_link", start: out.length, at });
        i++;
        break;
      case "!":
        if (src[i + 1] !== "[") throw entitiesError(src, "Character '!' is reserved and must be escaped with the preceding '\\'");
        stack.push({ type: "custom_emoji", start: out.length, at });
        i += 2;
        break;
      case "`":
        if (src.startsWith("```", i)) {
          i += 3;
          const lang = /^([^\s`]+)\n/.exec(src.slice(i, i + 64));
          const entry: { type: string; start: number; at: number; language?: string } = { type: "pre", start: out.length, at };
          if (lang) {
            entry.language = must(lang[1], "the code block's language");
            i += lang[0].length;
          } else if (src[i] === "\n") {
            i++;
          }
          entry.start = out.length;
          stack.push(entry);
        } else {
          stack.push({ type: "code", start: out.length, at });
          i++;
        }
        break;
      default:
        throw entitiesError(src, `Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
  }
  const open = stack.at(-1);
  if (open) {
    throw entitiesError(src, `Can't find end of ${MDV2_NAMES[open.type] ?? open.type} entity at byte offset %OFFSET%`, open.at);
  }
  endQuote();
  return { text: out, entities: sortEntities(entities) };
}

function parseMarkdown(src: string): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  const n = src.length;
  let i = 0;
  const cannotFindEnd = (at: number): ApiError => entitiesError(src, "Can't find end of the entity starting at byte offset %OFFSET%", at);
  while (i < n) {
    const c = src.charAt(i);
    if (c === "\\" && "_*`[".includes(src[i + 1] ?? "x")) {
      out += src.charAt(i + 1);
      i += 2;
      continue;
    }
    if (!"_*`[".includes(c)) {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    if (c === "[") {
      const close = src.indexOf("]", i + 1);
      if (close < 0) throw cannotFindEnd(begin);
      const text = src.slice(i + 1, close);
      i = close + 1;
      let url = "";
      if (src[i] === "(") {
        const end = src.indexOf(")", i + 1);
        if (end < 0) throw cannotFindEnd(begin);
        url = src.slice(i + 1, end);
        i = end + 1;
      }
      if (url !== "" && text.length > 0) entities.push({ type: "text_link", offset: out.length, length: text.length, url });
      out += text;
      continue;
    }
    if (c === "`" && src.startsWith("```", i)) {
      const end = src.indexOf("```", i + 3);
      if (end < 0) throw cannotFindEnd(begin);
      let body = src.slice(i + 3, end);
      const lang = /^([^\s`]+)\n/.exec(body);
      if (lang) body = body.slice(lang[0].length);
      if (body.length > 0) entities.push(lang ? { type: "pre", offset: out.length, length: body.length, language: must(lang[1], "the code block's language") } : { type: "pre", offset: out.length, length: body.length });
      out += body;
      i = end + 3;
      continue;
    }
    const end = src.indexOf(c, i + 1);
    if (end < 0) throw cannotFindEnd(begin);
    const body = src.slice(i + 1, end);
    if (body.length > 0) entities.push({ type: c === "*" ? "bold" : c === "_" ? "italic" : "code", offset: out.length, length: body.length });
    out += body;
    i = end + 1;
  }
  return { text: out, entities: sortEntities(entities) };
}
