import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import { buildKnowledge, type SourceFile } from "../../src/knowledge/load.js";
import type { Lang } from "../../src/core/types.js";
import { ROOT, shippedKnowledge } from "../helpers.js";

const CENTRES: SourceFile = { file: "knowledge/centres.yaml", text: readFileSync(path.join(ROOT, "knowledge/centres.yaml"), "utf8") };

function guide(id: string, lang: Lang, over: Partial<Record<string, string>> = {}, body?: string): { lang: Lang; source: SourceFile } {
  // Typed as what `over` may hold: a Partial's values may be undefined, which the spread's type forgets.
  const fm: Record<string, string | undefined> = {
    id, lang, title: `Title ${id}`, summary: "One sentence.", keywords: "[word]",
    sources: "[https://www.example.lv/page]", checked: "2026-11-01", review_by: "2027-05-01", related: "[]",
    ...over,
    // Last, so that the other fields keep their lines.
    questions: over.questions ?? `[${Array.from({ length: 8 }, (_, i) => `question ${i + 1}`).join(", ")}]`,
  };
  const front = Object.entries(fm).flatMap(([k, v]) => (v === undefined || v === "<omit>" ? [] : [`${k}: ${v}`])).join("\n");
  const text = `---\n${front}\n---\n\nIntro.\n\n${body ?? "## Need {#need}\n- a phone\n\n## Steps {#steps}\n1. Do it.\n\n## Trouble {#trouble}\n- Call.\n\n## Help {#help}\n- Ask.\n"}`;
  return { lang, source: { file: `knowledge/${lang}/${id}.md`, text } };
}

function all(id: string, over: Partial<Record<string, string>> = {}, body?: string) {
  return (["lv", "ru", "en"] as const).map((l) => guide(id, l, over, body));
}

const check = (files: ReturnType<typeof all>, today = "2026-11-22") =>
  buildKnowledge(files, CENTRES, { today: new Date(today) }).diagnostics.map(formatDiagnostic);

