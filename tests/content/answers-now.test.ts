import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { answersNow } from "../../src/content/answers-now.js";
import { OutOfScope, ScopedAssistant } from "../../src/content/out-of-scope.js";
import { addExampleQuestion } from "../../src/content/teach.js";
import { buildContent, readContentDirs } from "../../src/content/texts.js";
import { Conversation } from "../../src/core/conversation.js";
import { groupQuestions, type UnansweredGroup } from "../../src/staff/reports/grouping.js";
import { matchHandled } from "../../src/staff/reports/unanswered-handled.js";
import { ROOT } from "../helpers.js";
import { must } from "../support/must.js";

const GUIDE = "knowledge/lv/municipal-application.md";
const QUESTION = "kā pieteikt suni dzīvnieku reģistrā";

let texts: Map<string, string>;

/** The serving conversation over `content` (with out-of-scope marks), as the app builds it. */
function conversationOver(content: Map<string, string>, marks: { question: string; lang: string }[] = []): Conversation {
  const built = buildContent(content, { today: new Date("2026-11-22") });
  return new Conversation({ assistant: new ScopedAssistant({ knowledge: built.knowledge }, new OutOfScope(marks)), flows: built.flows });
}

beforeAll(async () => {
  texts = await readContentDirs(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
});

describe("whether the bot answers a handled group now", () => {
  it("says a question it cannot answer is not answered, and answers with the guide once the question is taught to it", () => {
    const before = answersNow(conversationOver(texts), [QUESTION], "lv");
    expect(before).toMatchObject({ guideId: null, title: null, answered: 0, fallback: 1, of: 1 });

    const taught = new Map(texts);
    taught.set(GUIDE, addExampleQuestion(must(texts.get(GUIDE), GUIDE), QUESTION));
    const after = answersNow(conversationOver(taught), [QUESTION, `  ${QUESTION} `], "lv");
    expect(after).toEqual({ guideId: "municipal-application", title: "Iesniegums pašvaldībai internetā", answered: 1, fallback: 0, of: 1 });
  });

  it("counts a question marked out of scope as getting the fallback instead of the guessed guide", () => {
    const outOfScope = "kur nopirkt ūdens skaitītāju";
    expect(answersNow(conversationOver(texts), [outOfScope], "lv").guideId).toBe("meter-readings");
    expect(answersNow(conversationOver(texts, [{ question: outOfScope, lang: "lv" }]), [outOfScope], "lv")).toMatchObject({ guideId: null, fallback: 1, of: 1 });
  });

  it("names the guide most of the questions get, and counts the others", () => {
    const now = answersNow(conversationOver(texts), ["kā nodot skaitītāja rādījumus", "ūdens skaitītāja rādījumi internetā", QUESTION], "lv");
    expect(now).toMatchObject({ guideId: "meter-readings", answered: 2, fallback: 1, of: 3 });
  });

  it("asks each question once per serving conversation, and again with new content", () => {
    const conversation = conversationOver(texts);
    const handle = vi.spyOn(conversation, "handle");
    answersNow(conversation, [QUESTION, "kā nodot skaitītāja rādījumus"], "lv");
    answersNow(conversation, [QUESTION], "lv");
    expect(handle).toHaveBeenCalledTimes(2);
    const next = conversationOver(texts);
    const again = vi.spyOn(next, "handle");
    answersNow(next, [QUESTION], "lv");
    expect(again).toHaveBeenCalledTimes(1);
  });
});

describe("matching the report's groups to what editors handled", () => {
  const at = Date.parse("2026-11-20T10:00:00Z");
  const group = (text: string, lang = "lv"): UnansweredGroup => must(groupQuestions([{ text, lang, guide: null, at, reasons: new Set(["fallback"]) }])[0], `the group of "${text}"`);

  it("finds the newest mark whose wording the report would group with the group's, in the group's language", () => {
    const groups = [group("Kā pieteikt suni dzīvnieku reģistrā?"), group("kur nopirkt ūdens skaitītāju"), group("как зарегистрировать собаку", "ru")];
    const marks = [
      { id: "newest", lang: "lv", wordings: ["kā pieteikt suni dzīvnieku reģistrā"] },
      { id: "older", lang: "lv", wordings: ["pieteikt suni reģistrā kā"] },
      { id: "other", lang: "ru", wordings: ["kur nopirkt ūdens skaitītāju"] },
    ];
    expect(matchHandled(groups, marks).map((m) => m?.id ?? null)).toEqual(["newest", null, null]);
    expect(matchHandled(groups, marks.slice(1)).map((m) => m?.id ?? null)).toEqual(["older", null, null]);
  });

  it("matches a to-do item by any of its example questions", () => {
    const [g] = [group("kur nopirkt ūdens skaitītāju")];
    expect(matchHandled([g], [{ lang: "lv", wordings: ["kā pieteikt suni", "ūdens skaitītāju kur nopirkt"] }])[0]).not.toBeNull();
    expect(matchHandled([g], [{ lang: "lv", wordings: ["kā pieteikt suni"] }])[0]).toBeNull();
  });
});
