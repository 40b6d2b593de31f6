/**
 * A fake OpenAI-compatible speech server on loopback: `POST /v1/audio/transcriptions`
 * (multipart, like OpenAI and self-hosted Whisper servers) and `POST /v1/audio/speech`. It
 * "recognises" recordings it was taught (by their bytes), records every request, and injects
 * faults: slow answers, HTTP errors, garbage bodies.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface SpeechRequest {
  readonly path: string;
  readonly authorization?: string;
  /** Transcriptions: the form fields (model, language, response_format) and the file. */
  readonly fields: Record<string, string>;
  readonly file?: { readonly name: string; readonly type: string; readonly bytes: Buffer };
  /** Speech: the JSON body. */
  readonly json?: Record<string, unknown>;
}

/** A fault for the next requests to a path. */
export type SpeechFault =
  | { readonly kind: "slow"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "garbage" };

const digest = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The fake server. */
export class FakeSpeechServer {
  readonly requests: SpeechRequest[] = [];
  readonly #server: Server;
  readonly #known = new Map<string, string>();
  readonly #faults: { path: string; fault: SpeechFault; left: number }[] = [];
  /** The transcript of recordings it was not taught (e.g. a browser's own recording); "" when unset. */
  fallbackText = "";
  /** What `/audio/speech` answers with (OGG bytes); a test sets it. */
  speechAudio: Buffer = Buffer.from("OggS-fake");
  readonly url: string;

  private constructor(server: Server) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  /** Starts the fake on a free loopback port. */
  static async start(): Promise<FakeSpeechServer> {
    const holder: { fake?: FakeSpeechServer } = {};
    const server = createServer((req, res) => {
      void holder.fake?.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    holder.fake = new FakeSpeechServer(server);
    return holder.fake;
  }

  /** Teaches the fake that this recording says `text`. */
  learn(bytes: Uint8Array, text: string): void {
    this.#known.set(digest(bytes), text);
  }

  /** The next `count` requests to `path` (`transcriptions` or `speech`) get `fault`. */
  fail(path: "transcriptions" | "speech", fault: SpeechFault, count = 1): void {
    this.#faults.push({ path, fault, left: count });
  }

  /** Forgets requests and faults. */
  reset(): void {
    this.requests.length = 0;
    this.#faults.length = 0;
  }

  /** Requests to one endpoint. */
  calls(path: "transcriptions" | "speech"): SpeechRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/audio/${path}`));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? "").split("?")[0] ?? "";
    const endpoint = path.endsWith("/audio/transcriptions") ? "transcriptions" : path.endsWith("/audio/speech") ? "speech" : undefined;
    if (req.method !== "POST" || !endpoint) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: SpeechRequest["file"];
    let json: Record<string, unknown> | undefined;
    if (endpoint === "transcriptions") {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- undici only advises against formData() for large uploads on servers; this fake reads the small uploads of tests
      const form = await new Request("http://fake/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") fields[key] = value;
        else file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
      }
    } else {
      json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    }
    this.requests.push({ path, fields, ...(file ? { file } : {}), ...(json ? { json } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });

    const fault = this.#faults.find((f) => f.path === endpoint && f.left > 0);
    if (fault) {
      fault.left--;
      if (fault.fault.kind === "slow") await new Promise((resolve) => setTimeout(resolve, (fault.fault as { ms: number }).ms));
      else if (fault.fault.kind === "status") {
        res.writeHead(fault.fault.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "injected failure", type: "server_error" } }));
        return;
      } else {
        res.writeHead(200, { "content-type": endpoint === "transcriptions" ? "application/json" : "text/html" }).end("<html>garbage{");
        return;
      }
      if (res.destroyed) return;
    }
    if (endpoint === "transcriptions") {
      const text = file ? this.#known.get(digest(file.bytes)) ?? this.fallbackText : "";
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ text }));
    } else {
      res.writeHead(200, { "content-type": "audio/ogg" }).end(this.speechAudio);
    }
  }
}
