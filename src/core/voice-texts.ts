/**
 * What the assistant says about speech: the "🎤 I understood: «…»" line before an answer to a
 * voice message, the polite answers when a voice message cannot become text, and the label of
 * the "🔊 Listen" button. The unconfigured case keeps the general media answer (messages.ts).
 * @module
 */
import { MESSAGES } from "./messages.js";
import type { Lang, VoiceProblem } from "./types.js";

/** Texts about speech in one language. */
export interface VoiceTexts {
  /** Shown first, so that the resident can see a mishearing. */
  heard(transcript: string): string;
  /** Why the voice message could not be used, and what to do instead. */
  readonly problems: Readonly<Record<Exclude<VoiceProblem, "unconfigured">, string>>;
  /** The button that sends an answer as speech. */
  readonly listen: string;
  /** Said when an answer could not be turned into speech just now. */
  readonly listenFailed: string;
}

/** Speech texts per language. */
export const VOICE_TEXTS: Readonly<Record<Lang, VoiceTexts>> = {
  lv: {
    heard: (text) => `🎤 Sapratu: «${text}»`,
    problems: {
      unavailable: "Atvainojiet, šobrīd nevaru noklausīties balss ziņu. Lūdzu, mēģiniet vēlāk vai uzrakstiet jautājumu ar burtiem. Varat arī runāt ar cilvēku.",
      too_long: "Balss ziņa ir garāka par 2 minūtēm. Lūdzu, ierunājiet īsāku ziņu vai uzrakstiet jautājumu ar burtiem.",
      too_large: "Šis ieraksts ir pārāk liels. Lūdzu, ierunājiet īsāku ziņu vai uzrakstiet jautājumu ar burtiem.",
      unreadable: "Šo ierakstu nevarēju atskaņot. Lūdzu, ierunājiet ziņu vēlreiz vai uzrakstiet jautājumu ar burtiem.",
      empty: "Atvainojiet, ierakstā nesadzirdēju vārdus. Lūdzu, pasakiet vēlreiz tuvāk telefonam vai uzrakstiet jautājumu. Varat arī runāt ar cilvēku.",
    },
    listen: "🔊 Noklausīties",
    listenFailed: "Atvainojiet, šo atbildi šobrīd nevaru nolasīt balsī. Lūdzu, izlasiet to augstāk.",
  },
  ru: {
    heard: (text) => `🎤 Я понял: «${text}»`,
    problems: {
      unavailable: "Извините, сейчас не могу прослушать голосовое сообщение. Пожалуйста, попробуйте позже или напишите вопрос текстом. Можно также поговорить с человеком.",
      too_long: "Голосовое сообщение длиннее 2 минут. Пожалуйста, запишите сообщение покороче или напишите вопрос текстом.",
      too_large: "Эта запись слишком большая. Пожалуйста, запишите сообщение покороче или напишите вопрос текстом.",
      unreadable: "Не удалось воспроизвести эту запись. Пожалуйста, запишите сообщение ещё раз или напишите вопрос текстом.",
      empty: "Извините, в записи не удалось разобрать слова. Пожалуйста, скажите ещё раз ближе к телефону или напишите вопрос. Можно также поговорить с человеком.",
    },
    listen: "🔊 Прослушать",
    listenFailed: "Извините, сейчас не могу озвучить этот ответ. Пожалуйста, прочитайте его выше.",
  },
  en: {
    heard: (text) => `🎤 I understood: «${text}»`,
    problems: {
      unavailable: "Sorry, I cannot listen to voice messages right now. Please try again later or type your question. You can also talk to a person.",
      too_long: "The voice message is longer than 2 minutes. Please record a shorter one or type your question.",
      too_large: "This recording is too large. Please record a shorter message or type your question.",
      unreadable: "I could not play this recording. Please record it again or type your question.",
      empty: "Sorry, I could not make out any words in the recording. Please say it again closer to the phone or type your question. You can also talk to a person.",
    },
    listen: "🔊 Listen",
    listenFailed: "Sorry, I cannot read this answer aloud right now. Please read it above.",
  },
};

/** The answer to a voice message that could not become text. */
export function voiceProblemText(lang: Lang, problem: VoiceProblem): string {
  return problem === "unconfigured" ? MESSAGES[lang].media.voice : VOICE_TEXTS[lang].problems[problem];
}
