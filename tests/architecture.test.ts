import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { ROOT } from "./helpers.js";

describe("architecture", () => {
  // The import and console rules need no type information: without it a made-up file can be
  // linted and the real core is read in seconds.
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { files: ["**/*.ts"], ...tseslint.configs.disableTypeChecked } });
  it("forbids the core from importing SDKs or channel code", async () => {
    const [result] = await eslint.lintText('import { Bot } from "grammy";\nimport x from "../channels/telegram.js";\nexport { Bot, x };\n', { filePath: `${ROOT}/src/core/example.ts` });
    const rules = result?.messages.map((m) => m.ruleId);
    expect(rules?.filter((r) => r === "no-restricted-imports")).toHaveLength(2);
  });
  it("lets channel code import SDKs", async () => {
    const [result] = await eslint.lintText('import { Bot } from "grammy";\nexport { Bot };\n', { filePath: `${ROOT}/src/channels/example.ts` });
    expect(result?.messages.filter((m) => m.ruleId === "no-restricted-imports")).toEqual([]);
  });
  it("finds no forbidden import or console call in the real core, content and language code", async () => {
    const results = await eslint.lintFiles(["src/core/**/*.ts", "src/knowledge/**/*.ts", "src/nlp/**/*.ts", "src/flows/**/*.ts"]);
    expect(results.length).toBeGreaterThan(20);
    const violations = results.flatMap((r) => r.messages.filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-console").map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(violations).toEqual([]);
  });
});
