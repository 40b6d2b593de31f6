/**
 * Retrieval over the guides with MiniSearch (BM25+, field boosts, prefix and fuzzy matching).
 *
 * Why MiniSearch: it lets us plug in our own analysis (folding + stemming per language), has
 * field boosts, prefix and fuzzy search and BM25+, is small (one dependency-free package) and fast.
 * Orama needs a fully custom tokenizer for Latvian and brings nothing extra here.
 *
 * Two indexes per language: whole guides rank the answer; sections pick the part to show.
 * Confidence is the share of the question's informative words (IDF-weighted) that the best guide
 * matches, so a question about something we have no guide for is not answered with a random guide.
 * @module
 */
import MiniSearch, { type SearchResult } from "minisearch";
import { LANGS, type Lang } from "../core/types.js";
import { prepareQuery, type Query } from "../nlp/query.js";
import { analyze, type StemMode } from "../nlp/stem.js";
import type { Guide, Section } from "./guide.js";

/**
 * Field weights for ranking guides. Example questions (`questions:` in the front matter) are
 * written the way residents ask, so they weigh like the keywords.
 */
export const GUIDE_BOOSTS = { title: 3, keywords: 3, questions: 2.5, summary: 2, headings: 1.5, body: 1 } as const;

/** One ranked guide for a question. */
export interface GuideHit {
  readonly id: string;
  /** BM25+ score of the whole guide. */
  readonly score: number;
  /** Share (0–1) of the question's informative words this guide matches. */
  readonly coverage: number;
  /** The query terms (stems) this guide matched. */
  readonly matched: readonly string[];
}

/** The result of one search. */
export interface SearchOutcome {
  readonly lang: Lang;
  /** The analysed query terms. */
  readonly terms: readonly string[];
  /** Share (0–1, by weight) of the question's words that no guide of this language contains. */
  readonly unknown: number;
  readonly hits: readonly GuideHit[];
}

/** Options for {@link GuideIndex}. */
export interface IndexOptions {
  /** How words are reduced. @default "light" */
  readonly stem?: StemMode;
}

interface GuideDoc {
  id: string;
  title: string;
  keywords: string;
  questions: string;
  summary: string;
  headings: string;
  body: string;
}

interface SectionDoc {
  id: string;
  guideId: string;
  anchor: string;
  heading: string;
  body: string;
}

interface LangIndex {
  guides: MiniSearch<GuideDoc>;
  sections: MiniSearch<SectionDoc>;
  df: Map<string, number>;
  count: number;
}

const prefix = (term: string): boolean => term.length >= 4;
const fuzzy = (term: string): number | false => (term.length >= 5 ? 0.2 : false);

/** A searchable index of guides in every language. */
export class GuideIndex {
  readonly #byLang = new Map<Lang, LangIndex>();
  readonly #stem: StemMode;
  #collecting: Set<string> | undefined;

  /**
   * Builds the index. `guides` holds every guide in every language. A guide missing in a
   * language is indexed there in Latvian, so residents still find it (shown with a note).
   */
  constructor(guides: Iterable<Guide>, options: IndexOptions = {}) {
    this.#stem = options.stem ?? "light";
    for (const lang of LANGS) {
      // While a guide is added, its analysed terms are also collected for the IDF table.
      const tokenize = (text: string): string[] => {
        const terms = analyze(text, lang, this.#stem);
        if (this.#collecting) for (const t of terms) this.#collecting.add(t);
        return terms;
      };
      // Queries are analysed once by `search`; MiniSearch only splits the analysed terms.
      const split = (text: string): string[] => text.split(" ").filter(Boolean);
      this.#byLang.set(lang, {
        guides: new MiniSearch<GuideDoc>({
          fields: ["title", "keywords", "questions", "summary", "headings", "body"],
          tokenize,
          processTerm: (t) => t,
          searchOptions: { boost: { ...GUIDE_BOOSTS }, prefix, fuzzy, tokenize: split, processTerm: (t) => t },
        }),
        sections: new MiniSearch<SectionDoc>({
          fields: ["heading", "body"],
          storeFields: ["guideId", "anchor"],
          tokenize,
          processTerm: (t) => t,
          searchOptions: { boost: { heading: 2, body: 1 }, prefix, fuzzy, tokenize: split, processTerm: (t) => t },
        }),
        df: new Map(),
        count: 0,
      });
    }
    const list = [...guides];
    for (const guide of list) this.add(guide);
    for (const lang of LANGS) {
      const have = new Set(list.filter((g) => g.lang === lang).map((g) => g.id));
      for (const guide of list) {
        if (guide.lang === "lv" && !have.has(guide.id)) this.add(guide, lang);
      }
    }
  }

