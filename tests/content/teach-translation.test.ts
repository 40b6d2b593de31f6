/**
 * Teaching a question in a language the guide has no translation in yet: it goes to the Latvian
 * text (the one those residents get, with a note) as `questions_<lang>:`, answers them now, and is
 * carried into the translation when it is started; where no text can stand in, a clear refusal.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";
import { StaffClient } from "../support/staff-client.js";
import { ROOT } from "../helpers.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const ID = "zilonu-registrs";
const QUESTION = "как зарегистрировать слона в реестре";

/** A complete guide in Latvian (or English) about registering an elephant: nobody else answers it. */
function guide(lang: "lv" | "en", id = ID): string {
  const lv = lang === "lv";
  return [
    "---", `id: ${id}`, `lang: ${lang}`,
    lv ? "title: Ziloņu reģistrs – kā pieteikt ziloni" : "title: The elephant register – how to register an elephant",
    lv ? "summary: Kā pieteikt ziloni reģistrā." : "summary: How to register an elephant.",
    "keywords:", lv ? "  - zilonis" : "  - elephant",
    "sources:", "  - https://www.jelgavasnovads.lv/", "checked: 2026-11-20", "review_by: 2027-05-20", "related: []",
    "---", "", lv ? "Ziloni piesaka reģistrā." : "An elephant is registered in the register.", "",
    lv ? "## Kas Jums vajadzīgs {#need}" : "## What you need {#need}", lv ? "- Zilonis." : "- An elephant.", "",
    lv ? "## Pieteikšana {#apply}" : "## Registering {#apply}", lv ? "1. Aizpildiet pieteikumu." : "1. Fill in the form.", "",
    lv ? "## Ja neizdodas {#trouble}" : "## If it does not work {#trouble}", "- 63022238.", "",
    lv ? "## Palīdzība klātienē {#help}" : "## Help in person {#help}", lv ? "- Jautājiet pagastā." : "- Ask at the parish.", "",
  ].join("\n");
}

