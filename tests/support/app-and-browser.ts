/**
 * One start for the browser suites: the test app and Chromium at once. When one of them fails,
 * the other is closed before the error is thrown, so a suite's afterAll only closes what it got.
 */
import { startTestApp } from "./app.js";
import { launchBrowser, type LaunchedBrowser } from "./browser.js";

/** The started test app. */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Starts the test app (with `options`) and a fresh browser in parallel. */
export async function startAppAndBrowser(options?: Parameters<typeof startTestApp>[0]): Promise<{ app: TestApp; launched: LaunchedBrowser }> {
  const [started, browser] = await Promise.allSettled([startTestApp(options), launchBrowser()]);
  if (started.status === "fulfilled" && browser.status === "fulfilled") return { app: started.value, launched: browser.value };
  if (started.status === "fulfilled") await started.value.close();
  if (browser.status === "fulfilled") await browser.value.close();
  throw started.status === "rejected" ? started.reason : (browser as PromiseRejectedResult).reason;
}
