/**
 * Nothing reaches the terminal without the masking logger: uncaught exceptions and unhandled
 * rejections are logged (masked) and the process keeps serving; console.* and process warnings
 * go through the logger; a burst of errors ends the process cleanly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, maskLine, registerSecret } from "../../src/log.js";
import { guardProcess } from "../../src/process-guard.js";

describe("the process guard", () => {
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
  });

  it("logs uncaught errors, console output and warnings through the masking logger", async () => {
    const token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    registerSecret("hunter2-database-password");
    const lines: string[] = [];
    let fatal: string | undefined;
    undo = guardProcess(createLogger("debug", (l) => lines.push(l)), { onFatal: (why) => (fatal = why) });
    // What the handlers receive (emitted directly: a real throw would end this test worker).
    (process.emit as (event: string, ...args: unknown[]) => boolean)("uncaughtException", new Error(`request to https://api.telegram.org/bot${token}/sendMessage failed`), "uncaughtException");
    process.emit("unhandledRejection", new Error("Jānis, personas kods 010190-12345, konts LV80BANK0000435195001"), Promise.resolve());
    console.log("connecting to postgres://app:hunter2-database-password@db/x");
    console.error({ chat: { first_name: "Jānis" }, text: "kods 32123456789" });
    process.emitWarning("something odd with 4111 1111 1111 1111");
    await new Promise((r) => setImmediate(r));
    const text = lines.join("");
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/uncaught exception \(the app keeps serving\)/);
    expect(text).toMatch(/unhandled promise rejection/);
    expect(text).toMatch(/process warning/);
    for (const secret of [token, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "hunter2-database-password", "010190-12345", "32123456789", "LV80BANK0000435195001", "4111 1111 1111 1111"]) expect(text).not.toContain(secret);
    expect(fatal).toBeUndefined();
  });

  it("stops the process cleanly when errors keep coming", () => {
    let fatal: string | undefined;
    undo = guardProcess(createLogger("error", () => undefined), { onFatal: (why) => (fatal = why) });
    for (let i = 0; i < 25; i++) process.emit("unhandledRejection", new Error(`boom ${i}`), Promise.resolve());
    expect(fatal).toMatch(/unhandled rejections within a minute/);
  });

  it("hides bot tokens, Slack tokens and passwords in connection strings", () => {
    expect(maskLine("GET /bot123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab/getMe xoxb-1234-5678-abcdef postgres://u:pw@h/db"))
      .toBe("GET /bot(hidden)/getMe (hidden) postgres://u:(hidden)@h/db");
  });
});
