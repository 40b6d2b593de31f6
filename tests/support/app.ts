/**
 * Starts the real app in-process for tests: shipped guides and flows, PGlite (in memory unless a
 * folder is given) or a given database, HTTP on a free loopback port, Telegram when asked.
 */
import path from "node:path";
import type { UserFromGetMe } from "grammy/types";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { silentLogger, type Logger } from "../../src/log.js";
import type { OutboxOptions } from "../../src/service/outbox.js";
import type { Database } from "../../src/store/database.js";
import { ROOT } from "../helpers.js";

/** Options for {@link startTestApp}. */
export interface TestAppOptions {
  /** PGlite folder; in memory when absent. */
  readonly dataDir?: string;
  /** A database to use instead (not closed by the app). */
  readonly database?: Database;
  /** Run Telegram against a fake Bot API server. */
  readonly telegram?: { readonly apiRoot: string; readonly token: string; readonly botInfo: UserFromGetMe; readonly webhookUrl?: string };
  /** Settings on top of the defaults (environment variable names). */
  readonly env?: Record<string, string>;
  /** Outbox timing; tests default to quick polling and retries. */
  readonly outbox?: OutboxOptions;
  /** Where the app logs (silent by default). */
  readonly log?: Logger;
  /** The clock for the calendar and opening hours residents are told about. */
  readonly now?: () => Date;
}

/** Starts the app; `url` is its loopback address. */
export async function startTestApp(options: TestAppOptions = {}): Promise<RunningApp & { config: Config }> {
  const config = loadConfig({
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
    FLOWS_DIR: path.join(ROOT, "flows"),
    PORT: "0",
    HOST: "127.0.0.1",
    // Every test client comes from 127.0.0.1: the session limits get their own test.
    WEB_SESSIONS_PER_ADDRESS: "100000",
    WEB_SESSIONS_PER_MINUTE: "100000",
    // No offline speech (and no "🔊" buttons) unless a test asks for it.
    TTS_OFFLINE: "off",
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...(options.telegram
      ? {
          TELEGRAM_BOT_TOKEN: options.telegram.token,
          TELEGRAM_API_ROOT: options.telegram.apiRoot,
          ...(options.telegram.webhookUrl ? { TELEGRAM_WEBHOOK_URL: options.telegram.webhookUrl } : {}),
        }
      : {}),
    ...options.env,
  });
  const memory = options.database === undefined && options.dataDir === undefined;
  const database = options.database ?? (memory ? await (await import("../../src/store/database.js")).openDatabase({ kind: "pglite" }) : undefined);
  const app = await startApp(config, options.log ?? silentLogger, {
    ...(database ? { database } : {}),
    ...(options.telegram ? { telegram: { botInfo: options.telegram.botInfo, throttle: false } } : {}),
    outbox: options.outbox ?? { pollMs: 50, baseDelayMs: 50, maxDelayMs: 500 },
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    ...app,
    config,
    close: async () => {
      await app.close();
      if (memory) await database?.close();
    },
  };
}
