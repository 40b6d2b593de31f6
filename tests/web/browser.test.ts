/**
 * The web chat and the widget in a real browser (system Chromium through playwright-core),
 * against the in-process app with the shipped guides and flows.
 *
 * The conversation tests share one page and run in order, as a resident would: open, ask,
 * press a button, switch language, reload. Screenshots for a look by eye are written to
 * test-artifacts/web-chat-phone.png and test-artifacts/web-chat-desktop.png.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { browserSuite, DESKTOP, PHONE, STEP_MS } from "../support/app-and-browser.js";
import { answerTo, bots, chatReady, openChat as openChatAt } from "../support/chat-page.js";
import { ifAssigned } from "../support/must.js";

// The callbacks given to page.evaluate() run in the browser. The project is type-checked
// without the DOM library, so the little of the DOM they use is declared here.
interface DomNode {
  readonly id: string;
  readonly hidden: boolean;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  readonly shadowRoot?: { readonly activeElement: DomNode | null } | null;
  getBoundingClientRect(): { readonly left: number; readonly width: number; readonly height: number };
  closest(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}
declare const document: {
  readonly documentElement: DomNode & {
    readonly lang: string;
    readonly dataset: Readonly<Record<string, string | undefined>>;
    readonly scrollWidth: number;
    readonly clientWidth: number;
  };
  readonly body: DomNode;
  readonly activeElement: DomNode | null;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode> & Iterable<DomNode>;
};
declare function getComputedStyle(node: DomNode): { readonly fontSize: string };
declare const window: { readonly DigiPaligs?: unknown };

const suite = browserSuite();
const baseUrl = () => suite.app().url;
const newContext = suite.newContext;
const openChat = (context: BrowserContext, query = "?lang=lv") => openChatAt(context, `${baseUrl()}/${query}`);

async function ask(page: Page, label: string | RegExp, question: string): Promise<string> {
  return answerTo(page, async () => {
    await page.getByRole("textbox", { name: label }).fill(question);
    await page.keyboard.press("Enter");
  });
}

/** The resident's messages, as shown (without the hidden "You:" prefix). */
async function residentMessages(page: Page): Promise<string[]> {
  return page.locator("#messages .msg-user .bubble").allTextContents();
}

describe("the web chat page", () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await newContext(DESKTOP);
  });
  afterAll(async () => {
    await ifAssigned(context)?.close();
  });

  it("opens with a greeting and the main-menu buttons", async () => {
    page = await openChat(context);
    expect(await page.getAttribute("html", "lang")).toBe("lv");
    expect(await page.title()).toContain("DigiPalīgs");
    const log = page.getByRole("log");
    expect(await log.getAttribute("aria-live")).toBe("polite");
    await bots(page).first().waitFor();
    const greeting = await bots(page).first().innerText();
    expect(greeting.length).toBeGreaterThan(20);
    const menu = bots(page).last().locator(".choice");
    expect(await menu.count()).toBeGreaterThanOrEqual(3);
    const size = await menu.first().evaluate((node: DomNode) => ({
      height: node.getBoundingClientRect().height,
      font: parseFloat(getComputedStyle(node).fontSize),
    }));
    expect(size.height).toBeGreaterThanOrEqual(48);
    expect(size.font).toBeGreaterThanOrEqual(18);
    await page.getByRole("textbox", { name: "Jūsu jautājums" }).waitFor();
    await page.getByRole("button", { name: "Sūtīt", exact: true }).waitFor();
    // The action bar (its emoji are hidden from screen readers, so the names are exact).
    await page.getByRole("button", { name: "Galvenā izvēlne", exact: true }).waitFor();
    await page.getByRole("button", { name: "Runāt ar cilvēku", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: /^LV/ }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("banner").getByRole("heading", { name: "DigiPalīgs" }).waitFor();
    // axe-core: the page as it opens.
    expect(await axeViolations(page)).toEqual([]);
  });

  it("answers a typed question about water e-invoices and keeps the focus in the input", async () => {
    const question = "Kā saņemt e-rēķinu par ūdeni?";
    const answer = await ask(page, "Jūsu jautājums", question);
    expect(answer).toMatch(/rēķin/i);
    expect((await residentMessages(page)).at(-1)).toBe(question);
    const input = page.getByRole("textbox", { name: "Jūsu jautājums" });
    expect(await input.inputValue()).toBe("");
    expect(await input.evaluate((node) => node === document.activeElement)).toBe(true);
    // Bot text is never HTML; web addresses become safe links that open in a new tab.
    const links = bots(page).last().locator("a[href^='http']");
    if ((await links.count()) > 0) {
      expect(await links.first().getAttribute("rel")).toBe("noopener noreferrer");
      expect(await links.first().getAttribute("target")).toBe("_blank");
    }
    // axe-core: after a question and its answer.
    expect(await axeViolations(page)).toEqual([]);
  });

  it("answers a pressed reply button and shows its label as the resident's message", async () => {
    const button = bots(page).filter({ has: page.locator(".choice") }).last().locator(".choice").first();
    const label = (await button.textContent()) ?? "";
    expect(label).not.toBe("");
    const answer = await answerTo(page, () => button.click());
    expect(answer.trim().length).toBeGreaterThan(0);
    expect((await residentMessages(page)).at(-1)).toBe(label);
    // axe-core: after a pressed button (older buttons are quieter).
    expect(await axeViolations(page)).toEqual([]);
  });

  it("switches to English: <html lang>, the page's own texts and the replies", async () => {
    const before = await bots(page).count();
    await answerTo(page, () => page.getByRole("button", { name: /^EN/ }).click());
    // The bot's texts (not the buttons, which may name every language) are in English now.
    const texts = (await bots(page).locator(".bubble").allTextContents()).slice(before).join("\n");
    expect(texts).toMatch(/[a-z]{3}/i);
    expect(texts).not.toMatch(/[а-яё]|[āčēģīķļņšūž]/i);
    await page.waitForFunction(() => document.documentElement.lang === "en", undefined, { timeout: STEP_MS });
    expect(await page.getByRole("button", { name: /^EN/ }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("button", { name: /^LV/ }).getAttribute("aria-pressed")).toBe("false");
    await page.getByRole("button", { name: "Send", exact: true }).waitFor();
    const answer = await ask(page, "Your question", "How do I get e-invoices for water?");
    expect(answer).toMatch(/invoice/i);
  });

  it("still shows the conversation after a reload", async () => {
    const before = await residentMessages(page);
    const botsBefore = await bots(page).count();
    await page.reload();
    await chatReady(page);
    expect(await residentMessages(page)).toEqual(before);
    expect(await bots(page).count()).toBe(botsBefore);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(before).toContain("Kā saņemt e-rēķinu par ūdeni?");
  });
});

