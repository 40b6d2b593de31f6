import { beforeAll, describe, expect, it } from "vitest";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotMessage, FakeTelegram } from "../support/fake-telegram.js";
import { eventsOf } from "../support/store-inspect.js";
import { answersTo, inline, press, say, telegramSuite, type TestApp } from "../support/telegram-app.js";
import { MESSAGES } from "../../src/core/messages.js";
import { must, sessionCookie } from "../support/must.js";

type App = TestApp;

/** The last bot message in a chat that has inline buttons. */
function lastWithButtons(fake: FakeTelegram, chatId: number): BotMessage {
  const found = fake.messages(chatId).filter((m) => inline(m).length > 0).at(-1);
  if (!found) throw new Error(`no message with buttons in chat ${chatId}`);
  return found;
}

describe("Telegram end to end (long polling against a local Bot API server)", () => {
  const telegram = telegramSuite();
  let fake: FakeTelegram;
  let app: App;
  beforeAll(() => {
    fake = telegram.fake();
    app = telegram.app();
  });

  it("registers its commands in three languages and polls without a webhook", () => {
    expect(fake.calls("setMyCommands").length).toBe(3);
    expect(fake.myCommands().map((c) => c.command)).toEqual(["start", "menu", "language", "help", "person", "forget"]);
  });

  it("greets on /start with the persistent keyboard and the main menu", async () => {
    const replies = await say(fake, 101, "/start", 2);
    expect(replies[0]?.plainText).toMatch(/Labdien! Esmu DigiPalīgs/);
    expect(replies[0]?.reply_markup).toMatchObject({ is_persistent: true, resize_keyboard: true });
    expect(inline(replies[1]).map((b) => b.text)).toContain("🧾 E-rēķini");
  });

  it("answers a free-text question from a guide, escaping HTML and asking for feedback", async () => {
    const replies = await say(fake, 102, "ka sanemt e-rekinu par udeni", 1);
    expect(replies[0]?.parse_mode).toBe("HTML");
    expect(replies[0]?.text).toMatch(/^<b>📘 E-rēķini/);
    expect(replies[0]?.plainText).toMatch(/JNKU[\s\S]*Vai tas Jums palīdzēja\?$/);
    const rows = (replies[0]?.reply_markup as InlineKeyboardMarkup).inline_keyboard;
    expect(rows[0]?.map((b) => b.text)).toEqual(["👍 Jā", "👎 Nē"]);
    expect(rows.slice(1).every((row) => row.length === 1)).toBe(true);
    expect(inline(replies[0]).map((b) => b.text)).toContain("▶️ Soli pa solim");
    await press(fake, 102, /👍/);
    expect(fake.callbackAnswers().length).toBeGreaterThan(0);
  });

  it("walks the whole e-invoice-setup flow with button presses, Repeat and Back", async () => {
    const chat = 103;
    await say(fake, chat, "/start e-invoices", 2);
    expect(fake.messages(chat).at(-1)?.plainText).toMatch(/Kuru rēķinu/);
    await press(fake, chat, /Ūdens, siltums, atkritumi/);
    await press(fake, chat, /E-pastā/);
    const step1 = fake.messages(chat).at(-1)?.plainText;
    const repeated = await press(fake, chat, /Atkārtot/);
    expect(repeated[0]?.plainText).toBe(step1);
    await press(fake, chat, /Izdevās/);
    const back = await press(fake, chat, /Atpakaļ/);
    expect(back[0]?.plainText).toBe(step1);
    // Press "Done" until the flow ends with its success message and the main-menu button.
    for (let i = 0; i < 12; i++) {
      const last = lastWithButtons(fake, chat);
      if (!inline(last).some((b) => b.text.includes("Izdevās"))) break;
      await press(fake, chat, /Izdevās/);
    }
    const end = fake.messages(chat).at(-1);
    expect(inline(end).map((b) => b.text)).toEqual(["🏠 Galvenā izvēlne"]);
    const resident = await app.store.resident("telegram", String(chat));
    const events = (await eventsOf(app.database.pool, resident.id)).map((e) => e.kind);
    expect(events).toContain("e-invoice-done");
    expect(events).toContain("flow-completed");
    // Every button press was answered, so no button keeps spinning.
    const presses = fake.calls("answerCallbackQuery").length;
    expect(presses).toBe(fake.callbackAnswers().length);
  });

  it("changes the language with /language and answers in Russian from then on", async () => {
    const chat = 104;
    await say(fake, chat, "/language");
    const replies = await press(fake, chat, /Русский/, 2);
    expect(replies[0]?.plainText).toMatch(/по-русски/);
    expect(replies[0]?.reply_markup).toMatchObject({ keyboard: [[{ text: "🏠 Главное меню" }, { text: "🙋 Поговорить с человеком" }], [{ text: "🌐 Язык" }]] });
    const menu = await say(fake, chat, "🏠 Главное меню");
    expect(menu[0]?.plainText).toMatch(/Чем я могу Вам помочь/);
    const resident = await app.store.resident("telegram", String(chat));
    expect(resident.lang).toBe("ru");
  });

  it("explains that voice notes are not understood yet and offers a person", async () => {
    const chat = 105;
    const before = fake.messages(chat).length;
    fake.sendVoice(chat);
    const [reply] = (await fake.waitForMessages(chat, before + 1)).slice(before);
    expect(reply?.plainText).toMatch(/Balss ziņas es vēl nesaprotu/);
    expect(inline(reply).map((b) => b.text)).toContain("🙋 Runāt ar cilvēku");
  });

  it("answers photos, stickers, documents, locations and edited messages", async () => {
    const chat = 106;
    const expectations: [() => void, RegExp][] = [
      [() => fake.sendPhoto(chat), /Attēlus/],
      [() => fake.sendSticker(chat), /uzlīme/],
      [() => fake.sendDocument(chat), /Dokumentus/],
      [() => fake.sendLocation(chat), /Atrašanās vietu/],
    ];
    for (const [send, pattern] of expectations) {
      const before = fake.messages(chat).length;
      send();
      const [reply] = (await fake.waitForMessages(chat, before + 1)).slice(before);
      expect(reply?.plainText).toMatch(pattern);
    }
    const count = fake.messages(chat).length;
    const sent = fake.sendText(chat, "paldies");
    await fake.waitForMessages(chat, count + 1);
    const before = fake.messages(chat).length;
    fake.editText(chat, sent.message?.message_id ?? 0, "kā deklarēt dzīvesvietu");
    const replies = (await fake.waitForMessages(chat, before + 2)).slice(before);
    expect(replies[0]?.plainText).toMatch(/labojāt ziņu/);
    expect(replies.map((r) => r.plainText).join("\n")).toMatch(/dzīvesviet/i);
  });

  it("answers a redelivered update only once", async () => {
    const chat = 107;
    const update = fake.sendText(chat, "/help");
    await fake.waitForMessages(chat, 1);
    fake.redeliver(update);
    const marker = fake.sendText(chat, "/menu");
    await fake.waitForMessages(chat, 2);
    expect(fake.pendingUpdates()).toBe(0);
    const texts = fake.messages(chat).map((m) => m.plainText);
    expect(texts.filter((t) => t.includes("Kā ar mani runāt"))).toHaveLength(1);
    expect(marker.update_id).toBeGreaterThan(update.update_id);
    const resident = await app.store.resident("telegram", String(chat));
    const transcript = await app.store.transcript(resident.id);
    expect(transcript.filter((t) => t.direction === "in").map((t) => t.text)).toEqual(["/help", "/menu"]);
  });

  it("replaces the pressed message's buttons with the chosen one, which still works", async () => {
    const chat = 120;
    await say(fake, chat, "/start e-invoices", 2);
    const question = lastWithButtons(fake, chat);
    expect(inline(question).length).toBeGreaterThan(2);
    const edits = fake.calls("editMessageReplyMarkup").length;
    const [next] = await press(fake, chat, /Ūdens, siltums, atkritumi/);
    // The edit may land just after the answer: wait for it.
    await fake.waitForCalls("editMessageReplyMarkup", edits + 1);
    const edited = fake.messages(chat).find((m) => m.message_id === question.message_id);
    expect(inline(edited).map((b) => b.text)).toEqual(["✔️ 💧 Ūdens, siltums, atkritumi (JNKU)"]);
    expect(edited?.editCount).toBe(1);
    expect(fake.calls("editMessageReplyMarkup").filter((c) => c.ok && c.params.message_id === question.message_id && String(c.params.chat_id) === String(chat))).toHaveLength(1);
    // The newest message keeps all its buttons; the chosen one on the old message still answers.
    expect(inline(next).length).toBeGreaterThan(1);
    const before = fake.messages(chat).length;
    fake.pressButton(chat, question.message_id, must(inline(edited)[0]?.callback_data, "the chosen button's data"));
    const [again] = (await fake.waitForMessages(chat, before + 1)).slice(before);
    expect(again?.plainText).toBe(next?.plainText);
  });

  it("confirms a call back in Russian without promising the answer in the chat", async () => {
    const chat = 121;
    await say(fake, chat, "/language");
    await press(fake, chat, /Русский/, 2);
    await say(fake, chat, "/person");
    await press(fake, chat, /Да, передать/);
    await press(fake, chat, /Озолниекская/);
    await press(fake, chat, /Позвонить мне/);
    const before = fake.messages(chat).length;
    fake.sendContact(chat, "+371 20000002");
    await fake.waitForMessages(chat, before + 2);
    await press(fake, chat, /Согласен/);
    const [created] = await say(fake, chat, "Не могу открыть e-adrese");
    expect(created?.plainText).toMatch(/позвонит Вам по номеру \+37120000002/);
    expect(created?.plainText).not.toMatch(/придёт в этот чат/);
    expect(created?.plainText).toContain(MESSAGES.ru.escalation.keepWritingPhone);
  });

  it("hands a resident to a person: intake with the share-number button, a ticket, a staff reply in the chat, a rating", async () => {
    const chat = 110;
    await say(fake, chat, "/person");
    await press(fake, chat, /Jā, nodot darbiniekam/);
    await press(fake, chat, /Ozolnieku pagasts/);
    const [phoneAsk] = await press(fake, chat, /Piezvanīt man/);
    expect(phoneAsk?.reply_markup).toMatchObject({ keyboard: [[{ text: "📱 Nosūtīt manu numuru", request_contact: true }]], one_time_keyboard: true });
    const before = fake.messages(chat).length;
    fake.sendContact(chat, "+371 20000001");
    const [thanks, consent] = (await fake.waitForMessages(chat, before + 2)).slice(before);
    expect(thanks?.plainText).toBe("Paldies, numuru saņēmu.");
    expect(thanks?.reply_markup).toMatchObject({ is_persistent: true });
    expect(consent?.plainText).toMatch(/Vai piekrītat\?/);
    await press(fake, chat, /Piekrītu/);
    const [created] = await say(fake, chat, "Nevaru atvērt e-adresi");
    expect(created?.plainText).toMatch(/Pieteikuma numurs: JN-\d{6}/);
    expect(created?.plainText).toMatch(/piezvanīs uz \+37120000001/);
    // A call back: it does not also promise the answer in this chat.
    expect(created?.plainText).not.toMatch(/atnāks šajā sarunā/);
    expect(created?.plainText).toContain(MESSAGES.lv.escalation.keepWritingPhone);
    const resident = await app.store.resident("telegram", String(chat));
    const ticket = await app.desk.openTicketOf(resident.id);
    expect(ticket).toMatchObject({ contact: "phone", parish: "ozolnieku", centre: "cenu-ozolnieku", channel: "telegram" });
    const ticketId = must(ticket, "the resident's open ticket").id;
    const transcript = JSON.stringify(await app.store.transcript(resident.id));
    expect(transcript).not.toContain("20000001");
    const anna = await app.staffAccounts.add({ username: "anna-tg", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    const count = fake.messages(chat).length;
    await app.desk.reply(anna, ticketId, "Labdien! Zvanīšu pēc 10 minūtēm.");
    const arrived = await fake.waitForMessages(chat, count + 2);
    // The member of staff's message looks different from the bot's: name and centre in bold, the text quoted.
    expect(arrived.slice(count).map((m) => m.plainText)).toEqual(["👤 Anna no klientu centra pievienojās sarunai.", "👤 Anna · Cenu un Ozolnieku pagasta apvienības pārvalde\nLabdien! Zvanīšu pēc 10 minūtēm."]);
    expect(arrived.at(-1)?.text).toBe("<b>👤 Anna · Cenu un Ozolnieku pagasta apvienības pārvalde</b>\n<blockquote>Labdien! Zvanīšu pēc 10 minūtēm.</blockquote>");
    // A photo goes to the member of staff as an attachment they can open.
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const sentBefore = fake.messages(chat).length;
    fake.sendPhoto(chat, undefined, { data: photo });
    const login = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "anna-tg", password: "correct horse battery" }) });
    const cookie = sessionCookie(login);
    const photoUrl = async () => {
      const detail = (await (await fetch(`${app.url}/api/staff/tickets/${ticket?.id}`, { headers: { cookie } })).json()) as { ticket: { messages: { attachment?: { kind: string; url: string } }[] } };
      return detail.ticket.messages.find((m) => m.attachment?.kind === "photo")?.attachment?.url;
    };
    await expect.poll(photoUrl).toMatch(/^\//);
    const url = await photoUrl();
    const file = await fetch(`${app.url}${url}`, { headers: { cookie } });
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(photo);
    expect(file.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect((await fetch(`${app.url}${url}`)).status).toBe(401);
    expect(fake.messages(chat).length).toBe(sentBefore);
    const count2 = fake.messages(chat).length;
    await app.desk.close(anna, ticketId, "Atrisināts pa tālruni");
    const [closed, rating] = (await fake.waitForMessages(chat, count2 + 2)).slice(count2);
    expect(closed?.plainText).toMatch(/aizvēra sarunu/);
    expect((rating?.reply_markup as InlineKeyboardMarkup).inline_keyboard[0]?.map((b) => b.text)).toEqual(["1", "2", "3", "4", "5"]);
    await press(fake, chat, /^4$/);
    expect((await app.desk.summary(ticketId))?.status).toBe("closed");
  });

  it("delivers a staff reply once after Telegram was down", async () => {
    const chat = 111;
    await say(fake, chat, "/start", 2);
    const ticket = await app.desk.createTicket({ channel: "telegram", chatId: String(chat), lang: "lv", parish: "ozolnieku", question: "Telegram down", context: { reason: "askedForPerson" } });
    const anna = await app.staffAccounts.add({ username: "anna-down", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    const joined = await answersTo(fake, chat, 1, () => app.desk.claim(anna, ticket.id));
    expect(joined[0]?.plainText).toMatch(/pievienojās/);
    const injected = fake.calls("sendMessage").filter((c) => c.injected).length;
    fake.failNext("sendMessage", 3, { error_code: 502, description: "Bad Gateway" });
    const before = fake.messages(chat).length;
    await app.desk.reply(anna, ticket.id, "Atbilde pēc traucējuma");
    await fake.waitForMessages(chat, before + 1, 8000);
    // A later reply is the barrier: the outbox keeps a resident's order, so a second copy of the
    // first would arrive before it.
    await app.desk.reply(anna, ticket.id, "Vēl viena atbilde");
    const texts = (await fake.waitForMessages(chat, before + 2, 8000)).slice(before).map((m) => m.plainText);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("Atbilde pēc traucējuma");
    expect(texts[1]).toContain("Vēl viena atbilde");
    expect(fake.calls("sendMessage").filter((c) => c.injected).length - injected).toBe(3);
    // The last job is marked done just after its message went out.
    await expect.poll(() => app.outbox.pending()).toBe(0);
  });

  it("masks a personal code before it is stored", async () => {
    const chat = 108;
    await say(fake, chat, "mans personas kods ir 010190-12345, kā deklarēt dzīvesvietu?", 1);
    const resident = await app.store.resident("telegram", String(chat));
    const transcript = await app.store.transcript(resident.id);
    expect(JSON.stringify(transcript)).not.toContain("010190-12345");
    expect(transcript[0]?.text).toContain("[personas kods]");
  });

  it("splits a long answer into messages that each fit Telegram's limit", async () => {
    const chat = 109;
    const replies = await say(fake, chat, "ka sanemt e-rekinu", 1);
    // The short answer's "➕ Vairāk" shows the whole section, which offers the whole guide.
    await press(fake, chat, /Vairāk/);
    await press(fake, chat, /Visa instrukcija/);
    for (const m of [...replies, ...fake.messages(chat)]) expect(m.plainText.length).toBeLessThanOrEqual(4096);
  });
});


describe("Telegram in webhook mode", () => {
  const telegram = telegramSuite({ webhook: true });
  let fake: FakeTelegram;
  let port: number;
  beforeAll(() => {
    fake = telegram.fake();
    port = telegram.port();
  });

  it("registers the webhook with a secret and answers updates Telegram posts to it", async () => {
    const [call] = fake.calls("setWebhook");
    expect(call?.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram/webhook` });
    expect(String((call?.params as { secret_token?: string }).secret_token)).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const replies = await say(fake, 201, "/start", 2);
    expect(replies[0]?.plainText).toMatch(/Labdien/);
    expect(fake.webhookDeliveries().every((d) => d.status === 200)).toBe(true);
  });

  it("refuses webhook calls without Telegram's secret header", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "/start" } }),
    });
    expect(response.status).toBe(401);
  });
});
