// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The TypeScript linted with type information: all of it, the app and its tests and benches. */
const TYPE_CHECKED = ["src/**/*.ts", "tests/**/*.ts", "bench/**/*.ts"];

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
    // TypeScript is linted with type information: strictTypeChecked catches what the compiler lets
    // through (conditions that are always true, casts that change nothing, floating promises, `any`
    // leaking in), stylisticTypeChecked costs nothing more once the types are loaded. Together
    // they forbid both `x!` (no-non-null-assertion) and `x as Foo` where Foo only drops
    // `undefined` (non-nullable-type-assertion-style), so a value that may be missing is narrowed
    // or checked, never asserted. The browser code in public/ is plain JavaScript outside the
    // TypeScript project: it keeps the recommended rules above (type-aware rules would see
    // nothing but `any` there and would double the lint time for no findings worth having).
    files: TYPE_CHECKED,
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Numbers and booleans print unambiguously in messages and logs (`${count} guides`); objects,
      // null and undefined still need an explicit String() or a format.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `(x) => void …` callbacks (`.then(() => resolve())`, `on("close", () => done())`) are the
      // idiom of event handlers, and `return this.render(d)` in a function declared `void` is the
      // dispatcher's "do this and stop"; a void value used anywhere else is still reported.
      // A subclass constructor that only calls super() still narrows what it accepts
      // (AccountError takes an AccountErrorCode, not any ErrorCode): not useless.
      "@typescript-eslint/no-useless-constructor": "off",
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
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
