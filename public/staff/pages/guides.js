/**
 * "Instrukcijas" (editors and admins): whether the content loaded, every guide per language with
 * its `checked` and `review_by` dates (overdue and missing translations first), and the flows.
 */
import { $, announce, el, hideAlert, isWorking, showAlert, str, working } from "../lib/dom.js";
import { fetchContent, guideTitle, problemItem } from "../lib/content.js";
import { isNum, lvDate, num, plural, timeText } from "../lib/format.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { pageErrorText, session } from "../lib/session.js";
import { LANG_ORDER } from "../lib/words.js";
import { reviewList } from "./editor-reviews.js";

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

async function loadGuides(force) {
  hideAlert(ui.guidesAlert);
  working(ui.guidesRefresh, true);
  try {
    const content = await fetchContent(true);
    if (!session.staff) return;
    renderContentStatus(content.status);
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
    for (const node of [ui.guidesAlert]) hideAlert(node);
    ui.contentStatus.hidden = true;
    ui.guidesBody.textContent = "";
    ui.flowsBody.textContent = "";
  },
  wire() {
    ui.guidesRefresh.addEventListener("click", () => {
      if (!isWorking(ui.guidesRefresh)) void loadGuides(true);
    });
  },
});
