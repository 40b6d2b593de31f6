/**
 * Starts the system Chromium through playwright-core for browser tests, with a fresh profile
 * in a temporary folder that is removed again on close.
 *
 * Playwright's `launch()` refuses a `--user-data-dir` argument (it always passes its own
 * temporary profile). To pass ours, every default argument is switched off
 * (`ignoreDefaultArgs: true`) and the few that Playwright needs to drive the browser are
 * passed here, together with a handful of its defaults that keep runs quiet and repeatable.
 * @module
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Where the browser is; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The switches for a headless, offline-friendly run without first-run or background traffic. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What Playwright needs with `ignoreDefaultArgs: true`, and defaults worth keeping. */
const PLAYWRIGHT_FLAGS: readonly string[] = [
  "--remote-debugging-pipe", // Playwright talks to the browser over a pipe
  "--no-startup-window", // contexts and pages are made by the test
  "--disable-dev-shm-usage", // containers have a small /dev/shm
  "--disable-extensions",
  "--disable-default-apps",
  "--no-default-browser-check",
  "--disable-breakpad",
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
  "--disable-renderer-backgrounding",
  // Playwright's own feature switches (chromiumSwitches.ts), less the Edge-only ones:
  "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,Translate",
  "--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies",
  "--password-store=basic",
  "--use-mock-keychain",
  "--force-color-profile=srgb",
  "--mute-audio",
  "--hide-scrollbars",
  // Headless Chromium has no pointer of its own: behave like a desktop with a mouse, as
  // Playwright's headless default does (media queries such as (pointer: fine) depend on it).
  "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
];

/** A running browser and its profile folder. */
export interface LaunchedBrowser {
  readonly browser: Browser;
  /** The fresh profile folder (gone after {@link LaunchedBrowser.close}). */
  readonly userDataDir: string;
  /** Closes the browser and removes the profile folder; safe to call twice. */
  close(): Promise<void>;
}

/** Launches Chromium headless with a fresh profile; `extraArgs` add switches (e.g. a fake microphone). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), "digipaligs-chromium-"));
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      ignoreDefaultArgs: true,
      args: [...CHROMIUM_FLAGS, ...PLAYWRIGHT_FLAGS, ...extraArgs, `--user-data-dir=${userDataDir}`],
      timeout: 30_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    browser,
    userDataDir,
    close() {
      closed ??= (async () => {
        try {
          await browser.close();
        } finally {
          // Chromium may still be writing for a moment after it exits: retry briefly.
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
        }
      })();
      return closed;
    },
  };
}
