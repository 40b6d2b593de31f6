/**
 * The channel-neutral brain: one message in, a decision and replies out. It routes a message
 * to an escalation (a request for a person), a guide answer (retrieval), or an honest fallback.
 * Channels and flows build on this; it keeps no state of its own.
 * @module
 */
import { buildVocabulary, type KnowledgeBase } from "../knowledge/knowledge.js";
import type { Guide, Section } from "../knowledge/guide.js";
import { plainText, splitText } from "../knowledge/render.js";
import { GuideIndex, type GuideHit } from "../knowledge/search-index.js";
import { band, CALIBRATION, confidence, type Calibration, type RankSignals } from "../nlp/confidence.js";
import { asksForCallback, asksForPerson, smallTalk } from "../nlp/intents.js";
import { cyrillicQuery, detectLanguage, type Detection, type Vocabulary } from "../nlp/language.js";
import { tidy } from "../nlp/normalize.js";
import { prepareQuery, type Query } from "../nlp/query.js";
import { outOfScope } from "../nlp/scope.js";
import type { StemMode } from "../nlp/stem.js";
import { buttonIds, parseButtonId } from "./button-ids.js";
import { MESSAGES } from "./messages.js";
import { LANGS, MAX_REPLY_LENGTH, type Button, type Intent, type Lang, type Reply } from "./types.js";

/**
 * Calibrated limits below which the bot says "I don't know this yet" (see `cli eval`).
 * A guide answers when it matches at least `minCoverage` of the question's informative words
 * with a score of `minScore`, or a smaller share (`weakCoverage`) with a strong score
 * (`strongScore`), or — for long messages full of context — at least `longMatches` distinct
 * words with a strong score and `longCoverage`. Short questions with one unknown word still
 * find their guide, while off-topic questions that share one common word with a guide do not.
 */
export interface Thresholds {
  /** @default 0.5 */
  readonly minCoverage: number;
  /** @default 20 */
  readonly minScore: number;
  /** @default 0.3 */
  readonly weakCoverage: number;
  /** @default 80 */
  readonly strongScore: number;
  /** @default 3 */
  readonly longMatches: number;
  /** @default 0.2 */
  readonly longCoverage: number;
}

/** The default thresholds, calibrated on the development set. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  minCoverage: 0.5, minScore: 20, weakCoverage: 0.3, strongScore: 80, longMatches: 3, longCoverage: 0.2,
};

/** The longest question we analyse; the rest is ignored (and the resident told so). */
export const MAX_QUESTION_LENGTH = 1000;

/** Guides offered as the main topics (menu and fallback), in this order. */
export const MAIN_TOPICS = [
  "e-invoices", "municipal-application", "e-address", "e-identity", "residence-declaration",
  "property-tax", "meter-readings", "online-safety", "client-service-centres",
] as const;

/**
 * Why the assistant decided as it did: a guide answered, no guide matched well enough, the
 * message had no words, was only a greeting or thanks, asked for a person; for buttons also the
 * menu and an unknown (old or removed) button.
 */
export type OutcomeReason = "answered" | "noMatch" | "empty" | "smallTalk" | "askedForPerson" | "menu" | "unknownButton" | "unsure" | "rephrase";

/** The texts of a clarification, per language. */
export const CLARIFY_TEXT: Readonly<Record<Lang, { readonly question: string; readonly other: string; readonly rephrase: string }>> = {
  lv: { question: "Vai Jūs jautājat par:", other: "Cits jautājums", rephrase: "Labi. Lūdzu, uzrakstiet savu jautājumu citiem vārdiem." },
  ru: { question: "Вы спрашиваете о:", other: "Другой вопрос", rephrase: "Хорошо. Пожалуйста, напишите свой вопрос другими словами." },
  en: { question: "Are you asking about:", other: "Something else", rephrase: "All right. Please write your question in other words." },
};

/** A clarification offers at most this many guides. */
const MAX_SUGGESTIONS = 3;

/** What the assistant decided for one message. */
export interface Outcome {
  readonly lang: Lang;
  readonly intent: Intent;
  readonly reason: OutcomeReason;
  /**
   * The message was longer than {@link MAX_QUESTION_LENGTH} and only its start was read; the
   * first reply then says so.
   */
  readonly truncated?: boolean;
  /** The ranked guides (best first) with their scores. */
  readonly guides: readonly { id: string; score: number; coverage: number; matched: readonly string[] }[];
  readonly replies: readonly Reply[];
  /** The guide and section answered, when intent is `guide`. */
  readonly answered?: { readonly id: string; readonly anchor: string };
  /** The guides offered, when intent is `clarify` (best first). */
  readonly suggestions?: readonly string[];
  /** Share of the question's words (by weight) that no guide contains. */
  readonly unknown?: number;
  /** Calibrated probability (0–1) that the first guide is right, for free-text questions. */
  readonly confidence?: number;
  /** The resident asked to be called back or cannot type or read: preselect a phone call. */
  readonly callback?: boolean;
  /** The message is about a topic the bot has no guide for (see `nlp/scope.ts`). */
  readonly offTopic?: string;
}

