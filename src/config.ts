/**
 * Configuration from the environment, parsed once with zod. A bad value stops the start with a
 * message that names the setting and says what to put there.
 * @module
 */
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./core/errors.js";

const Schema = z.object({
  KNOWLEDGE_DIR: z.string().min(1).default("knowledge").describe("folder with the guides (knowledge/<lang>/<id>.md)"),
  FLOWS_DIR: z.string().min(1).default("flows").describe("folder with the scripted flows"),
  DEFAULT_LANG: z.enum(["lv", "ru", "en"]).default("lv").describe("language used when a message shows none: lv, ru or en"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info").describe("debug, info, warn or error"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("the HTTP port, a number from 1 to 65535 (default 3000)"),
  HOST: z.string().min(1).default("0.0.0.0").describe("the address to listen on, e.g. 0.0.0.0 or 127.0.0.1"),
  DATA_DIR: z.string().min(1).default("data").describe("the folder for the embedded database (PGlite), e.g. ./data"),
  DATABASE_URL: z.string().regex(/^postgres(?:ql)?:\/\/\S+$/, "must be a postgres:// connection string").optional()
    .describe("a PostgreSQL connection string such as postgres://user@127.0.0.1:5432/digipaligs, or leave it unset for the embedded database"),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a bot token").optional()
    .describe("the token from @BotFather (digits:letters), or leave it unset to run without Telegram"),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).optional().describe("the Bot API server address, e.g. https://api.telegram.org (the default) or a self-hosted one"),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).refine((u) => u.startsWith("https://") || /^http:\/\/(?:127\.0\.0\.1|localhost)[:/]/.test(u), "Telegram needs an https:// address")
    .optional().describe("the public https:// address Telegram should send updates to, or leave it unset for long polling"),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 letters, digits, _ or -").optional()
    .describe("16–256 letters, digits, _ or - (optional; derived from the token when unset)"),
  TELEGRAM_RETRY_SECONDS: z.coerce.number().int().min(1).max(50).default(25)
    .describe("how long one Telegram update may wait for the database and retry sending (1–50 s, default 25); unsent replies then wait in the outbox"),
  SLACK_BOT_TOKEN: z.string().regex(/^xox[a-z]-[A-Za-z0-9-]+$/, "does not look like a Slack bot token").optional()
    .describe("the Slack app's bot token (xoxb-…), or leave it unset to run without Slack"),
  SLACK_SIGNING_SECRET: z.string().regex(/^[a-f0-9]{16,}$/, "must be the app's signing secret (hex)").optional()
    .describe("the Slack app's signing secret (needed with SLACK_BOT_TOKEN)"),
  SLACK_API_URL: z.url().optional().describe("another Slack Web API root ending with /api/ (tests use a local fake)"),
  SLACK_CHANNELS: z.string().regex(/^\s*(?:[a-z0-9-]+|\*)=[A-Z0-9]+\s*(,\s*(?:[a-z0-9-]+|\*)=[A-Z0-9]+\s*)*$/, "must be centre=CHANNELID pairs separated by commas").optional()
    .describe("which Slack channel each centre uses, e.g. jelgava=C0123ABC,cenu-ozolnieku=C0456DEF"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the address residents and staff use, e.g. https://paligs.jelgavasnovads.lv (https makes console cookies Secure and sends HSTS)"),
  TRUST_PROXY: z.string().regex(/^(?:true|false|[0-5])$/, "must be true, false or the number of proxies (0–5)").default("false")
    .describe("true (or the number of reverse proxies in front) to take the client address from X-Forwarded-For; false when clients connect directly"),
  WEB_SESSIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(60)
    .describe("new web chat conversations one client address may start per hour, per instance (default 60)"),
  WEB_SESSIONS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300)
    .describe("new web chat conversations one instance starts per minute in all (default 300)"),
  STT_BASE_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the address of an OpenAI-compatible speech-to-text API ending in /v1, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1 (a self-hosted Whisper server); unset: voice messages are not transcribed"),
  STT_API_KEY: z.string().min(1).optional().describe("the speech-to-text API key (optional for a self-hosted server)"),
  STT_MODEL: z.string().regex(/^[\w.:/-]{1,100}$/, "must be a model name").default("whisper-1").describe("the transcription model, e.g. whisper-1 or Systran/faster-whisper-small"),
  STT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(15).describe("how long one transcription may take before it is tried once more (1–120 s, default 15)"),
  TTS_BASE_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the address of an OpenAI-compatible text-to-speech API ending in /v1; unset: espeak-ng speaks when installed"),
  TTS_API_KEY: z.string().min(1).optional().describe("the text-to-speech API key (defaults to STT_API_KEY; optional for a self-hosted server)"),
  TTS_MODEL: z.string().regex(/^[\w.:/-]{1,100}$/, "must be a model name").default("tts-1").describe("the speech model, e.g. tts-1 or gpt-4o-mini-tts"),
  TTS_VOICE_LV: z.string().regex(/^[\w.:/+-]{1,100}$/, "must be a voice name").optional().describe("the voice for Latvian answers (an API voice such as alloy, or an espeak-ng voice such as lv)"),
  TTS_VOICE_RU: z.string().regex(/^[\w.:/+-]{1,100}$/, "must be a voice name").optional().describe("the voice for Russian answers"),
  TTS_VOICE_EN: z.string().regex(/^[\w.:/+-]{1,100}$/, "must be a voice name").optional().describe("the voice for English answers"),
  TTS_OFFLINE: z.enum(["auto", "off"]).default("auto").describe("auto (speak with espeak-ng when it is installed and no TTS_BASE_URL is set) or off"),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe("days to keep transcripts and closed tickets (1–3650, default 90)"),
});

