/**
 * How the app is started in production: the Dockerfile's `CMD [...]` and `ENV` (which
 * `npm start` repeats; tests/start-command.test.ts keeps the two equal). The footprint bench
 * starts the app exactly so, flags and all.
 * @module
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { StartCommand } from "./footprint.js";
import { must } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The Dockerfile's `CMD [...]` and the variables its `ENV` lines set. */
export function containerStart(dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8")): StartCommand {
  const text = dockerfile.replace(/\\\n\s*/g, " ");
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(text);
  if (!cmd) throw new Error("the Dockerfile has no CMD [...] line");
  const env: Record<string, string> = {};
  for (const line of text.matchAll(/^ENV\s+(.+)$/gm)) {
    for (const pair of must(line[1], "the ENV line's variables").trim().split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, "$1");
    }
  }
  return { command: JSON.parse(must(cmd[1], "the CMD line's command")) as string[], env };
}
