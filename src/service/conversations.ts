/**
 * The conversation service: the one place where a channel's message becomes a stored turn.
 * For each message it claims the update id (a redelivery is answered once), locks the resident,
 * runs the channel-neutral {@link Conversation}, and stores the new session state, the masked
 * transcript and counted events in one transaction. Channels only translate at the edge.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { EventEmitter } from "node:events";
import { buttonIds } from "../core/button-ids.js";
import { RequestError, SessionAuthError } from "../core/errors.js";
import { NEW_SESSION, type Conversation, type SessionState, type TurnResult } from "../core/conversation.js";
import { MESSAGES } from "../core/messages.js";
import { endTicketButton } from "../core/relay.js";
import { sanitizeText } from "../core/sanitize.js";
import { isLang, type Button, type Input, type Lang, type Reply, type TranscriptKind } from "../core/types.js";
import type { Logger } from "../log.js";
import type { TicketService } from "../staff/tickets.js";
import type { Notifier } from "../store/notifier.js";
import type { ConversationStore, OpenedTurn, Resident, TranscriptLine, TurnCommit } from "../store/conversation-store.js";
import { isConnectionError } from "../store/database.js";
import { enqueueOutbox } from "../store/outbox.js";
import type { OutboxJob } from "./outbox.js";
import { Batcher } from "./batcher.js";
import { KeyedMutex } from "./keyed-mutex.js";

/** Session state as stored: the conversation's state plus the labels of the last buttons sent. */
interface StoredState extends SessionState {
  /** Button id → label, so a press is written to the transcript as what the resident saw. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a channel gets back for one inbound message. */
export interface HandledMessage {
  /** True when this update id was handled before: send nothing. */
  readonly duplicate: boolean;
  readonly residentId: number;
  readonly lang: Lang;
  readonly replies: readonly Reply[];
  /** Show the persistent main actions (these) with the replies. */
  readonly mainActions?: readonly Button[];
  readonly result?: TurnResult;
}

/** Per-message options from the channel. */
export interface HandleOptions {
  /** The channel's id of this update, to answer a redelivery only once. */
  readonly updateId?: string;
  /** A language hint for a resident we have not met (e.g. Telegram's `language_code`). */
  readonly langHint?: string;
  /** Keep the replies with the update id, so that the same id sent again gets them again (web chat). */
  readonly keepReplies?: boolean;
}

/** Sends messages that arrive outside a turn (e.g. from staff) to a resident's channel. */
export interface Deliverer {
  deliver(resident: Resident, replies: readonly Reply[]): Promise<void>;
}

/** Options for {@link ConversationService}. */
export interface ConversationServiceOptions {
  readonly store: ConversationStore;
  /** The current conversation (a function, so content can be swapped while running). */
  readonly conversation: () => Conversation;
  readonly log: Logger;
  readonly defaultLang?: Lang;
  /** Tickets for escalations; without them a request for a person gets the information line. */
  readonly tickets?: TicketService;
  /** Wakes web chat streams on every instance (in-process when absent). */
  readonly notifier?: Notifier;
  /** What to tell a resident about the wait for a person at a centre (see `waitingNotice` in core/hours.ts). */
  readonly opening?: (centreId: string, lang: Lang) => Promise<string | undefined> | string | undefined;
  /**
   * Group commits in flight at once. One suits an embedded database, which runs one statement at
   * a time anyway: turns arriving meanwhile wait for the next, larger batch (each statement has
   * a large fixed cost there). @default 2
   */
  readonly commitsInFlight?: number;
}

/** How many recently active chats keep their session in memory. */
const SESSION_CACHE_SIZE = 10_000;

/** A resident with their stored session, as read at the start of a turn (and cached after it). */
type CachedSession = OpenedTurn<StoredState>;

/** How often a turn is redone when another instance saved the same session meanwhile. */
const MAX_ATTEMPTS = 5;

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** A number in a button id (a ticket id) this long cannot be ours: the button is refused (400). */
const TOO_LONG_NUMBER = /\d{16}/;

/** Input as every channel should have sent it: texts and ids without NUL or lone surrogates. */
function sanitizeInput(input: Input): Input {
  switch (input.kind) {
    case "text":
      return { ...input, text: sanitizeText(input.text) };
    case "button":
      return { ...input, id: sanitizeText(input.id) };
    case "command":
      return { ...input, name: sanitizeText(input.name), ...(input.arg !== undefined ? { arg: sanitizeText(input.arg) } : {}) };
    case "contact":
      return { ...input, phone: sanitizeText(input.phone) };
    case "media":
      return input.file ? { ...input, file: { ...input.file, id: sanitizeText(input.file.id), ...(input.file.name !== undefined ? { name: sanitizeText(input.file.name) } : {}) } } : input;
  }
}

/**
 * How an inbound message is written to the transcript: what the resident saw or typed. A press
 * is its label — as sent in the last turn, else worked out from the id — never the id itself; a
 * phone number is never stored.
 */
function describeInput(input: Input, label: (id: string) => string): { kind: TranscriptKind; text: string } {
  switch (input.kind) {
    case "text":
      return { kind: input.spoken ? "voice" : input.edited ? "edited" : "text", text: input.text };
    case "button":
      return { kind: "button", text: label(input.id) };
    case "command":
      return { kind: "command", text: `/${input.name}${input.arg ? ` ${input.arg}` : ""}` };
    case "media":
      return { kind: "media", text: input.media };
    case "contact":
      return { kind: "contact", text: "" };
  }
}

/** A message to the resident as a transcript line: a bot or staff message with its buttons. */
function replyLine(reply: Reply, lang: Lang, meta: Omit<TranscriptLine, "direction" | "text"> = {}): TranscriptLine {
  return {
    ...meta, direction: "out", kind: reply.from ? "staff" : "bot", text: reply.text, lang,
    ...(reply.buttons.length > 0 ? { buttons: reply.buttons } : {}), ...(reply.from ? { author: reply.from } : {}),
  };
}

/** Handles residents' messages for every channel. */
export class ConversationService {
  readonly #store: ConversationStore;
  readonly #conversation: () => Conversation;
  readonly #log: Logger;
  readonly #defaultLang: Lang;
  readonly #tickets: TicketService | undefined;
  readonly #opening: ConversationServiceOptions["opening"];
  readonly #notifier: Notifier | undefined;
  readonly #mutex = new KeyedMutex();
  readonly #deliverers = new Map<string, Deliverer>();
  readonly #webEvents = new EventEmitter();
  /** Recently saved sessions by channel and chat, to skip a read on the next turn. */
  readonly #sessions = new Map<string, CachedSession>();
  readonly #commits: Batcher<TurnCommit<StoredState> & { residentId: number; expectedVersion: number }, boolean>;
  /** Turns being handled now (a clean stop waits for them). */
  #running = 0;
  #idle: (() => void)[] = [];
  /** Residents with replies waiting in the outbox: later replies queue behind them (in order). */
  readonly #queued = new Set<number>();
  #outboxDb: Parameters<typeof enqueueOutbox>[0] | undefined;
  #hurry: ((orderKey: string) => void) | undefined;

