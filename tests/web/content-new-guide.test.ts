import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, browserSuite } from "../support/app-and-browser.js";
import { axeViolations } from "../support/axe.js";
import { consoleLog, logIn } from "../support/console.js";
import { residentAsks } from "../support/resident-chat.js";

const EDITOR = { username: "maija.editor", password: "Saturs-2026-jauna", displayName: "Maija Ozola", role: "editor" as const };
const ID = "zilonu-registrs";

const suite = browserSuite({ setup: (started) => started.staffAccounts.add(EDITOR) });

/** A finished guide text in `lang` (what the editor writes over the template). */
function guideText(lang: "lv" | "ru"): string {
  const lv = lang === "lv";
  return [
    "---", `id: ${ID}`, `lang: ${lang}`,
    lv ? "title: Ziloņu reģistrs – kā pieteikt ziloni" : "title: Реестр слонов – как заявить слона",
    lv ? "summary: Kā pieteikt ziloni reģistrā." : "summary: Как заявить слона в реестр.",
    "keywords:", "  - zilonis", "  - ziloņu reģistrs", "sources:", "  - https://www.jelgavasnovads.lv/",
    "checked: 2026-11-20", "review_by: 2027-05-20", "related: []", "---", "",
    lv ? "Ziloni piesaka reģistrā." : "Слона заявляют в реестр.", "",
    lv ? "## Kas Jums vajadzīgs {#need}" : "## Что Вам нужно {#need}", lv ? "- Zilonis." : "- Слон.", "",
    lv ? "## Kā to izdarīt {#steps}" : "## Как это сделать {#steps}", lv ? "1. Aizpildiet pieteikumu." : "1. Заполните заявление.", "",
    lv ? "## Ja neizdodas {#trouble}" : "## Если не получается {#trouble}", lv ? "- Zvaniet 63022238." : "- Позвоните 63022238.", "",
    lv ? "## Palīdzība klātienē {#help}" : "## Помощь на месте {#help}", lv ? "- Jautājiet pagastā." : "- Спросите в волости.", "",
  ].join("\n");
}

/** Replaces the whole text in the editor. */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.locator("#editor-host >> .cm-content").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

const check = (page: Page) => page.locator("#editor-check").textContent();

