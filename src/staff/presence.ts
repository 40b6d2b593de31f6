/**
 * Staff presence: whether someone who answers a centre's requests is online now. A member of staff
 * counts as online for {@link PRESENCE_WINDOW_MS} after the last sign of them: a console request,
 * a keep-alive of their open console event stream, or an action in Slack. The time is kept in the
 * database (`staff.last_seen_at`), so that every instance behind one address sees the same
 * presence. Writes are throttled per member of staff and per instance.
 * @module
 */
import type pg from "pg";
import type { StaffPresence as PresenceData } from "../core/hours.js";
import type { Logger } from "../log.js";

/** How long after the last sign of them a member of staff counts as online. */
export const PRESENCE_WINDOW_MS = 5 * 60_000;

/** At most one write per member of staff this often (per instance). */
export const PRESENCE_WRITE_EVERY_MS = 60_000;

/** Options for {@link StaffPresenceTracker}. */
export interface PresenceOptions {
  readonly log?: Logger;
  /** The clock for throttling (tests). @default Date.now */
  readonly now?: () => number;
}

/** Records signs of staff and answers "is anyone of this centre online now?". */
export class StaffPresenceTracker {
  readonly #pool: pg.Pool;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  /** When this instance last wrote each member of staff's presence. */
  readonly #written = new Map<number, number>();

  constructor(pool: pg.Pool, options: PresenceOptions = {}) {
    this.#pool = pool;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A sign of a member of staff (a console request, an open event stream, a Slack action). Never
   * throws and never delays the caller: the write happens in the background, at most once per
   * {@link PRESENCE_WRITE_EVERY_MS}.
   */
  seen(staffId: number): void {
    const now = this.#now();
    const last = this.#written.get(staffId);
    if (last !== undefined && now - last < PRESENCE_WRITE_EVERY_MS) return;
    this.#written.set(staffId, now);
    this.touch(staffId).catch((error: unknown) => {
      this.#written.delete(staffId);
      this.#log?.warn("could not record staff presence", { error });
    });
  }

  /** Records a sign of a member of staff now (unthrottled). */
  async touch(staffId: number): Promise<void> {
    await this.#pool.query("UPDATE staff SET last_seen_at = now() WHERE id = $1", [staffId]);
  }

  /**
   * Whether at least one active member of staff who may answer the centre's tickets (an admin,
   * or someone the centre is assigned to) showed a sign within {@link PRESENCE_WINDOW_MS}.
   */
  async online(centreId: string): Promise<PresenceData> {
    const { rows } = await this.#pool.query<{ online: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM staff
          WHERE active AND (role = 'admin' OR $1 = ANY (centres))
            AND last_seen_at > now() - ($2::int * interval '1 millisecond')
       ) AS online`,
      [centreId, PRESENCE_WINDOW_MS],
    );
    return { online: rows[0]?.online === true };
  }
}
