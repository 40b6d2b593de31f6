/**
 * Retrieval over the guides with MiniSearch (BM25+, field boosts, prefix and fuzzy matching).
 *
 * Why MiniSearch: it lets us plug in our own analysis (folding + stemming per language), has
 * field boosts, prefix and fuzzy search and BM25+, is small (one dependency-free package) and fast.
 * Orama needs a fully custom tokenizer for Latvian and brings nothing extra here.
 *
 * Per language, whole guides rank the answer (MiniSearch); the part to show is then chosen among
 * that one guide's sections by BM25+ over their term counts, kept per guide, so picking a
 * section costs the same with 20 guides or 10,000 sections. Section text is analysed once and
 * shared with the guide index.
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

/** A field's term counts, with its terms sorted for prefix look-ups. */
interface FieldCounts {
  readonly tf: ReadonlyMap<string, number>;
  readonly sorted: readonly string[];
}

/** One section's analysed terms, counted per field. */
interface SectionStats {
  readonly anchor: string;
  readonly heading: FieldCounts;
  readonly body: FieldCounts;
  readonly headingLength: number;
  readonly bodyLength: number;
}

interface LangIndex {
  guides: MiniSearch<GuideDoc>;
  /** Sections per guide id. */
  sections: Map<string, SectionStats[]>;
  /** Number of sections each term occurs in. */
  sectionDf: Map<string, number>;
  sectionCount: number;
  headingTerms: number;
  bodyTerms: number;
  df: Map<string, number>;
  count: number;
}

/** BM25+ parameters (as MiniSearch uses them) and field weights for choosing a section. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;
const SECTION_BOOSTS = { heading: 2, body: 1 } as const;
/** A prefix match ("rekin" in "rekinu") counts less than the word itself. */
const PREFIX_WEIGHT = 0.375;

function counts(terms: readonly string[]): FieldCounts {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return { tf, sorted: [...tf.keys()].sort() };
}

/** BM25+ of one field for one query term, exact or (for terms of 4+ letters) by prefix. */
function fieldScore(field: FieldCounts, term: string, length: number, average: number): number {
  let tf = field.tf.get(term) ?? 0;
  if (tf === 0 && prefix(term)) {
    // The terms that start with `term` sit together in the sorted list: find the first by bisection.
    const { sorted } = field;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? term) < term) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length; i++) {
      const candidate = sorted[i];
      if (!candidate?.startsWith(term)) break;
      tf += (field.tf.get(candidate) ?? 0) * PREFIX_WEIGHT;
    }
  }
  if (tf === 0) return 0;
  const norm = 1 - BM25.b + (BM25.b * length) / Math.max(1, average);
  return (tf * (BM25.k + 1)) / (tf + BM25.k * norm) + BM25.d;
}

const prefix = (term: string): boolean => term.length >= 4;
const fuzzy = (term: string): number | false => (term.length >= 5 ? 0.2 : false);

/** A searchable index of guides in every language. */
export class GuideIndex {
  readonly #byLang: Readonly<Record<Lang, LangIndex>>;
  readonly #stem: StemMode;
  #collecting: Set<string> | undefined;

  /**
   * Builds the index. `guides` holds every guide in every language. A guide missing in a
   * language is indexed there in Latvian, so residents still find it (shown with a note).
   */
  constructor(guides: Iterable<Guide>, options: IndexOptions = {}) {
    this.#stem = options.stem ?? "light";
    this.#byLang = { lv: this.#emptyIndex("lv"), ru: this.#emptyIndex("ru"), en: this.#emptyIndex("en") };
    const list = [...guides];
    for (const guide of list) this.add(guide);
    for (const lang of LANGS) {
      const have = new Set(list.filter((g) => g.lang === lang).map((g) => g.id));
      for (const guide of list) {
        if (guide.lang === "lv" && !have.has(guide.id)) this.add(guide, lang);
      }
    }
  }