  constructor(options: ConversationServiceOptions) {
    this.#store = options.store;
    this.#conversation = options.conversation;
    this.#log = options.log;
    this.#defaultLang = options.defaultLang ?? "lv";
    this.#tickets = options.tickets;
    this.#opening = options.opening;
    this.#notifier = options.notifier;
    this.#webEvents.setMaxListeners(0);
    // A batch fails as a whole only when the database is away; otherwise the bad turn fails alone.
    this.#commits = new Batcher((items) => this.#store.commitTurns(items), {
      maxInFlight: options.commitsInFlight ?? 2,
      isolate: (error) => !isConnectionError(error),
      itemError: (error) => {
        this.#log.warn("one turn could not be stored (the others of its batch were)", { error });
        return new RequestError("bad_request", "This message could not be stored; please send it in other words.");
      },
    });
  }

  #remember(key: string, turn: CachedSession): void {
    this.#sessions.delete(key);
    this.#sessions.set(key, turn);
    const oldest = this.#sessions.keys().next();
    if (this.#sessions.size > SESSION_CACHE_SIZE && !oldest.done) this.#sessions.delete(oldest.value);
  }

  /** Forgets what this instance remembers about a chat (after changes made outside a turn). */
  forgetCached(channel: string, chatId: string): void {
    this.#sessions.delete(`${channel}:${chatId}`);
  }

  /** Registers how to reach residents of a channel outside a turn. */
  registerChannel(channel: string, deliverer: Deliverer): void {
    this.#deliverers.set(channel, deliverer);
  }

  /**
   * Handles one inbound message of a resident. Messages of one chat are handled in order.
   * @throws {RequestError} `bad_request` for a button that cannot be ours (an id out of range).
   */
  async handle(channel: string, chatId: string, input: Input, options: HandleOptions = {}): Promise<HandledMessage> {
    this.#running++;
    try {
      return await this.#mutex.run(`${channel}:${chatId}`, () => this.#handle(channel, chatId, sanitizeInput(input), options));
    } finally {
      if (--this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** The language of a chat's resident, when we have met them (a hint for transcribing speech). */
  async languageOf(channel: string, chatId: string): Promise<Lang | undefined> {
    return this.#sessions.get(`${channel}:${chatId}`)?.resident.lang ?? await this.#store.residentLang(channel, chatId);
  }

  /** Resolves when no turn is being handled (a clean stop). */
  idle(): Promise<void> {
    return this.#running === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  async #handle(channel: string, chatId: string, input: Input, options: HandleOptions): Promise<HandledMessage> {
    if (input.kind === "button" && TOO_LONG_NUMBER.test(input.id)) throw new RequestError("bad_request", "This button is not valid.");
    const conversation = this.#conversation();
    const hint = options.langHint?.slice(0, 2).toLowerCase();
    const newLang = isLang(hint) ? hint : this.#defaultLang;
    const key = `${channel}:${chatId}`;
    for (let attempt = 1; ; attempt++) {
      // The last state this instance saved is usually still current: the write below checks it.
      const opened = this.#sessions.get(key) ?? await this.#store.openTurn<StoredState>(channel, chatId, newLang, options.updateId);
      if (opened.seen) return { duplicate: true, residentId: opened.resident.id, lang: opened.resident.lang, replies: opened.replies ?? [] };
      const { resident } = opened;
      const { labels, ...stored }: StoredState = opened.session?.state ?? NEW_SESSION;
      let state: SessionState = stored;
      // A ticket closed by staff since the last turn: the resident talks to the bot again.
      if (state.ticket && this.#tickets) {
        const ticket = await this.#tickets.summary(state.ticket.id);
        if (!ticket || ticket.status === "closed") state = { ...state, ticket: undefined };
      }
      const typingPhone = state.intake?.step === "phone" && input.kind === "text";
      const label = (id: string): string => labels?.[id] ?? conversation.labelOf(id, resident.lang) ?? MESSAGES[resident.lang].pressedUnknown;
      let result: TurnResult;
      try {
        result = conversation.handle(state, input, { lang: resident.lang });
        result = await this.#ownTicketsOnly(resident, state, result);
        result = await this.#escalation(resident, channel, result);
      } catch (error) {
        // The database is away: the channel tells the resident (503, or an answer after recovery).
        if (isConnectionError(error)) throw error;
        // A bug must not lose the resident: answer politely and keep their state.
        this.#log.error("turn failed", { channel, error });
        const t = MESSAGES[resident.lang];
        result = {
          state, lang: resident.lang, intent: "fallback", events: [],
          replies: [{ text: `${t.fallback}\n${t.fallbackTopics}`, buttons: conversation.assistant.menuButtons(resident.lang) }],
        };
      }
      const newLabels = Object.fromEntries(result.replies.flatMap((r) => r.buttons.map((b) => [b.id, b.label])));
      const meta = {
        intent: result.intent, lang: result.lang,
        ...(result.guideId ? { guideId: result.guideId } : {}), ...(result.flowId ? { flowId: result.flowId } : {}), ...(result.stepId ? { stepId: result.stepId } : {}),
      };
      const saved = await this.#commits.submit({
        residentId: resident.id,
        expectedVersion: opened.session?.version ?? 0,
        state: { ...result.state, labels: newLabels },
        turns: [
          {
            direction: "in", ...(typingPhone ? { kind: "contact", text: "" } : describeInput(input, label)), ...meta,
            ...(result.outcome?.guides[0] ? { bestGuide: result.outcome.guides[0].id, score: result.outcome.guides[0].score, coverage: result.outcome.guides[0].coverage } : {}),
          },
          ...result.replies.map((r) => replyLine(r, result.lang, meta)),
        ],
        events: result.events.map((e) => ({
          kind: e.kind, lang: result.lang,
          ...(e.flow ? { flowId: e.flow } : {}), ...(e.step ? { stepId: e.step } : {}), ...(e.guide ? { guideId: e.guide } : {}),
        })),
        ...(result.lang !== resident.lang ? { lang: result.lang } : {}),
        ...(options.updateId !== undefined ? { update: { channel, id: options.updateId, ...(options.keepReplies ? { replies: result.replies } : {}) } } : {}),
      });
      if (!saved) {
        // Another instance saved this resident's session meanwhile, or the update was handled
        // already: read again, then redo the turn or drop the duplicate.
        this.#sessions.delete(key);
        if (attempt >= MAX_ATTEMPTS) throw new Error(`session of ${channel} resident ${resident.id} kept changing; gave up after ${attempt} attempts`);
        continue;
      }
      const added = await this.#afterTurn(resident, result, key);
      const done = added.length > 0 ? { ...result, replies: [...result.replies, ...added] } : result;
      if (result.forget) return { duplicate: false, residentId: resident.id, lang: result.lang, replies: done.replies, result: done };
      this.#remember(key, {
        resident: { ...resident, lang: result.lang },
        session: { state: { ...result.state, labels: newLabels }, version: (opened.session?.version ?? 0) + 1 },
        seen: false,
      });
      if (result.escalation) {
        const { reason, flow, step } = result.escalation.context;
        this.#log.info("escalation requested", { channel, reason, flow, step });
      }
      return {
        duplicate: false,
        residentId: resident.id,
        lang: result.lang,
        replies: done.replies,
        ...(result.showActions ? { mainActions: conversation.mainActions(result.lang) } : {}),
        result: done,
      };
    }
  }

  /**
   * Buttons that name a ticket (a rating) act only on the resident's own ticket: anything else is
   * answered as an unknown button, and nothing is changed.
   */
  async #ownTicketsOnly(resident: Resident, state: SessionState, result: TurnResult): Promise<TurnResult> {
    const ticketId = result.rating?.ticketId;
    if (ticketId === undefined) return result;
    const owner = Number.isSafeInteger(ticketId) && this.#tickets ? await this.#tickets.residentOf(ticketId) : undefined;
    if (owner === resident.id) return result;
    const t = MESSAGES[resident.lang];
    return { state, lang: resident.lang, intent: "fallback", events: [], replies: [{ text: t.unknownButton, buttons: this.#conversation().assistant.menuButtons(resident.lang) }] };
  }

  /**
   * A finished intake becomes a ticket (or joins the open one): the resident is told its number,
   * the centre, whether it is open now and how they will get the answer.
   */
  async #escalation(resident: Resident, channel: string, result: TurnResult): Promise<TurnResult> {
    const request = result.escalation;
    if (!request || !this.#tickets) return result;
    const existing = await this.#tickets.openTicketOf(resident.id);
    const ticket = existing ?? await this.#tickets.open({
      residentId: resident.id, channel, lang: result.lang,
      ...(request.parish ? { parish: request.parish } : {}),
      contact: request.contact, ...(request.phone ? { phone: request.phone } : {}),
      question: request.question,
      context: request.context,
    });
    const t = MESSAGES[result.lang].escalation;
    const conversation = this.#conversation();
    const centre = conversation.assistant.knowledge.centres?.centres.find((c) => c.id === ticket.centre);
    const lines = [
      t.created(ticket.number, centre?.name[result.lang] ?? ticket.centre, centre?.to?.[result.lang]),
      ...(request.contact === "phone" && request.phone ? [t.callback(request.phone)] : []),
      ...[await this.#opening?.(ticket.centre, result.lang)].filter((x): x is string => Boolean(x)),
      // A call back: the answer comes by phone, so only say that more can be added here.
      request.contact === "phone" && request.phone ? t.keepWritingPhone : t.keepWriting,
    ];
    return {
      ...result,
      state: { ...result.state, ticket: { id: ticket.id, number: ticket.number, relay: true } },
      replies: [...result.replies, { text: lines.join("\n\n"), buttons: [endTicketButton(result.lang), { id: buttonIds.menu, label: MESSAGES[result.lang].mainMenu }] }],
    };
  }

  /**
   * What a committed turn sets off: messages to staff, ratings, consent, deleting data. Returns
   * the replies it added (stored already) to send after the turn's own.
   */
  async #afterTurn(resident: Resident, result: TurnResult, key: string): Promise<readonly Reply[]> {
    const added: Reply[] = [];
    const tickets = this.#tickets;
    if (result.consent !== undefined) await this.#store.setConsent(resident.id, result.consent);
    if (tickets && result.relay) {
      try {
        await tickets.residentMessage(result.relay.ticketId, result.relay.text, result.relay.attachment);
        const ticket = await tickets.summary(result.relay.ticketId);
        if (ticket?.status === "waiting") {
          // "Added to your request": a message like any other, stored so that it comes back after a reload.
          const reply: Reply = { text: MESSAGES[result.lang].escalation.added(ticket.number), buttons: [endTicketButton(result.lang)] };
          await this.#store.appendTurns(resident.id, [replyLine(reply, result.lang, { intent: "escalate" })]);
          added.push(reply);
        }
      } catch (error) {
        this.#log.warn("could not add the message to the ticket", { error });
      }
    }
    if (tickets && result.endTicket !== undefined) await tickets.endByResident(result.endTicket);
    if (tickets && result.rating) await tickets.rate(result.rating.ticketId, result.rating.score ?? Number.NaN, result.rating.comment);
    if (result.forget) {
      await tickets?.forgetResident(resident.id);
      await this.#store.forget(resident.id);
      this.#sessions.delete(key);
    }
    return added;
  }

  /**
   * Sends messages to a resident outside a turn (e.g. a reply from staff): each is stored in the
   * transcript (unless `transcribed`) and handed to the resident's channel. With an outbox `job`,
   * progress is recorded after every message, so a retry continues after the last one sent and
   * nothing is sent or stored twice.
   */
  async deliver(residentId: number, replies: readonly Reply[], options: { job?: OutboxJob; transcribed?: boolean } = {}): Promise<void> {
    const resident = await this.#store.residentById(residentId);
    if (!resident) return;
    const deliverer = resident.channel === "web" ? undefined : this.#deliverers.get(resident.channel);
    if (resident.channel !== "web" && !deliverer) {
      this.#log.warn("no channel to deliver to", { channel: resident.channel });
      return;
    }
    const transcript = (reply: Reply): TranscriptLine[] => (options.transcribed ? [] : [replyLine(reply, resident.lang)]);
    for (const [i, reply] of replies.entries()) {
      if (i < (options.job?.progress ?? 0)) continue;
      if (!deliverer) {
        // Web chat: the message, its transcript line and the progress in one transaction.
        let eventId = 0;
        const write = async (store: ConversationStore): Promise<void> => {
          eventId = await store.pushWebEvent(residentId, [reply]);
          await store.appendTurns(residentId, transcript(reply));
        };
        if (options.job) await options.job.advance(i + 1, (db) => write(this.#store.on(db)));
        else await write(this.#store);
        await this.#wakeWeb(residentId, eventId);
        continue;
      }
      await deliverer.deliver(resident, [reply]);
      if (options.job) await options.job.advance(i + 1, (db) => this.#store.on(db).appendTurns(residentId, transcript(reply)));
      else await this.#store.appendTurns(residentId, transcript(reply));
    }
  }

  /** Lets the service queue replies in the outbox (see {@link queueReplies}); `hurry` makes a key's waiting work due now. */
  useOutbox(db: Parameters<typeof enqueueOutbox>[0], hurry: (orderKey: string) => void): void {
    this.#outboxDb = db;
    this.#hurry = hurry;
  }

  /** True when earlier replies to this resident still wait in the outbox (send new ones after them). */
  hasQueuedReplies(residentId: number): boolean {
    return this.#queued.has(residentId);
  }

  /**
   * Queues a turn's replies (already in the transcript) in the outbox: the channel was down for
   * longer than a turn may wait, or earlier replies are still waiting.
   */
  async queueReplies(residentId: number, replies: readonly Reply[]): Promise<void> {
    if (!this.#outboxDb) throw new Error("the outbox is not wired to the conversation service");
    await enqueueOutbox(this.#outboxDb, "resident.replies", { residentId, replies: replies.map((r) => ({ text: r.text, buttons: r.buttons.map((b) => ({ ...b })) })), transcribed: true });
    this.#queued.add(residentId);
    this.#hurry?.(`resident:${residentId}`);
  }

  /** The outbox has no more replies waiting for this resident. */
  repliesDrained(residentId: number): void {
    this.#queued.delete(residentId);
  }

  // ---- Web chat sessions -------------------------------------------------------------------

  /** Creates a web chat session; returns its id, its secret token and the greeting. */
  async createWebSession(lang: Lang | undefined): Promise<{ id: string; token: string; turn: HandledMessage }> {
    const id = randomBytes(12).toString("base64url");
    const token = randomBytes(32).toString("base64url");
    await this.#store.createWebSession(id, hashToken(token), lang ?? this.#defaultLang);
    const turn = await this.handle("web", id, { kind: "command", name: "start" });
    return { id, token, turn };
  }

  /**
   * The resident of a web chat session when the token matches.
   * @throws {SessionAuthError} for an unknown session or a wrong token.
   */
  async authenticateWeb(id: string, token: string): Promise<Resident> {
    const session = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await this.#store.webSession(id) : undefined;
    const given = Buffer.from(hashToken(token));
    const expected = Buffer.from(session?.tokenHash ?? hashToken(randomBytes(8).toString("hex")));
    if (!session || !timingSafeEqual(given, expected)) throw new SessionAuthError();
    const resident = await this.#store.residentById(session.residentId);
    if (!resident) throw new SessionAuthError();
    return resident;
  }

  /** The transcript of a resident (masked), oldest first. */
  history(residentId: number, limit = 100): Promise<TranscriptLine[]> {
    return this.#store.transcript(residentId, limit);
  }

  /** The labels of the buttons last shown to a resident. */
  async lastButtons(residentId: number): Promise<Button[]> {
    const state = (await this.#store.loadSession<StoredState>(residentId))?.state;
    return Object.entries(state?.labels ?? {}).map(([id, label]) => ({ id, label }));
  }

  /** Queues replies for a web chat resident and wakes their open event streams. */
  async pushWeb(residentId: number, replies: readonly Reply[]): Promise<void> {
    await this.#wakeWeb(residentId, await this.#store.pushWebEvent(residentId, replies));
  }

  async #wakeWeb(residentId: number, eventId: number): Promise<void> {
    if (this.#notifier) await this.#notifier.publish(`web:${residentId}`, eventId);
    else this.#webEvents.emit(String(residentId), eventId);
  }

  /** Web chat messages after an event id. */
  webEvents(residentId: number, afterId: number): Promise<{ id: number; payload: unknown }[]> {
    return this.#store.webEvents(residentId, afterId);
  }

  /** The newest web event id, to start a stream from "now". */
  lastWebEventId(residentId: number): Promise<number> {
    return this.#store.lastWebEventId(residentId);
  }

  /** Calls `listener` whenever a web chat message is queued for the resident; returns an unsubscribe. */
  onWebEvent(residentId: number, listener: () => void): () => void {
    if (this.#notifier) {
      // After a lost notification connection, streams look again (they may have missed events).
      const unsubscribe = this.#notifier.subscribe(`web:${residentId}`, listener);
      const unreconnect = this.#notifier.onReconnect(listener);
      return () => {
        unsubscribe();
        unreconnect();
      };
    }
    const key = String(residentId);
    this.#webEvents.on(key, listener);
    return () => this.#webEvents.off(key, listener);
  }
}
