/**
 * "Teach the bot" on the unanswered report (pages/unanswered.js): for one open group, add its
 * wording to a guide's example questions ("Pievienot instrukcijai", the closest guide offered
 * first), mark it out of scope ("Ārpus tēmas"), or put it on the to-do list of missing guides
 * with its example questions ("Vajag jaunu instrukciju"). After each, the report is loaded again:
 * the group moves to the handled ones, with whether the bot now answers it.
 */
import { announce, el, isWorking, str, working } from "../lib/dom.js";
import { currentContent, guideTitle } from "../lib/content.js";
import { api } from "../lib/session.js";

/** Language names in the genitive ("krievu tulkojums"). */
const LANG_GENITIVE = { lv: "latviešu", ru: "krievu", en: "angļu" };

/** Why a question could not be attached to the guide and what to do, in Latvian. */
function untaughtText(guideId, error) {
  const message = str(error.message);
  const missing = /has no (Latvian|Russian|English) version/.exec(message);
  if (missing) {
    const lang = { Latvian: "latviešu", Russian: "krievu", English: "angļu" }[missing[1]];
    return `Instrukcijai “${guideTitle(guideId)}” nav ${lang} valodas versijas, un to nevar aizstāt ar latvisko tekstu. Vispirms pievienojiet ${lang} tulkojumu (Instrukcijas → Pievienot tulkojumu), tad pievienojiet jautājumu vēlreiz, vai izvēlieties citu instrukciju.`;
  }
  if (/^There is no guide/.test(message)) return `Instrukcijas “${guideId}” vairs nav. Izvēlieties citu instrukciju vai pievienojiet jautājumu sarakstam „Vajag jaunu instrukciju”.`;
  return `Neizdevās pievienot: ${message || "pārbaude atteica"}.`;
}

/** The group's language for teaching: the first of lv, ru, en it was asked in (else lv). */
export function groupLang(group) {
  const langs = Array.isArray(group.langs) ? group.langs : Object.keys(group.languages || {});
  return ["lv", "ru", "en"].find((l) => langs.indexOf(l) !== -1) || "lv";
}

/** A <select> of every guide (`first` on top), labelled for `labelText`. */
export function guideSelect(first, labelText) {
  const select = el("select", "teach-guide");
  select.id = `guide-${Math.random().toString(36).slice(2)}`;
  const label = el("label", "visually-hidden", labelText);
  label.htmlFor = select.id;
  const content = currentContent();
  const ids = content && Array.isArray(content.guides) ? content.guides.map((g) => g.id) : [];
  for (const gid of [first, ...ids.filter((g) => g !== first)].filter(Boolean)) {
    const option = el("option", "", guideTitle(gid));
    option.value = gid;
    select.appendChild(option);
  }
  return { label, select };
}

/** The controls for one open group; `changed` is called after a group was handled. */
export function teachControls(group, changed) {
  const box = el("div", "teach");
  const question = str(group.question);
  const lang = groupLang(group);
  const status = el("p", "teach-status");
  status.setAttribute("aria-live", "polite");
  const closest = typeof group.closestGuide === "string" ? group.closestGuide : "";
  const { label, select } = guideSelect(closest, `Instrukcija jautājumam: ${question}`);

  /**
   * Runs one action with its button busy; tells the report to load again when it worked. `done`
   * and `failed` are texts, or functions of the answer and of the error.
   */
  const act = (button, run, done, failed) => {
    button.addEventListener("click", async () => {
      if (isWorking(button)) return;
      working(button, true);
      try {
        const answer = await run();
        const text = typeof done === "function" ? done(answer) : done;
        status.textContent = `✓ ${text}`;
        announce(text);
        changed();
      } catch (error) {
        status.textContent = typeof failed === "function" ? failed(error) : failed;
      } finally {
        working(button, false);
      }
    });
  };
  const teach = el("button", "btn btn-small", "Pievienot instrukcijai");
  teach.type = "button";
  act(teach, async () => {
    if (!select.value) throw new Error("no guide");
    return api("POST", "api/staff/unanswered/teach", { question, lang, guideId: select.value });
  }, (answer) => (answer && answer.waitingForTranslation
    ? `Šai instrukcijai vēl nav ${LANG_GENITIVE[answer.waitingForTranslation] || answer.waitingForTranslation} tulkojuma, tāpēc jautājums pievienots latviskajam tekstam (${answer.path || "latviskā versija"}, saraksts questions_${answer.waitingForTranslation}) un publicēts: šādi jautājot, iedzīvotāji saņems latvisko tekstu ar piezīmi. Kad sāksiet tulkojumu (Instrukcijas → Pievienot tulkojumu), jautājums būs tā piemēros.`
    : "Jautājums pievienots instrukcijas piemēriem un publicēts."),
  (error) => (error && error.code === "content_rejected"
    ? untaughtText(select.value, error)
    : "Neizdevās pievienot. Mēģiniet vēlreiz."));
  const dismiss = el("button", "btn btn-small btn-secondary", "Ārpus tēmas");
  dismiss.type = "button";
  act(dismiss, () => api("POST", "api/staff/unanswered/dismiss", { question, lang }), "Atzīmēts kā ārpus tēmas.", "Neizdevās atzīmēt. Mēģiniet vēlreiz.");
  const needed = el("button", "btn btn-small btn-secondary", "Vajag jaunu instrukciju");
  needed.type = "button";
  needed.setAttribute("aria-label", `Vajag jaunu instrukciju: ${question}`);
  const examples = Array.isArray(group.examples) ? group.examples.filter((e) => typeof e === "string" && e.trim()) : [];
  act(needed, () => api("POST", "api/staff/unanswered/missing-guides", { question, lang, examples, asked: typeof group.count === "number" ? group.count : 0 }),
    "Pievienots sarakstam „Vajag jaunu instrukciju”.", "Neizdevās pievienot sarakstam. Mēģiniet vēlreiz.");
  box.appendChild(label);
  box.appendChild(select);
  box.appendChild(teach);
  box.appendChild(dismiss);
  box.appendChild(needed);
  box.appendChild(status);
  return box;
}
