/**
 * The guide model: one markdown file per guide and language, split into addressable sections.
 * @module
 */
import type { Lang } from "../core/types.js";

/** What part of a guide a section is. Steps are everything but the fixed sections. */
export type SectionKind = "intro" | "need" | "steps" | "trouble" | "help";

/** Anchors every guide must have (besides its step sections). */
export const REQUIRED_ANCHORS = ["need", "trouble", "help"] as const;

/** One addressable part of a guide: `## Heading {#anchor}`. */
export interface Section {
  readonly anchor: string;
  readonly heading: string;
  readonly body: string;
  readonly kind: SectionKind;
  /** 1-based line of the heading in the file (the first body line for the intro). */
  readonly line: number;
}

/** One source of a guide's facts, as written in its front matter. */
export interface Citation {
  /** The page, when the source is on the web. */
  readonly url?: string;
  /** The document's name, when it is not on the web (or to name a page). */
  readonly title?: string;
  /** When the source was published or last updated, as written: YYYY, YYYY-MM or YYYY-MM-DD. */
  readonly published?: string;
  /** 1-based line of the entry in the file. */
  readonly line: number;
}

/** A parsed guide in one language. */
export interface Guide {
  readonly id: string;
  readonly lang: Lang;
  readonly title: string;
  readonly summary: string;
  readonly keywords: readonly string[];
  /**
   * Example questions as residents write them (front matter `questions:`), indexed as their own
   * field. Editors write at least {@link MIN_EXAMPLE_QUESTIONS} per guide and language.
   */
  readonly questions: readonly string[];
  /**
   * Example questions in languages this guide has no translation in yet (front matter
   * `questions_ru:`, `questions_en:`; taught from the unanswered report): indexed only where the
   * guide stands in for the missing translation, and carried into the translation when it is started.
   */
  readonly questionsFor?: Partial<Record<Lang, readonly string[]>>;
  /** Each source as shown to residents: its URL, or the document's title. */
  readonly sources: readonly string[];
  /** The sources with their dates (same order as `sources`). */
  readonly citations: readonly Citation[];
  /** Anchors of sections marked as possibly out of date. */
  readonly possiblyOutdated: readonly string[];
  /** ISO date (YYYY-MM-DD) the facts were last checked. */
  readonly checked: string;
  /** ISO date by which an editor must check the facts again. */
  readonly reviewBy: string;
  readonly related: readonly string[];
  readonly sections: readonly Section[];
  /** Path of the source file, relative to the knowledge folder's parent when loaded from disk. */
  readonly file: string;
  /** Line of each front-matter field, for diagnostics. */
  readonly lines: Readonly<Record<string, number>>;
}

/** `check` warns when a guide has fewer example questions than this. */
export const MIN_EXAMPLE_QUESTIONS = 8;

/** Finds a section by anchor. */
export function findSection(guide: Guide, anchor: string): Section | undefined {
  return guide.sections.find((s) => s.anchor === anchor);
}
