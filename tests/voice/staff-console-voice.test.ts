/**
 * A resident's web chat voice message in the staff console (real Chromium): the transcript and
 * a player that fetches the recording only when played. Screenshot:
 * test-artifacts/staff-console-voice.png.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite } from "../support/app-and-browser.js";
import { axeViolations } from "../support/axe.js";
import { consoleLog, logIn } from "../support/console.js";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { spokenAudio } from "../support/speech-audio.js";

const STEP_MS = 15_000;
const QUESTION = "Kā saņemt e-rēķinu par ūdeni?";
const SAID = "Lūdzu, piezvaniet man rīt no rīta.";

// Callbacks given to page.evaluate() run in the browser (the project has no DOM types).
interface AudioNode { readonly src: string; readonly preload: string; readonly readyState: number; play(): Promise<void> }
declare const document: { querySelector(selector: string): AudioNode | null };

let speech: FakeSpeechServer | undefined;
let note: Buffer;
const suite = browserSuite({
  app: async () => {
    speech = await FakeSpeechServer.start();
    note = await spokenAudio(SAID, "lv", "webm");
    speech.learn(note, SAID);
    return { env: { STT_BASE_URL: speech.url } };
  },
  stepMs: STEP_MS,
  teardown: async () => speech?.close(),
});

describe("voice messages in the staff console", () => {
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    const app = suite.app();
    await app.staffAccounts.add({ username: "ilze-voice", password: "correct horse battery", displayName: "Ilze", role: "agent", centres: ["cenu-ozolnieku"] });
    // A web chat resident asks for a person, then speaks to the ticket.
    const s = (await (await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { id: string; token: string };
    const post = (body: unknown) => fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    await post({ text: QUESTION });
    for (const button of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes", "question:keep"]) await post({ button });
    const sent = await fetch(`${app.url}/api/chat/sessions/${s.id}/voice`, { method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "audio/webm" }, body: note });
    expect(sent.status).toBe(200);
    ({ context, page } = await suite.openConsole());
    await logIn(page, { username: "ilze-voice", password: "correct horse battery" });
  }, 30_000);
  afterAll(async () => {
    await context?.close();
  });

  it("shows the transcript with a player that loads the recording only when played", async () => {
    const fetched: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/attachment")) fetched.push(request.url());
    });
    await page.getByRole("link").filter({ hasText: QUESTION }).first().click();
    await page.getByText(`🎤 ${SAID}`).first().waitFor({ timeout: STEP_MS });
    const player = page.locator("audio.msg-audio");
    await player.waitFor({ timeout: STEP_MS });
    expect(await player.getAttribute("aria-label")).toBe("Iedzīvotāja balss ziņa");
    expect(await page.evaluate(() => document.querySelector("audio.msg-audio")?.preload)).toBe("none");
    expect(fetched).toEqual([]);
    await page.evaluate(() => document.querySelector("audio.msg-audio")?.play().catch(() => undefined));
    await page.waitForFunction(() => (document.querySelector("audio.msg-audio")?.readyState ?? 0) >= 1, undefined, { timeout: STEP_MS });
    expect(fetched.length).toBeGreaterThan(0);
    // Decodable audio (metadata loaded); a browser's WebM carries no duration, so none is asserted.
    await suite.screenshot(page, "staff-console-voice");
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleLog(page)).toEqual([]);
  });
});
