/**
 * "Does the bot answer it now?" for the questions of a handled group of the unanswered report:
 * each question runs as the first turn of a new conversation with the serving content — the same
 * routing as a resident's first message and `cli ask` (commands, flows, retrieval, the
 * out-of-scope marks) — and counts as answered when a guide answers it with the confidence the
 * report does not call low (`LOW_CONFIDENCE`), or when it starts a flow (which answers with the
 * guide it walks through). Results are cached per serving conversation, which is rebuilt for each
 * content revision and each change of the out-of-scope marks, so a report asks each question once
 * per revision.
 * @module
 */
import { flowGuide } from "../cli/eval.js";
import { NEW_SESSION, type Conversation } from "../core/conversation.js";
import { isLang, LANGS, type Lang } from "../core/types.js";
import { LOW_CONFIDENCE } from "../staff/reports/definitions.js";

/** What the bot does now with one question. */
export interface QuestionAnswer {
  /** The guide that answers it (a flow's guide for a flow), or null when it does not answer. */
  readonly guideId: string | null;
  /** The flow it starts, if any. */
  readonly flowId?: string;
  /** It gets the honest "I don't know" (the fallback). */
  readonly fallback: boolean;
}

/** What the bot does now with a group's questions. */
export interface AnswersNow {
  /** The guide that answers most of them (ties: the first question's), or null when none is answered. */
  readonly guideId: string | null;
  /** That guide's title in the group's language (any language when it has none), or null. */
  readonly title: string | null;
  /** How many of the questions are answered (by any guide or flow). */
  readonly answered: number;
  /** How many get the fallback. */
  readonly fallback: number;
  /** How many questions were asked. */
  readonly of: number;
}

/** Answers per conversation are kept for at most this many questions (then the cache starts over). */
const MAX_CACHED = 5000;

const cache = new WeakMap<Conversation, Map<string, QuestionAnswer>>();

/** What `conversation` does with `question` as a resident's first message in `lang` (cached per conversation). */
export function answerNow(conversation: Conversation, question: string, lang: Lang): QuestionAnswer {
  let answers = cache.get(conversation);
  if (!answers || answers.size >= MAX_CACHED) {
    answers = new Map();
    cache.set(conversation, answers);
  }
  const key = `${lang}\n${question}`;
  const known = answers.get(key);
  if (known) return known;
  const turn = conversation.handle(NEW_SESSION, { kind: "text", text: question }, { lang });
  const outcome = turn.outcome;
  const first = outcome?.guides[0];
  let answer: QuestionAnswer;
  if (turn.intent === "flow" && turn.flowId) {
    const flow = conversation.flows.get(turn.flowId);
    answer = { guideId: (flow ? flowGuide(flow) : undefined) ?? null, flowId: turn.flowId, fallback: false };
  } else if (turn.intent === "guide" && outcome?.answered && !(first && (first.coverage < LOW_CONFIDENCE.coverage || first.score < LOW_CONFIDENCE.score))) {
    answer = { guideId: outcome.answered.id, fallback: false };
  } else {
    answer = { guideId: null, fallback: turn.intent === "fallback" };
  }
  answers.set(key, answer);
  return answer;
}

/** The title of guide `id` in `lang`, else in any language; null when there is no such guide. */
export function guideTitleOf(conversation: Conversation, id: string, lang: Lang): string | null {
  const guides = conversation.assistant.knowledge.guides;
  for (const l of [lang, ...LANGS.filter((x) => x !== lang)]) {
    const guide = guides.get(l)?.get(id);
    if (guide) return guide.title;
  }
  return null;
}

/** What `conversation` does now with `questions` (distinct, in `lang`; an unknown language reads as Latvian). */
export function answersNow(conversation: Conversation, questions: readonly string[], lang: string): AnswersNow {
  const l: Lang = isLang(lang) ? lang : "lv";
  const results = [...new Set(questions.map((q) => q.trim()).filter(Boolean))].map((q) => answerNow(conversation, q, l));
  const votes = new Map<string, number>();
  for (const r of results) if (r.guideId) votes.set(r.guideId, (votes.get(r.guideId) ?? 0) + 1);
  // Map keeps first-seen order and the sort is stable: ties go to the first question's guide.
  const guideId = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    guideId,
    title: guideId ? guideTitleOf(conversation, guideId, l) ?? guideId : null,
    answered: results.filter((r) => r.guideId !== null || r.flowId !== undefined).length,
    fallback: results.filter((r) => r.fallback).length,
    of: results.length,
  };
}
