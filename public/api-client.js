/* global fetch, AbortController, setTimeout, clearTimeout */
/**
 * The JSON request both browser pages use (the web chat and the staff console): a time-out, the
 * project's error shape `{"error":{"code","message"}}` turned into an {@link ApiError}, and no
 * caching.
 */

/**
 * An error from the API or the network. `status` is 0 for network errors and time-outs; `body` is
 * the answer's JSON, when it had one (some refusals carry details, e.g. `linkedFrom`).
 */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.body = body && typeof body === "object" ? body : null;
  }
}

/**
 * Sends a request to `url` and returns the parsed JSON answer (`{}` for 204). `body` is sent as
 * JSON; `raw` (a Blob, e.g. a voice recording) is sent as it is, with its own type.
 * `headers` are added to Accept/Content-Type; throws {@link ApiError} on failure.
 */
export async function requestJson(url, { method, body, raw, headers = {}, timeoutMs }) {
  const all = { Accept: "application/json", ...headers };
  // Every change is sent as JSON (the staff API refuses anything else: no cross-site forms).
  const sendsBody = raw === undefined && (body !== undefined || (method !== "GET" && method !== "HEAD"));
  if (sendsBody) all["Content-Type"] = "application/json";
  if (raw !== undefined) all["Content-Type"] = raw.type || "application/octet-stream";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: all,
      body: raw !== undefined ? raw : sendsBody ? JSON.stringify(body === undefined ? {} : body) : undefined,
      cache: "no-store",
      credentials: "same-origin",
      signal: controller.signal,
    });
  } catch (error) {
    throw new ApiError(0, "network", error && error.message);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return {};
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const err = data && data.error ? data.error : {};
    throw new ApiError(response.status, err.code || `http_${response.status}`, err.message, data);
  }
  if (!data || typeof data !== "object") throw new ApiError(response.status, "bad_response");
  return data;
}
