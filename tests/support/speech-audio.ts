/**
 * Real recordings for tests, made with espeak-ng and ffmpeg (both installed by `.ci/run`):
 * a spoken sentence as OGG/Opus (a Telegram voice note), WebM/Opus (a browser recording) or
 * WAV, and long silence (a voice note over the limit).
 */
import { run } from "../../src/voice/audio.js";

/** Audio formats the tests send. */
export type AudioFormat = "ogg" | "webm" | "wav" | "mp3";

const FFMPEG_OUT: Readonly<Record<AudioFormat, readonly string[]>> = {
  ogg: ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"],
  webm: ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"],
  wav: ["-ac", "1", "-ar", "16000", "-f", "wav"],
  mp3: ["-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3"],
};

async function ffmpeg(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  const result = await run("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], input, { timeoutMs: 60_000, maxOutput: 50 * 1024 * 1024 });
  if (result.code !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  return result.stdout;
}

/** `text` spoken by espeak-ng in `voice` (lv, ru, en-gb), as `format`. */
export async function spokenAudio(text: string, voice: string, format: AudioFormat): Promise<Buffer> {
  const wav = await run("espeak-ng", ["-v", voice, "--stdin", "--stdout"], new TextEncoder().encode(text), { timeoutMs: 30_000, maxOutput: 50 * 1024 * 1024 });
  if (wav.code !== 0) throw new Error(`espeak-ng failed: ${wav.stderr}`);
  return ffmpeg(["-i", "pipe:0", ...FFMPEG_OUT[format], "pipe:1"], wav.stdout);
}

/** `seconds` of silence as `format`. */
export function silence(seconds: number, format: AudioFormat): Promise<Buffer> {
  return ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", String(seconds), ...FFMPEG_OUT[format], "pipe:1"]);
}
