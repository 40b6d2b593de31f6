/**
 * The HTTP client of the Bot API calls: what grammY needs of `fetch` (a POST with a JSON or
 * multipart body, an abort signal, the JSON answer) over undici's connection pools, one pool of
 * keep-alive connections per API origin. grammY's default on Node, node-fetch, builds a WHATWG
 * request, headers and body streams for each call, and node:http's client costs about twice
 * undici's CPU per call; a turn makes one call per message part, and those calls were the
 * largest share of the bot's CPU per message (bench/e2e: `npm run bench -- --e2e-only`).
 * Errors (network, abort, a body that is not JSON) reject, and grammY turns them into its
 * `HttpError`, as with node-fetch.
 * @module
 */
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { HttpError, type Transformer } from "grammy";
import { Pool, type Dispatcher } from "undici";

/** The part of a fetch init grammY passes (see grammY's `createJsonPayload` and `createFormDataPayload`). */
export interface BotApiRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON string, or a multipart stream for uploads. */
  readonly body?: string | Uint8Array | Readable;
  /** A native or polyfilled abort signal (grammY's shim passes the `abort-controller` one). */
  readonly signal?: { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void): void; removeEventListener(type: "abort", listener: () => void): void } | null;
}

/** What grammY reads of the answer. */
export interface BotApiResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** Keep-alive connections per origin ("https://api.telegram.org", or a local Bot API server). */
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    // Idle connections stay open a minute (Telegram keeps them longer); they never hold the process.
    pool = new Pool(origin, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/** An error like fetch's when the signal aborts the call. */
function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}

/** The decompressor for a body the server compressed anyway (Telegram does not unless asked). */
function decompress(body: Buffer, encoding: string | string[] | undefined): Promise<Buffer> {
  const unzip = encoding === "gzip" ? zlib.gunzip : encoding === "deflate" ? zlib.inflate : encoding === "br" ? zlib.brotliDecompress : undefined;
  if (!unzip) return Promise.resolve(body);
  return new Promise((resolve, reject) => {
    unzip(body, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

type Signal = NonNullable<BotApiRequest["signal"]>;

/**
 * One call's answer as undici delivers it: the status, then the body's chunks, then the end.
 * A class, so a call allocates one object and no closures per callback.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private encoding: string | string[] | undefined;
  private readonly chunks: Buffer[] = [];
  private settled = false;
  /** Aborts the call when the caller's signal fires. */
  readonly onAbort = (): void => {
    this.controller?.abort(abortError());
  };

  constructor(
    private readonly resolve: (response: BotApiResponse) => void,
    private readonly reject: (error: Error) => void,
    private readonly signal: Signal | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(abortError());
  }

  onResponseStart(_: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.encoding = headers["content-encoding"];
  }

  onResponseData(_: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const only = this.chunks.length === 1 ? this.chunks[0] : undefined;
    decompress(only ?? Buffer.concat(this.chunks), this.encoding).then((body) => {
      this.answer(body.toString("utf8"));
    }, (error: unknown) => {
      this.fail(error);
    });
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** Ends the call with an error: an abort reads as fetch's AbortError. */
  fail(error: unknown): void {
    if (!this.settle()) return;
    this.reject(this.signal?.aborted ? abortError() : error instanceof Error ? error : new Error(String(error)));
  }

  private answer(text: string): void {
    if (!this.settle()) return;
    const status = this.status;
    this.resolve({
      status,
      ok: status >= 200 && status < 300,
      text: () => Promise.resolve(text),
      json: () => new Promise((done) => done(JSON.parse(text))),
    });
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    return true;
  }
}

/**
 * Sends one Bot API request; resolves when the whole answer has arrived. It dispatches on the
 * pool with a handler that collects the body's chunks: no stream is built per call.
 * @example new Bot(token, { client: { fetch: botApiFetch as never } })
 */
export function botApiFetch(url: string, init: BotApiRequest = {}): Promise<BotApiResponse> {
  return new Promise<BotApiResponse>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    // grammY's URLs are `${apiRoot}/bot${token}/${method}`: the origin ends at the first slash after "//".
    const cut = url.indexOf("/", url.indexOf("//") + 2);
    const collector = new AnswerCollector(resolve, reject, signal);
    try {
      poolFor(cut < 0 ? url : url.slice(0, cut)).dispatch({
        path: cut < 0 ? "/" : url.slice(cut),
        method: init.method ?? "GET",
        headers: init.headers ?? null,
        body: init.body ?? null,
      }, collector);
    } catch (error) {
      collector.fail(error);
    }
  });
}

/**
 * The Bot API methods the channel calls with plain JSON payloads (never a file upload).
 * Uploads (sendVoice, sendAudio …) go through grammY's own request path, which builds the
 * multipart body.
 */
const JSON_METHODS: ReadonlySet<string> = new Set([
  "getUpdates", "sendMessage", "answerCallbackQuery", "editMessageReplyMarkup", "editMessageText",
  "sendChatAction", "getMe", "getFile", "setMyCommands", "deleteWebhook", "setWebhook",
]);

/** grammY's JSON body: `null` values are left out (its `createJsonPayload`). */
function jsonBody(payload: unknown): string {
  const plain = JSON.stringify(payload ?? {});
  // A replacer costs every call; only a payload that holds a null needs it.
  return plain.includes("null") ? JSON.stringify(payload, (_, value: unknown) => value ?? undefined) : plain;
}

/**
 * The innermost API transformer of every API object of the channel: it sends the JSON calls
 * itself, with {@link botApiFetch}, instead of grammY's request path, which builds an abort
 * controller, a timeout timer and two promises for each call. The answer is the raw Bot API
 * object, which grammY turns into a result or a `GrammyError` as before; a network failure
 * becomes grammY's `HttpError`, as before. Connections time out on their own (undici's
 * headers and body timeouts, 5 minutes, within grammY's 500 s).
 */
export function directJsonCalls(apiRoot: string, token: string): Transformer {
  const base = `${apiRoot.replace(/\/+$/, "")}/bot${token}/`;
  const headers = { "content-type": "application/json" };
  return async (prev, method, payload, signal) => {
    if (!JSON_METHODS.has(method)) return prev(method, payload, signal);
    let text: string;
    try {
      const response = await botApiFetch(base + method, { method: "POST", headers, body: jsonBody(payload), ...(signal ? { signal } : {}) });
      text = await response.text();
    } catch (error) {
      throw new HttpError(`Network request for '${method}' failed!`, error);
    }
    try {
      // The Bot API's own answer, `{ ok, result }` or `{ ok: false, error_code, description }`,
      // unchecked as in grammY's own path (its result type per method is not exported).
      const answer: unknown = JSON.parse(text);
      return answer as never;
    } catch (error) {
      throw new HttpError(`Network request for '${method}' failed!`, error);
    }
  };
}
