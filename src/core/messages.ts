/**
 * Resident-facing texts in Latvian (polite "Jūs"), Russian and English.
 * Short sentences, one idea per message. Keep all three languages in step.
 * @module
 */
import type { EscalationReason, Lang, MediaKind } from "./types.js";

/** Every fixed text the core sends. */
export interface Messages {
  readonly fullGuide: string;
  /** The rest of a section shown in short (a short answer's "more"). */
  readonly more: string;
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
  readonly help: string;
  readonly unknownCommand: string;
  readonly media: Readonly<Record<MediaKind, string>>;
  readonly offerPerson: string;
  readonly flowChanged: string;
  readonly flowGone: string;
  readonly chooseButton: string;
  /** Under a step whose answer goes into another site's form: type it there, not here. */
  readonly typeIn: (where: string) => string;
  /** Where to type when the step does not say ("in the form"). */
  readonly typeInDefault: string;
  /** Data (a number, an e-mail address) typed into the chat during such a step. */
  readonly typedData: (what: "number" | "email" | "text", where: string) => string;
  /** A question about a step that goes into another site's form, when no guide answers it. */
  readonly stepHelp: (where: string) => string;
  readonly continueFlow: (title: string) => string;
  readonly stepByStep: string;
  readonly done: string;
  readonly failed: string;
  readonly repeat: string;
  readonly back: string;
  readonly failedOffer: string;
  readonly language: string;
  readonly languageSaved: string;
  readonly edited: string;
  /** How the transcript shows a press of a button nobody sent (an old or made-up id). */
  readonly pressedUnknown: string;
  /** Why a conversation went to a person, as staff read it. */
  readonly escalationReasons: Readonly<Record<EscalationReason, string>>;
  /** Words that mean a standard step button when typed instead of pressed (folded). */
  readonly escalation: {
    readonly confirm: string;
    readonly yes: string;
    readonly no: string;
    readonly cancelled: string;
    readonly parish: string;
    readonly parishOther: string;
    readonly contact: string;
    readonly contactChat: string;
    readonly contactPhone: string;
    readonly phone: string;
    readonly phoneShare: string;
    readonly phoneInvalid: string;
    readonly phoneThanks: string;
    readonly consent: string;
    readonly consentYes: string;
    readonly consentNo: string;
    readonly consentRefused: string;
    readonly question: string;
    readonly questionPrefilled: (known: string) => string;
    readonly questionKeep: string;
    /** `to`: the centre as the receiver, in the case the sentence needs (centres.yaml `to:`); without it the name follows a colon. */
    readonly created: (number: string, centre: string, to?: string) => string;
    readonly callback: (phone: string) => string;
    readonly keepWriting: string;
    /** After a call-back was asked for: the answer comes by phone, so only "add something here". */
    readonly keepWritingPhone: string;
    readonly added: (number: string) => string;
    readonly alreadyOpen: (number: string) => string;
    readonly end: string;
    readonly ended: (number: string) => string;
    readonly backToSpecialist: string;
    readonly paused: (number: string) => string;
    readonly joined: (name: string) => string;
    readonly fromStaff: (name: string) => string;
    readonly closed: (number: string) => string;
    readonly rate: string;
    readonly rateThanks: string;
    readonly rateComment: string;
    readonly skip: string;
    readonly commentThanks: string;
  };
  readonly forget: { readonly ask: string; readonly confirm: string; readonly yes: string; readonly no: string; readonly done: string; readonly cancelled: string };
  readonly words: Readonly<Record<"done" | "failed" | "repeat" | "back" | "menu", readonly string[]>>;
}

/**
 * Why a conversation went to a person, in words: the reason's text and the flow's own words or
 * the label pressed. An unknown code (from an older version) is shown as it is.
 */
export function describeEscalation(context: { readonly reason: string; readonly note?: string }, lang: Lang): string {
  const texts: Readonly<Record<string, string>> = MESSAGES[lang].escalationReasons;
  const text = texts[context.reason] ?? context.reason;
  return context.note ? `${text}: ${context.note}` : text;
}

