/**
 * "Neatbildētie" (editors and admins): the questions residents asked in a period that the bot
 * could not answer well, similar wordings grouped, with counts, languages, reasons, the closest
 * guide and examples; a CSV download of the same.
 */
import { $, el, hideAlert, showAlert, shorten, str, working } from "../lib/dom.js";
import { fetchContent, guideTitle } from "../lib/content.js";
import { isNum, lvDate, num, plural } from "../lib/format.js";
import { periodForm, periodQuery, periodText } from "../lib/periods.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { api, pageErrorText, session } from "../lib/session.js";
import { LANG_SHORT, langName } from "../lib/words.js";
import { tryFromElsewhere } from "./try.js";
import { teachControls } from "./editor-teach.js";
import { loadMissing, renderHandled, resetHandled } from "./unanswered-handled.js";

/** The default period: the last 30 days. */
const DAYS = 30;

const REASON_NAMES = {
  fallback: "Nezināja atbildi",
  lowConfidence: "Atbilde nebija droša",
  feedbackDown: "Iedzīvotājs atzīmēja „nepalīdzēja”",
  escalation: "Lūdza darbinieka palīdzību",
};

const state = { seq: 0 };

const ui = {
  unansweredForm: $("unanswered-form"),
  unansweredFrom: $("unanswered-from"),
  unansweredTo: $("unanswered-to"),
  unansweredCsv: $("unanswered-csv"),
  unansweredAlert: $("unanswered-alert"),
  unansweredCount: $("unanswered-count"),
  unansweredSummary: $("unanswered-summary"),
  unansweredBody: $("unanswered-body"),
  unansweredEmpty: $("unanswered-empty"),
};

const period = periodForm({
  from: ui.unansweredFrom,
  to: ui.unansweredTo,
  defaults: (today) => {
    const from = new Date(today);
    from.setDate(from.getDate() - (DAYS - 1));
    return { from, to: today };
  },
  downloads: [[ui.unansweredCsv, "api/staff/unanswered", "neatbildetie", { format: "csv" }]],
});

