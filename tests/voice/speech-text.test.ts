import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/core/types.js";
import type { SpeechAudio } from "../../src/voice/audio.js";
import { CachedTextToSpeech } from "../../src/voice/speech-cache.js";
import type { TextToSpeech } from "../../src/voice/speech.js";
import { MAX_SPOKEN_LENGTH, prepareForSpeech } from "../../src/voice/speech-text.js";

describe("text prepared for speech", () => {
  it("drops emoji and markup and reads a web address as the link below", () => {
    const spoken = prepareForSpeech("📘 **E-rēķini**\nAtveriet https://www.latvija.gov.lv/lv 👉 un spiediet ✅", "lv");
    expect(spoken).toBe("E-rēķini. Atveriet saite zemāk un spiediet.");
  });

  it("says abbreviations as words in each language", () => {
    expect(prepareForSpeech("NĪN maksā VID kontā, ziņas nāk uz e-adresi.", "lv")).toBe("nekustamā īpašuma nodoklis maksā Valsts ieņēmumu dienests kontā, ziņas nāk uz e adresi.");
    expect(prepareForSpeech("Оплатите NĪN", "ru")).toBe("Оплатите налог на недвижимость.");
    expect(prepareForSpeech("Pay the NĪN to the VID", "en")).toBe("Pay the real estate tax to the State Revenue Service.");
  });

  it("reads phone numbers digit by digit and amounts with the currency", () => {
    expect(prepareForSpeech("Zvaniet 63012345, maksa 5 €.", "lv")).toBe("Zvaniet 6 3 0, 1 2 3, 4 5, maksa 5 eiro.");
  });

  it("turns bullet lines into sentences and keeps long texts within the limit", () => {
    expect(prepareForSpeech("Soļi:\n1. Atveriet lapu\n• Ievadiet kodu", "lv")).toBe("Soļi: Atveriet lapu. Ievadiet kodu.");
    const long = prepareForSpeech("Šis ir teikums. ".repeat(400), "lv");
    expect(long.length).toBeLessThanOrEqual(MAX_SPOKEN_LENGTH);
    expect(long.endsWith(".")).toBe(true);
  });

  it("leaves nothing to say for emoji only", () => {
    expect(prepareForSpeech("👍 🙂", "lv")).toBe("");
  });
});

describe("the speech cache", () => {
  const engine = (): TextToSpeech & { calls: number } => {
    const e = {
      name: "test", calls: 0,
      voice: (lang: Lang) => lang,
      synthesize: (text: string): Promise<SpeechAudio> => {
        e.calls++;
        return Promise.resolve({ bytes: new Uint8Array(text.length * 10), contentType: "audio/ogg" });
      },
    };
    return e;
  };

  it("synthesizes the same text and voice once, also when asked twice at the same time", async () => {
    const inner = engine();
    const cache = new CachedTextToSpeech(inner);
    await Promise.all([cache.synthesize("Labdien", "lv"), cache.synthesize("Labdien", "lv")]);
    await cache.synthesize("Labdien", "lv");
    expect(inner.calls).toBe(1);
    await cache.synthesize("Labdien", "ru");
    expect(inner.calls).toBe(2);
  });

  it("stays within its byte bound, forgetting the least recently used first", async () => {
    const inner = engine();
    const cache = new CachedTextToSpeech(inner, { maxBytes: 250 });
    await cache.synthesize("a".repeat(10), "lv");
    await cache.synthesize("b".repeat(10), "lv");
    await cache.synthesize("a".repeat(10), "lv");
    await cache.synthesize("c".repeat(10), "lv");
    expect(cache.size.bytes).toBeLessThanOrEqual(250);
    await cache.synthesize("a".repeat(10), "lv");
    expect(inner.calls).toBe(3);
    await cache.synthesize("b".repeat(10), "lv");
    expect(inner.calls).toBe(4);
  });
});
