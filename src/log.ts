/**
 * A small leveled logger writing one line per entry to stderr. Every line is masked for personal
 * codes, IBANs and card numbers before it is written.
 * @module
 */
import { maskPersonalData } from "./core/privacy.js";

/** Log levels, least severe first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The logging functions the app uses. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that writes entries at `level` and above to `write` (default stderr). */
export function createLogger(level: LogLevel = "info", write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (at: LogLevel) => (message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[at] < ORDER[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields, errorReplacer)}` : "";
    write(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${maskPersonalData(`${message}${extra}`)}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, ...("code" in value ? { code: value.code } : {}) } : value;
}
