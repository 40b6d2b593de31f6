/**
 * "Instrukcijas" (editors and admins): whether the content loaded, every guide per language with
 * its `checked` and `review_by` dates (overdue and missing translations first), and the flows.
 * A missing translation is a to-do ("trūkst tulkojuma") with a button that starts it; "Jauna
 * instrukcija" starts a guide from a template; "Dzēst" deletes a guide or a flow after a
 * confirmation (guides-new.js, guides-delete.js).
 */
import { $, announce, el, hideAlert, isWorking, showAlert, str, working } from "../lib/dom.js";
import { fetchContent, flowTitle, forgetContent, guideTitle, problemItem } from "../lib/content.js";
import { isNum, lvDate, num, plural, timeText } from "../lib/format.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { pageErrorText, session } from "../lib/session.js";
import { LANG_NAMES, LANG_ORDER } from "../lib/words.js";
import { reviewList } from "./editor-reviews.js";
import { deleteDialog } from "./guides-delete.js";
import { newGuideDialog, startTranslation } from "./guides-new.js";

const ui = {
  guidesAlert: $("guides-alert"),
  guidesRefresh: $("guides-refresh"),
  contentStatus: $("content-status"),
  guidesCount: $("guides-count"),
  guidesSummary: $("guides-summary"),
  guidesBody: $("guides-body"),
  guidesEmpty: $("guides-empty"),
  flowsCount: $("flows-count"),
  flowsBody: $("flows-body"),
  flowsEmpty: $("flows-empty"),
};

const listed = { guides: [] };

/** "Jauna instrukcija" next to "Pārbaudīt vēlreiz", and the page's dialogs. */
function buildActions() {
  const head = ui.guidesRefresh.parentNode;
  const actions = el("div", "head-actions");
  head.insertBefore(actions, ui.guidesRefresh);
  ui.newGuide = el("button", "btn btn-primary", "Jauna instrukcija");
  ui.newGuide.type = "button";
  ui.newGuide.id = "guides-new";
  actions.appendChild(ui.newGuide);
  actions.appendChild(ui.guidesRefresh);
  const section = $("page-guides");
  ui.newDialog = newGuideDialog(section, () => listed.guides);
  ui.deleteDialog = deleteDialog(section, (what) => {
    forgetContent();
    void loadGuides(false).then(() => showAlert(ui.guidesNotice, what));
  });
  ui.guidesNotice = el("div", "info");
  ui.guidesNotice.id = "guides-notice";
  ui.guidesNotice.setAttribute("role", "status");
  ui.guidesNotice.hidden = true;
  ui.guidesAlert.after(ui.guidesNotice);
}
buildActions();