/** Speech settings: transcription of voice messages and spoken answers (src/voice). */
export interface VoiceConfig {
  /** OpenAI-compatible transcription; voice messages get the polite "not understood" answer without it. */
  readonly stt?: { readonly baseUrl: string; readonly apiKey?: string; readonly model: string; readonly timeoutMs: number };
  /** OpenAI-compatible speech; else espeak-ng when `offline` and installed. */
  readonly tts?: { readonly baseUrl: string; readonly apiKey?: string; readonly model: string };
  /** The voice per language, when set. */
  readonly voices: Readonly<Partial<Record<"lv" | "ru" | "en", string>>>;
  /** Speak with espeak-ng when no TTS service is configured (and it is installed). */
  readonly offline: boolean;
}

/** The parsed configuration. */
export interface Config {
  readonly knowledgeDir: string;
  readonly flowsDir: string;
  readonly defaultLang: "lv" | "ru" | "en";
  readonly logLevel: "debug" | "info" | "warn" | "error";
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly retentionDays: number;
  /** The public address, when set (https: Secure cookies and HSTS). */
  readonly publicUrl?: string;
  /** Reverse proxies in front whose X-Forwarded-For is trusted (0: none). */
  readonly trustProxy: number;
  /** Web chat session limits per instance. */
  readonly webSessions: { readonly perAddressPerHour: number; readonly perMinute: number };
  /** Speech in and out. */
  readonly voice: VoiceConfig;
  readonly slack?: {
    readonly botToken: string;
    readonly signingSecret: string;
    readonly apiUrl?: string;
    readonly channels: Readonly<Record<string, string>>;
  };
  readonly telegram?: {
    readonly token: string;
    readonly apiRoot?: string;
    readonly webhookUrl?: string;
    readonly webhookSecret?: string;
    /** The retry budget of one update, in milliseconds. */
    readonly retryBudgetMs: number;
  };
}

/**
 * Parses settings from `env` (default `process.env`).
 * @throws {ConfigError} naming every bad setting and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = Schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const field = Object.entries(Schema.shape).find(([name]) => name === key)?.[1];
      const shown = /TOKEN|SECRET|PASSWORD|DATABASE_URL|API_KEY/.test(key) ? "(hidden)" : JSON.stringify(env[key] ?? "");
      return `  ${key}=${shown}: ${issue.message}; set it to ${field?.description ?? "a valid value"}`;
    });
    throw new ConfigError(`Invalid settings:\n${lines.join("\n")}`);
  }
  const c = result.data;
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET) {
    throw new ConfigError("Invalid settings:\n  SLACK_SIGNING_SECRET is missing: Slack needs it with SLACK_BOT_TOKEN; set it to the app's signing secret");
  }
  const ttsKey = c.TTS_API_KEY ?? c.STT_API_KEY;
  return {
    knowledgeDir: path.resolve(c.KNOWLEDGE_DIR),
    flowsDir: path.resolve(c.FLOWS_DIR),
    defaultLang: c.DEFAULT_LANG,
    logLevel: c.LOG_LEVEL,
    port: c.PORT,
    retentionDays: c.RETENTION_DAYS,
    ...(c.PUBLIC_URL ? { publicUrl: c.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    trustProxy: c.TRUST_PROXY === "true" ? 1 : c.TRUST_PROXY === "false" ? 0 : Number(c.TRUST_PROXY),
    webSessions: { perAddressPerHour: c.WEB_SESSIONS_PER_ADDRESS, perMinute: c.WEB_SESSIONS_PER_MINUTE },
    voice: {
      ...(c.STT_BASE_URL
        ? { stt: { baseUrl: c.STT_BASE_URL.replace(/\/+$/, ""), ...(c.STT_API_KEY ? { apiKey: c.STT_API_KEY } : {}), model: c.STT_MODEL, timeoutMs: c.STT_TIMEOUT_SECONDS * 1000 } }
        : {}),
      ...(c.TTS_BASE_URL
        ? { tts: { baseUrl: c.TTS_BASE_URL.replace(/\/+$/, ""), ...(ttsKey ? { apiKey: ttsKey } : {}), model: c.TTS_MODEL } }
        : {}),
      voices: { ...(c.TTS_VOICE_LV ? { lv: c.TTS_VOICE_LV } : {}), ...(c.TTS_VOICE_RU ? { ru: c.TTS_VOICE_RU } : {}), ...(c.TTS_VOICE_EN ? { en: c.TTS_VOICE_EN } : {}) },
      offline: c.TTS_OFFLINE === "auto",
    },
    ...(c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET
      ? {
          slack: {
            botToken: c.SLACK_BOT_TOKEN,
            signingSecret: c.SLACK_SIGNING_SECRET,
            ...(c.SLACK_API_URL ? { apiUrl: c.SLACK_API_URL } : {}),
            channels: Object.fromEntries((c.SLACK_CHANNELS ?? "").split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
              // The schema's pattern makes every pair centre=CHANNELID.
              const [centre = "", channel = ""] = p.split("=");
              return [centre, channel];
            })),
          },
        }
      : {}),
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    ...(c.DATABASE_URL ? { databaseUrl: c.DATABASE_URL } : {}),
    ...(c.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: c.TELEGRAM_BOT_TOKEN,
            ...(c.TELEGRAM_API_ROOT ? { apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, "") } : {}),
            ...(c.TELEGRAM_WEBHOOK_URL ? { webhookUrl: c.TELEGRAM_WEBHOOK_URL } : {}),
            ...(c.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: c.TELEGRAM_WEBHOOK_SECRET } : {}),
            retryBudgetMs: c.TELEGRAM_RETRY_SECONDS * 1000,
          },
        }
      : {}),
  };
}
