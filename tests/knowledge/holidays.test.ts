import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic } from "../../src/knowledge/diagnostics.js";
import { easterSunday, parseHolidays, requiredHolidays } from "../../src/knowledge/holidays.js";
import { buildKnowledge, type SourceFile } from "../../src/knowledge/load.js";
import { ROOT, shippedKnowledge } from "../helpers.js";

const FILE = "knowledge/holidays.yaml";
const TEXT = readFileSync(path.join(ROOT, FILE), "utf8");
const CENTRES: SourceFile = { file: "knowledge/centres.yaml", text: readFileSync(path.join(ROOT, "knowledge/centres.yaml"), "utf8") };

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher), written out here independently of the source. */
function computus(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
/** The 1-based line of the first line of the text containing `needle`. */
const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

const parse = (text: string, today = "2026-11-22") => parseHolidays(text, FILE, today);
const messages = (text: string, today = "2026-11-22") => parse(text, today).diagnostics.map(formatDiagnostic);

describe("Easter", () => {
  it("falls on 5 April 2026 and 28 March 2027 by the anonymous Gregorian algorithm", () => {
    expect(computus(2026)).toBe("2026-04-05");
    expect(computus(2027)).toBe("2027-03-28");
    expect(computus(2024)).toBe("2024-03-31");
    expect(computus(2025)).toBe("2025-04-20");
  });

  it("is computed the same way by the checker for two centuries", () => {
    for (let year = 1990; year <= 2190; year++) expect(easterSunday(year)).toBe(computus(year));
  });
});

describe("knowledge/holidays.yaml", () => {
  const { holidays, diagnostics } = parse(TEXT);

  it("passes the check without warnings on 2026-11-22", () => {
    expect(diagnostics).toEqual([]);
    expect(holidays?.coversFrom).toBe("2026-01-01");
    expect(holidays?.coversUntil).toBe("2027-12-31");
    expect(holidays?.checked).toBe("2026-11-22");
    expect(holidays?.source).toBe("https://likumi.lv/ta/id/72608");
    expect(TEXT).toMatch(/^checked: 2026-11-22$/m);
    expect(TEXT).toContain("Saeima");
  });

  it("lists exactly the public holidays of 2026 and 2027", () => {
    const expected: string[] = [];
    for (const year of [2026, 2027]) {
      const easter = computus(year);
      expected.push(
        `${year}-01-01`, shift(easter, -2), easter, shift(easter, 1), `${year}-05-01`, `${year}-05-04`,
        `${year}-06-23`, `${year}-06-24`, `${year}-11-18`, `${year}-12-24`, `${year}-12-25`, `${year}-12-26`, `${year}-12-31`,
      );
    }
    expect(holidays?.list.map((h) => h.date)).toEqual(expected.sort());
    // Neither 4 May nor 18 November falls on a weekend in these years, so no extra Monday is due.
    for (const date of ["2026-05-04", "2026-11-18", "2027-05-04", "2027-11-18"]) expect([0, 6]).not.toContain(weekday(date));
  });

  it("names Good Friday, Easter and Easter Monday on the computed dates", () => {
    expect(holidays?.isHoliday("2026-04-03")).toBe("Lielā Piektdiena");
    expect(holidays?.isHoliday("2026-04-05")).toBe("Pirmās Lieldienas");
    expect(holidays?.isHoliday("2026-04-06")).toBe("Otrās Lieldienas");
    expect(holidays?.holiday("2027-03-26")?.name.en).toBe("Good Friday");
    expect(holidays?.holiday("2027-03-29")?.name.en).toBe("Easter Monday");
  });

  it("gives every holiday a Latvian, English and Russian name", () => {
    for (const h of holidays?.list ?? []) {
      expect(h.name.lv.length).toBeGreaterThan(0);
      expect(h.name.en.length).toBeGreaterThan(0);
      expect(h.name.ru?.length).toBeGreaterThan(0);
    }
  });

  it("answers isHoliday by date", () => {
    expect(holidays?.isHoliday("2026-11-18")).toBe("Latvijas Republikas proklamēšanas diena");
    expect(holidays?.isHoliday("2026-12-24")).toBe("Ziemassvētku vakars");
    expect(holidays?.holiday("2027-05-04")?.name.en).toBe("Restoration of Independence Day");
    expect(holidays?.isHoliday("2026-11-19")).toBeUndefined();
    expect(holidays?.isHoliday("2028-01-01")).toBeUndefined();
  });

  it("is loaded with the shipped knowledge base", async () => {
    const kb = await shippedKnowledge();
    expect(kb.holidays?.coversUntil).toBe("2027-12-31");
    expect(kb.diagnostics.filter((d) => d.file.endsWith("holidays.yaml"))).toEqual([]);
  });
});

describe("the rules of the law", () => {
  it("adds the next Monday when 4 May or 18 November falls on a weekend", () => {
    expect(weekday("2025-05-04")).toBe(0);
    expect(requiredHolidays(2025).map((h) => h.date)).toContain("2025-05-05");
    expect(weekday("2028-11-18")).toBe(6);
    expect(requiredHolidays(2028).map((h) => h.date)).toContain("2028-11-20");
    expect(requiredHolidays(2026)).toHaveLength(13);
  });
});

describe("holidays check", () => {
  it("reports a date that does not exist on its line", () => {
    const text = TEXT.replace("date: 2026-06-23", "date: 2026-02-30");
    expect(messages(text)).toContain(`${FILE}:${lineOf(text, "2026-02-30")}: holidays.6.date: must be a real date written as YYYY-MM-DD`);
  });

  it("reports a date not written as YYYY-MM-DD", () => {
    const text = TEXT.replace("date: 2026-06-23", "date: 23.06.2026");
    expect(messages(text)).toContain(`${FILE}:${lineOf(text, "23.06.2026")}: holidays.6.date: must be a real date written as YYYY-MM-DD`);
  });

  it("reports a missing English name", () => {
    const text = TEXT.replace("ru: Лиго, en: Midsummer Eve", "ru: Лиго");
    const line = lineOf(text, "ru: Лиго }");
    expect(messages(text)).toContain(`${FILE}:${line}: 'holidays.6.name.en' is missing`);
  });

  it("reports a duplicate date", () => {
    const text = TEXT.replace("date: 2026-06-23", "date: 2026-06-24");
    const first = lineOf(text, "date: 2026-06-24");
    expect(messages(text)).toContain(`${FILE}:${first + 1}: duplicate date 2026-06-24 (also on line ${first})`);
  });

  it("reports a holiday the law requires but the list lacks", () => {
    const text = TEXT.split("\n").filter((l) => !l.includes("date: 2027-11-18")).join("\n");
    expect(messages(text)).toContain(`${FILE}:${lineOf(text, "holidays:")}: 2027: 2027-11-18 (18 November) is missing`);
  });

  it("reports a wrong Easter", () => {
    const text = TEXT.replace("date: 2027-03-29", "date: 2027-04-05");
    expect(messages(text)).toContain(`${FILE}:${lineOf(text, "holidays:")}: 2027: 2027-03-29 (Easter Monday) is missing`);
  });

  it("accepts an extraordinary holiday added by editors", () => {
    const text = `${TEXT}  - { date: 2027-06-25, name: { lv: Papildu brīvdiena, en: Extra day off } }\n`;
    const { holidays, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(holidays?.isHoliday("2027-06-25")).toBe("Papildu brīvdiena");
  });

  it("warns when the list ends within 60 days, and when it has ended", () => {
    const line = lineOf(TEXT, "holidays:");
    expect(messages(TEXT, "2027-10-31")).toEqual([]);
    expect(messages(TEXT, "2027-11-01")).toEqual([`${FILE}:${line}: warning: holidays are listed only until 2027-12-31: add the next year's holidays`]);
    expect(messages(TEXT, "2028-01-01")).toEqual([`${FILE}:${line}: warning: holidays are listed only until 2027-12-31, which has passed: add the next year's holidays`]);
    expect(parse(TEXT, "2027-11-01").holidays).toBeDefined();
  });

  it("warns when checked is in the future", () => {
    expect(messages(TEXT, "2026-11-21")).toEqual([`${FILE}:${lineOf(TEXT, "checked:")}: warning: checked 2026-11-22 is in the future`]);
  });

  it("reports a missing checked date and a malformed source", () => {
    const text = TEXT.replace(/^checked: .*$/m, "").replace("https://likumi.lv/ta/id/72608", "likumi lv");
    const out = messages(text);
    expect(out).toContain(`${FILE}:1: 'checked' is missing`);
    expect(out).toContain(`${FILE}:${lineOf(text, "source:")}: source: must be the URL of the law`);
  });

  it("reports YAML syntax errors with a line", () => {
    const text = TEXT.replace("- { date: 2026-06-24,", "- { date: 2026-06-24,,");
    const out = messages(text);
    expect(out.length).toBeGreaterThan(0);
    expect(out[0]).toMatch(new RegExp(`^${FILE}:${lineOf(text, "2026-06-24,,")}: `));
    expect(parse(text).holidays).toBeUndefined();
  });
});

describe("knowledge base with holidays", () => {
  it("checks holidays.yaml given to buildKnowledge", () => {
    const broken = TEXT.replace("date: 2026-06-23", "date: 2026-13-01");
    const kb = buildKnowledge([], CENTRES, { today: new Date("2026-11-22") }, "knowledge", { file: FILE, text: broken });
    expect(kb.holidays).toBeUndefined();
    expect(kb.diagnostics.map(formatDiagnostic)).toContain(`${FILE}:${lineOf(broken, "2026-13-01")}: holidays.6.date: must be a real date written as YYYY-MM-DD`);
    const ok = buildKnowledge([], CENTRES, { today: new Date("2026-11-22") }, "knowledge", { file: FILE, text: TEXT });
    expect(ok.holidays?.isHoliday("2026-12-25")).toBe("Pirmie Ziemassvētki");
  });

  it("reports a missing holidays.yaml", () => {
    const kb = buildKnowledge([], CENTRES, { today: new Date("2026-11-22") }, "knowledge", null);
    expect(kb.diagnostics.map(formatDiagnostic)).toContain("knowledge/holidays.yaml:1: holidays.yaml is missing");
  });
});
