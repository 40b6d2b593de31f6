/**
 * The HTTP client of the Bot API calls: what grammY needs of `fetch` (a POST with a JSON or
 * multipart body, an abort signal, the JSON answer) over node:http and node:https with
 * keep-alive connections. grammY's default on Node, node-fetch, builds a WHATWG request,
 * headers and body streams for each call; a turn makes one call per message part, and those
 * objects were a large share of the bot's CPU per message (bench/e2e: `npm run bench -- --e2e-only`).
 * Errors (network, abort, a body that is not JSON) reject, and grammY turns them into its
 * `HttpError`, as with node-fetch.
 * @module
 */
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";

/** The part of a fetch init grammY passes (see grammY's `createJsonPayload` and `createFormDataPayload`). */
export interface BotApiRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON string, or a multipart stream for uploads. */
  readonly body?: string | Uint8Array | Readable;
  /** A native or polyfilled abort signal (grammY's shim passes the `abort-controller` one). */
  readonly signal?: { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void): void; removeEventListener(type: "abort", listener: () => void): void } | null;
  /** A connection agent of the caller (a proxy); keep-alive agents of this module otherwise. */
  readonly agent?: http.Agent;
}

/** What grammY reads of the answer. */
export interface BotApiResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** An error like fetch's when the signal aborts the call. */
function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}

/** The answer's body, decompressed when the server compressed it anyway. */
function bodyOf(response: http.IncomingMessage): Readable {
  switch (response.headers["content-encoding"]) {
    case "gzip":
      return response.pipe(zlib.createGunzip());
    case "deflate":
      return response.pipe(zlib.createInflate());
    case "br":
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

/**
 * Sends one Bot API request; resolves when the whole answer has arrived.
 * @example new Bot(token, { client: { fetch: botApiFetch as never } })
 */
export function botApiFetch(url: string, init: BotApiRequest = {}): Promise<BotApiResponse> {
  return new Promise<BotApiResponse>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const secure = url.startsWith("https:");
    const request = (secure ? https : http).request(url, {
      method: init.method ?? "GET",
      ...(init.headers ? { headers: init.headers } : {}),
      agent: init.agent ?? (secure ? agents.https : agents.http),
    });
    let settled = false;
    const onAbort = (): void => {
      request.destroy(abortError());
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    signal?.addEventListener("abort", onAbort);
    request.on("error", fail);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      const body = bodyOf(response);
      body.on("data", (chunk: Buffer) => chunks.push(chunk));
      body.on("error", fail);
      response.on("error", fail);
      response.on("close", () => {
        if (!response.complete) fail(signal?.aborted ? abortError() : new Error("The connection closed before the whole answer arrived."));
      });
      body.on("end", () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          text: () => Promise.resolve(text),
          json: () => new Promise((done) => done(JSON.parse(text))),
        });
      });
    });
    const payload = init.body;
    if (payload === undefined || typeof payload === "string" || payload instanceof Uint8Array) request.end(payload);
    else {
      payload.on("error", (error: Error) => request.destroy(error));
      payload.pipe(request);
    }
  });
}
