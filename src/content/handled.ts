/**
 * The handled groups of the unanswered report: what editors did (taught to a guide, marked out of
 * scope, put on the to-do list of missing guides), by whom and when, and whether the bot answers
 * the group's questions now (answers-now.ts). The report's groups are matched to these marks by
 * the report's own similarity (`matchHandled`); a handled group no longer counts as open.
 * @module
 */
import type { Conversation } from "../core/conversation.js";
import { matchHandled } from "../staff/reports/unanswered-handled.js";
import type { UnansweredGroup } from "../staff/reports/grouping.js";
import { answersNow, guideTitleOf, type AnswersNow } from "./answers-now.js";
import type { MissingGuides } from "./missing-guides.js";
import type { Teacher } from "./teach.js";
import { isLang } from "../core/types.js";

/** How an editor handled a group. */
export type HandledAction = "teach" | "dismiss" | "needs-guide";

/** One mark an editor made, newest first in lists. */
export interface HandledMark {
  /** `teach:<id>`, `dismiss:<id>` or `needs-guide:<to-do item id>`. */
  readonly key: string;
  readonly action: HandledAction;
  readonly question: string;
  readonly lang: string;
  /** The wordings it covers: the question; a to-do item's examples. */
  readonly wordings: readonly string[];
  /** The guide taught to; for a to-do item marked done, the guide that now covers it. */
  readonly guideId: string | null;
  readonly guideTitle: string | null;
  /** The revision a teach published. */
  readonly revision: number | null;
  readonly by: string;
  readonly at: string;
  /** A to-do item: its id and, once done, by whom and when. */
  readonly todo?: { readonly id: number; readonly done: { readonly guideId: string; readonly by: string; readonly at: string } | null };
}

/** A mark with what the bot does now with its questions. */
export interface HandledStatus extends HandledMark {
  readonly answersNow: AnswersNow;
  /**
   * The bot does what the mark intended: a taught group is answered by that guide; an out-of-scope
   * one gets the fallback; a to-do item is answered (by the guide it was marked done with, once done).
   */
  readonly resolved: boolean;
}

const resolvedBy = (mark: HandledMark, now: AnswersNow): boolean => {
  if (now.of === 0) return false;
  if (mark.action === "dismiss") return now.fallback === now.of;
  if (mark.action === "teach") return now.guideId === mark.guideId && now.answered === now.of;
  return now.answered === now.of && (mark.guideId === null || now.guideId === mark.guideId);
};

/** A handled mark as the API shows it. */
export function handledJson(h: HandledStatus): Record<string, unknown> {
  return {
    key: h.key, action: h.action, question: h.question, lang: h.lang, examples: h.wordings, guideId: h.guideId, guideTitle: h.guideTitle,
    revision: h.revision, by: h.by, at: h.at, ...(h.todo ? { todo: h.todo } : {}), answersNow: h.answersNow,
    answeredNow: h.answersNow.guideId, resolved: h.resolved,
  };
}

/** The handled marks and their status with the serving content. */
export class HandledGroups {
  constructor(
    private readonly teacher: Teacher,
    private readonly missing: MissingGuides,
    private readonly conversation: () => Conversation,
  ) {}

  /** Every mark (removed to-do items and undone marks left out), newest first. */
  async marks(): Promise<HandledMark[]> {
    const [handled, todo] = await Promise.all([this.teacher.handled(), this.missing.list()]);
    const conversation = this.conversation();
    const title = (id: string | null, lang: string): string | null => (id ? guideTitleOf(conversation, id, isLang(lang) ? lang : "lv") ?? id : null);
    const marks: HandledMark[] = [
      ...handled.map((h) => ({
        key: `${h.action}:${h.id}`, action: h.action, question: h.question, lang: h.lang, wordings: [h.question],
        guideId: h.guideId, guideTitle: title(h.guideId, h.lang), revision: h.revision, by: h.by, at: h.at,
      })),
      ...todo.map((t) => ({
        key: `needs-guide:${t.id}`, action: "needs-guide" as const, question: t.question, lang: t.lang,
        wordings: t.examples.length > 0 ? t.examples : [t.question],
        guideId: t.done?.guideId ?? null, guideTitle: title(t.done?.guideId ?? null, t.lang), revision: null, by: t.by, at: t.at,
        todo: { id: t.id, done: t.done },
      })),
    ];
    return marks.sort((a, b) => b.at.localeCompare(a.at));
  }

  /** {@link marks} with what the bot does now with each mark's wordings. */
  async list(): Promise<HandledStatus[]> {
    const conversation = this.conversation();
    return (await this.marks()).map((m) => {
      const now = answersNow(conversation, m.wordings, m.lang);
      return { ...m, answersNow: now, resolved: resolvedBy(m, now) };
    });
  }

  /**
   * For each group of the report, the mark that handles it (newest first) with what the bot does
   * now with the group's questions (its examples and the mark's wordings), or null (still open).
   */
  async annotate(groups: readonly UnansweredGroup[]): Promise<(HandledStatus | null)[]> {
    const marks = await this.marks();
    const conversation = this.conversation();
    const matched = matchHandled(groups, marks);
    return groups.map((group, i) => {
      const m = matched[i];
      if (!m) return null;
      const now = answersNow(conversation, [...group.examples, ...m.wordings], m.lang);
      return { ...m, answersNow: now, resolved: resolvedBy(m, now) };
    });
  }
}
