/**
 * The optional Slack integration for client service staff (Bolt for JavaScript).
 *
 * Outbound, a new ticket is announced in its centre's Slack channel with "Pieņemt" (claim) and
 * "Aizvērt" (close) buttons; the resident's later messages go into the announcement's thread and
 * the announcement is updated when the ticket is claimed or closed. Inbound, Slack's HTTP
 * requests arrive through the project's Hono server: {@link SlackChannel.handle} is the handler
 * for `POST /slack/events` and feeds Bolt through a small {@link Receiver} that verifies Slack's
 * signature. Buttons claim and close tickets through the {@link Desk}; a thread reply from the
 * agent who claimed the ticket is sent to the resident.
 *
 * Everything posted to Slack is masked with {@link maskPersonalData} and escaped for mrkdwn, so a
 * resident can neither leak a personal code into Slack nor ping `@channel`.
 *
 * Failed Slack API calls throw a {@link SlackRefusedError} (Slack answered, and said no) or a
 * {@link SlackNetworkError} (Slack could not be reached); callers branch on `code`, never on
 * message text.
 *
 * @example
 * const slack = createSlackChannel({ botToken, signingSecret, desk, directory, channels, threads, log });
 * http.post("/slack/events", (c) => slack.handle(c.req.raw));
 * await slack.announce(ticket); // from the outbox; idempotent per ticket
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  App,
  LogLevel,
  ReceiverMultipleAckError,
  webApi,
  type BlockAction,
  type ButtonAction,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
  type types as slackTypes,
} from "@slack/bolt";
import { AuthError, DeskError, RequestError, SlackNetworkError, SlackRefusedError, type DeskErrorCode } from "../core/errors.js";
import { maskPersonalData } from "../core/privacy.js";
import type { Logger } from "../log.js";
import { errorResponse } from "../server/errors.js";
import type { Desk } from "../staff/desk.js";
import type { StaffMember, TicketDetail, TicketSummary } from "../staff/types.js";

// === Constants

/** `action_id` of the claim button; its `value` is the ticket id. */
export const CLAIM_ACTION = "ticket_claim";
/** `action_id` of the close button; its `value` is the ticket id. */
export const CLOSE_ACTION = "ticket_close";
/** The close reason recorded when a ticket is closed from Slack. */
export const SLACK_CLOSE_REASON = "Aizvērts Slack";
/** Requests signed longer ago than this (or this far in the future) are rejected, as Slack advises. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;
/** Largest inbound request body accepted, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How long an inbound request may go unacknowledged before it is answered 404 (Bolt's value). */
const ACK_TIMEOUT_MS = 3001;
/** How many handled `event_id`s are remembered for deduplicating Slack's retries. */
const SEEN_EVENTS_LIMIT = 10_000;
/** Slack's limit for the text of one section block. */
const SECTION_TEXT_LIMIT = 3000;

/** What a member of staff reads in Slack, in plain Latvian. */
export const SLACK_TEXTS = {
  unknownUser: "Jūsu Slack konts nav sasaistīts ar DigiPalīga darbinieka kontu. Lūdzu, vērsieties pie administratora.",
  onlyClaimer: "Iedzīvotājam var atbildēt tikai darbinieks, kurš pieņēma šo pieteikumu. Jūsu ziņa netika nosūtīta.",
  claimFirst: "Vispirms pieņemiet pieteikumu ar pogu «Pieņemt». Jūsu ziņa netika nosūtīta.",
  closedNotSent: "Šis pieteikums jau ir aizvērts. Jūsu ziņa netika nosūtīta.",
  failed: "Kaut kas nogāja greizi. Lūdzu, mēģiniet vēlreiz vai izmantojiet darbinieku konsoli.",
} as const;