describe("teaching a question to a guide without a translation in its language", () => {
  let app: App;
  let ieva: StaffClient;
  const put = async (file: string, text: string): Promise<number> => (await fetch(`${app.url}/api/staff/content/guides/${file}`, {
    method: "PUT", headers: { cookie: ieva.cookie, "x-csrf-token": ieva.csrf, "content-type": "application/json" }, body: JSON.stringify({ text, baseRevision: null }),
  })).status;

  beforeAll(async () => {
    app = await startTestApp();
    await app.staffAccounts.add({ username: "ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    ieva = await StaffClient.login(app.url, "ieva", "an editor password");
    expect(await put(`lv/${ID}`, guide("lv"))).toBe(200);
    expect(await put("en/zilonu-bariba", guide("en", "zilonu-bariba"))).toBe(200);
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("attaches a Russian question to the Latvian text, so that Russian residents get the guide now, and marks the group handled", async () => {
    expect((await ieva.call("POST", "/try", { text: QUESTION, lang: "ru" })).json.intent).toBe("fallback");
    await app.store.resident("web", "teach-ru");
    await app.service.handle("web", "teach-ru", { kind: "text", text: QUESTION });

    const taught = await ieva.call("POST", "/unanswered/teach", { question: QUESTION, lang: "ru", guideId: ID });
    expect(taught.status).toBe(200);
    expect(taught.json).toMatchObject({ guideId: ID, changed: true, waitingForTranslation: "ru", path: `knowledge/lv/${ID}.md` });
    const lv = (await ieva.call("GET", `/content/guides/lv/${ID}`)).json as { text: string };
    expect(lv.text).toContain(`questions_ru:\n  - "${QUESTION}"`);
    // The guide still has no Russian version (the to-do stays), and the check says nothing more.
    const content = (await ieva.call("GET", "/content")).json as { status: { errors: string[] }; guides: { id: string; missing: string[] }[] };
    expect(content.guides.find((g) => g.id === ID)?.missing).toContain("ru");
    expect(content.status.errors).toEqual([]);

    const tried = (await ieva.call("POST", "/try", { text: QUESTION, lang: "ru" })).json as { intent: string; guides: { id: string }[]; replies: { text: string }[] };
    expect(tried.intent).toBe("guide");
    expect(tried.guides[0]?.id).toBe(ID);
    expect(tried.replies[0]?.text).toMatch(/^Этой инструкции пока нет на русском языке.*\n\n📘 Ziloņu reģistrs/s);
    // Residents writing Latvian are not affected by the Russian wording.
    expect((await ieva.call("POST", "/try", { text: "kā pieteikt ziloni", lang: "lv" })).json.intent).toBe("guide");

    const report = (await ieva.call("GET", "/unanswered")).json as { handled: { question: string; handled: { action: string; guideId: string; resolved: boolean } }[] };
    expect(report.handled.find((g) => g.question === QUESTION)?.handled).toMatchObject({ action: "teach", guideId: ID, resolved: true });
  });

  it("carries the waiting questions into the translation when it is started, and the check asks to move any left behind", async () => {
    const { translationStart } = (await import(pathToFileURL(path.join(ROOT, "public/staff/lib/guide-template.js")).href)) as { translationStart: (text: string, lang: string) => string };
    const lv = ((await ieva.call("GET", `/content/guides/lv/${ID}`)).json as { text: string }).text;
    const started = translationStart(lv, "ru");
    expect(started).toMatch(/^lang: ru$/m);
    expect(started).toContain(`questions:\n  - "${QUESTION}"`);
    expect(started).not.toContain("questions_ru:");
    expect(translationStart(lv, "en")).not.toMatch(/questions_ru:|слона/);

    // A Russian translation published: the Latvian text's waiting list is to be moved there.
    const ru = guide("lv").replace("lang: lv", "lang: ru").replace(/^title: .*$/m, "title: Реестр слонов – как заявить слона").replace(/^summary: .*$/m, "summary: Как заявить слона.");
    expect(await put(`ru/${ID}`, ru)).toBe(200);
    const preview = (await ieva.call("POST", "/content/preview", { kind: "guide", lang: "lv", id: ID, text: lv })).json as { warnings: { line: number; message: string }[] };
    expect(preview.warnings).toContainEqual({ file: `knowledge/lv/${ID}.md`, line: lv.split("\n").indexOf("questions_ru:") + 1, message: `'questions_ru': knowledge/ru/${ID}.md exists now: move these questions into its 'questions' and remove them here` });
  });

  it("refuses with what to do when no text can stand in for the missing translation", async () => {
    // Only in English: residents writing Russian are not given the English text.
    const refused = await ieva.call("POST", "/unanswered/teach", { question: "сколько корма нужно слону", lang: "ru", guideId: "zilonu-bariba" });
    expect(refused.status).toBe(422);
    expect((refused.json.error as { message: string }).message).toBe(
      "Guide 'zilonu-bariba' has no Russian version, and no Latvian one that residents writing Russian would get instead (it is only in English). "
      + "Add its Russian translation first (Instrukcijas → Pievienot tulkojumu), then attach the question again; or choose another guide.");
    const latvian = await ieva.call("POST", "/unanswered/teach", { question: "cik daudz barības vajag zilonim", lang: "lv", guideId: "zilonu-bariba" });
    expect(latvian.status).toBe(422);
    expect((latvian.json.error as { message: string }).message).toBe(
      "Guide 'zilonu-bariba' has no Latvian version (it is only in English). Add its Latvian translation first (Instrukcijas → Pievienot tulkojumu), then attach the question again; or choose another guide.");
    const none = await ieva.call("POST", "/unanswered/teach", { question: "kur ir zilonis", lang: "lv", guideId: "nav-tadas" });
    expect(none.status).toBe(422);
    expect((none.json.error as { message: string }).message).toMatch(/^There is no guide 'nav-tadas'\. Choose another guide/);
  });
});