describe("knowledge check", () => {
  it("accepts a complete guide in three languages", () => {
    expect(check(all("good"))).toEqual([]);
  });

  it("warns on the line of 'questions' when a guide has fewer than 8 example questions", () => {
    const out = check([guide("a", "lv", { questions: "[one, two]" }), ...all("a").slice(1)]);
    expect(out).toContain("knowledge/lv/a.md:11: warning: front matter: 'questions' has 2 example question(s); add at least 8 as residents write them (short, long, without diacritics)");
    const missing = check([guide("a", "ru", { questions: "<omit>" }), ...all("a").slice(1)]);
    expect(missing.some((l) => /a\.md:1: warning: front matter: 'questions' has 0 example question\(s\).*in Latin letters/.test(l))).toBe(true);
  });

  it("reports a missing front-matter field at line 1", () => {
    const out = check([guide("a", "lv", { title: "<omit>" }), ...all("a").slice(1)]);
    expect(out).toContain("knowledge/lv/a.md:1: front matter: 'title' is missing");
  });

  it("reports a file without front matter", () => {
    const files = all("a");
    files[0] = { lang: "lv", source: { file: "knowledge/lv/a.md", text: "# Just markdown\n" } };
    expect(check(files)).toContain("knowledge/lv/a.md:1: missing front matter: the file must start with a line '---'");
  });

  it("reports invalid YAML with its line", () => {
    const files = all("a");
    files[0] = { lang: "lv", source: { file: "knowledge/lv/a.md", text: "---\nid: a\ntitle: [unclosed\n---\n" } };
    expect(check(files).some((l) => /^knowledge\/lv\/a\.md:\d+: front matter: /.test(l))).toBe(true);
  });

  it("reports a bad date on the line of the field", () => {
    const out = check([guide("a", "lv", { checked: "22.11.2026" }), ...all("a").slice(1)]);
    expect(out).toContain("knowledge/lv/a.md:8: front matter: 'checked' must be a date written as YYYY-MM-DD");
  });

  it("reports duplicate ids", () => {
    const dup = guide("a", "lv");
    const files = [...all("a"), { lang: "lv" as const, source: { ...dup.source, file: "knowledge/lv/a-copy.md" } }];
    const out = check(files);
    expect(out.some((l) => l.includes("duplicate id 'a'"))).toBe(true);
  });

  it("warns (a translation to do, not an error) at the id line when a guide is missing in a language", () => {
    const kb = buildKnowledge(all("a").slice(0, 1), CENTRES, { today: new Date("2026-11-22") });
    const out = kb.diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      "knowledge/lv/a.md:2: warning: guide 'a' is missing in 'ru' (translation to do: residents writing in this language get the Latvian text with a note): add knowledge/ru/a.md",
      "knowledge/lv/a.md:2: warning: guide 'a' is missing in 'en' (translation to do: residents writing in this language get the Latvian text with a note): add knowledge/en/a.md",
    ]);
    expect(kb.ids).toEqual(["a"]);
    expect(kb.guides.get("lv")?.has("a")).toBe(true);
    const noLatvian = check(all("b").slice(1));
    expect(noLatvian).toContain("knowledge/ru/b.md:2: warning: guide 'b' is missing in 'lv' (translation to do: residents writing in Latvian (and in languages without a translation) do not get it): add knowledge/lv/b.md");
  });

  it("keeps the shipped guides complete: every guide in all three languages", async () => {
    const kb = await shippedKnowledge();
    expect(kb.diagnostics.filter((d) => d.message.includes("translation to do")).map(formatDiagnostic)).toEqual([]);
    for (const lang of ["lv", "ru", "en"] as const) expect([...(kb.guides.get(lang)?.keys() ?? [])].sort()).toEqual(kb.ids);
  });

  it("refuses a guide that still holds a template's [[…]] text, at each such line", () => {
    const files = all("a", { title: "\"[[Nosaukums]]\"" }, "## Need {#need}\n- [[ko vajag]]\n\n## Steps {#steps}\n1. Do it.\n\n## Trouble {#trouble}\n- Call.\n\n## Help {#help}\n- Ask.\n");
    const kb = buildKnowledge(files, CENTRES, { today: new Date("2026-11-22") });
    const out = kb.diagnostics.map(formatDiagnostic);
    expect(out).toContain("knowledge/lv/a.md:4: template text [[Nosaukums]] is still here: replace it with the guide's own text");
    expect(out).toContain("knowledge/lv/a.md:17: template text [[ko vajag]] is still here: replace it with the guide's own text");
    expect(kb.ids).toEqual([]);
  });

  it("reports related ids that point nowhere, on the item's line", () => {
    const out = check(all("a", { related: "\n  - nowhere" }));
    expect(out).toContain("knowledge/lv/a.md:11: related id 'nowhere' points to no guide");
  });

  it("reports malformed URLs", () => {
    const out = check(all("a", { sources: "\n  - htp:/broken url" }));
    expect(out).toContain("knowledge/lv/a.md:8: malformed URL in sources: 'htp:/broken url'");
  });

  it("warns when review_by has passed", () => {
    const out = check(all("a", { review_by: "2026-01-01" }));
    expect(out).toContain("knowledge/lv/a.md:9: warning: review_by 2026-01-01 has passed: check the facts and set new dates");
  });

  it("reports empty sections at their heading", () => {
    const out = check(all("a", {}, "## Need {#need}\n- x\n\n## Steps {#steps}\n\n## Trouble {#trouble}\n- x\n\n## Help {#help}\n- x\n"));
    expect(out).toContain("knowledge/lv/a.md:19: section 'Steps' is empty");
  });

  it("reports missing required sections and headings without anchors", () => {
    const out = check(all("a", {}, "## Steps\n1. x\n"));
    expect(out.some((l) => l.includes("heading 'Steps' needs an anchor"))).toBe(true);
    const out2 = check(all("a", {}, "## Steps {#steps}\n1. x\n"));
    expect(out2).toContain("knowledge/lv/a.md:13: required section {#need} is missing");
  });

  it("reports a lang that does not match the folder", () => {
    const files = all("a");
    files[1] = { lang: "ru", source: { ...guide("a", "en").source, file: "knowledge/ru/a.md" } };
    expect(check(files)).toContain("knowledge/ru/a.md:3: lang 'en' does not match the folder 'ru'");
  });

  it("reports a centres file whose parish is served by no centre", () => {
    const broken = CENTRES.text.replace("parishes: [elejas]", "parishes: []");
    const kb = buildKnowledge(all("a"), { file: "knowledge/centres.yaml", text: broken }, { today: new Date("2026-11-22") });
    expect(kb.diagnostics.map(formatDiagnostic)).toContain("knowledge/centres.yaml:1: parish 'elejas' is served by no centre");
  });

  describe("opening hours in centres.yaml", () => {
    const ELEJA = "hours: *unknown }\n  - { id: gluda";
    const centres = (hours: string) => CENTRES.text.replace(ELEJA, `hours: ${hours} }\n  - { id: gluda`);
    const run = (text: string, today = "2026-11-22") =>
      buildKnowledge(all("a"), { file: "knowledge/centres.yaml", text }, { today: new Date(today) });
    const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

    it("ships the Eleja line this suite edits, and every centre's name as a receiver in each language", () => {
      expect(CENTRES.text).toContain(ELEJA);
      const centres = run(CENTRES.text).centres?.centres ?? [];
      expect(centres).toHaveLength(16);
      for (const c of centres) {
        expect(c.to?.lv).toMatch(/(pārvaldei|VPVKAC)$/);
        expect(c.to?.ru).toMatch(/^в /);
        expect(c.to?.en).toMatch(/^to the /);
      }
    });

    it("requires source and checked for confirmed hours, on the centre's line", () => {
      const text = centres('{ confirmed: true, mon: [["08:00", "12:00"]] }');
      const kb = run(text);
      const line = lineOf(text, "id: eleja,");
      expect(kb.centres).toBeUndefined();
      expect(kb.diagnostics.map(formatDiagnostic)).toEqual(expect.arrayContaining([
        `knowledge/centres.yaml:${line}: centres.2.hours.source: confirmed hours need 'source:', the address of the page that gives them`,
        `knowledge/centres.yaml:${line}: centres.2.hours.checked: confirmed hours need 'checked:', the day (YYYY-MM-DD) they were compared with the source`,
      ]));
    });

    it("accepts confirmed hours with a source and a date, and warns when the check is over a year old", () => {
      const text = centres('{ confirmed: true, source: "https://www.jelgavasnovads.lv/lv/eleja", checked: 2026-11-01, mon: [["08:00", "12:00"]] }');
      const kb = run(text);
      expect(kb.diagnostics.filter((d) => d.file.endsWith("centres.yaml"))).toEqual([]);
      expect(kb.centres?.centres.find((c) => c.id === "eleja")?.hours).toMatchObject({ confirmed: true, checked: "2026-11-01", mon: [["08:00", "12:00"]], tue: [] });
      expect(run(text, "2027-12-01").diagnostics.map(formatDiagnostic)).toContain(
        `knowledge/centres.yaml:${lineOf(text, "id: eleja,")}: warning: centre 'eleja': hours were checked on 2026-11-01, more than 365 days ago: compare them with the source again`);
    });

    it("warns that unconfirmed hours are never shown", () => {
      const kb = run(centres('{ confirmed: false, mon: [["08:00", "12:00"]] }'));
      expect(kb.centres).toBeDefined();
      expect(kb.diagnostics.map(formatDiagnostic).some((l) => l.includes("warning: centre 'eleja': unconfirmed hours are never shown"))).toBe(true);
    });
  });

  describe("how current the facts are", () => {
    const steps = "## Need {#need}\n- a phone\n\n## Current {#current}\n1. Do it.\n\n## Old {#old}\n1. As in 2017.\n\n## Trouble {#trouble}\n- Call.\n\n## Help {#help}\n- Ask.\n";

    it("accepts sources with dates and documents that are not on the web", () => {
      const sources = "\n  - https://www.example.lv/page\n  - { url: http://old.example.lv/news?id=1, published: 2017 }\n  - { title: \"Workshop notes\", published: 2025-02-20 }";
      const kb = buildKnowledge(all("a", { sources }), CENTRES, { today: new Date("2026-11-22") });
      expect(kb.diagnostics.map(formatDiagnostic)).toEqual([]);
      const g = kb.guides.get("lv")?.get("a");
      expect(g?.sources).toEqual(["https://www.example.lv/page", "http://old.example.lv/news?id=1", "Workshop notes"]);
      expect(g?.citations.map((c) => c.published)).toEqual([undefined, "2017", "2025-02-20"]);
    });

    it("reports a source entry with neither a url nor a title, and a bad date", () => {
      const out = check(all("a", { sources: "\n  - { published: 2020 }\n  - { url: https://www.example.lv/x, published: 2020-13 }" }));
      expect(out.some((l) => l.startsWith("knowledge/lv/a.md:8: front matter: 'sources'") && l.includes("'url'"))).toBe(true);
      expect(out.some((l) => l.startsWith("knowledge/lv/a.md:9: front matter: 'sources'") && l.includes("YYYY"))).toBe(true);
    });

    it("warns when every source is older than 5 years and review_by is further than 6 months away", () => {
      const old = "\n  - { url: http://old.example.lv/a, published: 2019 }\n  - { url: http://old.example.lv/b, published: 2020-05 }";
      expect(check(all("a", { sources: old, review_by: "2027-09-01" }))).toContain(
        "knowledge/lv/a.md:7: warning: every source is older than 5 years (the newest is from 2020): find a current source, or set review_by no later than 2027-05-22",
      );
      expect(check(all("a", { sources: old, review_by: "2027-05-22" }))).toEqual([]);
    });

    it("does not count a guide as old when one source is recent or undated", () => {
      const mixed = "\n  - { url: http://old.example.lv/a, published: 2019 }\n  - { url: https://www.example.lv/b, published: 2024 }";
      expect(check(all("a", { sources: mixed, review_by: "2028-01-01" }))).toEqual([]);
      const undated = "\n  - { url: http://old.example.lv/a, published: 2019 }\n  - https://www.example.lv/b";
      expect(check(all("a", { sources: undated, review_by: "2028-01-01" }))).toEqual([]);
    });

    it("reports a possibly outdated section that is the first section an answer shows", () => {
      expect(check(all("a", { possibly_outdated: "[old]" }, steps))).toEqual([]);
      const out = check(all("a", { possibly_outdated: "[current]" }, steps));
      expect(out).toContain("knowledge/lv/a.md:20: section {#current} is marked possibly outdated but is the first section an answer shows: put a section with current facts before it");
    });

    it("reports a possibly_outdated anchor that names no section", () => {
      expect(check(all("a", { possibly_outdated: "[gone]" }, steps))).toContain("knowledge/lv/a.md:11: possibly_outdated: no section {#gone} in this guide");
    });
  });
});

