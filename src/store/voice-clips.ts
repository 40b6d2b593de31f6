/**
 * Web chat voice messages kept for the ticket they were sent to (`voice_clips`), so that a member
 * of staff can listen to them. Only while the ticket needs them: the rows go with the ticket, the
 * resident (`/forget`), and a week after the ticket was closed (see `retention.ts`).
 * @module
 */
import type { VoiceClip, VoiceClips } from "../server/voice-http.js";
import type { Queryable } from "./transaction.js";

/** {@link VoiceClips} in PostgreSQL. */
export class PgVoiceClips implements VoiceClips {
  constructor(private readonly pool: Queryable) {}

  async save(clip: VoiceClip): Promise<void> {
    await this.pool.query(
      "INSERT INTO voice_clips (id, resident_id, ticket_id, content_type, bytes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
      [clip.id, clip.residentId, clip.ticketId, clip.contentType, Buffer.from(clip.bytes.buffer, clip.bytes.byteOffset, clip.bytes.byteLength)]);
  }

  /** A kept recording, or undefined when it is gone (the ticket closed long ago, `/forget`). */
  async load(id: string): Promise<{ bytes: Uint8Array; contentType: string } | undefined> {
    const { rows } = await this.pool.query<{ bytes: Buffer | Uint8Array; content_type: string }>("SELECT bytes, content_type FROM voice_clips WHERE id = $1", [id]);
    const row = rows[0];
    return row ? { bytes: new Uint8Array(row.bytes), contentType: row.content_type } : undefined;
  }
}