/** The explanation for each refused desk operation. */
export const DESK_ERROR_TEXTS: Readonly<Record<DeskErrorCode, string>> = {
  already_claimed: "Šo pieteikumu jau pieņēma cits darbinieks.",
  not_yours: "Šo pieteikumu apstrādā cits darbinieks.",
  closed: "Šis pieteikums jau ir aizvērts.",
  forbidden: "Jums nav piekļuves šī klientu apkalpošanas centra pieteikumiem.",
  not_found: "Šāds pieteikums netika atrasts.",
  unknown_centre: "Šo darbību neizdevās izpildīt. Lūdzu, izmantojiet darbinieku konsoli.",
  bad_request: "Šo darbību neizdevās izpildīt. Lūdzu, izmantojiet darbinieku konsoli.",
};

const LANGUAGE_NAMES: Readonly<Record<string, string>> = { lv: "latviešu", ru: "krievu", en: "angļu" };
const CHANNEL_NAMES: Readonly<Record<string, string>> = { telegram: "Telegram", web: "tīmekļa tērzēšana" };
const CONTACT_NAMES: Readonly<Record<string, string>> = { chat: "tērzēšanā", phone: "pa tālruni (atzvanīt)" };

// === Errors of the Slack API

/**
 * Translates an error of `@slack/web-api` into a `SlackChannelError` (`core/errors.ts`); anything else
 * (a programming error) is returned unchanged.
 */
export function toSlackError(method: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case webApi.ErrorCode.PlatformError: {
      const data = (error as { data?: { error?: unknown } }).data;
      return new SlackRefusedError(method, typeof data?.error === "string" ? data.error : "unknown_error", { cause: error });
    }
    case webApi.ErrorCode.RateLimitedError:
      return new SlackRefusedError(method, "ratelimited", { retryAfterSeconds: (error as { retryAfter?: number }).retryAfter ?? 1, cause: error });
    case webApi.ErrorCode.HTTPError:
      return new SlackRefusedError(method, `http_${String((error as { statusCode?: unknown }).statusCode)}`, { cause: error });
    case webApi.ErrorCode.RequestError:
      return new SlackNetworkError(method, error);
    default:
      return error;
  }
}

// === Thread storage

/** Where a ticket's announcement lives in Slack; its `ts` is also the thread's id. */
export interface SlackThread {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Remembers which Slack message announced which ticket. The server keeps it in PostgreSQL so
 * threads survive restarts; {@link MemorySlackThreads} is for tests.
 */
export interface SlackThreads {
  get(ticketId: number): Promise<SlackThread | undefined>;
  set(ticketId: number, thread: SlackThread): Promise<void>;
  /** The ticket announced by the message `ts` in `channel`. */
  byThread(channel: string, ts: string): Promise<number | undefined>;
}

/** {@link SlackThreads} in memory (tests, development). */
export class MemorySlackThreads implements SlackThreads {
  readonly #byTicket = new Map<number, SlackThread>();
  readonly #byThread = new Map<string, number>();

