/**
 * A small knowledge base written here, for the conversation tests: three guides in three
 * languages and eight parishes. The engine's answers to questions (a guide answer, "Continue"
 * in the middle of a flow, the feedback question) are tested on these, whatever the editors
 * write in knowledge/. Two guide ids are main topics (`MAIN_TOPICS` in src/core/assistant.ts),
 * so that the menu buttons have topics to show.
 * @module
 */
import type { Lang } from "../../../src/core/types.js";
import { formatDiagnostic } from "../../../src/knowledge/diagnostics.js";
import { buildKnowledge, type KnowledgeBase, type SourceFile } from "../../../src/knowledge/load.js";

/** The front matter a fixture guide sets; the dates and the source are the same for all. */
interface Front {
  readonly title: string;
  readonly summary: string;
  readonly keywords: readonly string[];
  /** Example questions: at least 8, as the content check asks. */
  readonly questions: readonly string[];
  readonly related?: readonly string[];
}

/** A guide file: front matter and markdown body. */
function guide(id: string, lang: Lang, front: Front, body: string): { lang: Lang; source: SourceFile } {
  const list = (items: readonly string[]): string => items.map((q) => `\n  - "${q}"`).join("");
  const text = `---
id: ${id}
lang: ${lang}
title: ${front.title}
summary: ${front.summary}
keywords:${list(front.keywords)}
questions:${list(front.questions)}
sources: [https://www.example.lv/${id}]
checked: 2026-11-01
review_by: 2027-11-01
related: [${(front.related ?? []).join(", ")}]
---

${body}`;
  return { lang, source: { file: `knowledge/${lang}/${id}.md`, text } };
}

const LIBRARY_CARD = [
  guide("library-card", "lv", {
    title: "Bibliotēkas karte – kā to saņemt",
    summary: "Kā pieteikt novada bibliotēkas lasītāja karti internetā vai klātienē.",
    keywords: ["bibliotēka", "bibliotēkas karte", "lasītāja karte", "grāmatas"],
    questions: ["Kā saņemt bibliotēkas karti?", "bibliotekas karte", "ka pieteikt lasitaja karti", "kur dabūt bibliotēkas karti",
      "vai bibliotēkas karti var pieteikt internetā", "gribu ņemt grāmatas bibliotēkā", "lasītāja karte bērnam", "cik maksā bibliotēkas karte"],
    related: ["residence-declaration"],
  }, `Bibliotēkas karti var pieteikt internetā vai klātienē. Tā ir bez maksas.

## Kas vajadzīgs {#need}
- Personas apliecība vai pase.
- E-pasta adrese, ja piesakāties internetā.

## Internetā {#online}
1. Atveriet bibliotēkas pieteikuma formu.
2. Ierakstiet savu personas kodu un e-pasta adresi.
3. Nosūtiet pieteikumu.

## Ja neizdodas {#trouble}
- Forma neatveras? Mēģiniet citā pārlūkā vai zvaniet bibliotēkai.

## Palīdzība klātienē {#help}
- Bibliotēkas darbinieki palīdz pieteikt karti uz vietas.
`),
  guide("library-card", "ru", {
    title: "Читательский билет – как его получить",
    summary: "Как оформить читательский билет библиотеки края в интернете или на месте.",
    keywords: ["библиотека", "читательский билет", "книги"],
    questions: ["Как получить библиотечную карту?", "читательский билет", "как оформить читательский билет", "где получить билет в библиотеку",
      "можно ли оформить читательский билет онлайн", "хочу брать книги в библиотеке", "читательский билет для ребёнка", "сколько стоит читательский билет"],
    related: ["residence-declaration"],
  }, `Читательский билет можно оформить в интернете или на месте. Он бесплатный.

## Что нужно {#need}
- Удостоверение личности или паспорт.
- Адрес электронной почты, если Вы оформляете билет в интернете.

## В интернете {#online}
1. Откройте форму заявки библиотеки.
2. Впишите свой личный код и адрес электронной почты.
3. Отправьте заявку.

## Если не получается {#trouble}
- Форма не открывается? Попробуйте другой браузер или позвоните в библиотеку.

## Помощь на месте {#help}
- Сотрудники библиотеки помогут оформить билет на месте.
`),
  guide("library-card", "en", {
    title: "Library card – how to get one",
    summary: "How to apply for a county library card online or in person.",
    keywords: ["library", "library card", "books"],
    questions: ["How do I get a library card?", "library card", "apply for a library card", "where can I get a library card",
      "can I apply for a library card online", "I want to borrow books from the library", "library card for a child", "how much is a library card"],
    related: ["residence-declaration"],
  }, `You can apply for a library card online or in person. It is free of charge.

## What you need {#need}
- Your identity card or passport.
- An e-mail address, if you apply online.

## Online {#online}
1. Open the library's application form.
2. Enter your personal code and your e-mail address.
3. Send the form.

## If it does not work {#trouble}
- The form does not open? Try another browser or call the library.

## Help in person {#help}
- The library staff help you apply for the card on the spot.
`),
];

