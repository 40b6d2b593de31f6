/**
 * Speech in the web chat in a real browser: Chromium's fake microphone plays a Latvian sentence
 * made with espeak-ng; the page records it with MediaRecorder, sends it, shows "Sapratu" and the
 * answer, and "🔊" gives a playable audio element. axe-core checks the page with both buttons.
 * A screenshot is written to test-artifacts/web-chat-voice.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";
import { startTestApp } from "../support/app.js";
import { launchBrowser, type LaunchedBrowser } from "../support/browser.js";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { spokenAudio } from "../support/speech-audio.js";

const LV = "Kā saņemt e-rēķinu par ūdeni?";
const STEP_MS = 15_000;

// Callbacks given to page.evaluate() run in the browser (the project has no DOM types).
interface AudioNode { readonly src: string; readonly duration: number; readonly readyState: number; readonly error: unknown }
declare const document: { querySelector(selector: string): AudioNode | null };
declare const axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };

describe("speech in the web chat (Chromium with a fake microphone)", () => {
  let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let speech: FakeSpeechServer | undefined;
  let launched: LaunchedBrowser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let dir: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "digipaligs-voice-"));
    const wav = path.join(dir, "question.wav");
    await writeFile(wav, await spokenAudio(LV, "lv", "wav"));
    speech = await FakeSpeechServer.start();
    speech.fallbackText = LV;
    speech.speechAudio = await spokenAudio("Lai saņemtu e-rēķinu, atveriet sava pakalpojuma sniedzēja lapu.", "lv", "ogg");
    [app, launched] = await Promise.all([
      startTestApp({ env: { STT_BASE_URL: speech.url, TTS_BASE_URL: speech.url } }),
      launchBrowser(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`, "--autoplay-policy=no-user-gesture-required"]),
    ]);
    context = await launched.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "lv-LV", reducedMotion: "reduce" });
    await context.grantPermissions(["microphone"], { origin: app.url });
    page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByText(/Labdien! Esmu DigiPalīgs/).waitFor({ timeout: STEP_MS });
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await launched?.close();
    await app?.close();
    await speech?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
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
    const [call] = speech!.calls("transcriptions");
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
    expect(speech!.calls("speech")).toHaveLength(1);
    await mkdir(path.join(ROOT, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "test-artifacts", "web-chat-voice.png"), fullPage: false });
  });

  it("starts with the keyboard and cancels with Escape, saying so", async () => {
    const before = speech!.calls("transcriptions").length;
    const mic = page.getByRole("button", { name: "Ierunāt jautājumu" });
    await mic.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Beigt un nosūtīt" }).waitFor({ timeout: STEP_MS });
    await page.keyboard.press("Escape");
    await page.getByRole("status").filter({ hasText: "Ieraksts atcelts." }).waitFor({ timeout: STEP_MS });
    await page.waitForTimeout(500);
    expect(speech!.calls("transcriptions").length).toBe(before);
  });

  it("records while the button is held and sends when it is let go", async () => {
    const before = speech!.calls("transcriptions").length;
    const bubbles = await page.locator(".msg-user").count();
    const mic = page.getByRole("button", { name: "Ierunāt jautājumu" });
    await mic.hover();
    await page.mouse.down();
    await page.getByRole("button", { name: "Beigt un nosūtīt" }).waitFor({ timeout: STEP_MS });
    await page.getByRole("status").filter({ hasText: /Ieraksta… 0:0[1-9]/ }).waitFor({ timeout: STEP_MS });
    await page.mouse.up();
    await expect.poll(() => page.locator(".msg-user").count(), { timeout: STEP_MS }).toBe(bubbles + 1);
    await expect.poll(() => speech!.calls("transcriptions").length, { timeout: STEP_MS }).toBe(before + 1);
    await page.getByRole("button", { name: "Ierunāt jautājumu" }).waitFor({ timeout: STEP_MS });
  });

  it("still offers 🔊 on answers after a reload", async () => {
    await page.reload();
    await page.getByRole("button", { name: "🔊 Noklausīties" }).first().waitFor({ timeout: STEP_MS });
    expect(await page.getByText(/🎤 Sapratu/).count()).toBeGreaterThan(0);
  });

  it("has no accessibility violations with the speech buttons (axe-core)", async () => {
    // Evaluated over the DevTools protocol: the page's Content-Security-Policy stays on.
    await page.evaluate(readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
    const result = await page.evaluate(() => axe.run());
    expect(result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
