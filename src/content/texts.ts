/**
 * The live content as texts keyed by their repository path — `knowledge/<lang>/<id>.md`,
 * `knowledge/centres.yaml`, `knowledge/holidays.yaml`, `flows/<id>.yaml` — read from the folders
 * or the database, and checked together exactly like the files (`cli check`).
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Content } from "../content.js";
import { LANGS, isLang, type Lang } from "../core/types.js";
import { buildFlows } from "../flows/load.js";
import { formatDiagnostic, type Diagnostic } from "../knowledge/diagnostics.js";
import { buildKnowledge, type LoadOptions } from "../knowledge/load.js";

/** Content texts by path. */
export type ContentTexts = ReadonlyMap<string, string>;

/** What a content path names. */
export type ContentPath =
  | { readonly kind: "guide"; readonly lang: Lang; readonly id: string }
  | { readonly kind: "flow"; readonly id: string }
  | { readonly kind: "data"; readonly name: "centres" | "holidays" };

/** Ids of guides and flows: lower-case letters, digits and hyphens. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** The path of a guide, flow or data file. */
export function contentPath(p: ContentPath): string {
  if (p.kind === "guide") return `knowledge/${p.lang}/${p.id}.md`;
  if (p.kind === "flow") return `flows/${p.id}.yaml`;
  return `knowledge/${p.name}.yaml`;
}

/** What a path names, or undefined when it is not a content path. */
export function parseContentPath(p: string): ContentPath | undefined {
  const [, lang, id] = /^knowledge\/([a-z]{2})\/([^/]+)\.md$/.exec(p) ?? [];
  if (isLang(lang) && id !== undefined && ID_PATTERN.test(id)) return { kind: "guide", lang, id };
  const [, flow] = /^flows\/([^/]+)\.ya?ml$/.exec(p) ?? [];
  if (flow !== undefined && ID_PATTERN.test(flow)) return { kind: "flow", id: flow };
  if (p === "knowledge/centres.yaml") return { kind: "data", name: "centres" };
  if (p === "knowledge/holidays.yaml") return { kind: "data", name: "holidays" };
  return undefined;
}

/** Reads the content folders as texts keyed by path (`knowledge/…`, `flows/…`). */
export async function readContentDirs(knowledgeDir: string, flowsDir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const list = async (dir: string, pattern: RegExp): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((f) => pattern.test(f)).sort();
    } catch {
      return [];
    }
  };
  for (const lang of LANGS) {
    for (const name of await list(path.join(knowledgeDir, lang), /^[^.].*\.md$/)) {
      texts.set(`knowledge/${lang}/${name}`, await readFile(path.join(knowledgeDir, lang, name), "utf8"));
    }
  }
  for (const name of ["centres.yaml", "holidays.yaml"]) {
    try {
      texts.set(`knowledge/${name}`, await readFile(path.join(knowledgeDir, name), "utf8"));
    } catch {
      // Missing: the check reports it.
    }
  }
  for (const name of await list(flowsDir, /^[^.].*\.ya?ml$/)) {
    texts.set(`flows/${name.replace(/\.yml$/, ".yaml")}`, await readFile(path.join(flowsDir, name), "utf8"));
  }
  return texts;
}

/** Builds and checks content from texts: the same rules as the files (guides, centres, holidays, flows). */
export function buildContent(texts: ContentTexts, options: LoadOptions = {}): Content {
  const guides: { lang: Lang; source: { file: string; text: string } }[] = [];
  const flows: { file: string; text: string }[] = [];
  for (const [p, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    const what = parseContentPath(p);
    if (what?.kind === "guide") guides.push({ lang: what.lang, source: { file: p, text } });
    else if (what?.kind === "flow") flows.push({ file: p, text });
  }
  const centres = texts.get("knowledge/centres.yaml");
  const holidays = texts.get("knowledge/holidays.yaml");
  const knowledge = buildKnowledge(
    guides,
    centres === undefined ? undefined : { file: "knowledge/centres.yaml", text: centres },
    options,
    "knowledge",
    holidays === undefined ? null : { file: "knowledge/holidays.yaml", text: holidays },
  );
  const flowSet = buildFlows(flows, knowledge, "flows");
  return { knowledge, flows: flowSet, diagnostics: [...knowledge.diagnostics, ...flowSet.diagnostics] };
}

/**
 * The errors a change brings: every error in the changed paths, and errors elsewhere that the
 * content before the change did not have (e.g. a flow pointing at a section the edit removed).
 */
export function newErrors(before: readonly Diagnostic[], after: readonly Diagnostic[], changed: ReadonlySet<string>): Diagnostic[] {
  const old = new Set(before.filter((d) => d.severity === "error").map(formatDiagnostic));
  return after.filter((d) => d.severity === "error" && (changed.has(d.file) || !old.has(formatDiagnostic(d))));
}
