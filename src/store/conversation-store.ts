/**
 * Conversation storage: residents (channel, chat id, language, consent), their session state
 * with a version for safe concurrent writes, a transcript with personal data masked before it is
 * written, and processed channel update ids (each update is handled once).
 * @module
 */
import { maskDeep, maskPersonalData } from "../core/privacy.js";
import { sanitizedJson, sanitizeText, sanitizingReplacer } from "../core/sanitize.js";
import type { Button, Lang, Reply, StaffAuthor, TranscriptKind } from "../core/types.js";
import type { Queryable } from "./transaction.js";
import { onlyRow } from "./rows.js";

export type { Queryable } from "./transaction.js";

/** A resident as stored. */
export interface Resident {
  readonly id: number;
  readonly channel: string;
  readonly chatId: string;
  readonly lang: Lang;
  readonly consentAt: Date | null;
}

/** One line of the transcript. */
export interface TranscriptLine {
  readonly direction: "in" | "out";
  /** What the line is (typed text, a pressed button, a bot or staff message…); `text` when absent. */
  readonly kind?: TranscriptKind;
  readonly text: string;
  /** The buttons under a message to the resident, in order. */
  readonly buttons?: readonly Button[];
  /** Who of the staff wrote a `staff` line. */
  readonly author?: StaffAuthor;
  readonly intent?: string;
  readonly guideId?: string;
  readonly flowId?: string;
  readonly stepId?: string;
  readonly lang?: Lang;
  /** For free-text questions: the closest guide and how well it matched (even when not answered). */
  readonly bestGuide?: string;
  readonly score?: number;
  readonly coverage?: number;
}

/** A counted event (feedback, a finished flow) for the indicators. */
export interface StoredEvent {
  readonly kind: string;
  readonly flowId?: string;
  readonly stepId?: string;
  readonly guideId?: string;
  readonly lang?: Lang;
}

/** What one turn writes (see {@link ConversationStore.commitTurns}). */
export interface TurnCommit<S> {
  readonly state: S;
  readonly turns: readonly TranscriptLine[];
  readonly events?: readonly StoredEvent[];
  readonly lang?: Lang;
  /** The channel's id of the update; `replies` are kept with it (web chat: answered again the same). */
  readonly update?: { readonly channel: string; readonly id: string; readonly replies?: readonly Reply[] };
}

/** Stored session state and its version (for compare-and-set). */
export interface StoredSession<S> {
  readonly state: S;
  readonly version: number;
}

/** What a turn starts from (see {@link ConversationStore.openTurn}). */
export interface OpenedTurn<S> {
  readonly resident: Resident;
  readonly session?: StoredSession<S>;
  /** The update id was handled before. */
  readonly seen: boolean;
  /** The replies it got then (web chat messages sent again with the same id). */
  readonly replies?: readonly Reply[];
}

interface ResidentRow { id: string; channel: string; chat_id: string; lang: Lang; consent_at: Date | null }

/** The stored kind of a line: as given, else typed text in and a bot message out. */
const lineKind = (t: TranscriptLine): TranscriptKind => t.kind ?? (t.direction === "in" ? "text" : "bot");

/** A line's buttons as stored (id, label, inline), or null. */
const storedButtons = (t: TranscriptLine): Button[] | null =>
  t.buttons && t.buttons.length > 0 ? t.buttons.map((b) => ({ id: b.id, label: b.label, ...(b.inline ? { inline: true } : {}) })) : null;
const buttonsJson = (t: TranscriptLine): string | null => {
  const buttons = storedButtons(t);
  return buttons ? JSON.stringify(buttons, sanitizingReplacer) : null;
};

const toResident = (r: ResidentRow): Resident => ({ id: Number(r.id), channel: r.channel, chatId: r.chat_id, lang: r.lang, consentAt: r.consent_at });

/** Masks and sanitizes a text before it is stored. */
const clean = (text: string): string => maskPersonalData(sanitizeText(text));

/** Replies as kept in JSON: masked texts, buttons as they were. */
const cleanReplies = (replies: readonly Reply[]): Reply[] => replies.map((r) => ({ ...r, text: clean(r.text) }));

/** Conversation data in PostgreSQL (real server or PGlite). */
export class ConversationStore {
  constructor(private readonly pool: Queryable) {}

  /** The same store writing through `db` (a client inside a transaction). */
  on(db: Queryable): ConversationStore {
    return new ConversationStore(db);
  }

  /** The resident by id. */
  async residentById(id: number): Promise<Resident | undefined> {
    const { rows } = await this.pool.query<ResidentRow>("SELECT id, channel, chat_id, lang, consent_at FROM residents WHERE id = $1", [id]);
    return rows[0] ? toResident(rows[0]) : undefined;
  }

