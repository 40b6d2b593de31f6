/* global location */
/**
 * "Jauna instrukcija" and "Pievienot tulkojumu" on the Instrukcijas page: a new guide starts from
 * a template in the chosen language, a missing translation from the guide's text in another
 * language. Either is saved as the editor's own draft (nothing goes live) and opened in the editor,
 * where the check, the preview and "Publicēt" work as for any guide.
 */
import { announce, el, hideAlert, showAlert, str } from "../lib/dom.js";
import { guideIdProblem, guideTemplate, translationStart } from "../lib/guide-template.js";
import { api, errorText } from "../lib/session.js";
import { LANG_NAMES, LANG_ORDER } from "../lib/words.js";

const guidePath = (lang, id) => `api/staff/content/guides/${lang}/${encodeURIComponent(id)}`;
const editorHash = (lang, id) => `#redaktors/guide/${lang}/${encodeURIComponent(id)}`;

/**
 * What is at a guide's address: `none` (never published), `deleted` (with the deletion's
 * revision, the base of a new text), `draft` (my unpublished draft) or `published`.
 */
async function fileState(lang, id) {
  try {
    const body = await api("GET", guidePath(lang, id));
    if (body.draft && (body.text === null || body.deleted)) return { state: "draft" };
    if (body.deleted) return { state: "deleted", revision: body.revision };
    return { state: "published" };
  } catch (error) {
    if (error.status === 404) return { state: "none", revision: null };
    throw error;
  }
}

/** Saves `text` as my draft of the file and opens it in the editor. */
async function startDraft(lang, id, text, baseRevision) {
  await api("PUT", `${guidePath(lang, id)}/draft`, { text, baseRevision });
  location.hash = editorHash(lang, id);
}

/** The new-guide dialog, built once into `section`; `guides()` gives the guides listed now. */
export function newGuideDialog(section, guides) {
  const dialog = el("dialog", "dialog");
  dialog.id = "guide-new-dialog";
  dialog.setAttribute("aria-labelledby", "guide-new-title");
  dialog.innerHTML = `
    <form id="guide-new-form" method="dialog" novalidate>
      <h3 id="guide-new-title" class="section-title">Jauna instrukcija</h3>
      <div id="guide-new-alert" class="alert" role="alert" hidden></div>
      <div class="field">
        <label for="guide-new-id">Instrukcijas id</label>
        <input id="guide-new-id" type="text" maxlength="80" autocomplete="off" autocapitalize="none" spellcheck="false" required aria-describedby="guide-new-id-hint">
        <p id="guide-new-id-hint" class="field-hint">Viens un tas pats visās trijās valodās, piemēram, sunu-registracija: mazie latīņu burti, cipari un domuzīmes starp vārdiem. Vēlāk to mainīt nevar.</p>
      </div>
      <div class="field">
        <label for="guide-new-lang">Valoda, kurā sākt</label>
        <select id="guide-new-lang" aria-describedby="guide-new-lang-hint"></select>
        <p id="guide-new-lang-hint" class="field-hint">Pārējās valodas sarakstā būs redzamas kā darāmais darbs “trūkst tulkojuma”. Kamēr tulkojuma nav, krieviski vai angliski rakstošie iedzīvotāji saņem latvisko tekstu ar piezīmi. Sāciet latviski: bez latviskā teksta latviski rakstošie šo instrukciju nesaņem.</p>
      </div>
      <div class="dialog-actions">
        <button type="submit" id="guide-new-create" class="btn btn-primary">Izveidot un atvērt redaktorā</button>
        <button type="button" id="guide-new-cancel" class="btn btn-secondary">Atcelt</button>
      </div>
    </form>`;
  section.appendChild(dialog);
  const q = (id) => dialog.querySelector(`#${id}`);
  const form = q("guide-new-form");
  const input = q("guide-new-id");
  const select = q("guide-new-lang");
  const alert = q("guide-new-alert");
  for (const lang of LANG_ORDER) {
    const option = el("option", "", LANG_NAMES[lang]);
    option.value = lang;
    select.appendChild(option);
  }
  q("guide-new-cancel").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    hideAlert(alert);
    const id = input.value.trim();
    const lang = select.value;
    const problem = guideIdProblem(id);
    const refuse = (text) => {
      showAlert(alert, text);
      input.setAttribute("aria-invalid", "true");
      input.focus();
    };
    if (problem) return refuse(problem);
    if (guides().some((g) => g.id === id)) return refuse(`Instrukcija ar id “${id}” jau ir. Izvēlieties citu id vai atveriet esošo sarakstā.`);
    input.removeAttribute("aria-invalid");
    try {
      const file = await fileState(lang, id);
      if (file.state === "published") return refuse(`Instrukcija ar id “${id}” jau ir. Izvēlieties citu id.`);
      dialog.close();
      if (file.state === "draft") {
        location.hash = editorHash(lang, id);
        announce(`Jums jau ir melnraksts “${id}” – atvērts tas.`);
        return undefined;
      }
      await startDraft(lang, id, guideTemplate(id, lang), file.revision);
    } catch (error) {
      if (!dialog.open) dialog.showModal();
      showAlert(alert, `Instrukciju neizdevās izveidot. ${errorText(error)}`);
    }
    return undefined;
  });
  return {
    open() {
      hideAlert(alert);
      form.reset();
      input.removeAttribute("aria-invalid");
      dialog.showModal();
      input.focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}

/**
 * Starts a guide's missing translation: my draft if I have one, else the guide's text in the
 * first language it has (Latvian first) with `lang` set, opened in the editor.
 * @throws the API's error when nothing could be read or saved
 */
export async function startTranslation(guide, lang) {
  const file = await fileState(lang, guide.id);
  if (file.state === "draft" || file.state === "published") {
    location.hash = editorHash(lang, guide.id);
    return;
  }
  const from = LANG_ORDER.find((l) => l !== lang && guide.langs && guide.langs[l]);
  const source = from ? await api("GET", guidePath(from, guide.id)) : null;
  const text = source && str(source.text) ? translationStart(source.text, lang) : guideTemplate(guide.id, lang);
  await startDraft(lang, guide.id, text, file.revision);
}
