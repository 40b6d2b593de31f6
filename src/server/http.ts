/**
 * The HTTP side (Hono): the web chat page and embeddable script, the web chat JSON API with
 * server-sent events, the Telegram webhook, and a health check. Errors are always JSON
 * `{"error":{"code","message"}}` with a fitting status, never a stack trace.
 * @module
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context, type Env, type Next } from "hono";
import { createMiddleware } from "hono/factory";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { AuthError, RequestError, SessionAuthError } from "../core/errors.js";
import { sanitizeText } from "../core/sanitize.js";
import type { Button, Input, Reply, StaffAuthor } from "../core/types.js";
import type { Logger } from "../log.js";
import type { ConversationService } from "../service/conversations.js";
import type { Resident } from "../store/conversation-store.js";
import type { Voice } from "../voice/voice.js";
import { errorResponse, onHttpError } from "./errors.js";
import { clientAddress, isHttps, isSameOrigin, RateLimiter } from "./limits.js";
import { voiceRoutes, VOICE_BODY_LIMIT, VOICE_PATH, type VoiceClips } from "./voice-http.js";

/** Where the page's files live. */
export const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../public");

/** Files served, by URL path. */
const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/widget.js": { file: "widget.js", type: "text/javascript; charset=utf-8" },
  "/static/chat.js": { file: "chat.js", type: "text/javascript; charset=utf-8" },
  "/static/chat-texts.js": { file: "chat-texts.js", type: "text/javascript; charset=utf-8" },
  "/static/render-text.js": { file: "render-text.js", type: "text/javascript; charset=utf-8" },
  "/static/api-client.js": { file: "api-client.js", type: "text/javascript; charset=utf-8" },
  "/static/base.css": { file: "base.css", type: "text/css; charset=utf-8" },
  "/static/chat.css": { file: "chat.css", type: "text/css; charset=utf-8" },
  "/static/voice.js": { file: "voice.js", type: "text/javascript; charset=utf-8" },
  "/static/event-stream.js": { file: "event-stream.js", type: "text/javascript; charset=utf-8" },
  "/static/dom.js": { file: "dom.js", type: "text/javascript; charset=utf-8" },
  "/static/chat-session.js": { file: "chat-session.js", type: "text/javascript; charset=utf-8" },
  "/static/chat-log.js": { file: "chat-log.js", type: "text/javascript; charset=utf-8" },
  "/static/voice.css": { file: "voice.css", type: "text/css; charset=utf-8" },
  "/static/embed-example.html": { file: "embed-example.html", type: "text/html; charset=utf-8" },
};

/** Longest text a resident may send in one web chat message. */
export const MAX_WEB_TEXT = 4000;
/** Web chat messages one session may send per minute. */
const MESSAGES_PER_MINUTE = 30;
/** How often an idle event stream gets a keep-alive comment. */
const KEEP_ALIVE_MS = 25_000;

/** Largest request body in bytes: webhooks (Telegram, Slack), the staff login, everything else. */
export const BODY_LIMITS = { webhook: 1024 * 1024, login: 4 * 1024, content: 1024 * 1024, default: 64 * 1024 } as const;

const CreateBody = z.object({ lang: z.enum(["lv", "ru", "en"]).optional() }).strict();
/** A client message id: the page's own id for one message, the same when it sends it again. */
const MessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "messageId must be 8–64 letters, digits, _ or -");
const MessageBody = z.union([
  z.object({ text: z.string().max(MAX_WEB_TEXT, `text must be at most ${MAX_WEB_TEXT} characters`), messageId: MessageId.optional() }).strict(),
  z.object({ button: z.string().min(1).max(128), messageId: MessageId.optional() }).strict(),
]);
/** An event id to resume after: a whole number, as the server gave it. */
const EventCursor = /^\d{1,15}$/;

/** Options for {@link createHttpApp}. */
export interface HttpOptions {
  readonly service: ConversationService;
  readonly log: Logger;
  /** Telegram's webhook handler, when Telegram runs in webhook mode. */
  readonly telegramWebhook?: (request: Request) => Promise<Response>;
  /** Extra health information. */
  readonly health?: () => Record<string, unknown>;
  /** Checks that the database answers (rejects when it does not); `/healthz` answers 503 then. */
  readonly ping?: () => Promise<void>;
  /** Keep-alive interval for event streams (tests shorten it). */
  readonly keepAliveMs?: number;
  /** More routes (the staff API and console, Slack). */
  readonly routes?: readonly Hono[];
  /** Reverse proxies in front whose X-Forwarded-For is trusted (0: none). */
  readonly trustProxy?: number;
  /** The public address (`PUBLIC_URL`): https there means HSTS; its origin is accepted for the staff API. */
  readonly publicUrl?: string;
  /** New web chat sessions allowed per client address per hour, and per instance per minute. */
  readonly webSessions?: { readonly perAddressPerHour: number; readonly perMinute: number };
  /** Speech: web chat recordings transcribed (`/voice`), answers spoken (`/speech`). */
  readonly voice?: Voice;
  /** Where web chat recordings are kept while a ticket needs them. */
  readonly voiceClips?: VoiceClips;
}