  /** Appends several turns at once (masked), in order. */
  async appendTurns(residentId: number, turns: readonly TranscriptLine[]): Promise<void> {
    if (turns.length === 0) return;
    const values: unknown[] = [];
    const rows = turns.map((t, i) => {
      values.push(residentId, t.direction, clean(t.text), t.intent ?? null, t.guideId ?? null, t.flowId ?? null, t.stepId ?? null, t.lang ?? null,
        lineKind(t), buttonsJson(t), t.author ? JSON.stringify(t.author, sanitizingReplacer) : null);
      const b = i * 11;
      return `(${Array.from({ length: 11 }, (_, k) => `$${b + k + 1}`).join(", ")})`;
    });
    await this.pool.query(`INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, step_id, lang, kind, buttons, author) VALUES ${rows.join(", ")}`, values);
  }

  /** Creates a web chat session bound to a new resident; the token is stored only as a hash. */
  async createWebSession(id: string, tokenHash: string, lang: Lang): Promise<Resident> {
    const resident = await this.resident("web", id, lang);
    await this.pool.query("INSERT INTO web_sessions (id, token_hash, resident_id) VALUES ($1, $2, $3)", [id, tokenHash, resident.id]);
    return resident;
  }

  /** The token hash and resident of a web chat session. */
  async webSession(id: string): Promise<{ tokenHash: string; residentId: number } | undefined> {
    const { rows } = await this.pool.query<{ token_hash: string; resident_id: string }>(
      "UPDATE web_sessions SET last_seen_at = now() WHERE id = $1 RETURNING token_hash, resident_id", [id]);
    return rows[0] ? { tokenHash: rows[0].token_hash, residentId: Number(rows[0].resident_id) } : undefined;
  }

  /** Queues replies for a web chat resident (texts masked); returns the event id. */
  async pushWebEvent(residentId: number, replies: readonly Reply[]): Promise<number> {
    const payload = { replies: cleanReplies(replies) };
    const { rows } = await this.pool.query<{ id: string }>(
      "INSERT INTO web_events (resident_id, payload) VALUES ($1, $2::jsonb) RETURNING id", [residentId, sanitizedJson(payload)]);
    return Number(rows[0]?.id);
  }

  /** Web chat messages after `afterId`, oldest first. */
  async webEvents(residentId: number, afterId: number, limit = 100): Promise<{ id: number; payload: unknown }[]> {
    const { rows } = await this.pool.query<{ id: string; payload: unknown }>(
      "SELECT id, payload FROM web_events WHERE resident_id = $1 AND id > $2 ORDER BY id LIMIT $3", [residentId, afterId, limit]);
    return rows.map((r) => ({ id: Number(r.id), payload: r.payload }));
  }

  /** The newest web event id of a resident (0 when none). */
  async lastWebEventId(residentId: number): Promise<number> {
    const { rows } = await this.pool.query<{ id: string | null }>("SELECT max(id) AS id FROM web_events WHERE resident_id = $1", [residentId]);
    return Number(rows[0]?.id ?? 0);
  }

  /**
   * Everything a turn needs in one round trip: the resident (created on first contact, in the
   * same statement), their session and whether this update id was already handled.
   */
  async openTurn<S>(channel: string, chatId: string, lang: Lang, updateId?: string): Promise<OpenedTurn<S>> {
    // A resident seen before comes from the SELECT; a new one from the INSERT's RETURNING (the
    // statement's snapshot does not show its own insert), with no session and nothing handled.
    // NOT EXISTS keeps a known resident from costing a sequence number on every turn.
    const text = `WITH created AS (
        INSERT INTO residents (channel, chat_id, lang)
        SELECT $1, $2, $4 WHERE NOT EXISTS (SELECT 1 FROM residents WHERE channel = $1 AND chat_id = $2)
        ON CONFLICT (channel, chat_id) DO NOTHING
        RETURNING id, channel, chat_id, lang, consent_at
      )
      SELECT r.id, r.channel, r.chat_id, r.lang, r.consent_at, s.state, s.version,
        p.update_id IS NOT NULL AS seen, p.replies
      FROM residents r LEFT JOIN sessions s ON s.resident_id = r.id
        LEFT JOIN processed_updates p ON $3::text IS NOT NULL AND p.channel = $1 AND p.update_id = $3
      WHERE r.channel = $1 AND r.chat_id = $2
      UNION ALL
      SELECT id, channel, chat_id, lang, consent_at, NULL::jsonb, NULL::int, false, NULL::jsonb FROM created`;
    type Row = ResidentRow & { state: S | null; version: number | null; seen: boolean; replies: Reply[] | null };
    const query = { name: "open-turn", text, values: [channel, chatId, updateId ?? null, lang] };
    let { rows } = await this.pool.query<Row>(query);
    // Another writer created the resident after this statement's snapshot: the next one sees it.
    if (!rows[0]) ({ rows } = await this.pool.query<Row>(query));
    const row = onlyRow(rows, "the resident lookup or insert");
    return {
      resident: toResident(row),
      ...(row.state !== null && row.version !== null ? { session: { state: row.state, version: row.version } } : {}),
      seen: row.seen,
      ...(row.seen && row.replies ? { replies: row.replies } : {}),
    };
  }