const date = (iso: string): string => {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}.`;
};

/** The texts per language. */
export const MESSAGES: Readonly<Record<Lang, Messages>> = {
  lv: {
    fullGuide: "📖 Visa instrukcija",
    more: "➕ Vairāk",
    talkToPerson: "🙋 Runāt ar cilvēku",
    mainMenu: "🏠 Galvenā izvēlne",
    source: (url, checked) => `Avots: ${url} (pārbaudīts ${date(checked)})`,
    languageFallback: "Šī instrukcija vēl nav pieejama Jūsu valodā, tāpēc rādu to latviski.",
    fallback: "Atvainojiet, par šo es vēl nezinu.",
    fallbackTopics: "Es varu palīdzēt ar šīm tēmām. Izvēlieties vai uzrakstiet jautājumu citiem vārdiem. Varat arī runāt ar cilvēku.",
    escalate: "Labi, es nodošu Jūsu jautājumu klientu apkalpošanas centra darbiniekam.\nJa vēlaties zvanīt paši, pašvaldības informatīvais tālrunis ir 63022238.",
    greeting: "Labdien! Esmu DigiPalīgs. Palīdzu ar e-pakalpojumiem: e-rēķiniem, e-adresi, iesniegumiem pašvaldībai un citiem.\nUzrakstiet savu jautājumu vai izvēlieties tēmu.",
    thanks: "Lūdzu! Ja ir vēl kāds jautājums, rakstiet.",
    emptyMessage: "Lūdzu, uzrakstiet savu jautājumu vārdiem.",
    tooLong: "Jūsu ziņa ir ļoti gara. Es izlasīju tās sākumu.",
    unknownButton: "Šī poga vairs nedarbojas. Lūdzu, izvēlieties no jauna.",
    menuIntro: "Izvēlieties tēmu vai uzrakstiet savu jautājumu.",
    related: "Saistīts",
    continued: "(turpinājums)",
    help: "Kā ar mani runāt:\n• Uzrakstiet jautājumu saviem vārdiem, piemēram, \"Kā saņemt rēķinu e-pastā?\"\n• Vai spiediet pogas zem ziņām.\n• /menu – galvenā izvēlne\n• /language – mainīt valodu\n• /person – runāt ar cilvēku\n• /forget – dzēst manus datus\nEs nekad neprasīšu Jūsu PIN kodus vai paroles.",
    unknownCommand: "Šo komandu es nezinu.",
    media: {
      voice: "Balss ziņas es vēl nesaprotu. Lūdzu, uzrakstiet jautājumu ar burtiem vai izvēlieties tēmu. Varat arī runāt ar cilvēku.",
      audio: "Audio ierakstus es vēl nesaprotu. Lūdzu, uzrakstiet jautājumu ar burtiem.",
      video: "Video es nevaru noskatīties. Lūdzu, uzrakstiet jautājumu ar burtiem.",
      photo: "Attēlus es vēl nesaprotu. Lūdzu, aprakstiet vārdiem, kas redzams vai kas nesanāk.",
      sticker: "Jauka uzlīme! 🙂 Uzrakstiet, lūdzu, ar ko varu palīdzēt.",
      document: "Dokumentus es nevaru atvērt. Lūdzu, uzrakstiet jautājumu vārdiem. Ja dokuments jānodod pašvaldībai, jautājiet, kā iesniegt iesniegumu.",
      location: "Paldies! Atrašanās vietu es neizmantoju. Lūdzu, uzrakstiet, kurā pagastā dzīvojat, vai jautājumu vārdiem.",
      contact: "Paldies! Tālruņa numuru es šeit neizmantoju. Ja vēlaties, lai Jums piezvana, izvēlieties \"Runāt ar cilvēku\".",
      other: "Šāda veida ziņu es nesaprotu. Lūdzu, uzrakstiet jautājumu vārdiem.",
    },
    offerPerson: "Man neizdevās atrast atbildi jau otro reizi. Vai vēlaties, lai Jums palīdz cilvēks?",
    flowChanged: "Atvainojiet, šie norādījumi tikko tika atjaunoti. Sāksim šo daļu no sākuma.",
    flowGone: "Atvainojiet, šie norādījumi vairs nav pieejami. Lūdzu, izvēlieties tēmu no jauna.",
    chooseButton: "Lūdzu, izvēlieties kādu no pogām vai uzrakstiet jautājumu citiem vārdiem.",
    typeIn: (where) => `✍️ To rakstiet ${where}, nevis šeit sarunā.`,
    typeInDefault: "veidlapā",
    typedData: (what, where) => `${what === "number" ? "Šo numuru" : what === "email" ? "Šo e-pasta adresi" : "To"} ierakstiet ${where}, nevis šeit sarunā – man tas nav vajadzīgs. Kad gatavs, spiediet «Izdevās ✅».`,
    stepHelp: (where) => `Šajā solī jāraksta ${where} (tīmekļa lapā, ko atvērāt), nevis šeit sarunā. Kad gatavs, spiediet «Izdevās ✅». Ja nesanāk, spiediet «Neizdevās ❌».`,
    continueFlow: (title) => `↩️ Turpināt: ${title}`,
    stepByStep: "▶️ Soli pa solim",
    done: "Izdevās ✅",
    failed: "Neizdevās ❌",
    repeat: "🔁 Atkārtot",
    back: "⬅️ Atpakaļ",
    failedOffer: "Žēl, ka neizdevās. Varat mēģināt vēlreiz vai lūgt palīdzību cilvēkam – viņš redzēs, pie kura soļa apstājāties.",
    language: "🌐 Valoda",
    languageSaved: "Labi, turpmāk runāšu latviski.",
    edited: "Redzu, ka labojāt ziņu. Atbildu uz laboto tekstu:",
    pressedUnknown: "(poga, kas vairs nedarbojas)",
    escalationReasons: {
      askedForPerson: "Iedzīvotājs lūdza runāt ar cilvēku",
      flowChoice: "Iedzīvotājs norādījumos izvēlējās palīdzību no cilvēka",
      flowStep: "Norādījumi nodeva jautājumu darbiniekam",
    },
    escalation: {
      confirm: "Vai nodot Jūsu jautājumu klientu apkalpošanas centra darbiniekam? Darbinieks atbildēs darba laikā.",
      yes: "✅ Jā, nodot darbiniekam",
      no: "Nē, atpakaļ",
      cancelled: "Labi, nenododu. Varat turpināt jautāt man.",
      parish: "Kurā pagastā Jūs dzīvojat? Tā Jūsu jautājums nonāks tuvākajā centrā.",
      parishOther: "Jelgavā, citur vai nezinu",
      contact: "Kā Jums labāk atbildēt?",
      contactChat: "💬 Šeit sarunā",
      contactPhone: "📞 Piezvanīt man",
      phone: "Lūdzu, uzrakstiet savu tālruņa numuru (8 cipari).",
      phoneShare: "📱 Nosūtīt manu numuru",
      phoneThanks: "Paldies, numuru saņēmu.",
      phoneInvalid: "Šis neizskatās pēc Latvijas tālruņa numura. Lūdzu, uzrakstiet 8 ciparus, piemēram, 20000000.",
      consent: "Lai palīdzētu, darbinieks redzēs šo sarunu ar mani. Personas kodi un kontu numuri tiek paslēpti. Vai piekrītat?",
      consentYes: "✅ Piekrītu",
      consentNo: "Nepiekrītu",
      consentRefused: "Saprotu. Bez piekrišanas sarunu nododu nevaru. Varat zvanīt pašvaldības informatīvajam tālrunim 63022238.",
      question: "Lūdzu, uzrakstiet savu jautājumu saviem vārdiem.",
      questionPrefilled: (known) => `Lūdzu, uzrakstiet savu jautājumu saviem vārdiem. Es jau pierakstīju: «${known}»`,
      questionKeep: "Sūtīt tā, kā ir",
      created: (number, centre, to) => `✅ Jūsu jautājums nodots${to ? ` ${to}` : `: ${centre}`}. Pieteikuma numurs: ${number}.`,
      callback: (phone) => `Darbinieks Jums piezvanīs uz ${phone}.`,
      keepWriting: "Ja vēlaties ko piebilst, rakstiet šeit. Darbinieka atbilde atnāks šajā sarunā.",
      keepWritingPhone: "Ja vēlaties ko piebilst, rakstiet šeit – darbinieks to redzēs pirms zvana.",
      added: (number) => `✉️ Pievienoju Jūsu pieteikumam ${number}.`,
      alreadyOpen: (number) => `Jūsu pieteikums ${number} jau ir atvērts. Rakstiet šeit – darbinieks to redzēs.`,
      end: "Beigt sarunu",
      ended: (number) => `Saruna (${number}) beigta. Paldies!`,
      backToSpecialist: "↩️ Atpakaļ pie darbinieka",
      paused: (number) => `Jūsu pieteikums ${number} paliek atvērts. Darbinieka atbilde atnāks šeit.`,
      joined: (name) => `👤 ${name} no klientu centra pievienojās sarunai.`,
      fromStaff: (name) => `👤 ${name}:`,
      closed: (number) => `Darbinieks aizvēra sarunu (${number}).`,
      rate: "Cik apmierināts esat ar palīdzību? 1 – ļoti neapmierināts, 5 – ļoti apmierināts.",
      rateThanks: "Paldies par vērtējumu!",
      rateComment: "Ja vēlaties, uzrakstiet īsu komentāru. Vai spiediet \"Izlaist\".",
      skip: "Izlaist",
      commentThanks: "Paldies! Jūsu komentārs saglabāts.",
    },
    forget: {
      ask: "🗑️ Beigt un dzēst sarunu",
      confirm: "Vai dzēst visu, ko esmu saglabājis par Jums: sarunas, valodu un pieteikumus? To nevarēs atsaukt.",
      yes: "🗑️ Jā, dzēst",
      no: "Nē",
      done: "Jūsu dati ir dzēsti. Ja rakstīsiet vēlreiz, sāksim no jauna.",
      cancelled: "Labi, neko nedzēšu.",
    },
    words: {
      done: ["gatavs", "izdevas", "izdarits", "ir", "ja", "ok", "labi", "darits"],
      failed: ["neizdevas", "nesanak", "nesanaca", "nestrada", "ne", "nee", "nevaru", "kluda"],
      repeat: ["atkartot", "atkarto", "velreiz", "vel reiz"],
      back: ["atpakal", "atpakal!"],
      menu: ["izvelne", "galvena izvelne", "sakums", "uz sakumu"],
    },
  },
  ru: {
    fullGuide: "📖 Вся инструкция",
    more: "➕ Подробнее",
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
    help: "Как со мной общаться:\n• Напишите вопрос своими словами, например: \"Как получать счёт по э-почте?\"\n• Или нажимайте кнопки под сообщениями.\n• /menu – главное меню\n• /language – сменить язык\n• /person – поговорить с человеком\n• /forget – удалить мои данные\nЯ никогда не попрошу Ваши PIN-коды или пароли.",
    unknownCommand: "Такой команды я не знаю.",
    media: {
      voice: "Голосовые сообщения я пока не понимаю. Пожалуйста, напишите вопрос текстом или выберите тему. Можно также поговорить с человеком.",
      audio: "Аудиозаписи я пока не понимаю. Пожалуйста, напишите вопрос текстом.",
      video: "Видео я посмотреть не могу. Пожалуйста, напишите вопрос текстом.",
      photo: "Картинки я пока не понимаю. Пожалуйста, опишите словами, что на ней или что не получается.",
      sticker: "Милый стикер! 🙂 Напишите, пожалуйста, чем я могу помочь.",
      document: "Открывать документы я не умею. Пожалуйста, напишите вопрос словами. Если документ нужно подать в самоуправление, спросите, как подать заявление.",
      location: "Спасибо! Местоположение я не использую. Напишите, пожалуйста, в какой волости Вы живёте, или задайте вопрос словами.",
      contact: "Спасибо! Номер телефона я здесь не использую. Если хотите, чтобы Вам перезвонили, выберите \"Поговорить с человеком\".",
      other: "Такие сообщения я не понимаю. Пожалуйста, напишите вопрос словами.",
    },
    offerPerson: "Мне снова не удалось найти ответ. Хотите, чтобы Вам помог человек?",
    flowChanged: "Извините, эти инструкции только что обновились. Начнём эту часть сначала.",
    flowGone: "Извините, эти инструкции больше недоступны. Пожалуйста, выберите тему заново.",
    chooseButton: "Пожалуйста, выберите одну из кнопок или задайте вопрос другими словами.",
    typeIn: (where) => `✍️ Это нужно вписать ${where}, а не здесь в чате.`,
    typeInDefault: "в форме",
    typedData: (what, where) => `${what === "number" ? "Этот номер" : what === "email" ? "Этот адрес e-mail" : "Это"} впишите ${where}, а не здесь в чате – мне он не нужен. Когда будет готово, нажмите «Получилось ✅».`,
    stepHelp: (where) => `На этом шаге писать нужно ${where} (на сайте, который Вы открыли), а не здесь в чате. Когда будет готово, нажмите «Получилось ✅». Если не получается, нажмите «Не получилось ❌».`,
    continueFlow: (title) => `↩️ Продолжить: ${title}`,
    stepByStep: "▶️ Шаг за шагом",
    done: "Получилось ✅",
    failed: "Не получилось ❌",
    repeat: "🔁 Повторить",
    back: "⬅️ Назад",
    failedOffer: "Жаль, что не получилось. Можно попробовать ещё раз или попросить помощи у человека – он увидит, на каком шаге Вы остановились.",
    language: "🌐 Язык",
    languageSaved: "Хорошо, дальше буду говорить по-русски.",
    edited: "Вижу, что Вы исправили сообщение. Отвечаю на исправленный текст:",
    pressedUnknown: "(кнопка, которая больше не работает)",
    escalationReasons: {
      askedForPerson: "Житель попросил связаться с человеком",
      flowChoice: "Житель в инструкции выбрал помощь человека",
      flowStep: "Инструкция передала вопрос сотруднику",
    },
    escalation: {
      confirm: "Передать Ваш вопрос сотруднику центра обслуживания клиентов? Сотрудник ответит в рабочее время.",
      yes: "✅ Да, передать сотруднику",
      no: "Нет, назад",
      cancelled: "Хорошо, не передаю. Можете продолжать спрашивать меня.",
      parish: "В какой волости Вы живёте? Так вопрос попадёт в ближайший центр.",
      parishOther: "В Елгаве, в другом месте или не знаю",
      contact: "Как Вам лучше ответить?",
      contactChat: "💬 Здесь, в чате",
      contactPhone: "📞 Позвонить мне",
      phone: "Пожалуйста, напишите свой номер телефона (8 цифр).",
      phoneShare: "📱 Отправить мой номер",
      phoneThanks: "Спасибо, номер получил.",
      phoneInvalid: "Это не похоже на латвийский номер телефона. Пожалуйста, напишите 8 цифр, например 20000000.",
      consent: "Чтобы помочь, сотрудник увидит этот разговор со мной. Персональные коды и номера счетов скрываются. Вы согласны?",
      consentYes: "✅ Согласен(на)",
      consentNo: "Не согласен(на)",
      consentRefused: "Понимаю. Без согласия я не могу передать разговор. Можно позвонить на информационный телефон самоуправления 63022238.",
      question: "Пожалуйста, напишите свой вопрос своими словами.",
      questionPrefilled: (known) => `Пожалуйста, напишите свой вопрос своими словами. Я уже записал: «${known}»`,
      questionKeep: "Отправить как есть",
      created: (number, centre, to) => `✅ Ваш вопрос передан${to ? ` ${to}` : `: ${centre}`}. Номер заявки: ${number}.`,
      callback: (phone) => `Сотрудник позвонит Вам по номеру ${phone}.`,
      keepWriting: "Если хотите что-то добавить, пишите здесь. Ответ сотрудника придёт в этот чат.",
      keepWritingPhone: "Если хотите что-то добавить, пишите здесь – сотрудник увидит это перед звонком.",
      added: (number) => `✉️ Добавил к Вашей заявке ${number}.`,
      alreadyOpen: (number) => `Ваша заявка ${number} уже открыта. Пишите здесь – сотрудник увидит.`,
      end: "Закончить разговор",
      ended: (number) => `Разговор (${number}) закончен. Спасибо!`,
      backToSpecialist: "↩️ Вернуться к сотруднику",
      paused: (number) => `Ваша заявка ${number} остаётся открытой. Ответ сотрудника придёт сюда.`,
      joined: (name) => `👤 ${name} из центра обслуживания присоединился(ась) к разговору.`,
      fromStaff: (name) => `👤 ${name}:`,
      closed: (number) => `Сотрудник закрыл разговор (${number}).`,
      rate: "Насколько Вы довольны помощью? 1 – совсем недоволен(на), 5 – очень доволен(на).",
      rateThanks: "Спасибо за оценку!",
      rateComment: "Если хотите, напишите короткий комментарий. Или нажмите «Пропустить».",
      skip: "Пропустить",
      commentThanks: "Спасибо! Ваш комментарий сохранён.",
    },
    forget: {
      ask: "🗑️ Закончить и удалить разговор",
      confirm: "Удалить всё, что я сохранил о Вас: разговоры, язык и заявки? Отменить это будет нельзя.",
      yes: "🗑️ Да, удалить",
      no: "Нет",
      done: "Ваши данные удалены. Если напишете снова, начнём сначала.",
      cancelled: "Хорошо, ничего не удаляю.",
    },
    words: {
      done: ["готово", "получилось", "сделал", "сделала", "да", "ок", "ok", "хорошо"],
      failed: ["не получилось", "не получается", "не работает", "нет", "не могу", "ошибка"],
      repeat: ["повторить", "повтори", "еще раз", "ещё раз"],
      back: ["назад"],
      menu: ["меню", "главное меню", "в начало"],
    },
  },
  en: {
    fullGuide: "📖 Full guide",
    more: "➕ More",
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
    help: "How to talk to me:\n• Type your question in your own words, for example \"How do I get my bill by e-mail?\"\n• Or press the buttons under my messages.\n• /menu – main menu\n• /language – change the language\n• /person – talk to a person\n• /forget – delete my data\nI will never ask for your PIN codes or passwords.",
    unknownCommand: "I don't know that command.",
    media: {
      voice: "I can't understand voice messages yet. Please type your question or choose a topic. You can also talk to a person.",
      audio: "I can't understand audio recordings yet. Please type your question.",
      video: "I can't watch videos. Please type your question.",
      photo: "I can't understand pictures yet. Please describe in words what it shows or what isn't working.",
      sticker: "Nice sticker! 🙂 Please tell me how I can help.",
      document: "I can't open documents. Please type your question. If the document is for the municipality, ask how to send an application.",
      location: "Thank you! I don't use locations. Please tell me which parish you live in, or type your question.",
      contact: "Thank you! I don't use phone numbers here. If you would like a call back, choose \"Talk to a person\".",
      other: "I can't understand this kind of message. Please type your question in words.",
    },
    offerPerson: "That's the second time I couldn't find an answer. Would you like a person to help you?",
    flowChanged: "Sorry, these instructions have just been updated. Let's start this part again.",
    flowGone: "Sorry, these instructions are no longer available. Please choose a topic again.",
    chooseButton: "Please choose one of the buttons, or ask your question in other words.",
    typeIn: (where) => `✍️ Type this ${where}, not here in the chat.`,
    typeInDefault: "in the form",
    typedData: (what, where) => `Please type ${what === "number" ? "this number" : what === "email" ? "this e-mail address" : "this"} ${where}, not here in the chat – I don't need it. When you're done, press "Done ✅".`,
    stepHelp: (where) => `In this step you type ${where} (on the web page you opened), not here in the chat. When you're done, press "Done ✅". If it doesn't work, press "It didn't work ❌".`,
    continueFlow: (title) => `↩️ Continue: ${title}`,
    stepByStep: "▶️ Step by step",
    done: "Done ✅",
    failed: "It didn't work ❌",
    repeat: "🔁 Repeat",
    back: "⬅️ Back",
    failedOffer: "Sorry it didn't work. You can try again, or ask a person for help – they will see the step where you stopped.",
    language: "🌐 Language",
    languageSaved: "All right, I'll speak English from now on.",
    edited: "I see you edited your message. Here is my answer to the new text:",
    pressedUnknown: "(a button that no longer works)",
    escalationReasons: {
      askedForPerson: "The resident asked for a person",
      flowChoice: "The resident chose help from a person in the instructions",
      flowStep: "The instructions handed the question to staff",
    },
    escalation: {
      confirm: "Shall I pass your question to a member of staff at the client service centre? They answer during working hours.",
      yes: "✅ Yes, pass it on",
      no: "No, go back",
      cancelled: "All right, I won't pass it on. You can keep asking me.",
      parish: "Which parish do you live in? Then your question goes to the nearest centre.",
      parishOther: "Jelgava, elsewhere, or not sure",
      contact: "How would you like the answer?",
      contactChat: "💬 Here in the chat",
      contactPhone: "📞 Call me back",
      phone: "Please type your phone number (8 digits).",
      phoneShare: "📱 Send my number",
      phoneThanks: "Thank you, I have your number.",
      phoneInvalid: "That doesn't look like a Latvian phone number. Please type 8 digits, for example 20000000.",
      consent: "To help you, the member of staff will see this conversation with me. Personal codes and account numbers are hidden. Do you agree?",
      consentYes: "✅ I agree",
      consentNo: "I don't agree",
      consentRefused: "I understand. Without your consent I can't pass the conversation on. You can call the municipality's information line 63022238.",
      question: "Please type your question in your own words.",
      questionPrefilled: (known) => `Please type your question in your own words. I have already noted: «${known}»`,
      questionKeep: "Send it as it is",
      created: (number, centre, to) => `✅ Your question has been passed on${to ? ` ${to}` : `: ${centre}`}. Request number: ${number}.`,
      callback: (phone) => `A member of staff will call you on ${phone}.`,
      keepWriting: "If you want to add something, write here. The answer will come in this chat.",
      keepWritingPhone: "If you want to add something, write here – the member of staff will see it before calling.",
      added: (number) => `✉️ Added to your request ${number}.`,
      alreadyOpen: (number) => `Your request ${number} is already open. Write here – the member of staff will see it.`,
      end: "End the conversation",
      ended: (number) => `The conversation (${number}) has ended. Thank you!`,
      backToSpecialist: "↩️ Back to the member of staff",
      paused: (number) => `Your request ${number} stays open. The answer will come here.`,
      joined: (name) => `👤 ${name} from the client service centre has joined.`,
      fromStaff: (name) => `👤 ${name}:`,
      closed: (number) => `The member of staff has closed the conversation (${number}).`,
      rate: "How satisfied are you with the help? 1 – very dissatisfied, 5 – very satisfied.",
      rateThanks: "Thank you for your rating!",
      rateComment: "If you like, type a short comment. Or press \"Skip\".",
      skip: "Skip",
      commentThanks: "Thank you! Your comment has been saved.",
    },
    forget: {
      ask: "🗑️ End and delete the conversation",
      confirm: "Delete everything I have saved about you: conversations, language and requests? This cannot be undone.",
      yes: "🗑️ Yes, delete",
      no: "No",
      done: "Your data has been deleted. If you write again, we'll start afresh.",
      cancelled: "All right, I won't delete anything.",
    },
    words: {
      done: ["done", "yes", "ok", "okay", "worked", "it worked", "finished"],
      failed: ["didn't work", "didnt work", "it didn't work", "not working", "no", "failed", "error", "can't", "cant"],
      repeat: ["repeat", "again", "once more"],
      back: ["back", "go back"],
      menu: ["menu", "main menu", "start over"],
    },
  },
};
