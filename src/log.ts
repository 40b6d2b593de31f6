/**
 * A small leveled logger writing one line per entry to stderr. Every line is masked before it is
 * written: personal codes, IBANs and card numbers, and secrets — bot tokens (also inside URLs),
 * Slack tokens, passwords in connection strings, and every secret registered with
 * {@link registerSecret}. Nothing else in the app writes to stdout or stderr: `main.ts` routes
 * `console.*`, process warnings, uncaught exceptions and unhandled rejections through it.
 * @module
 */
import { formatWithOptions } from "node:util";
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

/** Secrets known to this process (the configured tokens), replaced wherever they appear. */
const secrets = new Set<string>();

/** Hides `value` (a token, a password) in every line logged from now on. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

const TELEGRAM_TOKEN = /(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g;
const SLACK_TOKEN = /\bxox[a-z]-[A-Za-z0-9-]{6,}/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Replaces secrets in `text` with "(hidden)". */
export function maskSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("(hidden)");
  return out.replace(TELEGRAM_TOKEN, "(hidden)").replace(SLACK_TOKEN, "(hidden)").replace(URL_PASSWORD, "$1(hidden)@");
}

/** Masks everything a log line must not show (personal data and secrets). */
export function maskLine(text: string): string {
  return maskPersonalData(maskSecrets(text));
}

/** A logger that writes entries at `level` and above to `write` (default stderr). */
export function createLogger(level: LogLevel = "info", write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (at: LogLevel) => (message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[at] < ORDER[level]) return;
    let extra = "";
    if (fields && Object.keys(fields).length > 0) {
      try {
        extra = ` ${JSON.stringify(fields, errorReplacer)}`;
      } catch {
        extra = " (fields could not be shown)";
      }
    }
    write(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${maskLine(`${message}${extra}`)}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Formats `console.*` arguments as one string (for routing them through a logger). */
export function formatArgs(args: readonly unknown[]): string {
  return formatWithOptions({ depth: 3, breakLength: Infinity, colors: false }, ...args);
}

/** Errors become their name, message and code (and a cause's): never their payload or stack. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const cause = (value as { cause?: unknown }).cause;
  return {
    name: value.name, message: value.message,
    ...("code" in value && (typeof value.code === "string" || typeof value.code === "number") ? { code: value.code } : {}),
    ...(cause instanceof Error ? { cause: { name: cause.name, message: cause.message } } : {}),
  };
}
