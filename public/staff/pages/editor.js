/* global document, fetch, setTimeout, clearTimeout, location, confirm, console */
/**
 * The content editor (editors and admins): one guide in one language, a flow, or centres/holidays,
 * in CodeMirror 6 with line numbers (served from the installed packages by the app, no CDN, no
 * build step). The check runs as you type (POST /api/staff/content/preview) and its errors are
 * marked at their lines; the phone-sized preview shows what a resident would see from the draft,
 * or the answer to a question. "Publicēt" publishes when the check passes; if someone published
 * meanwhile (409) the difference is shown. "Vēsture": who changed what and when, the difference
 * between any revision and the text in the editor, and "Atjaunot šo versiju".
 * Address: #redaktors/guide/<lang>/<id>, #redaktors/flow/<id>, #redaktors/data/<centres|holidays>.
 */
import { $, announce, el, hideAlert, showAlert, str } from "../lib/dom.js";
import { renderConversationPreview } from "../lib/preview.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { appUrl, session } from "../lib/session.js";

const VENDOR = "staff/vendor/esm/";
const SOURCE_NAMES = { repository: "repozitorijs", editor: "redaktors", restore: "atjaunots", teach: "iemācīts", import: "imports" };

/** The page's own section, added to the console's main element. */
function buildSection() {
  const section = el("section", "page");
  section.id = "page-editor";
  section.hidden = true;
  section.setAttribute("aria-labelledby", "editor-title");
  section.innerHTML = `
    <div class="page-head">
      <div><h2 id="editor-title" class="page-title" tabindex="-1">Redaktors</h2>
      <p id="editor-meta" class="card-summary"></p></div>
      <a class="btn btn-secondary" href="#instrukcijas">← Instrukcijas</a>
    </div>
    <div id="editor-alert" class="alert" role="alert" hidden></div>
    <div class="editor-layout">
      <div class="card editor-card">
        <h3 class="section-title" id="editor-label">Teksts</h3>
        <div id="editor-host" class="editor-host"></div>
        <div id="editor-check" class="editor-check" role="status" aria-live="polite"></div>
        <div class="actions">
          <button type="button" id="editor-publish" class="btn btn-primary">Publicēt</button>
          <button type="button" id="editor-draft" class="btn btn-secondary">Saglabāt melnrakstu</button>
          <button type="button" id="editor-history-button" class="btn btn-secondary" aria-expanded="false" aria-controls="editor-history">Vēsture</button>
        </div>
        <div id="editor-conflict" class="card conflict" hidden></div>
        <section id="editor-history" class="history" aria-labelledby="editor-history-title" hidden>
          <h3 id="editor-history-title" class="section-title">Vēsture</h3>
          <ol id="editor-history-list" class="history-list"></ol>
          <div id="editor-diff" class="diff" hidden></div>
        </section>
      </div>
      <div class="card editor-preview-card">
        <h3 class="section-title" id="editor-preview-title">Kā to redz iedzīvotājs</h3>
        <form id="editor-ask" class="editor-ask">
          <label for="editor-question">Jautājums (neobligāti)</label>
          <input id="editor-question" type="text" autocomplete="off" maxlength="1000">
          <button type="submit" class="btn btn-secondary">Izmēģināt</button>
        </form>
        <div class="phone" aria-labelledby="editor-preview-title"><div id="editor-preview" class="preview"></div></div>
      </div>
    </div>`;
  $("main").appendChild(section);
}
buildSection();

const ui = {
  meta: $("editor-meta"), alert: $("editor-alert"), host: $("editor-host"), check: $("editor-check"), publish: $("editor-publish"),
  draft: $("editor-draft"), historyButton: $("editor-history-button"), history: $("editor-history"), historyList: $("editor-history-list"),
  diff: $("editor-diff"), conflict: $("editor-conflict"), ask: $("editor-ask"), question: $("editor-question"), preview: $("editor-preview"),
  title: $("editor-title"),
};

const state = { target: null, revision: null, view: null, cm: null, timer: 0, errors: [], seq: 0 };

