/**
 * Errors at the HTTP edge, mapped once: every error body is `{"error":{"code","message"}}` with
 * the status of its code. Requests the caller can fix say how; anything else is a 500 with a
 * generic message (the details go to the log, never to the client).
 * @module
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorCode } from "../core/errors.js";
import type { Logger } from "../log.js";
import { isConnectionError } from "../store/database.js";

/** HTTP statuses this edge answers with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** The status of each code the caller is told about; codes not listed are internal (500). */
const STATUS: Partial<Readonly<Record<ErrorCode, ErrorStatus>>> = {
  bad_request: 400,
  unknown_centre: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  password_change_required: 403,
  not_found: 404,
  already_claimed: 409,
  not_yours: 409,
  closed: 409,
  stale_revision: 409,
  account_exists: 409,
  last_admin: 409,
  content_rejected: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  too_many_attempts: 429,
  unavailable: 503,
  voice_unavailable: 503,
  voice_too_large: 413,
  voice_too_long: 422,
  voice_unreadable: 422,
};

const INTERNAL_MESSAGE = "Something went wrong on our side. Please try again.";
/** What a resident reads while the database is away (the web chat page shows its own translation). */
export const UNAVAILABLE_MESSAGE = "The assistant is briefly unavailable. Please try again in a minute; your message was not saved.";

/** The status and public code of an error: its own for errors the caller can act on, else 500 `internal`. */
export function describeError(error: unknown): { status: ErrorStatus; code: string; message: string } {
  if (error instanceof AppError) {
    const status = STATUS[error.code];
    if (status !== undefined) return { status, code: error.code, message: error.message };
  }
  // The database is away (a restart): the caller may simply try again shortly.
  if (isConnectionError(error)) return { status: 503, code: "unavailable", message: UNAVAILABLE_MESSAGE };
  if (error instanceof HTTPException && error.status === 413) return { status: 413, code: "payload_too_large", message: "The request is too large." };
  return { status: 500, code: "internal", message: INTERNAL_MESSAGE };
}

/** The one JSON error response (503 says when to try again). */
export function errorResponse(error: unknown): Response {
  const { status, code, message } = describeError(error);
  return new Response(JSON.stringify({ error: { code, message } }), {
    status, headers: { "Content-Type": "application/json; charset=utf-8", ...(status === 503 ? { "Retry-After": "5" } : {}) },
  });
}

/** Hono's `onError`: logs what is ours to fix, answers with {@link errorResponse}. */
export function onHttpError(log: Logger): ErrorHandler {
  let lastUnavailable = 0;
  return (error, c) => {
    const { status } = describeError(error);
    if (status === 500) log.error("HTTP request failed", { path: c.req.path, error });
    if (status === 503 && Date.now() - lastUnavailable > 5000) {
      // Once in a while, not for every request while the database is away.
      lastUnavailable = Date.now();
      log.warn("database unreachable; answering 503", { path: c.req.path, error });
    }
    return errorResponse(error);
  };
}
