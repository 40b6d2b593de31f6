import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { startTestApp } from "../support/app.js";
import { silence, spokenAudio } from "../support/speech-audio.js";
import { ifAssigned, must } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const LV = "Kā saņemt e-rēķinu par ūdeni?";
const RU = "Как получить электронный счёт за воду?";

interface ChatReply { text: string; buttons: { id: string; label: string }[]; listen?: true }

async function session(app: App): Promise<{ id: string; token: string; replies: ChatReply[] }> {
  const response = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  return (await response.json()) as { id: string; token: string; replies: ChatReply[] };
}

function upload(app: App, s: { id: string; token: string }, body: Uint8Array, type: string, query = ""): Promise<Response> {
  return fetch(`${app.url}/api/chat/sessions/${s.id}/voice${query}`, {
    method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": type }, body: body as Uint8Array<ArrayBuffer>,
  });
}

describe("web chat voice messages with a speech service", () => {
  let speech: FakeSpeechServer;
  let app: App;
  let lvWebm: Buffer;
  let ruWav: Buffer;

  beforeAll(async () => {
    [speech, lvWebm, ruWav] = await Promise.all([FakeSpeechServer.start(), spokenAudio(LV, "lv", "webm"), spokenAudio(RU, "ru", "wav")]);
    speech.learn(lvWebm, LV);
    speech.learn(ruWav, RU);
    app = await startTestApp({ env: { STT_BASE_URL: speech.url, TTS_BASE_URL: speech.url, STT_TIMEOUT_SECONDS: "1" } });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await ifAssigned(speech)?.close();
  });
  beforeEach(() => speech.reset());

  it("says what speech it offers", async () => {
    expect(await (await fetch(`${app.url}/api/chat/voice`)).json()).toEqual({ listen: true, speak: true });
  });

  it("answers a browser recording (WebM) like a typed message, first saying what it understood", async () => {
    const s = await session(app);
    const response = await upload(app, s, lvWebm, "audio/webm;codecs=opus");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { lang: string; replies: ChatReply[] };
    expect(body.lang).toBe("lv");
    expect(body.replies[0]?.text).toBe(`🎤 Sapratu: «${LV}»`);
    expect(body.replies[1]?.text).toMatch(/E-rēķin/);
    expect(body.replies[1]?.listen).toBe(true);
    expect(body.replies[0]?.listen).toBeUndefined();
    expect(speech.calls("transcriptions")[0]?.file?.name).toBe("voice.webm");
    const history = (await (await fetch(`${app.url}/api/chat/sessions/${s.id}`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: { direction: string; kind: string; text: string; listen?: true }[] };
    expect(history.messages.find((m) => m.direction === "in" && m.kind === "voice")?.text).toBe(LV);
    // After a reload the answer can still be listened to; the "Sapratu" line cannot.
    expect(history.messages.find((m) => m.text === body.replies[1]?.text)?.listen).toBe(true);
    expect(history.messages.find((m) => m.text.startsWith("🎤 Sapratu"))?.listen).toBeUndefined();
  });

  it("answers a Russian WAV recording in Russian", async () => {
    const s = await session(app);
    const body = (await (await upload(app, s, ruWav, "audio/wav")).json()) as { lang: string; replies: ChatReply[] };
    expect(body.lang).toBe("ru");
    expect(body.replies[0]?.text).toBe(`🎤 Я понял: «${RU}»`);
  });

  it("answers the same recording sent again with a message id once", async () => {
    const s = await session(app);
    const first = (await (await upload(app, s, lvWebm, "audio/webm", "?messageId=voice-0001")).json()) as { replies: ChatReply[]; repeated: boolean };
    const again = (await (await upload(app, s, lvWebm, "audio/webm", "?messageId=voice-0001")).json()) as { replies: ChatReply[]; repeated: boolean };
    expect(again.repeated).toBe(true);
    expect(again.replies.map((r) => r.text)).toEqual(first.replies.map((r) => r.text));
  });

  it("answers politely when the service is down, and over 2 minutes, and when nothing was heard", async () => {
    const s = await session(app);
    speech.fail("transcriptions", { kind: "status", status: 503 }, 5);
    const down = (await (await upload(app, s, lvWebm, "audio/webm")).json()) as { replies: ChatReply[] };
    expect(down.replies[0]?.text).toMatch(/šobrīd nevaru noklausīties/);
    expect(down.replies[0]?.buttons.map((b) => b.label).join(" ")).toMatch(/cilvēk/);
    speech.reset();
    const long = (await (await upload(app, s, await silence(180, "webm"), "audio/webm")).json()) as { replies: ChatReply[] };
    expect(long.replies[0]?.text).toMatch(/garāka par 2 minūtēm/);
    expect(speech.calls("transcriptions")).toHaveLength(0);
    const quiet = (await (await upload(app, s, await silence(2, "ogg"), "audio/ogg")).json()) as { replies: ChatReply[] };
    expect(quiet.replies[0]?.text).toMatch(/nesadzirdēju vārdus/);
  });

  it("refuses what is not a recording, and recordings over 20 MB", async () => {
    const s = await session(app);
    expect((await upload(app, s, Buffer.from("hello"), "text/plain")).status).toBe(415);
    expect((await upload(app, s, new Uint8Array(0), "audio/ogg")).status).toBe(400);
    const huge = await upload(app, s, new Uint8Array(21 * 1024 * 1024), "audio/ogg");
    expect(huge.status).toBe(413);
    const bad = (await (await upload(app, s, Buffer.from("not audio at all"), "audio/ogg")).json()) as { replies: ChatReply[] };
    expect(bad.replies[0]?.text).toMatch(/nevarēju atskaņot/);
  });

  it("needs the session token like messages", async () => {
    const s = await session(app);
    expect((await upload(app, { id: s.id, token: "wrong" }, lvWebm, "audio/webm")).status).toBe(401);
  });

  it("speaks a message the bot sent in this conversation, and nothing else", async () => {
    speech.speechAudio = await spokenAudio("Labdien", "lv", "ogg");
    const s = await session(app);
    const answer = (await (await fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: "ka sanemt e-rekinu par udeni" }),
    })).json()) as { replies: ChatReply[] };
    const spoken = answer.replies.find((r) => r.listen);
    expect(spoken).toBeDefined();
    const speak = (text: string): Promise<Response> => fetch(`${app.url}/api/chat/sessions/${s.id}/speech`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text }),
    });
    const audio = await speak(must(spoken, "the reply to listen to").text);
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/ogg");
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe("OggS");
    expect((await speak("Say anything I want")).status).toBe(404);
  });

  it("offers 🔊 for every part of a whole guide sent in several messages, and speaks each part", async () => {
    speech.speechAudio = await spokenAudio("Labdien", "lv", "ogg");
    const s = await session(app);
    const post = (body: unknown) => fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const whole = (await (await post({ button: "guide:online-safety" })).json()) as { replies: ChatReply[] };
    const parts = whole.replies.filter((r) => r.text.length > 500);
    expect(parts).toHaveLength(2);
    expect(parts.map((r) => r.listen)).toEqual([true, true]);
    for (const part of parts) {
      const audio = await fetch(`${app.url}/api/chat/sessions/${s.id}/speech`, {
        method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: part.text }),
      });
      expect(audio.status).toBe(200);
    }
  });
});