const RESIDENCE = [
  guide("residence-declaration", "lv", {
    title: "Dzīvesvietas deklarēšana – internetā vai klātienē",
    summary: "Kā pēc pārcelšanās deklarēt jauno dzīvesvietu.",
    keywords: ["dzīvesvieta", "deklarēt dzīvesvietu", "pārcelšanās", "jaunā adrese"],
    questions: ["Kā deklarēt dzīvesvietu?", "dzīvesvietas deklarēšana", "deklaret dzivesvietu", "pārcēlos uz jaunu adresi",
      "kā deklarēt bērna dzīvesvietu", "dzīvesvietas deklarēšana internetā", "kur deklarēt jauno adresi", "cik maksā dzīvesvietas deklarēšana"],
  }, `Pēc pārcelšanās jaunā dzīvesvieta jādeklarē viena mēneša laikā.

## Kas vajadzīgs {#need}
- Pieslēgšanās rīks, piemēram, eID karte.

## Internetā {#online}
1. Atveriet dzīvesvietas deklarēšanas e-pakalpojumu.
2. Ierakstiet jauno adresi un iesniedziet.

## Ja neizdodas {#trouble}
- Neatrodat adresi? Zvaniet pašvaldībai.

## Palīdzība klātienē {#help}
- Pagasta pārvaldē palīdz deklarēt dzīvesvietu.
`),
  guide("residence-declaration", "ru", {
    title: "Декларация места жительства – онлайн или на месте",
    summary: "Как после переезда задекларировать новое место жительства.",
    keywords: ["место жительства", "задекларировать место жительства", "переезд", "новый адрес"],
    questions: ["Как задекларировать место жительства?", "декларация места жительства", "задекларировать место жительства", "я переехал на новый адрес",
      "как задекларировать место жительства ребёнка", "декларация места жительства онлайн", "где задекларировать новый адрес", "сколько стоит декларация места жительства"],
  }, `После переезда новое место жительства нужно задекларировать в течение месяца.

## Что нужно {#need}
- Средство входа, например eID-карта.

## В интернете {#online}
1. Откройте электронную услугу декларации места жительства.
2. Впишите новый адрес и отправьте.

## Если не получается {#trouble}
- Не находите адрес? Позвоните в самоуправление.

## Помощь на месте {#help}
- В волостном управлении помогут задекларировать место жительства.
`),
  guide("residence-declaration", "en", {
    title: "Declaring your place of residence – online or in person",
    summary: "How to declare your new place of residence after a move.",
    keywords: ["residence", "declare residence", "moving", "new address"],
    questions: ["How do I declare my place of residence?", "declare residence", "residence declaration", "I moved to a new address",
      "how to declare the residence of a child", "declare residence online", "where do I declare my new address", "how much is the residence declaration"],
  }, `After a move, you declare your new place of residence within one month.

## What you need {#need}
- A login tool, for example the eID card.

## Online {#online}
1. Open the e-service for the declaration of residence.
2. Enter the new address and send it.

## If it does not work {#trouble}
- You cannot find the address? Call the municipality.

## Help in person {#help}
- The parish office helps you declare your place of residence.
`),
];

