/**
 * A bounded cache of synthesized speech per text and voice, so that the same flow step is not
 * synthesized twice. Least recently used first out, bounded by total bytes and entries;
 * concurrent requests for the same text share one synthesis.
 * @module
 */
import { createHash } from "node:crypto";
import type { Lang } from "../core/types.js";
import type { SpeechAudio } from "./audio.js";
import type { TextToSpeech } from "./speech.js";

/** Options of {@link CachedTextToSpeech}. */
export interface SpeechCacheOptions {
  /** @default 32 MiB */
  readonly maxBytes?: number;
  /** @default 500 */
  readonly maxEntries?: number;
}

/** A {@link TextToSpeech} that remembers what it said. */
export class CachedTextToSpeech implements TextToSpeech {
  readonly name: string;
  readonly #inner: TextToSpeech;
  readonly #entries = new Map<string, SpeechAudio>();
  readonly #pending = new Map<string, Promise<SpeechAudio>>();
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  #bytes = 0;
  /** Syntheses done by the inner engine (tests and the log). */
  misses = 0;

  constructor(inner: TextToSpeech, options: SpeechCacheOptions = {}) {
    this.#inner = inner;
    this.name = inner.name;
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.#maxEntries = options.maxEntries ?? 500;
  }

  voice(lang: Lang): string {
    return this.#inner.voice(lang);
  }

  /** Entries and bytes held now. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  async synthesize(text: string, lang: Lang): Promise<SpeechAudio> {
    const key = createHash("sha256").update(`${this.#inner.name}\0${this.#inner.voice(lang)}\0${text}`).digest("hex");
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const running = this.#pending.get(key);
    if (running) return running;
    const job = (async () => {
      this.misses++;
      const audio = await this.#inner.synthesize(text, lang);
      this.#store(key, audio);
      return audio;
    })();
    this.#pending.set(key, job);
    try {
      return await job;
    } finally {
      this.#pending.delete(key);
    }
  }

  #store(key: string, audio: SpeechAudio): void {
    if (audio.bytes.length > this.#maxBytes) return;
    this.#entries.set(key, audio);
    this.#bytes += audio.bytes.length;
    while (this.#bytes > this.#maxBytes || this.#entries.size > this.#maxEntries) {
      const next = this.#entries.entries().next();
      if (next.done) break;
      const [oldest, value] = next.value;
      this.#entries.delete(oldest);
      this.#bytes -= value.bytes.length;
    }
  }
}
