/**
 * `npm start` and the container start the app the same way: the same node flags, and the
 * Dockerfile's memory setting in front of `npm start`'s command. The footprint bench starts the
 * app with the Dockerfile's command (bench/start-command.ts), so its figures are theirs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { containerStart } from "../bench/start-command.js";
import { ROOT } from "./helpers.js";
import { must } from "./support/must.js";

describe("the start command", () => {
  const container = containerStart();
  const script = must((JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start, "package.json's start script");

  it("runs node with the container's flags in npm start", () => {
    const words = script.split(/\s+/);
    const at = words.indexOf("exec");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(words.slice(at + 1)).toEqual(container.command);
  });

  it("sets the container's memory settings in npm start too", () => {
    const assignments = Object.fromEntries(script.split(/\s+/).slice(0, script.split(/\s+/).indexOf("exec")).map((w) => w.split("=") as [string, string]));
    const memory = Object.fromEntries(Object.entries(container.env ?? {}).filter(([k]) => k.startsWith("MALLOC_")));
    expect(Object.keys(memory).length).toBeGreaterThan(0);
    expect(assignments).toEqual(memory);
  });

  it("reads the Dockerfile's CMD and ENV, continued lines included", () => {
    const parsed = containerStart('FROM node\nENV A=1 \\\n  B="two"\nCMD ["node", "--x", "src/main.ts"]\n');
    expect(parsed).toEqual({ command: ["node", "--x", "src/main.ts"], env: { A: "1", B: "two" } });
  });
});
