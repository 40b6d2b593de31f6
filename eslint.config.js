// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "artifacts/", "coverage/", "test-artifacts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Nothing in the app writes to the terminal except through the masking logger (src/log.ts):
    // console.* would bypass the masking of tokens and personal data. The CLI prints its
    // results with process.stdout.write.
    files: ["src/**/*.ts"],
    rules: { "no-console": "error" },
  },
  {
    // The core is channel-neutral: it never imports channels, staff tools or SDKs.
    files: ["src/core/**/*.ts", "src/knowledge/**/*.ts", "src/nlp/**/*.ts", "src/flows/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/channels/**", "**/channels", "**/staff/**", "**/staff", "**/cli/**", "**/server/**", "**/store/**"], message: "The core must not import channel, staff, CLI, server or storage code: pass what it needs in." },
            { group: ["grammy", "grammy/*", "@grammyjs/*", "@slack/*", "openai", "openai/*", "pg", "@electric-sql/*", "hono", "hono/*", "@hono/*"], message: "The core must not import SDKs; channels and adapters translate at the edge." },
          ],
        },
      ],
    },
  },
);
