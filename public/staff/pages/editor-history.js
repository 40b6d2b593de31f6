/* global confirm */
/**
 * The content editor's "Vēsture": every revision of the open file (who, when, from where), two
 * choices "A" and "B" per row to compare any two revisions — or a revision and the text in the
 * editor — as a readable line difference, and "Atjaunot šo versiju" on every older revision
 * (published again as a new revision, checked like a publish).
 */
import { announce, el, showAlert, str } from "../lib/dom.js";
import { renderDiff } from "./editor-diff.js";

const SOURCE_NAMES = { repository: "repozitorijs", editor: "redaktors", restore: "atjaunots", teach: "iemācīts", import: "imports" };
/** The choice standing for the unpublished text in the editor. */
const EDITOR = "editor";

const revisionName = (choice) => (choice === EDITOR ? "teksts redaktorā" : `versija ${choice}`);

/**
 * The history panel of the editor. `ui` holds the panel's elements (`section`, `table`, `diff`,
 * `button`, `alert`); `call(method, path, body)` is the editor's request helper; `editorText()`
 * gives the text in the editor; `restored()` reopens the file after a restore.
 */
export function createHistory({ ui, call, editorText, restored }) {
  const texts = new Map();
  let target = null;
  let revisions = [];
  let seq = 0;

  async function textOf(choice) {
    if (choice === EDITOR) return editorText();
    const key = `${target.path}#${choice}`;
    if (!texts.has(key)) {
      const { status, body } = await call("GET", `${target.path}/revisions/${choice}`);
      if (status !== 200) throw new Error(`revision ${choice}: ${status}`);
      texts.set(key, str(body.text));
    }
    return texts.get(key);
  }

  const chosen = (name) => {
    const input = ui.table.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  };

  /** Draws the difference between the revisions chosen as A and B. */
  async function compare() {
    const a = chosen("history-a");
    const b = chosen("history-b");
    const mine = ++seq;
    ui.diff.textContent = "";
    ui.diff.hidden = false;
    if (!a || !b) return;
    if (a === b) {
      ui.diff.appendChild(el("p", "diff-legend", "Izvēlieties divas dažādas versijas: A un B."));
      return;
    }
    let before;
    let after;
    try {
      [before, after] = await Promise.all([textOf(a), textOf(b)]);
    } catch {
      if (mine === seq) showAlert(ui.alert, "Versijas tekstu neizdevās ielādēt. Mēģiniet vēlreiz.");
      return;
    }
    if (mine !== seq) return;
    ui.diff.appendChild(el("h4", "diff-title", `Atšķirība: ${revisionName(a)} (A) → ${revisionName(b)} (B)`));
    ui.diff.appendChild(renderDiff(before, after, { before: revisionName(a), after: revisionName(b) }));
  }

  function choiceCell(name, value, label, checked) {
    const td = el("td", "history-choice");
    const input = el("input", "");
    input.type = "radio";
    input.name = name;
    input.value = String(value);
    input.checked = checked;
    input.setAttribute("aria-label", label);
    input.addEventListener("change", () => void compare());
    td.appendChild(input);
    return td;
  }

  async function restore(r) {
    if (!confirm(`Atjaunot versiju ${r.revision}? Tā tiks publicēta kā jauna versija, un nepublicētās izmaiņas redaktorā tiks aizstātas.`)) return;
    const res = await call("POST", `${target.path}/restore`, { revision: r.revision });
    if (res.status === 200) {
      announce(`Versija ${r.revision} atjaunota kā versija ${res.body.revision}.`);
      await restored(res.body.revision);
    } else if (res.status === 422) {
      const problems = (Array.isArray(res.body.errors) ? res.body.errors : []).map((p) => `${p.file ? `${p.file}:` : ""}${p.line}. rinda: ${str(p.message)}`);
      showAlert(ui.alert, `Versiju ${r.revision} atjaunot nevar – ar pašreizējo saturu tajā ir kļūdas. ${problems.join("; ")}`);
    } else if (res.status === 409) {
      showAlert(ui.alert, "Kāds tikko publicēja šo failu. Atveriet vēsturi vēlreiz.");
    } else {
      showAlert(ui.alert, "Atjaunot neizdevās. Mēģiniet vēlreiz.");
    }
  }

  function row(r, k) {
    const tr = el("tr", "history-item");
    const name = `versija ${r.revision}`;
    // Compare the previous revision (A) with the latest (B) at first.
    tr.appendChild(choiceCell("history-a", r.revision, `A: ${name}`, k === Math.min(1, revisions.length - 1)));
    tr.appendChild(choiceCell("history-b", r.revision, `B: ${name}`, k === 0 && revisions.length > 1));
    const th = el("th", "", `Versija ${r.revision}`);
    th.scope = "row";
    if (k === 0) th.appendChild(el("span", "badge", "publicētā"));
    tr.appendChild(th);
    tr.appendChild(el("td", "", new Date(r.publishedAt).toLocaleString("lv-LV")));
    tr.appendChild(el("td", "", str(r.publishedBy)));
    tr.appendChild(el("td", "", `${SOURCE_NAMES[r.source] || str(r.source)}${r.note ? ` · ${r.note}` : ""}${r.deleted ? " · dzēsts" : ""}`));
    const actions = el("td", "");
    if (k > 0 && !r.deleted) {
      const button = el("button", "btn btn-small btn-secondary", "Atjaunot šo versiju");
      button.type = "button";
      button.appendChild(el("span", "visually-hidden", ` (${r.revision})`));
      button.addEventListener("click", () => void restore(r));
      actions.appendChild(button);
    }
    tr.appendChild(actions);
    return tr;
  }

  async function load() {
    ui.table.textContent = "";
    ui.diff.hidden = true;
    const { status, body } = await call("GET", `${target.path}/history`);
    if (status !== 200) {
      showAlert(ui.alert, "Vēsturi neizdevās ielādēt.");
      return;
    }
    revisions = Array.isArray(body.revisions) ? body.revisions : [];
    const caption = el("caption", "visually-hidden", "Versijas, jaunākā augšā. A un B: kuras divas salīdzināt.");
    const head = el("thead", "");
    const headRow = el("tr", "");
    for (const label of ["A", "B", "Versija", "Kad", "Kas", "Avots", "Darbības"]) {
      const th = el("th", "", label);
      th.scope = "col";
      headRow.appendChild(th);
    }
    head.appendChild(headRow);
    const tbody = el("tbody", "");
    const current = el("tr", "history-item history-editor");
    current.appendChild(choiceCell("history-a", EDITOR, "A: teksts redaktorā", false));
    current.appendChild(choiceCell("history-b", EDITOR, "B: teksts redaktorā", revisions.length <= 1));
    const th = el("th", "", "Redaktorā");
    th.scope = "row";
    current.appendChild(th);
    const note = el("td", "", "nepublicētais teksts, kā tas ir tagad");
    note.colSpan = 4;
    current.appendChild(note);
    tbody.appendChild(current);
    revisions.forEach((r, k) => tbody.appendChild(row(r, k)));
    ui.table.append(caption, head, tbody);
    await compare();
  }

  return {
    /** Opens or closes the panel for `file` (the editor's target). */
    async toggle(file) {
      const opening = ui.section.hidden || target !== file;
      target = file;
      ui.section.hidden = !opening;
      ui.button.setAttribute("aria-expanded", String(opening));
      if (opening) await load();
    },
    /** Closes the panel (another file is opened). */
    close() {
      ui.section.hidden = true;
      ui.button.setAttribute("aria-expanded", "false");
      texts.clear();
    },
    /** Reloads an open panel (after a publish or restore). */
    async refresh() {
      if (!ui.section.hidden && target) await load();
    },
  };
}