/** Sends a JSON request and returns `{ status, body }` (422 and 409 carry details the page shows). */
async function call(method, path, body) {
  const res = await fetch(appUrl(`api/staff/${path}`), {
    method, credentials: "same-origin",
    headers: { "content-type": "application/json", ...(method !== "GET" && session.csrf ? { "x-csrf-token": session.csrf } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  let data;
  try {
    data = await res.json();
  } catch {
    data = {};
  }
  return { status: res.status, body: data };
}

/** What the address names. */
function parseTarget(hash) {
  const parts = hash.replace(/^#redaktors\//, "").split("/").map((p) => decodeURIComponent(p));
  if (parts[0] === "guide" && /^(lv|ru|en)$/.test(parts[1] || "") && /^[a-z0-9-]+$/.test(parts[2] || "")) return { kind: "guide", lang: parts[1], id: parts[2], path: `content/guides/${parts[1]}/${parts[2]}` };
  if (parts[0] === "flow" && /^[a-z0-9-]+$/.test(parts[1] || "")) return { kind: "flow", id: parts[1], path: `content/flows/${parts[1]}` };
  if (parts[0] === "data" && /^(centres|holidays)$/.test(parts[1] || "")) return { kind: "data", id: parts[1], path: `content/data/${parts[1]}` };
  return null;
}

/** CodeMirror and its languages, loaded once. */
async function loadCodeMirror() {
  if (state.cm) return state.cm;
  const [cm, md, yaml, lint] = await Promise.all([
    import(appUrl(`${VENDOR}codemirror/dist/index.js`)),
    import(appUrl(`${VENDOR}@codemirror/lang-markdown/dist/index.js`)),
    import(appUrl(`${VENDOR}@codemirror/lang-yaml/dist/index.js`)),
    import(appUrl(`${VENDOR}@codemirror/lint/dist/index.js`)),
  ]);
  state.cm = { ...cm, markdown: md.markdown, yaml: yaml.yaml, lint };
  return state.cm;
}

const text = () => (state.view ? state.view.state.doc.toString() : "");

async function createEditor(initial) {
  const cm = await loadCodeMirror();
  if (state.view) state.view.destroy();
  // In a shadow root CodeMirror's styles are constructed style sheets, which the console's
  // Content-Security-Policy (style-src 'self', no inline <style>) allows.
  const shadow = ui.host.shadowRoot || ui.host.attachShadow({ mode: "open" });
  shadow.textContent = "";
  const mount = document.createElement("div");
  shadow.appendChild(mount);
  state.view = new cm.EditorView({
    doc: initial,
    parent: mount,
    root: shadow,
    extensions: [
      cm.EditorView.theme({ "&": { minHeight: "24rem", fontSize: "0.95rem", backgroundColor: "#fff" }, ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace" } }),
      cm.basicSetup,
      state.target.kind === "guide" ? cm.markdown() : cm.yaml(),
      cm.lint.lintGutter(),
      cm.EditorView.lineWrapping,
      cm.EditorView.contentAttributes.of({ "aria-label": "Faila teksts (ar rindu numuriem)" }),
      cm.EditorView.updateListener.of((update) => {
        if (update.docChanged) scheduleCheck();
      }),
    ],
  });
}

function scheduleCheck() {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => void runCheck(), 700);
}

/** Marks the check's problems at their lines in the editor. */
function markProblems(errors, warnings) {
  const cm = state.cm;
  const doc = state.view.state.doc;
  const at = (p, severity) => {
    const line = doc.line(Math.min(Math.max(1, p.line || 1), doc.lines));
    return { from: line.from, to: line.to, severity, message: str(p.message) };
  };
  state.view.dispatch(cm.lint.setDiagnostics(state.view.state, [...errors.map((p) => at(p, "error")), ...warnings.map((p) => at(p, "warning"))]));
  ui.check.textContent = "";
  if (errors.length === 0) {
    ui.check.appendChild(el("p", "check-ok", `✓ Pārbaude: kļūdu nav${warnings.length ? `, brīdinājumi: ${warnings.length}` : ""}.`));
  } else {
    ui.check.appendChild(el("p", "check-error", `✗ Kļūdas: ${errors.length}. Publicēt nevar, kamēr tās nav izlabotas.`));
  }
  const list = el("ul", "problems");
  for (const p of [...errors, ...warnings]) {
    const item = el("li", errors.includes(p) ? "problem-error" : "problem-warning");
    const go = el("button", "link-button", `${p.file && p.file !== "" ? `${p.file}:` : ""}${p.line}. rinda`);
    go.type = "button";
    go.addEventListener("click", () => {
      const line = state.view.state.doc.line(Math.min(p.line || 1, state.view.state.doc.lines));
      state.view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
      state.view.focus();
    });
    item.appendChild(go);
    item.appendChild(document.createTextNode(` ${str(p.message)}`));
    list.appendChild(item);
  }
  if (list.childNodes.length) ui.check.appendChild(list);
}

/** Checks the draft and shows the resident's view of it. */
async function runCheck() {
  if (!state.target || !state.view) return;
  const seq = ++state.seq;
  const question = ui.question.value.trim();
  const { status, body } = await call("POST", "content/preview", {
    kind: state.target.kind, id: state.target.id, text: text() || " ",
    ...(state.target.lang ? { lang: state.target.lang } : {}), ...(question ? { question } : {}),
  });
  if (seq !== state.seq) return;
  if (status !== 200) {
    showAlert(ui.alert, "Pārbaudi neizdevās palaist. Mēģiniet vēlreiz.");
    return;
  }
  const elsewhere = Array.isArray(body.elsewhere) ? body.elsewhere : [];
  state.errors = [...(body.errors || []), ...elsewhere];
  markProblems(state.errors, body.warnings || []);
  renderConversationPreview(ui.preview, question, Array.isArray(body.replies) ? body.replies : []);
}

function showMeta(info) {
  const who = info.publishedBy ? `publicēja ${info.publishedBy}` : "vēl nav publicēts";
  const when = info.publishedAt ? new Date(info.publishedAt).toLocaleString("lv-LV") : "";
  ui.meta.textContent = `${info.path || ""} · versija ${info.revision ?? "–"} · ${who}${when ? `, ${when}` : ""}`;
}

async function open(target) {
  state.target = target;
  hideAlert(ui.alert);
  ui.conflict.hidden = true;
  ui.history.hidden = true;
  ui.historyButton.setAttribute("aria-expanded", "false");
  ui.title.textContent = target.kind === "guide" ? `Instrukcija: ${target.id} (${target.lang})` : target.kind === "flow" ? `Ceļvedis: ${target.id}` : `Dati: ${target.id}.yaml`;
  const { status, body } = await call("GET", target.path);
  if (status !== 200) {
    showAlert(ui.alert, status === 404 ? "Šāda faila nav." : "Failu neizdevās ielādēt.");
    return;
  }
  state.revision = body.revision;
  showMeta(body);
  const draft = body.draft && typeof body.draft.text === "string" ? body.draft : null;
  try {
    await createEditor(draft ? draft.text : str(body.text));
  } catch (error) {
    console.error("editor could not load", error);
    showAlert(ui.alert, "Redaktoru neizdevās ielādēt. Pārlādējiet lapu.");
    return;
  }
  if (draft) announce("Atvērts Jūsu saglabātais melnraksts.");
  void runCheck();
}

async function publish() {
  hideAlert(ui.alert);
  await runCheck();
  if (state.errors.length) {
    announce("Vispirms izlabojiet kļūdas.");
    return;
  }
  const { status, body } = await call("PUT", state.target.path, { text: text(), baseRevision: state.revision });
  if (status === 200) {
    state.revision = body.revision;
    ui.conflict.hidden = true;
    const info = await call("GET", state.target.path);
    if (info.status === 200) showMeta(info.body);
    ui.check.insertBefore(el("p", "check-ok", `✓ Publicēts (versija ${body.revision}). Iedzīvotāji to saņem uzreiz.`), ui.check.firstChild);
    announce("Publicēts.");
  } else if (status === 422) {
    markProblems(body.errors || [], []);
    announce("Publicēt nevar: ir kļūdas.");
  } else if (status === 409) {
    showConflict(body.current);
  } else {
    showAlert(ui.alert, "Publicēt neizdevās. Mēģiniet vēlreiz.");
  }
}

/** Someone published meanwhile: the difference, and a way to continue from the latest revision. */
function showConflict(current) {
  ui.conflict.textContent = "";
  ui.conflict.appendChild(el("h3", "section-title", "Kamēr Jūs labojāt, kāds cits publicēja šo failu"));
  ui.conflict.appendChild(el("p", "", `Jaunākā versija ${current ? current.revision : ""}${current && current.publishedBy ? ` (${current.publishedBy})` : ""}. Zemāk: kas jaunākajā versijā atšķiras no Jūsu teksta.`));
  ui.conflict.appendChild(renderDiff(str(current && current.text), text(), "Jaunākā versija", "Jūsu teksts"));
  const keep = el("button", "btn btn-primary", "Publicēt manu tekstu virs jaunākās versijas");
  keep.type = "button";
  keep.addEventListener("click", () => {
    state.revision = current ? current.revision : state.revision;
    void publish();
  });
  const reload = el("button", "btn btn-secondary", "Ielādēt jaunāko versiju");
  reload.type = "button";
  reload.addEventListener("click", () => void open(state.target));
  ui.conflict.appendChild(keep);
  ui.conflict.appendChild(reload);
  ui.conflict.hidden = false;
  keep.focus();
}

/** A line-by-line difference (longest common subsequence) as a list: removed, added, unchanged context. */
function renderDiff(before, after, beforeName, afterName) {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      rows.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      rows.push({ kind: "add", text: b[j] });
      j++;
    } else {
      rows.push({ kind: "del", text: a[i] });
      i++;
    }
  }
  const box = el("div", "diff-box");
  const changed = rows.filter((r) => r.kind !== "same").length;
  box.appendChild(el("p", "diff-legend", changed === 0 ? "Teksti ir vienādi." : `− ${beforeName} · + ${afterName} · mainītas rindas: ${changed}`));
  const list = el("ol", "diff-lines");
  rows.forEach((r, k) => {
    const near = rows.slice(Math.max(0, k - 2), k + 3).some((x) => x.kind !== "same");
    if (r.kind === "same" && !near) return;
    const li = el("li", `diff-${r.kind}`);
    li.appendChild(el("span", "visually-hidden", r.kind === "add" ? "Pievienots: " : r.kind === "del" ? "Izņemts: " : ""));
    li.appendChild(el("span", "diff-mark", r.kind === "add" ? "+" : r.kind === "del" ? "−" : " "));
    li.appendChild(el("span", "diff-text", r.text || " "));
    list.appendChild(li);
  });
  box.appendChild(list);
  return box;
}

async function showHistory() {
  const open = ui.history.hidden;
  ui.history.hidden = !open;
  ui.historyButton.setAttribute("aria-expanded", String(open));
  if (!open) return;
  ui.historyList.textContent = "";
  ui.diff.hidden = true;
  const { status, body } = await call("GET", `${state.target.path}/history`);
  if (status !== 200) return;
  for (const r of body.revisions || []) {
    const li = el("li", "history-item");
    const when = new Date(r.publishedAt).toLocaleString("lv-LV");
    li.appendChild(el("span", "", `Versija ${r.revision} · ${when} · ${r.publishedBy} (${SOURCE_NAMES[r.source] || r.source})${r.note ? ` · ${r.note}` : ""}${r.deleted ? " · dzēsts" : ""}`));
    const compare = el("button", "btn btn-small", "Salīdzināt ar redaktorā");
    compare.type = "button";
    compare.addEventListener("click", async () => {
      const old = await call("GET", `${state.target.path}/revisions/${r.revision}`);
      if (old.status !== 200) return;
      ui.diff.textContent = "";
      ui.diff.appendChild(el("h4", "", `Versija ${r.revision} pret tekstu redaktorā`));
      ui.diff.appendChild(renderDiff(str(old.body.text), text(), `versija ${r.revision}`, "redaktorā"));
      ui.diff.hidden = false;
    });
    const restore = el("button", "btn btn-small", "Atjaunot šo versiju");
    restore.type = "button";
    restore.addEventListener("click", async () => {
      if (!confirm(`Atjaunot versiju ${r.revision}? Tā tiks publicēta kā jauna versija.`)) return;
      const res = await call("POST", `${state.target.path}/restore`, { revision: r.revision });
      if (res.status === 200) {
        announce(`Versija ${r.revision} atjaunota.`);
        await openTarget(state.target);
      } else if (res.status === 422) {
        markProblems(res.body.errors || [], []);
      } else {
        showAlert(ui.alert, "Atjaunot neizdevās.");
      }
    });
    li.appendChild(compare);
    li.appendChild(restore);
    ui.historyList.appendChild(li);
  }
}

const openTarget = (t) => open(t);

async function saveDraft() {
  const res = await call("PUT", `${state.target.path}/draft`, { text: text(), baseRevision: state.revision });
  announce(res.status === 200 ? "Melnraksts saglabāts. Tas netiek publicēts." : "Melnrakstu neizdevās saglabāt.");
}

registerPage({
  id: "editor",
  hash: "#redaktors",
  name: "Redaktors",
  roles: ["editor", "admin"],
  section: "page-editor",
  heading: "editor-title",
  matches: (hash) => hash.startsWith("#redaktors/"),
  enter({ focus }) {
    const target = parseTarget(location.hash);
    if (!target) {
      showAlert(ui.alert, "Izvēlieties instrukciju vai ceļvedi lapā “Instrukcijas”.");
      return;
    }
    if (focus) focusHeading("editor");
    void open(target);
  },
  reset() {
    if (state.view) state.view.destroy();
    state.view = null;
    state.target = null;
  },
  wire() {
    ui.publish.addEventListener("click", () => void publish());
    ui.draft.addEventListener("click", () => void saveDraft());
    ui.historyButton.addEventListener("click", () => void showHistory());
    ui.ask.addEventListener("submit", (event) => {
      event.preventDefault();
      void runCheck();
    });
  },
});
