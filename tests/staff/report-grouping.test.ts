/**
 * The grouping of unanswered questions by similar wording, without a database.
 */
import { describe, expect, it } from "vitest";
import { groupQuestions, type Occurrence, type UnansweredReason } from "../../src/staff/reports/index.js";

let clock = 0;
const q = (text: string, reasons: UnansweredReason[], extra: Partial<Occurrence> = {}): Occurrence =>
  ({ text, lang: "lv", guide: null, at: ++clock, reasons: new Set(reasons), ...extra });

describe("groupQuestions", () => {
  it("puts wordings with the same or similar stems together, the largest group first", () => {
    const groups = groupQuestions([
      q("kā pieteikt suni", ["fallback"], { guide: "kindergarten-queue" }),
      q("ka pieteikt suni?", ["fallback", "escalation"], { guide: "kindergarten-queue" }),
      q("kā pieteikt savu suni", ["fallback"], { guide: "e-health" }),
      q("kā reģistrēt suni", ["lowConfidence"], { guide: "e-health" }),
      q("kā pieteikt suni", ["feedbackDown"], { lang: "ru" }),
    ]);
    // {pieteik, sun} ×3 and {pieteik, sav, sun} (Jaccard 2/3) join; {registre, sun} (1/3) stays apart.
    expect(groups).toEqual([
      {
        representative: "kā pieteikt suni", count: 4, languages: { lv: 3, ru: 1 },
        reasons: { fallback: 3, lowConfidence: 0, feedbackDown: 1, escalation: 1 },
        closestGuide: "kindergarten-queue", examples: ["kā pieteikt suni", "ka pieteikt suni?", "kā pieteikt savu suni"],
      },
      {
        representative: "kā reģistrēt suni", count: 1, languages: { lv: 1 },
        reasons: { fallback: 0, lowConfidence: 1, feedbackDown: 0, escalation: 0 },
        closestGuide: "e-health", examples: ["kā reģistrēt suni"],
      },
    ]);
  });

  it("masks contacts, collapses spaces, drops wordings with nothing to read and keeps where in a flow", () => {
    const groups = groupQuestions([
      q("  zvaniet   29123456 vai  raksti a.b@example.lv ", ["fallback"]),
      q("???", ["fallback"]),
      q("kur ierakstīt numuru", ["fallback"], { inFlow: "e-invoice-setup › jnku-form" }),
    ]);
    expect(groups.map((g) => g.representative)).toEqual(["kur ierakstīt numuru", "zvaniet [tālrunis] vai raksti [e-pasts]"]);
    expect(groups[0]?.inFlows).toEqual(["e-invoice-setup › jnku-form"]);
    expect(groups[1]).not.toHaveProperty("inFlows");
  });

  it("returns at most the limit, and nothing for no questions", () => {
    const many = ["ūdens skaitītājs", "atkritumu izvešana", "bērnudārza rinda"].map((text) => q(text, ["fallback"]));
    expect(groupQuestions(many, 2)).toHaveLength(2);
    expect(groupQuestions([], 10)).toEqual([]);
  });
});
