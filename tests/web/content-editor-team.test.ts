/**
 * The content editor when several people work on the content (/staff, role editor), in a real
 * browser: two editors on one guide (the second to publish is told, sees the difference, takes
 * the latest revision with their own change carried over and publishes), a draft that survives a
 * reload and never reaches a resident chatting in another browser, the history comparing any two
 * revisions and restoring one, and holidays.yaml edited from "Instrukcijas" with the check's
 * error at its line. Screenshots: test-artifacts/content-team-*.png.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { ARTIFACTS, browserSuite, type TestApp } from "../support/app-and-browser.js";
import { consoleLog, logIn } from "../support/console.js";

const STEP_MS = 20_000;
const LAPTOP = { width: 1400, height: 1000 };
const IEVA = { username: "ieva.editor", password: "Saturs-2026-redaktors", displayName: "Ieva Kalniņa", role: "editor" as const };
const JANIS = { username: "janis.editor", password: "Saturs-2026-otrais", displayName: "Jānis Bērziņš", role: "editor" as const };
const NOT_KNOWN = /Atvainojiet, par šo es vēl nezinu/;

const suite = browserSuite({
  setup: async (app) => {
    await app.staffAccounts.add(IEVA);
    await app.staffAccounts.add(JANIS);
  },
  stepMs: STEP_MS,
});

const running = (): TestApp => suite.app();

/** What a new resident of the web chat API is answered. */
async function residentAsks(text: string): Promise<string> {
  const a = running();
  const chat = (await (await fetch(`${a.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  const res = await fetch(`${a.url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

/** Runs `steps` in a console logged in as `account`; a failure leaves a screenshot. */
async function asEditor(account: { username: string; password: string }, name: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const { context, page } = await suite.openConsole({ viewport: LAPTOP });
  page.on("dialog", (d) => void d.accept());
  try {
    await logIn(page, account);
    await page.getByRole("link", { name: "Instrukcijas" }).first().waitFor();
    await steps(page);
    expect(consoleLog(page).filter((l) => !l.includes("favicon"))).toEqual([]);
  } catch (error) {
    await page.screenshot({ path: path.join(ARTIFACTS, `content-team-${name}-failure.png`), fullPage: true });
    throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
  } finally {
    await context.close();
  }
}

const checkText = (page: Page) => page.locator("#editor-check").textContent();

/** Opens the guide meter-readings (lv) from "Instrukcijas" and waits for the check. */
async function openGuide(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Instrukcijas" }).first().click();
  await page.getByRole("link", { name: "Labot meter-readings (lv)" }).click();
  await page.locator("#editor-host >> .cm-content").waitFor();
  await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);
}

/** Inserts `line` as a new line below the editor's line that reads exactly `after`. */
async function addLineBelow(page: Page, after: string, line: string): Promise<void> {
  await page.locator("#editor-host >> .cm-line", { hasText: new RegExp(`^${after.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).first().click();
  await page.keyboard.press("End");
  // Inserted as typed text, without the Enter key (which continues a markdown list).
  await page.keyboard.insertText(`\n${line}`);
}

const editorText = (page: Page) => page.locator("#editor-host >> .cm-content").innerText();

/** axe-clean, then a screenshot with `part` (scrolled inside the console's page) in view. */
async function shot(page: Page, name: string, part: string): Promise<void> {
  expect(await axeViolations(page), name).toEqual([]);
  await page.locator(part).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, `content-team-${name}.png`) });
}

describe("content editors working on the same content", () => {
  it("tells the second editor to publish that the guide changed meanwhile, shows what changed, and publishes their change on top of the latest", async () => {
    // Jānis opens the guide first and starts editing; Ieva publishes meanwhile.
    const second = await suite.openConsole({ viewport: LAPTOP });
    second.page.on("dialog", (d) => void d.accept());
    const page = second.page;
    try {
      await logIn(page, JANIS);
      await openGuide(page);
      await addLineBelow(page, "  - OKSDU", "  - kengurs pingvīns");

      await asEditor(IEVA, "first", async (first) => {
        await openGuide(first);
        await addLineBelow(first, "keywords:", "  - flamingo zilonis");
        await first.getByRole("button", { name: "Publicēt", exact: true }).click();
        await expect.poll(() => checkText(first), { timeout: STEP_MS }).toMatch(/Publicēts/);
      });
      await expect.poll(() => residentAsks("flamingo zilonis"), { timeout: 5000 }).toMatch(/📘/);

      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      const conflict = page.locator("#editor-conflict");
      await conflict.getByRole("heading", { name: "Kamēr Jūs labojāt, Ieva Kalniņa publicēja šo failu" }).waitFor();
      // What Ieva changed, marked by sign and words, not only by colour.
      expect(await conflict.locator(".diff-box").first().textContent()).toMatch(/Pievienota 7\. rinda: 7\+\s*- flamingo zilonis/);
      expect(await residentAsks("kengurs pingvīns")).toMatch(NOT_KNOWN);
      await shot(page, "conflict", "#editor-conflict");

      await conflict.getByRole("button", { name: "Pārņemt jaunāko versiju un pārnest manas izmaiņas" }).click();
      await conflict.getByText("Visas Jūsu izmaiņas pārnestas").waitFor();
      const merged = await editorText(page);
      expect(merged).toContain("  - flamingo zilonis");
      expect(merged).toContain("  - kengurs pingvīns");
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);
      await shot(page, "taken-over", "#editor-conflict");
      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/Publicēts/);
      await expect.poll(() => residentAsks("kengurs pingvīns"), { timeout: 5000 }).toMatch(/📘/);
      expect(await residentAsks("flamingo zilonis")).toMatch(/📘/);
      // The refused publish is logged by the browser as a failed request; nothing else is.
      expect(consoleLog(page).filter((l) => !l.includes("status of 409"))).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, "content-team-second-failure.png"), fullPage: true });
      throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
    } finally {
      await second.context.close();
    }
  }, 240_000);

  it("saves a draft as the editor types, brings it back after a reload, and never shows it to a resident", async () => {
    const browser = suite.browser();
    const resident = await browser.newContext({ locale: "lv-LV", viewport: { width: 390, height: 844 }, reducedMotion: "reduce" });
    resident.setDefaultTimeout(STEP_MS);
    try {
      await asEditor(IEVA, "draft", async (page) => {
        await openGuide(page);
        await addLineBelow(page, "keywords:", "  - melnraksta zilonis");
        await expect.poll(() => page.locator("#editor-draft-status").textContent(), { timeout: STEP_MS }).toMatch(/Melnraksts saglabāts/);
        await page.reload();
        await page.locator("#editor-host >> .cm-content").waitFor();
        await expect.poll(() => editorText(page), { timeout: STEP_MS }).toContain("  - melnraksta zilonis");
        expect(await page.locator("#editor-draft-status").textContent()).toMatch(/Atvērts Jūsu melnraksts .*Iedzīvotāji redz publicēto versiju/);
        await shot(page, "draft", "#editor-draft-status");

        // A resident in another browser gets the published guide, not the draft.
        const chat = await resident.newPage();
        await chat.goto(`${running().url}/?lang=lv`);
        await chat.waitForFunction("document.documentElement.dataset.chat === \"ready\"");
        const answers = chat.locator("#messages .msg-bot");
        const before = await answers.count();
        await chat.locator("#message-input").fill("melnraksta zilonis");
        await chat.keyboard.press("Enter");
        await expect.poll(() => answers.count(), { timeout: STEP_MS }).toBeGreaterThan(before);
        expect(await answers.last().textContent()).toMatch(NOT_KNOWN);

        await page.getByRole("button", { name: "Atmest melnrakstu" }).click();
        await expect.poll(() => editorText(page), { timeout: STEP_MS }).not.toContain("melnraksta zilonis");
        await page.reload();
        await page.locator("#editor-host >> .cm-content").waitFor();
        await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);
        expect(await editorText(page)).not.toContain("melnraksta zilonis");
      });
    } finally {
      await resident.close();
    }
  }, 240_000);

  it("compares any two revisions from the history and restores one of them", async () => {
    await asEditor(IEVA, "history", async (page) => {
      await openGuide(page);
      await page.getByRole("button", { name: "Vēsture" }).click();
      const table = page.locator("#editor-history-table");
      // The editor's text, Jānis's revision, Ieva's and the repository's.
      await expect.poll(() => table.locator(".history-item").count()).toBe(4);
      const [latest, ievas, repository] = await Promise.all([1, 2, 3].map(async (k) => Number((await table.locator(".history-item").nth(k).locator("th").textContent())?.match(/\d+/)?.[0])));
      expect(await table.locator(".history-item").nth(1).textContent()).toMatch(/Jānis Bērziņš/);

      // The repository's revision (A) against the latest (B): both editors' words added.
      await page.getByLabel(`A: versija ${repository}`).check();
      const diff = page.locator("#editor-diff");
      await expect.poll(() => diff.textContent()).toMatch(new RegExp(`versija ${repository} \\(A\\) → versija ${latest} \\(B\\)`));
      const text = (await diff.textContent()) ?? "";
      expect(text).toMatch(/Pievienota \d+\. rinda: \d+\+\s*- flamingo zilonis/);
      expect(text).toMatch(/Pievienota \d+\. rinda: \d+\+\s*- kengurs pingvīns/);
      expect(text).toMatch(/pievienotas rindas: 2, izņemtas: 0/);
      // The other way round: the latest (A) against Ieva's (B) removes Jānis's word.
      await page.getByLabel(`A: versija ${latest}`).check();
      await page.getByLabel(`B: versija ${ievas}`).check();
      await expect.poll(() => diff.textContent()).toMatch(/Izņemta \d+\. rinda: \d+−\s*- kengurs pingvīns/);
      expect(await diff.textContent()).toMatch(/pievienotas rindas: 0, izņemtas: 1/);
      await shot(page, "history", "#editor-diff");

      await table.locator(".history-item").nth(2).getByRole("button", { name: /Atjaunot šo versiju/ }).click();
      await expect.poll(() => residentAsks("kengurs pingvīns"), { timeout: 5000 }).toMatch(NOT_KNOWN);
      expect(await residentAsks("flamingo zilonis")).toMatch(/📘/);
      await expect.poll(() => table.locator(".history-item").count()).toBe(5);
      expect(await table.locator(".history-item").nth(1).textContent()).toMatch(new RegExp(`atjaunots · restored revision ${ievas}`));
      expect(await editorText(page)).not.toContain("kengurs pingvīns");
    });
  }, 240_000);

  it("edits holidays.yaml from Instrukcijas with the check's error at its line", async () => {
    await asEditor(JANIS, "holidays", async (page) => {
      await page.getByRole("link", { name: "Instrukcijas" }).first().click();
      await page.getByRole("link", { name: "Labot holidays.yaml" }).click();
      await page.getByRole("heading", { name: "Dati: holidays.yaml" }).waitFor();
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);
      // Good Friday 2026 left out: refused, at the holidays list's line.
      const published = (await running().contentStore.latest("knowledge/holidays.yaml"))?.text ?? "";
      const holidaysLine = published.split("\n").indexOf("holidays:") + 1;
      expect(holidaysLine).toBeGreaterThan(1);
      await page.locator("#editor-host >> .cm-line", { hasText: "date: 2026-04-03" }).click({ clickCount: 3 });
      await page.keyboard.press("Backspace");
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/Kļūdas: 1/);
      expect(await editorText(page)).not.toContain("date: 2026-04-03");
      expect(await checkText(page)).toMatch(new RegExp(`${holidaysLine}\\. rinda 2026: 2026-04-03 \\(Good Friday\\) is missing`));
      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => page.locator("#editor-check").textContent()).toMatch(/Publicēt nevar|Kļūdas/);
      await shot(page, "holidays-error", "#editor-check");
      await page.locator("#editor-host >> .cm-line", { hasText: /^holidays:$/ }).click();
      await page.keyboard.press("Control+z");
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);

      await addLineBelow(page, "holidays:", "  # Pārbaudīts pret likumu 2026. gada decembrī.");
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/kļūdu nav/);
      await page.getByRole("button", { name: "Publicēt", exact: true }).click();
      await expect.poll(() => checkText(page), { timeout: STEP_MS }).toMatch(/Publicēts/);
      await shot(page, "holidays-published", "#editor-check");
      const history = await running().contentStore.history("knowledge/holidays.yaml");
      expect(history[0]).toMatchObject({ source: "editor", author: "Jānis Bērziņš" });
      expect(history[0]?.text).toContain("  # Pārbaudīts pret likumu 2026. gada decembrī.");
      expect(history[0]?.text).toContain("date: 2026-04-03");
    });
  }, 240_000);
});
