/**
 * Wires the app: database and migrations, content (guides and flows, checked before going live),
 * the conversation service, the HTTP server (web chat, webhook) and Telegram when configured.
 * `npm start` and the tests start the app through {@link startApp}.
 * @module
 */
import path from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { SlackChannel } from "./staff/slack/index.js";
import type { TelegramChannel } from "./channels/telegram.js";
import type { Config } from "./config.js";
import { Conversation } from "./core/conversation.js";
import { openingStatus, waitingNotice, type StaffPresence } from "./core/hours.js";
import type { Lang } from "./core/types.js";
import { LiveContent } from "./content/live.js";
import { ContentSnapshot, SNAPSHOT_FILE } from "./content/snapshot.js";
import { ScopedAssistant } from "./content/out-of-scope.js";
import { ContentStore } from "./content/store.js";
import { HandledGroups } from "./content/handled.js";
import { MissingGuides } from "./content/missing-guides.js";
import { Teacher } from "./content/teach.js";
import type { Logger } from "./log.js";
import { contentRoutes } from "./server/content-http.js";
import { editorAssets } from "./server/editor-assets.js";
import { createHttpApp } from "./server/http.js";
import { clientAddress, isHttps } from "./server/limits.js";
import { createStaffRoutes } from "./server/staff-http.js";
import { ConversationService } from "./service/conversations.js";
import { OutboxWorker, type OutboxOptions } from "./service/outbox.js";
import { reportFailedDelivery, residentHandlers, slackHandlers } from "./service/outbox-handlers.js";
import { StaffAccounts } from "./staff/accounts.js";
import { StaffPresenceTracker } from "./staff/presence.js";
import { TicketService, TICKET_TOPIC, type NewTicket } from "./staff/tickets.js";
import type { ContactMode, TicketContext, TicketSummary } from "./staff/types.js";
import { LocalNotifier, PgNotifier, type Notifier } from "./store/notifier.js";
import { purgeOldData } from "./store/retention.js";
import { refreshReportAggregates } from "./staff/reports/aggregates.js";
import { PgSlackThreads } from "./staff/slack/threads.js";
import { ConversationStore } from "./store/conversation-store.js";
import { openDatabase, type Database } from "./store/database.js";
import { migrate } from "./store/migrate.js";
import { PgVoiceClips } from "./store/voice-clips.js";
import { createVoice, type Voice } from "./voice/voice.js";
import { ContentError } from "./core/errors.js";


/** Overrides for tests and benchmarks. */
export interface AppOverrides {
  /** Use this database instead of the configured one (it is not closed by the app). */
  readonly database?: Database;
  /** Telegram test settings: the fake server's bot info and no throttling. */
  readonly telegram?: { readonly botInfo?: import("grammy/types").UserFromGetMe; readonly throttle?: boolean };
  /** Outbox timing (tests retry quickly). */
  readonly outbox?: OutboxOptions;
  /** What this process is, for the message a second process on the same PGlite folder shows. */
  readonly purpose?: string;
  /** The clock for what residents are told about the calendar and opening hours (tests). @default () => new Date() */
  readonly now?: () => Date;
}

/** The desk with a shortcut to open a ticket for an existing chat (tests, tools). */
export interface AppDesk extends TicketService {
  createTicket(input: { channel: string; chatId: string; lang: NewTicket["lang"]; parish?: string; contact?: ContactMode; phone?: string; question: string; context: TicketContext }): Promise<TicketSummary>;
}

/** A running app. */
export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly service: ConversationService;
  readonly store: ConversationStore;
  /** The database (tests and tools read it directly). */
  readonly database: Database;
  readonly telegram?: TelegramChannel;
  /** Speech in and out (transcription and speech may each be off). */
  readonly voice: Voice;
  readonly channels: readonly string[];
  readonly desk: AppDesk;
  readonly staffAccounts: StaffAccounts;
  readonly outbox: OutboxWorker;
  readonly notifier: Notifier;
  /** The serving content (published revisions; hot reload of the repository folders), and its status. */
  readonly content: LiveContent;
  /** The content revisions in the database. */
  readonly contentStore: ContentStore;
  /** The conversation currently serving (changes when content is reloaded). */
  conversation(): Conversation;
  close(): Promise<void>;
}

/**
 * Starts the app. When the database has no content yet and the repository's fails the check, the
 * start stops with every `file:line` problem listed.
 * @throws {ContentError} when there is no content that passed the check.
 */
