/**
 * The web chat's speech endpoints (docs/web-chat-api.md):
 *
 * - `GET /api/chat/voice` — what is available: `{"listen","speak"}`.
 * - `POST /api/chat/sessions/:id/voice` — a recording as the body (`audio/webm`, `audio/ogg`,
 *   `audio/wav`, `audio/mpeg`; at most 20 MB and 2 minutes), answered like a message:
 *   `{"lang","replies"}`, the first reply being "🎤 Sapratu: «…»". 503 `voice_unavailable`
 *   when no speech service is configured.
 * - `POST /api/chat/sessions/:id/speech` — `{"text"}` of a message the bot sent in this
 *   conversation, answered as OGG/Opus speech. 503 `voice_unavailable` without speech.
 * @module
 */
import { randomBytes } from "node:crypto";
import type { Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import { RequestError, VoiceError } from "../core/errors.js";
import type { Reply } from "../core/types.js";
import type { Logger } from "../log.js";
import type { ConversationService } from "../service/conversations.js";
import type { Resident } from "../store/conversation-store.js";
import { AUDIO_TYPES, baseType } from "../voice/audio.js";
import { MAX_VOICE_BYTES, type Voice } from "../voice/voice.js";
import type { RateLimiter } from "./limits.js";

/** The recording upload's address (its body limit is larger than other requests'). */
export const VOICE_PATH = /^\/api\/chat\/sessions\/[^/]+\/voice$/;
/** The largest recording body accepted (20 MB and a little room). */
export const VOICE_BODY_LIMIT = MAX_VOICE_BYTES + 64 * 1024;

/** A web chat recording kept for staff while its ticket is open. */
export interface VoiceClip {
  readonly id: string;
  readonly residentId: number;
  readonly ticketId: number;
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** Where web chat recordings are kept (see `store/voice-clips.ts`). */
export interface VoiceClips {
  save(clip: VoiceClip): Promise<void>;
}

interface ChatEnv { Variables: { resident: Resident } }

/** What the speech routes need from the web chat API. */
export interface VoiceRouteOptions {
  readonly service: ConversationService;
  readonly log: Logger;
  readonly voice?: Voice;
  readonly clips?: VoiceClips;
  /** The web chat's session check (sets `resident`). */
  readonly session: MiddlewareHandler<ChatEnv>;
  /** The web chat's per-session message limit. */
  readonly limiter: RateLimiter;
  /** Replies as the web chat reads them. */
  readonly replies: (replies: readonly Reply[]) => unknown;
}

const MessageId = /^[A-Za-z0-9_-]{8,64}$/;
const SpeechBody = z.object({ text: z.string().min(1).max(5000) }).strict();

/** Adds the speech routes to the web chat API (mounted at `/api/chat`). */
export function voiceRoutes(api: Hono<ChatEnv>, options: VoiceRouteOptions): void {
  const { service, voice, limiter } = options;

  api.get("/voice", (c) => c.json({ listen: voice?.canListen === true, speak: voice?.canSpeak === true }));

  api.post("/sessions/:id/voice", options.session, async (c) => {
    const resident = c.var.resident;
    if (!voice?.canListen) throw new VoiceError("voice_unavailable", "Voice messages are not available here. Please type your question.");
    const type = baseType(c.req.header("content-type") ?? "");
    if (!AUDIO_TYPES[type]) throw new RequestError("unsupported_media_type", "Send the recording as audio/webm, audio/ogg, audio/wav or audio/mpeg.");
    const messageId = c.req.query("messageId");
    if (messageId !== undefined && !MessageId.test(messageId)) throw new RequestError("bad_request", "messageId must be 8–64 letters, digits, _ or -");
    if (!limiter.allow(resident.chatId)) throw new RequestError("too_many_requests", "Too many messages. Please wait a minute.");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new RequestError("bad_request", "The recording is empty.");
    const clipId = randomBytes(16).toString("base64url");
    const input = await voice.hear(
      { media: "voice", file: { channel: "web", id: clipId, name: `voice.${AUDIO_TYPES[type]}` }, lang: resident.lang },
      () => Promise.resolve({ bytes, contentType: type }),
    );
    const turn = await service.handle("web", resident.chatId, input, messageId ? { updateId: `${resident.chatId}:${messageId}`, keepReplies: true } : {});
    // Relayed to a member of staff: keep the recording with the ticket (a player in the console).
    const relayed = turn.result?.relay;
    if (relayed?.attachment?.id === clipId && options.clips) {
      try {
        await options.clips.save({ id: clipId, residentId: turn.residentId, ticketId: relayed.ticketId, bytes, contentType: type });
      } catch (error) {
        options.log.warn("could not keep a voice message for the ticket (the transcript went to staff)", { error });
      }
    }
    return c.json({ lang: turn.lang, replies: options.replies(turn.replies), ...(messageId ? { messageId, repeated: turn.duplicate } : {}) });
  });

  api.post("/sessions/:id/speech", options.session, async (c) => {
    const resident = c.var.resident;
    if (!voice?.canSpeak) throw new VoiceError("voice_unavailable", "Answers cannot be read aloud here.");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    const parsed = SpeechBody.safeParse(body);
    if (!parsed.success) throw new RequestError("bad_request", "Send {\"text\": \"<the text of a message from the assistant>\"}.");
    if (!limiter.allow(resident.chatId)) throw new RequestError("too_many_requests", "Too many requests. Please wait a minute.");
    // Only what the bot said in this conversation is spoken (not any text anyone posts).
    const wanted = parsed.data.text.trim();
    const line = (await service.history(resident.id, 200)).reverse().find((l) => l.direction === "out" && l.text.trim() === wanted);
    if (!line) throw new RequestError("not_found", "This conversation has no such message from the assistant.");
    const audio = await voice.speak(line.text, line.lang ?? resident.lang);
    return c.body(audio.bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": audio.contentType, "Cache-Control": "private, max-age=3600" });
  });
}