  /** The thread of a ticket, if it was announced. */
  get(ticketId: number): Promise<SlackThread | undefined> {
    return Promise.resolve(this.#byTicket.get(ticketId));
  }

  /** Records a ticket's thread. */
  set(ticketId: number, thread: SlackThread): Promise<void> {
    this.#byTicket.set(ticketId, { channel: thread.channel, ts: thread.ts });
    this.#byThread.set(`${thread.channel}/${thread.ts}`, ticketId);
    return Promise.resolve();
  }

  /** The ticket whose announcement is `ts` in `channel`. */
  byThread(channel: string, ts: string): Promise<number | undefined> {
    return Promise.resolve(this.#byThread.get(`${channel}/${ts}`));
  }
}

// === Options and the channel

/** Options for {@link createSlackChannel}. */
export interface SlackOptions {
  /** The bot token (`xoxb-…`). */
  readonly botToken: string;
  /** The app's signing secret, for verifying inbound requests. */
  readonly signingSecret: string;
  /**
   * Another Slack Web API root, ending with `/` (a local fake in tests).
   * @default "https://slack.com/api/"
   */
  readonly apiUrl?: string;
  readonly desk: Desk;
  /** Maps Slack user ids to members of staff; `undefined` when the Slack user is not linked. */
  readonly directory: { bySlackUser(slackUserId: string): Promise<StaffMember | undefined> };
  /** The Slack channel id of each centre; `undefined` when the centre does not use Slack. */
  readonly channels: { forCentre(centreId: string): string | undefined };
  readonly threads: SlackThreads;
  readonly log: Logger;
  /**
   * Timeout of one Slack API call, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/** A configured Slack channel. */
export interface SlackChannel {
  /** The Bolt app (its `client` is the Web API client). */
  readonly app: App;
  /** The handler for Slack's requests (`POST /slack/events`: events and interactivity). */
  handle(request: Request): Promise<Response>;
  /**
   * Posts a ticket to its centre's channel with claim and close buttons, and records the thread.
   * Does nothing when the ticket was already announced or its centre has no Slack channel.
   * @throws {SlackChannelError} (`core/errors.ts`) when Slack refuses or cannot be reached (the caller retries).
   */
  announce(ticket: TicketSummary): Promise<void>;
  /**
   * Posts a resident's or a system message into the ticket's thread (masked). Does nothing when
   * the ticket was never announced.
   * @throws {SlackChannelError} (`core/errors.ts`)
   */
  postToThread(ticketId: number, text: string, author: "resident" | "system"): Promise<void>;
  /**
   * Updates the announcement to show who claimed the ticket and removes the claim button.
   * @throws {SlackChannelError} (`core/errors.ts`)
   */
  markClaimed(ticket: TicketSummary): Promise<void>;
  /**
   * Updates the announcement to show that the ticket is closed, and why; removes the buttons.
   * @throws {SlackChannelError} (`core/errors.ts`)
   */
  markClosed(ticket: TicketSummary, reason: string): Promise<void>;
  /** Resolves when every inbound request accepted so far has been fully processed (tests, shutdown). */
  idle(): Promise<void>;
}

/** Builds the Slack channel. Nothing is sent to Slack until it is used. */
export function createSlackChannel(options: SlackOptions): SlackChannel {
  const { desk, directory, channels, threads, log } = options;
  if (!options.botToken) throw new Error("Slack needs a bot token (xoxb-…): set the Slack bot token or leave Slack off.");
  if (!options.signingSecret) throw new Error("Slack needs the app's signing secret: set it or leave Slack off.");

  const receiver = new HonoReceiver({ signingSecret: options.signingSecret, log });
  const app = new App({
    token: options.botToken,
    receiver,
    // The token is checked by the first real call; an `auth.test` at start-up would make start-up depend on Slack.
    tokenVerificationEnabled: false,
    convoStore: false,
    logger: boltLogger(log),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      // The outbox retries with backoff; the client's own 30-minute retry policy would block it.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
    },
  });
  const client = app.client;

  app.error(async (error) => {
    log.error("Slack: handling an inbound request failed", { error });
  });

  /** Calls a Web API method, translating its errors. */
  const call = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toSlackError(method, error);
    }
  };

