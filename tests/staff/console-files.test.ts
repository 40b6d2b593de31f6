/**
 * The staff console and the web chat are plain ES modules with no build step: every module a
 * page imports is served, as JavaScript, and nothing outside the console's folders is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";
import { ifAssigned, must } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

/** The paths of every module a page loads, following the imports from its module script; each must be served as JavaScript. */
async function followImports(pageUrl: string, entryExpected: string): Promise<string[]> {
  const page = await (await fetch(pageUrl)).text();
  const entry = /<script type="module" src="([^"]+)"/.exec(page)?.[1];
  expect(entry).toBe(entryExpected);
  const seen = new Set<string>();
  const queue = [new URL(entry ?? "", pageUrl).href];
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(url);
    expect(res.status, url).toBe(200);
    expect(res.headers.get("content-type"), url).toMatch(/^text\/javascript/);
    const source = await res.text();
    for (const m of source.matchAll(/^import\s+(?:[^"']*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
      queue.push(new URL(must(m[1], "the path of an import"), url).href);
    }
  }
  return [...seen].map((u) => new URL(u).pathname);
}

describe("the browser pages' files", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("serves every module the web chat imports, following the imports from the page", async () => {
    const paths = await followImports(`${app.url}/`, "static/chat.js");
    for (const name of ["chat", "chat-log", "chat-session", "chat-texts", "dom", "render-text", "voice", "event-stream", "api-client"]) expect(paths).toContain(`/static/${name}.js`);
  });

  it("serves every module the console imports, following the imports from the page", async () => {
    const paths = await followImports(`${app.url}/staff/`, "../staff/staff.js");
    // The shell, the shared helpers, every page and the shared browser files.
    expect(paths).toContain("/staff/staff.js");
    expect(paths).toContain("/static/api-client.js");
    expect(paths).toContain("/static/render-text.js");
    expect(paths).toContain("/static/event-stream.js");
    expect(paths).toContain("/static/dom.js");
    for (const name of ["queue", "ticket", "try", "guides", "unanswered", "dashboard"]) expect(paths).toContain(`/staff/pages/${name}.js`);
    expect(paths.filter((p) => p.startsWith("/staff/lib/")).length).toBeGreaterThanOrEqual(8);
  });

  it("serves the stylesheets each page links, as CSS, the shared base first", async () => {
    for (const [page, own] of [["/", "/static/chat.css"], ["/staff/", "/staff/staff.css"]] as const) {
      const html = await (await fetch(`${app.url}${page}`)).text();
      const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => new URL(must(m[1], "a stylesheet's address"), `${app.url}${page}`).pathname);
      expect(sheets, page).toEqual(["/static/base.css", own]);
      for (const sheet of sheets) {
        const res = await fetch(`${app.url}${sheet}`);
        expect(res.status, sheet).toBe(200);
        expect(res.headers.get("content-type"), sheet).toMatch(/^text\/css/);
      }
    }
  });

  it("answers 404 for modules that do not exist and for paths out of the console's folders", async () => {
    for (const path of ["/staff/lib/nothing.js", "/staff/pages/..%2F..%2Fsrc%2Fapp.ts", "/staff/other/dom.js", "/staff/lib/Dom.JS"]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});
