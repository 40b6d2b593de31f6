/**
 * The staff console is plain ES modules with no build step: every module the page imports is
 * served, as JavaScript, and nothing outside the console's folders is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

describe("the console's files", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => app?.close());

  it("serves every module the console imports, following the imports from the page", async () => {
    const page = await (await fetch(`${app.url}/staff/`)).text();
    const entry = /<script type="module" src="([^"]+)"/.exec(page)?.[1];
    expect(entry).toBe("../staff/staff.js");
    const seen = new Set<string>();
    const queue = [new URL(entry ?? "", `${app.url}/staff/`).href];
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toMatch(/^text\/javascript/);
      const source = await res.text();
      for (const m of source.matchAll(/^import\s+(?:[^"']*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
        queue.push(new URL(m[1] as string, url).href);
      }
    }
    // The shell, the shared helpers, every page and the shared browser files.
    const paths = [...seen].map((u) => new URL(u).pathname);
    expect(paths).toContain("/staff/staff.js");
    expect(paths).toContain("/static/api-client.js");
    expect(paths).toContain("/static/render-text.js");
    expect(paths).toContain("/static/event-stream.js");
    expect(paths).toContain("/static/dom.js");
    for (const name of ["queue", "ticket", "try", "guides", "unanswered", "dashboard"]) expect(paths).toContain(`/staff/pages/${name}.js`);
    expect(paths.filter((p) => p.startsWith("/staff/lib/")).length).toBeGreaterThanOrEqual(8);
  });

  it("answers 404 for modules that do not exist and for paths out of the console's folders", async () => {
    for (const path of ["/staff/lib/nothing.js", "/staff/pages/..%2F..%2Fsrc%2Fapp.ts", "/staff/other/dom.js", "/staff/lib/Dom.JS"]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});
