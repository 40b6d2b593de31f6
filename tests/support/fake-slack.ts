/**
 * A local, in-process fake of the Slack Web API, plus helpers that play Slack's side of inbound
 * requests (signed button presses and thread messages), for tests.
 *
 * It listens on 127.0.0.1 (a random free port) and answers `POST /api/<method>` as Slack does:
 * HTTP 200 with `{ok:true,…}` or `{ok:false,error:"<code>"}` (429 with `Retry-After` for
 * `ratelimited`). Bodies may be form-urlencoded (what `@slack/web-api` sends; JSON-valued fields
 * such as `blocks` are parsed) or JSON. Supported methods: `auth.test`, `chat.postMessage`,
 * `chat.update`, `chat.postEphemeral`, `users.info`; others answer `unknown_method`.
 *
 * No dependencies beyond node:http and node:crypto. Not a security boundary: loopback only.
 *
 * @example
 * const fake = await FakeSlack.start();
 * const app = new App({ token: fake.token, receiver, clientOptions: { slackApiUrl: fake.apiUrl } });
 * fake.failNext("chat.postMessage", 1, "network");
 * await fake.sendAction(url, secret, { user: "U1", actionId: "ticket_claim", value: "7", channel: "C1", messageTs: ts });
 * expect(fake.calls("chat.update")).toHaveLength(1);
 * await fake.close();
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API request the fake received. */
export interface SlackCall {
  /** e.g. `chat.postMessage`. */
  readonly method: string;
  /** Parameters, with JSON-valued form fields (`blocks`, `attachments`…) parsed. */
  readonly params: Record<string, unknown>;
  /** The bearer token sent, if any. */
  readonly token: string | undefined;
  /** Whether the fake answered `ok:true`. */
  readonly ok: boolean;
  /** For failures: the error code, or `"network"` when the connection was dropped. */
  readonly error?: string;
}

/** A message in the fake workspace. `chat.update` replaces `text` and `blocks` in place. */
export interface SlackMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  readonly threadTs: string | undefined;
}

/** A Slack user known to `users.info`. */
export interface FakeSlackUser {
  readonly id: string;
  readonly name: string;
  readonly realName?: string;
  readonly email?: string;
}

/** Options for {@link FakeSlack.start}. */
export interface FakeSlackOptions {
  /** When set, calls with another bearer token are refused with `invalid_auth`. */
  readonly token?: string;
  /** Users for `users.info`. */
  readonly users?: readonly FakeSlackUser[];
}

/** A button press, as {@link FakeSlack.sendAction} sends it. */
export interface ActionSpec {
  readonly user: string;
  readonly actionId: string;
  readonly value: string;
  readonly channel: string;
  /** The `ts` of the message holding the button. */
  readonly messageTs: string;
  readonly team?: string;
}

/** A message in a thread, as {@link FakeSlack.sendThreadMessage} sends it. */
export interface ThreadMessageSpec {
  readonly user: string;
  readonly channel: string;
  readonly threadTs: string;
  readonly text: string;
  readonly eventId: string;
  /** Sent as `X-Slack-Retry-Num` (Slack's retries of an unacknowledged event). */
  readonly retryNum?: number;
  /** e.g. `message_changed`, `bot_message`. */
  readonly subtype?: string;
  readonly botId?: string;
  /** The message's own ts; generated when absent. */
  readonly ts?: string;
  readonly team?: string;
}

/** How a signed request is sent: the timestamp to sign with (seconds) and extra headers. */
export interface SendOptions {
  /** Seconds since the epoch; defaults to now. */
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Failure { remaining: number; error: string }

const BOT_USER = "UBOT0001";
const BOT_ID = "BBOT0001";
const TEAM = "T0000001";
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata"]);

/** The Slack signature header value for `body` signed at `timestamp`. */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** A fake Slack Web API server. */
export class FakeSlack {
  /** The bot token the fake expects (or a fixed test token). */
  readonly token: string;
  /** The API root to give the client, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  /** Messages posted, in order. */
  readonly messages: SlackMessage[] = [];

  readonly #server: http.Server;
  readonly #calls: SlackCall[] = [];
  readonly #failures = new Map<string, Failure>();
  readonly #users: Map<string, FakeSlackUser>;
  readonly #checkToken: boolean;
  #clock = 1_700_000_000;
  #seq = 0;

