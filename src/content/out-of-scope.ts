/**
 * Questions editors marked as out of scope in the unanswered report ("Ārpus tēmas"): a resident's
 * question similar to one of them gets the honest fallback instead of a guessed guide. Similar
 * means the same measure the report groups by: the question's stems (in its language) overlap a
 * marked question's stems with a Jaccard similarity of at least {@link SIMILARITY}.
 * @module
 */
import { Assistant, type AskContext, type AssistantOptions, type Outcome } from "../core/assistant.js";
import { isLang, type Lang } from "../core/types.js";
import { analyze } from "../nlp/stem.js";
import { SIMILARITY } from "../staff/reports/index.js";

/** A question marked as out of scope. */
export interface Dismissal {
  readonly question: string;
  readonly lang: string;
}

const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
};

/** The marked questions, ready to compare. */
export class OutOfScope {
  readonly #marked: { lang: Lang; stems: Set<string> }[];
  /** Identifies the set (to tell whether it changed). */
  readonly key: string;

  constructor(dismissals: readonly Dismissal[]) {
    this.#marked = dismissals.map((d) => {
      const lang = isLang(d.lang) ? d.lang : "lv";
      return { lang, stems: new Set(analyze(d.question, lang)) };
    }).filter((m) => m.stems.size > 0);
    this.key = dismissals.map((d) => `${d.lang}:${d.question}`).join("\n");
  }

  /** How many questions are marked. */
  get size(): number {
    return this.#marked.length;
  }

  /** True when `text` (in `lang`) is similar to a marked question of that language. */
  matches(text: string, lang: Lang): boolean {
    if (this.#marked.length === 0) return false;
    const stems = new Set(analyze(text, lang));
    if (stems.size === 0) return false;
    return this.#marked.some((m) => m.lang === lang && jaccard(m.stems, stems) >= SIMILARITY);
  }
}

/** An assistant that answers questions marked as out of scope with the honest fallback. */
export class ScopedAssistant extends Assistant {
  readonly outOfScope: OutOfScope;

  constructor(options: AssistantOptions, outOfScope: OutOfScope) {
    super(options);
    this.outOfScope = outOfScope;
  }

  /** Like {@link Assistant.ask}, except that a guessed guide for an out-of-scope question becomes the fallback. */
  override ask(rawText: string, ctx: AskContext = {}): Outcome {
    const outcome = super.ask(rawText, ctx);
    if ((outcome.intent !== "guide" && outcome.intent !== "clarify") || !this.outOfScope.matches(rawText, outcome.lang)) return outcome;
    const { answered: _answered, suggestions: _suggestions, ...rest } = outcome;
    const prefix = outcome.truncated ? outcome.replies.slice(0, 1) : [];
    return { ...rest, intent: "fallback", reason: "noMatch", replies: [...prefix, ...this.fallback(outcome.lang)] };
  }
}