/** Options for {@link Assistant}. */
export interface AssistantOptions {
  readonly knowledge: KnowledgeBase;
  readonly thresholds?: Thresholds;
  readonly stem?: StemMode;
  /** The confidence model and its bands. @default CALIBRATION */
  readonly calibration?: Calibration;
}

/** Per-message context the caller knows: the resident's language, if chosen. */
export interface AskContext {
  /** The resident's chosen or last language; used when a message shows no language. */
  readonly lang?: Lang;
  /** The resident's last question, to choose the section of a guide picked from a clarification. */
  readonly question?: string;
}

/** Answers residents' messages from the guides. */
export class Assistant {
  readonly knowledge: KnowledgeBase;
  readonly index: GuideIndex;
  readonly thresholds: Thresholds;
  readonly #vocab: Vocabulary;
  readonly #stem: StemMode;
  readonly calibration: Calibration;
  #lastDetection: { readonly text: string; readonly fallback: Lang; readonly detection: Detection } | undefined;

  constructor(options: AssistantOptions) {
    this.knowledge = options.knowledge;
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    const all = LANGS.flatMap((l) => [...(options.knowledge.guides.get(l)?.values() ?? [])]);
    this.#stem = options.stem ?? "light";
    this.calibration = options.calibration ?? CALIBRATION;
    this.index = new GuideIndex(all, { stem: this.#stem });
    this.#vocab = buildVocabulary(options.knowledge);
  }

  /** Detects the language of a message, falling back to the resident's language. */
  detect(text: string, ctx: AskContext = {}): Lang {
    return this.detection(text, ctx).lang;
  }

  /**
   * Language detection with its evidence; `translit` marks Russian typed in Latin letters. The
   * last answer is kept: one turn asks about the same text several times (scam check, retrieval).
   */
  detection(text: string, ctx: AskContext = {}): Detection {
    const fallback = ctx.lang ?? "lv";
    const last = this.#lastDetection;
    if (last?.text === text && last.fallback === fallback) return last.detection;
    const detection = detectLanguage(tidy(text), this.#vocab, fallback);
    this.#lastDetection = { text, fallback, detection };
    return detection;
  }

  /**
   * The message as the intent rules read it: as written and, for Russian typed in Latin
   * letters, in Cyrillic too ("zvonili iz banka, prosili kod" → "звонили из банка, просили код").
   */
  readings(text: string, ctx: AskContext = {}): string[] {
    const detection = this.detection(text, ctx);
    return detection.translit === true ? [text, cyrillicQuery(tidy(text), this.#vocab)] : [text];
  }

  /** Prepares a message for retrieval in its language (Cyrillic for Latin-typed Russian, story weights). */
  query(text: string, detection: Detection): Query {
    return prepareQuery(text, detection.lang, { stem: this.#stem, translit: detection.translit === true, vocab: this.#vocab });
  }

  /** Handles one free-text message. Never throws on odd input. */
  ask(rawText: string, ctx: AskContext = {}): Outcome {
    const trimmed = rawText.trim();
    const text = trimmed.slice(0, MAX_QUESTION_LENGTH);
    const hasWords = /[\p{L}\p{N}]/u.test(text);
    const detection = hasWords ? this.detection(text, ctx) : undefined;
    const lang = detection?.lang ?? ctx.lang ?? "lv";
    const t = MESSAGES[lang];
    if (!detection) {
      return { lang, intent: "fallback", reason: "empty", guides: [], replies: [{ text: t.emptyMessage, buttons: this.menuButtons(lang) }] };
    }
    const truncated = trimmed.length > MAX_QUESTION_LENGTH;
    const prefix: Reply[] = truncated ? [{ text: t.tooLong, buttons: [] }] : [];
    const query = this.query(text, detection);
    const found = this.search(query, lang);
    const p = found.guides[0] ? confidence(this.signals(found.guides, query.words.length, found.unknown), this.calibration) : 0;
    const outcome = { ...found, confidence: round(p), ...(truncated ? { truncated } : {}) };
    if (asksForCallback(text) || (detection.translit === true && asksForCallback(query.text))) {
      return { ...outcome, intent: "escalate", reason: "askedForPerson", callback: true, replies: [...prefix, ...this.escalation(lang)] };
    }
    if (asksForPerson(text) || (detection.translit === true && asksForPerson(query.text))) {
      return { ...outcome, intent: "escalate", reason: "askedForPerson", replies: [...prefix, ...this.escalation(lang)] };
    }
    const talk = smallTalk(text);
    if (talk) {
      const reply = talk === "greeting" ? t.greeting : t.thanks;
      return { ...outcome, intent: "fallback", reason: "smallTalk", replies: [...prefix, { text: reply, buttons: this.menuButtons(lang) }] };
    }
    // A topic we have no guide for that shares a word with one (a shop's hours, the weather).
    const offTopic = outOfScope(text, query.text);
    if (offTopic) {
      return { ...outcome, intent: "fallback", reason: "noMatch", offTopic, replies: [...prefix, ...this.fallback(lang)] };
    }
    const best = outcome.guides[0];
    const decision = best ? band(p, this.calibration) : "none";
    if (decision === "clarify") {
      const suggestions = this.suggestions(outcome.guides);
      // One plausible guide is asked about too ("Vai Jūs jautājat par: Publiskie datori?"): one tap answers.
      if (suggestions.length >= 1) {
        return { ...outcome, intent: "clarify", reason: "unsure", suggestions, replies: [...prefix, this.clarification(suggestions, lang)] };
      }
    }
    if (!best || decision !== "answer") {
      return { ...outcome, intent: "fallback", reason: "noMatch", replies: [...prefix, ...this.fallback(lang)] };
    }
    const guide = this.guide(best.id, lang);
    // A guide without sections never passes the content checker; it is answered like no match.
    const section = guide ? this.pickSection(query.text, guide) : undefined;
    if (!guide || !section) return { ...outcome, intent: "fallback", reason: "noMatch", replies: [...prefix, ...this.fallback(lang)] };
    return {
      ...outcome,
      intent: "guide",
      reason: "answered",
      answered: { id: guide.id, anchor: section.anchor },
      replies: [...prefix, ...this.answerReplies(guide, section, lang, { short: true })],
    };
  }

  /** Handles a pressed button. Unknown or stale buttons get a polite answer and the menu. */
  press(buttonId: string, ctx: AskContext = {}): Outcome {
    const lang = ctx.lang ?? "lv";
    const t = MESSAGES[lang];
    const base = { lang, guides: [] } as const;
    const press = parseButtonId(buttonId);
    if (press.kind === "person") return { ...base, intent: "escalate", reason: "askedForPerson", replies: this.escalation(lang) };
    if (press.kind === "menu") return { ...base, intent: "fallback", reason: "menu", replies: [{ text: t.menuIntro, buttons: this.menuButtons(lang) }] };
    if (press.kind === "clarify") return this.choose(press.choice, lang, ctx.question);
    const guide = press.kind === "guide" || press.kind === "section" ? this.guide(press.guide, lang) : undefined;
    if (guide && press.kind === "guide") {
      return { ...base, intent: "guide", reason: "answered", answered: { id: guide.id, anchor: "all" }, replies: this.fullGuide(guide, lang) };
    }
    const section = guide && press.kind === "section" ? guide.sections.find((s) => s.anchor === press.anchor) : undefined;
    if (guide && section) {
      return { ...base, intent: "guide", reason: "answered", answered: { id: guide.id, anchor: section.anchor }, replies: this.answerReplies(guide, section, lang) };
    }
    return { ...base, intent: "fallback", reason: "unknownButton", replies: [{ text: t.unknownButton, buttons: this.menuButtons(lang) }] };
  }

  /**
   * A choice under a clarification: the chosen guide (the section that fits the question the
   * resident asked), "Cits jautājums" (write it in other words) or a person.
   */
  choose(choice: { readonly guide: string } | "other" | "person", lang: Lang, question?: string): Outcome {
    const base = { lang, guides: [] } as const;
    if (choice === "person") return { ...base, intent: "escalate", reason: "askedForPerson", replies: this.escalation(lang) };
    const guide = choice === "other" ? undefined : this.guide(choice.guide, lang);
    const section = !guide ? undefined : question ? this.pickSection(this.query(question, { lang, scores: { lv: 0, ru: 0, en: 0 }, ...(this.detection(question, { lang }).translit ? { translit: true } : {}) }).text, guide)
      : firstSteps(guide);
    if (!guide || !section) return { ...base, intent: "fallback", reason: "rephrase", replies: [{ text: CLARIFY_TEXT[lang].rephrase, buttons: [] }] };
    return { ...base, intent: "guide", reason: "answered", answered: { id: guide.id, anchor: section.anchor }, replies: this.answerReplies(guide, section, lang, { short: true }) };
  }

  /** What retrieval measured, as the calibrated model reads it. */
  signals(guides: Outcome["guides"], words: number, unknown = 0): RankSignals {
    const [first, second] = guides;
    return {
      coverage: first?.coverage ?? 0,
      score: first?.score ?? 0,
      second: second?.score ?? 0,
      secondCoverage: second?.coverage ?? 0,
      words,
      matched: new Set(first?.matched ?? []).size,
      unknown,
    };
  }

  /** The guides worth offering (at most three): those scoring at least half the best. */
  suggestions(guides: Outcome["guides"]): string[] {
    const top = guides[0]?.score ?? 0;
    // Only guides that could be meant: a far weaker second guide is no real choice.
    return guides.filter((g) => g.coverage > 0 && g.score >= top / 2).slice(0, MAX_SUGGESTIONS).map((g) => g.id);
  }

  /** "Vai Jūs jautājat par:" with the guides as buttons, "Cits jautājums" and a person. */
  clarification(ids: readonly string[], lang: Lang): Reply {
    const t = CLARIFY_TEXT[lang];
    return {
      text: t.question,
      buttons: [
        ...ids.map((id) => ({ id: buttonIds.clarify(id), label: this.label(id, lang) })),
        { id: buttonIds.clarifyOther, label: t.other },
        { id: buttonIds.clarifyPerson, label: MESSAGES[lang].talkToPerson },
      ],
    };
  }

  /** Ranks guides for a question in `lang` (at most 5). */
  search(text: string | Query, lang: Lang): Omit<Outcome, "intent" | "reason" | "replies"> {
    const { hits, unknown } = this.index.search(text, lang, 5);
    return { lang, unknown: round(unknown), guides: hits.map((h) => ({ id: h.id, score: round(h.score), coverage: round(h.coverage), matched: h.matched })) };
  }

  /** True when a hit is good enough to answer with (the older coverage rule, kept for tools). */
  confident(hit: Pick<GuideHit, "score" | "coverage" | "matched">): boolean {
    const t = this.thresholds;
    if (hit.score < t.minScore) return false;
    if (hit.coverage >= t.minCoverage) return true;
    if (hit.score < t.strongScore) return false;
    return hit.coverage >= t.weakCoverage || (hit.coverage >= t.longCoverage && new Set(hit.matched).size >= t.longMatches);
  }

  /** A guide in `lang`, or in Latvian when it has no translation yet. */
  guide(id: string, lang: Lang): Guide | undefined {
    return this.knowledge.guides.get(lang)?.get(id) ?? this.knowledge.guides.get("lv")?.get(id);
  }

  /** A short label for a guide button: the title up to its first dash or colon. */
  label(id: string, lang: Lang): string {
    const title = this.guide(id, lang)?.title ?? id;
    const short = title.split(/\s+[–—-]\s+|:\s/)[0] ?? title;
    if (short.length <= 40) return short;
    // Never cut a word in half: end at the last whole word that fits.
    const room = short.slice(0, 39);
    const space = room.lastIndexOf(" ");
    let cut = space > 15 ? room.slice(0, space) : room;
    // An opened bracket that would not close ("Portāls latvija.gov.lv (agrāk…") goes too.
    const open = cut.lastIndexOf("(");
    if (open > 15 && !cut.slice(open).includes(")")) cut = cut.slice(0, open);
    return `${cut.replace(/[\s,;:–(-]+$/u, "")}…`;
  }

  /** The main-topic buttons plus "talk to a person". */
  menuButtons(lang: Lang): Button[] {
    const topics = MAIN_TOPICS.filter((id) => this.guide(id, lang)).map((id) => ({ id: buttonIds.guide(id), label: this.label(id, lang) }));
    return [...topics, { id: buttonIds.person, label: MESSAGES[lang].talkToPerson }];
  }

  /** The replies for a request for a person (channels with escalation replace this). */
  escalation(lang: Lang): Reply[] {
    const t = MESSAGES[lang];
    return [{ text: t.escalate, buttons: [{ id: buttonIds.menu, label: t.mainMenu }] }];
  }

  /** The honest "I don't know this yet" with the main topics and a person. */
  fallback(lang: Lang): Reply[] {
    const t = MESSAGES[lang];
    return [{ text: `${t.fallback}\n${t.fallbackTopics}`, buttons: this.menuButtons(lang) }];
  }

  /** The best-matching section; general questions get the first step section (none: no sections). */
  pickSection(text: string, guide: Guide): Section | undefined {
    const best = this.index.bestSection(text, this.index.has(guide.id, guide.lang) ? guide.lang : "lv", guide.id);
    const section = best ? guide.sections.find((s) => s.anchor === best.anchor) : undefined;
    return section && section.kind !== "intro" ? section : firstSteps(guide);
  }

  /**
   * One answer: title, the section in plain steps, the source with its date, and buttons. With
   * `short` (a typed question), only the section's first lines (at most {@link SHORT_LINES}, about
   * {@link SHORT_CHARS} characters) with "➕ More" for the rest of the section; a pressed section
   * shows all of it.
   */
  answerReplies(guide: Guide, section: Section, lang: Lang, options: { readonly short?: boolean } = {}): Reply[] {
    const t = MESSAGES[lang];
    const note = guide.lang !== lang ? `${t.languageFallback}\n\n` : "";
    const source = guide.sources[0] ? `\n\n${t.source(guide.sources[0], guide.checked)}` : "";
    const full = plainText(section.body);
    const body = options.short ? firstLines(full) : full;
    const cut = body.length < full.length;
    const head = `${note}📘 ${guide.title}\n\n${section.heading ? `${section.heading}\n` : ""}`;
    const text = fitText(head, cut ? `${body}\n…` : body, source);
    const related = guide.related.slice(0, options.short ? 1 : 2).filter((id) => this.guide(id, lang)).map((id) => ({ id: buttonIds.guide(id), label: `➡️ ${this.label(id, lang)}` }));
    const more = cut ? { id: buttonIds.section(guide.id, section.anchor), label: t.more } : { id: buttonIds.guide(guide.id), label: t.fullGuide };
    return [{ text, buttons: [more, ...related, { id: buttonIds.person, label: t.talkToPerson }] }];
  }

  /** The whole guide, split into messages of at most 4,000 characters (each part marked worth listening to when there are several). */
  fullGuide(guide: Guide, lang: Lang): Reply[] {
    const t = MESSAGES[lang];
    const note = guide.lang !== lang ? `${t.languageFallback}\n\n` : "";
    const parts = guide.sections.map((s) => (s.heading ? `${s.heading}\n${plainText(s.body)}` : plainText(s.body)));
    const sources = guide.sources.map((u) => t.source(u, guide.checked)).join("\n");
    const chunks = splitText(`${note}📘 ${guide.title}\n\n${parts.join("\n\n")}\n\n${sources}`, MAX_REPLY_LENGTH);
    const related = guide.related.slice(0, 3).filter((id) => this.guide(id, lang)).map((id) => ({ id: buttonIds.guide(id), label: `➡️ ${this.label(id, lang)}` }));
    // Every part is worth listening to (a channel that speaks offers "🔊" under each), not only
    // the last one, which carries the buttons.
    return chunks.map((text, i) => ({
      text,
      buttons: i === chunks.length - 1 ? [...related, { id: buttonIds.person, label: t.talkToPerson }, { id: buttonIds.menu, label: t.mainMenu }] : [],
      ...(chunks.length > 1 ? { listen: true } : {}),
    }));
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A short answer shows at most this many lines of a section… */
const SHORT_LINES = 5;
/** …and about this many characters (a line is never cut). */
const SHORT_CHARS = 480;

/** The first lines of a section's text for a short answer (at least one line). */
function firstLines(body: string): string {
  const lines = body.split("\n");
  const kept: string[] = [];
  let chars = 0;
  let count = 0;
  for (const line of lines) {
    const counts = line.trim() !== "";
    if (kept.length > 0 && counts && (count >= SHORT_LINES || chars + line.length > SHORT_CHARS)) break;
    kept.push(line);
    chars += line.length + 1;
    if (counts) count++;
  }
  while (kept.length > 0 && (kept[kept.length - 1] ?? "").trim() === "") kept.pop();
  return kept.length === lines.length ? body : kept.join("\n");
}

/** Joins head, body and tail, shortening the body so the whole stays within one reply. */
function fitText(head: string, body: string, tail: string): string {
  const room = MAX_REPLY_LENGTH - head.length - tail.length;
  const fitted = body.length <= room ? body : `${splitText(body, room - 2)[0] ?? ""} …`;
  return `${head}${fitted}${tail}`;
}

/** The section a general question about a guide is answered with: its first step section. */
function firstSteps(guide: Guide): Section | undefined {
  return guide.sections.find((s) => s.kind === "steps") ?? guide.sections[0];
}
