/**
 * Resident-facing texts in Latvian (polite "Jūs"), Russian and English.
 * Short sentences, one idea per message. Keep all three languages in step.
 * @module
 */
import type { Lang } from "./types.js";

/** Every fixed text the core sends. */
export interface Messages {
  readonly fullGuide: string;
  readonly talkToPerson: string;
  readonly mainMenu: string;
  readonly source: (url: string, checked: string) => string;
  readonly languageFallback: string;
  readonly fallback: string;
  readonly fallbackTopics: string;
  readonly escalate: string;
  readonly greeting: string;
  readonly thanks: string;
  readonly emptyMessage: string;
  readonly tooLong: string;
  readonly unknownButton: string;
  readonly menuIntro: string;
  readonly related: string;
  readonly continued: string;
}

const date = (iso: string): string => {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}.`;
};

/** The texts per language. */
export const MESSAGES: Readonly<Record<Lang, Messages>> = {
  lv: {
    fullGuide: "📖 Visa instrukcija",
    talkToPerson: "🙋 Runāt ar cilvēku",
    mainMenu: "🏠 Galvenā izvēlne",
    source: (url, checked) => `Avots: ${url} (pārbaudīts ${date(checked)})`,
    languageFallback: "Šī instrukcija vēl nav pieejama Jūsu valodā, tāpēc rādu to latviski.",
    fallback: "Atvainojiet, par šo es vēl nezinu.",
    fallbackTopics: "Es varu palīdzēt ar šīm tēmām. Izvēlieties vai uzrakstiet jautājumu citiem vārdiem. Varat arī runāt ar cilvēku.",
    escalate: "Labi, es nodošu Jūsu jautājumu klientu apkalpošanas centra darbiniekam.\nJa vēlaties zvanīt pats, pašvaldības informatīvais tālrunis ir 63022238.",
    greeting: "Labdien! Esmu DigiPalīgs. Palīdzu ar e-pakalpojumiem: e-rēķiniem, e-adresi, iesniegumiem pašvaldībai un citiem.\nUzrakstiet savu jautājumu vai izvēlieties tēmu.",
    thanks: "Lūdzu! Ja ir vēl kāds jautājums, rakstiet.",
    emptyMessage: "Lūdzu, uzrakstiet savu jautājumu vārdiem.",
    tooLong: "Jūsu ziņa ir ļoti gara. Es izlasīju tās sākumu.",
    unknownButton: "Šī poga vairs nedarbojas. Lūdzu, izvēlieties no jauna.",
    menuIntro: "Izvēlieties tēmu vai uzrakstiet savu jautājumu.",
    related: "Saistīts",
    continued: "(turpinājums)",
  },
  ru: {
    fullGuide: "📖 Вся инструкция",
    talkToPerson: "🙋 Поговорить с человеком",
    mainMenu: "🏠 Главное меню",
    source: (url, checked) => `Источник: ${url} (проверено ${date(checked)})`,
    languageFallback: "Этой инструкции пока нет на русском языке, поэтому показываю её на латышском.",
    fallback: "Извините, об этом я пока не знаю.",
    fallbackTopics: "Я могу помочь с этими темами. Выберите тему или спросите другими словами. Можно также поговорить с человеком.",
    escalate: "Хорошо, я передам Ваш вопрос сотруднику центра обслуживания клиентов.\nЕсли хотите позвонить сами, информационный телефон самоуправления: 63022238.",
    greeting: "Здравствуйте! Я DigiPalīgs. Помогаю с электронными услугами: э-счетами, э-адресом, заявлениями в самоуправление и другими.\nНапишите свой вопрос или выберите тему.",
    thanks: "Пожалуйста! Если будут ещё вопросы, пишите.",
    emptyMessage: "Пожалуйста, напишите свой вопрос словами.",
    tooLong: "Ваше сообщение очень длинное. Я прочитал его начало.",
    unknownButton: "Эта кнопка больше не работает. Пожалуйста, выберите ещё раз.",
    menuIntro: "Выберите тему или напишите свой вопрос.",
    related: "См. также",
    continued: "(продолжение)",
  },
  en: {
    fullGuide: "📖 Full guide",
    talkToPerson: "🙋 Talk to a person",
    mainMenu: "🏠 Main menu",
    source: (url, checked) => `Source: ${url} (checked ${date(checked).slice(0, -1)})`,
    languageFallback: "This guide is not available in English yet, so here it is in Latvian.",
    fallback: "Sorry, I don't know about this yet.",
    fallbackTopics: "I can help with these topics. Choose one, or ask in other words. You can also talk to a person.",
    escalate: "All right, I will pass your question to a member of staff at the client service centre.\nIf you would rather call, the municipality's information line is 63022238.",
    greeting: "Hello! I'm DigiPalīgs. I help with e-services: e-invoices, the e-address, applications to the municipality and more.\nType your question or choose a topic.",
    thanks: "You're welcome! If you have another question, just write.",
    emptyMessage: "Please type your question in words.",
    tooLong: "Your message is very long. I read the beginning of it.",
    unknownButton: "This button no longer works. Please choose again.",
    menuIntro: "Choose a topic or type your question.",
    related: "Related",
    continued: "(continued)",
  },
};