describe("knowledge check: translations still in the language they were copied from", () => {
  const shipped = (lang: Lang, id: string): { lang: Lang; source: SourceFile } => {
    const file = `knowledge/${lang}/${id}.md`;
    return { lang, source: { file, text: readFileSync(path.join(ROOT, file), "utf8") } };
  };
  /** What the console's "Pievienot tulkojumu" starts with: the other language's text with `lang` set. */
  const copyOf = (from: { source: SourceFile }, lang: Lang, id: string): { lang: Lang; source: SourceFile } =>
    ({ lang, source: { file: `knowledge/${lang}/${id}.md`, text: from.source.text.replace(/^lang:\s*\S+\s*$/m, `lang: ${lang}`) } });
  const lineOf = (text: string, pattern: RegExp): number => text.split("\n").findIndex((l) => pattern.test(l)) + 1;
  /** This check's errors only (one guide alone also has related ids that point to no guide). */
  const untranslated = (files: { lang: Lang; source: SourceFile }[]): string[] => check(files).filter((l) => /same text as in|title is the same|reads as/.test(l));

  it("refuses a Russian translation published as the prefilled Latvian text, at each section's line and the title's", () => {
    const lv = shipped("lv", "e-address");
    const ru = copyOf(lv, "ru", "e-address");
    const errors = untranslated([lv, ru, shipped("en", "e-address")]);
    expect(errors).toContain(`knowledge/ru/e-address.md:${lineOf(ru.source.text, /\{#need\}/)}: section {#need} is the same text as in knowledge/lv/e-address.md (line ${lineOf(lv.source.text, /\{#need\}/)}), still in Latvian: translate it into Russian`);
    expect(errors).toContain(`knowledge/ru/e-address.md:${lineOf(ru.source.text, /^title:/)}: title is the same as in knowledge/lv/e-address.md: translate it into Russian`);
    // Only the copy is wrong: the Latvian source and the English translation pass.
    expect(errors.filter((l) => !l.startsWith("knowledge/ru/"))).toEqual([]);
  });

  it("refuses an English copy of the Latvian text, and points at the one section left untranslated in a Russian translation", () => {
    const lv = shipped("lv", "e-invoices");
    const en = copyOf(lv, "en", "e-invoices");
    expect(untranslated([lv, shipped("ru", "e-invoices"), en]).some((l) => /^knowledge\/en\/e-invoices\.md:\d+: section \{#need\} is the same text as in knowledge\/lv\/e-invoices\.md .*still in Latvian: translate it into English$/.test(l))).toBe(true);

    const ru = shipped("ru", "e-invoices");
    const need = (text: string): string => /## [^\n]*\{#need\}\n([\s\S]*?)\n## /.exec(text)?.[1] ?? "";
    const half = { lang: "ru" as const, source: { ...ru.source, text: ru.source.text.replace(need(ru.source.text), need(lv.source.text)) } };
    const errors = untranslated([lv, half, shipped("en", "e-invoices")]);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^knowledge/ru/e-invoices\\.md:${lineOf(half.source.text, /\{#need\}/)}: section \\{#need\\} is the same text as in knowledge/lv/e-invoices\\.md`))]);
  });

  it("refuses a translation that changed a few words but still reads as the source language, at its first body line", () => {
    const lv = shipped("lv", "e-address");
    const copy = copyOf(lv, "en", "e-address");
    // The title and every line of prose touched, so that no section is the same text.
    const [front = "", body = ""] = copy.source.text.split(/\n---\n/);
    const touched = `${front.replace(/^title: .*$/m, "title: E-address")}\n---\n${body.replace(/^(?!## |\s*$)(.*)$/gm, "Nu, $1")}`;
    const errors = untranslated([lv, shipped("ru", "e-address"), { ...copy, source: { ...copy.source, text: touched } }]);
    expect(errors).toEqual([expect.stringMatching(/^knowledge\/en\/e-address\.md:\d+: the text reads as Latvian, not English: translate it before publishing/)]);
  });

  it("passes every shipped translation", async () => {
    const knowledge = await shippedKnowledge();
    expect(knowledge.diagnostics.filter((d) => /same text as in|reads as/.test(d.message))).toEqual([]);
  });
});

describe("knowledge check: questions waiting for a translation", () => {
  it("refuses a waiting list in the guide's own language, at its line", () => {
    const out = check([guide("a", "lv", { questions_lv: "[kā iet]" }), ...all("a").slice(1)]);
    expect(out).toContainEqual(expect.stringMatching(/^knowledge\/lv\/a\.md:\d+: front matter: 'questions_lv' is this guide's own language: put these questions under 'questions'$/));
  });

  it("accepts a Russian waiting list while the Russian translation is missing, and asks to move it once the translation exists", () => {
    const lv = guide("a", "lv", { questions_ru: "[как дела]" });
    expect(check([lv, guide("a", "en")]).filter((l) => l.includes("questions_ru"))).toEqual([]);
    expect(check([lv, ...all("a").slice(1)])).toContainEqual(expect.stringMatching(/^knowledge\/lv\/a\.md:\d+: warning: 'questions_ru': knowledge\/ru\/a\.md exists now: move these questions into its 'questions' and remove them here$/));
  });
});
