/* global location */
/**
 * "Izmēģināt jautājumu" (editors and admins): what a resident would get for a question, and why —
 * the reply as the chat shows it, the guides ranked with their scores and matched words, the
 * language and what the bot does. Nothing is stored.
 */
import { $, announce, definitionRow, el, hideAlert, isWorking, showAlert, str, submitOnCtrlEnter, working } from "../lib/dom.js";
import { guideTitle, shortTitleOf } from "../lib/content.js";
import { isNum, num, percent, plural } from "../lib/format.js";
import { renderConversationPreview } from "../lib/preview.js";
import { focusHeading, registerPage, showPage } from "../lib/router.js";
import { api, pageErrorText, session } from "../lib/session.js";
import { langName } from "../lib/words.js";

const HASH = "#izmeginat";

const INTENT_NAMES = {
  guide: "Atbild ar instrukciju",
  flow: "Sāk soli-pa-solim ceļvedi",
  escalate: "Piedāvā sazināties ar darbinieku",
  fallback: "Nezina atbildi",
};

const state = { seq: 0 };

const ui = {
  tryForm: $("try-form"),
  tryText: $("try-text"),
  tryLang: $("try-lang"),
  tryButton: $("try-button"),
  tryAlert: $("try-alert"),
  tryPreview: $("try-preview"),
  tryReplies: $("try-replies"),
  tryWhy: $("try-why"),
  tryExplain: $("try-explain"),
  tryFacts: $("try-facts"),
  tryGuides: $("try-guides"),
  tryNone: $("try-none"),
};

/** "jo sakrita 3 no 4 jautājuma vārdiem" when the server tells the question's words, else the share. */
function matchWords(hit, result) {
  const matched = Array.isArray(hit.matched) ? Array.from(new Set(hit.matched.filter((w) => typeof w === "string"))) : [];
  const terms = Array.isArray(result.terms) ? result.terms : Array.isArray(result.words) ? result.words : null;
  const n = matched.length;
  if (terms && terms.length >= n && terms.length > 0) {
    return `sakrita ${n} no ${terms.length} jautājuma ${plural(terms.length, "vārda", "vārdiem")}`;
  }
  const words = `${n} ${plural(n, "jautājuma vārds", "jautājuma vārdi")}`;
  return `sakrita ${words}${n ? ` (${matched.join(", ")})` : ""}, sakritība ${percent(hit.coverage)}`;
}

/** One plain sentence: what the bot does with this question, and why. `tone`: ok, warn, info. */
function explainTry(result, guides) {
  const best = guides[0];
  const answeredId = result.answered && typeof result.answered.id === "string" ? result.answered.id : "";
  const answered = guides.find((g) => g.id === answeredId) || null;
  const title = (g) => `«${str(g.title) || guideTitle(g.id)}»`;
  switch (result.intent) {
    case "guide":
      if (answered) return { tone: "ok", text: `Atbildēja instrukcija ${title(answered)}, jo ${matchWords(answered, result)}.` };
      if (answeredId) return { tone: "ok", text: `Atbildēja instrukcija «${guideTitle(answeredId)}».` };
      return { tone: "ok", text: "DigiPalīgs atbildētu ar instrukciju." };
    case "flow":
      return { tone: "ok", text: answered
        ? `DigiPalīgs sāktu soli-pa-solim ceļvedi pēc instrukcijas ${title(answered)}.`
        : "DigiPalīgs sāktu vai turpinātu soli-pa-solim ceļvedi." };
    case "escalate":
      return { tone: "info", text: "Iedzīvotājs lūdz cilvēka palīdzību – DigiPalīgs piedāvās sazināties ar klientu apkalpošanas centra darbinieku." };
    default:
      if (!best) return { tone: "warn", text: "Neviena instrukcija nesatur šī jautājuma vārdus – iedzīvotājs saņems „nezinu” un galveno tēmu sarakstu." };
      if (result.confident === true) return { tone: "info", text: "DigiPalīgs to uztver kā sasveicināšanos vai pateicību – atbild pieklājīgi un piedāvā tēmas." };
      return { tone: "warn", text: `Nav pietiekami drošas atbildes – iedzīvotājs saņems „nezinu”. Tuvākā bija instrukcija ${title(best)}: ${matchWords(best, result)}.` };
  }
}

function factRow(dl, label, value) {
  definitionRow(dl, label, value, "fact");
}

function coverageCell(share) {
  const td = el("td", "coverage");
  const value = isNum(share) ? Math.max(0, Math.min(1, share > 1 ? share / 100 : share)) : 0;
  const bar = el("span", "bar");
  bar.setAttribute("aria-hidden", "true");
  const fill = el("span", "bar-fill");
  fill.style.width = `${Math.round(value * 100)}%`;
  bar.appendChild(fill);
  td.appendChild(bar);
  td.appendChild(el("span", "bar-value", percent(share)));
  return td;
}

