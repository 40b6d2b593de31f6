/**
 * Bolt's logger over the project's logger.
 * @module
 */
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../log.js";

/**
 * Bolt's logger interface over the project's logger (which masks personal data). Bolt's debug
 * lines are dropped unless Bolt's level is set to debug (`app.logger.setLevel(LogLevel.DEBUG)`).
 */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]): string =>
    parts
      .map((part) => {
        if (typeof part === "string") return part;
        if (part instanceof Error) return `${part.name}: ${part.message}`;
        try {
          return JSON.stringify(part);
        } catch {
          return String(part);
        }
      })
      .join(" ");
  return {
    // Bolt's and the Web API client's debug lines include whole request bodies: only when asked for.
    debug: (...parts: unknown[]) => {
      if (level === LogLevel.DEBUG) log.debug(`slack: ${text(parts)}`);
    },
    info: (...parts: unknown[]) => log.info(`slack: ${text(parts)}`),
    warn: (...parts: unknown[]) => log.warn(`slack: ${text(parts)}`),
    error: (...parts: unknown[]) => log.error(`slack: ${text(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
