import path from "node:path";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { ARTIFACTS, browserSuite } from "../support/app-and-browser.js";
import { consoleLog, logIn } from "../support/console.js";
import { residentAsks as asks } from "../support/resident-api.js";

const EDITOR = { username: "ieva.editor", password: "Saturs-2026-redaktors", displayName: "Ieva Kalniņa", role: "editor" as const };

const suite = browserSuite({ setup: (started) => started.staffAccounts.add(EDITOR) });

const residentAsks = (text: string): Promise<string> => asks(suite.app().url, text);

describe("the content editor in the console", () => {
  it("edits a guide with the check as you type, previews it, publishes it for residents, and restores the old version from the history", async () => {
    const { context, page } = await suite.openConsole({ viewport: { width: 1400, height: 1000 }, stepMs: 15_000 });
    page.on("dialog", (d) => void d.accept());
    try {
      await logIn(page, EDITOR);
      await page.getByRole("link", { name: "Instrukcijas" }).first().click();
      await page.getByRole("link", { name: "Labot meter-readings (lv)" }).click();
      const editor = page.locator("#editor-host >> .cm-content");
      await editor.waitFor();
      await expect.poll(() => page.locator("#editor-check").textContent(), { timeout: 15_000 }).toMatch(/kļūdu nav/);
      expect(await page.locator("#editor-host >> .cm-gutters").textContent()).toMatch(/1\s*2\s*3/);

      // An error at its line: the id line broken.
      await page.locator("#editor-host >> .cm-line", { hasText: /^id: meter-readings$/ }).click();
      await page.keyboard.press("End");
      await page.keyboard.type(" X");
      await expect.poll(() => page.locator("#editor-check").textContent(), { timeout: 15_000 }).toMatch(/Kļūdas: \d/);
      expect(await page.locator("#editor-check").textContent()).toMatch(/\d+\. rinda/);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-editor-error.png"), fullPage: true });
      await page.keyboard.press("Backspace");
      await page.keyboard.press("Backspace");
      await expect.poll(() => page.locator("#editor-check").textContent(), { timeout: 15_000 }).toMatch(/kļūdu nav/);

      // A new keyword, previewed with a question.
      await page.locator("#editor-host >> .cm-line", { hasText: /^keywords:$/ }).click();
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      await page.keyboard.type("- zilonis ūdensvads");
      await page.getByLabel("Jautājums (neobligāti)").fill("zilonis ūdensvads");
      await page.getByRole("button", { name: "Izmēģināt" }).click();
      await expect.poll(() => page.locator("#editor-preview").textContent(), { timeout: 15_000 }).toMatch(/📘/);
      expect(await residentAsks("zilonis ūdensvads")).toMatch(/Atvainojiet, par šo es vēl nezinu/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-editor-preview.png"), fullPage: true });

      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => page.locator("#editor-check").textContent(), { timeout: 15_000 }).toMatch(/Publicēts/);
      await expect.poll(() => residentAsks("zilonis ūdensvads"), { timeout: 5000 }).toMatch(/📘/);

      // History: the text in the editor, the published revision and the repository's; the
      // previous revision (A) is compared with the latest (B) at first. Restore the repository's.
      await page.getByRole("button", { name: "Vēsture" }).click();
      const items = page.locator("#editor-history-table .history-item");
      await expect.poll(() => items.count()).toBe(3);
      await expect.poll(() => page.locator("#editor-diff").textContent()).toMatch(/Pievienota \d+\. rinda: \d+\+\s*- zilonis ūdensvads/);
      expect(await axeViolations(page)).toEqual([]);
      await page.locator("#editor-diff").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTIFACTS, "content-editor-history.png") });
      await items.nth(2).getByRole("button", { name: /Atjaunot šo versiju/ }).click();
      await expect.poll(() => residentAsks("zilonis ūdensvads"), { timeout: 5000 }).toMatch(/Atvainojiet, par šo es vēl nezinu/);
      expect(consoleLog(page).filter((l) => !l.includes("favicon"))).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, "content-editor-failure.png"), fullPage: true });
      throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
    } finally {
      await context.close();
    }
  }, 120_000);
});
