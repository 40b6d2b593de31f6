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
export interface Turn {
  readonly direction: "in" | "out";
  readonly text: string;
  readonly intent?: string;
  readonly guideId?: string;
  readonly flowId?: string;
  readonly stepId?: string;
  readonly lang?: Lang;
}

/** A counted event (feedback, a finished flow) for the indicators. */
export interface StoredEvent {
  readonly kind: string;
  readonly flowId?: string;
  readonly stepId?: string;
  readonly guideId?: string;
  readonly lang?: Lang;
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
  async appendTurns(residentId: number, turns: readonly Turn[]): Promise<void> {
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
  async commitTurn<S>(residentId: number, expectedVersion: number, commit: {
    readonly state: S;
    readonly turns: readonly Turn[];
    readonly events?: readonly StoredEvent[];
    readonly lang?: Lang;
    readonly update?: { readonly channel: string; readonly id: string };
  }): Promise<boolean> {
    const turns = commit.turns.map((t) => ({
      direction: t.direction, text: maskPersonalData(t.text), intent: t.intent ?? null, guide_id: t.guideId ?? null,
      flow_id: t.flowId ?? null, step_id: t.stepId ?? null, lang: t.lang ?? null,
    }));
    const events = (commit.events ?? []).map((e) => ({ kind: e.kind, flow_id: e.flowId ?? null, step_id: e.stepId ?? null, guide_id: e.guideId ?? null, lang: e.lang ?? null }));
    const { rows } = await this.pool.query<{ saved: boolean }>({
      name: "commit-turn",
      text: `WITH upd AS (
         UPDATE sessions SET state = $3::jsonb, version = version + 1, updated_at = now()
         WHERE resident_id = $1 AND version = $2 AND $2 > 0
           AND NOT EXISTS (SELECT 1 FROM processed_updates p WHERE p.channel = $7 AND p.update_id = $8)
         RETURNING 1
       ), ins AS (
         INSERT INTO sessions (resident_id, state, version) SELECT $1, $3::jsonb, 1 WHERE $2 = 0
           AND NOT EXISTS (SELECT 1 FROM processed_updates p WHERE p.channel = $7 AND p.update_id = $8)
         ON CONFLICT (resident_id) DO NOTHING RETURNING 1
       ), saved AS (SELECT 1 FROM upd UNION ALL SELECT 1 FROM ins),
       t AS (
         INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, step_id, lang)
         SELECT $1, x.j->>'direction', x.j->>'text', x.j->>'intent', x.j->>'guide_id', x.j->>'flow_id', x.j->>'step_id', x.j->>'lang'
         FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(j, n)
         WHERE EXISTS (SELECT 1 FROM saved) ORDER BY x.n
       ), e AS (
         INSERT INTO events (resident_id, kind, flow_id, step_id, guide_id, lang)
         SELECT $1, x.kind, x.flow_id, x.step_id, x.guide_id, x.lang
         FROM jsonb_to_recordset($5::jsonb) AS x(kind text, flow_id text, step_id text, guide_id text, lang text)
         WHERE EXISTS (SELECT 1 FROM saved)
       ), l AS (
         UPDATE residents SET lang = $6, updated_at = now()
         WHERE id = $1 AND $6::text IS NOT NULL AND lang <> $6 AND EXISTS (SELECT 1 FROM saved)
       ), c AS (
         INSERT INTO processed_updates (channel, update_id) SELECT $7, $8
         WHERE $8::text IS NOT NULL AND EXISTS (SELECT 1 FROM saved) ON CONFLICT DO NOTHING
       )
       SELECT EXISTS (SELECT 1 FROM saved) AS saved`,
      values: [residentId, expectedVersion, JSON.stringify(commit.state), JSON.stringify(turns), JSON.stringify(events),
        commit.lang ?? null, commit.update?.channel ?? null, commit.update?.id ?? null],
    });
    return rows[0]?.saved === true;
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
  async appendTurn(residentId: number, turn: Turn): Promise<void> {
    await this.pool.query(
      "INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id) VALUES ($1, $2, $3, $4, $5, $6)",
      [residentId, turn.direction, maskPersonalData(turn.text), turn.intent ?? null, turn.guideId ?? null, turn.flowId ?? null],
    );
  }

  /** The last `limit` turns of a resident, oldest first. */
  async transcript(residentId: number, limit = 100): Promise<Turn[]> {
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