describe("web chat voice messages without a speech service", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("answers 503 voice_unavailable and offers neither 🎤 nor 🔊", async () => {
    expect(await (await fetch(`${app.url}/api/chat/voice`)).json()).toEqual({ listen: false, speak: false });
    const s = await session(app);
    const response = await upload(app, s, Buffer.from("OggS"), "audio/ogg");
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("voice_unavailable");
    const speak = await fetch(`${app.url}/api/chat/sessions/${s.id}/speech`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: "x" }),
    });
    expect(speak.status).toBe(503);
  });
});

describe("web chat speech offline with espeak-ng", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({ env: { TTS_OFFLINE: "auto" } });
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("speaks a guide answer as OGG/Opus with no speech service configured", async () => {
    const s = await session(app);
    const answer = (await (await fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: "ka sanemt e-rekinu par udeni" }),
    })).json()) as { replies: ChatReply[] };
    const spoken = answer.replies.find((r) => r.listen);
    const audio = await fetch(`${app.url}/api/chat/sessions/${s.id}/speech`, {
      method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: must(spoken, "the reply to listen to").text }),
    });
    expect(audio.status).toBe(200);
    const bytes = Buffer.from(await audio.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe("OggS");
    expect(bytes.subarray(0, 200).toString("latin1")).toContain("OpusHead");
    expect(bytes.length).toBeGreaterThan(2000);
  });
});
