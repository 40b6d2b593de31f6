/**
 * Every error the application raises on purpose, with a stable code. Callers branch on `code`,
 * never on message text. Unknown errors are wrapped by {@link asAppError}.
 * @module
 */

/** Stable error codes. */
export type ErrorCode =
  | "config_invalid"
  | "content_invalid"
  | "usage"
  | "unknown";

/** Base class: an error with a stable code and an optional cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A setting is missing or malformed; the message says what to set. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super("config_invalid", message);
  }
}

/** Guides, flows or centres failed the check; `problems` are `file:line: message` lines. */
export class ContentError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super("content_invalid", `The content has ${problems.length} error(s):\n${problems.join("\n")}`);
    this.problems = problems;
  }
}

/** The command line was used wrongly; the message says how to use it. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("usage", message);
  }
}

/** Wraps anything thrown into an {@link AppError}. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("unknown", error instanceof Error ? error.message : String(error), { cause: error });
}
