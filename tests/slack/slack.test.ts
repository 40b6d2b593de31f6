import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CLAIM_ACTION,
  CLOSE_ACTION,
  DESK_ERROR_TEXTS,
  MemorySlackThreads,
  SLACK_CLOSE_REASON,
  SLACK_TEXTS,
  createSlackChannel,
  isValidSlackSignature,
  type SlackChannel,
} from "../../src/staff/slack/index.js";
import { silentLogger } from "../../src/log.js";
import { DeskError, SlackChannelError, SlackNetworkError, SlackRefusedError } from "../../src/core/errors.js";
import type { Desk } from "../../src/staff/desk.js";
import type { StaffMember, TicketDetail, TicketEvent, TicketSummary } from "../../src/staff/types.js";
import { FakeSlack, slackSignature } from "../support/fake-slack.js";

const SECRET = "test-signing-secret";
const CENTRE = "jelgava";
const CHANNEL = "CJELGAVA1";

const anna: StaffMember = { id: 1, username: "anna", displayName: "Anna Bērziņa", role: "agent", centres: [CENTRE] };
const juris: StaffMember = { id: 2, username: "juris", displayName: "Juris Kalniņš", role: "agent", centres: [CENTRE] };
const SLACK_USERS: Readonly<Record<string, StaffMember>> = { UANNA: anna, UJURIS: juris };

type MutableTicket = { -readonly [K in keyof TicketDetail]: TicketDetail[K] };

/** An in-memory desk with the real desk's rules that matter here (claim race, ownership, closing). */
class FakeDesk implements Desk {
  readonly tickets = new Map<number, MutableTicket>();
  readonly replies: { staffId: number; ticketId: number; text: string }[] = [];
  readonly closes: { staffId: number; ticketId: number; reason: string }[] = [];

  add(id: number, patch: Partial<MutableTicket> = {}): TicketSummary {
    const ticket: MutableTicket = {
      id,
      number: `JN-${String(id).padStart(4, "0")}`,
      status: "waiting",
      centre: CENTRE,
      parish: "Ozolnieku pagasts",
      lang: "lv",
      channel: "telegram",
      contact: "chat",
      question: "Kā pieteikt atkritumu izvešanu?",
      assignee: null,
      createdAt: "2026-11-22T10:00:00.000Z",
      claimedAt: null,
      closedAt: null,
      phone: null,
      context: { reason: "askedForPerson" },
      reasonText: "Iedzīvotājs lūdza runāt ar cilvēku",
      closeReason: null,
      rating: null,
      ratingComment: null,
      transcript: [],
      messages: [],
      ...patch,
    };
    this.tickets.set(id, ticket);
    return { ...ticket };
  }

