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
 *
 * The parts: render.ts (Block Kit and texts), verify-request.ts (signatures), receiver.ts and
 * ack.ts (Slack's HTTP requests through Hono), threads.ts (where announcements are), errors.ts,
 * logger.ts (Bolt's logger).
 * @module
 */
import { App, type BlockAction, type ButtonAction } from "@slack/bolt";
import { DeskError, SlackRefusedError } from "../../core/errors.js";
import { maskPersonalData } from "../../core/privacy.js";
import type { Logger } from "../../log.js";
import type { Desk } from "../desk.js";
import type { StaffMember, TicketDetail, TicketSummary } from "../types.js";
import { toSlackError } from "./errors.js";
import { boltLogger } from "./logger.js";
import { HonoReceiver } from "./receiver.js";
import { CLAIM_ACTION, CLOSE_ACTION, DESK_ERROR_TEXTS, escapeMrkdwn, renderAnnouncement, SLACK_TEXTS, type AnnouncementView } from "./render.js";
import type { SlackThreads } from "./threads.js";

export { toSlackError } from "./errors.js";
export { CLAIM_ACTION, CLOSE_ACTION, DESK_ERROR_TEXTS, escapeMrkdwn, renderAnnouncement, SLACK_TEXTS, type AnnouncementView } from "./render.js";
export { MemorySlackThreads, PgSlackThreads, type SlackThread, type SlackThreads } from "./threads.js";
export { isValidSlackSignature, SIGNATURE_MAX_AGE_SECONDS } from "./verify-request.js";

/** The close reason recorded when a ticket is closed from Slack. */
export const SLACK_CLOSE_REASON = "Aizvērts Slack";

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

  app.error((error) => {
    log.error("Slack: handling an inbound request failed", { error });
    return Promise.resolve();
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
