/* global document, fetch, setTimeout, clearTimeout, location, confirm, console, window */
/**
 * The content editor (editors and admins): one guide in one language, a flow, or centres/holidays,
 * in CodeMirror 6 with line numbers (served from the installed packages by the app, no CDN, no
 * build step). The check runs as you type (POST /api/staff/content/preview) and its errors are
 * marked at their lines; the phone-sized preview shows what a resident would see from the draft,
 * or the answer to a question. The draft is saved as you type (the editor's own, never live by
 * itself) and comes back after a reload. "Publicēt" publishes when the check passes; if someone
 * published meanwhile (409) their change is shown and the editor can take the latest revision
 * with their own changes carried over (a three-way merge, lib/line-diff.js). "Vēsture"
 * (editor-history.js): who changed what and when, any two revisions compared, and restore.
 * Address: #redaktors/guide/<lang>/<id>, #redaktors/flow/<id>, #redaktors/data/<centres|holidays>.
 */
import { $, announce, el, hideAlert, showAlert, str } from "../lib/dom.js";
import { mergeLines } from "../lib/line-diff.js";
import { renderConversationPreview } from "../lib/preview.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { appUrl, session } from "../lib/session.js";
import { renderDiff } from "./editor-diff.js";
import { createHistory } from "./editor-history.js";

