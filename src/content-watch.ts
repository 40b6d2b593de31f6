/**
 * What the console shows about the content. The serving content and the hot reload of the
 * repository folders live in `src/content/live.ts` (files are imported as revisions).
 * @module
 */

/** The content's check status. */
export interface ContentStatus {
  /** False when the last import of the repository folders failed the check (the published content keeps serving). */
  readonly ok: boolean;
  /** When the serving version was loaded. */
  readonly loadedAt: string;
  /** When the content was last checked. */
  readonly checkedAt: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}
