/**
 * Conversation storage: residents (channel, chat id, language, consent), their session state
 * with a version for safe concurrent writes, a transcript with personal data masked before it is
 * written, and processed channel update ids (each update is handled once).
 * @module
 */
import type pg from "pg";
import { maskPersonalData } from "../core/privacy.js";
import type { Lang } from "../core/types.js";

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
  readonly text: string;
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

/** What one turn writes (see {@link ConversationStore.commitTurn}). */
export interface TurnCommit<S> {
  readonly state: S;
  readonly turns: readonly TranscriptLine[];
  readonly events?: readonly StoredEvent[];
  readonly lang?: Lang;
  readonly update?: { readonly channel: string; readonly id: string };
}

/** Anything that runs queries: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/** Stored session state and its version (for compare-and-set). */
export interface StoredSession<S> {
  readonly state: S;
  readonly version: number;
}

interface ResidentRow { id: string; channel: string; chat_id: string; lang: Lang; consent_at: Date | null }

const toResident = (r: ResidentRow): Resident => ({ id: Number(r.id), channel: r.channel, chatId: r.chat_id, lang: r.lang, consentAt: r.consent_at });

/** Conversation data in PostgreSQL (real server or PGlite). */
export class ConversationStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Runs `fn` in one transaction on one connection, handing it a store bound to that connection.
   * Commits when `fn` resolves, rolls back when it throws.
   */
  async transaction<T>(fn: (tx: ConversationStore) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new ConversationStore(client as unknown as pg.Pool));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Finds or creates the resident of a chat and locks their row until the transaction ends, so
   * that turns of one resident are handled one at a time, also across app instances.
   */
  async lockResident(channel: string, chatId: string, lang: Lang = "lv"): Promise<Resident> {
    const { rows } = await this.pool.query<ResidentRow>(
      `INSERT INTO residents (channel, chat_id, lang) VALUES ($1, $2, $3)
       ON CONFLICT (channel, chat_id) DO UPDATE SET updated_at = now()
       RETURNING id, channel, chat_id, lang, consent_at`,
      [channel, chatId, lang],
    );
    return toResident(rows[0] as ResidentRow);
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
      values.push(residentId, t.direction, maskPersonalData(t.text), t.intent ?? null, t.guideId ?? null, t.flowId ?? null, t.stepId ?? null, t.lang ?? null);
      const b = i * 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
    });
    await this.pool.query(`INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, step_id, lang) VALUES ${rows.join(", ")}`, values);
  }

  /** Records counted events. */
  async recordEvents(residentId: number, events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values: unknown[] = [];
    const rows = events.map((e, i) => {
      values.push(residentId, e.kind, e.flowId ?? null, e.stepId ?? null, e.guideId ?? null, e.lang ?? null);
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await this.pool.query(`INSERT INTO events (resident_id, kind, flow_id, step_id, guide_id, lang) VALUES ${rows.join(", ")}`, values);
  }

  /** Counted events of a resident, oldest first (for tests and the indicators). */
  async events(residentId: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<{ kind: string; flow_id: string | null; step_id: string | null; guide_id: string | null; lang: Lang | null }>(
      "SELECT kind, flow_id, step_id, guide_id, lang FROM events WHERE resident_id = $1 ORDER BY id", [residentId]);
    return rows.map((r) => ({
      kind: r.kind, ...(r.flow_id ? { flowId: r.flow_id } : {}), ...(r.step_id ? { stepId: r.step_id } : {}),
      ...(r.guide_id ? { guideId: r.guide_id } : {}), ...(r.lang ? { lang: r.lang } : {}),
    }));
  }

  /** Saves session state unconditionally (inside a transaction that holds the resident's lock). */
  async putSession<S>(residentId: number, state: S): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (resident_id, state, version) VALUES ($1, $2::jsonb, 1)
       ON CONFLICT (resident_id) DO UPDATE SET state = EXCLUDED.state, version = sessions.version + 1, updated_at = now()`,
      [residentId, JSON.stringify(state)],
    );
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

  /** Queues a message for a web chat resident; returns its event id. */
  async pushWebEvent(residentId: number, payload: unknown): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      "INSERT INTO web_events (resident_id, payload) VALUES ($1, $2::jsonb) RETURNING id", [residentId, JSON.stringify(payload)]);
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
   * Everything a turn needs in one round trip: the resident (created on first contact), their
   * session and whether this update id was already handled.
   */
  async openTurn<S>(channel: string, chatId: string, lang: Lang, updateId?: string): Promise<{ resident: Resident; session?: StoredSession<S>; seen: boolean }> {
    const select = `SELECT r.id, r.channel, r.chat_id, r.lang, r.consent_at, s.state, s.version,
        ($3::text IS NOT NULL AND EXISTS (SELECT 1 FROM processed_updates p WHERE p.channel = $1 AND p.update_id = $3)) AS seen
      FROM residents r LEFT JOIN sessions s ON s.resident_id = r.id WHERE r.channel = $1 AND r.chat_id = $2`;
    type Row = ResidentRow & { state: S | null; version: number | null; seen: boolean };
    const query = { name: "open-turn", text: select, values: [channel, chatId, updateId ?? null] };
    let { rows } = await this.pool.query<Row>(query);
    if (!rows[0]) {
      await this.pool.query("INSERT INTO residents (channel, chat_id, lang) VALUES ($1, $2, $3) ON CONFLICT (channel, chat_id) DO NOTHING", [channel, chatId, lang]);
      ({ rows } = await this.pool.query<Row>(query));
    }
    const row = rows[0] as Row;
    return {
      resident: toResident(row),
      ...(row.state !== null && row.version !== null ? { session: { state: row.state, version: row.version } } : {}),
      seen: row.seen,
    };
  }

  /**
   * Stores a turn atomically in one statement: the new session state if nobody saved since
   * `expectedVersion` (0 when there was none) and the update id was not processed yet, and —
   * only then — the masked turns, the events, a language change and the processed update id.
   * Returns false when another writer got there first or the update was handled already (the
   * caller reads again with {@link openTurn} and retries or drops it).
   */
  async commitTurn<S>(residentId: number, expectedVersion: number, commit: TurnCommit<S>): Promise<boolean> {
    const [saved] = await this.commitTurns([{ residentId, expectedVersion, ...commit }]);
    return saved === true;
  }

  /**
   * Commits the turns of several residents in one statement (group commit under load); each
   * succeeds or fails on its own, as in {@link commitTurn}. At most one turn per resident.
   * Returns, per input, whether it was saved.
   */
  async commitTurns<S>(commits: readonly (TurnCommit<S> & { readonly residentId: number; readonly expectedVersion: number })[]): Promise<boolean[]> {
    if (commits.length === 0) return [];
    const input = commits.map((c, i) => ({
      i, resident_id: c.residentId, expected: c.expectedVersion, state: c.state, lang: c.lang ?? null,
      channel: c.update?.channel ?? null, update_id: c.update?.id ?? null,
    }));
    const turns = commits.flatMap((c, i) => c.turns.map((t) => ({
      i, direction: t.direction, text: maskPersonalData(t.text), intent: t.intent ?? null, guide_id: t.guideId ?? null,
      flow_id: t.flowId ?? null, step_id: t.stepId ?? null, lang: t.lang ?? null,
      best_guide: t.bestGuide ?? null, score: t.score ?? null, coverage: t.coverage ?? null,
    })));
    const events = commits.flatMap((c, i) => (c.events ?? []).map((e) => ({
      i, kind: e.kind, flow_id: e.flowId ?? null, step_id: e.stepId ?? null, guide_id: e.guideId ?? null, lang: e.lang ?? null,
    })));
    const { rows } = await this.pool.query<{ i: number }>({
      name: "commit-turns",
      text: `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(i int, resident_id bigint, expected int, state jsonb, lang text, channel text, update_id text)
       ), fresh AS (
         SELECT x.* FROM input x WHERE x.update_id IS NULL
           OR NOT EXISTS (SELECT 1 FROM processed_updates p WHERE p.channel = x.channel AND p.update_id = x.update_id)
       ), upd AS (
         UPDATE sessions s SET state = x.state, version = s.version + 1, updated_at = now()
         FROM fresh x WHERE s.resident_id = x.resident_id AND s.version = x.expected AND x.expected > 0
         RETURNING x.i
       ), ins AS (
         INSERT INTO sessions (resident_id, state, version)
         SELECT x.resident_id, x.state, 1 FROM fresh x WHERE x.expected = 0
         ON CONFLICT (resident_id) DO NOTHING RETURNING resident_id
       ), saved AS (
         SELECT i FROM upd UNION ALL SELECT x.i FROM ins JOIN fresh x ON x.resident_id = ins.resident_id AND x.expected = 0
       ), t AS (
         INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, step_id, lang, best_guide, score, coverage)
         SELECT x.resident_id, e.j->>'direction', e.j->>'text', e.j->>'intent', e.j->>'guide_id', e.j->>'flow_id', e.j->>'step_id', e.j->>'lang',
           e.j->>'best_guide', (e.j->>'score')::real, (e.j->>'coverage')::real
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
         INSERT INTO processed_updates (channel, update_id)
         SELECT x.channel, x.update_id FROM input x WHERE x.update_id IS NOT NULL AND x.i IN (SELECT i FROM saved)
         ON CONFLICT DO NOTHING
       )
       SELECT i FROM saved`,
      values: [JSON.stringify(input), JSON.stringify(turns), JSON.stringify(events)],
    });
    const saved = new Set(rows.map((r) => Number(r.i)));
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
    return toResident(rows[0] as ResidentRow);
  }

  /** Remembers the resident's language. */
  async setLanguage(residentId: number, lang: Lang): Promise<void> {
    await this.pool.query("UPDATE residents SET lang = $2, updated_at = now() WHERE id = $1", [residentId, lang]);
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

  /**
   * Saves session state if nobody saved since `expectedVersion` was read (0 when there was none).
   * Returns the new version, or undefined when another writer got there first.
   */
  async saveSession<S>(residentId: number, state: S, expectedVersion: number): Promise<number | undefined> {
    const json = JSON.stringify(state);
    const { rows } = expectedVersion === 0
      ? await this.pool.query<{ version: number }>(
          `INSERT INTO sessions (resident_id, state, version) VALUES ($1, $2::jsonb, 1)
           ON CONFLICT (resident_id) DO NOTHING RETURNING version`, [residentId, json])
      : await this.pool.query<{ version: number }>(
          `UPDATE sessions SET state = $2::jsonb, version = version + 1, updated_at = now()
           WHERE resident_id = $1 AND version = $3 RETURNING version`, [residentId, json, expectedVersion]);
    return rows[0]?.version;
  }

  /** Appends a turn to the transcript, masking personal codes, IBANs and card numbers first. */
  async appendTurn(residentId: number, turn: TranscriptLine): Promise<void> {
    await this.pool.query(
      "INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id) VALUES ($1, $2, $3, $4, $5, $6)",
      [residentId, turn.direction, maskPersonalData(turn.text), turn.intent ?? null, turn.guideId ?? null, turn.flowId ?? null],
    );
  }

  /** The last `limit` turns of a resident, oldest first. */
  async transcript(residentId: number, limit = 100): Promise<TranscriptLine[]> {
    const { rows } = await this.pool.query<{ direction: "in" | "out"; text: string; intent: string | null; guide_id: string | null; flow_id: string | null; step_id: string | null; lang: Lang | null }>(
      `SELECT direction, text, intent, guide_id, flow_id, step_id, lang FROM
         (SELECT * FROM turns WHERE resident_id = $1 ORDER BY id DESC LIMIT $2) t ORDER BY id`,
      [residentId, limit],
    );
    return rows.map((r) => ({
      direction: r.direction, text: r.text,
      ...(r.intent ? { intent: r.intent } : {}), ...(r.guide_id ? { guideId: r.guide_id } : {}), ...(r.flow_id ? { flowId: r.flow_id } : {}),
      ...(r.step_id ? { stepId: r.step_id } : {}), ...(r.lang ? { lang: r.lang } : {}),
    }));
  }

  /** Claims an incoming update id; false when it was already processed (a redelivery). */
  async claimUpdate(channel: string, updateId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "INSERT INTO processed_updates (channel, update_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [channel, updateId]);
    return rowCount === 1;
  }

  /** Deletes a resident and everything stored about them. */
  async forget(residentId: number): Promise<void> {
    await this.pool.query("DELETE FROM residents WHERE id = $1", [residentId]);
  }
}
