import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { ConfigError } from "../../src/core/errors.js";

describe("speech settings", () => {
  it("leave speech off by default, with offline speech allowed", () => {
    const config = loadConfig({});
    expect(config.voice).toEqual({ voices: {}, offline: true });
  });

  it("read an OpenAI-compatible transcription and speech service, voices per language", () => {
    const config = loadConfig({
      STT_BASE_URL: "http://127.0.0.1:8000/v1/", STT_MODEL: "Systran/faster-whisper-small", STT_TIMEOUT_SECONDS: "20",
      TTS_BASE_URL: "https://api.openai.com/v1", TTS_API_KEY: "sk-tts", TTS_VOICE_LV: "nova", TTS_OFFLINE: "off",
    });
    expect(config.voice).toEqual({
      stt: { baseUrl: "http://127.0.0.1:8000/v1", model: "Systran/faster-whisper-small", timeoutMs: 20_000 },
      tts: { baseUrl: "https://api.openai.com/v1", apiKey: "sk-tts", model: "tts-1" },
      voices: { lv: "nova" }, offline: false,
    });
  });

  it("use the transcription key for speech when speech has none", () => {
    const config = loadConfig({ STT_BASE_URL: "https://api.openai.com/v1", STT_API_KEY: "sk-one", TTS_BASE_URL: "https://api.openai.com/v1" });
    expect(config.voice.stt?.apiKey).toBe("sk-one");
    expect(config.voice.tts?.apiKey).toBe("sk-one");
  });

  it("name each bad setting and what to put there, never echoing a key", () => {
    let error: unknown;
    try {
      loadConfig({ STT_BASE_URL: "ftp://whisper", STT_API_KEY: "sk-secret", STT_TIMEOUT_SECONDS: "999" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/STT_BASE_URL="ftp:\/\/whisper"/);
    expect(message).toMatch(/STT_TIMEOUT_SECONDS/);
    expect(message).not.toContain("sk-secret");
  });
});