async function loadUnanswered(submitted) {
  const chosen = period.read();
  hideAlert(ui.unansweredAlert);
  if (chosen.error) {
    showAlert(ui.unansweredAlert, chosen.error);
    if (submitted) chosen.input.focus();
    return;
  }
  const seq = ++state.seq;
  const button = ui.unansweredForm.querySelector("button[type=submit]");
  working(button, true);
  ui.unansweredSummary.textContent = "Ielādē…";
  try {
    const [data] = await Promise.all([
      api("GET", `api/staff/unanswered?${periodQuery(chosen)}`),
      fetchContent(false).catch(() => null), // guide titles; the list works without them
    ]);
    if (seq !== state.seq || !session.staff) return;
    period.links();
    renderUnanswered(data, chosen);
    renderHandled(data && data.handled);
    await loadMissing(() => void loadUnanswered(false));
  } catch (error) {
    if (seq !== state.seq || !session.staff) return;
    ui.unansweredSummary.textContent = "";
    showAlert(ui.unansweredAlert, `Jautājumus neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    if (seq === state.seq) working(button, false);
  }
}

function reasonList(reasons) {
  const list = el("ul", "reasons");
  if (!reasons || typeof reasons !== "object") return list;
  for (const key of Object.keys(REASON_NAMES)) {
    const count = reasons[key];
    if (!isNum(count) || count <= 0) continue;
    const li = el("li", `reason reason-${key}`);
    li.appendChild(el("span", "reason-name", REASON_NAMES[key]));
    li.appendChild(el("span", "reason-count", `${num(count)}×`));
    list.appendChild(li);
  }
  for (const key of Object.keys(reasons)) {
    if (REASON_NAMES[key] || !isNum(reasons[key]) || reasons[key] <= 0) continue;
    const li = el("li", "reason");
    li.appendChild(el("span", "reason-name", key));
    li.appendChild(el("span", "reason-count", `${num(reasons[key])}×`));
    list.appendChild(li);
  }
  return list;
}

/** The group's languages: "LV 3 RU 1" (from a { lang: count } map) or "LV RU" (from a list). */
function languagesCell(group) {
  const td = el("td", "langs-cell");
  const list = el("ul", "lang-list");
  const counts = group.languages && typeof group.languages === "object" && !Array.isArray(group.languages) ? group.languages : null;
  const langs = counts ? Object.keys(counts) : Array.isArray(group.langs) ? group.langs.filter((l) => typeof l === "string") : [];
  for (const lang of langs) {
    const li = el("li", "lang-item");
    const tag = el("abbr", "lang-tag", lang === "unknown" ? "?" : LANG_SHORT[lang] || lang.toUpperCase());
    tag.title = lang === "unknown" ? "valoda nav zināma" : langName(lang);
    li.appendChild(tag);
    if (counts && isNum(counts[lang]) && langs.length > 1) li.appendChild(el("span", "lang-count", ` ${num(counts[lang])}`));
    list.appendChild(li);
  }
  td.appendChild(list);
  return td;
}

function renderUnanswered(data, period) {
  const groups = (data && Array.isArray(data.groups) ? data.groups : [])
    .filter((g) => g && typeof g === "object")
    .map((g) => ({ ...g, question: str(g.question) || str(g.representative) }))
    .filter((g) => g.question);
  const body = ui.unansweredBody;
  body.textContent = "";
  let total = 0;
  for (const group of groups) {
    const count = isNum(group.count) ? group.count : 0;
    total += count;
    const tr = el("tr", "");
    const th = el("th", "question-cell");
    th.scope = "row";
    th.appendChild(el("span", "question-text", group.question));
    const again = el("button", "btn btn-small btn-secondary try-again", "Izmēģināt");
    again.type = "button";
    again.setAttribute("aria-label", `Izmēģināt jautājumu: ${shorten(group.question, 80)}`);
    again.addEventListener("click", () => tryFromElsewhere(group.question));
    th.appendChild(again);
    tr.appendChild(th);
    tr.appendChild(el("td", "num count-cell", num(count)));
    tr.appendChild(languagesCell(group));
    const reasons = el("td", "");
    reasons.appendChild(reasonList(group.reasons));
    tr.appendChild(reasons);
    const closest = el("td", "");
    if (typeof group.closestGuide === "string" && group.closestGuide) {
      closest.appendChild(el("span", "guide-title", guideTitle(group.closestGuide)));
      closest.appendChild(el("code", "guide-id", group.closestGuide));
    } else {
      closest.appendChild(el("span", "muted", "Nav līdzīgas instrukcijas"));
    }
    // Asked inside a flow: which flow and step (so editors can make that step clearer).
    const inFlows = Array.isArray(group.inFlows) ? group.inFlows.filter((f) => typeof f === "string" && f) : [];
    if (inFlows.length) closest.appendChild(el("div", "in-flow", `Norādījumos: ${inFlows.slice(0, 3).join(", ")}`));
    closest.appendChild(teachControls(group, () => void loadUnanswered(false)));
    tr.appendChild(closest);
    const examples = Array.isArray(group.examples) ? group.examples.filter((e) => typeof e === "string" && e.trim()) : [];
    const exCell = el("td", "examples-cell");
    if (examples.length) {
      const list = el("ul", "examples");
      for (const example of examples.slice(0, 3)) list.appendChild(el("li", "", example));
      exCell.appendChild(list);
      if (examples.length > 3) {
        const more = el("details", "more-examples");
        more.appendChild(el("summary", "", `Vēl ${examples.length - 3}`));
        const rest = el("ul", "examples");
        for (const example of examples.slice(3)) rest.appendChild(el("li", "", example));
        more.appendChild(rest);
        exCell.appendChild(more);
      }
    } else {
      exCell.appendChild(el("span", "muted", "–"));
    }
    tr.appendChild(exCell);
    body.appendChild(tr);
  }
  ui.unansweredCount.textContent = String(groups.length);
  const handled = data && Array.isArray(data.handled) ? data.handled.length : 0;
  const handledText = handled ? ` Apstrādāti: ${num(handled)} (zemāk).` : "";
  ui.unansweredSummary.textContent = groups.length
    ? `${groups.length} ${plural(groups.length, "neapstrādāts jautājums", "neapstrādāti jautājumi")}, kopā ${num(total)} ${plural(total, "reize", "reizes")} (${periodText(period)}). Biežākie augšā.${handledText}`
    : `Laikā no ${lvDate(period.from)} līdz ${lvDate(period.to)} neapstrādātu neatbildētu jautājumu nav.${handledText}`;
  ui.unansweredEmpty.hidden = groups.length > 0;
  ui.unansweredEmpty.textContent = handled
    ? "Visi šī laika posma neatbildētie jautājumi jau ir apstrādāti."
    : "Šajā laika posmā DigiPalīgs atbildēja uz visiem jautājumiem. Izvēlieties garāku laika posmu, lai redzētu vairāk.";
}


registerPage({
  id: "unanswered",
  hash: "#neatbildetie",
  name: "Neatbildētie",
  roles: ["editor", "admin"],
  section: "page-unanswered",
  heading: "unanswered-title",
  enter({ focus, again }) {
    if (focus && !again) focusHeading("unanswered");
    void loadUnanswered(false);
  },
  start() {
    period.reset();
  },
  reset() {
    state.seq++;
    hideAlert(ui.unansweredAlert);
    ui.unansweredBody.textContent = "";
    ui.unansweredSummary.textContent = "";
    resetHandled();
  },
  wire() {
    ui.unansweredForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void loadUnanswered(true);
    });
  },
});
