import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botApiFetch } from "../../src/channels/telegram-fetch.js";

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