  /** Tells one member of staff something only they see; failures are logged, not thrown. */
  const whisper = async (channel: string, user: string, text: string, threadTs?: string): Promise<void> => {
    try {
      await call("chat.postEphemeral", () => client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }));
    } catch (error) {
      log.warn("Slack: could not send an ephemeral message", { error, channel });
    }
  };

  const updateAnnouncement = async (ticket: TicketSummary, view: AnnouncementView): Promise<void> => {
    const thread = await threads.get(ticket.id);
    if (!thread) {
      log.debug("Slack: ticket was never announced; nothing to update", { ticketId: ticket.id });
      return;
    }
    const message = renderAnnouncement(ticket, view);
    await call("chat.update", () => client.chat.update({ channel: thread.channel, ts: thread.ts, text: message.text, blocks: message.blocks }));
  };

  const announcing = new Map<number, Promise<void>>();
  const announce = async (ticket: TicketSummary): Promise<void> => {
    const channel = channels.forCentre(ticket.centre);
    if (!channel) {
      log.debug("Slack: centre has no Slack channel; not announced", { ticketId: ticket.id, centre: ticket.centre });
      return;
    }
    if (await threads.get(ticket.id)) return;
    const result = await call("chat.postMessage", () => {
      const message = renderAnnouncement(ticket, { state: "waiting" });
      return client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    });
    if (!result.ts) throw new SlackRefusedError("chat.postMessage", "missing_ts");
    // Slack answers with the channel id even when a name was configured; threads are keyed by id.
    await threads.set(ticket.id, { channel: result.channel ?? channel, ts: result.ts });
    log.info("Slack: ticket announced", { ticketId: ticket.id, channel });
  };

  // === Inbound: buttons

  /** The member of staff behind a Slack user, or an ephemeral explanation. */
  const staffFor = async (slackUser: string, channel: string | undefined, threadTs?: string): Promise<StaffMember | undefined> => {
    const staff = await directory.bySlackUser(slackUser);
    if (!staff && channel) await whisper(channel, slackUser, SLACK_TEXTS.unknownUser, threadTs);
    return staff;
  };

  /** Explains a refused or failed desk operation to the member of staff. */
  const explain = async (error: unknown, channel: string | undefined, slackUser: string, threadTs?: string): Promise<void> => {
    if (!(error instanceof DeskError)) log.error("Slack: desk operation failed", { error });
    if (!channel) return;
    await whisper(channel, slackUser, error instanceof DeskError ? DESK_ERROR_TEXTS[error.code] : SLACK_TEXTS.failed, threadTs);
  };

  const buttonHandler = (operation: (staff: StaffMember, ticketId: number) => Promise<void>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: BlockAction<ButtonAction>; action: ButtonAction }): Promise<void> => {
      await ack();
      const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
      const ticketId = Number(action.value);
      if (!Number.isSafeInteger(ticketId) || ticketId <= 0) {
        log.warn("Slack: a ticket button without a ticket id", { actionId: action.action_id });
        return;
      }
      const staff = await staffFor(body.user.id, channel);
      if (!staff) return;
      try {
        await operation(staff, ticketId);
      } catch (error) {
        await explain(error, channel, body.user.id);
      }
    };

  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: CLAIM_ACTION },
    buttonHandler(async (staff, ticketId) => {
      const ticket = await desk.claim(staff, ticketId);
      log.info("Slack: ticket claimed", { ticketId, staff: staff.id });
      await updateAfterDesk(() => updateAnnouncement(ticket, { state: "claimed" }));
    }),
  );

  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: CLOSE_ACTION },
    buttonHandler(async (staff, ticketId) => {
      const ticket = await desk.close(staff, ticketId, SLACK_CLOSE_REASON);
      log.info("Slack: ticket closed", { ticketId, staff: staff.id });
      await updateAfterDesk(() => updateAnnouncement(ticket, { state: "closed", reason: SLACK_CLOSE_REASON }));
    }),
  );

  /** The desk already changed; a failed message update is logged (the next update repaints it). */
  const updateAfterDesk = async (update: () => Promise<void>): Promise<void> => {
    try {
      await update();
    } catch (error) {
      log.warn("Slack: could not update the announcement", { error });
    }
  };

  // === Inbound: thread replies

  app.event("message", async ({ event }) => {
    const message = threadReply(event as unknown as Record<string, unknown>);
    if (!message) return;
    const ticketId = await threads.byThread(message.channel, message.threadTs);
    if (ticketId === undefined) return;
    const staff = await staffFor(message.user, message.channel, message.threadTs);
    if (!staff) return;
    try {
      const ticket: TicketDetail = await desk.get(staff, ticketId);
      const refusal =
        ticket.status === "closed" ? SLACK_TEXTS.closedNotSent
        : ticket.status === "waiting" ? SLACK_TEXTS.claimFirst
        : ticket.assignee?.id !== staff.id ? SLACK_TEXTS.onlyClaimer
        : undefined;
      if (refusal) {
        await whisper(message.channel, message.user, refusal, message.threadTs);
        return;
      }
      await desk.reply(staff, ticketId, message.text);
      log.info("Slack: reply sent to the resident", { ticketId, staff: staff.id });
    } catch (error) {
      if (error instanceof DeskError && error.code === "not_yours") {
        await whisper(message.channel, message.user, SLACK_TEXTS.onlyClaimer, message.threadTs);
      } else {
        await explain(error, message.channel, message.user, message.threadTs);
      }
    }
  });

  return {
    app,
    handle: (request) => receiver.handle(request),
    announce: async (ticket) => {
      // Two concurrent calls for one ticket (an outbox retry racing the first try) post once.
      const running = announcing.get(ticket.id);
      if (running) return running;
      const attempt = announce(ticket).finally(() => announcing.delete(ticket.id));
      announcing.set(ticket.id, attempt);
      return attempt;
    },
    postToThread: async (ticketId, text, author) => {
      const thread = await threads.get(ticketId);
      if (!thread) {
        log.debug("Slack: ticket was never announced; message not posted", { ticketId });
        return;
      }
      const label = author === "resident" ? "*Iedzīvotājs:*" : "_Sistēma:_";
      const body = escapeMrkdwn(maskPersonalData(text));
      await call("chat.postMessage", () =>
        client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, text: `${label} ${body}`, unfurl_links: false, unfurl_media: false }),
      );
    },
    markClaimed: (ticket) => updateAnnouncement(ticket, { state: "claimed" }),
    markClosed: (ticket, reason) => updateAnnouncement(ticket, { state: "closed", reason }),
    idle: () => receiver.idle(),
  };
}