  /** Adds one guide (all its sections) to the index of `lang` (default: the guide's own). */
  add(guide: Guide, lang: Lang = guide.lang): void {
    const index = this.#byLang.get(lang) as LangIndex;
    const doc: GuideDoc = {
      id: guide.id,
      title: guide.title,
      keywords: guide.keywords.join(" \n "),
      questions: (guide.questions ?? []).join(" \n "),
      summary: guide.summary,
      headings: guide.sections.map((s) => s.heading).join(" \n "),
      body: guide.sections.map((s) => s.body).join("\n\n"),
    };
    const terms = new Set<string>();
    this.#collecting = terms;
    try {
      index.guides.add(doc);
    } finally {
      this.#collecting = undefined;
    }
    for (const t of terms) index.df.set(t, (index.df.get(t) ?? 0) + 1);
    index.count++;
    index.sections.addAll(
      guide.sections.map((s: Section) => ({
        id: `${guide.id}#${s.anchor}`,
        guideId: guide.id,
        anchor: s.anchor,
        heading: s.heading,
        body: s.body,
      })),
    );
  }

  /** Inverse document frequency of a term among the guides of `lang`; unseen terms weigh most. */
  idf(term: string, lang: Lang): number {
    const index = this.#byLang.get(lang) as LangIndex;
    const df = index.df.get(term) ?? 0;
    return Math.log(1 + (index.count + 1) / (df + 0.5));
  }

  /**
   * Ranks guides of `lang` for `query`, best first. A string is prepared as a plain query; a
   * {@link Query} brings its own forms and weights (story words weigh less than the request).
   */
  search(query: string | Query, lang: Lang, limit = 10): SearchOutcome {
    const index = this.#byLang.get(lang) as LangIndex;
    const q = typeof query === "string" ? prepareQuery(query, lang, { stem: this.#stem }) : query;
    const terms = [...new Set(q.words.flatMap((w) => w.forms))];
    if (terms.length === 0) return { lang, terms, unknown: 0, hits: [] };
    // A word weighs its request/story weight times the IDF of its most common form.
    const boost = new Map<string, number>();
    let total = 0;
    let unseen = 0;
    const words = q.words.map((w) => {
      if (w.forms.every((f) => !index.df.has(f))) unseen += w.weight;
      const idf = Math.min(...w.forms.map((f) => this.idf(f, lang)));
      total += w.weight * idf;
      for (const f of w.forms) boost.set(f, Math.max(boost.get(f) ?? 0, w.weight));
      return { forms: w.forms, value: w.weight * idf };
    });
    const results: SearchResult[] = index.guides.search(terms.join(" "), {
      boostTerm: (term) => boost.get(term) ?? 1,
    });
    const hits = results.slice(0, limit).map((r) => {
      const found = new Set(r.queryTerms);
      const matched = [...new Set(r.queryTerms.filter((t) => boost.has(t)))];
      const covered = words.reduce((sum, w) => sum + (w.forms.some((f) => found.has(f)) ? w.value : 0), 0);
      return { id: String(r.id), score: r.score, coverage: total > 0 ? covered / total : 0, matched };
    });
    const weight = q.words.reduce((s, w) => s + w.weight, 0);
    return { lang, terms, unknown: weight > 0 ? unseen / weight : 0, hits };
  }

  /** The section of guide `guideId` that best matches `query`, if any matches at all. */
  bestSection(query: string, lang: Lang, guideId: string): { anchor: string; score: number } | undefined {
    const index = this.#byLang.get(lang) as LangIndex;
    const terms = analyze(query, lang, this.#stem);
    // Exact and prefix matches are enough to choose among one guide's sections (no fuzzy walk).
    const [best] = index.sections.search(terms.join(" "), { filter: (r) => r.guideId === guideId, fuzzy: false });
    return best ? { anchor: String(best.anchor), score: best.score } : undefined;
  }

  /** True when guide `id` is indexed in `lang` in that language's own text. */
  has(id: string, lang: Lang): boolean {
    return (this.#byLang.get(lang) as LangIndex).guides.has(id);
  }

  /** Number of guides and sections indexed per language. */
  size(lang: Lang): { guides: number; sections: number } {
    const index = this.#byLang.get(lang) as LangIndex;
    return { guides: index.guides.documentCount, sections: index.sections.documentCount };
  }
}
