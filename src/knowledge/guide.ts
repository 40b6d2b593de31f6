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

/** A parsed guide in one language. */
export interface Guide {
  readonly id: string;
  readonly lang: Lang;
  readonly title: string;
  readonly summary: string;
  readonly keywords: readonly string[];
  readonly sources: readonly string[];
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

/** Finds a section by anchor. */
export function findSection(guide: Guide, anchor: string): Section | undefined {
  return guide.sections.find((s) => s.anchor === anchor);
}
