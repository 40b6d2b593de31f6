/**
 * Wires the app: database and migrations, content (guides and flows, checked before going live),
 * the conversation service, the HTTP server (web chat, webhook) and Telegram when configured.
 * `npm start` and the tests start the app through {@link startApp}.
 * @module
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createTelegramChannel, type TelegramChannel } from "./channels/telegram.js";
import type { Config } from "./config.js";
import { Assistant } from "./core/assistant.js";
import { Conversation } from "./core/conversation.js";
import { ContentError } from "./core/errors.js";
import { loadContent } from "./content.js";
import { formatDiagnostic, hasErrors } from "./knowledge/diagnostics.js";
import type { Logger } from "./log.js";
import { createHttpApp } from "./server/http.js";
import { ConversationService } from "./service/conversations.js";
import { ConversationStore } from "./store/conversation-store.js";
import { openDatabase, type Database } from "./store/database.js";
import { migrate } from "./store/migrate.js";


/** Overrides for tests and benchmarks. */
export interface AppOverrides {
  /** Use this database instead of the configured one (it is not closed by the app). */
  readonly database?: Database;
  /** Telegram test settings: the fake server's bot info and no throttling. */
  readonly telegram?: { readonly botInfo?: import("grammy/types").UserFromGetMe; readonly throttle?: boolean };
}

/** A running app. */
export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly service: ConversationService;
  readonly store: ConversationStore;
  readonly telegram?: TelegramChannel;
  readonly channels: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the app. Content with errors stops the start with every `file:line` problem listed.
 * @throws {ContentError} when guides or flows fail the check.
 */
export async function startApp(config: Config, log: Logger, overrides: AppOverrides = {}): Promise<RunningApp> {
  const content = await loadContent(config.knowledgeDir, config.flowsDir);
  for (const d of content.diagnostics.filter((x) => x.severity === "warning")) log.warn(formatDiagnostic(d));
  if (hasErrors(content.diagnostics)) {
    throw new ContentError(content.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic));
  }
  const conversation = new Conversation({ assistant: new Assistant({ knowledge: content.knowledge }), flows: content.flows });

  const database = overrides.database ?? await openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: config.dataDir });
  const ownsDatabase = overrides.database === undefined;
  try {
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info(`database migrated to version ${Math.max(...applied)}`);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const store = new ConversationStore(database.pool);
  const service = new ConversationService({ store, conversation: () => conversation, log, defaultLang: config.defaultLang });

  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    telegram = createTelegramChannel({
      token: config.telegram.token,
      service,
      log,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      ...(config.telegram.webhookUrl ? { webhookUrl: config.telegram.webhookUrl } : {}),
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      ...(overrides.telegram?.botInfo ? { botInfo: overrides.telegram.botInfo } : {}),
      ...(overrides.telegram?.throttle === false ? { throttle: false } : {}),
    });
  }
  const channels = ["web", ...(telegram ? [`telegram (${telegram.mode})`] : [])];
  const http = createHttpApp({
    service,
    log,
    ...(telegram?.webhook ? { telegramWebhook: telegram.webhook } : {}),
    health: () => ({ channels, database: database.kind }),
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: http.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost}:${port}`;

  try {
    await telegram?.start();
  } catch (error) {
    server.close();
    if (ownsDatabase) await database.close();
    throw error;
  }

  let closed = false;
  return {
    url, port, service, store, channels,
    ...(telegram ? { telegram } : {}),
    close: async () => {
      if (closed) return;
      closed = true;
      await telegram?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      if (ownsDatabase) await database.close();
    },
  };
}
