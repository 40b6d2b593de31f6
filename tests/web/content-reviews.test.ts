/**
 * "The repository has a newer version of X: review" in the console (/staff, "Instrukcijas"), in
 * a real browser. Editors published two guides; a deploy then brought newer repository versions
 * of both, which were not imported over the editors' revisions. The editor keeps their own
 * version of one and accepts the repository's of the other; residents get what was chosen.
 * Screenshots: test-artifacts/content-reviews*.png.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.js";
import { ROOT } from "../helpers.js";
import { axeViolations } from "../support/axe.js";
import { startAppAndBrowser, type TestApp } from "../support/app-and-browser.js";
import { startTestApp } from "../support/app.js";
import type { LaunchedBrowser } from "../support/browser.js";
import { consoleLog, logIn, openConsole } from "../support/console.js";
import { must } from "../support/must.js";

const ARTIFACTS = path.join(ROOT, "test-artifacts");
const STEP_MS = 20_000;
const EDITOR = { username: "ieva.editor", password: "Saturs-2026-redaktors", displayName: "Ieva Kalniņa", role: "editor" as const };
const NOT_KNOWN = /Atvainojiet, par šo es vēl nezinu/;
/** The two guides, the editor's word and the repository's newer word in each. */
const KEPT = { path: "knowledge/lv/meter-readings.md", editor: "zilonis flamingo", repository: "kengurs pingvīns" };
const ACCEPTED = { path: "knowledge/lv/municipal-application.md", editor: "žirafe kolibri", repository: "bizons lama" };

let dir: string;
let db: Database | undefined;
let app: TestApp | undefined;
let launched: LaunchedBrowser | undefined;

const withKeyword = (text: string, word: string) => text.replace("keywords:\n", `keywords:\n  - ${word}\n`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "digipaligs-reviews-"));
  await cp(path.join(ROOT, "knowledge"), path.join(dir, "knowledge"), { recursive: true });
  await cp(path.join(ROOT, "flows"), path.join(dir, "flows"), { recursive: true });
  db = await openDatabase({ kind: "pglite" });
  const options = { database: db, env: { KNOWLEDGE_DIR: path.join(dir, "knowledge"), FLOWS_DIR: path.join(dir, "flows") } };
  // The first start imports the repository; an editor publishes both guides.
  const first = await startTestApp(options);
  try {
    await first.staffAccounts.add(EDITOR);
    for (const guide of [KEPT, ACCEPTED]) {
      const latest = await first.contentStore.latest(guide.path);
      await first.contentStore.publish([{ path: guide.path, text: withKeyword(latest?.text ?? "", guide.editor), baseRevision: latest?.id ?? null }], { author: { name: EDITOR.displayName }, source: "editor" });
    }
  } finally {
    await first.close();
  }
  // A deploy with newer repository versions of both files.
  for (const guide of [KEPT, ACCEPTED]) {
    const file = path.join(dir, guide.path);
    await writeFile(file, withKeyword(await readFile(file, "utf8"), guide.repository));
  }
  ({ app, launched } = await startAppAndBrowser(options));
  await mkdir(ARTIFACTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await launched?.close();
  await app?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

async function residentAsks(text: string): Promise<string> {
  const a = must(app, "the app");
  const chat = (await (await fetch(`${a.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  const res = await fetch(`${a.url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

describe("newer repository versions waiting for an editor's review", () => {
  it("keeps the editor's version of one guide and accepts the repository's of the other from Instrukcijas", async () => {
    const a = must(app, "the app");
    expect(a.content.status.reviews.map((r) => r.path)).toEqual([KEPT.path, ACCEPTED.path].sort());
    expect(await residentAsks(KEPT.repository)).toMatch(NOT_KNOWN);
    expect(await residentAsks(ACCEPTED.editor)).toMatch(/📘/);
    const { context, page } = await openConsole(must(launched, "the browser").browser, a.url, { viewport: { width: 1400, height: 1000 }, stepMs: STEP_MS });
    try {
      await logIn(page, EDITOR);
      await page.getByRole("link", { name: "Instrukcijas" }).first().click();
      const reviews = page.locator("#content-status .reviews");
      await expect.poll(() => reviews.textContent(), { timeout: STEP_MS }).toMatch(/Repozitorijā ir jaunāka versija 2 failiem/);
      const item = (file: string) => reviews.locator("li", { has: page.getByRole("link", { name: file, exact: true }) });
      expect(await item(KEPT.path).getByRole("link").getAttribute("href")).toBe("#redaktors/guide/lv/meter-readings");
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-reviews.png") });

      await item(KEPT.path).getByRole("button", { name: "Paturēt redaktora versiju" }).click();
      await expect.poll(() => reviews.textContent(), { timeout: STEP_MS }).toMatch(/Repozitorijā ir jaunāka versija 1 failam/);
      expect(await item(KEPT.path).count()).toBe(0);
      expect(await residentAsks(KEPT.editor)).toMatch(/📘/);
      expect(await residentAsks(KEPT.repository)).toMatch(NOT_KNOWN);

      await item(ACCEPTED.path).getByRole("button", { name: "Pieņemt repozitorija versiju" }).click();
      await expect.poll(() => page.locator("#content-status .reviews").count(), { timeout: STEP_MS }).toBe(0);
      await expect.poll(() => residentAsks(ACCEPTED.repository), { timeout: 5000 }).toMatch(/📘/);
      expect(await residentAsks(ACCEPTED.editor)).toMatch(NOT_KNOWN);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "content-reviews-done.png") });
      expect((await a.contentStore.history(ACCEPTED.path))[0]).toMatchObject({ source: "repository", author: EDITOR.displayName, note: "repository version accepted" });
      expect(consoleLog(page).filter((l) => !l.includes("favicon"))).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, "content-reviews-failure.png"), fullPage: true });
      throw new Error(`${String(error)}\nconsole: ${consoleLog(page).join("\n")}`, { cause: error });
    } finally {
      await context.close();
    }
  }, 240_000);
});
