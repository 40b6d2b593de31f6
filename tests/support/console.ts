/**
 * Shared steps of the browser tests: record what a page logs, open the staff console in a fresh
 * context and log in.
 */
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";

const logs = new WeakMap<Page | Frame, string[]>();

/** What a page logged as warnings or errors (and uncaught page errors), to explain a failure. */
export function consoleLog(page: Page | Frame): string[] {
  return logs.get(page) ?? [];
}

/** The uncaught errors of the page's scripts (`page error: …` lines of {@link consoleLog}). */
export function pageErrors(page: Page): string[] {
  return consoleLog(page).filter((line) => line.startsWith("page error"));
}

/** Starts recording the page's warnings, errors (less those matching `expected`) and uncaught errors. */
export function watchPage(page: Page, expected?: RegExp): void {
  const logged: string[] = [];
  logs.set(page, logged);
  page.on("pageerror", (error) => logged.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    const type = message.type();
    if (type === "warning" || (type === "error" && !expected?.test(message.text()))) logged.push(message.text());
  });
}

/** Opens `/staff` of `baseUrl` in a new context (Latvian locale, Riga time, no motion). */
export async function openConsole(browser: Browser, baseUrl: string, options: { viewport: { width: number; height: number }; stepMs: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport, locale: "lv-LV", timezoneId: "Europe/Riga", reducedMotion: "reduce" });
  context.setDefaultTimeout(options.stepMs);
  const page = await context.newPage();
  // A 401 from GET /api/staff/me before the login is expected; the browser logs it.
  watchPage(page, /status of 401/);
  await page.goto(`${baseUrl}/staff`);
  return { context, page };
}

/** Fills the login form and submits it. */
export async function logIn(page: Page, account: { username: string; password: string }): Promise<void> {
  await page.getByLabel("Lietotājvārds", { exact: true }).fill(account.username);
  await page.getByLabel("Parole", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Ienākt" }).click();
}
