/* global window, document, location, history, requestAnimationFrame, console */
/**
 * DigiPalīgs staff console: the shell (ES modules, no build step; Chart.js is loaded before it by a
 * plain <script> and used when present).
 *
 * Client service staff answer the residents' questions that the bot could not (pages/queue.js,
 * pages/ticket.js; closed tickets and the search are in the queue). Content editors (and admins) also get "Izmēģināt jautājumu"
 * (pages/try.js), "Instrukcijas" with the editor (pages/guides.js, pages/editor.js),
 * "Neatbildētie" (pages/unanswered.js) and "Rādītāji" (pages/dashboard.js); admins manage the
 * accounts (pages/accounts.js). The pages are chosen in the header by role and addressed by the
 * URL's hash (#izmeginat, #instrukcijas, …); lib/ holds what they share.
 *
 * This file logs in and out, starts the pages of the role and follows the address. Texts from
 * the server are plain text: they are only ever set through textContent.
 */
import { ApiError } from "../static/api-client.js";
import { $, hideAlert, showAlert, str } from "./lib/dom.js";
import { forgetContent } from "./lib/content.js";
import { ERRORS, ROLE_NAMES } from "./lib/words.js";
import { errorText, api, onSessionLost, request, session } from "./lib/session.js";
import { hideAllPages, pageById, resetPages, routePage, router, setupPages } from "./lib/router.js";
// The pages register themselves.
import "./pages/queue.js";
import "./pages/try.js";
import "./pages/guides.js";
import "./pages/editor.js";
import "./pages/unanswered.js";
import "./pages/dashboard.js";
import "./pages/accounts.js";

const root = document.documentElement;

const ui = {
  loading: $("loading"),
  userBar: $("user-bar"),
  userName: $("user-name"),
  userRole: $("user-role"),
  connection: $("connection"),
  logout: $("logout"),
  loginView: $("login-view"),
  loginForm: $("login-form"),
  loginError: $("login-error"),
  loginInfo: $("login-info"),
  loginButton: $("login-button"),
  username: $("username"),
  password: $("password"),
  pageNav: $("page-nav"),
  passwordView: $("password-view"),
  passwordForm: $("password-form"),
  passwordTitle: $("password-title"),
  passwordError: $("password-error"),
  passwordCurrent: $("password-current"),
  passwordNew: $("password-new"),
  passwordRepeat: $("password-repeat"),
  passwordButton: $("password-button"),
};

let busy = false;

function setBusy(button, on) {
  busy = on;
  root.classList.toggle("is-busy", on);
  if (button) button.setAttribute("aria-disabled", String(on));
}

function setView(view) {
  root.setAttribute("data-staff", view);
  ui.loading.hidden = view !== "loading";
  ui.loginView.hidden = view !== "login";
  ui.passwordView.hidden = view !== "password";
  ui.userBar.hidden = view !== "console";
  ui.pageNav.hidden = view !== "console" || router.pages.length < 2;
  if (view !== "console") hideAllPages();
}

function showLogin(info, error) {
  setView("login");
  document.title = "Ienākt · Darbinieku pults · DigiPalīgs";
  if (info) {
    ui.loginInfo.textContent = info;
    ui.loginInfo.hidden = false;
  } else {
    ui.loginInfo.hidden = true;
  }
  if (error) showAlert(ui.loginError, error);
  else hideAlert(ui.loginError);
  ui.password.value = "";
  (ui.username.value ? ui.password : ui.username).focus();
}

/** Stops every page and forgets who was signed in. */
function stopConsole() {
  resetPages();
  forgetContent();
  session.staff = null;
  session.csrf = "";
}

/** The session ended on the server (401): stop everything and ask to log in again. */
onSessionLost(() => {
  if (!session.staff) return;
  stopConsole();
  showLogin(null, ERRORS.unauthorized);
});

async function login(event) {
  event.preventDefault();
  if (busy) return;
  const username = ui.username.value.trim();
  const password = ui.password.value;
  ui.loginInfo.hidden = true;
  if (!username || !password) {
    showAlert(ui.loginError, "Ierakstiet lietotājvārdu un paroli.");
    (username ? ui.password : ui.username).focus();
    return;
  }
  hideAlert(ui.loginError);
  setBusy(ui.loginButton, true);
  try {
    const data = await request("POST", "api/staff/login", { username, password });
    setBusy(ui.loginButton, false);
    ui.password.value = "";
    if (data && data.mustChangePassword === true) showPasswordChange(data, password);
    else await startConsole(data, true);
  } catch (error) {
    setBusy(ui.loginButton, false);
    showAlert(ui.loginError, error.status === 401 ? ERRORS.invalid_credentials : errorText(error));
    ui.password.value = "";
    ui.password.focus();
  }
}

