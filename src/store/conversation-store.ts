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
}

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
    const { rows } = await this.pool.query<{ direction: "in" | "out"; text: string; intent: string | null; guide_id: string | null; flow_id: string | null }>(
      `SELECT direction, text, intent, guide_id, flow_id FROM
         (SELECT * FROM turns WHERE resident_id = $1 ORDER BY id DESC LIMIT $2) t ORDER BY id`,
      [residentId, limit],
    );
    return rows.map((r) => ({
      direction: r.direction, text: r.text,
      ...(r.intent ? { intent: r.intent } : {}), ...(r.guide_id ? { guideId: r.guide_id } : {}), ...(r.flow_id ? { flowId: r.flow_id } : {}),
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
