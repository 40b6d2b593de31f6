/**
 * The resident's web chat page in the browser tests: open it, wait until it is ready, and act and
 * wait for the bot's answer, failing with the page's own notice (and what it logged) instead of a
 * bare time-out.
 * @module
 */
import type { BrowserContext, Frame, Page } from "playwright-core";
import { consoleLog, pageErrors, watchPage } from "./console.js";
import { STEP_MS } from "./app-and-browser.js";

// Callbacks given to evaluate() run in the browser; the project is type-checked without the DOM.
declare const document: {
  readonly documentElement: { readonly dataset: Readonly<Record<string, string | undefined>> };
  querySelector(selector: string): { readonly hidden: boolean } | null;
  querySelectorAll(selector: string): ArrayLike<unknown>;
};

/** Opens the chat at `url` (e.g. `${app.url}/?lang=lv`) in a new page and waits for its greeting. */
export async function openChat(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  watchPage(page);
  await page.goto(url);
  await chatReady(page);
  await bots(page).first().waitFor();
  const errors = pageErrors(page);
  if (errors.length > 0) throw new Error(`the chat page failed: ${errors.join(" | ")}`);
  return page;
}

/** Fails with the page's own error notice (and what it logged). */
async function failWithNotice(page: Page | Frame, what: string): Promise<never> {
  const notice = await page.locator("#notice-text").textContent();
  const logged = consoleLog(page);
  throw new Error(`${what}: the page says "${notice ?? ""}"${logged.length ? `; it logged: ${logged.join(" | ")}` : ""}`);
}

/** Waits until the chat has started and no message is on its way. */
export async function chatReady(page: Page | Frame): Promise<void> {
  await page.waitForFunction(() => ["ready", "error"].includes(document.documentElement.dataset.chat ?? ""), undefined, { timeout: STEP_MS });
  if ((await page.evaluate(() => document.documentElement.dataset.chat)) !== "ready") await failWithNotice(page, "the chat did not start");
}

/** The bot's messages on the page. */
export const bots = (page: Page | Frame) => page.locator("#messages .msg-bot");

/** Does `act` and waits for the bot's answer; returns the text of the new bot messages. */
export async function answerTo(page: Page, act: () => Promise<void>): Promise<string> {
  const before = await bots(page).count();
  await act();
  await page.waitForFunction(
    (n) => {
      const notice = document.querySelector("#notice");
      const failed = notice !== null && !notice.hidden;
      return failed || (document.documentElement.dataset.chat === "ready" && document.querySelectorAll("#messages .msg-bot").length > n);
    },
    before,
    { timeout: STEP_MS },
  );
  if (await page.locator("#notice").isVisible()) await failWithNotice(page, "no answer");
  const texts = await bots(page).evaluateAll((nodes: { readonly textContent: string | null }[], n: number) => nodes.slice(n).map((node) => node.textContent ?? ""), before);
  return texts.join("\n");
}