/** The parts of a `message` event that matter: a person's plain reply inside a thread. */
function threadReply(event: Record<string, unknown>): { channel: string; user: string; text: string; threadTs: string } | undefined {
  const { channel, user, text, ts, thread_ts: threadTs, subtype, bot_id: botId } = event;
  // Edits, deletions, joins and bot posts (our own included) carry a subtype or a bot id.
  if (subtype !== undefined || botId !== undefined) return undefined;
  if (typeof channel !== "string" || typeof user !== "string" || typeof text !== "string") return undefined;
  // A thread's parent message has thread_ts === ts; only replies count.
  if (typeof threadTs !== "string" || threadTs === ts) return undefined;
  if (text.trim() === "") return undefined;
  return { channel, user, text, threadTs };
}

// === Rendering

/** How an announcement shows its ticket: waiting (both buttons), claimed (close only), closed (none). */
export type AnnouncementView = { state: "waiting" } | { state: "claimed" } | { state: "closed"; reason: string };

/** A Block Kit block. */
type Block = slackTypes.KnownBlock;

/** Escapes `&`, `<` and `>` so that text cannot form links or mentions in Slack mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The announcement of a ticket, as text (for notifications) and blocks. */
export function renderAnnouncement(ticket: TicketSummary, view: AnnouncementView): { text: string; blocks: Block[] } {
  const question = escapeMrkdwn(maskPersonalData(ticket.question));
  const parish = ticket.parish ? escapeMrkdwn(ticket.parish) : "nav norādīts";
  const status =
    view.state === "waiting" ? ":hourglass_flowing_sand: Gaida darbinieku"
    : view.state === "claimed" ? `:raising_hand: Pieņēma: *${escapeMrkdwn(ticket.assignee?.displayName ?? "darbinieks")}*`
    : `:white_check_mark: Aizvērts: ${escapeMrkdwn(maskPersonalData(view.reason))}`;
  const quoted = truncate(question, SECTION_TEXT_LIMIT - 100).split("\n").map((line) => `> ${line}`).join("\n");
  const value = String(ticket.id);
  const buttons: slackTypes.Button[] = [];
  if (view.state === "waiting") {
    buttons.push({ type: "button", action_id: CLAIM_ACTION, value, style: "primary", text: { type: "plain_text", text: "Pieņemt" } });
  }
  if (view.state !== "closed") {
    buttons.push({
      type: "button",
      action_id: CLOSE_ACTION,
      value,
      text: { type: "plain_text", text: "Aizvērt" },
      confirm: {
        title: { type: "plain_text", text: "Aizvērt pieteikumu?" },
        text: { type: "plain_text", text: "Iedzīvotājam tiks lūgts novērtēt saņemto palīdzību." },
        confirm: { type: "plain_text", text: "Aizvērt" },
        deny: { type: "plain_text", text: "Atcelt" },
      },
    });
  }
  const blocks: Block[] = [
    { type: "section", text: { type: "mrkdwn", text: `*Pieteikums Nr. ${escapeMrkdwn(ticket.number)}*` } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Pagasts:*\n${parish}` },
        { type: "mrkdwn", text: `*Valoda:*\n${LANGUAGE_NAMES[ticket.lang] ?? ticket.lang}` },
        { type: "mrkdwn", text: `*Kanāls:*\n${escapeMrkdwn(CHANNEL_NAMES[ticket.channel] ?? ticket.channel)}` },
        { type: "mrkdwn", text: `*Saziņa:*\n${CONTACT_NAMES[ticket.contact] ?? ticket.contact}` },
      ],
    },
    { type: "section", text: { type: "mrkdwn", text: quoted || "> (bez teksta)" } },
    { type: "context", elements: [{ type: "mrkdwn", text: status }] },
  ];
  if (buttons.length > 0) blocks.push({ type: "actions", block_id: "ticket_actions", elements: buttons });
  const text = `Pieteikums Nr. ${ticket.number}${ticket.parish ? ` (${ticket.parish})` : ""}: ${truncate(maskPersonalData(ticket.question), 200)}`;
  return { text: escapeMrkdwn(text), blocks };
}

// === Signature verification

/**
 * Checks Slack's `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`) and that
 * `X-Slack-Request-Timestamp` is within {@link SIGNATURE_MAX_AGE_SECONDS} of `nowMs`.
 */
export function isValidSlackSignature(args: { signingSecret: string; body: string; timestamp: string | null; signature: string | null; nowMs?: number }): boolean {
  const { signingSecret, body, timestamp, signature } = args;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const ageSeconds = Math.abs(Math.floor((args.nowMs ?? Date.now()) / 1000) - Number(timestamp));
  if (ageSeconds > SIGNATURE_MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(`v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// === Receiver

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
const unauthorized = (): Response => errorResponse(new AuthError("unauthorized", "The Slack signature is missing, wrong or too old."));

/**
 * A Bolt {@link Receiver} that takes web-standard `Request`s (from Hono) instead of running its
 * own HTTP server. It verifies the signature, answers `url_verification` and `ssl_check`, drops
 * Events API retries of events it already accepted, and answers with whatever Bolt's `ack` gives.
 * Processing continues after the answer (Slack wants one within 3 seconds); {@link idle} waits for it.
 */
class HonoReceiver implements Receiver {
  #app: App | undefined;
  readonly #signingSecret: string;
  readonly #log: Logger;
  readonly #inFlight = new Set<Promise<void>>();
  /** Accepted `event_id`s, oldest first (a Map keeps insertion order). */
  readonly #seenEvents = new Map<string, true>();

  constructor(options: { signingSecret: string; log: Logger }) {
    this.#signingSecret = options.signingSecret;
    this.#log = options.log;
  }

  /** Called by Bolt's App constructor. */
  init(app: App): void {
    this.#app = app;
  }

  /** Nothing to start: the project's HTTP server owns the socket. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Waits for requests being processed. */
  stop(): Promise<void> {
    return this.idle();
  }

  /** Resolves when everything accepted so far has been processed. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Handles one request from Slack. */
  async handle(request: Request): Promise<Response> {
    const app = this.#app;
    if (!app) throw new Error("The Slack receiver was used before Bolt initialised it.");
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_BODY_BYTES) return errorResponse(new RequestError("payload_too_large", "The request is too large."));
    const raw = await request.text();
    if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return errorResponse(new RequestError("payload_too_large", "The request is too large."));
    const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

    // Slack's SSL check is unsigned; answer it without looking at anything else in the body.
    if (contentType === "application/x-www-form-urlencoded" && new URLSearchParams(raw).get("ssl_check") === "1") return new Response(null, { status: 200 });

    const signed = isValidSlackSignature({
      signingSecret: this.#signingSecret,
      body: raw,
      timestamp: request.headers.get("x-slack-request-timestamp"),
      signature: request.headers.get("x-slack-signature"),
    });
    if (!signed) {
      this.#log.warn("Slack: rejected a request with a bad or old signature");
      return unauthorized();
    }

    const body = parseBody(raw, contentType);
    if (!body) return errorResponse(new RequestError("bad_request", "The body is not a Slack payload."));
    if (body.type === "url_verification") return json(200, { challenge: typeof body.challenge === "string" ? body.challenge : "" });

    const eventId = typeof body.event_id === "string" ? body.event_id : undefined;
    const retryNum = parseRetryNum(request.headers.get("x-slack-retry-num"));
    if (eventId && this.#seenEvents.has(eventId)) {
      this.#log.debug("Slack: dropped a retry of an event already accepted", { eventId, retryNum });
      return new Response(null, { status: 200 });
    }
    if (eventId) this.#remember(eventId);

    let settle!: (response: Response) => void;
    const responded = new Promise<Response>((resolve) => (settle = resolve));
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ...(retryNum !== undefined ? { retryNum } : {}),
      ...(request.headers.get("x-slack-retry-reason") ? { retryReason: request.headers.get("x-slack-retry-reason") ?? "" } : {}),
      ack: async (response?: unknown): Promise<void> => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        settle(ackResponse(response));
      },
    };

    const timer = setTimeout(() => {
      if (acked) return;
      this.#log.warn("Slack: a request was not acknowledged in time", { type: body.type });
      settle(errorResponse(new RequestError("not_found", "No handler acknowledged this request.")));
    }, ACK_TIMEOUT_MS);

    const processing = app
      .processEvent(event)
      .then(() => {
        if (!acked) settle(errorResponse(new RequestError("not_found", "No handler acknowledged this request.")));
      })
      .catch((error: unknown) => {
        this.#log.error("Slack: processing a request failed", { error });
        // Let Slack retry an event that failed before it was acknowledged.
        if (!acked && eventId) this.#seenEvents.delete(eventId);
        settle(errorResponse(error));
      })
      .finally(() => {
        clearTimeout(timer);
        this.#inFlight.delete(processing);
      });
    this.#inFlight.add(processing);
    return responded;
  }

  #remember(eventId: string): void {
    this.#seenEvents.set(eventId, true);
    if (this.#seenEvents.size > SEEN_EVENTS_LIMIT) {
      const oldest = this.#seenEvents.keys().next().value;
      if (oldest !== undefined) this.#seenEvents.delete(oldest);
    }
  }
}

