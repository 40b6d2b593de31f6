import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Cheaper password hashing in the test processes (see the file).
    setupFiles: ["tests/support/setup.ts"],
    // Two cores: keep workers few; the CLI tests spawn processes.
    maxWorkers: 2,
    // A worker runs file after file in one module graph instead of a fresh one per file: the
    // sources, PGlite's compiled WebAssembly and the shipped content are loaded once per worker,
    // not 74 times (the suite took half as long). No test file relies on module state of its own
    // (no vi.mock, no changed process.env); what a file starts it closes in afterAll.
    isolate: false,
    testTimeout: 30_000,
    // A suite's setup (an app, a browser, a logged-in page) can take long on a loaded machine.
    hookTimeout: 60_000,
    // A loaded 2-core machine can overrun the deadlines of event waits; a failing test is run once more.
    retry: 1,
  },
});