describe("a new guide in the console", () => {
  it("is created from a template in Latvian, published with its translations as to-dos, translated to Russian, and deleted (refused while linked)", async () => {
    const a = suite.app();
    const { context, page } = await suite.openConsole({ viewport: { width: 1400, height: 1000 }, stepMs: 15_000 });
    try {
      await logIn(page, EDITOR);
      await page.getByRole("link", { name: "Instrukcijas" }).first().click();
      await page.locator("#guides-body tr").first().waitFor();

      // The id is checked before anything is saved.
      await page.getByRole("button", { name: "Jauna instrukcija" }).click();
      const dialog = page.getByRole("dialog", { name: "Jauna instrukcija" });
      await dialog.getByLabel("Instrukcijas id").fill("Ziloņu Reģistrs");
      await dialog.getByRole("button", { name: "Izveidot un atvērt redaktorā" }).click();
      await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/tikai mazos latīņu burtus/);
      await dialog.getByLabel("Instrukcijas id").fill("e-invoices");
      await dialog.getByRole("button", { name: "Izveidot un atvērt redaktorā" }).click();
      await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/“e-invoices” jau ir/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-dialog.png"), fullPage: true });
      await dialog.getByLabel("Instrukcijas id").fill(ID);
      await dialog.getByLabel("Valoda, kurā sākt").selectOption("lv");
      await dialog.getByRole("button", { name: "Izveidot un atvērt redaktorā" }).click();

      // The template in Latvian: the check points at the text still to write.
      await page.locator("#editor-host >> .cm-content").waitFor();
      await expect.poll(() => page.locator("#editor-title").textContent()).toBe(`Instrukcija: ${ID} (lv)`);
      await expect.poll(() => check(page), { timeout: 15_000 }).toMatch(/Kļūdas: \d+/);
      expect(await check(page)).toMatch(/4\. rinda template text \[\[Nosaukums – ko iedzīvotājs var izdarīt\]\] is still here/);
      expect(await page.locator("#editor-host >> .cm-content").textContent()).toContain("## Kas Jums vajadzīgs {#need}");
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-template.png"), fullPage: true });

      // Written and checked: the missing translations are warnings at the id line; publishable.
      await replaceText(page, guideText("lv"));
      await expect.poll(() => check(page), { timeout: 15_000 }).toMatch(/kļūdu nav, brīdinājumi/);
      expect(await check(page)).toMatch(new RegExp(`knowledge/lv/${ID}\\.md:2\\. rinda guide '${ID}' is missing in 'ru' \\(translation to do`));
      await page.getByLabel("Jautājums (neobligāti)").fill("ziloņu reģistrs");
      await page.getByRole("button", { name: "Izmēģināt" }).click();
      await expect.poll(() => page.locator("#editor-preview").textContent(), { timeout: 15_000 }).toMatch(/📘 Ziloņu reģistrs/);
      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => check(page), { timeout: 15_000 }).toMatch(/Publicēts/);
      await expect.poll(() => residentAsks(a.url, "ziloņu reģistrs"), { timeout: 5000 }).toMatch(/📘 Ziloņu reģistrs/);
      expect(await residentAsks(a.url, "что такое zilonis")).toMatch(/^Этой инструкции пока нет на русском языке.*\n\n📘 Ziloņu reģistrs/);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-published.png"), fullPage: true });

      // The list: the to-do marker, and a button that starts the Russian translation from the Latvian text.
      await page.getByRole("link", { name: "← Instrukcijas" }).click();
      const row = page.locator("#guides-body tr", { hasText: ID });
      await expect.poll(() => row.locator(".badge-todo").textContent(), { timeout: 10_000 }).toBe("trūkst tulkojuma: ru, en");
      // The publish's change notice may reload the list once more: axe reads the page at rest (a busy button is dimmed).
      await expect.poll(() => page.locator("#guides-refresh").getAttribute("aria-disabled"), { timeout: 10_000 }).toBe("false");
      expect(await axeViolations(page)).toEqual([]);
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-todo.png"), fullPage: true });
      await row.getByRole("button", { name: `Pievienot tulkojumu: ${ID} (ru)` }).click();
      await expect.poll(() => page.locator("#editor-title").textContent()).toBe(`Instrukcija: ${ID} (ru)`);
      await expect.poll(() => page.locator("#editor-host >> .cm-content").textContent(), { timeout: 15_000 }).toContain("lang: ru");
      expect(await page.locator("#editor-host >> .cm-content").textContent()).toContain("Ziloņu reģistrs – kā pieteikt ziloni");
      await replaceText(page, guideText("ru"));
      await expect.poll(() => check(page), { timeout: 15_000 }).toMatch(/kļūdu nav/);
      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => check(page), { timeout: 15_000 }).toMatch(/Publicēts/);
      await expect.poll(() => residentAsks(a.url, "как заявить zilonis в реестр"), { timeout: 5000 }).toMatch(/^📘 Реестр слонов/);
      await page.getByRole("link", { name: "← Instrukcijas" }).click();
      await expect.poll(() => row.locator(".badge-todo").textContent(), { timeout: 10_000 }).toBe("trūkst tulkojuma: en");

      // Delete: refused while flows and guides link to it, naming them; done when nothing does.
      await page.locator("#guides-body tr", { hasText: "e-invoices" }).getByRole("button", { name: "Dzēst instrukciju e-invoices" }).click();
      const confirm = page.getByRole("dialog", { name: /Dzēst instrukciju/ });
      await confirm.getByRole("button", { name: "Dzēst", exact: true }).click();
      await expect.poll(() => confirm.getByRole("alert").textContent()).toMatch(/Nevar dzēst: uz šo instrukciju vēl norāda:.*ceļvedis “.+” \(flows\/e-invoice-setup\.yaml, \d+\., \d+\.(, \d+\.)* rindas\)/);
      expect(await confirm.getByRole("alert").textContent()).toMatch(/instrukcija “.+” latviski \(knowledge\/lv\/meter-readings\.md, \d+\. rinda\)/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-delete-refused.png"), fullPage: true });
      await confirm.getByRole("button", { name: "Aizvērt" }).click();
      expect(await residentAsks(a.url, "Kā pieteikties e-rēķiniem internetbankā?")).toMatch(/📘 E-rēķini/);

      await row.getByRole("button", { name: `Dzēst instrukciju ${ID}` }).click();
      await expect.poll(() => confirm.locator("#delete-dialog-text").textContent()).toMatch(/tiks dzēsta visās valodās/);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-delete-confirm.png"), fullPage: true });
      await confirm.getByRole("button", { name: "Dzēst", exact: true }).click();
      await expect.poll(() => page.locator("#guides-notice").textContent(), { timeout: 10_000 }).toMatch(/dzēsta visās valodās/);
      expect(await row.count()).toBe(0);
      await expect.poll(() => residentAsks(a.url, "ziloņu reģistrs"), { timeout: 5000 }).toMatch(/Atvainojiet, par šo es vēl nezinu/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-deleted.png"), fullPage: true });
      expect(consoleLog(page).filter((l) => !/favicon|status of (404|422)/.test(l))).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, "content-new-guide-failure.png"), fullPage: true });
      throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
    } finally {
      await context.close();
    }
  }, 300_000);
});
