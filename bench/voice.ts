/**
 * Table 4 of `npm run bench`: the bot's own share of a voice turn. One in-process app (embedded
 * PGlite) against the fake OpenAI-compatible speech server on loopback, which answers at once:
 * whatever a voice turn takes beyond a typed turn with the same words is the bot's own work
 * (reading the upload, measuring the recording with ffmpeg, the multipart request to the service).
 * Also speech out: the first "🔊" of a step (espeak-ng + ffmpeg) and the cached one.
 * @module
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { openDatabase } from "../src/store/database.js";
import { measureSeconds } from "../src/voice/audio.js";
import { FakeSpeechServer } from "../tests/support/fake-openai.js";
import { spokenAudio } from "../tests/support/speech-audio.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const SENTENCE = "Kā saņemt e-rēķinu par ūdeni?";

/** Latencies in milliseconds. */
export interface Spread { readonly p50: number; readonly p95: number }

/** The voice table's figures. */
export interface VoiceRow {
  readonly turns: number;
  readonly recordingSeconds: number;
  readonly recordingKb: number;
  readonly typed: Spread;
  readonly voice: Spread;
  readonly speechFirst: Spread;
  readonly speechCached: Spread;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Runs `turns` typed and `turns` voice turns (alternating, each in its own conversation) and the speech rounds. */
export async function runVoiceBench(turns = 40): Promise<VoiceRow> {
  const speech = await FakeSpeechServer.start();
  const recording = await spokenAudio(SENTENCE, "lv", "webm");
  speech.learn(recording, SENTENCE);
  const config = loadConfig({
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1",
    WEB_SESSIONS_PER_ADDRESS: "1000000", WEB_SESSIONS_PER_MINUTE: "1000000", STT_BASE_URL: speech.url, TTS_OFFLINE: "auto",
  });
  const database = await openDatabase({ kind: "pglite" });
  const app = await startApp(config, silentLogger, { database });
  try {
    const url = app.url;
    const session = async (): Promise<{ id: string; token: string }> =>
      (await (await fetch(`${url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { id: string; token: string };
    const typed: number[] = [];
    const voice: number[] = [];
    const spoken: string[] = [];
    for (let i = 0; i < turns; i++) {
      for (const kind of i % 2 === 0 ? ["typed", "voice"] : ["voice", "typed"]) {
        const s = await session();
        const auth = { authorization: `Bearer ${s.token}` };
        const started = performance.now();
        const response = kind === "typed"
          ? await fetch(`${url}/api/chat/sessions/${s.id}/messages`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ text: SENTENCE }) })
          : await fetch(`${url}/api/chat/sessions/${s.id}/voice`, { method: "POST", headers: { ...auth, "content-type": "audio/webm" }, body: recording });
        const body = (await response.json()) as { replies?: { text: string; listen?: boolean }[] };
        (kind === "typed" ? typed : voice).push(performance.now() - started);
        if (kind === "voice" && !body.replies?.[0]?.text.startsWith("🎤")) throw new Error("a voice turn was not transcribed");
        const listen = body.replies?.find((r) => r.listen)?.text;
        if (listen && spoken.length < 10 && kind === "typed") spoken.push(listen);
      }
    }
    // Speech out: each text twice (synthesized, then from the cache), in one conversation that said them.
    const speechFirst: number[] = [];
    const speechCached: number[] = [];
    const s = await session();
    const auth = { authorization: `Bearer ${s.token}`, "content-type": "application/json" };
    const answer = (await (await fetch(`${url}/api/chat/sessions/${s.id}/messages`, { method: "POST", headers: auth, body: JSON.stringify({ text: SENTENCE }) })).json()) as { replies: { text: string; listen?: boolean }[] };
    const text = answer.replies.find((r) => r.listen)?.text;
    if (text && app.voice.canSpeak) {
      for (let i = 0; i < 5; i++) {
        // A fresh variant each round, so that the first call really synthesizes.
        const variant = (await (await fetch(`${url}/api/chat/sessions/${s.id}/messages`, { method: "POST", headers: auth, body: JSON.stringify({ text: ["e-adrese", "deklarēt dzīvesvietu", "nekustamā īpašuma nodoklis", "skaitītāju rādījumi", "krāpnieki zvana"][i] }) })).json()) as { replies: { text: string; listen?: boolean }[] };
        const say = variant.replies.find((r) => r.listen)?.text ?? text;
        for (const bucket of [speechFirst, speechCached]) {
          const started = performance.now();
          const res = await fetch(`${url}/api/chat/sessions/${s.id}/speech`, { method: "POST", headers: auth, body: JSON.stringify({ text: say }) });
          await res.arrayBuffer();
          bucket.push(performance.now() - started);
        }
      }
    }
    return {
      turns, recordingSeconds: (await measureSeconds({ bytes: recording, contentType: "audio/webm" }, 120)) ?? Number.NaN, recordingKb: recording.length / 1024,
      typed: spread(typed), voice: spread(voice), speechFirst: spread(speechFirst), speechCached: spread(speechCached),
    };
  } finally {
    await app.close();
    await database.close();
    await speech.close();
  }
}
