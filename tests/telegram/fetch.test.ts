import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { botApiFetch, directJsonCalls } from "../../src/channels/telegram-fetch.js";
import { must } from "../support/must.js";

describe("the Bot API client", () => {
  let server: http.Server;
  let root = "";
  let connections = 0;
  const seen: { method?: string; type?: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ ...(req.method ? { method: req.method } : {}), ...(req.headers["content-type"] ? { type: req.headers["content-type"] } : {}), body: Buffer.concat(chunks).toString("utf8") });
        if (req.url === "/gzip") {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(zlib.gzipSync(JSON.stringify({ ok: true, result: "zipped" })));
        } else if (req.url === "/html") {
          res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
        } else if (req.url === "/slow") {
          res.writeHead(200, { "content-type": "application/json" });
          res.write("{\"ok\":");
        } else if (req.url === "/cut") {
          res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
          res.write("{\"ok\":");
          setTimeout(() => res.destroy(), 20);
        } else {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: { echo: Buffer.concat(chunks).toString("utf8") } }));
        }
      });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("posts a JSON body with its headers and reads the JSON answer", async () => {
    const res = await botApiFetch(`${root}/bot1:x/sendMessage`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chat_id: 1, text: "Labdien, ā" }) });
    expect(res.ok).toBe(true);
    expect(await res.json()).toEqual({ ok: true, result: { echo: "{\"chat_id\":1,\"text\":\"Labdien, ā\"}" } });
    expect(seen.at(-1)).toMatchObject({ method: "POST", type: "application/json" });
  });

  it("streams a multipart body (an upload)", async () => {
    const body = Readable.from(["--b\r\n", "part", "\r\n--b--\r\n"]);
    const res = await botApiFetch(`${root}/bot1:x/sendVoice`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b" }, body });
    expect(await res.json()).toEqual({ ok: true, result: { echo: "--b\r\npart\r\n--b--\r\n" } });
  });

  it("reads a compressed answer", async () => {
    expect(await (await botApiFetch(`${root}/gzip`, { method: "POST", body: "{}" })).json()).toEqual({ ok: true, result: "zipped" });
  });

  it("rejects an answer that is not JSON, keeping its status", async () => {
    const res = await botApiFetch(`${root}/html`, { method: "POST", body: "{}" });
    expect(res.status).toBe(502);
    expect(res.ok).toBe(false);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("stops a call when its signal aborts, and refuses one already aborted", async () => {
    const controller = new AbortController();
    const call = botApiFetch(`${root}/slow`, { method: "POST", body: "{}", signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    await expect(botApiFetch(`${root}/x`, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects when the connection breaks mid-answer or nobody listens", async () => {
    await expect(botApiFetch(`${root}/cut`, { method: "POST", body: "{}" })).rejects.toThrow();
    await expect(botApiFetch("http://127.0.0.1:1/bot1:x/getMe", { method: "POST", body: "{}" })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("keeps one connection for calls one after another, and opens a new one after the server closed it", async () => {
    const call = async (): Promise<unknown> => (await botApiFetch(`${root}/bot1:x/getMe`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json();
    await call();
    const before = connections;
    for (let i = 0; i < 5; i++) await call();
    expect(connections).toBe(before);
    // The server drops its idle connections: the next call must not fail on the closed one.
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await call()).toEqual({ ok: true, result: { echo: "{}" } });
    expect(connections).toBe(before + 1);
  });
});

describe("JSON calls sent directly (the innermost API transformer)", () => {
  let server: http.Server;
  let root = "";
  const bodies: { path: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        bodies.push({ path: req.url ?? "", body });
        const answer = req.url?.endsWith("/sendMessage") && body.includes("blocked")
          ? { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }
          : { ok: true, result: { message_id: 7, date: 0, chat: { id: 1, type: "private" }, text: "ok" } };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const api = (apiRoot: string): Api => {
    const made = new Api("1:x", { apiRoot, fetch: (() => Promise.reject(new Error("grammY's own path was used"))) as never });
    made.config.use(directJsonCalls(apiRoot, "1:x"));
    return made;
  };

  it("sends the call's JSON to the method's URL and gives grammY's result", async () => {
    const message = await api(root).sendMessage(1, "Labdien", { parse_mode: "HTML" });
    expect(message.message_id).toBe(7);
    expect(bodies.at(-1)).toEqual({ path: "/bot1:x/sendMessage", body: JSON.stringify({ chat_id: 1, text: "Labdien", parse_mode: "HTML" }) });
  });

  it("leaves null values out, as grammY does", async () => {
    await api(root).sendMessage(1, "null is a word here", { reply_markup: null as never });
    expect(JSON.parse(must(bodies.at(-1), "the request").body)).toEqual({ chat_id: 1, text: "null is a word here" });
  });

  it("turns a refusal into grammY's GrammyError with its code", async () => {
    await expect(api(root).sendMessage(1, "blocked")).rejects.toSatisfy((error: unknown) => error instanceof GrammyError && error.error_code === 403);
  });

  it("turns a network failure into grammY's HttpError", async () => {
    await expect(api("http://127.0.0.1:1").sendMessage(1, "x")).rejects.toBeInstanceOf(HttpError);
  });

  it("leaves uploads to grammY's own request path", async () => {
    const sent = api(root).sendVoice(1, new InputFile(Buffer.from("OggS")));
    await expect(sent).rejects.toSatisfy((error: unknown) => error instanceof HttpError && error.error instanceof Error && error.error.message === "grammY's own path was used");
  });
});