function tagList(words, label) {
  const list = el("ul", "tags");
  if (label) list.setAttribute("aria-label", label);
  for (const word of words) list.appendChild(el("li", "tag", word));
  return list;
}

function renderTry(result, question, chosenLang) {
  const guides = Array.isArray(result.guides) ? result.guides.filter((g) => g && typeof g.id === "string") : [];
  const replies = Array.isArray(result.replies) ? result.replies : [];
  renderConversationPreview(ui.tryReplies, question, replies);

  const explained = explainTry(result, guides);
  ui.tryExplain.textContent = explained.text;
  ui.tryExplain.className = `explain explain-${explained.tone}`;

  const facts = ui.tryFacts;
  facts.textContent = "";
  const lang = langName(result.lang) || "nav zināma";
  factRow(facts, "Valoda", chosenLang ? `${lang} (izvēlēta)` : `${lang} (noteikta pēc teksta)`);
  factRow(facts, "Ko DigiPalīgs dara", INTENT_NAMES[result.intent] || str(result.intent));
  if (result.answered && typeof result.answered.id === "string" && result.answered.anchor) {
    factRow(facts, "Instrukcijas sadaļa", el("code", "", str(result.answered.anchor)));
  }

  const body = ui.tryGuides;
  body.textContent = "";
  guides.forEach((g, i) => {
    const tr = el("tr", "");
    const isAnswer = result.answered && result.answered.id === g.id;
    if (isAnswer) tr.classList.add("is-answer");
    tr.appendChild(el("td", "num rank", String(i + 1)));
    const th = el("th", "guide-cell");
    th.scope = "row";
    const full = str(g.title) || guideTitle(g.id);
    const shortTitle = el("span", "guide-title", shortTitleOf(full));
    if (shortTitle.textContent !== full) shortTitle.title = full;
    th.appendChild(shortTitle);
    if (isAnswer) th.appendChild(el("span", "badge badge-answer", "Atbildēja"));
    th.appendChild(el("code", "guide-id", g.id));
    tr.appendChild(th);
    tr.appendChild(el("td", "num", isNum(g.score) ? num(Math.round(g.score * 10) / 10) : "–"));
    tr.appendChild(coverageCell(g.coverage));
    const words = el("td", "");
    const matched = Array.isArray(g.matched) ? Array.from(new Set(g.matched.filter((w) => typeof w === "string"))) : [];
    if (matched.length) words.appendChild(tagList(matched, null));
    else words.appendChild(el("span", "muted", "–"));
    tr.appendChild(words);
    body.appendChild(tr);
  });
  ui.tryNone.hidden = guides.length > 0;
  ui.tryPreview.hidden = false;
  ui.tryWhy.hidden = false;
  announce(explained.text);
}


async function tryQuestion(event) {
  if (event) event.preventDefault();
  if (isWorking(ui.tryButton)) return;
  const question = ui.tryText.value.trim();
  hideAlert(ui.tryAlert);
  if (!question) {
    showAlert(ui.tryAlert, "Ierakstiet jautājumu, ko izmēģināt.");
    ui.tryText.setAttribute("aria-invalid", "true");
    ui.tryText.focus();
    return;
  }
  ui.tryText.removeAttribute("aria-invalid");
  const lang = ui.tryLang.value;
  const seq = ++state.seq;
  working(ui.tryButton, true);
  try {
    const result = await api("POST", "api/staff/try", lang ? { text: question, lang } : { text: question });
    if (seq !== state.seq) return;
    renderTry(result, question, lang);
  } catch (error) {
    if (seq !== state.seq || !session.staff) return;
    showAlert(ui.tryAlert, pageErrorText(error));
  } finally {
    if (seq === state.seq) working(ui.tryButton, false);
  }
}

/** Opens "Izmēģināt jautājumu" with a question already tried (from "Neatbildētie"). */
export function tryFromElsewhere(question) {
  ui.tryText.value = question;
  ui.tryLang.value = "";
  if (location.hash !== HASH) location.hash = HASH;
  else showPage("try", true);
  void tryQuestion(null);
}


registerPage({
  id: "try",
  hash: HASH,
  name: "Izmēģināt jautājumu",
  roles: ["editor", "admin"],
  section: "page-try",
  heading: "try-title",
  enter({ focus, again }) {
    if (focus && !again) focusHeading("try");
  },
  reset() {
    state.seq++;
    ui.tryText.value = "";
    ui.tryLang.value = "";
    ui.tryPreview.hidden = true;
    ui.tryWhy.hidden = true;
    ui.tryReplies.textContent = "";
    ui.tryGuides.textContent = "";
    hideAlert(ui.tryAlert);
  },
  wire() {
    ui.tryForm.addEventListener("submit", tryQuestion);
    submitOnCtrlEnter(ui.tryText, ui.tryForm);
    ui.tryText.addEventListener("input", () => {
      ui.tryText.removeAttribute("aria-invalid");
      hideAlert(ui.tryAlert);
    });
  },
});