  /**
   * Stores turns of several residents in one statement (group commit under load). Each turn
   * succeeds or fails on its own: its new session state is stored only if nobody saved since
   * `expectedVersion` (0 when there was none) and its update id was not processed yet, and —
   * only then — its masked transcript lines, events, a language change and the processed update
   * id (with the replies, when given). Returns, per input, whether it was saved; a false means
   * another writer got there first or the update was handled already (the caller reads again
   * with {@link openTurn} and redoes the turn or drops it). At most one turn per resident.
   */
  async commitTurns<S>(commits: readonly (TurnCommit<S> & { readonly residentId: number; readonly expectedVersion: number })[]): Promise<boolean[]> {
    if (commits.length === 0) return [];
    const input = commits.map((c, i) => ({
      // Free text kept in the session (a question, a typed answer) is masked like the transcript.
      i, resident_id: c.residentId, expected: c.expectedVersion, state: maskDeep(c.state), lang: c.lang ?? null,
      channel: c.update?.channel ?? null, update_id: c.update?.id ?? null, replies: c.update?.replies ? cleanReplies(c.update.replies) : null,
    }));
    const turns = commits.flatMap((c, i) => c.turns.map((t) => ({
      i, direction: t.direction, text: clean(t.text), intent: t.intent ?? null, guide_id: t.guideId ?? null,
      flow_id: t.flowId ?? null, step_id: t.stepId ?? null, lang: t.lang ?? null,
      best_guide: t.bestGuide ?? null, score: t.score ?? null, coverage: t.coverage ?? null,
      kind: lineKind(t), buttons: storedButtons(t), author: t.author ?? null,
    })));
    const events = commits.flatMap((c, i) => (c.events ?? []).map((e) => ({
      i, kind: e.kind, flow_id: e.flowId ?? null, step_id: e.stepId ?? null, guide_id: e.guideId ?? null, lang: e.lang ?? null,
    })));
    const { rows } = await this.pool.query<{ i: number }>({
      name: "commit-turns",
      text: `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(i int, resident_id bigint, expected int, state jsonb, lang text, channel text, update_id text, replies jsonb)
       ), fresh AS (
         SELECT x.*, s.ctid AS session FROM input x
           LEFT JOIN LATERAL (SELECT true AS seen FROM processed_updates p WHERE p.channel = x.channel AND p.update_id = x.update_id LIMIT 1) p ON true
           LEFT JOIN LATERAL (SELECT s.ctid FROM sessions s WHERE s.resident_id = x.resident_id AND s.version = x.expected LIMIT 1) s ON x.expected > 0
         WHERE p.seen IS NULL
       ), upd AS (
         UPDATE sessions s SET state = x.state, version = s.version + 1, updated_at = now()
         FROM fresh x WHERE s.ctid = x.session AND s.resident_id = x.resident_id AND s.version = x.expected AND x.expected > 0
         RETURNING x.i
       ), ins AS (
         INSERT INTO sessions (resident_id, state, version)
         SELECT x.resident_id, x.state, 1 FROM fresh x WHERE x.expected = 0
         ON CONFLICT (resident_id) DO NOTHING RETURNING resident_id
       ), saved AS (
         SELECT i FROM upd UNION ALL SELECT x.i FROM ins JOIN fresh x ON x.resident_id = ins.resident_id AND x.expected = 0
       ), t AS (
         INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, step_id, lang, best_guide, score, coverage, kind, buttons, author)
         SELECT x.resident_id, e.j->>'direction', e.j->>'text', e.j->>'intent', e.j->>'guide_id', e.j->>'flow_id', e.j->>'step_id', e.j->>'lang',
           e.j->>'best_guide', (e.j->>'score')::real, (e.j->>'coverage')::real, e.j->>'kind', NULLIF(e.j->'buttons', 'null'::jsonb), NULLIF(e.j->'author', 'null'::jsonb)
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(j, n)
         JOIN input x ON x.i = (e.j->>'i')::int
         WHERE x.i IN (SELECT i FROM saved) ORDER BY e.n
       ), ev AS (
         INSERT INTO events (resident_id, kind, flow_id, step_id, guide_id, lang)
         SELECT x.resident_id, e.kind, e.flow_id, e.step_id, e.guide_id, e.lang
         FROM jsonb_to_recordset($3::jsonb) AS e(i int, kind text, flow_id text, step_id text, guide_id text, lang text)
         JOIN input x ON x.i = e.i
         WHERE x.i IN (SELECT i FROM saved)
       ), l AS (
         UPDATE residents r SET lang = x.lang, updated_at = now() FROM input x
         WHERE r.id = x.resident_id AND x.lang IS NOT NULL AND r.lang <> x.lang AND x.i IN (SELECT i FROM saved)
       ), c AS (
         INSERT INTO processed_updates (channel, update_id, resident_id, replies)
         SELECT x.channel, x.update_id, x.resident_id, x.replies FROM input x WHERE x.update_id IS NOT NULL AND x.i IN (SELECT i FROM saved)
         ON CONFLICT DO NOTHING
       )
       SELECT i FROM saved`,
      // Every string is sanitized: one resident's NUL byte must not fail everyone's statement.
      values: [sanitizedJson(input), sanitizedJson(turns), sanitizedJson(events)],
    });
    const saved = new Set(rows.map((r) => r.i));
    return commits.map((_, i) => saved.has(i));
  }

