/**
 * axe-core in the browser tests: runs the WCAG 2.x A/AA rules (and axe's best practices) on the
 * page as it is shown and returns the violations as readable lines, so that a test can require
 * none. axe is evaluated through the DevTools protocol, so the pages keep their
 * Content-Security-Policy (no inline script is added).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

// Callbacks given to evaluate() run in the browser; the project is type-checked without the DOM.
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
declare const document: unknown;

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/**
 * The axe violations on the page now, one line per rule and element
 * (`serious scrollable-region-focusable: … at aside.context-col`); empty when there are none.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  source ??= readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await page.evaluate(await source);
  const violations = await page.evaluate(async () => (await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    resultTypes: ["violations"],
  })).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) })));
  return violations.flatMap((v) => v.nodes.map((n) => `${v.impact ?? "?"} ${v.id}: ${v.help} at ${n.target.join(" ")}`));
}
