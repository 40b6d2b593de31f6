/**
 * Slack's HTTP requests through the project's Hono server: a Bolt receiver.
 * @module
 */
import { ReceiverMultipleAckError, type App, type Receiver, type ReceiverEvent } from "@slack/bolt";
import { AuthError, RequestError } from "../../core/errors.js";
import type { Logger } from "../../log.js";
import { errorResponse } from "../../server/errors.js";
import { ACK_TIMEOUT_MS, ackResponse, json } from "./ack.js";
import { isValidSlackSignature } from "./verify-request.js";

/** Largest inbound request body accepted, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How many handled `event_id`s are remembered for deduplicating Slack's retries. */
const SEEN_EVENTS_LIMIT = 10_000;

const unauthorized = (): Response => errorResponse(new AuthError("unauthorized", "The Slack signature is missing, wrong or too old."));

/**
 * A Bolt {@link Receiver} that takes web-standard `Request`s (from Hono) instead of running its
 * own HTTP server. It verifies the signature, answers `url_verification` and `ssl_check`, drops
 * Events API retries of events it already accepted, and answers with whatever Bolt's `ack` gives.
 * Processing continues after the answer (Slack wants one within 3 seconds); {@link idle} waits for it.
 */
export class HonoReceiver implements Receiver {
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
      ack: (response?: unknown): Promise<void> => {
        if (acked) return Promise.reject(new ReceiverMultipleAckError());
        acked = true;
        settle(ackResponse(response));
        return Promise.resolve();
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
