/**
 * Shared steps of the staff console's browser tests: open the console in a fresh context that
 * records what the page logs, and log in.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";

const logs = new WeakMap<Page, string[]>();

/** What a page logged as warnings or errors (and uncaught page errors), to explain a failure. */
export function consoleLog(page: Page): string[] {
  return logs.get(page) ?? [];
}

/** Opens `/staff` of `baseUrl` in a new context (Latvian locale, Riga time, no motion). */
export async function openConsole(browser: Browser, baseUrl: string, options: { viewport: { width: number; height: number }; stepMs: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport, locale: "lv-LV", timezoneId: "Europe/Riga", reducedMotion: "reduce" });
  context.setDefaultTimeout(options.stepMs);
  const page = await context.newPage();
  const logged: string[] = [];
  logs.set(page, logged);
  page.on("pageerror", (error) => logged.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A 401 from GET /api/staff/me before the login is expected; the browser logs it.
    if (message.type() === "warning" || (message.type() === "error" && !/status of 401/.test(message.text()))) logged.push(message.text());
  });
  await page.goto(`${baseUrl}/staff`);
  return { context, page };
}

/** Fills the login form and submits it. */
export async function logIn(page: Page, account: { username: string; password: string }): Promise<void> {
  await page.getByLabel("Lietotājvārds", { exact: true }).fill(account.username);
  await page.getByLabel("Parole", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Ienākt" }).click();
}
