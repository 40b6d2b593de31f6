/**
 * The console's line difference and three-way merge (public/staff/lib/line-diff.js), used by the
 * content editor's history and its "someone published meanwhile" panel.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

interface Row { kind: "same" | "del" | "add"; text: string; a?: number; b?: number }
interface Merged { text: string; conflicts: { line: number; mine: string[]; theirs: string[] }[] }
let diffLines: (before: string, after: string) => Row[];
let mergeLines: (base: string, mine: string, theirs: string) => Merged;

beforeAll(async () => {
  // A browser module without type declarations: loaded by its URL and typed here.
  ({ diffLines, mergeLines } = (await import(pathToFileURL(path.join(ROOT, "public/staff/lib/line-diff.js")).href)) as { diffLines: typeof diffLines; mergeLines: typeof mergeLines });
});

const BASE = ["title: Skaitītāji", "keywords:", "  - ūdens", "  - skaitītājs", "steps:", "  - Atveriet portālu.", "  - Ievadiet rādījumu."].join("\n");

describe("line difference", () => {
  it("marks removed and added lines with their numbers in each text", () => {
    const after = BASE.replace("  - ūdens\n", "  - ūdens\n  - rādījums\n").replace("  - Atveriet portālu.", "  - Atveriet e-pakalpojumu.");
    const changed = diffLines(BASE, after).filter((r) => r.kind !== "same");
    expect(changed).toEqual([
      { kind: "add", text: "  - rādījums", b: 4 },
      { kind: "del", text: "  - Atveriet portālu.", a: 6 },
      { kind: "add", text: "  - Atveriet e-pakalpojumu.", b: 7 },
    ]);
    const kept = diffLines(BASE, after).filter((r) => r.kind === "same");
    expect(kept.at(-1)).toEqual({ kind: "same", text: "  - Ievadiet rādījumu.", a: 7, b: 8 });
  });

  it("finds no change in equal texts", () => {
    expect(diffLines(BASE, BASE).every((r) => r.kind === "same")).toBe(true);
  });
});

describe("three-way merge", () => {
  it("carries my change over to someone else's newer version when they changed other lines", () => {
    const theirs = BASE.replace("  - Ievadiet rādījumu.", "  - Ievadiet rādījumu un nospiediet “Saglabāt”.");
    const mine = BASE.replace("  - ūdens", "  - ūdens\n  - rādījums");
    const merged = mergeLines(BASE, mine, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.text).toBe(BASE.replace("  - ūdens", "  - ūdens\n  - rādījums").replace("  - Ievadiet rādījumu.", "  - Ievadiet rādījumu un nospiediet “Saglabāt”."));
  });

  it("keeps their wording where both changed the same line and reports the place with mine", () => {
    const theirs = BASE.replace("  - Atveriet portālu.", "  - Atveriet latvija.gov.lv.");
    const mine = BASE.replace("  - Atveriet portālu.", "  - Atveriet e-pakalpojumu.").replace("title: Skaitītāji", "title: Ūdens skaitītāji");
    const merged = mergeLines(BASE, mine, theirs);
    expect(merged.text).toBe(theirs.replace("title: Skaitītāji", "title: Ūdens skaitītāji"));
    expect(merged.conflicts).toEqual([{ line: 6, mine: ["  - Atveriet e-pakalpojumu."], theirs: ["  - Atveriet latvija.gov.lv."] }]);
  });

  it("takes the same change made on both sides once", () => {
    const both = BASE.replace("  - skaitītājs", "  - skaitītāja rādījums");
    expect(mergeLines(BASE, both, both)).toEqual({ text: both, conflicts: [] });
  });

  it("keeps both sides' lines added at the end of the file apart from a conflict when they differ", () => {
    const mine = `${BASE}\n  - Pārbaudiet apstiprinājumu.`;
    const theirs = `${BASE}\n  - Saglabājiet kvīti.`;
    const merged = mergeLines(BASE, mine, theirs);
    expect(merged.text).toBe(theirs);
    expect(merged.conflicts).toEqual([{ line: 8, mine: ["  - Pārbaudiet apstiprinājumu."], theirs: ["  - Saglabājiet kvīti."] }]);
  });
});