describe("the web chat's layout", () => {
  it("fits a phone: large one-per-row buttons, no sideways scrolling (screenshot)", async () => {
    const context = await newContext(PHONE);
    try {
      const page = await openChat(context);
      await ask(page, "Jūsu jautājums", "Kā saņemt e-rēķinu par ūdeni?");
      const layout = await page.evaluate(() => {
        const choices = [...document.querySelectorAll("#messages .choice")];
        // Short answers (👍 / 👎) share a row; every other button has a row of its own.
        const boxes = choices.filter((node) => !node.closest(".choice-row")).map((node) => node.getBoundingClientRect());
        const pair = [...document.querySelectorAll("#messages .choice-row")].at(-1)?.querySelectorAll(".choice").length ?? 0;
        return {
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          lefts: new Set(boxes.map((b) => Math.round(b.left))).size,
          pair,
          minHeight: Math.min(...boxes.map((b) => b.height)),
          font: Math.min(...choices.map((node) => parseFloat(getComputedStyle(node).fontSize))),
          base: parseFloat(getComputedStyle(document.body).fontSize),
        };
      });
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(layout.lefts).toBe(1);
      expect(layout.pair).toBe(2);
      expect(layout.minHeight).toBeGreaterThanOrEqual(48);
      expect(layout.font).toBeGreaterThanOrEqual(18);
      expect(layout.base).toBeGreaterThanOrEqual(18);
      await suite.screenshot(page, "web-chat-phone");
      // The end of the answer: the feedback question with 👍 / 👎 side by side, then the other buttons.
      await page.locator("#messages .choice-row").last().scrollIntoViewIfNeeded();
      await suite.screenshot(page, "web-chat-phone-buttons");
      // axe-core: on a phone, after a question.
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("sits in a readable column on a desktop (screenshot)", async () => {
    const context = await newContext(DESKTOP);
    try {
      const page = await openChat(context);
      await ask(page, "Jūsu jautājums", "Kā saņemt e-rēķinu par ūdeni?");
      const width = await page.locator("#messages").evaluate((node: DomNode) => node.getBoundingClientRect().width);
      expect(width).toBeLessThanOrEqual(900);
      await suite.screenshot(page, "web-chat-desktop");
    } finally {
      await context.close();
    }
  });
});

describe("the embeddable widget", () => {
  it("opens a panel with the chat in an iframe and closes on Escape, returning the focus", async () => {
    const context = await newContext(DESKTOP);
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl()}/static/embed-example.html`);
      const launcher = page.getByRole("button", { name: /Atvērt DigiPalīgu/ });
      await launcher.waitFor();
      expect(await launcher.getAttribute("aria-expanded")).toBe("false");
      // Nothing is loaded from the chat until the resident opens it.
      expect(await page.locator("iframe").count()).toBe(0);

      await launcher.click();
      const panel = page.getByRole("dialog", { name: "DigiPalīgs" });
      await panel.waitFor();
      const iframe = panel.locator("iframe");
      const src = new URL((await iframe.getAttribute("src")) ?? "", baseUrl());
      expect(src.searchParams.get("embed")).toBe("1");
      expect(src.searchParams.get("lang")).toBe("lv");
      const frame = await (await iframe.elementHandle()).contentFrame();
      if (!frame) throw new Error("no iframe content");
      await chatReady(frame);
      await frame.locator("#messages .msg-bot").first().waitFor();
      // axe-core: the page with the widget's panel open.
      expect(await axeViolations(page)).toEqual([]);
      expect(await frame.evaluate(() => document.documentElement.classList.contains("embed"))).toBe(true);

      // The question field inside the iframe gets the focus; Escape there closes the panel.
      await frame.waitForFunction(() => document.activeElement?.id === "message-input", undefined, { timeout: STEP_MS });
      await page.keyboard.press("Escape");
      await panel.waitFor({ state: "hidden" });
      const toggle = page.getByRole("button", { name: /DigiPalīgu/ });
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      await page.waitForFunction(
        () => document.querySelector("[data-digipaligs]")?.shadowRoot?.activeElement?.classList.contains("digipaligs-launcher") === true,
        undefined,
        { timeout: STEP_MS },
      );

      // The host page gets one element and one global, and none of the widget's styles.
      const host = await page.evaluate(() => ({
        elements: document.querySelectorAll("[data-digipaligs]").length,
        styles: document.querySelectorAll("style").length,
        global: typeof window.DigiPaligs,
      }));
      expect(host).toEqual({ elements: 1, styles: 1, global: "object" });
    } finally {
      await context.close();
    }
  });
});
