/**
 * Audio tools through ffmpeg (Debian package `ffmpeg`): how long a recording really is (decoded,
 * so that a header cannot lie and a browser's WebM without a duration still counts), and
 * conversion of speech to OGG/Opus, the format Telegram plays as a voice message. Each run has a
 * time limit and a bounded output; nothing is written to disk.
 * @module
 */
import { spawn } from "node:child_process";
import { VoiceError } from "../core/errors.js";

/** A recording, as a channel received it. */
export interface AudioClip {
  readonly bytes: Uint8Array;
  /** `audio/ogg`, `audio/webm`, `audio/wav`, `audio/mpeg`… */
  readonly contentType: string;
}

/** Synthesized speech: OGG/Opus. */
export interface SpeechAudio {
  readonly bytes: Uint8Array;
  readonly contentType: "audio/ogg";
}

/** The recording types residents may send, with a file name extension for the speech service. */
export const AUDIO_TYPES: Readonly<Record<string, string>> = {
  "audio/ogg": "ogg",
  "audio/opus": "ogg",
  "audio/webm": "webm",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
};

/** The bare media type (`audio/webm;codecs=opus` → `audio/webm`), lower case. */
export function baseType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Result of one external program run. */
interface RunResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs `command` with `input` on stdin; kills it after `timeoutMs` or when stdout passes
 * `maxOutput` bytes. Rejects with `ENOENT` when the program is not installed.
 */
export function run(command: string, args: readonly string[], input: Uint8Array | undefined, options: { timeoutMs: number; maxOutput: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let settled = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxOutput) child.kill("SIGKILL");
      else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      if (!settled) reject(error);
      settled = true;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (!settled) resolve({ code, stdout: Buffer.concat(chunks), stderr });
      settled = true;
    });
    // A program that stops reading early (an unreadable file) must not break the pipe for us.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : undefined);
  });
}

/** True when `command` can be started (e.g. `ffmpeg -version`). */
export async function installed(command: string, args: readonly string[] = ["-version"]): Promise<boolean> {
  try {
    const result = await run(command, args, undefined, { timeoutMs: 5000, maxOutput: 1_000_000 });
    return result.code === 0;
  } catch {
    return false;
  }
}

/** Decoded as 8 kHz mono 16-bit: 16,000 bytes per second. */
const DECODED_BYTES_PER_SECOND = 16_000;

/**
 * How many seconds of sound a recording holds, decoding at most `limitSeconds + 1` of it (a
 * longer one answers just over the limit). Undefined when ffmpeg is not installed.
 * @throws {VoiceError} `voice_unreadable` when it is not audio ffmpeg can decode.
 */
export async function measureSeconds(clip: AudioClip, limitSeconds: number): Promise<number | undefined> {
  let result: RunResult;
  try {
    result = await run("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-t", String(limitSeconds + 1), "-vn", "-ac", "1", "-ar", "8000", "-f", "s16le", "pipe:1"],
      clip.bytes, { timeoutMs: 20_000, maxOutput: (limitSeconds + 2) * DECODED_BYTES_PER_SECOND });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (result.code !== 0 || result.stdout.length === 0) throw new VoiceError("voice_unreadable", `the recording could not be decoded: ${result.stderr.trim().slice(0, 200)}`);
  return result.stdout.length / DECODED_BYTES_PER_SECOND;
}

/**
 * Converts audio (e.g. espeak-ng's WAV) to OGG/Opus, mono, 24 kbit/s: small, and Telegram shows
 * it as a voice message.
 * @throws {VoiceError} `voice_unavailable` when ffmpeg is missing or fails.
 */
export async function toOggOpus(input: Uint8Array): Promise<SpeechAudio> {
  let result: RunResult;
  try {
    result = await run("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-ac", "1", "-ar", "48000", "-c:a", "libopus", "-b:a", "24k", "-application", "voip", "-f", "ogg", "pipe:1"],
      input, { timeoutMs: 30_000, maxOutput: 20 * 1024 * 1024 });
  } catch (error) {
    throw new VoiceError("voice_unavailable", "ffmpeg could not be started", { cause: error });
  }
  if (result.code !== 0 || result.stdout.length === 0) throw new VoiceError("voice_unavailable", `ffmpeg failed: ${result.stderr.trim().slice(0, 200)}`);
  return { bytes: new Uint8Array(result.stdout), contentType: "audio/ogg" };
}
