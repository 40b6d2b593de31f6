/**
 * Speech at the channel edge: a voice message becomes the turn's input — its transcript as text
 * marked as spoken, or, when that cannot be, the voice message itself with the reason (no speech
 * service, the service down, too long, too large, not audio, nothing heard), which the core
 * answers politely. Nothing is lost: the recording stays referenced for staff either way. And an
 * answer becomes speech (prepared text, cached). The core never sees an SDK.
 * @module
 */
import { VoiceError } from "../core/errors.js";
import { sanitizeText } from "../core/sanitize.js";
import type { FileRef, Input, Lang, VoiceProblem } from "../core/types.js";
import type { VoiceConfig } from "../config.js";
import type { Logger } from "../log.js";
import { measureSeconds, type AudioClip, type SpeechAudio } from "./audio.js";
import { espeakAvailable, EspeakTextToSpeech } from "./espeak.js";
import { CachedTextToSpeech } from "./speech-cache.js";
import type { SpeechToText, TextToSpeech } from "./speech.js";
import { prepareForSpeech } from "./speech-text.js";

/** The longest voice message transcribed, in seconds. */
export const MAX_VOICE_SECONDS = 120;
/** The largest voice message accepted, in bytes (20 MB, also Telegram's download limit for bots). */
export const MAX_VOICE_BYTES = 20 * 1024 * 1024;
/** The longest transcript used as a message (like typed text). */
const MAX_TRANSCRIPT = 4000;

/** What is known about a voice message before its bytes are fetched. */
export interface VoiceMessage {
  readonly media: "voice" | "audio";
  /** Where staff can fetch it again. */
  readonly file?: FileRef;
  /** The resident's language, the hint for the transcription. */
  readonly lang?: Lang;
  /** What the channel says about it (Telegram's `duration` and `file_size`). */
  readonly declaredSeconds?: number;
  readonly declaredBytes?: number;
}

/** Options of {@link Voice}. */
export interface VoiceOptions {
  readonly stt?: SpeechToText;
  readonly tts?: TextToSpeech;
  readonly log: Logger;
  readonly maxSeconds?: number;
  readonly maxBytes?: number;
}

const PROBLEMS: Readonly<Record<VoiceError["code"], VoiceProblem>> = {
  voice_unavailable: "unavailable", voice_too_long: "too_long", voice_too_large: "too_large", voice_unreadable: "unreadable",
};

/** Speech in and out for the channels. */
export class Voice {
  readonly #stt: SpeechToText | undefined;
  readonly #tts: TextToSpeech | undefined;
  readonly #log: Logger;
  readonly maxSeconds: number;
  readonly maxBytes: number;

  constructor(options: VoiceOptions) {
    this.#stt = options.stt;
    this.#tts = options.tts;
    this.#log = options.log;
    this.maxSeconds = options.maxSeconds ?? MAX_VOICE_SECONDS;
    this.maxBytes = options.maxBytes ?? MAX_VOICE_BYTES;
  }

  /** True when voice messages are transcribed. */
  get canListen(): boolean {
    return this.#stt !== undefined;
  }

  /** True when answers can be spoken. */
  get canSpeak(): boolean {
    return this.#tts !== undefined;
  }

