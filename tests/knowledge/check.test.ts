import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import { buildKnowledge, type SourceFile } from "../../src/knowledge/load.js";
import type { Lang } from "../../src/core/types.js";
import { ROOT } from "../helpers.js";

const CENTRES: SourceFile = { file: "knowledge/centres.yaml", text: readFileSync(path.join(ROOT, "knowledge/centres.yaml"), "utf8") };

function guide(id: string, lang: Lang, over: Partial<Record<string, string>> = {}, body?: string): { lang: Lang; source: SourceFile } {
  const fm = {
    id, lang, title: `Title ${id}`, summary: "One sentence.", keywords: "[word]",
    sources: "[https://www.example.lv/page]", checked: "2026-11-01", review_by: "2027-05-01", related: "[]",
    ...over,
  };
  const front = Object.entries(fm).filter(([, v]) => v !== undefined && v !== "<omit>").map(([k, v]) => `${k}: ${v}`).join("\n");
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

  it("reports a guide missing in a language", () => {
    const out = check(all("a").slice(0, 2));
    expect(out).toContain("knowledge/lv/a.md:2: guide 'a' is missing in 'en': add knowledge/en/a.md");
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
    expect(out).toContain("knowledge/lv/a.md:18: section 'Steps' is empty");
  });

  it("reports missing required sections and headings without anchors", () => {
    const out = check(all("a", {}, "## Steps\n1. x\n"));
    expect(out.some((l) => l.includes("heading 'Steps' needs an anchor"))).toBe(true);
    const out2 = check(all("a", {}, "## Steps {#steps}\n1. x\n"));
    expect(out2).toContain("knowledge/lv/a.md:12: required section {#need} is missing");
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
});