/** What the web chat API's session check sets on the context. */
interface ChatEnv { Variables: { resident: Resident } }

const NOT_FOUND = (): RequestError => new RequestError("not_found", "There is nothing at this address.");

interface JsonButton { id: string; label: string; inline?: boolean }
const toJsonButtons = (buttons: readonly Button[]): JsonButton[] => buttons.map((b) => ({ id: b.id, label: b.label, ...(b.inline ? { inline: true } : {}) }));
/** Replies as the web chat reads them; `from` marks a member of staff's message. */
const toJsonReplies = (replies: readonly Reply[], speech = false): { text: string; buttons: JsonButton[]; from?: StaffAuthor; listen?: true }[] =>
  replies.map((r) => ({ text: r.text, buttons: toJsonButtons(r.buttons), ...(r.from ? { from: r.from } : {}), ...(speech && r.listen ? { listen: true as const } : {}) }));

/** Builds the HTTP app. */
export function createHttpApp(options: HttpOptions): Hono {
  const { service, log } = options;
  const app = new Hono();
  const limiter = new RateLimiter(MESSAGES_PER_MINUTE, 60_000);
  const sessionLimits = options.webSessions ?? { perAddressPerHour: 60, perMinute: 300 };
  const sessionsPerAddress = new RateLimiter(sessionLimits.perAddressPerHour, 3600_000);
  const sessionsPerInstance = new RateLimiter(sessionLimits.perMinute, 60_000, 1);
  const cache = new Map<string, string>();

  // The one place errors become responses, also for the mounted routes (staff API, Slack).
  app.onError(onHttpError(log));
  app.notFound(() => errorResponse(NOT_FOUND()));

  // Every body is limited before anything reads it (a huge post must not fill the memory).
  const tooLarge = (): Response => errorResponse(new RequestError("payload_too_large", "The request is too large."));
  app.use("*", async (c: Context<Env, string>, next: Next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const p = c.req.path;
    const maxSize = p === "/telegram/webhook" || p.startsWith("/slack/") ? BODY_LIMITS.webhook : p === "/api/staff/login" ? BODY_LIMITS.login
      : p.startsWith("/api/staff/content/") || p.startsWith("/api/staff/unanswered/") ? BODY_LIMITS.content
      : VOICE_PATH.test(p) ? VOICE_BODY_LIMIT : BODY_LIMITS.default;
    return bodyLimit({ maxSize, onError: tooLarge })(c, next);
  });

  const origins = { ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}), trustProxy: options.trustProxy ?? 0 };
  app.use("*", async (c: Context, next: Next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    if (isHttps(c, origins)) c.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  });

  // The staff API takes only JSON, and only from our own pages: a cross-site form (text/plain,
  // urlencoded) cannot log a browser in or act for a signed-in member of staff.
  app.use("/api/staff/*", async (c: Context, next: Next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    if (!/^application\/json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
      throw new RequestError("bad_request", "Send the request as JSON (Content-Type: application/json).");
    }
    if (!isSameOrigin(c, origins)) throw new AuthError("forbidden", "Requests to the staff API must come from this site's own pages.");
    return next();
  });

  for (const [urlPath, { file, type }] of Object.entries(STATIC_FILES)) {
    app.get(urlPath, async (c) => {
      let body = cache.get(file);
      if (body === undefined) {
        try {
          body = await readFile(path.join(PUBLIC_DIR, file), "utf8");
        } catch {
          throw NOT_FOUND();
        }
        cache.set(file, body);
      }
      c.header("Content-Type", type);
      c.header("Cache-Control", "no-cache");
      if (type.startsWith("text/html")) {
        c.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; frame-src 'self'; base-uri 'none'; form-action 'self'");
      }
      return c.body(body);
    });
  }

  app.get("/healthz", async (c) => {
    const extra = options.health?.() ?? {};
    if (!options.ping) return c.json({ ok: true, ...extra });
    const up = await options.ping().then(() => true, () => false);
    return c.json({ ok: up, ...extra, databaseUp: up }, up ? 200 : 503);
  });
  for (const routes of options.routes ?? []) app.route("/", routes);

  if (options.telegramWebhook) {
    const handler = options.telegramWebhook;
    app.post("/telegram/webhook", (c) => handler(c.req.raw));
  }

  const api = new Hono<ChatEnv>();

  const readJson = async (c: Context): Promise<unknown> => {
    const text = await c.req.text();
    if (text.trim() === "") return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return Symbol.for("invalid");
    }
  };

  /** The session's resident (`c.var.resident`); the token as a bearer header, or `?token=` for event streams. */
  const session = (allowQuery: boolean) => createMiddleware<ChatEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (allowQuery ? c.req.query("token") : undefined);
    if (!bearer) throw new SessionAuthError("Send the session token as 'Authorization: Bearer <token>'.");
    c.set("resident", await service.authenticateWeb(c.req.param("id") ?? "", bearer));
    await next();
  });

  api.post("/sessions", async (c) => {
    const body = await readJson(c);
    const parsed = CreateBody.safeParse(body);
    if (!parsed.success) throw new RequestError("bad_request", "Send {} or {\"lang\": \"lv\" | \"ru\" | \"en\"}.");
    // New conversations are limited per client address and per instance (each database row costs).
    if (!sessionsPerAddress.allow(clientAddress(c, options.trustProxy ?? 0)) || !sessionsPerInstance.allow("all")) {
      throw new RequestError("too_many_requests", "Too many new conversations from here. Please wait a few minutes, or continue the conversation you have.");
    }
    const { id, token, turn } = await service.createWebSession(parsed.data.lang);
    return c.json({ id, token, lang: turn.lang, replies: toJsonReplies(turn.replies, options.voice?.canSpeak) }, 201);
  });

  api.get("/sessions/:id", session(false), async (c) => {
    const resident = c.var.resident;
    const lines = await service.history(resident.id, 200);
    // Lines stored before buttons were kept with each message: the last message gets the last buttons.
    const older = !lines.some((l) => l.buttons);
    const lastOut = older ? lines.map((l) => l.direction).lastIndexOf("out") : -1;
    const lastButtons = lastOut >= 0 ? await service.lastButtons(resident.id) : [];
    return c.json({
      id: c.req.param("id"),
      lang: resident.lang,
      messages: lines.map((l, i) => ({
        direction: l.direction, kind: l.kind ?? (l.direction === "in" ? "text" : "bot"), text: l.text,
        buttons: toJsonButtons(l.buttons ?? (i === lastOut ? lastButtons : [])),
        ...(l.author ? { from: l.author } : {}),
        // Guide answers and flow steps can be listened to again after a reload (not the "🎤 Sapratu" line).
        ...(options.voice?.canSpeak && l.kind === "bot" && (l.guideId || l.stepId) && !l.text.startsWith("🎤 ") ? { listen: true } : {}),
      })),
    });
  });

  api.post("/sessions/:id/messages", session(false), async (c) => {
    const resident = c.var.resident;
    const body = await readJson(c);
    const parsed = MessageBody.safeParse(body);
    if (!parsed.success) {
      const tooLong = typeof (body as { text?: unknown } | null)?.text === "string" && ((body as { text: string }).text.length > MAX_WEB_TEXT);
      throw new RequestError("bad_request", tooLong ? `The message is too long: at most ${MAX_WEB_TEXT} characters.` : "Send {\"text\": \"...\"} or {\"button\": \"<button id>\"}.");
    }
    if (!limiter.allow(resident.chatId)) throw new RequestError("too_many_requests", "Too many messages. Please wait a minute.");
    const input: Input = "text" in parsed.data ? { kind: "text", text: sanitizeText(parsed.data.text) } : { kind: "button", id: sanitizeText(parsed.data.button) };
    // With a client message id the message is stored once: sent again, it gets the same replies.
    const messageId = parsed.data.messageId;
    const turn = await service.handle("web", resident.chatId, input, messageId ? { updateId: `${resident.chatId}:${messageId}`, keepReplies: true } : {});
    // `forgotten`: the resident's data was deleted (/forget confirmed); the browser drops its copy too.
    return c.json({ lang: turn.lang, replies: toJsonReplies(turn.replies, options.voice?.canSpeak), ...(messageId ? { messageId, repeated: turn.duplicate } : {}), ...(turn.result?.forget ? { forgotten: true } : {}) });
  });

  api.get("/sessions/:id/events", session(true), async (c) => {
    const resident = c.var.resident;
    const given = c.req.header("last-event-id") ?? c.req.query("after");
    if (given !== undefined && given !== "" && !EventCursor.test(given)) throw new RequestError("bad_request", "after (or Last-Event-ID) must be an event id the server sent.");
    let cursor = given ? Number(given) : await service.lastWebEventId(resident.id);
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | undefined;
      const unsubscribe = service.onWebEvent(resident.id, () => wake?.());
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: "ready", data: "{}", retry: 3000 });
        while (!stream.aborted && !stream.closed) {
          const events = await service.webEvents(resident.id, cursor);
          for (const e of events) {
            const payload = e.payload as { replies?: Reply[] };
            await stream.writeSSE({ id: String(e.id), event: "message", data: JSON.stringify({ replies: toJsonReplies(payload.replies ?? []) }) });
            cursor = e.id;
          }
          if (events.length > 0) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.keepAliveMs ?? KEEP_ALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the client may have gone while this awaited
          if (!stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        unsubscribe();
      }
    });
  });

  voiceRoutes(api, {
    service, log, session: session(false), limiter, replies: (r) => toJsonReplies(r, options.voice?.canSpeak),
    ...(options.voice ? { voice: options.voice } : {}), ...(options.voiceClips ? { clips: options.voiceClips } : {}),
  });

  api.all("*", () => {
    throw new RequestError("not_found", "Unknown API address.");
  });
  app.route("/api/chat", api);
  return app;
}