const METER_READINGS = [
  guide("meter-readings", "lv", {
    title: "Ūdens skaitītāja rādījumi – kur un kā nodot",
    summary: "Kā katru mēnesi nodot ūdens skaitītāja rādījumus.",
    keywords: ["skaitītājs", "ūdens skaitītājs", "rādījumi", "nodot rādījumus"],
    questions: ["kur nodot ūdens skaitītāja rādījumus", "skaititaja radijumi", "kā nodot rādījumus", "līdz kuram datumam jānodod rādījumi",
      "ūdens skaitītāja rādījumi", "kur ierakstīt skaitītāja rādījumu", "aizmirsu nodot rādījumus", "rādījumi pa telefonu"],
  }, `Ūdens skaitītāja rādījumus nodod katru mēnesi līdz 25. datumam.

## Kas vajadzīgs {#need}
- Skaitītāja rādījums un klienta numurs.

## Internetā {#online}
1. Atveriet klientu portālu.
2. Ierakstiet skaitītāja rādījumu un saglabājiet.

## Ja neizdodas {#trouble}
- Portāls neatveras? Nododiet rādījumu pa tālruni.

## Palīdzība klātienē {#help}
- Klientu centrā palīdz nodot rādījumus.
`),
  guide("meter-readings", "ru", {
    title: "Показания счётчика воды – где и как передать",
    summary: "Как каждый месяц передавать показания счётчика воды.",
    keywords: ["счётчик", "счётчик воды", "показания", "передать показания"],
    questions: ["где передать показания счётчика воды", "показания счётчика", "как передать показания", "до какого числа передавать показания",
      "показания счётчика воды", "куда вписать показание счётчика", "забыл передать показания", "показания по телефону"],
  }, `Показания счётчика воды передают каждый месяц до 25-го числа.

## Что нужно {#need}
- Показание счётчика и номер клиента.

## В интернете {#online}
1. Откройте клиентский портал.
2. Впишите показание счётчика и сохраните.

## Если не получается {#trouble}
- Портал не открывается? Передайте показание по телефону.

## Помощь на месте {#help}
- В клиентском центре помогут передать показания.
`),
  guide("meter-readings", "en", {
    title: "Water meter readings – where and how to send them",
    summary: "How to send your water meter readings every month.",
    keywords: ["meter", "water meter", "readings", "send readings"],
    questions: ["where do I send my water meter readings", "meter readings", "how to send readings", "by which date are readings due",
      "water meter readings", "where do I enter the meter reading", "I forgot to send the readings", "readings by phone"],
  }, `You send your water meter readings every month by the 25th.

## What you need {#need}
- The meter reading and your client number.

## Online {#online}
1. Open the customer portal.
2. Enter the meter reading and save it.

## If it does not work {#trouble}
- The portal does not open? Send the reading by phone.

## Help in person {#help}
- The client centre helps you send the readings.
`),
];

/** Eight parishes (two with similar names: Platone and Lielplatone) and one centre for them all. */
const CENTRES: SourceFile = {
  file: "knowledge/centres.yaml",
  text: `information_line: "63000000"
sources: [https://www.example.lv/centres]
parishes:
  - { id: elejas, name: { lv: Elejas pagasts, ru: Элейская волость, en: Eleja parish } }
  - { id: kalnciema, name: { lv: Kalnciema pagasts, ru: Калнциемская волость, en: Kalnciems parish } }
  - { id: lielplatones, name: { lv: Lielplatones pagasts, ru: Лиелплатонская волость, en: Lielplatone parish } }
  - { id: livberzes, name: { lv: Līvbērzes pagasts, ru: Ливберзская волость, en: Līvbērze parish } }
  - { id: ozolnieku, name: { lv: Ozolnieku pagasts, ru: Озолниекская волость, en: Ozolnieki parish } }
  - { id: platones, name: { lv: Platones pagasts, ru: Платонская волость, en: Platone parish } }
  - { id: sesavas, name: { lv: Sesavas pagasts, ru: Сесавская волость, en: Sesava parish } }
  - { id: zalenieku, name: { lv: Zaļenieku pagasts, ru: Заленьекская волость, en: Zaļenieki parish } }
centres:
  - id: centre
    name: { lv: Klientu centrs, ru: Клиентский центр, en: Client centre }
    address: null
    address_confirmed: false
    phone: null
    email: null
    parishes: [elejas, kalnciema, lielplatones, livberzes, ozolnieku, platones, sesavas, zalenieku]
`,
};

/** The guide files of the fixture knowledge base, by language. */
export const FIXTURE_GUIDES: readonly { lang: Lang; source: SourceFile }[] = [...LIBRARY_CARD, ...RESIDENCE, ...METER_READINGS];

let built: KnowledgeBase | undefined;

/**
 * The fixture knowledge base, built once (it is never changed).
 * @throws {Error} when the fixture does not pass the content check, naming every problem.
 */
export function fixtureKnowledge(): KnowledgeBase {
  if (built) return built;
  const kb = buildKnowledge(FIXTURE_GUIDES, CENTRES, { today: new Date("2026-11-22") });
  if (kb.diagnostics.length > 0) throw new Error(`the fixture knowledge has problems:\n${kb.diagnostics.map(formatDiagnostic).join("\n")}`);
  built = kb;
  return kb;
}