const VENDOR = "staff/vendor/esm/";
/** How long after the last keystroke the draft is saved. */
const DRAFT_DELAY_MS = 1500;

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
          <button type="button" id="editor-discard" class="btn btn-secondary" hidden>Atmest melnrakstu</button>
          <button type="button" id="editor-history-button" class="btn btn-secondary" aria-expanded="false" aria-controls="editor-history">Vēsture</button>
        </div>
        <p id="editor-draft-status" class="draft-status" role="status"></p>
        <div id="editor-conflict" class="card conflict" hidden></div>
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
    </div>
    <section id="editor-history" class="card history" aria-labelledby="editor-history-title" hidden>
      <h3 id="editor-history-title" class="section-title">Vēsture</h3>
      <p class="card-summary">Izvēlieties A un B – divas versijas vai versiju un tekstu redaktorā –, lai redzētu, kas mainījās.</p>
      <div class="table-wrap"><table id="editor-history-table" class="data-table history-table"></table></div>
      <div id="editor-diff" class="diff" aria-live="polite" hidden></div>
    </section>`;
  $("main").appendChild(section);
}
buildSection();

const ui = {
  meta: $("editor-meta"), alert: $("editor-alert"), host: $("editor-host"), check: $("editor-check"), publish: $("editor-publish"),
  draft: $("editor-draft"), discard: $("editor-discard"), draftStatus: $("editor-draft-status"), historyButton: $("editor-history-button"),
  conflict: $("editor-conflict"), ask: $("editor-ask"), question: $("editor-question"), preview: $("editor-preview"), title: $("editor-title"),
};

/**
 * `revision`: the revision the text in the editor is based on (sent as baseRevision), `baseText`
 * its text (for carrying the editor's changes over to a newer revision); `savedDraft`: the text of
 * the saved draft (null when there is none); `saving`: the draft save under way.
 */
const state = { target: null, revision: null, baseText: "", view: null, cm: null, timer: 0, draftTimer: 0, savedDraft: null, saving: null, errors: [], seq: 0 };

/** Sends a JSON request and returns `{ status, body }` (422 and 409 carry details the page shows). */
async function call(method, path, body, { keepalive = false } = {}) {
  const res = await fetch(appUrl(`api/staff/${path}`), {
    method, credentials: "same-origin", keepalive,
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
        if (update.docChanged) {
          scheduleCheck();
          scheduleDraft();
        }
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
    go.addEventListener("click", () => goToLine(p.line));
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
  const replies = Array.isArray(body.replies) ? body.replies : [];
  renderConversationPreview(ui.preview, question, replies);
  if (replies.length === 0 && !question) {
    ui.preview.appendChild(el("p", "preview-hint", state.target.kind === "data"
      ? "Šis fails nav teksts iedzīvotājam. Uzdodiet jautājumu (piemēram, par centru), lai redzētu atbildi no šī melnraksta."
      : "Uzdodiet jautājumu, lai redzētu atbildi no šī melnraksta."));
  }
}

/** Moves the cursor to a line of the editor and shows it. */
function goToLine(number) {
  const doc = state.view.state.doc;
  const line = doc.line(Math.min(Math.max(1, number || 1), doc.lines));
  state.view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
  state.view.focus();
}

/** Replaces the whole text in the editor (one undoable change). */
function replaceText(next) {
  state.view.dispatch({ changes: { from: 0, to: state.view.state.doc.length, insert: next } });
}

const clock = (iso) => new Date(iso || Date.now()).toLocaleString("lv-LV");

function showMeta(info) {
  const who = info.publishedBy ? `publicēja ${info.publishedBy}` : "vēl nav publicēts";
  const when = info.publishedAt ? clock(info.publishedAt) : "";
  ui.meta.textContent = `${info.path || ""} · versija ${info.revision ?? "–"} · ${who}${when ? `, ${when}` : ""}`;
}

/** The text of one revision of the open file ("" for none). */
async function revisionText(revision) {
  if (revision === null || revision === undefined) return "";
  const { status, body } = await call("GET", `${state.target.path}/revisions/${revision}`);
  return status === 200 ? str(body.text) : "";
}

async function open(target, { keepHistory = false } = {}) {
  clearTimeout(state.draftTimer);
  state.target = target;
  hideAlert(ui.alert);
  ui.conflict.hidden = true;
  if (!keepHistory) history.close();
  ui.title.textContent = target.kind === "guide" ? `Instrukcija: ${target.id} (${target.lang})` : target.kind === "flow" ? `Ceļvedis: ${target.id}` : `Dati: ${target.id}.yaml`;
  const { status, body } = await call("GET", target.path);
  if (target !== state.target) return;
  if (status !== 200) {
    showAlert(ui.alert, status === 404 ? "Šāda faila nav." : "Failu neizdevās ielādēt.");
    return;
  }
  showMeta(body);
  const draft = body.draft && typeof body.draft.text === "string" ? body.draft : null;
  state.revision = body.revision;
  state.baseText = str(body.text);
  state.savedDraft = draft ? draft.text : null;
  if (draft && draft.baseRevision !== body.revision) {
    // Someone published since the draft was begun: publishing it will show their change (409).
    state.revision = draft.baseRevision;
    state.baseText = await revisionText(draft.baseRevision);
  }
  try {
    await createEditor(draft ? draft.text : str(body.text));
  } catch (error) {
    console.error("editor could not load", error);
    showAlert(ui.alert, "Redaktoru neizdevās ielādēt. Pārlādējiet lapu.");
    return;
  }
  ui.discard.hidden = !draft;
  if (draft) {
    const stale = draft.baseRevision !== body.revision ? ` Tas sākts no versijas ${draft.baseRevision ?? "–"}; kopš tā publicēta versija ${body.revision}.` : "";
    ui.draftStatus.textContent = `Atvērts Jūsu melnraksts (saglabāts ${clock(draft.savedAt)}). Iedzīvotāji redz publicēto versiju ${body.revision ?? "–"}.${stale}`;
    announce("Atvērts Jūsu saglabātais melnraksts.");
  } else {
    ui.draftStatus.textContent = "";
  }
  void runCheck();
}

function scheduleDraft() {
  clearTimeout(state.draftTimer);
  const target = state.target;
  ui.draftStatus.textContent = "Izmaiņas vēl nav saglabātas…";
  state.draftTimer = setTimeout(() => void saveDraft(target, false), DRAFT_DELAY_MS);
}

/** Saves the text in the editor as the editor's own draft of `target` (never published by itself). */
async function saveDraft(target, manual) {
  clearTimeout(state.draftTimer);
  if (!target || target !== state.target || !state.view) return;
  const draft = { text: text(), baseRevision: state.revision };
  if (!manual && (draft.text === state.savedDraft || (state.savedDraft === null && draft.text === state.baseText))) {
    ui.draftStatus.textContent = state.savedDraft === null ? "" : ui.draftStatus.textContent;
    return;
  }
  const before = state.saving;
  const run = (async () => {
    await before;
    return call("PUT", `${target.path}/draft`, draft);
  })();
  state.saving = run.catch(() => undefined);
  const status = await run.then((res) => res.status, () => 0);
  if (target !== state.target) return;
  if (status === 200) {
    state.savedDraft = draft.text;
    ui.discard.hidden = false;
    ui.draftStatus.textContent = `Melnraksts saglabāts ${clock()}. Iedzīvotāji to neredz, kamēr to nepublicējat.`;
    if (manual) announce("Melnraksts saglabāts. Tas netiek publicēts.");
  } else {
    ui.draftStatus.textContent = "Melnrakstu neizdevās saglabāt. Mēģiniet vēlreiz.";
    if (manual) announce("Melnrakstu neizdevās saglabāt.");
  }
}

/** Waits for a draft save under way, so that it cannot land after a publish. */
async function settleDraft() {
  clearTimeout(state.draftTimer);
  await state.saving;
}

async function discardDraft() {
  if (!confirm("Atmest melnrakstu? Jūsu nepublicētās izmaiņas tiks dzēstas, redaktorā būs publicētā versija.")) return;
  await settleDraft();
  const res = await call("DELETE", `${state.target.path}/draft`);
  if (res.status !== 204 && res.status !== 200) {
    showAlert(ui.alert, "Melnrakstu neizdevās atmest. Mēģiniet vēlreiz.");
    return;
  }
  await open(state.target, { keepHistory: true });
  announce("Melnraksts atmests. Redaktorā ir publicētā versija.");
}

async function publish() {
  hideAlert(ui.alert);
  // A check still waiting from the last keystroke would redraw the result over "Publicēts".
  clearTimeout(state.timer);
  await settleDraft();
  await runCheck();
  if (state.errors.length) {
    announce("Vispirms izlabojiet kļūdas.");
    return;
  }
  const published = text();
  const { status, body } = await call("PUT", state.target.path, { text: published, baseRevision: state.revision });
  if (status === 200) {
    state.revision = body.revision;
    state.baseText = published;
    state.savedDraft = null;
    ui.discard.hidden = true;
    ui.draftStatus.textContent = "";
    ui.conflict.hidden = true;
    const info = await call("GET", state.target.path);
    if (info.status === 200) showMeta(info.body);
    ui.check.insertBefore(el("p", "check-ok", `✓ Publicēts (versija ${body.revision}). Iedzīvotāji to saņem uzreiz.`), ui.check.firstChild);
    announce("Publicēts.");
    await history.refresh();
  } else if (status === 422) {
    markProblems(body.errors || [], []);
    announce("Publicēt nevar: ir kļūdas.");
  } else if (status === 409) {
    showConflict(body.current);
  } else {
    showAlert(ui.alert, "Publicēt neizdevās. Mēģiniet vēlreiz.");
  }
}

function actionButton(label, className, run) {
  const button = el("button", `btn ${className}`, label);
  button.type = "button";
  button.addEventListener("click", () => void run());
  return button;
}

/** Someone published meanwhile: what they changed, and the ways on from the latest revision. */
function showConflict(current) {
  const latest = current ? str(current.text) : "";
  const latestRevision = current ? current.revision : null;
  const who = current && current.publishedBy ? current.publishedBy : "kāds cits";
  void saveDraft(state.target, false);
  ui.conflict.textContent = "";
  const heading = el("h3", "section-title", `Kamēr Jūs labojāt, ${who} publicēja šo failu`);
  heading.tabIndex = -1;
  ui.conflict.appendChild(heading);
  ui.conflict.appendChild(el("p", "", `Jūsu teksts ir veidots no versijas ${state.revision ?? "–"}, jaunākā ir versija ${latestRevision ?? "–"}${current && current.publishedAt ? ` (${clock(current.publishedAt)})` : ""}. Jūsu teksts nav zudis: tas ir redaktorā un saglabāts kā melnraksts.`));
  ui.conflict.appendChild(el("h4", "diff-title", `Ko mainīja ${who}`));
  ui.conflict.appendChild(renderDiff(state.baseText, latest, { before: `versija ${state.revision ?? "–"}`, after: `versija ${latestRevision ?? "–"}` }));
  const details = el("details", "diff-details");
  details.appendChild(el("summary", "", "Jaunākā versija pret Jūsu tekstu"));
  details.appendChild(renderDiff(latest, text(), { before: `versija ${latestRevision ?? "–"}`, after: "Jūsu teksts" }));
  ui.conflict.appendChild(details);
  const actions = el("div", "actions");
  const take = actionButton("Pārņemt jaunāko versiju un pārnest manas izmaiņas", "btn-primary", () => takeLatest(latest, latestRevision, who));
  actions.appendChild(take);
  actions.appendChild(actionButton("Publicēt manu tekstu virs jaunākās versijas", "btn-secondary", () => {
    if (!confirm(`Publicēt Jūsu tekstu? ${who} izmaiņas tiks aizstātas.`)) return undefined;
    state.revision = latestRevision;
    state.baseText = latest;
    return publish();
  }));
  actions.appendChild(actionButton("Atmest manas izmaiņas", "btn-secondary", discardDraft));
  ui.conflict.appendChild(actions);
  ui.conflict.hidden = false;
  heading.focus();
  announce(`Kamēr Jūs labojāt, ${who} publicēja šo failu.`);
}

/** The latest revision in the editor with the editor's own changes carried over. */
function takeLatest(latest, latestRevision, who) {
  const merged = mergeLines(state.baseText, text(), latest);
  state.revision = latestRevision;
  state.baseText = latest;
  replaceText(merged.text);
  ui.conflict.textContent = "";
  const heading = el("h3", "section-title", `Redaktorā ir versija ${latestRevision ?? "–"} ar Jūsu izmaiņām`);
  heading.tabIndex = -1;
  ui.conflict.appendChild(heading);
  if (merged.conflicts.length === 0) {
    ui.conflict.appendChild(el("p", "check-ok", "✓ Visas Jūsu izmaiņas pārnestas. Pārbaudiet tekstu un publicējiet."));
  } else {
    ui.conflict.appendChild(el("p", "check-error", `${merged.conflicts.length} ${merged.conflicts.length === 1 ? "vietā" : "vietās"} Jūs un ${who} mainījāt tās pašas rindas. Tur atstāts jaunākās versijas teksts; Jūsu variants ir zemāk – pārnesiet to ar roku, ja vajag.`));
    const list = el("ul", "merge-conflicts");
    for (const c of merged.conflicts) {
      const li = el("li", "");
      const go = el("button", "link-button", `${c.line}. rinda`);
      go.type = "button";
      go.addEventListener("click", () => goToLine(c.line));
      li.appendChild(go);
      li.appendChild(el("p", "merge-label", "Jūsu teksts bija:"));
      li.appendChild(el("pre", "merge-text", c.mine.join("\n") || "(tukšs)"));
      li.appendChild(el("p", "merge-label", `Versijā ${latestRevision ?? "–"}:`));
      li.appendChild(el("pre", "merge-text", c.theirs.join("\n") || "(tukšs)"));
      list.appendChild(li);
    }
    ui.conflict.appendChild(list);
  }
  heading.focus();
  announce(merged.conflicts.length === 0 ? "Jūsu izmaiņas pārnestas uz jaunāko versiju." : "Dažas Jūsu izmaiņas jāpārnes ar roku.");
}

const history = createHistory({
  ui: { section: $("editor-history"), table: $("editor-history-table"), diff: $("editor-diff"), button: ui.historyButton, alert: ui.alert },
  call,
  editorText: text,
  restored: async () => {
    await open(state.target, { keepHistory: true });
    await history.refresh();
  },
});

/** A draft still waiting for its save is sent as the page goes away (a reload or a closed tab). */
function saveOnLeave() {
  if (!state.target || !state.view || !state.draftTimer) return;
  const draft = text();
  if (draft === state.savedDraft || (state.savedDraft === null && draft === state.baseText)) return;
  clearTimeout(state.draftTimer);
  void call("PUT", `${state.target.path}/draft`, { text: draft, baseRevision: state.revision }, { keepalive: true });
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
    clearTimeout(state.draftTimer);
    state.draftTimer = 0;
    if (state.view) state.view.destroy();
    state.view = null;
    state.target = null;
    history.close();
  },
  wire() {
    ui.publish.addEventListener("click", () => void publish());
    ui.draft.addEventListener("click", () => void saveDraft(state.target, true));
    ui.discard.addEventListener("click", () => void discardDraft());
    ui.historyButton.addEventListener("click", () => void history.toggle(state.target));
    ui.ask.addEventListener("submit", (event) => {
      event.preventDefault();
      void runCheck();
    });
    window.addEventListener("pagehide", saveOnLeave);
  },
});