  /** An empty index for `lang` whose tokenizer collects terms while a guide is added. */
  #emptyIndex(lang: Lang): LangIndex {
    // While a guide is added, its analysed terms are also collected for the IDF table.
    const tokenize = (text: string): string[] => {
      const terms = analyze(text, lang, this.#stem);
      if (this.#collecting) for (const t of terms) this.#collecting.add(t);
      return terms;
    };
    // Queries are analysed once by `search`; MiniSearch only splits the analysed terms.
    const split = (text: string): string[] => text.split(" ").filter(Boolean);
    // Headings and bodies arrive analysed (see `add`): split them and collect their terms.
    const byField = (text: string, field?: string): string[] => {
      if (field !== "headings" && field !== "body") return tokenize(text);
      const terms = split(text);
      if (this.#collecting) for (const t of terms) this.#collecting.add(t);
      return terms;
    };
    return {
      guides: new MiniSearch<GuideDoc>({
        fields: ["title", "keywords", "questions", "summary", "headings", "body"],
        tokenize: byField,
        processTerm: (t) => t,
        searchOptions: { boost: { ...GUIDE_BOOSTS }, prefix, fuzzy, tokenize: split, processTerm: (t) => t },
      }),
      sections: new Map(),
      sectionDf: new Map(),
      sectionCount: 0,
      headingTerms: 0,
      bodyTerms: 0,
      df: new Map(),
      count: 0,
    };
  }

  /** Adds one guide (all its sections) to the index of `lang` (default: the guide's own). */
  add(guide: Guide, lang: Lang = guide.lang): void {
    const index = this.#byLang[lang];
    // Each section is analysed once: its counts choose sections, its terms feed the guide index.
    const stats: SectionStats[] = guide.sections.map((sec: Section) => {
      const heading = analyze(sec.heading, lang, this.#stem);
      const body = analyze(sec.body, lang, this.#stem);
      return { anchor: sec.anchor, heading: counts(heading), body: counts(body), headingLength: heading.length, bodyLength: body.length };
    });
    const doc: GuideDoc = {
      id: guide.id,
      title: guide.title,
      keywords: guide.keywords.join(" \n "),
      // Standing in for a missing translation, the guide also has that language's taught questions.
      questions: [...guide.questions, ...(lang !== guide.lang ? guide.questionsFor?.[lang] ?? [] : [])].join(" \n "),
      summary: guide.summary,
      headings: stats.flatMap((st) => [...st.heading.tf].flatMap(([t, n]) => Array<string>(n).fill(t))).join(" "),
      body: stats.flatMap((st) => [...st.body.tf].flatMap(([t, n]) => Array<string>(n).fill(t))).join(" "),
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
    index.sections.set(guide.id, stats);
    for (const st of stats) {
      for (const t of new Set([...st.heading.tf.keys(), ...st.body.tf.keys()])) index.sectionDf.set(t, (index.sectionDf.get(t) ?? 0) + 1);
      index.sectionCount++;
      index.headingTerms += st.headingLength;
      index.bodyTerms += st.bodyLength;
    }
  }

  /** Inverse document frequency of a term among the guides of `lang`; unseen terms weigh most. */
  idf(term: string, lang: Lang): number {
    const index = this.#byLang[lang];
    const df = index.df.get(term) ?? 0;
    return Math.log(1 + (index.count + 1) / (df + 0.5));
  }

  /**
   * Ranks guides of `lang` for `query`, best first. A string is prepared as a plain query; a
   * {@link Query} brings its own forms and weights (story words weigh less than the request).
   */
  search(query: string | Query, lang: Lang, limit = 10): SearchOutcome {
    const index = this.#byLang[lang];
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
      // A long word the guides contain as written looks one edit away at most; the wider (and
      // costlier) walk of the term tree is for words the guides lack — the typos.
      fuzzy: (term) => (fuzzy(term) === false ? false : index.df.has(term) ? 1 : fuzzy(term)),
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
    const index = this.#byLang[lang];
    const list = index.sections.get(guideId);
    if (!list) return undefined;
    const terms = [...new Set(analyze(query, lang, this.#stem))];
    const n = Math.max(1, index.sectionCount);
    const avgHeading = index.headingTerms / n;
    const avgBody = index.bodyTerms / n;
    let best: { anchor: string; score: number } | undefined;
    for (const st of list) {
      let score = 0;
      for (const t of terms) {
        const f = SECTION_BOOSTS.heading * fieldScore(st.heading, t, st.headingLength, avgHeading) + SECTION_BOOSTS.body * fieldScore(st.body, t, st.bodyLength, avgBody);
        if (f === 0) continue;
        const df = index.sectionDf.get(t) ?? 1;
        score += f * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      }
      if (score > 0 && (!best || score > best.score)) best = { anchor: st.anchor, score };
    }
    return best;
  }

  /** True when guide `id` is indexed in `lang` in that language's own text. */
  has(id: string, lang: Lang): boolean {
    return this.#byLang[lang].guides.has(id);
  }

  /** Number of guides and sections indexed per language. */
  size(lang: Lang): { guides: number; sections: number } {
    const index = this.#byLang[lang];
    return { guides: index.guides.documentCount, sections: index.sectionCount };
  }
}
