/**
 * Every error the application raises on purpose, in one place, each with a stable code (after
 * bolt-js `errors.ts`). Callers branch on `code` (or the class), never on message text; anything
 * else thrown is wrapped by {@link asAppError}. The HTTP edge maps codes to statuses once
 * (`src/server/errors.ts`); nothing here knows about HTTP.
 * @module
 */

/** Codes of a refused ticket-desk operation. */
export type DeskErrorCode = "not_found" | "forbidden" | "already_claimed" | "not_yours" | "closed" | "unknown_centre" | "bad_request";

/**
 * Codes of a refused account change: the username is taken; the change would leave no active
 * admin (or an admin would lock themselves out); no such account; the input is not valid.
 */
export type AccountErrorCode = "account_exists" | "last_admin" | "not_found" | "bad_request";

/** Codes of a refused or malformed request (web chat, staff API, Slack requests). */
export type RequestErrorCode = "bad_request" | "not_found" | "payload_too_large" | "unsupported_media_type" | "too_many_requests";

/** Codes of a caller who is not (or not enough) signed in. */
export type AuthErrorCode = "unauthorized" | "csrf_failed" | "forbidden" | "invalid_credentials" | "too_many_attempts" | "password_change_required";

/** Codes of a remote service that failed: it answered with a refusal, or could not be reached. */
export type RemoteErrorCode = "slack_refused" | "slack_network";

/** Codes of the storage: the embedded database folder is held by another process; the database cannot be reached. */
export type StorageErrorCode = "database_locked" | "unavailable";

/** Codes of a delivery to a resident that a channel refused for good. */
export type DeliveryErrorCode = "delivery_refused";

/**
 * Codes of speech (src/voice): no speech service is configured or it failed (`voice_unavailable`);
 * a recording longer than allowed, larger than allowed, or not audio at all.
 */
export type VoiceErrorCode = "voice_unavailable" | "voice_too_long" | "voice_too_large" | "voice_unreadable";
/**
 * Codes of a refused content edit: the check failed; the revision it was based on is no longer the
 * latest; a deletion while other files link to what it deletes.
 */
export type ContentEditErrorCode = "content_rejected" | "stale_revision" | "content_linked";

/** Every stable error code. */
export type ErrorCode =
  | "config_invalid"
  | "content_invalid"
  | ContentEditErrorCode
  | "usage"
  | DeskErrorCode
  | AccountErrorCode
  | RequestErrorCode
  | AuthErrorCode
  | RemoteErrorCode
  | StorageErrorCode
  | DeliveryErrorCode
  | VoiceErrorCode
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

/** One problem of a refused content edit, at its line. */
export interface ContentProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * A content edit was refused: `content_rejected` when the full check found errors (`problems`,
 * each at its line), `stale_revision` when another editor published meanwhile (`current` is the
 * latest revision of `path`).
 */
export class ContentEditError extends AppError {
  declare readonly code: ContentEditErrorCode;
  readonly problems: readonly ContentProblem[];
  readonly path: string;
  readonly current: number | null;
  constructor(code: ContentEditErrorCode, path: string, message: string, detail: { problems?: readonly ContentProblem[]; current?: number | null } = {}) {
    super(code, message);
    this.path = path;
    this.problems = detail.problems ?? [];
    this.current = detail.current ?? null;
  }
}

/** An admin's change to a staff account was refused; the message says why. */
export class AccountError extends AppError {
  declare readonly code: AccountErrorCode;
  constructor(code: AccountErrorCode, message: string) {
    super(code, message);
  }
}

/** The command line was used wrongly; the message says how to use it. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("usage", message);
  }
}

/** A request the caller can fix (bad body, unknown address, too large, too many). The message says how. */
export class RequestError extends AppError {
  declare readonly code: RequestErrorCode;
  constructor(code: RequestErrorCode, message: string) {
    super(code, message);
  }
}

/** The caller is not signed in, sent no CSRF token, or may not do this. */
export class AuthError extends AppError {
  declare readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string) {
    super(code, message);
  }
}

