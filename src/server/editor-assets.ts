/**
 * CodeMirror 6 for the console's editor, served from the installed packages (no CDN, no build
 * step): `/staff/vendor/esm/<package>/<file>.js` serves the package's ES module file with every
 * bare import (`from "@codemirror/state"`) rewritten to the address of that package's module
 * entry, so that the browser loads the packages' own `dist/index.js` files as they are. Only the
 * packages CodeMirror needs are served.
 * @module
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import { RequestError } from "../core/errors.js";
import { PUBLIC_DIR } from "./http.js";

/** The packages the editor loads (CodeMirror, its languages and their dependencies). */
export const EDITOR_PACKAGES = [
  "codemirror", "@codemirror/autocomplete", "@codemirror/commands", "@codemirror/language", "@codemirror/lint", "@codemirror/search",
  "@codemirror/state", "@codemirror/view", "@codemirror/lang-markdown", "@codemirror/lang-yaml", "@codemirror/lang-html",
  "@codemirror/lang-css", "@codemirror/lang-javascript", "@lezer/common", "@lezer/highlight", "@lezer/lr", "@lezer/markdown",
  "@lezer/yaml", "@lezer/html", "@lezer/css", "@lezer/javascript", "@codemirror/streamparser", "@marijn/find-cluster-break",
  "style-mod", "w3c-keyname", "crelt",
] as const;

const PREFIX = "/staff/vendor/esm/";
const NODE_MODULES = path.join(PUBLIC_DIR, "..", "node_modules");

/** The folder and module entry of a package. */
async function packageInfo(name: string): Promise<{ dir: string; entry: string }> {
  const manifest = path.join(NODE_MODULES, ...name.split("/"), "package.json");
  const json = JSON.parse(await readFile(manifest, "utf8")) as { module?: string; exports?: unknown };
  const exp = json.exports as { import?: string; "."?: { import?: string } | string } | undefined;
  const entry = json.module ?? (typeof exp?.["."] === "object" ? exp["."].import : undefined) ?? exp?.import ?? "index.js";
  return { dir: path.dirname(manifest), entry: entry.replace(/^\.\//, "") };
}

/** Routes serving the editor's packages. */
export function editorAssets(): Hono {
  const app = new Hono();
  const infos = new Map<string, Promise<{ dir: string; entry: string }>>();
  const info = (name: string): Promise<{ dir: string; entry: string }> => {
    let found = infos.get(name);
    if (!found) {
      found = packageInfo(name);
      infos.set(name, found);
    }
    return found;
  };
  const cache = new Map<string, string>();
  app.get(`${PREFIX}*`, async (c) => {
    const rest = c.req.path.slice(PREFIX.length);
    const name = EDITOR_PACKAGES.find((p) => rest.startsWith(`${p}/`));
    const file = name ? rest.slice(name.length + 1) : "";
    if (!name || !/^[\w./-]+\.js$/.test(file) || file.split("/").includes("..")) throw new RequestError("not_found", "There is nothing at this address.");
    let body = cache.get(rest);
    if (body === undefined) {
      const { dir } = await info(name);
      let source: string;
      try {
        source = await readFile(path.join(dir, file), "utf8");
      } catch {
        throw new RequestError("not_found", "There is nothing at this address.");
      }
      const entries = new Map<string, string>();
      for (const dep of EDITOR_PACKAGES) entries.set(dep, `${PREFIX}${dep}/${(await info(dep)).entry}`);
      body = source.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'./][^"']*)\2/g, (all, head: string, quote: string, spec: string) => {
        const target = entries.get(spec);
        return target ? `${head}${quote}${target}${quote}` : all;
      });
      cache.set(rest, body);
    }
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(body);
  });
  return app;
}
