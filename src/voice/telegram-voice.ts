/**
 * Speech on Telegram: a voice note or audio file is fetched (getFile → download), transcribed
 * and becomes the turn's input; a "🔊" button under guide answers and flow steps sends that
 * message back as a voice message (OGG/Opus). Used by `channels/telegram.ts`.
 * @module
 */
import { InputFile, type Api } from "grammy";
import type { Message } from "grammy/types";
import type { Button, Input, Lang, Reply } from "../core/types.js";
import { VOICE_TEXTS } from "../core/voice-texts.js";
import type { Logger } from "../log.js";
import type { AudioClip } from "./audio.js";
import type { Voice } from "./voice.js";

/** The callback data of the "🔊 Listen" button (handled by the channel, never by the core). */
export const LISTEN_BUTTON_ID = "voice:listen";

/** The "🔊 Listen" button in `lang`. */
export function listenButton(lang: Lang): Button {
  return { id: LISTEN_BUTTON_ID, label: VOICE_TEXTS[lang].listen };
}

/** `reply` with the listen button when it is worth listening to and speech is available. */
export function withListenButton(reply: Reply, voice: Voice | undefined, lang: Lang): Reply {
  return voice?.canSpeak && reply.listen ? { ...reply, buttons: [...reply.buttons, listenButton(lang)] } : reply;
}

/** The media type of a Telegram file from its path. */
export function telegramFileType(filePath: string): string {
  return /\.(jpe?g)$/i.test(filePath) ? "image/jpeg" : /\.png$/i.test(filePath) ? "image/png"
    : /\.pdf$/i.test(filePath) ? "application/pdf" : /\.(oga|ogg|opus)$/i.test(filePath) ? "audio/ogg"
      : /\.mp3$/i.test(filePath) ? "audio/mpeg" : /\.m4a$/i.test(filePath) ? "audio/mp4"
        : /\.wav$/i.test(filePath) ? "audio/wav" : /\.webm$/i.test(filePath) ? "audio/webm" : "application/octet-stream";
}

/**
 * The input for a voice note or audio file in `message`: its transcript, or the voice message
 * with the reason it could not be used. Undefined for other messages.
 */
export async function hearTelegram(
  voice: Voice, message: Message | undefined, input: Input, lang: Lang | undefined,
  download: (fileId: string) => Promise<{ bytes: Uint8Array; contentType: string }>,
): Promise<Input | undefined> {
  const media = message?.voice ?? message?.audio;
  if (!media || input.kind !== "media" || (input.media !== "voice" && input.media !== "audio")) return undefined;
  const fetch = async (): Promise<AudioClip> => {
    const file = await download(media.file_id);
    return { bytes: file.bytes, contentType: media.mime_type ?? file.contentType };
  };
  return voice.hear({
    media: input.media, file: { channel: "telegram", id: media.file_id, ...(input.file?.name ? { name: input.file.name } : {}) },
    ...(lang ? { lang } : {}), declaredSeconds: media.duration, ...(media.file_size !== undefined ? { declaredBytes: media.file_size } : {}),
  }, fetch);
}

/** Sends the text of the message the listen button was on as a voice message. */
export async function speakTelegram(voice: Voice, api: Api, chatId: number, text: string, lang: Lang, log: Logger): Promise<void> {
  await api.sendChatAction(chatId, "record_voice").catch(() => undefined);
  try {
    const audio = await voice.speak(text, lang);
    await api.sendVoice(chatId, new InputFile(audio.bytes, "digipaligs.ogg"));
  } catch (error) {
    log.warn("could not send an answer as speech", { error });
    await api.sendMessage(chatId, VOICE_TEXTS[lang].listenFailed).catch(() => undefined);
  }
}