  /** Finds or creates the resident of a chat; `lang` is used only when creating. */
  async resident(channel: string, chatId: string, lang: Lang = "lv"): Promise<Resident> {
    const { rows } = await this.pool.query<ResidentRow>(
      `INSERT INTO residents (channel, chat_id, lang) VALUES ($1, $2, $3)
       ON CONFLICT (channel, chat_id) DO UPDATE SET updated_at = residents.updated_at
       RETURNING id, channel, chat_id, lang, consent_at`,
      [channel, chatId, lang],
    );
    return toResident(onlyRow(rows, "INSERT INTO residents … RETURNING"));
  }

  /** The language of a chat's resident, without creating one. */
  async residentLang(channel: string, chatId: string): Promise<Lang | undefined> {
    const { rows } = await this.pool.query<{ lang: Lang }>("SELECT lang FROM residents WHERE channel = $1 AND chat_id = $2", [channel, chatId]);
    return rows[0]?.lang;
  }

  /** Records (or withdraws, with `false`) consent to share the conversation with staff. */
  async setConsent(residentId: number, consent: boolean): Promise<void> {
    await this.pool.query("UPDATE residents SET consent_at = CASE WHEN $2 THEN now() ELSE NULL END, updated_at = now() WHERE id = $1", [residentId, consent]);
  }

  /** The resident's session state, if any. */
  async loadSession<S>(residentId: number): Promise<StoredSession<S> | undefined> {
    const { rows } = await this.pool.query<{ state: S; version: number }>("SELECT state, version FROM sessions WHERE resident_id = $1", [residentId]);
    return rows[0] ? { state: rows[0].state, version: rows[0].version } : undefined;
  }

  /** The last `limit` turns of a resident, oldest first. */
  async transcript(residentId: number, limit = 100): Promise<TranscriptLine[]> {
    const { rows } = await this.pool.query<{
      direction: "in" | "out"; kind: TranscriptKind; text: string; buttons: Button[] | null; author: StaffAuthor | null;
      intent: string | null; guide_id: string | null; flow_id: string | null; step_id: string | null; lang: Lang | null;
    }>(
      `SELECT direction, kind, text, buttons, author, intent, guide_id, flow_id, step_id, lang FROM
         (SELECT * FROM turns WHERE resident_id = $1 ORDER BY id DESC LIMIT $2) t ORDER BY id`,
      [residentId, limit],
    );
    return rows.map((r) => ({
      direction: r.direction, kind: r.kind, text: r.text,
      ...(r.buttons ? { buttons: r.buttons } : {}), ...(r.author ? { author: r.author } : {}),
      ...(r.intent ? { intent: r.intent } : {}), ...(r.guide_id ? { guideId: r.guide_id } : {}), ...(r.flow_id ? { flowId: r.flow_id } : {}),
      ...(r.step_id ? { stepId: r.step_id } : {}), ...(r.lang ? { lang: r.lang } : {}),
    }));
  }

  /** Deletes a resident and everything stored about them. */
  async forget(residentId: number): Promise<void> {
    await this.pool.query("DELETE FROM residents WHERE id = $1", [residentId]);
  }
}
