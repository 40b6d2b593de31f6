/* global window, document, navigator */
/**
 * "Konti" (admins): every staff account with its role, centres and state; add an account, change
 * its name, role and centres, deactivate or activate it, reset its password and unlock a locked
 * username. A new or reset password is a one-time password, shown once in a dialog; its owner
 * chooses their own at the next login. The latest account actions from the audit log are listed
 * below. (The first admin is created with `cli staff add`.)
 */
import { $, announce, el, hideAlert, showAlert, str, working } from "../lib/dom.js";
import { timeEl } from "../lib/format.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { api, centreName, errorText, pageErrorText, session } from "../lib/session.js";
import { ROLE_TITLES } from "../lib/words.js";

const ACCOUNT_ERRORS = {
  account_exists: "Konts ar šādu lietotājvārdu jau ir. Izvēlieties citu lietotājvārdu.",
  last_admin: "To nevar izdarīt: tad nepaliktu neviena administratora, vai arī Jūs atņemtu tiesības pats sev. Lūdziet to citam administratoram.",
};

const ACTIONS = {
  "account-created": "izveidoja kontu",
  "account-updated": "mainīja kontu",
  "account-deactivated": "deaktivizēja kontu",
  "account-reactivated": "aktivizēja kontu",
  "password-reset": "atiestatīja paroli kontam",
  "password-changed": "nomainīja savu paroli kontā",
  "account-unlocked": "atbloķēja kontu",
};

const state = { accounts: [], editing: null, opener: null, seq: 0 };

const ui = {
  add: $("account-add"),
  alert: $("accounts-alert"),
  info: $("accounts-info"),
  count: $("accounts-count"),
  body: $("accounts-body"),
  log: $("accounts-log"),
  logEmpty: $("accounts-log-empty"),
  dialog: $("account-dialog"),
  form: $("account-form"),
  formAlert: $("account-form-alert"),
  title: $("account-dialog-title"),
  username: $("account-username"),
  name: $("account-name"),
  role: $("account-role"),
  centres: $("account-centres"),
  save: $("account-save"),
  cancel: $("account-cancel"),
  passwordDialog: $("password-dialog"),
  passwordUser: $("password-dialog-user"),
  passwordValue: $("password-dialog-value"),
  passwordCopy: $("password-dialog-copy"),
  passwordClose: $("password-dialog-close"),
  passwordStatus: $("password-dialog-status"),
};

const accountError = (error) => ACCOUNT_ERRORS[error && error.code] || (error && error.status === 400 && error.message ? `Serveris nepieņēma: ${error.message}` : errorText(error));

function info(text) {
  ui.info.textContent = text;
  ui.info.hidden = false;
  announce(text);
}

// ---------------------------------------------------------------------------------------------
// The list and the log

function stateBadges(account) {
  const wrap = el("span", "account-states");
  wrap.appendChild(el("span", `badge ${account.active ? "badge-assigned" : "badge-closed"}`, account.active ? "Aktīvs" : "Deaktivizēts"));
  if (account.locked) wrap.appendChild(el("span", "badge badge-waiting", "Bloķēts (par daudz kļūdainu ienākšanu)"));
  if (account.mustChangePassword && account.active) wrap.appendChild(el("span", "badge badge-waiting", "Vēl nav izvēlējies savu paroli"));
  return wrap;
}

function actionButton(label, account, handler) {
  const button = el("button", "btn btn-secondary btn-small", label);
  button.type = "button";
  const hidden = el("span", "visually-hidden", ` – ${str(account.displayName)}`);
  button.appendChild(hidden);
  button.addEventListener("click", () => void handler(account, button));
  return button;
}

