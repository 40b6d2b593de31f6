/**
 * "Neatbildētie" in the console: from an unanswered question to a taught guide (the group is then
 * shown as handled, and the bot answers it), and to "Vajag jaunu instrukciju" (the to-do list,
 * then marked done with the guide that covers it). Screenshots to look at by eye (1400×1000):
 * test-artifacts/unanswered-handled.png, unanswered-missing-done.png.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { ARTIFACTS, browserSuite } from "../support/app-and-browser.js";
import { consoleLog, logIn } from "../support/console.js";
import { residentAsks as asks } from "../support/resident-api.js";

const EDITOR = { username: "ieva.editor", password: "Saturs-2026-redaktors", displayName: "Ieva Kalniņa", role: "editor" as const };
const TAUGHT = "kā pieteikt suni dzīvnieku reģistrā";
const NEEDED = "kur var nopirkt makšķerēšanas karti";

const suite = browserSuite({ setup: (started) => started.staffAccounts.add(EDITOR) });

const residentAsks = (text: string): Promise<string> => asks(suite.app().url, text);

describe("the unanswered report in the console", () => {
  it("teaches one question to a guide and puts another on the list of missing guides; both show as handled, with whether the bot answers them now", async () => {
    expect(await residentAsks(TAUGHT)).toMatch(/Atvainojiet, par šo es vēl nezinu/);
    expect(await residentAsks(NEEDED)).toMatch(/Atvainojiet, par šo es vēl nezinu/);
    const { context, page } = await suite.openConsole({ viewport: { width: 1400, height: 1000 }, stepMs: 15_000 });
    try {
      await logIn(page, EDITOR);
      await page.getByRole("link", { name: "Neatbildētie" }).first().click();
      const open = page.locator("#unanswered-body tr");
      const handled = page.locator("#handled-body tr");

      // Taught: the group leaves the open ones and the bot answers it with that guide.
      const taught = open.filter({ hasText: TAUGHT });
      await taught.waitFor();
      await taught.getByLabel(`Instrukcija jautājumam: ${TAUGHT}`).selectOption("municipal-application");
      await taught.getByRole("button", { name: "Pievienot instrukcijai" }).click();
      const taughtRow = handled.filter({ hasText: TAUGHT });
      await expect.poll(() => taughtRow.textContent(), { timeout: 15_000 }).toMatch(/Pievienots instrukcijai „Iesniegums pašvaldībai internetā”.*Ieva Kalniņa.*atbild: Iesniegums pašvaldībai internetā/);
      expect(await open.filter({ hasText: TAUGHT }).count()).toBe(0);
      await expect.poll(() => residentAsks(TAUGHT), { timeout: 5000 }).toMatch(/📘/);

      // A new guide needed: on the to-do list with its question, handled, and not answered yet.
      await open.filter({ hasText: NEEDED }).getByRole("button", { name: `Vajag jaunu instrukciju: ${NEEDED}` }).click();
      const item = page.locator("#missing-list > li", { hasText: NEEDED });
      await item.waitFor({ timeout: 15_000 });
      await expect.poll(() => handled.filter({ hasText: NEEDED }).textContent()).toMatch(/Vajag jaunu instrukciju – sarakstā.*vēl neatbild/);
      expect(await page.locator("#missing-count").textContent()).toBe("1");
      expect(await open.filter({ hasText: NEEDED }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.locator("#handled-title").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTIFACTS, "unanswered-handled.png"), fullPage: true });

      // Done: linked to the guide that now covers it.
      await item.getByLabel(`Instrukcija, kas tagad atbild uz: ${NEEDED}`).selectOption("e-identity");
      await item.getByRole("button", { name: "Atzīmēt kā izdarītu" }).click();
      const doneItem = page.locator("#missing-list > li", { hasText: NEEDED });
      await expect.poll(() => doneItem.textContent(), { timeout: 15_000 }).toMatch(/✓ Izdarīts: .*Ieva Kalniņa/);
      expect(await doneItem.getByRole("link").getAttribute("href")).toBe("#redaktors/guide/lv/e-identity");
      await expect.poll(() => handled.filter({ hasText: NEEDED }).textContent()).toMatch(/Vajag jaunu instrukciju – izdarīts/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "unanswered-missing-done.png"), fullPage: true });

      // Removed from the list: the group is open again.
      await doneItem.getByRole("button", { name: `Noņemt no saraksta: ${NEEDED}` }).click();
      await open.filter({ hasText: NEEDED }).waitFor({ timeout: 15_000 });
      expect(await page.locator("#missing-list > li").count()).toBe(0);
      expect(consoleLog(page)).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, "unanswered-failure.png"), fullPage: true });
      throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
    } finally {
      await context.close();
    }
  }, 180_000);
});
