/**
 * Flows written here rather than the shipped ones, so that the engine's behaviour is tested on
 * its own, whatever the editors write in flows/: a menu and the three other event flows the
 * engine needs (each with an id of its own: the engine finds them by their triggers), a
 * four-step instruction flow whose wording, steps and existence the tests change, and a longer
 * instruction flow with choices, a deep link, forms to type into, a failed path through a guide
 * section and a branch on an earlier choice.
 * @module
 */
import type { Lang } from "../../../src/core/types.js";
import { buildFlows, type FlowSet } from "../../../src/flows/load.js";
import { formatDiagnostic } from "../../../src/knowledge/diagnostics.js";
import { fixtureKnowledge } from "./knowledge.js";

/** The fixture flow files by flow id. */
export const FIXTURE_FLOWS: Readonly<Record<string, string>> = {
  home: `id: home
title: { lv: Sākums, ru: Начало, en: Home }
triggers:
  on: [menu]
start: menu
steps:
  menu:
    say: { lv: Ko darīsim?, ru: Что делаем?, en: What shall we do? }
    choices:
      - label: { lv: "Skaitītājs", ru: "Счётчик", en: "Meter" }
        flow: meter
      - label: { lv: "Bibliotēkas karte", ru: "Читательский билет", en: "Library card" }
        flow: library
      - label: { lv: "Dzīvesvieta", ru: "Место жительства", en: "Residence" }
        guide: residence-declaration
      - label: { lv: "Valoda", ru: "Язык", en: "Language" }
        flow: pick-language
`,
  "pick-language": `id: pick-language
title: { lv: Valoda, ru: Язык, en: Language }
triggers:
  on: [language]
start: choose
steps:
  choose:
    say: { lv: Izvēlieties valodu., ru: Выберите язык., en: Choose your language. }
    choices:
      - label: { lv: "Latviešu", ru: "Latviešu", en: "Latviešu" }
        language: lv
        menu: true
      - label: { lv: "Русский", ru: "Русский", en: "Русский" }
        language: ru
        menu: true
      - label: { lv: "English", ru: "English", en: "English" }
        language: en
        menu: true
`,
  helped: `id: helped
title: { lv: Atsauksme, ru: Отзыв, en: Feedback }
triggers:
  on: [feedback]
start: question
steps:
  question:
    say: { lv: Vai palīdzēja?, ru: Помогло?, en: Did it help? }
    choices:
      - label: { lv: "👍 Jā", ru: "👍 Да", en: "👍 Yes" }
        record: feedback-up
        next: thanks
      - label: { lv: "👎 Nē", ru: "👎 Нет", en: "👎 No" }
        record: feedback-down
        next: sorry
  thanks:
    type: end
    say: { lv: Paldies!, ru: Спасибо!, en: Thank you! }
  sorry:
    say: { lv: Žēl. Ko darīsim?, ru: Жаль. Что делаем?, en: Sorry. What now? }
    choices:
      - label: { lv: "✍️ Citiem vārdiem", ru: "✍️ Другими словами", en: "✍️ In other words" }
        next: rephrase
      - label: { lv: "🙋 Cilvēks", ru: "🙋 Человек", en: "🙋 A person" }
        escalate: true
  rephrase:
    type: end
    say: { lv: Uzrakstiet jautājumu vēlreiz., ru: Напишите вопрос ещё раз., en: Write your question again. }
`,
  "scam-warning": `id: scam-warning
title: { lv: Krāpšana, ru: Мошенничество, en: Scam }
triggers:
  on: [scam]
start: triage
steps:
  triage:
    type: branch
    on: victim
    cases:
      "yes": act-now
    default: warning
  warning:
    say: { lv: Nevienam nesakiet kodus., ru: Никому не сообщайте коды., en: Never tell anyone your codes. }
    next: gave-away
  gave-away:
    say: { lv: Vai kaut ko iedevāt?, ru: Вы что-то сообщили?, en: Did you give anything away? }
    choices:
      - label: { lv: "Jā, iedevu", ru: "Да, сообщил(а)", en: "Yes, I did" }
        next: act-now
      - label: { lv: "Nē, neko", ru: "Нет, ничего", en: "No, nothing" }
        next: safe
  act-now:
    type: instruction
    say: { lv: Uzreiz zvaniet savai bankai., ru: Сразу позвоните в свой банк., en: Call your bank straight away. }
    done: acted
  acted:
    type: end
    record: scam-urgent
    say: { lv: Jūs rīkojāties pareizi., ru: Вы поступили правильно., en: You did the right thing. }
  safe:
    say: { lv: "Labi, ka neko neiedevāt.", ru: "Хорошо, что Вы ничего не сообщили.", en: "Good that you gave nothing away." }
    choices:
      - label: { lv: "Viss skaidrs", ru: "Всё понятно", en: "All clear" }
        next: safe-end
  safe-end:
    type: end
    record: scam-safe
    say: { lv: "Paldies, ka pārbaudījāt!", ru: "Спасибо, что проверили!", en: "Thank you for checking!" }
`,
  meter: `id: meter
title: { lv: Skaitītājs, ru: Счётчик, en: Meter }
triggers:
  deep-links: [meter]
start: prepare
steps:
  prepare:
    type: instruction
    say: { lv: Sagatavojiet rēķinu., ru: Приготовьте счёт., en: Get your bill. }
    done: client
  client:
    type: instruction
    say: { lv: Ierakstiet klienta numuru., ru: Введите номер клиента., en: Type the client number. }
    done: reading
  reading:
    type: instruction
    say: { lv: Ierakstiet rādījumu., ru: Введите показание., en: Type the reading. }
    done: finish
  finish:
    type: end
    say: { lv: Gatavs!, ru: Готово!, en: Done! }
`,
  library: `# Which library → which way → one action per message. "way" remembers the way for "Try again".
id: library
title: { lv: Bibliotēkas kartes pieteikšana, ru: Оформление читательского билета, en: Getting a library card }
triggers:
  deep-links: [library]
  guides: [library-card]
start: which-library
steps:
  which-library:
    say: { lv: Kurā bibliotēkā vēlaties karti?, ru: В какой библиотеке Вам нужен билет?, en: Which library do you want a card for? }
    choices:
      - label: { lv: "📚 Novada bibliotēka", ru: "📚 Библиотека края", en: "📚 County library" }
        set: { library: county }
        next: how
      - label: { lv: "🏫 Skolas bibliotēka", ru: "🏫 Школьная библиотека", en: "🏫 School library" }
        set: { library: school }
        next: how
  how:
    say: { lv: Kā vēlaties pieteikties?, ru: Как Вы хотите подать заявку?, en: How would you like to apply? }
    choices:
      - label: { lv: "🌐 Internetā", ru: "🌐 В интернете", en: "🌐 Online" }
        set: { way: online }
        next: online-prepare
      - label: { lv: "🏢 Klātienē", ru: "🏢 На месте", en: "🏢 In person" }
        set: { way: visit }
        next: visit-bring
  online-prepare:
    type: instruction
    say:
      lv: "Sagatavojiet personas apliecību.\\nTajā ir Jūsu personas kods."
      ru: "Приготовьте удостоверение личности.\\nВ нём есть Ваш личный код."
      en: "Get your identity card.\\nIt shows your personal code."
    done: online-open
    failed: no-id
  no-id:
    say: { lv: "Bez personas apliecības karti izsniedz tikai klātienē.", ru: "Без удостоверения личности билет выдают только на месте.", en: "Without an identity card, you get the card only in person." }
    choices:
      - label: { lv: "🏢 Klātienē", ru: "🏢 На месте", en: "🏢 In person" }
        set: { way: visit }
        next: visit-bring
      - label: { lv: "🙋 Runāt ar cilvēku", ru: "🙋 Поговорить с человеком", en: "🙋 Talk to a person" }
        next: handover
  online-open:
    type: instruction
    say: { lv: Atveriet bibliotēkas pieteikuma formu., ru: Откройте форму заявки библиотеки., en: Open the library's application form. }
    done: online-code
    failed: trouble
  online-code:
    type: instruction
    say: { lv: Ierakstiet savu personas kodu., ru: Впишите свой личный код., en: Enter your personal code. }
    type_in: { lv: "pieteikuma formā", ru: "в форме заявки", en: "in the application form" }
    done: online-email
    failed: trouble
  online-email:
    type: instruction
    say: { lv: Ierakstiet savu e-pasta adresi., ru: Впишите свой адрес e-mail., en: Enter your e-mail address. }
    type_in: { lv: "pieteikuma formā", ru: "в форме заявки", en: "in the application form" }
    done: online-send
    failed: trouble
  online-send:
    type: instruction
    say: { lv: Nosūtiet pieteikumu., ru: Отправьте заявку., en: Send the form. }
    done: online-done
    failed: trouble
  online-done:
    type: end
    record: card-requested
    say: { lv: Pieteikums nosūtīts! 🎉, ru: Заявка отправлена! 🎉, en: The form has been sent! 🎉 }
  visit-bring:
    type: instruction
    say: { lv: Paņemiet līdzi personas apliecību., ru: Возьмите с собой удостоверение личности., en: Take your identity card with you. }
    done: visit-go
    failed: trouble
  visit-go:
    type: instruction
    say: { lv: Aizejiet uz bibliotēku un palūdziet karti., ru: Придите в библиотеку и попросите билет., en: Go to the library and ask for a card. }
    done: visit-done
    failed: visit-closed
  visit-closed:
    type: branch
    on: library
    cases:
      county: county-closed
    default: school-closed
  county-closed:
    say: { lv: "Ja novada bibliotēka ir slēgta, pieteikumu var nosūtīt internetā.", ru: "Если библиотека края закрыта, заявку можно отправить через интернет.", en: "If the county library is closed, you can apply online." }
    choices:
      - label: { lv: "🌐 Pieteikt internetā", ru: "🌐 Подать в интернете", en: "🌐 Apply online" }
        set: { way: online }
        next: online-prepare
      - label: { lv: "🙋 Runāt ar cilvēku", ru: "🙋 Поговорить с человеком", en: "🙋 Talk to a person" }
        next: handover
  school-closed:
    say: { lv: "Jautājiet skolas bibliotekāram, kad bibliotēka ir atvērta.", ru: "Спросите школьного библиотекаря, когда открыта библиотека.", en: "Ask the school librarian when the library is open." }
    choices:
      - label: { lv: "✅ Sapratu", ru: "✅ Понятно", en: "✅ Got it" }
        next: visit-done
  visit-done:
    type: end
    record: card-requested
    say: { lv: Lai veicas ar grāmatām! 📚, ru: Приятного чтения! 📚, en: Enjoy your books! 📚 }
  trouble:
    type: guide
    guide: library-card
    section: trouble
    next: retry
  retry:
    say: { lv: "Vai mēģināsim vēlreiz, vai vēlaties runāt ar cilvēku?", ru: "Попробуем ещё раз или поговорите с человеком?", en: "Shall we try again, or would you like to talk to a person?" }
    choices:
      - label: { lv: "🔁 Mēģināt vēlreiz", ru: "🔁 Попробовать ещё раз", en: "🔁 Try again" }
        next: retry-way
      - label: { lv: "🙋 Runāt ar cilvēku", ru: "🙋 Поговорить с человеком", en: "🙋 Talk to a person" }
        next: handover
  retry-way:
    type: branch
    on: way
    cases:
      online: online-open
      visit: visit-bring
    default: which-library
  handover:
    type: escalate
    reason: Neizdodas pieteikt bibliotēkas karti (pieteikuma forma, personas kods).
`,
};

/** The fixture flows with some files edited (`null` deletes the file); must still check cleanly. */
export function fixtureFlows(edits: Readonly<Record<string, ((text: string) => string) | null>> = {}): FlowSet {
  const sources = Object.entries(FIXTURE_FLOWS).flatMap(([id, text]) => {
    const edit = edits[id];
    if (edit === null) return [];
    return [{ file: `flows/${id}.yaml`, text: edit ? edit(text) : text }];
  });
  const set = buildFlows(sources, fixtureKnowledge());
  if (set.diagnostics.length > 0) throw new Error(`the fixture flows have problems:\n${set.diagnostics.map(formatDiagnostic).join("\n")}`);
  return set;
}

/**
 * The text of a step of a flow in `set`, in a language.
 * @throws {Error} when the step does not exist or has no text.
 */
export function stepText(set: FlowSet, flow: string, step: string, lang: Lang = "lv"): string {
  const s = set.get(flow)?.steps.get(step);
  if (!s || !("say" in s) || !s.say) throw new Error(`no text for ${flow}/${step}`);
  return s.say[lang];
}
