import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import { ROOT } from "./helpers.js";

describe("architecture", () => {
  const eslint = new ESLint({ cwd: ROOT });
  it("forbids the core from importing SDKs or channel code", async () => {
    const [result] = await eslint.lintText('import { Bot } from "grammy";\nimport x from "../channels/telegram.js";\nexport { Bot, x };\n', { filePath: `${ROOT}/src/core/example.ts` });
    const rules = result?.messages.map((m) => m.ruleId);
    expect(rules?.filter((r) => r === "no-restricted-imports")).toHaveLength(2);
  });
  it("lets channel code import SDKs", async () => {
    const [result] = await eslint.lintText('import { Bot } from "grammy";\nexport { Bot };\n', { filePath: `${ROOT}/src/channels/example.ts` });
    expect(result?.messages.filter((m) => m.ruleId === "no-restricted-imports")).toEqual([]);
  });
});
