/**
 * Starting texts for the editor: a new guide's template in its language, and a translation to do
 * started from the guide's text in another language. Text to replace is written `[[…]]`: the
 * check refuses a guide that still holds it (docs/content-guide.md), so a template cannot go live
 * by mistake.
 */

/** Guide ids, as the check wants them: lowercase letters and digits in hyphen-joined parts, at most 80 characters. */
export const GUIDE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const GUIDE_ID_MAX = 80;

/** Why an id cannot be a guide's id, or "" when it can. */
export function guideIdProblem(id) {
  if (!id) return "Ierakstiet instrukcijas id.";
  if (id.length > GUIDE_ID_MAX) return `Id var būt ne garāks par ${GUIDE_ID_MAX} zīmēm.`;
  if (!GUIDE_ID.test(id)) return "Id drīkst saturēt tikai mazos latīņu burtus (bez garumzīmēm), ciparus un vienu domuzīmi starp vārdiem, piemēram, sunu-registracija.";
  return "";
}

const HEADINGS = {
  lv: { need: "Kas Jums vajadzīgs", steps: "Kā to izdarīt", trouble: "Ja neizdodas", help: "Palīdzība klātienē" },
  ru: { need: "Что Вам нужно", steps: "Как это сделать", trouble: "Если не получается", help: "Помощь на месте" },
  en: { need: "What you need", steps: "How to do it", trouble: "If it doesn't work", help: "Help in person" },
};

const FILL = {
  lv: {
    title: "Nosaukums – ko iedzīvotājs var izdarīt", summary: "Viens teikums: kas tas ir un kam tas noder.",
    keyword: "vārds, ko iedzīvotāji raksta", question: "jautājums tā, kā iedzīvotājs to uzrakstītu", source: "oficiālās lapas adrese",
    intro: "Viens vai divi vienkārši teikumi: kas tas ir un kam tas domāts.", need: "ko vajag, piemēram, eParaksts mobile, Smart-ID vai eID karte",
    step: "Viena darbība katrā rindā.", trouble: "Ko darīt, ja kaut kas neizdodas.",
    help: "- Jautājiet sava pagasta klientu apkalpošanas vietā vai pašvaldības informatīvajā tālrunī 63022238.",
  },
  ru: {
    title: "Название – что житель может сделать", summary: "Одно предложение: что это и кому это полезно.",
    keyword: "слово, которое пишут жители", question: "вопрос так, как его написал бы житель", source: "адрес официальной страницы",
    intro: "Одно-два простых предложения: что это и для кого.", need: "что нужно, например eParaksts mobile, Smart-ID или eID-карта",
    step: "Одно действие в строке.", trouble: "Что делать, если что-то не получается.",
    help: "- Спросите в пункте обслуживания клиентов своей волости или по информационному телефону самоуправления 63022238.",
  },
  en: {
    title: "Title – what a resident can do", summary: "One sentence: what this is and who it helps.",
    keyword: "a word residents type", question: "a question as a resident would write it", source: "the official page's address",
    intro: "One or two plain sentences: what this is and who it is for.", need: "what is needed, for example eParaksts mobile, Smart-ID or an eID card",
    step: "One action per line.", trouble: "What to do if something does not work.",
    help: "- Ask at your parish client service point or call the municipality's information line 63022238.",
  },
};

/** YYYY-MM-DD of `date` moved by `months`. */
function day(date, months = 0) {
  const d = new Date(Date.UTC(date.getFullYear(), date.getMonth() + months, date.getDate()));
  return d.toISOString().slice(0, 10);
}

/** A new guide's text in `lang` (lv, ru or en), with today's `checked` and a `review_by` in six months. */
export function guideTemplate(id, lang, today = new Date()) {
  const f = FILL[lang] || FILL.lv;
  const h = HEADINGS[lang] || HEADINGS.lv;
  return [
    "---",
    `id: ${id}`,
    `lang: ${lang}`,
    `title: "[[${f.title}]]"`,
    `summary: "[[${f.summary}]]"`,
    "keywords:",
    `  - "[[${f.keyword}]]"`,
    "questions:",
    `  - "[[${f.question}]]"`,
    "sources:",
    `  - "[[${f.source}]]"`,
    `checked: ${day(today)}`,
    `review_by: ${day(today, 6)}`,
    "related: []",
    "---",
    "",
    `[[${f.intro}]]`,
    "",
    `## ${h.need} {#need}`,
    `- [[${f.need}]]`,
    "",
    `## ${h.steps} {#steps}`,
    `1. [[${f.step}]]`,
    "",
    `## ${h.trouble} {#trouble}`,
    `- [[${f.trouble}]]`,
    "",
    `## ${h.help} {#help}`,
    f.help,
    "",
  ].join("\n");
}

/**
 * A translation to do: the guide's text in another language with its `lang` set to `lang`, for
 * the editor to translate line by line (the anchors and the structure stay as they are). The
 * questions taught for this language while the translation was missing (`questions_<lang>:` of
 * the source) join its `questions:`; the other languages' waiting lists stay in the source only.
 */
export function translationStart(text, lang) {
  const lines = String(text).replace(/^lang:\s*\S+\s*$/m, `lang: ${lang}`).split("\n");
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (lines[0] !== "---" || end < 0) return lines.join("\n");
  const front = lines.slice(1, end);
  const waiting = [];
  const kept = [];
  for (let i = 0; i < front.length; i++) {
    const list = /^questions_(lv|ru|en):/.exec(front[i]);
    if (!list) {
      kept.push(front[i]);
      continue;
    }
    // The list's items: the indented lines under it.
    while (i + 1 < front.length && /^\s+\S/.test(front[i + 1])) {
      i++;
      if (list[1] === lang) waiting.push(front[i].trim());
    }
  }
  if (waiting.length > 0) {
    const start = kept.findIndex((l) => /^questions:/.test(l));
    if (start < 0) {
      kept.push("questions:", ...waiting.map((w) => `  ${w}`));
    } else {
      if (/\[\s*\]/.test(kept[start])) kept[start] = "questions:";
      let last = start;
      while (last + 1 < kept.length && /^\s+\S/.test(kept[last + 1])) last++;
      const indent = (/^(\s+)-/.exec(kept[start + 1] || "") || [])[1] || "  ";
      kept.splice(last + 1, 0, ...waiting.map((w) => `${indent}${w}`));
    }
  }
  return ["---", ...kept, ...lines.slice(end)].join("\n");
}
