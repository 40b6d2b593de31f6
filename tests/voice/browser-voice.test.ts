/**
 * Speech in the web chat in a real browser: Chromium's fake microphone plays a Latvian sentence
 * made with espeak-ng; the page records it with MediaRecorder, sends it, shows "Sapratu" and the
 * answer, and "🔊" gives a playable audio element. axe-core checks the page with both buttons.
 * A screenshot is written to test-artifacts/web-chat-voice.png.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite } from "../support/app-and-browser.js";
import { axeViolations } from "../support/axe.js";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { spokenAudio } from "../support/speech-audio.js";
import { must } from "../support/must.js";

const LV = "Kā saņemt e-rēķinu par ūdeni?";
const STEP_MS = 15_000;

// Callbacks given to page.evaluate() run in the browser (the project has no DOM types).
interface AudioNode { readonly src: string; readonly duration: number; readonly readyState: number; readonly error: unknown }
declare const document: { querySelector(selector: string): AudioNode | null };

let speech: FakeSpeechServer | undefined;
let dir: string | undefined;
const suite = browserSuite({
  app: async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "digipaligs-voice-"));
    await writeFile(path.join(dir, "question.wav"), await spokenAudio(LV, "lv", "wav"));
    speech = await FakeSpeechServer.start();
    speech.fallbackText = LV;
    speech.speechAudio = await spokenAudio("Lai saņemtu e-rēķinu, atveriet sava pakalpojuma sniedzēja lapu.", "lv", "ogg");
    return { env: { STT_BASE_URL: speech.url, TTS_BASE_URL: speech.url } };
  },
  browserArgs: () => ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${path.join(dir ?? "", "question.wav")}`, "--autoplay-policy=no-user-gesture-required"],
  stepMs: STEP_MS,
  teardown: async () => {
    await speech?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  },
});

describe("speech in the web chat (Chromium with a fake microphone)", () => {
  let context: BrowserContext | undefined;
  let page: Page;
  /** The recordings sent before the one cancelled with Escape. */
  let sentBeforeCancel = 0;

  beforeAll(async () => {
    const app = suite.app();
    context = await suite.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(["microphone"], { origin: app.url });
    page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByText(/Labdien! Esmu DigiPalīgs/).waitFor({ timeout: STEP_MS });
  });
  afterAll(async () => {
    await context?.close();
  });

  it("records a question, sends it and shows what it understood and the answer", async () => {
    const mic = page.getByRole("button", { name: "Ierunāt jautājumu" });
    await mic.waitFor({ timeout: STEP_MS });
    expect(await mic.getAttribute("aria-pressed")).toBe("false");
    await mic.click();
    const stop = page.getByRole("button", { name: "Beigt un nosūtīt" });
    await stop.waitFor({ timeout: STEP_MS });
    expect(await stop.getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("status").filter({ hasText: /Ieraksta… 0:0[2-9]/ }).waitFor({ timeout: STEP_MS });
    await stop.click();
    await page.locator(".msg-user").filter({ hasText: "🎤 Balss ziņa" }).waitFor({ timeout: STEP_MS });
    await page.getByText(`🎤 Sapratu: «${LV}»`).waitFor({ timeout: STEP_MS });
    await page.locator(".msg-bot").filter({ hasText: /E-rēķin/ }).last().waitFor({ timeout: STEP_MS });
    const [call] = must(speech, "the fake speech server").calls("transcriptions");
    expect(call?.fields.language).toBe("lv");
    expect(call?.file?.type).toBe("audio/webm");
    // A real WebM recording (EBML header), seconds of it.
    expect(call?.file?.bytes.subarray(0, 4).toString("hex")).toBe("1a45dfa3");
    expect(call?.file?.bytes.length).toBeGreaterThan(2000);
    expect(await mic.getAttribute("aria-pressed")).toBe("false");
  });

  it("plays an answer with 🔊 in an audio element", async () => {
    const listen = page.getByRole("button", { name: "🔊 Noklausīties" }).last();
    await listen.waitFor({ timeout: STEP_MS });
    await listen.click();
    await page.locator("audio.listen-player").waitFor({ timeout: STEP_MS });
    await page.waitForFunction(() => (document.querySelector("audio.listen-player")?.readyState ?? 0) >= 1, undefined, { timeout: STEP_MS });
    const audio = await page.evaluate(() => {
      const a = document.querySelector("audio.listen-player");
      return { src: a?.src ?? "", duration: a?.duration ?? 0, error: a?.error ?? null };
    });
    expect(audio.src).toMatch(/^blob:/);
    expect(audio.error).toBeNull();
    expect(audio.duration).toBeGreaterThan(1);
    expect(must(speech, "the fake speech server").calls("speech")).toHaveLength(1);
    await suite.screenshot(page, "web-chat-voice");
  });

  it("starts with the keyboard and cancels with Escape, saying so", async () => {
    sentBeforeCancel = must(speech, "the fake speech server").calls("transcriptions").length;
    const mic = page.getByRole("button", { name: "Ierunāt jautājumu" });
    await mic.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Beigt un nosūtīt" }).waitFor({ timeout: STEP_MS });
    await page.keyboard.press("Escape");
    await page.getByRole("status").filter({ hasText: "Ieraksts atcelts." }).waitFor({ timeout: STEP_MS });
  });

  it("records while the button is held and sends when it is let go (and never sent the cancelled one)", async () => {
    const bubbles = await page.locator(".msg-user").count();
    const understood = await page.getByText(/🎤 Sapratu/).count();
    const mic = page.getByRole("button", { name: "Ierunāt jautājumu" });
    await mic.hover();
    await page.mouse.down();
    await page.getByRole("button", { name: "Beigt un nosūtīt" }).waitFor({ timeout: STEP_MS });
    await page.getByRole("status").filter({ hasText: /Ieraksta… 0:0[1-9]/ }).waitFor({ timeout: STEP_MS });
    await page.mouse.up();
    await expect.poll(() => page.locator(".msg-user").count(), { timeout: STEP_MS }).toBe(bubbles + 1);
    // The answer to this recording is the barrier: a cancelled recording would have been sent before it.
    await expect.poll(() => page.getByText(/🎤 Sapratu/).count(), { timeout: STEP_MS }).toBe(understood + 1);
    expect(must(speech, "the fake speech server").calls("transcriptions").length).toBe(sentBeforeCancel + 1);
    await page.getByRole("button", { name: "Ierunāt jautājumu" }).waitFor({ timeout: STEP_MS });
  });

  it("still offers 🔊 on answers after a reload", async () => {
    await page.reload();
    await page.getByRole("button", { name: "🔊 Noklausīties" }).first().waitFor({ timeout: STEP_MS });
    expect(await page.getByText(/🎤 Sapratu/).count()).toBeGreaterThan(0);
  });

  it("has no accessibility violations with the speech buttons (axe-core)", async () => {
    expect(await axeViolations(page)).toEqual([]);
  });
});