/** A web chat session id or token does not match. */
export class SessionAuthError extends AuthError {
  constructor(message = "Unknown session or wrong token. Start a new session.") {
    super("unauthorized", message);
  }
}

/** A refused ticket-desk operation (see `staff/desk.ts`). */
export class DeskError extends AppError {
  declare readonly code: DeskErrorCode;
  constructor(code: DeskErrorCode, message: string) {
    super(code, message);
  }
}

/** Base class of the Slack channel's errors; branch on `code`. */
export class SlackChannelError extends AppError {
  declare readonly code: RemoteErrorCode;
  /** The Slack API method that failed, e.g. `chat.postMessage`. */
  readonly method: string;
  constructor(code: RemoteErrorCode, method: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.method = method;
  }
}

/**
 * Slack answered but refused the call: `ok:false` with an error code (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`, `ratelimited`…) or an HTTP error status.
 */
export class SlackRefusedError extends SlackChannelError {
  /** Slack's error code, e.g. `channel_not_found`; `ratelimited`; or `http_<status>`. */
  readonly slackError: string;
  /** For `ratelimited`: seconds Slack asked us to wait. */
  readonly retryAfterSeconds: number | undefined;
  constructor(method: string, slackError: string, options?: { retryAfterSeconds?: number; cause?: unknown }) {
    super("slack_refused", method, `Slack refused ${method}: ${slackError}`, { cause: options?.cause });
    this.slackError = slackError;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Slack could not be reached (connection refused or reset, DNS, timeout). Safe to retry. */
export class SlackNetworkError extends SlackChannelError {
  constructor(method: string, cause: unknown) {
    super("slack_network", method, `Slack could not be reached for ${method}`, { cause });
  }
}

/** Who holds an embedded database folder (from its lock file). */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly purpose: string;
  readonly startedAt: string;
}

/** The embedded database folder is in use by another process; the message says what to do. */
export class DatabaseLockedError extends AppError {
  declare readonly code: "database_locked";
  readonly owner: LockOwner;
  readonly lockFile: string;
  constructor(lockFile: string, owner: LockOwner) {
    const dir = lockFile.replace(/[/\\][^/\\]+$/, "");
    const who = owner.pid > 0
      ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ""} (${owner.purpose}${owner.startedAt ? `, started ${owner.startedAt}` : ""})`
      : owner.purpose;
    super("database_locked", [
      `The embedded database in ${dir} is in use by ${who}.`,
      "Only one process can use an embedded database folder. Stop that process first (for `cli staff add`: stop the app, run the command, start the app again),",
      "or use a PostgreSQL server (set DATABASE_URL) so that several processes can share the data.",
      ...(owner.host && owner.pid > 0 ? [`If that process is surely gone, delete ${lockFile}.`] : []),
    ].join("\n"));
    this.owner = owner;
    this.lockFile = lockFile;
  }
}

/** The database cannot be reached right now (a restart, a lost connection): try again shortly. */
export class UnavailableError extends AppError {
  declare readonly code: "unavailable";
  constructor(message = "The assistant is briefly unavailable. Please try again in a minute; your message was not saved.", options?: { cause?: unknown }) {
    super("unavailable", message, options);
  }
}

/** A channel refused a delivery for good (the resident blocked the bot, the chat is gone): do not retry. */
export class DeliveryRefusedError extends AppError {
  declare readonly code: "delivery_refused";
  constructor(message: string, options?: { cause?: unknown }) {
    super("delivery_refused", message, options);
  }
}

/** Wraps anything thrown into an {@link AppError} (code `unknown`, the original as `cause`). */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("unknown", error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * Speech in or out failed: not configured or the service is down (`voice_unavailable`, safe to
 * retry later), or the recording itself is refused (too long, too large, not audio).
 */
export class VoiceError extends AppError {
  declare readonly code: VoiceErrorCode;
  constructor(code: VoiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