/** Slack's bodies: JSON (Events API), or a form whose `payload` field is JSON (interactivity), or a plain form (commands). */
function parseBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams(raw);
      const payload = form.get("payload");
      if (payload !== null) return asRecord(JSON.parse(payload));
      return Object.fromEntries(form);
    }
    return asRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function parseRetryNum(header: string | null): number | undefined {
  if (header === null) return undefined;
  const n = Number.parseInt(header, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** The HTTP answer for what a listener passed to `ack()`. */
function ackResponse(response: unknown): Response {
  if (response === undefined || response === null || response === "") return new Response(null, { status: 200 });
  if (typeof response === "string") return new Response(response, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  return json(200, response);
}

/**
 * Bolt's logger interface over the project's logger (which masks personal data). Bolt's debug
 * lines are dropped unless Bolt's level is set to debug (`app.logger.setLevel(LogLevel.DEBUG)`).
 */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]): string =>
    parts
      .map((part) => {
        if (typeof part === "string") return part;
        if (part instanceof Error) return `${part.name}: ${part.message}`;
        try {
          return JSON.stringify(part);
        } catch {
          return String(part);
        }
      })
      .join(" ");
  return {
    // Bolt's and the Web API client's debug lines include whole request bodies: only when asked for.
    debug: (...parts: unknown[]) => {
      if (level === LogLevel.DEBUG) log.debug(`slack: ${text(parts)}`);
    },
    info: (...parts: unknown[]) => log.info(`slack: ${text(parts)}`),
    warn: (...parts: unknown[]) => log.warn(`slack: ${text(parts)}`),
    error: (...parts: unknown[]) => log.error(`slack: ${text(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
