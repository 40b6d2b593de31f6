import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Two cores: keep workers few; the CLI tests spawn processes.
    maxWorkers: 2,
    testTimeout: 30_000,
    // A suite's setup (an app, a browser, a logged-in page) can take long on a loaded machine.
    hookTimeout: 60_000,
    // A loaded 2-core machine can overrun the deadlines of event waits; a failing test is run once more.
    retry: 1,
  },
});
