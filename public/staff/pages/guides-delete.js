/**
 * "Dzēst" on the Instrukcijas page: a confirmation inside the page for a guide (every language) or
 * a flow. While other files link to it the server refuses (`content_linked`); the dialog then
 * names each of them, with a link to open it in the editor.
 */
import { announce, el, str } from "../lib/dom.js";
import { flowTitle, guideTitle } from "../lib/content.js";
import { api, errorText } from "../lib/session.js";
import { LANG_ADVERB } from "../lib/words.js";

/** The links by file: `[{ file, lines }]` in the server's order. */
function byFile(links) {
  const files = new Map();
  for (const link of links) {
    const file = str(link.file);
    if (!files.has(file)) files.set(file, []);
    if (Number(link.line) > 0 && !files.get(file).includes(link.line)) files.get(file).push(link.line);
  }
  return [...files].map(([file, lines]) => ({ file, lines }));
}

/** A file that links to the deleted one, as an editor reads it, with the address to fix it. */
function describeLink({ file, lines }) {
  const line = lines.length ? `, ${lines.map((l) => `${l}.`).join(", ")} ${lines.length === 1 ? "rinda" : "rindas"}` : "";
  let m = /^flows\/([a-z0-9-]+)\.yaml$/.exec(file);
  if (m) return { text: `ceļvedis “${flowTitle(m[1])}” (${file}${line})`, hash: `#redaktors/flow/${m[1]}` };
  m = /^knowledge\/(lv|ru|en)\/([a-z0-9-]+)\.md$/.exec(file);
  if (m) return { text: `instrukcija “${guideTitle(m[2])}” ${LANG_ADVERB[m[1]]} (${file}${line})`, hash: `#redaktors/guide/${m[1]}/${m[2]}` };
  return { text: `${file}${line}`, hash: "" };
}

/** The delete dialog, built once into `section`; `onDeleted()` runs after a deletion. */
export function deleteDialog(section, onDeleted) {
  const dialog = el("dialog", "dialog");
  dialog.id = "delete-dialog";
  dialog.setAttribute("aria-labelledby", "delete-dialog-title");
  dialog.setAttribute("aria-describedby", "delete-dialog-text");
  dialog.innerHTML = `
    <h3 id="delete-dialog-title" class="section-title"></h3>
    <p id="delete-dialog-text"></p>
    <div id="delete-dialog-refused" class="alert" role="alert" hidden></div>
    <div class="dialog-actions">
      <button type="button" id="delete-dialog-confirm" class="btn btn-danger-solid">Dzēst</button>
      <button type="button" id="delete-dialog-cancel" class="btn btn-secondary">Atcelt</button>
    </div>`;
  section.appendChild(dialog);
  const q = (id) => dialog.querySelector(`#${id}`);
  const title = q("delete-dialog-title");
  const text = q("delete-dialog-text");
  const refused = q("delete-dialog-refused");
  const confirm = q("delete-dialog-confirm");
  const cancel = q("delete-dialog-cancel");
  let target = null;

  const showRefusal = (error) => {
    refused.textContent = "";
    const links = error && error.code === "content_linked" && error.body && Array.isArray(error.body.linkedFrom) ? error.body.linkedFrom : [];
    if (links.length === 0) {
      refused.textContent = `Dzēst neizdevās. ${errorText(error)}`;
    } else {
      refused.appendChild(el("p", "", `Nevar dzēst: uz ${target.kind === "guide" ? "šo instrukciju" : "šo ceļvedi"} vēl norāda:`));
      const list = el("ul", "linked-list");
      for (const link of byFile(links)) {
        const { text: label, hash } = describeLink(link);
        const li = el("li");
        if (hash) {
          const a = el("a", "", label);
          a.href = hash;
          a.addEventListener("click", () => dialog.close());
          li.appendChild(a);
        } else {
          li.textContent = label;
        }
        list.appendChild(li);
      }
      refused.appendChild(list);
      refused.appendChild(el("p", "", "Vispirms izņemiet šīs saites, tad dzēsiet vēlreiz."));
      confirm.hidden = true;
      cancel.textContent = "Aizvērt";
    }
    refused.hidden = false;
  };

  confirm.addEventListener("click", async () => {
    if (!target || confirm.getAttribute("aria-disabled") === "true") return;
    confirm.setAttribute("aria-disabled", "true");
    try {
      await api("DELETE", `api/staff/content/${target.kind === "guide" ? "guides" : "flows"}/${encodeURIComponent(target.id)}`, {});
      const what = target.kind === "guide" ? `Instrukcija “${target.title}” dzēsta visās valodās.` : `Ceļvedis “${target.title}” dzēsts.`;
      dialog.close();
      announce(what);
      onDeleted(what);
    } catch (error) {
      showRefusal(error);
      cancel.focus();
    } finally {
      confirm.setAttribute("aria-disabled", "false");
    }
  });
  cancel.addEventListener("click", () => dialog.close());

  return {
    /** Asks to delete `{ kind: "guide" | "flow", id, title }`. */
    open(what) {
      target = what;
      refused.hidden = true;
      refused.textContent = "";
      confirm.hidden = false;
      cancel.textContent = "Atcelt";
      if (what.kind === "guide") {
        title.textContent = `Dzēst instrukciju “${what.title}”?`;
        text.textContent = `Instrukcija ${what.id} tiks dzēsta visās valodās, un DigiPalīgs ar to vairs neatbildēs. Visas versijas paliek saglabātas, un dzēšana tiek ierakstīta audita žurnālā.`;
      } else {
        title.textContent = `Dzēst ceļvedi “${what.title}”?`;
        text.textContent = `Ceļvedis ${what.id} tiks dzēsts, un iedzīvotāji to vairs nevarēs sākt. Visas versijas paliek saglabātas, un dzēšana tiek ierakstīta audita žurnālā.`;
      }
      dialog.showModal();
      cancel.focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}
