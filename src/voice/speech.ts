/**
 * The narrow speech interfaces the rest of the app sees — {@link SpeechToText} and
 * {@link TextToSpeech} — and their OpenAI-compatible implementations through the `openai`
 * package with a configurable `baseURL` (OpenAI itself, or a self-hosted Whisper / speech
 * server that speaks `POST /v1/audio/transcriptions` and `POST /v1/audio/speech`). Every
 * failure becomes a coded {@link VoiceError}; callers never see the SDK's errors.
 * @module
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, toFile } from "openai";
import { VoiceError } from "../core/errors.js";
import type { Lang } from "../core/types.js";
import { AUDIO_TYPES, baseType, toOggOpus, type AudioClip, type SpeechAudio } from "./audio.js";

/** Turns a recording into text. */
export interface SpeechToText {
  /**
   * The transcript ("" when nothing was heard).
   * @throws {VoiceError} `voice_unavailable` (the service failed or timed out), `voice_unreadable` (it refused the audio).
   */
  transcribe(clip: AudioClip, options: { readonly lang?: Lang }): Promise<string>;
}

/** Turns text into speech (OGG/Opus). */
export interface TextToSpeech {
  /** What speaks, for the log and the cache key (e.g. `openai:tts-1`, `espeak-ng`). */
  readonly name: string;
  /** The voice used for a language. */
  voice(lang: Lang): string;
  /** @throws {VoiceError} `voice_unavailable` when it cannot speak now. */
  synthesize(text: string, lang: Lang): Promise<SpeechAudio>;
}

/** Options of the OpenAI-compatible clients. */
export interface OpenAISpeechOptions {
  /** E.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  readonly baseUrl: string;
  /** Optional for self-hosted servers. */
  readonly apiKey?: string;
  readonly model: string;
  /** Per attempt. @default 15000 */
  readonly timeoutMs?: number;
  /** Attempts after the first (5xx, 429, timeouts, connection errors). @default 1 */
  readonly retries?: number;
}

const client = (o: OpenAISpeechOptions): OpenAI => new OpenAI({
  baseURL: o.baseUrl,
  // Self-hosted servers take no key; the SDK insists on one.
  apiKey: o.apiKey ?? "not-needed",
  timeout: o.timeoutMs ?? 15_000,
  maxRetries: o.retries ?? 1,
});

/** The SDK's errors as ours: a refusal of the audio itself (400, 413, 415) or the service failing. */
function asVoiceError(error: unknown, what: string): VoiceError {
  if (error instanceof VoiceError) return error;
  if (error instanceof APIConnectionTimeoutError) return new VoiceError("voice_unavailable", `${what} timed out`, { cause: error });
  if (error instanceof APIConnectionError) return new VoiceError("voice_unavailable", `${what} could not be reached`, { cause: error });
  if (error instanceof APIError && (error.status === 400 || error.status === 413 || error.status === 415)) {
    return new VoiceError("voice_unreadable", `${what} refused the audio (HTTP ${error.status})`, { cause: error });
  }
  if (error instanceof APIError) return new VoiceError("voice_unavailable", `${what} failed${error.status ? ` (HTTP ${error.status})` : ""}`, { cause: error });
  return new VoiceError("voice_unavailable", `${what} failed`, { cause: error });
}

/** Transcription through an OpenAI-compatible `POST /audio/transcriptions`. */
export class OpenAISpeechToText implements SpeechToText {
  readonly #client: OpenAI;
  readonly #model: string;

  constructor(options: OpenAISpeechOptions) {
    this.#client = client(options);
    this.#model = options.model;
  }

  async transcribe(clip: AudioClip, options: { readonly lang?: Lang }): Promise<string> {
    const type = baseType(clip.contentType);
    const file = await toFile(clip.bytes, `voice.${AUDIO_TYPES[type] ?? "ogg"}`, { type });
    let result: unknown;
    try {
      result = await this.#client.audio.transcriptions.create({
        file, model: this.#model, response_format: "json", ...(options.lang ? { language: options.lang } : {}),
      });
    } catch (error) {
      throw asVoiceError(error, "the transcription service");
    }
    // A server that answers something else than {"text": "..."} is as good as down.
    const text = typeof result === "object" && result !== null ? (result as { text?: unknown }).text : undefined;
    if (typeof text !== "string") throw new VoiceError("voice_unavailable", "the transcription service gave no text");
    return text;
  }
}

/** Options of {@link OpenAITextToSpeech}. */
export interface OpenAITextToSpeechOptions extends OpenAISpeechOptions {
  /** The voice per language; `alloy` where none is set. */
  readonly voices?: Readonly<Partial<Record<Lang, string>>>;
}

/** Speech through an OpenAI-compatible `POST /audio/speech`, asked for Opus (OGG). */
export class OpenAITextToSpeech implements TextToSpeech {
  readonly name: string;
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #voices: Readonly<Partial<Record<Lang, string>>>;

  constructor(options: OpenAITextToSpeechOptions) {
    this.#client = client(options);
    this.#model = options.model;
    this.#voices = options.voices ?? {};
    this.name = `openai:${options.model}`;
  }

  voice(lang: Lang): string {
    return this.#voices[lang] ?? "alloy";
  }

  async synthesize(text: string, lang: Lang): Promise<SpeechAudio> {
    let bytes: Uint8Array;
    let type: string;
    try {
      const response = await this.#client.audio.speech.create({ model: this.#model, voice: this.voice(lang), input: text, response_format: "opus" });
      type = baseType(response.headers.get("content-type") ?? "");
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw asVoiceError(error, "the speech service");
    }
    if (bytes.length < 4) throw new VoiceError("voice_unavailable", "the speech service gave no audio");
    // OGG starts with "OggS"; anything else (WAV, MP3 from a server that ignores the format) is converted.
    const ogg = bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
    if (ogg) return { bytes, contentType: "audio/ogg" };
    if (type.startsWith("application/json") || type.startsWith("text/")) throw new VoiceError("voice_unavailable", "the speech service gave no audio");
    return toOggOpus(bytes);
  }
}