  private constructor(server: http.Server, options: FakeSlackOptions) {
    this.#server = server;
    this.token = options.token ?? "xoxb-test-token";
    this.#checkToken = options.token !== undefined;
    this.#users = new Map((options.users ?? []).map((u) => [u.id, u]));
    this.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  }

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const fake = new FakeSlack(server, options);
    server.on("request", (req, res) => void fake.#handle(req, res));
    return fake;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Calls received, all or of one method, in order. */
  calls(method?: string): SlackCall[] {
    return method === undefined ? [...this.#calls] : this.#calls.filter((c) => c.method === method);
  }

  /** Forgets recorded calls (messages stay). */
  clearCalls(): void {
    this.#calls.length = 0;
  }

  /** Messages posted as replies in a thread. */
  threadReplies(channel: string, threadTs: string): SlackMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
  }

  /**
   * Makes the next `n` calls of `method` fail: with Slack's `{ok:false,error}` for an error code
   * (`ratelimited` answers HTTP 429 with `Retry-After: 1`), or by destroying the socket for `"network"`.
   */
  failNext(method: string, n: number, error: string): void {
    this.#failures.set(method, { remaining: n, error });
  }

  /** Adds a user for `users.info`. */
  addUser(user: FakeSlackUser): void {
    this.#users.set(user.id, user);
  }

  // === Inbound requests, as Slack sends them

  /** Sends a signed `block_actions` payload (a button press) to `url`. */
  sendAction(url: string, signingSecret: string, spec: ActionSpec, options?: SendOptions): Promise<Response> {
    const team = spec.team ?? TEAM;
    const payload = {
      type: "block_actions",
      team: { id: team, domain: "test" },
      user: { id: spec.user, username: spec.user.toLowerCase(), name: spec.user.toLowerCase(), team_id: team },
      api_app_id: "A0000001",
      token: "verification-token",
      container: { type: "message", message_ts: spec.messageTs, channel_id: spec.channel, is_ephemeral: false },
      trigger_id: `${++this.#seq}.trigger`,
      channel: { id: spec.channel, name: "pieteikumi" },
      message: { type: "message", user: BOT_USER, bot_id: BOT_ID, ts: spec.messageTs, text: "" },
      actions: [
        {
          type: "button",
          action_id: spec.actionId,
          block_id: "ticket_actions",
          value: spec.value,
          text: { type: "plain_text", text: spec.actionId },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.sendSigned(url, signingSecret, body, "application/x-www-form-urlencoded", options);
  }

  /** Sends a signed Events API `message` event in a thread to `url`. */
  sendThreadMessage(url: string, signingSecret: string, spec: ThreadMessageSpec, options?: SendOptions): Promise<Response> {
    const team = spec.team ?? TEAM;
    const ts = spec.ts ?? this.#nextTs();
    const event: Record<string, unknown> = {
      type: "message",
      channel: spec.channel,
      user: spec.user,
      text: spec.text,
      ts,
      thread_ts: spec.threadTs,
      event_ts: ts,
      channel_type: "channel",
      team,
    };
    if (spec.subtype !== undefined) event.subtype = spec.subtype;
    if (spec.botId !== undefined) event.bot_id = spec.botId;
    const body = JSON.stringify({
      token: "verification-token",
      team_id: team,
      api_app_id: "A0000001",
      event,
      type: "event_callback",
      event_id: spec.eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: team, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    });
    const headers = { ...(spec.retryNum !== undefined ? { "x-slack-retry-num": String(spec.retryNum), "x-slack-retry-reason": "http_timeout" } : {}), ...options?.headers };
    return this.sendSigned(url, signingSecret, body, "application/json", { ...options, headers });
  }

  /** Sends a signed `url_verification` request. */
  sendUrlVerification(url: string, signingSecret: string, challenge: string, options?: SendOptions): Promise<Response> {
    const body = JSON.stringify({ token: "verification-token", challenge, type: "url_verification" });
    return this.sendSigned(url, signingSecret, body, "application/json", options);
  }

  /** Sends `body` signed with a secret other than the app's (expect 401). */
  sendWithBadSignature(url: string, body = JSON.stringify({ type: "url_verification", challenge: "x" }), contentType = "application/json"): Promise<Response> {
    return this.sendSigned(url, "not-the-signing-secret", body, contentType);
  }

  /** Sends any body, signed with `signingSecret` at `options.timestamp` (default now). */
  async sendSigned(url: string, signingSecret: string, body: string, contentType: string, options?: SendOptions): Promise<Response> {
    const timestamp = options?.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(url, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(signingSecret, timestamp, body),
        ...options?.headers,
      },
      body,
    });
  }

  // === The Web API

  #nextTs(): string {
    this.#clock += 1;
    return `${this.#clock}.${String(++this.#seq).padStart(6, "0")}`;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = url.pathname.replace(/^\/api\//, "");
    const params = parseParams(raw, req.headers["content-type"] ?? "", url.searchParams);
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : typeof params.token === "string" ? params.token : undefined;

    const failure = this.#failures.get(method);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      if (failure.remaining === 0) this.#failures.delete(method);
      this.#calls.push({ method, params, token, ok: false, error: failure.error });
      if (failure.error === "network") {
        req.socket.destroy();
        return;
      }
      const status = failure.error === "ratelimited" ? 429 : 200;
      res.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "1" } : {}) });
      res.end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }

    let answer: Record<string, unknown>;
    if (req.method !== "POST" && req.method !== "GET") answer = { ok: false, error: "invalid_request" };
    else if (this.#checkToken && token !== this.token) answer = { ok: false, error: token ? "invalid_auth" : "not_authed" };
    else answer = this.#answer(method, params);
    const ok = answer.ok === true;
    this.#calls.push({ method, params, token, ok, ...(ok ? {} : { error: String(answer.error) }) });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(answer));
  }

  #answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const str = (key: string): string | undefined => {
      const value = params[key];
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://test.slack.com/", team: "Test", user: "digipaligs", team_id: TEAM, user_id: BOT_USER, bot_id: BOT_ID };
      case "chat.postMessage": {
        const channel = str("channel");
        if (!channel) return { ok: false, error: "channel_not_found" };
        const text = str("text") ?? "";
        const blocks = Array.isArray(params.blocks) ? params.blocks : [];
        if (!text && blocks.length === 0) return { ok: false, error: "no_text" };
        const threadTs = str("thread_ts");
        if (threadTs && !this.messages.some((m) => m.channel === channel && m.ts === threadTs)) return { ok: false, error: "thread_not_found" };
        const message: SlackMessage = { channel, ts: this.#nextTs(), text, blocks, threadTs };
        this.messages.push(message);
        return { ok: true, channel, ts: message.ts, message: { type: "message", text, user: BOT_USER, bot_id: BOT_ID, ts: message.ts, ...(threadTs ? { thread_ts: threadTs } : {}) } };
      }
      case "chat.update": {
        const message = this.messages.find((m) => m.channel === str("channel") && m.ts === str("ts"));
        if (!message) return { ok: false, error: "message_not_found" };
        if (params.text !== undefined) message.text = typeof params.text === "string" ? params.text : JSON.stringify(params.text);
        if (Array.isArray(params.blocks)) message.blocks = params.blocks;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case "chat.postEphemeral": {
        if (!str("channel")) return { ok: false, error: "channel_not_found" };
        if (!str("user")) return { ok: false, error: "user_not_in_channel" };
        return { ok: true, message_ts: this.#nextTs() };
      }
      case "users.info": {
        const user = this.#users.get(str("user") ?? "");
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: { id: user.id, team_id: TEAM, name: user.name, real_name: user.realName ?? user.name, is_bot: false, profile: { real_name: user.realName ?? user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) } },
        };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}

/** Query string + body (form or JSON); JSON-valued form fields parsed. */
function parseParams(raw: string, contentType: string, query: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (contentType.startsWith("application/json")) {
    try {
      Object.assign(params, JSON.parse(raw) as Record<string, unknown>);
    } catch {
      // A malformed body leaves only the query parameters; the method then answers with an error.
    }
    return params;
  }
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        params[key] = JSON.parse(value) as unknown;
        continue;
      } catch {
        // Not JSON: keep the string, as Slack would then refuse it.
      }
    }
    params[key] = value;
  }
  return params;
}