  #find(staff: StaffMember, id: number): MutableTicket {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new DeskError("not_found", `No ticket ${id}`);
    if (staff.role !== "admin" && !staff.centres.includes(ticket.centre)) throw new DeskError("forbidden", "Not your centre");
    return ticket;
  }

  list(): Promise<TicketSummary[]> {
    return Promise.resolve([...this.tickets.values()]);
  }

  get(staff: StaffMember, id: number): Promise<TicketDetail> {
    return Promise.resolve({ ...this.#find(staff, id) });
  }

  async claim(staff: StaffMember, id: number): Promise<TicketDetail> {
    // Yield first, so concurrent claims really interleave; the check-and-set below is atomic.
    await new Promise((resolve) => setImmediate(resolve));
    const ticket = this.#find(staff, id);
    if (ticket.status === "closed") throw new DeskError("closed", "Closed");
    if (ticket.assignee) throw new DeskError("already_claimed", "Someone else was first");
    ticket.status = "assigned";
    ticket.assignee = { id: staff.id, displayName: staff.displayName };
    ticket.claimedAt = new Date().toISOString();
    return { ...ticket };
  }

  async reply(staff: StaffMember, id: number, text: string): Promise<TicketDetail> {
    const ticket = this.#find(staff, id);
    if (ticket.status === "closed") throw new DeskError("closed", "Closed");
    if (ticket.status === "waiting") await this.claim(staff, id);
    if (ticket.assignee?.id !== staff.id) throw new DeskError("not_yours", "Not yours");
    this.replies.push({ staffId: staff.id, ticketId: id, text });
    return { ...ticket };
  }

  note(staff: StaffMember, id: number): Promise<TicketDetail> {
    return this.get(staff, id);
  }

  transfer(staff: StaffMember, id: number): Promise<TicketDetail> {
    return this.get(staff, id);
  }

  close(staff: StaffMember, id: number, reason: string): Promise<TicketDetail> {
    const ticket = this.#find(staff, id);
    if (ticket.status === "closed") return Promise.reject(new DeskError("closed", "Closed"));
    if (ticket.assignee && ticket.assignee.id !== staff.id) return Promise.reject(new DeskError("not_yours", "Not yours"));
    ticket.status = "closed";
    ticket.closeReason = reason;
    ticket.closedAt = new Date().toISOString();
    this.closes.push({ staffId: staff.id, ticketId: id, reason });
    return Promise.resolve({ ...ticket });
  }

  subscribe(_listener: (event: TicketEvent) => void): () => void {
    return () => undefined;
  }
}

/** Blocks as one JSON string, to look for texts in them. */
function blockTexts(blocks: unknown): string {
  return JSON.stringify(blocks);
}

function actionIds(blocks: unknown): string[] {
  const actions = (blocks as { type: string; elements?: { action_id?: string }[] }[]).find((b) => b.type === "actions");
  return (actions?.elements ?? []).map((e) => e.action_id ?? "");
}

describe("FakeDesk", () => {
  it("lets exactly one of two concurrent claims win", async () => {
    const desk = new FakeDesk();
    desk.add(1);
    const results = await Promise.allSettled([desk.claim(anna, 1), desk.claim(juris, 1)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(DeskError);
    expect((rejected?.reason as DeskError).code).toBe("already_claimed");
  });
});

describe("isValidSlackSignature", () => {
  it("accepts Slack's v0 signature and rejects a tampered body or an old timestamp", () => {
    const now = 1_800_000_000;
    const body = "payload=%7B%7D";
    const signature = slackSignature(SECRET, now, body);
    expect(isValidSlackSignature({ signingSecret: SECRET, body, timestamp: String(now), signature, nowMs: now * 1000 })).toBe(true);
    expect(isValidSlackSignature({ signingSecret: SECRET, body: `${body}x`, timestamp: String(now), signature, nowMs: now * 1000 })).toBe(false);
    expect(isValidSlackSignature({ signingSecret: SECRET, body, timestamp: String(now), signature, nowMs: (now + 301) * 1000 })).toBe(false);
    expect(isValidSlackSignature({ signingSecret: SECRET, body, timestamp: null, signature, nowMs: now * 1000 })).toBe(false);
  });
});

describe("Slack channel", () => {
  let fake: FakeSlack;
  let server: ServerType;
  let url: string;
  let desk: FakeDesk;
  let threads: MemorySlackThreads;
  let slack: SlackChannel;
  // The server's route calls whichever channel the current test built.
  let current: SlackChannel | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start({ token: "xoxb-test" });
    const http = new Hono();
    http.post("/slack/events", (c) => {
      if (!current) throw new Error("no Slack channel");
      return current.handle(c.req.raw);
    });
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await fake.close();
  });

  beforeEach(() => {
    fake.clearCalls();
    desk = new FakeDesk();
    threads = new MemorySlackThreads();
    slack = createSlackChannel({
      botToken: "xoxb-test",
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      desk,
      directory: { bySlackUser: (id) => Promise.resolve(SLACK_USERS[id]) },
      channels: { forCentre: (centre) => (centre === CENTRE ? CHANNEL : undefined) },
      threads,
      log: silentLogger,
    });
    current = slack;
  });

  afterEach(async () => {
    await slack.idle();
    current = undefined;
  });

  /** Announces ticket `id` and returns its thread. */
  async function announced(id: number, patch: Partial<MutableTicket> = {}): Promise<{ ticket: TicketSummary; ts: string }> {
    const ticket = desk.add(id, patch);
    await slack.announce(ticket);
    const thread = await threads.get(id);
    if (!thread) throw new Error("not announced");
    return { ticket, ts: thread.ts };
  }

  /** Presses a button and waits until the handler has finished. */
  async function press(user: string, actionId: string, id: number, ts: string): Promise<Response> {
    const response = await fake.sendAction(url, SECRET, { user, actionId, value: String(id), channel: CHANNEL, messageTs: ts });
    await slack.idle();
    return response;
  }

  function ephemerals(user: string): string[] {
    return fake.calls("chat.postEphemeral").filter((c) => c.params.user === user).map((c) => String(c.params.text));
  }

  describe("announce", () => {
    it("posts the ticket once with claim and close buttons, even when retried", async () => {
      const ticket = desk.add(7, { parish: "Valgundes pagasts", lang: "ru", contact: "phone" });
      await Promise.all([slack.announce(ticket), slack.announce(ticket)]);
      await slack.announce(ticket);

      const posts = fake.calls("chat.postMessage");
      expect(posts).toHaveLength(1);
      expect(posts[0]?.token).toBe("xoxb-test");
      expect(posts[0]?.params.channel).toBe(CHANNEL);
      const blocks = posts[0]?.params.blocks;
      expect(actionIds(blocks)).toEqual([CLAIM_ACTION, CLOSE_ACTION]);
      const text = blockTexts(blocks);
      for (const part of ["JN-0007", "Valgundes pagasts", "krievu", "Telegram", "pa tālruni", "Kā pieteikt atkritumu izvešanu?", "Pieņemt", "Aizvērt"]) expect(text).toContain(part);
      const buttons = (blocks as { type: string; elements?: { value?: string }[] }[]).find((b) => b.type === "actions")?.elements;
      expect(buttons?.map((b) => b.value)).toEqual(["7", "7"]);
      expect(await threads.get(7)).toEqual({ channel: CHANNEL, ts: fake.messages[fake.messages.length - 1]?.ts });
    });

    it("does nothing for a centre without a Slack channel", async () => {
      await slack.announce(desk.add(8, { centre: "ozolnieki" }));
      expect(fake.calls("chat.postMessage")).toHaveLength(0);
      expect(await threads.get(8)).toBeUndefined();
    });

    it("masks personal codes and neutralises mentions in posted text", async () => {
      const { ticket } = await announced(9, { question: "Mans kods 010190-12345, <!channel> palīdziet" });
      const post = fake.calls("chat.postMessage")[0];
      const all = `${String(post?.params.text)} ${blockTexts(post?.params.blocks)}`;
      expect(all).not.toContain("010190-12345");
      expect(all).toContain("[personas kods]");
      expect(all).not.toContain("<!channel>");

      await slack.postToThread(ticket.id, "Vēlreiz: 010190-12345", "resident");
      const reply = fake.calls("chat.postMessage")[1];
      expect(reply?.params.thread_ts).toBe((await threads.get(9))?.ts);
      expect(reply?.params.text).toBe("*Iedzīvotājs:* Vēlreiz: [personas kods]");
    });

    it("throws a typed network error while Slack is down, then succeeds once it is back", async () => {
      const ticket = desk.add(10);
      fake.failNext("chat.postMessage", 1, "network");
      const error: unknown = await slack.announce(ticket).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackNetworkError);
      expect((error as SlackChannelError).code).toBe("slack_network");
      expect((error as SlackChannelError).method).toBe("chat.postMessage");
      expect(await threads.get(10)).toBeUndefined();

      await slack.announce(ticket);
      expect(fake.calls("chat.postMessage").filter((c) => c.ok)).toHaveLength(1);
      expect(await threads.get(10)).toBeDefined();
    });

    it("throws a typed refusal with Slack's error code", async () => {
      fake.failNext("chat.postMessage", 1, "channel_not_found");
      const error: unknown = await slack.announce(desk.add(11)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackRefusedError);
      expect((error as SlackRefusedError).code).toBe("slack_refused");
      expect((error as SlackRefusedError).slackError).toBe("channel_not_found");

      fake.failNext("chat.postMessage", 1, "ratelimited");
      const limited: unknown = await slack.announce(desk.add(12)).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(SlackRefusedError);
      expect((limited as SlackRefusedError).slackError).toBe("ratelimited");
      expect((limited as SlackRefusedError).retryAfterSeconds).toBe(1);
    });
  });

  describe("buttons", () => {
    it("claims for a known agent and updates the announcement", async () => {
      const { ts } = await announced(20);
      const response = await press("UANNA", CLAIM_ACTION, 20, ts);
      expect(response.status).toBe(200);
      expect(desk.tickets.get(20)?.assignee?.id).toBe(anna.id);

      const [update] = fake.calls("chat.update");
      expect(update?.params.channel).toBe(CHANNEL);
      expect(update?.params.ts).toBe(ts);
      expect(blockTexts(update?.params.blocks)).toContain("Anna Bērziņa");
      expect(actionIds(update?.params.blocks)).toEqual([CLOSE_ACTION]);
      expect(fake.calls("chat.postEphemeral")).toHaveLength(0);
    });

    it("tells a second agent that the ticket was already claimed", async () => {
      const { ts } = await announced(21);
      await press("UANNA", CLAIM_ACTION, 21, ts);
      await press("UJURIS", CLAIM_ACTION, 21, ts);
      expect(desk.tickets.get(21)?.assignee?.id).toBe(anna.id);
      expect(ephemerals("UJURIS")).toEqual(["Šo pieteikumu jau pieņēma cits darbinieks."]);
      expect(fake.calls("chat.update")).toHaveLength(1);
    });

    it("lets exactly one of two simultaneous claims win", async () => {
      const { ts } = await announced(22);
      const responses = await Promise.all([
        fake.sendAction(url, SECRET, { user: "UANNA", actionId: CLAIM_ACTION, value: "22", channel: CHANNEL, messageTs: ts }),
        fake.sendAction(url, SECRET, { user: "UJURIS", actionId: CLAIM_ACTION, value: "22", channel: CHANNEL, messageTs: ts }),
      ]);
      await slack.idle();
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      const winner = desk.tickets.get(22)?.assignee?.id;
      expect([anna.id, juris.id]).toContain(winner);
      const loser = winner === anna.id ? "UJURIS" : "UANNA";
      expect(fake.calls("chat.postEphemeral").map((c) => c.params.user)).toEqual([loser]);
      expect(ephemerals(loser)).toEqual([DESK_ERROR_TEXTS.already_claimed]);
      expect(fake.calls("chat.update")).toHaveLength(1);
    });

    it("explains to an unlinked Slack user that their account is not linked", async () => {
      const { ts } = await announced(23);
      await press("USTRANGER", CLAIM_ACTION, 23, ts);
      expect(desk.tickets.get(23)?.status).toBe("waiting");
      expect(ephemerals("USTRANGER")).toEqual([SLACK_TEXTS.unknownUser]);
    });

    it("closes the ticket and shows it as closed without buttons", async () => {
      const { ts } = await announced(24);
      await press("UANNA", CLAIM_ACTION, 24, ts);
      await press("UANNA", CLOSE_ACTION, 24, ts);
      expect(desk.closes).toEqual([{ staffId: anna.id, ticketId: 24, reason: SLACK_CLOSE_REASON }]);
      const last = fake.calls("chat.update").at(-1);
      expect(blockTexts(last?.params.blocks)).toContain("Aizvērts");
      expect(actionIds(last?.params.blocks)).toEqual([]);
    });
  });

  describe("thread replies", () => {
    it("sends the claiming agent's reply to the resident", async () => {
      const { ts } = await announced(30);
      await press("UANNA", CLAIM_ACTION, 30, ts);
      const response = await fake.sendThreadMessage(url, SECRET, { user: "UANNA", channel: CHANNEL, threadTs: ts, text: "Labdien! Zvaniet 63012345.", eventId: "Ev30" });
      await slack.idle();
      expect(response.status).toBe(200);
      expect(desk.replies).toEqual([{ staffId: anna.id, ticketId: 30, text: "Labdien! Zvaniet 63012345." }]);
    });

    it("does not send another user's reply, and tells them why", async () => {
      const { ts } = await announced(31);
      await press("UANNA", CLAIM_ACTION, 31, ts);
      await fake.sendThreadMessage(url, SECRET, { user: "UJURIS", channel: CHANNEL, threadTs: ts, text: "Es arī varu palīdzēt", eventId: "Ev31" });
      await slack.idle();
      expect(desk.replies).toEqual([]);
      const [note] = fake.calls("chat.postEphemeral");
      expect(note?.params.user).toBe("UJURIS");
      expect(note?.params.thread_ts).toBe(ts);
      expect(note?.params.text).toBe(SLACK_TEXTS.onlyClaimer);
    });

    it("does not reply for a ticket nobody has claimed yet", async () => {
      const { ts } = await announced(32);
      await fake.sendThreadMessage(url, SECRET, { user: "UANNA", channel: CHANNEL, threadTs: ts, text: "Kurš ņems?", eventId: "Ev32" });
      await slack.idle();
      expect(desk.replies).toEqual([]);
      expect(desk.tickets.get(32)?.status).toBe("waiting");
      expect(ephemerals("UANNA")).toEqual([SLACK_TEXTS.claimFirst]);
    });

    it("ignores edits, bot posts and messages outside ticket threads", async () => {
      const { ts } = await announced(33);
      await press("UANNA", CLAIM_ACTION, 33, ts);
      await fake.sendThreadMessage(url, SECRET, { user: "UANNA", channel: CHANNEL, threadTs: ts, text: "labots", eventId: "Ev33a", subtype: "message_changed" });
      await fake.sendThreadMessage(url, SECRET, { user: "UANNA", channel: CHANNEL, threadTs: ts, text: "bots", eventId: "Ev33b", botId: "BBOT0001" });
      await fake.sendThreadMessage(url, SECRET, { user: "UANNA", channel: CHANNEL, threadTs: "1.000001", text: "cits", eventId: "Ev33c" });
      await slack.idle();
      expect(desk.replies).toEqual([]);
      expect(fake.calls("chat.postEphemeral")).toHaveLength(0);
    });

    it("does not reply twice when Slack retries an event it already delivered", async () => {
      const { ts } = await announced(34);
      await press("UANNA", CLAIM_ACTION, 34, ts);
      const spec = { user: "UANNA", channel: CHANNEL, threadTs: ts, text: "Atbilde", eventId: "Ev34", ts: "1800000000.000034" };
      await fake.sendThreadMessage(url, SECRET, spec);
      const retry = await fake.sendThreadMessage(url, SECRET, { ...spec, retryNum: 1 });
      await slack.idle();
      expect(retry.status).toBe(200);
      expect(desk.replies).toHaveLength(1);
    });
  });

  describe("outbound updates", () => {
    it("posts resident and system messages into the ticket's thread", async () => {
      const { ts } = await announced(40);
      await slack.postToThread(40, "Paldies!", "resident");
      await slack.postToThread(40, "Iedzīvotājs novērtēja ar 5", "system");
      expect(fake.threadReplies(CHANNEL, ts).map((m) => m.text)).toEqual(["*Iedzīvotājs:* Paldies!", "_Sistēma:_ Iedzīvotājs novērtēja ar 5"]);
      await slack.postToThread(999, "nav pieteikuma", "system");
      expect(fake.calls("chat.postMessage")).toHaveLength(3);
    });

    it("shows who claimed the ticket and why it was closed", async () => {
      const { ticket, ts } = await announced(41);
      await slack.markClaimed({ ...ticket, status: "assigned", assignee: { id: juris.id, displayName: juris.displayName } });
      await slack.markClosed({ ...ticket, status: "closed" }, "Atrisināts pa tālruni 010190-12345");
      const [claimed, closed] = fake.calls("chat.update");
      expect(claimed?.params.ts).toBe(ts);
      expect(blockTexts(claimed?.params.blocks)).toContain("Juris Kalniņš");
      expect(actionIds(claimed?.params.blocks)).toEqual([CLOSE_ACTION]);
      expect(blockTexts(closed?.params.blocks)).toContain("Atrisināts pa tālruni [personas kods]");
      expect(actionIds(closed?.params.blocks)).toEqual([]);
    });
  });

  describe("inbound requests", () => {
    it("answers Slack's url_verification challenge", async () => {
      const response = await fake.sendUrlVerification(url, SECRET, "izaicinajums-123");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ challenge: "izaicinajums-123" });
    });

    it("rejects a bad signature with 401", async () => {
      const response = await fake.sendWithBadSignature(url);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    });

    it("rejects a correctly signed but old request with 401", async () => {
      const { ts } = await announced(50);
      const old = Math.floor(Date.now() / 1000) - 6 * 60;
      const response = await fake.sendAction(url, SECRET, { user: "UANNA", actionId: CLAIM_ACTION, value: "50", channel: CHANNEL, messageTs: ts }, { timestamp: old });
      await slack.idle();
      expect(response.status).toBe(401);
      expect(desk.tickets.get(50)?.status).toBe("waiting");
    });

    it("rejects an unsigned button press and leaves the ticket alone", async () => {
      const { ts } = await announced(51);
      const body = new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", user: { id: "UANNA" }, actions: [{ action_id: CLAIM_ACTION, value: "51" }], channel: { id: CHANNEL }, container: { message_ts: ts } }) }).toString();
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect(response.status).toBe(401);
      expect(desk.tickets.get(51)?.status).toBe("waiting");
    });
  });
});