function renderAccounts() {
  ui.body.textContent = "";
  ui.count.textContent = String(state.accounts.length);
  for (const account of state.accounts) {
    const tr = el("tr", account.active ? "" : "row-inactive");
    const who = el("td");
    who.appendChild(el("span", "account-user", str(account.displayName)));
    who.appendChild(el("span", "account-username", str(account.username)));
    tr.appendChild(who);
    tr.appendChild(el("td", "", ROLE_TITLES[account.role] || str(account.role)));
    tr.appendChild(el("td", "", account.role === "agent" || account.centres.length
      ? account.centres.map(centreName).join(", ") || "–"
      : "visi (pēc lomas)"));
    const states = el("td");
    states.appendChild(stateBadges(account));
    tr.appendChild(states);
    const last = el("td");
    if (account.lastLoginAt) last.appendChild(timeEl(account.lastLoginAt));
    else last.textContent = "vēl nav ienācis";
    tr.appendChild(last);
    const actions = el("td");
    const box = el("div", "account-actions");
    const self = session.staff && account.username === session.staff.username;
    box.appendChild(actionButton("Labot", account, openEdit));
    box.appendChild(actionButton("Atiestatīt paroli", account, resetPassword));
    if (account.locked) box.appendChild(actionButton("Atbloķēt", account, unlock));
    if (!self) box.appendChild(actionButton(account.active ? "Deaktivizēt" : "Aktivizēt", account, toggleActive));
    actions.appendChild(box);
    tr.appendChild(actions);
    ui.body.appendChild(tr);
  }
}

function renderLog(entries) {
  ui.log.textContent = "";
  ui.logEmpty.hidden = entries.length > 0;
  for (const entry of entries) {
    const li = el("li");
    li.appendChild(timeEl(entry.at));
    const who = entry.by ? str(entry.by.displayName) : "Komandrinda";
    li.appendChild(document.createTextNode(` ${who} ${ACTIONS[entry.action] || entry.action} ${str(entry.account)}`));
    ui.log.appendChild(li);
  }
}

