/**
 * Errors of the Slack Web API as the project's coded errors (`core/errors.ts`).
 * @module
 */
import { webApi } from "@slack/bolt";
import { SlackNetworkError, SlackRefusedError } from "../../core/errors.js";

/**
 * Translates an error of `@slack/web-api` into a `SlackChannelError` (`core/errors.ts`); anything else
 * (a programming error) is returned unchanged.
 */
export function toSlackError(method: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case webApi.ErrorCode.PlatformError: {
      const data = (error as { data?: { error?: unknown } }).data;
      return new SlackRefusedError(method, typeof data?.error === "string" ? data.error : "unknown_error", { cause: error });
    }
    case webApi.ErrorCode.RateLimitedError:
      return new SlackRefusedError(method, "ratelimited", { retryAfterSeconds: (error as { retryAfter?: number }).retryAfter ?? 1, cause: error });
    case webApi.ErrorCode.HTTPError:
      return new SlackRefusedError(method, `http_${String((error as { statusCode?: unknown }).statusCode)}`, { cause: error });
    case webApi.ErrorCode.RequestError:
      return new SlackNetworkError(method, error);
    default:
      return error;
  }
}