export async function startApp(config: Config, log: Logger, overrides: AppOverrides = {}): Promise<RunningApp> {
  const database = overrides.database ?? await openDatabase(
    config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: config.dataDir },
    { log, ...(overrides.purpose ? { purpose: overrides.purpose } : {}), onPrepare: (message) => log.info(message) },
  );
  const ownsDatabase = overrides.database === undefined;
  try {
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info(`database migrated to version ${Math.max(...applied)}`);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const store = new ConversationStore(database.pool);
  const notifier: Notifier = database.kind === "postgres" && database.connection
    ? await PgNotifier.start(database.pool, database.connection, log)
    : new LocalNotifier();
  // The published content revisions in the database; the repository folders are imported at
  // start and, when saved, again (hot reload); every publish switches every instance.
  const contentStore = new ContentStore(database.pool, notifier);
  let conversation: Conversation | undefined;
  let live: LiveContent;
  try {
    live = await LiveContent.start({
      store: contentStore, pool: database.pool, notifier, log, knowledgeDir: config.knowledgeDir, flowsDir: config.flowsDir,
      // The embedded database's folder keeps the built content, so a restart skips parsing it.
      ...(ownsDatabase && database.kind === "pglite" ? { snapshot: new ContentSnapshot(path.join(config.dataDir, SNAPSHOT_FILE)) } : {}),
      onLoad: (next, outOfScope) => {
        conversation = new Conversation({ assistant: new ScopedAssistant({ knowledge: next.knowledge }, outOfScope), flows: next.flows });
      },
    });
  } catch (error) {
    await notifier.close();
    if (ownsDatabase) await database.close();
    throw error;
  }
  const serving = (): Conversation => {
    // Set by the first load, which LiveContent.start awaits (it throws when there is no content).
    if (!conversation) throw new ContentError(["no content is loaded"]);
    return conversation;
  };
  const centres = () => serving().assistant.knowledge.centres;
  let slack: SlackChannel | undefined;
  const tickets = new TicketService(database.pool, notifier, centres, () => slack !== undefined);
  const staffAccounts = new StaffAccounts(database.pool);
  const presence = new StaffPresenceTracker(database.pool, { log });
  // What a resident who asked for a person is told about the wait: confirmed hours only, else the
  // calendar, whether someone of the centre is online now, and the information line.
  const opening = async (centreId: string, lang: Lang): Promise<string | undefined> => {
    const data = centres();
    const centre = data?.centres.find((c) => c.id === centreId);
    const holidays = serving().assistant.knowledge.holidays;
    if (!centre || !holidays) return undefined;
    const online: StaffPresence | undefined = await presence.online(centreId).catch((error: unknown) => {
      log.warn("could not read staff presence", { error });
      return undefined;
    });
    const status = openingStatus(centre.hours, holidays, overrides.now?.() ?? new Date());
    return waitingNotice(status, online, lang, data?.information_line ? { informationLine: data.information_line } : {});
  };
  const service = new ConversationService({
    store, conversation: serving, log, defaultLang: config.defaultLang, tickets, notifier, opening, commitsInFlight: database.kind === "pglite" ? 1 : 2,
  });
  const outbox = new OutboxWorker(database.pool, residentHandlers({
    tickets, service, conversation: serving,
    drained: async (residentId, jobId) => (await database.pool.query(
      "SELECT 1 FROM outbox WHERE order_key = $1 AND id <> $2 AND done_at IS NULL AND failed_at IS NULL LIMIT 1", [`resident:${residentId}`, jobId])).rowCount === 0,
  }), log, { ...overrides.outbox, onFailed: reportFailedDelivery(tickets) });
  service.useOutbox(database.pool, (key) => void outbox.hurry(key).catch((error: unknown) => log.warn("could not hurry the outbox", { error })));
  const unwake = notifier.subscribe(TICKET_TOPIC, () => outbox.wake());
  const unreconnect = notifier.onReconnect(() => outbox.wake());
  if (config.slack) {
    const threads = new PgSlackThreads(database.pool);
    const channels = config.slack.channels;
    // Bolt is loaded only when Slack is configured (about 20 MB of memory otherwise unused).
    const { createSlackChannel } = await import("./staff/slack/index.js");
    slack = createSlackChannel({
      botToken: config.slack.botToken, signingSecret: config.slack.signingSecret,
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      desk: tickets, threads, log,
      // Every Slack action resolves its member of staff here: a sign of presence.
      directory: {
        bySlackUser: async (slackUserId: string) => {
          const staff = await staffAccounts.bySlackUser(slackUserId);
          if (staff) presence.seen(staff.id);
          return staff;
        },
      },
      channels: { forCentre: (centre) => channels[centre] ?? channels["*"] },
    });
    outbox.register(slackHandlers({ tickets, slack, threads }));
  }
  // Retention: daily; after a failure (the database was away) again in five minutes.
  let retention: NodeJS.Timeout | undefined;
  const scheduleRetention = (ms: number): void => {
    retention = setTimeout(() => {
      purgeOldData(database.pool, config.retentionDays).then((r) => {
        log.info("retention job done", { ...r });
        scheduleRetention(24 * 3600 * 1000);
      }, (error: unknown) => {
        log.warn("retention job failed; trying again in 5 minutes", { error });
        scheduleRetention(5 * 60 * 1000);
      });
    }, ms);
    retention.unref();
  };
  scheduleRetention(24 * 3600 * 1000);
  // The indicators' aggregates catch up every few minutes, so that a report finds little to do.
  const aggregates = setInterval(() => {
    refreshReportAggregates(database.pool).catch((error: unknown) => log.warn("report aggregates catch-up failed; trying again later", { error }));
  }, 5 * 60 * 1000);
  aggregates.unref();
  const desk: AppDesk = Object.assign(tickets, {
    createTicket: async (input: Parameters<AppDesk["createTicket"]>[0]): Promise<TicketSummary> => {
      const resident = await store.resident(input.channel, input.chatId, input.lang);
      return tickets.open({
        residentId: resident.id, channel: input.channel, lang: input.lang, contact: input.contact ?? "chat", question: input.question, context: input.context,
        ...(input.parish ? { parish: input.parish } : {}), ...(input.phone ? { phone: input.phone } : {}),
      });
    },
  });

  const voice = await createVoice(config.voice, log);
  const voiceClips = new PgVoiceClips(database.pool);
  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    // grammY is loaded only when Telegram is configured (a web-only start does without it).
    const { createTelegramChannel } = await import("./channels/telegram.js");
    telegram = createTelegramChannel({
      token: config.telegram.token,
      service,
      log,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      ...(config.telegram.webhookUrl ? { webhookUrl: config.telegram.webhookUrl } : {}),
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      retryBudgetMs: config.telegram.retryBudgetMs,
      voice,
      ...(overrides.telegram?.botInfo ? { botInfo: overrides.telegram.botInfo } : {}),
      ...(overrides.telegram?.throttle === false ? { throttle: false } : {}),
    });
  }
  const channels = ["web", ...(telegram ? [`telegram (${telegram.mode})`] : []), ...(slack ? ["slack (staff)"] : [])];
  const origins = { ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}), trustProxy: config.trustProxy };
  // Teaching the bot from the unanswered report, the to-do list of missing guides, and which groups are handled.
  const teacher = new Teacher(database.pool, contentStore, notifier);
  const missingGuides = new MissingGuides(database.pool);
  const handled = new HandledGroups(teacher, missingGuides, serving);
  const staffRoutes = createStaffRoutes({
    // Over https (PUBLIC_URL, or a trusted TLS proxy) the console cookie is Secure.
    secureCookies: (c) => isHttps(c, origins),
    clientAddress: (c) => clientAddress(c, config.trustProxy),
    accounts: staffAccounts, desk: tickets, centres, log, attachments: tickets,
    content: { conversation: serving, status: () => live.status },
    extend: contentRoutes({ store: contentStore, live: () => live, teacher, missing: missingGuides, handled, pool: database.pool, log }),
    handled,
    reports: database.pool,
    presence,
    files: async (attachment) => {
      if (attachment.channel === "web") {
        // A web chat voice message, kept with its ticket.
        const clip = await voiceClips.load(attachment.id);
        if (!clip) throw new Error("the recording is no longer kept");
        return clip;
      }
      if (attachment.channel !== "telegram" || !telegram) throw new Error(`no channel to fetch ${attachment.channel} files from`);
      return telegram.download(attachment.id);
    },
  });
  const slackRoutes = new Hono();
  if (slack) {
    const s = slack;
    slackRoutes.post("/slack/events", (c) => s.handle(c.req.raw));
  }
  const http = createHttpApp({
    service,
    log,
    routes: [staffRoutes, slackRoutes, editorAssets()],
    ...(telegram?.webhook ? { telegramWebhook: telegram.webhook } : {}),
    trustProxy: config.trustProxy,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    webSessions: config.webSessions,
    voice,
    voiceClips,
    health: () => ({ channels, database: database.kind, speech: voice.describe() }),
    ping: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the database did not answer within 2 s")), 2000);
      });
      try {
        await Promise.race([database.pool.query("SELECT 1"), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: http.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost}:${port}`;

  if ((await staffAccounts.count()) === 0) {
    log.info("staff: no accounts yet; create the first admin with: npm run cli -- staff add <username> --role admin");
  }
  outbox.start();
  try {
    await telegram?.start();
  } catch (error) {
    server.close();
    if (ownsDatabase) await database.close();
    throw error;
  }

  let closed = false;
  return {
    url, port, service, store, database, channels, desk, voice, staffAccounts, outbox, notifier, content: live, contentStore,
    conversation: serving,
    ...(telegram ? { telegram } : {}),
    close: async () => {
      if (closed) return;
      closed = true;
      // 1. Stop accepting: no new connections, no new Telegram updates.
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idleConnections = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
      idleConnections.closeIdleConnections?.();
      unwake();
      unreconnect();
      await live.stop();
      clearTimeout(retention);
      clearInterval(aggregates);
      await telegram?.stop();
      // 2. Finish the turns being handled (their replies are sent or queued).
      await service.idle();
      // 3. Outbox: finish the jobs in hand, give back the rest of the leases.
      await outbox.stop();
      await slack?.idle();
      // 4. Event streams and keep-alive connections end; then the database closes.
      idleConnections.closeAllConnections?.();
      await serverClosed;
      await notifier.close();
      if (ownsDatabase) await database.close();
    },
  };
}