async function loadAccounts() {
  const seq = ++state.seq;
  try {
    const [list, log] = await Promise.all([api("GET", "api/staff/accounts"), api("GET", "api/staff/accounts/log")]);
    if (seq !== state.seq) return;
    state.accounts = Array.isArray(list.accounts) ? list.accounts : [];
    renderAccounts();
    renderLog(Array.isArray(log.entries) ? log.entries : []);
    hideAlert(ui.alert);
  } catch (error) {
    if (seq === state.seq) showAlert(ui.alert, `Kontus neizdevās ielādēt. ${pageErrorText(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Add and edit

function fillCentres(chosen) {
  ui.centres.textContent = "";
  for (const centre of session.centres) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.value = centre.id;
    box.checked = chosen.indexOf(centre.id) !== -1;
    label.appendChild(box);
    label.appendChild(document.createTextNode(centreName(centre.id)));
    ui.centres.appendChild(label);
  }
}

function openDialog(account, opener) {
  state.editing = account;
  state.opener = opener || null;
  hideAlert(ui.formAlert);
  ui.title.textContent = account ? `Labot kontu ${str(account.username)}` : "Jauns konts";
  ui.username.value = account ? str(account.username) : "";
  ui.username.disabled = Boolean(account);
  ui.name.value = account ? str(account.displayName) : "";
  ui.role.value = account ? account.role : "agent";
  fillCentres(account ? account.centres : []);
  ui.save.textContent = account ? "Saglabāt izmaiņas" : "Izveidot kontu";
  ui.dialog.showModal();
  (account ? ui.name : ui.username).focus();
}

function openEdit(account, button) {
  openDialog(account, button);
}

function closeDialog() {
  ui.dialog.close();
}

async function saveAccount(event) {
  event.preventDefault();
  const centres = Array.from(ui.centres.querySelectorAll("input:checked")).map((box) => box.value);
  const name = ui.name.value.trim();
  const username = ui.username.value.trim().toLowerCase();
  if (!state.editing && !username) return showAlert(ui.formAlert, "Ierakstiet lietotājvārdu.");
  if (!name) return showAlert(ui.formAlert, "Ierakstiet vārdu un uzvārdu.");
  if (ui.role.value === "agent" && centres.length === 0) return showAlert(ui.formAlert, "Darbiniekam izvēlieties vismaz vienu centru.");
  working(ui.save, true);
  try {
    if (state.editing) {
      const editing = state.editing;
      await api("PATCH", `api/staff/accounts/${encodeURIComponent(editing.username)}`, { displayName: name, role: ui.role.value, centres });
      closeDialog();
      info(`Konts ${editing.username} saglabāts.`);
    } else {
      const created = await api("POST", "api/staff/accounts", { username, displayName: name, role: ui.role.value, centres });
      closeDialog();
      showPassword(created.account, created.password);
      info(`Konts ${created.account.username} izveidots.`);
    }
    await loadAccounts();
  } catch (error) {
    showAlert(ui.formAlert, accountError(error));
  } finally {
    working(ui.save, false);
  }
}

// ---------------------------------------------------------------------------------------------
// Password, unlock, deactivate

function showPassword(account, password) {
  ui.passwordUser.textContent = `${str(account.displayName)} (${str(account.username)})`;
  ui.passwordValue.textContent = str(password);
  ui.passwordStatus.textContent = "";
  ui.passwordDialog.showModal();
  ui.passwordClose.focus();
}

async function resetPassword(account, button) {
  if (!window.confirm(`Atiestatīt paroli kontam ${account.username}? Vecā parole un atvērtās sesijas vairs nedarbosies.`)) return;
  working(button, true);
  try {
    const reset = await api("POST", `api/staff/accounts/${encodeURIComponent(account.username)}/reset-password`);
    state.opener = button;
    showPassword(reset.account, reset.password);
    info(`Parole kontam ${account.username} atiestatīta.`);
    await loadAccounts();
  } catch (error) {
    showAlert(ui.alert, accountError(error));
  } finally {
    working(button, false);
  }
}

async function unlock(account, button) {
  working(button, true);
  try {
    await api("POST", `api/staff/accounts/${encodeURIComponent(account.username)}/unlock`);
    info(`Konts ${account.username} atbloķēts: var ienākt uzreiz.`);
    await loadAccounts();
  } catch (error) {
    showAlert(ui.alert, accountError(error));
  } finally {
    working(button, false);
  }
}

async function toggleActive(account, button) {
  const activate = !account.active;
  if (!activate && !window.confirm(`Deaktivizēt kontu ${account.username}? Tas vairs nevarēs ienākt, atvērtās sesijas beigsies.`)) return;
  working(button, true);
  try {
    await api("PATCH", `api/staff/accounts/${encodeURIComponent(account.username)}`, { active: activate });
    info(activate ? `Konts ${account.username} aktivizēts.` : `Konts ${account.username} deaktivizēts.`);
    await loadAccounts();
  } catch (error) {
    showAlert(ui.alert, accountError(error));
  } finally {
    working(button, false);
  }
}

function wireAccounts() {
  ui.add.addEventListener("click", () => openDialog(null, ui.add));
  ui.form.addEventListener("submit", (event) => void saveAccount(event));
  ui.cancel.addEventListener("click", closeDialog);
  ui.dialog.addEventListener("close", () => {
    if (state.opener && state.opener.isConnected) state.opener.focus();
    else ui.add.focus();
    state.editing = null;
  });
  ui.passwordClose.addEventListener("click", () => ui.passwordDialog.close());
  ui.passwordDialog.addEventListener("close", () => {
    // Shown once: forgotten when the dialog closes.
    ui.passwordValue.textContent = "";
    ui.add.focus();
  });
  ui.passwordCopy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(ui.passwordValue.textContent);
      ui.passwordStatus.textContent = "Parole nokopēta.";
    } catch {
      ui.passwordStatus.textContent = "Nokopēt neizdevās – pierakstiet paroli.";
    }
  });
}

registerPage({
  id: "accounts",
  hash: "#konti",
  name: "Konti",
  roles: ["admin"],
  section: "page-accounts",
  heading: "accounts-title",
  enter({ focus, again }) {
    if (focus && !again) focusHeading("accounts");
    ui.info.hidden = true;
    void loadAccounts();
  },
  reset() {
    state.accounts = [];
    state.seq++;
    ui.body.textContent = "";
    ui.log.textContent = "";
    if (ui.dialog.open) ui.dialog.close();
    if (ui.passwordDialog.open) ui.passwordDialog.close();
  },
  wire: wireAccounts,
});