async function logout() {
  try {
    await request("POST", "api/staff/logout");
  } catch (error) {
    if (error.status === 0) {
      const shown = pageById(router.current);
      const alert = shown && shown.alert ? $(shown.alert) : $("queue-error");
      showAlert(alert, `Neizdevās iziet. ${ERRORS.network}`);
      return;
    }
  }
  stopConsole();
  history.replaceState(null, "", location.pathname + location.search);
  showLogin("Jūs izgājāt no darbinieku pults.", null);
}

/** A one-time password: the staff member chooses their own before the console opens. */
function showPasswordChange(data, oneTime) {
  session.csrf = typeof data.csrfToken === "string" ? data.csrfToken : "";
  setView("password");
  document.title = "Izvēlieties savu paroli · Darbinieku pults · DigiPalīgs";
  hideAlert(ui.passwordError);
  ui.passwordCurrent.value = oneTime || "";
  ui.passwordNew.value = "";
  ui.passwordRepeat.value = "";
  ui.passwordTitle.focus();
}

async function changePassword(event) {
  event.preventDefault();
  if (busy) return;
  const current = ui.passwordCurrent.value;
  const next = ui.passwordNew.value;
  if (!current) return showAlert(ui.passwordError, "Ierakstiet vienreizējo paroli, ar kuru ienācāt.");
  if (next.length < 10) {
    showAlert(ui.passwordError, "Jaunajai parolei vajag vismaz 10 rakstzīmes.");
    ui.passwordNew.focus();
    return;
  }
  if (next !== ui.passwordRepeat.value) {
    showAlert(ui.passwordError, "Abas jaunās paroles nesakrīt. Ierakstiet to pašu paroli abos laukos.");
    ui.passwordRepeat.focus();
    return;
  }
  if (next === current) return showAlert(ui.passwordError, "Jaunajai parolei jāatšķiras no vienreizējās.");
  setBusy(ui.passwordButton, true);
  try {
    await request("POST", "api/staff/password", { currentPassword: current, newPassword: next });
    const me = await request("GET", "api/staff/me");
    setBusy(ui.passwordButton, false);
    ui.passwordCurrent.value = "";
    ui.passwordNew.value = "";
    ui.passwordRepeat.value = "";
    await startConsole(me, true);
  } catch (error) {
    setBusy(ui.passwordButton, false);
    if (error.status === 401 && error.code !== "invalid_credentials") {
      showLogin(null, ERRORS.unauthorized);
      return;
    }
    showAlert(ui.passwordError, error.code === "invalid_credentials" ? "Vienreizējā parole nav pareiza." : errorText(error));
  }
}

async function startConsole(data, focus) {
  if (!data || !data.staff || typeof data.csrfToken !== "string") throw new ApiError(0, "bad_response");
  session.staff = data.staff;
  session.csrf = data.csrfToken;
  setupPages(data.staff.role);
  ui.userName.textContent = str(data.staff.displayName) || str(data.staff.username);
  const role = ROLE_NAMES[data.staff.role] || "";
  ui.userRole.textContent = role ? `(${role})` : "";
  ui.userRole.hidden = !role;
  ui.connection.hidden = true;

  try {
    const list = await api("GET", "api/staff/centres");
    session.centres = Array.isArray(list.centres) ? list.centres.filter((c) => c && typeof c.id === "string") : [];
  } catch (error) {
    console.warn("DigiPalīgs: centres not loaded", error);
    session.centres = [];
  }
  if (!session.staff) return; // the session ended meanwhile
  session.centreById = new Map(session.centres.map((c) => [c.id, c]));

  const started = [];
  for (const id of router.pages) {
    const page = pageById(id);
    if (page.start) started.push(page);
  }
  setView("console");
  // Pages prepare first (period forms, the queue's tab and centre), then the address is followed.
  const running = started.map((page) => page.start());
  routePage(focus);
  await Promise.all(running);
}

async function boot() {
  setView("loading");
  try {
    const data = await request("GET", "api/staff/me");
    if (data && data.mustChangePassword === true) showPasswordChange(data, "");
    else await startConsole(data, false);
  } catch (error) {
    if (error.status === 401) showLogin(null, null);
    else showLogin(null, errorText(error));
  }
}

function wire() {
  ui.loginForm.addEventListener("submit", login);
  ui.passwordForm.addEventListener("submit", (event) => void changePassword(event));
  ui.logout.addEventListener("click", () => void logout());
  window.addEventListener("hashchange", () => {
    if (session.staff) routePage(true);
  });
  for (const id of ["queue", "try", "guides", "editor", "unanswered", "dashboard", "accounts"]) {
    const page = pageById(id);
    if (page && page.wire) page.wire();
  }
}

wire();
requestAnimationFrame(() => void boot());