  /** What speaks, for the health check and the log. */
  describe(): { stt: boolean; tts?: string } {
    return { stt: this.canListen, ...(this.#tts ? { tts: this.#tts.name } : {}) };
  }

  /**
   * The turn's input for a voice message whose bytes `fetch` gets: the transcript, or the voice
   * message with the reason it could not be used. Never throws.
   */
  async hear(message: VoiceMessage, fetch: () => Promise<AudioClip>): Promise<Input> {
    const asMedia = (voiceProblem: VoiceProblem): Input => ({ kind: "media", media: message.media, ...(message.file ? { file: message.file } : {}), voiceProblem });
    if (!this.#stt) return asMedia("unconfigured");
    if ((message.declaredBytes ?? 0) > this.maxBytes) return asMedia("too_large");
    if ((message.declaredSeconds ?? 0) > this.maxSeconds) return asMedia("too_long");
    const started = Date.now();
    try {
      let clip: AudioClip;
      try {
        clip = await fetch();
      } catch (error) {
        if (error instanceof VoiceError) throw error;
        throw new VoiceError("voice_unavailable", "the recording could not be fetched from the channel", { cause: error });
      }
      if (clip.bytes.length > this.maxBytes) throw new VoiceError("voice_too_large", `the recording has ${clip.bytes.length} bytes`);
      if (clip.bytes.length === 0) throw new VoiceError("voice_unreadable", "the recording is empty");
      const seconds = await measureSeconds(clip, this.maxSeconds);
      if (seconds !== undefined && seconds > this.maxSeconds) throw new VoiceError("voice_too_long", `the recording is longer than ${this.maxSeconds} s`);
      const raw = await this.#stt.transcribe(clip, message.lang ? { lang: message.lang } : {});
      const text = sanitizeText(raw).replace(/\s+/g, " ").trim().slice(0, MAX_TRANSCRIPT);
      // Never the transcript itself in the log: only how long it took and how much was heard.
      this.#log.info("voice message transcribed", { media: message.media, seconds: seconds === undefined ? undefined : Math.round(seconds), chars: text.length, ms: Date.now() - started });
      if (!/[\p{L}\p{N}]/u.test(text)) return asMedia("empty");
      return { kind: "text", text, spoken: { media: message.media, ...(message.file ? { file: message.file } : {}) } };
    } catch (error) {
      const code = error instanceof VoiceError ? error.code : "voice_unavailable";
      const log = code === "voice_unavailable" ? this.#log.warn.bind(this.#log) : this.#log.info.bind(this.#log);
      log("voice message not transcribed", { code, reason: error instanceof Error ? error.message : String(error), ms: Date.now() - started });
      return asMedia(PROBLEMS[code]);
    }
  }

  /**
   * `text` (a reply) as speech in `lang`, prepared for listening.
   * @throws {VoiceError} `voice_unavailable` without speech or when it fails; `voice_unreadable` when nothing is left to say.
   */
  async speak(text: string, lang: Lang): Promise<SpeechAudio> {
    if (!this.#tts) throw new VoiceError("voice_unavailable", "no speech is configured");
    const spoken = prepareForSpeech(text, lang);
    if (spoken === "") throw new VoiceError("voice_unreadable", "nothing to say");
    try {
      return await this.#tts.synthesize(spoken, lang);
    } catch (error) {
      this.#log.warn("speech failed", { engine: this.#tts.name, reason: error instanceof Error ? error.message : String(error) });
      throw error instanceof VoiceError ? error : new VoiceError("voice_unavailable", "speech failed", { cause: error });
    }
  }
}

/**
 * The voice of the app from its settings: OpenAI-compatible transcription when `STT_BASE_URL`
 * is set; speech through `TTS_BASE_URL`, else espeak-ng when installed (and not turned off);
 * speech is cached.
 */
export async function createVoice(config: VoiceConfig, log: Logger): Promise<Voice> {
  // The OpenAI SDK is loaded only when a speech service is configured.
  const openai = config.stt || config.tts ? await import("./speech.js") : undefined;
  const stt = config.stt && openai ? new openai.OpenAISpeechToText({ ...config.stt }) : undefined;
  let tts: TextToSpeech | undefined;
  if (config.tts && openai) tts = new openai.OpenAITextToSpeech({ ...config.tts, voices: config.voices, ...(config.stt ? { timeoutMs: config.stt.timeoutMs } : {}) });
  else if (config.offline && await espeakAvailable()) tts = new EspeakTextToSpeech({ voices: config.voices });
  const voice = new Voice({ ...(stt ? { stt } : {}), ...(tts ? { tts: new CachedTextToSpeech(tts) } : {}), log });
  log.info("speech", { transcription: stt ? "on" : "off (set STT_BASE_URL to transcribe voice messages)", speech: tts?.name ?? "off" });
  return voice;
}
