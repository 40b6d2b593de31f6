/**
 * "Teach the bot" on the unanswered report (pages/unanswered.js): for one group, add its wording to
 * a guide's example questions ("Pievienot instrukcijai", the closest guide offered first) or mark
 * it out of scope ("Ārpus tēmas"); a handled group says who handled it and whether the bot now
 * answers it (GET /api/staff/unanswered/handled).
 */
import { announce, el, str } from "../lib/dom.js";
import { currentContent, guideTitle } from "../lib/content.js";
import { api } from "../lib/session.js";

let handled = null;

/** The handled groups, fetched once per report (call {@link forgetHandled} to fetch again). */
function handledList() {
  if (!handled) handled = api("GET", "api/staff/unanswered/handled").then((r) => (Array.isArray(r.handled) ? r.handled : []), () => []);
  return handled;
}

/** Forgets the handled groups (the report is loaded again). */
export function forgetHandled() {
  handled = null;
}

const ACTION = { teach: "pievienots instrukcijai", dismiss: "atzīmēts kā ārpus tēmas" };

/** The controls for one group of the report. */
export function teachControls(group) {
  const box = el("div", "teach");
  const question = str(group.question);
  const langs = Array.isArray(group.langs) ? group.langs : Object.keys(group.languages || {});
  const lang = ["lv", "ru", "en"].find((l) => langs.indexOf(l) !== -1) || "lv";
  const status = el("p", "teach-status");
  status.setAttribute("aria-live", "polite");
  const showHandled = (h) => {
    status.textContent = `✓ ${ACTION[h.action] || h.action}${h.guideId ? ` (${guideTitle(h.guideId)})` : ""} · ${str(h.by)} ${h.resolved === undefined ? "" : ` · ${h.resolved ? "DigiPalīgs tagad atbild pareizi" : "DigiPalīgs vēl neatbild kā paredzēts"}`}`;
  };
  void handledList().then((list) => {
    const found = list.find((h) => h.question === question && h.lang === lang);
    if (found) showHandled(found);
  });
  const select = el("select", "teach-guide");
  const id = `teach-${Math.random().toString(36).slice(2)}`;
  select.id = id;
  const label = el("label", "visually-hidden", `Instrukcija jautājumam: ${question}`);
  label.htmlFor = id;
  const content = currentContent();
  const ids = content && Array.isArray(content.guides) ? content.guides.map((g) => g.id) : [];
  const closest = typeof group.closestGuide === "string" ? group.closestGuide : "";
  for (const gid of [closest, ...ids.filter((g) => g !== closest)].filter(Boolean)) {
    const option = el("option", "", guideTitle(gid));
    option.value = gid;
    select.appendChild(option);
  }
  const teach = el("button", "btn btn-small", "Pievienot instrukcijai");
  teach.type = "button";
  teach.addEventListener("click", async () => {
    if (!select.value) return;
    try {
      await api("POST", "api/staff/unanswered/teach", { question, lang, guideId: select.value });
      forgetHandled();
      showHandled({ action: "teach", guideId: select.value, by: "Jūs" });
      announce("Jautājums pievienots instrukcijas piemēriem un publicēts.");
    } catch {
      status.textContent = "Neizdevās pievienot. Mēģiniet vēlreiz.";
    }
  });
  const dismiss = el("button", "btn btn-small btn-secondary", "Ārpus tēmas");
  dismiss.type = "button";
  dismiss.addEventListener("click", async () => {
    try {
      await api("POST", "api/staff/unanswered/dismiss", { question, lang });
      forgetHandled();
      showHandled({ action: "dismiss", by: "Jūs" });
      announce("Atzīmēts kā ārpus tēmas.");
    } catch {
      status.textContent = "Neizdevās atzīmēt. Mēģiniet vēlreiz.";
    }
  });
  box.appendChild(label);
  box.appendChild(select);
  box.appendChild(teach);
  box.appendChild(dismiss);
  box.appendChild(status);
  return box;
}
