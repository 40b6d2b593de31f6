/**
 * Offline speech with espeak-ng (Debian package `espeak-ng`: Latvian, Russian and English
 * voices), converted to OGG/Opus with ffmpeg. Robotic but understandable, and nothing leaves
 * the server. The text goes on stdin, never on the command line.
 * @module
 */
import { VoiceError } from "../core/errors.js";
import type { Lang } from "../core/types.js";
import { installed, run, toOggOpus, type SpeechAudio } from "./audio.js";
import type { TextToSpeech } from "./speech.js";

/** espeak-ng's voice per language. */
const DEFAULT_VOICES: Readonly<Record<Lang, string>> = { lv: "lv", ru: "ru", en: "en-gb" };

/** True when both espeak-ng and ffmpeg can be started. */
export async function espeakAvailable(): Promise<boolean> {
  const [espeak, ffmpeg] = await Promise.all([installed("espeak-ng", ["--version"]), installed("ffmpeg")]);
  return espeak && ffmpeg;
}

/** Speech through espeak-ng. */
export class EspeakTextToSpeech implements TextToSpeech {
  readonly name = "espeak-ng";
  readonly #voices: Readonly<Partial<Record<Lang, string>>>;
  /** Words per minute: a little slower than espeak's 175, for older listeners. */
  readonly #speed: number;

  constructor(options: { voices?: Readonly<Partial<Record<Lang, string>>>; wordsPerMinute?: number } = {}) {
    this.#voices = options.voices ?? {};
    this.#speed = options.wordsPerMinute ?? 150;
  }

  voice(lang: Lang): string {
    return this.#voices[lang] ?? DEFAULT_VOICES[lang];
  }

  async synthesize(text: string, lang: Lang): Promise<SpeechAudio> {
    let wav: Buffer;
    try {
      const result = await run("espeak-ng", ["-v", this.voice(lang), "-s", String(this.#speed), "--stdin", "--stdout"],
        new TextEncoder().encode(text), { timeoutMs: 30_000, maxOutput: 50 * 1024 * 1024 });
      if (result.code !== 0 || result.stdout.length < 100) throw new Error(result.stderr.trim().slice(0, 200) || `exit ${result.code}`);
      wav = result.stdout;
    } catch (error) {
      throw new VoiceError("voice_unavailable", "espeak-ng could not speak", { cause: error });
    }
    return toOggOpus(wav);
  }
}
