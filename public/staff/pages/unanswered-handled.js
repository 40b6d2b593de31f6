/* global document */
/**
 * The handled part of "Neatbildētie" (pages/unanswered.js): the period's groups editors already
 * handled — taught to a guide, out of scope, or a new guide needed — by whom, when, and whether
 * the bot answers them now ("atbild: <instrukcija>" / "vēl neatbild", computed by the server);
 * and the to-do list "Vajag jaunu instrukciju", each item marked done with the guide that now
 * covers it, or removed.
 */
import { $, announce, el, hideAlert, isWorking, showAlert, str, working } from "../lib/dom.js";
import { guideTitle } from "../lib/content.js";
import { isNum, num, timeText } from "../lib/format.js";
import { api, pageErrorText } from "../lib/session.js";
import { LANG_SHORT, langName } from "../lib/words.js";
import { guideSelect } from "./editor-teach.js";

const ui = {
  handledBody: $("handled-body"),
  handledCount: $("handled-count"),
  handledEmpty: $("handled-empty"),
  missingList: $("missing-list"),
  missingCount: $("missing-count"),
  missingEmpty: $("missing-empty"),
  missingAlert: $("missing-alert"),
};

/** "atbild: <title>" or "vēl neatbild", with how many of the questions when not all. */
function answersText(now, action) {
  if (!now || typeof now !== "object") return { text: "–", yes: false };
  const of = isNum(now.of) ? now.of : 0;
  const answered = isNum(now.answered) ? now.answered : 0;
  const part = of > 1 && answered < of ? ` (${num(answered)} no ${num(of)} jautājumiem)` : "";
  if (now.guideId) return { text: `atbild: ${str(now.title) || guideTitle(now.guideId)}${part}`, yes: answered === of };
  const honest = action === "dismiss" && isNum(now.fallback) && now.fallback === of;
  return { text: honest ? "vēl neatbild (saka, ka nezina – kā atzīmēts)" : "vēl neatbild", yes: honest };
}

/** How a group was handled, in words. */
function howText(h) {
  const title = str(h.guideTitle) || (h.guideId ? guideTitle(h.guideId) : "");
  if (h.action === "teach") return `Pievienots instrukcijai „${title}”`;
  if (h.action === "dismiss") return "Ārpus tēmas";
  const done = h.todo && h.todo.done;
  return done ? `Vajag jaunu instrukciju – izdarīts: „${title}”` : "Vajag jaunu instrukciju – sarakstā";
}

function answersCell(h) {
  const td = el("td", "");
  const { text, yes } = answersText(h.answersNow, h.action);
  td.appendChild(el("span", `answers-now ${yes ? "answers-yes" : "answers-no"}`, text));
  return td;
}

function langTag(lang) {
  const tag = el("abbr", "lang-tag", LANG_SHORT[lang] || str(lang).toUpperCase());
  tag.title = langName(lang);
  return tag;
}

/** Fills the handled groups of the report. */
export function renderHandled(groups) {
  const list = Array.isArray(groups) ? groups.filter((g) => g && typeof g === "object" && g.handled && typeof g.handled === "object") : [];
  ui.handledBody.textContent = "";
  for (const g of list) {
    const h = g.handled;
    const tr = el("tr", "");
    const th = el("th", "question-cell", str(g.question));
    th.scope = "row";
    tr.appendChild(th);
    tr.appendChild(el("td", "num", num(g.count)));
    const how = el("td", "");
    how.appendChild(el("span", "handled-how", howText(h)));
    tr.appendChild(how);
    tr.appendChild(el("td", "", `${str(h.by)}, ${timeText(h.at)}`));
    tr.appendChild(answersCell(h));
    ui.handledBody.appendChild(tr);
  }
  ui.handledCount.textContent = list.length ? String(list.length) : "";
  ui.handledEmpty.hidden = list.length > 0;
}

/** One item of the to-do list, with its actions. */
function missingItem(item, reload) {
  const li = el("li", "missing-item");
  const head = el("p", "missing-question");
  head.appendChild(langTag(item.lang));
  head.appendChild(document.createTextNode(` ${str(item.question)}`));
  li.appendChild(head);
  const examples = (Array.isArray(item.examples) ? item.examples : []).filter((e) => typeof e === "string" && e !== item.question);
  if (examples.length) {
    const ul = el("ul", "examples");
    for (const e of examples) ul.appendChild(el("li", "", e));
    li.appendChild(ul);
  }
  li.appendChild(el("p", "missing-meta", `Pievienoja ${str(item.by)}, ${timeText(item.at)}`));
  const actions = el("div", "missing-actions");
  const run = (button, call, message) => button.addEventListener("click", async () => {
    if (isWorking(button)) return;
    working(button, true);
    hideAlert(ui.missingAlert);
    try {
      await call();
      announce(message);
      reload();
    } catch (error) {
      showAlert(ui.missingAlert, `Neizdevās. ${pageErrorText(error)}`);
    } finally {
      working(button, false);
    }
  });
  if (item.done && typeof item.done === "object") {
    const done = el("p", "missing-done");
    done.appendChild(document.createTextNode("✓ Izdarīts: "));
    const link = el("a", "", guideTitle(item.done.guideId));
    link.href = `#redaktors/guide/${encodeURIComponent(item.lang)}/${encodeURIComponent(item.done.guideId)}`;
    done.appendChild(link);
    done.appendChild(document.createTextNode(` · ${str(item.done.by)}, ${timeText(item.done.at)} · `));
    const { text, yes } = answersText(item.answersNow, "needs-guide");
    done.appendChild(el("span", `answers-now ${yes ? "answers-yes" : "answers-no"}`, text));
    li.appendChild(done);
  } else {
    const { label, select } = guideSelect("", `Instrukcija, kas tagad atbild uz: ${str(item.question)}`);
    actions.appendChild(label);
    actions.appendChild(select);
    const done = el("button", "btn btn-small", "Atzīmēt kā izdarītu");
    done.type = "button";
    run(done, () => api("POST", `api/staff/unanswered/missing-guides/${item.id}/done`, { guideId: select.value }), "Atzīmēts kā izdarīts.");
    actions.appendChild(done);
  }
  const remove = el("button", "btn btn-small btn-secondary", "Noņemt");
  remove.type = "button";
  remove.setAttribute("aria-label", `Noņemt no saraksta: ${str(item.question)}`);
  run(remove, () => api("DELETE", `api/staff/unanswered/missing-guides/${item.id}`), "Noņemts no saraksta.");
  actions.appendChild(remove);
  li.appendChild(actions);
  return li;
}

/** Loads and fills the to-do list of missing guides; `reload` loads the whole report again. */
export async function loadMissing(reload) {
  try {
    const data = await api("GET", "api/staff/unanswered/missing-guides");
    const items = data && Array.isArray(data.items) ? data.items.filter((i) => i && typeof i === "object" && isNum(i.id)) : [];
    ui.missingList.textContent = "";
    for (const item of items) ui.missingList.appendChild(missingItem(item, reload));
    const open = items.filter((i) => !i.done).length;
    ui.missingCount.textContent = items.length ? String(open) : "";
    ui.missingEmpty.hidden = items.length > 0;
  } catch (error) {
    showAlert(ui.missingAlert, `Sarakstu neizdevās ielādēt. ${pageErrorText(error)}`);
  }
}

/** Empties the handled part (signed out). */
export function resetHandled() {
  ui.handledBody.textContent = "";
  ui.missingList.textContent = "";
  hideAlert(ui.missingAlert);
}
