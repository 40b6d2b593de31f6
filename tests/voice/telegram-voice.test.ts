import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotMessage, FakeTelegram } from "../support/fake-telegram.js";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { silence, spokenAudio } from "../support/speech-audio.js";
import { answersTo, inline, labels, telegramSuite, type TestApp } from "../support/telegram-app.js";
import { ifAssigned, must } from "../support/must.js";

type App = TestApp;

const LV = "Kā saņemt e-rēķinu par ūdeni?";
const RU = "Как получить электронный счёт за воду?";

function voiceNote(fake: FakeTelegram, chatId: number, data: Uint8Array, expect: number, opts: { duration?: number; languageCode?: string } = {}): Promise<BotMessage[]> {
  return answersTo(fake, chatId, expect, () => fake.sendVoice(chatId, { data, duration: opts.duration ?? 3, ...(opts.languageCode ? { languageCode: opts.languageCode } : {}) }), 15_000);
}

describe("Telegram voice notes with a speech service", () => {
  let fake: FakeTelegram;
  let speech: FakeSpeechServer;
  let app: App;
  let lvNote: Buffer;
  let ruNote: Buffer;

  const telegram = telegramSuite({
    app: async () => {
      [speech, lvNote, ruNote] = await Promise.all([FakeSpeechServer.start(), spokenAudio(LV, "lv", "ogg"), spokenAudio(RU, "ru", "ogg")]);
      speech.learn(lvNote, LV);
      speech.learn(ruNote, RU);
      return { env: { STT_BASE_URL: speech.url, STT_API_KEY: "sk-test", STT_MODEL: "whisper-test", STT_TIMEOUT_SECONDS: "1", TTS_BASE_URL: speech.url } };
    },
    teardown: async () => ifAssigned(speech)?.close(),
  });
  beforeAll(() => {
    fake = telegram.fake();
    app = telegram.app();
  });
  beforeEach(() => speech.reset());

  it("fetches a Latvian voice note, transcribes it and answers the transcript like typed text", async () => {
    const replies = await voiceNote(fake, 301, lvNote, 2, { languageCode: "lv" });
    expect(fake.calls("getFile").length).toBeGreaterThan(0);
    expect(replies[0]?.plainText).toBe(`🎤 Sapratu: «${LV}»`);
    expect(replies[1]?.plainText).toMatch(/E-rēķin/);
    const [call] = speech.calls("transcriptions");
    expect(call?.fields).toMatchObject({ model: "whisper-test", language: "lv", response_format: "json" });
    expect(call?.authorization).toBe("Bearer sk-test");
    expect(call?.file?.bytes.subarray(0, 4).toString()).toBe("OggS");
    const resident = await app.store.resident("telegram", "301");
    const lines = await app.store.transcript(resident.id);
    expect(lines.find((l) => l.direction === "in")).toMatchObject({ kind: "voice", text: LV });
  });

  it("answers a Russian voice note in Russian, detecting the language from the transcript", async () => {
    const replies = await voiceNote(fake, 302, ruNote, 2, { languageCode: "lv" });
    expect(replies[0]?.plainText).toBe(`🎤 Я понял: «${RU}»`);
    expect(replies[1]?.plainText).toMatch(/[а-я]{4}/);
  });

  it("transcribes an audio file (MP3) the same way", async () => {
    const mp3 = await spokenAudio(LV, "lv", "mp3");
    speech.learn(mp3, LV);
    const before = fake.messages(304).length;
    fake.sendAudio(304, { data: mp3 });
    const replies = (await fake.waitForMessages(304, before + 2, 15_000)).slice(before);
    expect(replies[0]?.plainText).toBe(`🎤 Sapratu: «${LV}»`);
    expect(speech.calls("transcriptions")[0]?.file?.name).toBe("voice.mp3");
  });

  it("tries once more after a 500 and then answers", async () => {
    speech.fail("transcriptions", { kind: "status", status: 500 });
    const replies = await voiceNote(fake, 303, lvNote, 2);
    expect(speech.calls("transcriptions")).toHaveLength(2);
    expect(replies[0]?.plainText).toMatch(/^🎤 Sapratu/);
  });

  it.each([
    ["down (500 every time)", { kind: "status", status: 500 } as const],
    ["slow (past the timeout)", { kind: "slow", ms: 2500 } as const],
    ["answering garbage", { kind: "garbage" } as const],
  ])("answers politely with a person to ask when the service is %s", async (_name, fault) => {
    speech.fail("transcriptions", fault, 5);
    const chat = 310 + Math.floor(Math.random() * 1000);
    const replies = await voiceNote(fake, chat, lvNote, 1);
    expect(replies[0]?.plainText).toMatch(/šobrīd nevaru noklausīties balss ziņu/);
    expect(labels(replies[0]).join(" ")).toMatch(/cilvēk/);
    // Bounded: the first attempt and one retry.
    expect(speech.calls("transcriptions").length).toBeLessThanOrEqual(2);
    const resident = await app.store.resident("telegram", String(chat));
    expect((await app.store.transcript(resident.id)).find((l) => l.direction === "in")).toMatchObject({ kind: "media", text: "voice" });
  });

  it("does not transcribe a 3-minute voice note and says why", async () => {
    const replies = await voiceNote(fake, 320, lvNote, 1, { duration: 180 });
    expect(replies[0]?.plainText).toMatch(/garāka par 2 minūtēm/);
    expect(speech.calls("transcriptions")).toHaveLength(0);
  });

  it("measures the recording itself when the declared length is wrong", async () => {
    const long = await silence(180, "ogg");
    const replies = await voiceNote(fake, 321, long, 1, { duration: 5 });
    expect(replies[0]?.plainText).toMatch(/garāka par 2 minūtēm/);
    expect(speech.calls("transcriptions")).toHaveLength(0);
  });

  it("asks to repeat or type when nothing was heard", async () => {
    const quiet = await silence(2, "ogg");
    const replies = await voiceNote(fake, 322, quiet, 1);
    expect(replies[0]?.plainText).toMatch(/nesadzirdēju vārdus/);
    expect(labels(replies[0]).join(" ")).toMatch(/cilvēk/);
  });

  it("says politely when the note is not audio at all", async () => {
    const replies = await voiceNote(fake, 323, Buffer.from("this is not audio at all"), 1);
    expect(replies[0]?.plainText).toMatch(/nevarēju atskaņot/);
  });

  it("masks a personal code in the transcript before showing and storing it", async () => {
    const said = "Mans personas kods ir 010190-12345, kā iesniegt deklarāciju?";
    const note = await spokenAudio(said, "lv", "ogg");
    speech.learn(note, said);
    const replies = await voiceNote(fake, 324, note, 2);
    expect(replies[0]?.plainText).toContain("[personas kods]");
    expect(replies[0]?.plainText).not.toContain("010190");
    const resident = await app.store.resident("telegram", "324");
    const stored = JSON.stringify(await app.store.transcript(resident.id));
    expect(stored).not.toContain("010190-12345");
  });

  it("offers 🔊 on a guide answer and sends it as a voice message, synthesized once per text", async () => {
    speech.speechAudio = await spokenAudio("Labdien", "lv", "ogg");
    const before = fake.messages(330).length;
    fake.sendText(330, "ka sanemt e-rekinu par udeni");
    const [answer] = (await fake.waitForMessages(330, before + 1)).slice(before);
    expect(labels(answer)).toContain("🔊 Noklausīties");
    const button = ((answer?.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat().find((b) => b.text === "🔊 Noklausīties")) as { callback_data: string };
    fake.pressButton(330, must(answer, "the guide answer").message_id, button.callback_data);
    const [voice] = (await fake.waitForMessages(330, before + 2)).slice(before + 1);
    expect(voice?.kind).toBe("voice");
    const sent = fake.fileData((voice?.message.voice as { file_id: string }).file_id);
    expect(sent?.subarray(0, 4).toString()).toBe("OggS");
    const [call] = speech.calls("speech");
    expect(call?.json).toMatchObject({ response_format: "opus", voice: "alloy" });
    // Prepared for listening: no emoji, no web address.
    expect(String(call?.json?.input)).not.toMatch(/📘|https?:/);
    fake.pressButton(330, must(answer, "the guide answer").message_id, button.callback_data);
    await fake.waitForMessages(330, before + 3);
    expect(speech.calls("speech")).toHaveLength(1);
  });

  it("offers 🔊 under every part of a whole guide sent in several messages, each reading its own part", async () => {
    const chat = 332;
    // A deep link to a guide sends the greeting and the whole guide, here in two messages.
    const [, ...parts] = await answersTo(fake, chat, 3, () => fake.sendText(chat, "/start online-safety"));
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(labels(part)).toContain("🔊 Noklausīties");
    // The buttons of the answer stay on the last part only.
    expect(labels(parts[0])).toEqual(["🔊 Noklausīties"]);
    expect(labels(parts[1]).length).toBeGreaterThan(1);
    speech.speechAudio = await spokenAudio("Labdien", "lv", "ogg");
    const listen = (m: BotMessage | undefined) => inline(m).find((b) => b.text === "🔊 Noklausīties")?.callback_data ?? "";
    const [firstVoice] = await answersTo(fake, chat, 1, () => fake.pressButton(chat, must(parts[0], "the first part").message_id, listen(parts[0])));
    expect(firstVoice?.kind).toBe("voice");
    const [lastVoice] = await answersTo(fake, chat, 1, () => fake.pressButton(chat, must(parts[1], "the second part").message_id, listen(parts[1])));
    expect(lastVoice?.kind).toBe("voice");
    const spoken = speech.calls("speech").map((c) => String(c.json?.input));
    expect(spoken).toHaveLength(2);
    // Each part's own words: the first begins with the guide's title, the last ends with its sources.
    const word = (m: BotMessage | undefined, at: "first" | "last"): string => {
      const words = (m?.plainText ?? "").split(/\s+/).filter((w) => /^\p{L}{6,}$/u.test(w));
      return (at === "first" ? words[0] : words[words.length - 1]) ?? "";
    };
    expect(spoken[0]).toContain(word(parts[0], "first"));
    expect(spoken[0]).not.toContain(word(parts[1], "last"));
    expect(spoken[1]).toContain(word(parts[1], "first"));
  });

  it("offers 🔊 on a flow step as well", async () => {
    const before = fake.messages(331).length;
    fake.sendText(331, "/start e-invoices");
    const replies = (await fake.waitForMessages(331, before + 2)).slice(before);
    const step = replies.find((m) => m.plainText.includes("Kuru rēķinu"));
    expect(labels(step)).toContain("🔊 Noklausīties");
    expect(labels(replies[0])).not.toContain("🔊 Noklausīties");
  });
});

describe("Telegram voice notes without a speech service", () => {
  const telegram = telegramSuite();
  let fake: FakeTelegram;
  beforeAll(() => {
    fake = telegram.fake();
  });

  it("answers that voice is not understood yet, with buttons and a person, and offers no 🔊", async () => {
    const replies = await voiceNote(fake, 340, Buffer.from("OggS"), 1);
    expect(replies[0]?.plainText).toMatch(/Balss ziņas es vēl nesaprotu/);
    expect(labels(replies[0]).join(" ")).toMatch(/cilvēk/);
    expect(fake.calls("getFile")).toHaveLength(0);
    const before = fake.messages(341).length;
    fake.sendText(341, "ka sanemt e-rekinu par udeni");
    const [answer] = (await fake.waitForMessages(341, before + 1)).slice(before);
    expect(labels(answer)).not.toContain("🔊 Noklausīties");
  });
});
