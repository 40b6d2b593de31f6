/**
 * One start for the browser suites: the test app and Chromium at once. When one of them fails,
 * the other is closed before the error is thrown, so a suite's afterAll only closes what it got.
 *
 * {@link browserSuite} is the fixture for a whole test file: the app and Chromium start once in
 * `beforeAll` and close in `afterAll`; the returned object opens contexts and pages on them, with
 * the defaults the suites share (Latvian locale, Riga time, no motion, a step time-out), and
 * writes screenshots.
 *
 * ```ts
 * const suite = browserSuite({ setup: (app) => app.staffAccounts.add(AGENT) });
 * it("…", async () => {
 *   const { page } = await suite.openConsole();
 *   await logIn(page, AGENT);
 *   await suite.screenshot(page, "queue");
 * });
 * ```
 * @module
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { ROOT } from "../helpers.js";
import { startTestApp, type TestAppOptions } from "./app.js";
import { launchBrowser, type LaunchedBrowser } from "./browser.js";
import { openConsole } from "./console.js";

/** The started test app. */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Starts the test app (with `options`) and a fresh browser (with `browserArgs`) in parallel. */
export async function startAppAndBrowser(options?: TestAppOptions, browserArgs?: readonly string[]): Promise<{ app: TestApp; launched: LaunchedBrowser }> {
  const [started, browser] = await Promise.allSettled([startTestApp(options), launchBrowser(browserArgs)]);
  if (started.status === "fulfilled" && browser.status === "fulfilled") return { app: started.value, launched: browser.value };
  if (started.status === "fulfilled") await started.value.close();
  if (browser.status === "fulfilled") await browser.value.close();
  throw started.status === "rejected" ? started.reason : (browser as PromiseRejectedResult).reason;
}

/** Where the screenshots for a look by eye go. */
export const ARTIFACTS = path.join(ROOT, "test-artifacts");
/** The longest wait for one step; a step normally takes well under a second. */
export const STEP_MS = 10_000;
/** The staff console's usual screen. */
export const LAPTOP = { width: 1366, height: 900 } as const;
/** A phone (the web chat's residents mostly use one). */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** A desktop browser window. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/** Options for {@link browserSuite}. */
export interface BrowserSuiteOptions {
  /** How the app starts (or a function giving that once `beforeAll` runs, e.g. after a fake server started). */
  readonly app?: TestAppOptions | (() => Promise<TestAppOptions>);
  /** Extra Chromium switches (e.g. a fake microphone). */
  readonly browserArgs?: readonly string[] | (() => readonly string[]);
  /** Runs once both are up (accounts, seeded conversations). */
  readonly setup?: (app: TestApp) => Promise<unknown>;
  /** Runs after the app and browser closed (fake servers, temporary folders). */
  readonly teardown?: () => Promise<unknown>;
  /** The step time-out of new contexts; {@link STEP_MS} by default. */
  readonly stepMs?: number;
}

/** What a browser test file uses of its app and browser. */
export interface BrowserSuite {
  /** The running app (throws when it did not start). */
  readonly app: () => TestApp;
  /** The running browser (throws when it did not start). */
  readonly browser: () => Browser;
  /** A new context (no stored session) with the shared defaults and `options` on top. */
  readonly newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** `/staff` in a new context whose page records what it logs (see `consoleLog`). */
  readonly openConsole: (options?: { viewport?: { width: number; height: number }; stepMs?: number }) => Promise<{ context: BrowserContext; page: Page }>;
  /** Writes `test-artifacts/<name>.png`. */
  readonly screenshot: (page: Page, name: string, options?: { fullPage?: boolean }) => Promise<void>;
}

/** Registers `beforeAll`/`afterAll` that start and close one app and one browser for the file. */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let app: TestApp | undefined;
  let launched: LaunchedBrowser | undefined;
  const stepMs = options.stepMs ?? STEP_MS;

  beforeAll(async () => {
    const appOptions = typeof options.app === "function" ? await options.app() : options.app;
    const args = typeof options.browserArgs === "function" ? options.browserArgs() : options.browserArgs;
    await mkdir(ARTIFACTS, { recursive: true });
    ({ app, launched } = await startAppAndBrowser(appOptions, args));
    await options.setup?.(app);
  }, 180_000);

  afterAll(async () => {
    await launched?.close();
    await app?.close();
    await options.teardown?.();
  });

  const suite: BrowserSuite = {
    app: () => {
      if (!app) throw new Error("the test app did not start");
      return app;
    },
    browser: () => {
      if (!launched) throw new Error("the browser did not start");
      return launched.browser;
    },
    newContext: async (contextOptions = {}) => {
      const context = await suite.browser().newContext({ reducedMotion: "reduce", locale: "lv-LV", timezoneId: "Europe/Riga", ...contextOptions });
      context.setDefaultTimeout(stepMs);
      return context;
    },
    openConsole: (consoleOptions = {}) => {
      return openConsole(suite.browser(), suite.app().url, { viewport: consoleOptions.viewport ?? LAPTOP, stepMs: consoleOptions.stepMs ?? stepMs });
    },
    screenshot: async (page, name, shotOptions = {}) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), ...shotOptions });
    },
  };
  return suite;
}
