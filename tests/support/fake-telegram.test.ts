import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { autoRetry } from "@grammyjs/auto-retry";
import { FakeTelegram } from "./fake-telegram.js";
import { must } from "./must.js";

let fake: FakeTelegram;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  fake = await FakeTelegram.start();
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  await fake.close();
});

function newBot(): Bot {
  const bot = new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
  bot.catch((err) => {
    throw err.error;
  });
  return bot;
}

/** Starts simple long polling and stops it after the test. */
function startPolling(bot: Bot): void {
  void bot.start();
  cleanups.push(() => bot.stop());
}

/** Raw Bot API call, to check shapes exactly as the wire carries them. */
async function raw(method: string, body?: unknown, token = fake.token): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `condition` holds (checked every 10 ms), failing after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

describe("FakeTelegram: Bot API surface", () => {
  it("rejects a wrong token with 401 and an unknown method with 404, in Bot API shape", async () => {
    expect(await raw("getMe", {}, "123:wrong")).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    expect(await raw("noSuchMethod")).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: "Not Found: method not found" },
    });
  });

  it("answers getMe with the bot info grammY expects", async () => {
    const bot = newBot();
    const me = await bot.api.getMe();
    expect(me).toEqual(fake.botInfo);
    expect(me.is_bot).toBe(true);
    expect(me.id).toBe(Number(fake.token.split(":")[0]));
  });

  it("accepts form-encoded bodies and query strings as well as JSON", async () => {
    fake.sendText(5, "hello");
    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "5", text: "<b>hi</b>", parse_mode: "HTML", reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] }) }),
    });
    expect(form.status).toBe(200);
    const query = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=5&text=plain`);
    expect(((await query.json()) as { result: { text: string } }).result.text).toBe("plain");
    const [first, second] = fake.messages(5);
    expect(first).toMatchObject({ text: "<b>hi</b>", plainText: "hi", parse_mode: "HTML", entities: [{ type: "bold", offset: 0, length: 2 }] });
    expect(must(first, "the first message").reply_markup).toEqual({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] });
    expect(must(second, "the second message").text).toBe("plain");
  });

  it("gives message ids that increase per chat across user and bot messages", async () => {
    const bot = newBot();
    const u1 = fake.sendText(1, "a");
    const m1 = await bot.api.sendMessage(1, "x");
    const m2 = await bot.api.sendMessage(2, "y");
    const m3 = await bot.api.sendMessage(1, "z");
    expect(must(u1.message, "the user's message").message_id).toBe(1);
    expect([m1.message_id, m2.message_id, m3.message_id]).toEqual([2, 1, 3]);
    expect(m1).toMatchObject({ chat: { id: 1, type: "private", first_name: "User 1" }, from: { id: fake.botInfo.id, is_bot: true }, text: "x" });
  });

  it("rejects empty, oversized and chat-less messages like Telegram", async () => {
    const bot = newBot();
    await expect(bot.api.sendMessage(1, "")).rejects.toMatchObject({ error_code: 400, description: "Bad Request: message text is empty" });
    await expect(bot.api.sendMessage(1, "   ")).rejects.toMatchObject({ description: "Bad Request: message text is empty" });
    await expect(bot.api.sendMessage(1, "x".repeat(4097))).rejects.toMatchObject({ description: "Bad Request: message is too long" });
    // 4096 visible characters are fine even when the markup makes the source longer.
    await expect(bot.api.sendMessage(1, `<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" })).resolves.toBeTruthy();
    await expect(bot.api.sendMessage(1, "&lt;".repeat(4097), { parse_mode: "HTML" })).rejects.toMatchObject({ description: "Bad Request: message is too long" });
    expect(await raw("sendMessage", { text: "x" })).toMatchObject({ status: 400, json: { description: "Bad Request: chat_id is empty" } });
  });

  it("rejects callback_data over 64 bytes with BUTTON_DATA_INVALID and accepts reply keyboards", async () => {
    const bot = newBot();
    const long = new InlineKeyboard().text("Go", "ā".repeat(33)); // 66 bytes in UTF-8
    await expect(bot.api.sendMessage(1, "x", { reply_markup: long })).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: BUTTON_DATA_INVALID",
    });
    await bot.api.sendMessage(1, "kb", { reply_markup: { keyboard: [[{ text: "Jā" }, { text: "Nē" }]], resize_keyboard: true } });
    await bot.api.sendMessage(1, "rm", { reply_markup: { remove_keyboard: true } });
    expect(fake.messages(1).map((m) => m.reply_markup)).toEqual([
      { keyboard: [[{ text: "Jā" }, { text: "Nē" }]], resize_keyboard: true },
      { remove_keyboard: true },
    ]);
  });

  it("edits and deletes bot messages, and refuses edits that change nothing", async () => {
    const bot = newBot();
    const m = await bot.api.sendMessage(3, "one", { reply_markup: new InlineKeyboard().text("A", "a") });
    const edited = await bot.api.editMessageText(3, m.message_id, "<i>two</i>", { parse_mode: "HTML", reply_markup: new InlineKeyboard().text("B", "b") });
    expect(edited).toMatchObject({ message_id: m.message_id, text: "two", entities: [{ type: "italic", offset: 0, length: 3 }] });
    await expect(
      bot.api.editMessageText(3, m.message_id, "<i>two</i>", { parse_mode: "HTML", reply_markup: new InlineKeyboard().text("B", "b") }),
    ).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining("message is not modified") as unknown });
    await bot.api.editMessageReplyMarkup(3, m.message_id, { reply_markup: new InlineKeyboard().text("C", "c") });
    expect(fake.messages(3)[0]).toMatchObject({ text: "<i>two</i>", plainText: "two", editCount: 2, reply_markup: { inline_keyboard: [[{ text: "C", callback_data: "c" }]] } });
    await expect(bot.api.editMessageText(3, 99, "x")).rejects.toMatchObject({ description: "Bad Request: message to edit not found" });
    expect(await bot.api.deleteMessage(3, m.message_id)).toBe(true);
    await expect(bot.api.deleteMessage(3, m.message_id)).rejects.toMatchObject({ description: "Bad Request: message to delete not found" });
    expect(must(fake.messages(3)[0], "the deleted message").deleted).toBe(true);
  });

  it("keeps commands per scope and language, and accepts chat actions", async () => {
    const bot = newBot();
    await bot.api.setMyCommands([{ command: "start", description: "Sākt" }]);
    await bot.api.setMyCommands([{ command: "help", description: "Help" }], { language_code: "en" });
    expect(await bot.api.getMyCommands()).toEqual([{ command: "start", description: "Sākt" }]);
    expect(await bot.api.getMyCommands({ language_code: "en" })).toEqual([{ command: "help", description: "Help" }]);
    await bot.api.deleteMyCommands();
    expect(await bot.api.getMyCommands()).toEqual([]);
    await expect(bot.api.setMyCommands([{ command: "Bad-Name", description: "x" }])).rejects.toMatchObject({ description: "Bad Request: BOT_COMMAND_INVALID" });
    expect(await bot.api.sendChatAction(1, "typing")).toBe(true);
    expect(await bot.api.logOut()).toBe(true);
    expect(await bot.api.close()).toBe(true);
  });

  it("answers 403 once a user has blocked the bot", async () => {
    const bot = newBot();
    fake.setBlocked(9);
    await expect(bot.api.sendMessage(9, "hi")).rejects.toMatchObject({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
  });

  it("accepts multipart uploads from grammY's InputFile", async () => {
    const bot = newBot();
    const sent = await bot.api.sendDocument(6, new InputFile(Buffer.from("abc"), "izziņa.txt"), {
      caption: "<b>Izziņa</b>",
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().url("Portāls", "https://latvija.gov.lv"),
    });
    expect(sent).toMatchObject({ caption: "Izziņa", document: { file_name: "izziņa.txt", file_size: 3 } });
    expect(fake.messages(6)[0]).toMatchObject({ kind: "document", text: "<b>Izziņa</b>", plainText: "Izziņa" });
    expect(must(fake.calls("sendDocument")[0], "the sendDocument call").params.document).toMatchObject({ filename: "izziņa.txt", size: 3 });
  });

  it("forgets chats, calls and queued updates on reset but keeps update ids increasing", async () => {
    const bot = newBot();
    const before = fake.sendText(1, "a");
    await bot.api.sendMessage(1, "b");
    fake.reset();
    expect([fake.messages(1), fake.calls(), fake.pendingUpdates()]).toEqual([[], [], 0]);
    expect(fake.sendText(1, "c").update_id).toBeGreaterThan(before.update_id);
  });

  it("serves files users sent through getFile and the file download URL", async () => {
    const bot = newBot();
    const update = fake.sendVoice(4, { data: new Uint8Array([1, 2, 3]) });
    const file = await bot.api.getFile(must(update.message?.voice, "the voice message").file_id);
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});

describe("FakeTelegram: parse modes", () => {
  it("rejects unbalanced or unknown HTML tags with 400 can't parse entities (grammY throws GrammyError)", async () => {
    const bot = newBot();
    const error = await bot.api.sendMessage(1, "<b>bold", { parse_mode: "HTML" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400, description: 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"' });
    await expect(bot.api.sendMessage(1, "<b>x</i>", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: 'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    });
    await expect(bot.api.sendMessage(1, "line<br>break", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 4',
    });
    expect(fake.calls("sendMessage").every((c) => !c.ok)).toBe(true);
    expect(fake.messages(1)).toEqual([]);
  });

  it("rejects an unescaped < or & in HTML, and decodes valid entities", async () => {
    const bot = newBot();
    await expect(bot.api.sendMessage(1, "1 < 2", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2/) as unknown,
    });
    await expect(bot.api.sendMessage(1, "Tom & Jerry", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: can't parse entities: Unescaped "&" at byte offset 4/) as unknown,
    });
    const ok = await bot.api.sendMessage(
      1,
      'Ā &lt;b&gt; &amp; &quot;q&quot; &#8364; <a href="https://jelgava.lv/?a=1&amp;b=2">saite</a> <tg-spoiler>s</tg-spoiler> <pre><code class="language-ts">x</code></pre> <blockquote>c</blockquote>',
      { parse_mode: "HTML" },
    );
    expect(ok.text).toBe('Ā <b> & "q" € saite s x c');
    expect(ok.entities).toEqual([
      { type: "text_link", offset: 14, length: 5, url: "https://jelgava.lv/?a=1&b=2" },
      { type: "spoiler", offset: 20, length: 1 },
      { type: "pre", offset: 22, length: 1, language: "ts" },
      { type: "blockquote", offset: 24, length: 1 },
    ]);
  });

  it("checks MarkdownV2 escaping", async () => {
    const bot = newBot();
    await expect(bot.api.sendMessage(1, "Cena: 5.00 EUR", { parse_mode: "MarkdownV2" })).rejects.toMatchObject({
      description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    await expect(bot.api.sendMessage(1, "*bold", { parse_mode: "MarkdownV2" })).rejects.toMatchObject({
      description: "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
    });
    const ok = await bot.api.sendMessage(1, "*Cena:* 5\\.00 [EUR](https://example.com) `a.b`", { parse_mode: "MarkdownV2" });
    expect(ok.text).toBe("Cena: 5.00 EUR a.b");
    expect(ok.entities?.map((e) => e.type)).toEqual(["bold", "text_link", "code"]);
  });
});

describe("FakeTelegram: long polling", () => {
  it("runs a grammY bot with bot.start(): answers /start and text, without busy-polling when idle", async () => {
    const bot = newBot();
    bot.command("start", (ctx) => ctx.reply(`Sveiki! payload=${ctx.match}`));
    bot.on("message:text", (ctx) => ctx.reply(`Jūs rakstījāt: ${ctx.message.text}`));
    startPolling(bot);

    const start = fake.sendText(100, "/start e-invoices");
    expect(must(start.message, "the /start message").entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    fake.sendText(100, "Kā iegūt e-adresi?");
    const replies = await fake.waitForMessages(100, 2);
    expect(replies.map((m) => m.text)).toEqual(["Sveiki! payload=e-invoices", "Jūs rakstījāt: Kā iegūt e-adresi?"]);

    const before = fake.calls("getUpdates").length;
    await sleep(1000);
    const during = fake.calls("getUpdates").length - before;
    expect(during).toBeLessThanOrEqual(1);
    expect(fake.pendingUpdates()).toBe(0);
  });

  it("wakes a held getUpdates as soon as an update is queued, and honours offset and limit", async () => {
    const t0 = Date.now();
    const held = raw("getUpdates", { timeout: 10 });
    await sleep(50);
    const update = fake.sendText(1, "ping");
    const first = await held;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(first.json).toEqual({ ok: true, result: [update] });

    fake.sendText(1, "a");
    fake.sendText(1, "b");
    // Unconfirmed updates are returned again; offset confirms; limit caps the batch.
    const again = await raw("getUpdates", { limit: 2 });
    expect((again.json.result as Update[]).map((u) => u.update_id)).toEqual([update.update_id, update.update_id + 1]);
    const next = await raw("getUpdates", { offset: update.update_id + 1, limit: 1 });
    expect((next.json.result as Update[]).map((u) => u.update_id)).toEqual([update.update_id + 1]);
    expect(fake.pendingUpdates()).toBe(2);
    const empty = await raw("getUpdates", { offset: update.update_id + 3, timeout: 0 });
    expect(empty.json).toEqual({ ok: true, result: [] });
    expect(fake.pendingUpdates()).toBe(0);
  });

  it("returns an empty batch when the long-poll timeout passes", async () => {
    const t0 = Date.now();
    const res = await raw("getUpdates", { timeout: 1 });
    expect(res.json).toEqual({ ok: true, result: [] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("works with @grammyjs/runner", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(ctx.message.text.toUpperCase()));
    const handle: RunnerHandle = run(bot);
    cleanups.push(() => handle.isRunning() && handle.stop());
    for (let chat = 1; chat <= 20; chat++) fake.sendText(chat, `sveiki ${chat}`);
    for (let chat = 1; chat <= 20; chat++) {
      const [reply] = await fake.waitForMessages(chat, 1);
      expect(must(reply, `the reply in chat ${chat}`).text).toBe(`SVEIKI ${chat}`);
    }
  });

  it("delivers an inline button press as a callback_query and records answerCallbackQuery", async () => {
    const bot = newBot();
    bot.command("menu", (ctx) => ctx.reply("Izvēlieties:", { reply_markup: new InlineKeyboard().text("Nodokļi", "topic:tax").text("Ūdens", "topic:water") }));
    bot.callbackQuery(/^topic:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `Izvēlēts ${ctx.match[1]}` });
      await ctx.editMessageText(`Tēma: ${ctx.match[1]}`);
    });
    startPolling(bot);

    fake.sendText(7, "/menu");
    const menu = must((await fake.waitForMessages(7, 1))[0], "the menu");
    expect(() => fake.pressButton(7, menu.message_id, "topic:nope")).toThrow(/no button with data/);
    const press = fake.pressButton(7, menu.message_id, "topic:tax");
    const query = must(press.callback_query, "the button press");
    expect(query.message?.message_id).toBe(menu.message_id);

    await fake.waitForCalls("editMessageText");
    expect(fake.callbackAnswers()).toMatchObject([{ callback_query_id: query.id, chatId: 7, data: "topic:tax", text: "Izvēlēts tax" }]);
    expect(fake.messages(7)[0]).toMatchObject({ text: "Tēma: tax", editCount: 1 });
    expect(must(fake.messages(7)[0], "the edited menu").reply_markup).toBeUndefined(); // edited without reply_markup: keyboard removed

    // A second answer to the same query is refused like Telegram does.
    await expect(bot.api.answerCallbackQuery(query.id)).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
  });

  it("delivers media, location, contact and edited messages to the right handlers", async () => {
    const bot = newBot();
    bot.on("message:voice", (ctx) => ctx.reply("voice"));
    bot.on("message:photo", (ctx) => ctx.reply(`photo ${ctx.message.caption ?? ""}`.trim()));
    bot.on("message:sticker", (ctx) => ctx.reply("sticker"));
    bot.on("message:document", (ctx) => ctx.reply(`doc ${ctx.message.document.file_name}`));
    bot.on("message:location", (ctx) => ctx.reply(`loc ${ctx.message.location.latitude}`));
    bot.on("message:contact", (ctx) => ctx.reply(`contact ${ctx.message.contact.phone_number}`));
    bot.on("edited_message:text", (ctx) => ctx.reply(`edited ${ctx.editedMessage.text}`));
    bot.on("message:text", () => undefined);
    startPolling(bot);

    const typed = fake.sendText(8, "pirmais", { languageCode: "lv" });
    expect(must(typed.message, "the typed message").from.language_code).toBe("lv");
    fake.sendVoice(8);
    fake.sendPhoto(8, "paraksts");
    fake.sendSticker(8);
    fake.sendDocument(8);
    fake.sendLocation(8);
    fake.sendContact(8, "+37120000000");
    const edit = fake.editText(8, must(typed.message, "the typed message").message_id, "labotais");
    expect(must(edit.edited_message, "the edited message").from.language_code).toBe("lv");
    const replies = await fake.waitForMessages(8, 7);
    expect(replies.map((m) => m.text)).toEqual([
      "voice",
      "photo paraksts",
      "sticker",
      "doc document.pdf",
      "loc 56.6511",
      "contact +37120000000",
      "edited labotais",
    ]);
  });

  it("redeliver queues the same update with the same update_id again", async () => {
    const bot = newBot();
    const seen: number[] = [];
    bot.on("message", (ctx) => {
      seen.push(ctx.update.update_id);
      return ctx.reply(`#${seen.length}`);
    });
    startPolling(bot);
    const update = fake.sendText(11, "čau");
    await fake.waitForMessages(11, 1);
    expect(fake.redeliver(update)).toBe(update);
    await fake.waitForMessages(11, 2);
    expect(seen).toEqual([update.update_id, update.update_id]);
  });

  it("rejects waitForMessages with a readable list of what arrived", async () => {
    const bot = newBot();
    await bot.api.sendMessage(12, "tikai viena");
    await bot.api.sendMessage(12, "<b>slikti", { parse_mode: "HTML" }).catch(() => undefined);
    await expect(fake.waitForMessages(12, 2, 100)).rejects.toThrow(/has 1 of 2 expected bot message\(s\)[\s\S]*"tikai viena"[\s\S]*sendMessage → 400/);
  });
});

describe("FakeTelegram: fault injection", () => {
  it("fails the next calls with 429 and retry_after, which auto-retry waits out", async () => {
    const bot = newBot();
    fake.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const error = await bot.api.sendMessage(1, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });

    bot.api.config.use(autoRetry());
    fake.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const t0 = Date.now();
    const sent = await bot.api.sendMessage(1, "y");
    expect(sent.text).toBe("y");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(fake.calls("sendMessage").map((c) => [c.ok, c.error_code, c.injected])).toEqual([
      [false, 429, true],
      [false, 429, true],
      [true, undefined, undefined],
    ]);
  });
});

describe("FakeTelegram: webhooks", () => {
  async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => { server.close(r); server.closeAllConnections(); }));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
  }

  it("posts updates to the webhook with the secret header, and grammY's webhookCallback answers", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`atbilde: ${ctx.message.text}`));
    const callback = webhookCallback(bot, "http", { secretToken: "s3cret_token" });
    const secrets: (string | undefined)[] = [];
    const { url } = await listen((req, res) => {
      secrets.push(req.headers["x-telegram-bot-api-secret-token"] as string | undefined);
      void callback(req, res);
    });
    fake.sendText(20, "pirms webhook"); // queued before: delivered once the webhook is set
    await bot.api.setWebhook(url, { secret_token: "s3cret_token" });
    fake.sendText(20, "pēc webhook");
    const replies = await fake.waitForMessages(20, 2);
    expect(replies.map((m) => m.text)).toEqual(["atbilde: pirms webhook", "atbilde: pēc webhook"]);
    expect(secrets).toEqual(["s3cret_token", "s3cret_token"]);
    await until(() => fake.pendingUpdates() === 0);
    expect(fake.webhookDeliveries().map((d) => [d.status, d.ok])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });
    // getUpdates is refused while a webhook is set.
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409, description: expect.stringContaining("webhook is active") as unknown });
  });

  it("retries a failing webhook in order, one update at a time per chat", async () => {
    let failuresLeft = 2;
    const received: number[] = [];
    const { url } = await listen((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (failuresLeft-- > 0) {
          res.writeHead(500).end();
          return;
        }
        received.push((JSON.parse(body) as Update).update_id);
        res.writeHead(200).end();
      });
    });
    const bot = newBot();
    await bot.api.setWebhook(url, { max_connections: 1 });
    const ids = [fake.sendText(30, "a"), fake.sendText(30, "b"), fake.sendText(31, "c")].map((u) => u.update_id);
    await until(() => fake.pendingUpdates() === 0);
    expect(received).toEqual(ids);
    expect(fake.webhookDeliveries().map((d) => [d.update_id, d.attempt, d.status])).toEqual([
      [ids[0], 1, 500],
      [ids[0], 2, 500],
      [ids[0], 3, 200],
      [ids[1], 1, 200],
      [ids[2], 1, 200],
    ]);
    const info = await bot.api.getWebhookInfo();
    expect(info.last_error_message).toBe("Wrong response from the webhook: 500 Internal Server Error");

    // Deleting the webhook hands pending updates back to getUpdates.
    await bot.api.deleteWebhook();
    const next = fake.sendText(30, "d");
    expect((await bot.api.getUpdates()).map((u) => u.update_id)).toEqual([next.update_id]);
  });
});
