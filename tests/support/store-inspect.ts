/**
 * Reading and writing the conversation tables the way tests need it, outside the production
 * ConversationStore (which keeps only what the app uses).
 */
import type pg from "pg";
import type { Lang } from "../../src/core/types.js";
import type { ConversationStore, StoredEvent, TurnCommit } from "../../src/store/conversation-store.js";

/** Counted events of a resident, oldest first. */
export async function eventsOf(db: Pick<pg.Pool, "query">, residentId: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<{ kind: string; flow_id: string | null; step_id: string | null; guide_id: string | null; lang: Lang | null }>(
    "SELECT kind, flow_id, step_id, guide_id, lang FROM events WHERE resident_id = $1 ORDER BY id", [residentId]);
  return rows.map((r) => ({
    kind: r.kind, ...(r.flow_id ? { flowId: r.flow_id } : {}), ...(r.step_id ? { stepId: r.step_id } : {}),
    ...(r.guide_id ? { guideId: r.guide_id } : {}), ...(r.lang ? { lang: r.lang } : {}),
  }));
}

/** One turn through the production path (the batched commit with one item). */
export async function commitTurn<S>(store: ConversationStore, residentId: number, expectedVersion: number, commit: TurnCommit<S>): Promise<boolean> {
  const [saved] = await store.commitTurns([{ residentId, expectedVersion, ...commit }]);
  return saved === true;
}