/** A small button in a row. */
function rowButton(text, className, label, onClick) {
  const button = el("button", `btn btn-small ${className}`, text);
  button.type = "button";
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

async function loadGuides(force) {
  hideAlert(ui.guidesAlert);
  hideAlert(ui.guidesNotice);
  working(ui.guidesRefresh, true);
  try {
    const content = await fetchContent(true);
    if (!session.staff) return;
    renderContentStatus(content.status);
    listed.guides = content.guides;
    renderGuides(content.guides);
    renderFlows(content.flows);
    if (force) announce(content.status && content.status.ok === false ? "Saturā ir kļūdas." : "Saturs pārbaudīts – kļūdu nav.");
  } catch (error) {
    if (!session.staff) return;
    showAlert(ui.guidesAlert, `Instrukciju sarakstu neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    working(ui.guidesRefresh, false);
  }
}

function renderContentStatus(status) {
  const box = ui.contentStatus;
  box.textContent = "";
  if (!status) {
    box.hidden = true;
    return;
  }
  const ok = status.ok !== false;
  const errors = Array.isArray(status.errors) ? status.errors.filter((e) => typeof e === "string") : [];
  const warnings = Array.isArray(status.warnings) ? status.warnings.filter((e) => typeof e === "string") : [];
  box.className = `content-status ${ok ? "status-ok" : "status-error"}`;
  const loaded = timeText(status.loadedAt);
  const checked = timeText(status.checkedAt);
  if (ok) {
    box.appendChild(el("p", "status-title", `✓ Saturs ielādēts${loaded ? ` ${loaded}` : ""} – kļūdu nav.`));
    box.appendChild(el("p", "status-text", "Iedzīvotāji saņem šīs instrukcijas un ceļvežus. Kad failos kaut ko maināt, DigiPalīgs izmaiņas pārbauda un ielādē pats."));
  } else {
    box.appendChild(el("p", "status-title", `✗ Pēdējās izmaiņas netika ielādētas: ${errors.length || "ir"} ${plural(errors.length, "kļūda", "kļūdas")}.`));
    box.appendChild(el("p", "status-text", `Iedzīvotāji pa to laiku saņem pēdējo labo versiju${loaded ? ` (ielādēta ${loaded})` : ""}. Izlabojiet kļūdas norādītajās faila rindās – pēc saglabāšanas saturs tiks pārbaudīts vēlreiz.${checked ? ` Pēdējā pārbaude: ${checked}.` : ""}`));
    if (errors.length) {
      const list = el("ul", "problems problems-error");
      list.setAttribute("aria-label", "Kļūdas");
      for (const line of errors) list.appendChild(problemItem(line));
      box.appendChild(list);
    }
  }
  const reviews = reviewList(status.reviews, () => void loadGuides(true));
  if (reviews) box.appendChild(reviews);
  if (warnings.length) {
    const details = el("details", "warnings");
    details.appendChild(el("summary", "", `${warnings.length} ${plural(warnings.length, "brīdinājums", "brīdinājumi")} – DigiPalīgs darbojas, bet tos vēlams izlabot`));
    const list = el("ul", "problems");
    for (const line of warnings) list.appendChild(problemItem(line));
    details.appendChild(list);
    box.appendChild(details);
  }
  box.hidden = false;
}

/** One language's cell: checked and review-by dates, or "no translation". */
function langCell(guide, lang) {
  const td = el("td", "lang-cell");
  const info = guide.langs && typeof guide.langs === "object" ? guide.langs[lang] : null;
  const missing = (Array.isArray(guide.missing) && guide.missing.indexOf(lang) !== -1) || !info;
  if (missing) {
    td.classList.add("cell-missing");
    td.appendChild(el("span", "cell-flag", "⚠ Nav tulkojuma"));
    const add = rowButton("Pievienot tulkojumu", "btn-secondary todo-button", `Pievienot tulkojumu: ${guide.id} (${lang})`, async () => {
      if (isWorking(add)) return;
      working(add, true);
      try {
        await startTranslation(guide, lang);
      } catch (error) {
        showAlert(ui.guidesAlert, `Tulkojumu neizdevās sākt. ${pageErrorText(error)}`);
      } finally {
        working(add, false);
      }
    });
    td.appendChild(add);
    return td;
  }
  if (info.overdue) td.classList.add("cell-overdue");
  const checked = el("span", "date-line");
  checked.appendChild(el("span", "date-label", "Pārbaudīts: "));
  checked.appendChild(el("span", "", lvDate(info.checked) || "–"));
  td.appendChild(checked);
  const review = el("span", "date-line");
  review.appendChild(el("span", "date-label", "Pārskatīt līdz: "));
  review.appendChild(el("span", info.overdue ? "date-overdue" : "", lvDate(info.reviewBy) || "–"));
  td.appendChild(review);
  if (info.overdue) td.appendChild(el("span", "cell-flag", "⚠ Termiņš nokavēts"));
  const edit = el("a", "edit-link", "Labot");
  edit.href = `#redaktors/guide/${lang}/${encodeURIComponent(guide.id)}`;
  edit.setAttribute("aria-label", `Labot ${guide.id} (${lang})`);
  td.appendChild(edit);
  return td;
}

function renderGuides(guides) {
  const body = ui.guidesBody;
  body.textContent = "";
  let overdue = 0;
  let missing = 0;
  for (const guide of guides) {
    const late = guide.overdue === true || LANG_ORDER.some((l) => guide.langs && guide.langs[l] && guide.langs[l].overdue);
    const gaps = Array.isArray(guide.missing) ? guide.missing.length : 0;
    if (late) overdue++;
    if (gaps) missing++;
    const tr = el("tr", "");
    if (late) tr.classList.add("is-overdue");
    if (gaps) tr.classList.add("has-missing");
    const th = el("th", "guide-cell");
    th.scope = "row";
    th.appendChild(el("span", "guide-title", guideTitle(guide.id)));
    if (late) th.appendChild(el("span", "badge badge-overdue", "Jāpārskata"));
    th.appendChild(el("code", "guide-id", guide.id));
    if (gaps) {
      const todo = el("span", "badge badge-todo", `trūkst tulkojuma: ${guide.missing.join(", ")}`);
      todo.title = `Nav ${guide.missing.map((l) => LANG_NAMES[l] || l).join(", ")} valodā`;
      th.appendChild(todo);
    }
    const title = guideTitle(guide.id);
    th.appendChild(rowButton("Dzēst", "btn-danger row-delete", `Dzēst instrukciju ${guide.id}`, () => ui.deleteDialog.open({ kind: "guide", id: guide.id, title })));
    tr.appendChild(th);
    for (const lang of LANG_ORDER) tr.appendChild(langCell(guide, lang));
    body.appendChild(tr);
  }
  ui.guidesCount.textContent = String(guides.length);
  const parts = [`${guides.length} ${plural(guides.length, "instrukcija", "instrukcijas")}`];
  parts.push(overdue ? `jāpārskata: ${overdue}` : "visas pārskatītas laikā");
  parts.push(missing ? `bez visiem tulkojumiem: ${missing}` : "visas ir trīs valodās");
  ui.guidesSummary.textContent = `${parts.join(" · ")}.`;
  ui.guidesEmpty.hidden = guides.length > 0;
}

function renderFlows(flows) {
  const body = ui.flowsBody;
  body.textContent = "";
  for (const flow of flows) {
    const titles = flow.title && typeof flow.title === "object" ? flow.title : {};
    const tr = el("tr", "");
    const th = el("th", "guide-cell");
    th.scope = "row";
    th.appendChild(el("span", "guide-title", str(titles.lv) || flow.id));
    th.appendChild(el("code", "guide-id", flow.id));
    const edit = el("a", "edit-link", "Labot");
    edit.href = `#redaktors/flow/${encodeURIComponent(flow.id)}`;
    edit.setAttribute("aria-label", `Labot ceļvedi ${flow.id}`);
    th.appendChild(edit);
    th.appendChild(rowButton("Dzēst", "btn-danger row-delete", `Dzēst ceļvedi ${flow.id}`, () => ui.deleteDialog.open({ kind: "flow", id: flow.id, title: flowTitle(flow.id) })));
    tr.appendChild(th);
    for (const lang of ["ru", "en"]) {
      const td = el("td", "", str(titles[lang]) || "");
      if (!titles[lang]) {
        td.classList.add("cell-missing");
        td.appendChild(el("span", "cell-flag", "⚠ Nav tulkojuma"));
      }
      tr.appendChild(td);
    }
    tr.appendChild(el("td", "num", isNum(flow.steps) ? num(flow.steps) : "–"));
    body.appendChild(tr);
  }
  ui.flowsCount.textContent = String(flows.length);
  ui.flowsEmpty.hidden = flows.length > 0;
}

// ---------------------------------------------------------------------------------------------

registerPage({
  id: "guides",
  hash: "#instrukcijas",
  name: "Instrukcijas",
  roles: ["editor", "admin"],
  section: "page-guides",
  heading: "guides-title",
  enter({ focus, again }) {
    if (focus && !again) focusHeading("guides");
    void loadGuides(again);
  },
  reset() {
    for (const node of [ui.guidesAlert, ui.guidesNotice]) hideAlert(node);
    ui.newDialog.close();
    ui.deleteDialog.close();
    ui.contentStatus.hidden = true;
    ui.guidesBody.textContent = "";
    ui.flowsBody.textContent = "";
  },
  wire() {
    ui.newGuide.addEventListener("click", () => ui.newDialog.open());
    ui.guidesRefresh.addEventListener("click", () => {
      if (!isWorking(ui.guidesRefresh)) void loadGuides(true);
    });
  },
});
