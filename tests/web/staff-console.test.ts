/**
 * The staff console (/staff) in a real browser (system Chromium through playwright-core),
 * against the in-process app.
 *
 * The tests share one page and run in order, as an agent of the Cenu un Ozolnieku centre
 * works: log in, see a new ticket arrive without reloading, open it, claim it, reply (the
 * resident gets the reply in the web chat), add an internal note (the resident does not) and
 * close it with a reason, then find it under "Slēgtie" and by search. A second agent then finds a
 * ticket already claimed. Screenshots for a look by eye (1366×900):
 * test-artifacts/staff-console-queue.png, staff-console-ticket.png and staff-console-search.png.
 *
 * Besides the web chat API, the test uses the app's `staffAccounts.add()` (the accounts) and
 * `desk.createTicket()` (a ticket as the bot opens it when a resident asks for a person).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite, LAPTOP, STEP_MS } from "../support/app-and-browser.js";
import { axeViolations } from "../support/axe.js";
import { logIn, pageErrors } from "../support/console.js";
import { ifAssigned } from "../support/must.js";

/** The centre that serves Ozolnieku parish, as named in knowledge/centres.yaml. */
const CENTRE = "cenu-ozolnieku";
const CENTRE_NAME = /Cenu un Ozolnieku/;

const AGENT = { username: "anna.berzina", password: "Ozolnieki-2026-pults", displayName: "Anna Bērziņa", role: "agent", centres: [CENTRE] } as const;
const SECOND_AGENT = { username: "janis.kalnins", password: "Cenas-2026-pults", displayName: "Jānis Kalniņš", role: "agent", centres: [CENTRE] } as const;

// Callbacks given to evaluate() run in the browser; the project is type-checked without the
// DOM library, so the little they use is declared here.
declare function getComputedStyle(node: unknown): { readonly backgroundColor: string; readonly fontSize: string };

// ---------------------------------------------------------------------------------------------
// The resident: a web chat session, its stored history and its live events

interface ChatSession {
  readonly id: string;
  readonly token: string;
}

async function startChat(url: string, question: string): Promise<ChatSession> {
  const created = await fetch(`${url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lang: "lv" }) });
  expect(created.status).toBe(201);
  const session = (await created.json()) as ChatSession;
  const asked = await fetch(`${url}/api/chat/sessions/${session.id}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ text: question }),
  });
  expect(asked.status).toBe(200);
  return session;
}

/** Every text of the resident's stored conversation (what a reload of the web chat shows). */
async function chatHistory(url: string, session: ChatSession): Promise<string[]> {
  const res = await fetch(`${url}/api/chat/sessions/${session.id}`, { headers: { authorization: `Bearer ${session.token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { messages: { text: string }[] };
  return body.messages.map((m) => m.text);
}

/** The resident's event stream, as the web chat page reads it: the texts that arrived. */
interface ResidentStream {
  readonly texts: readonly string[];
  close(): void;
}

async function listenAsResident(url: string, session: ChatSession): Promise<ResidentStream> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/chat/sessions/${session.id}/events?token=${encodeURIComponent(session.token)}`, {
    headers: { accept: "text/event-stream" },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  if (!res.body) throw new Error("the event stream has no body");
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const decoder = new TextDecoder();
  const texts: string[] = [];
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event:\s?(.*)$/m.exec(block)?.[1] ?? "message";
          const data = block.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
          if (event === "ready") onReady();
          if (event === "message" && data) {
            const payload = JSON.parse(data) as { replies?: { text?: unknown }[] };
            for (const reply of payload.replies ?? []) if (typeof reply.text === "string") texts.push(reply.text);
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  // The server says `ready` once the stream is subscribed: nothing sent later is missed.
  await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error("the resident's event stream never got ready")), STEP_MS))]);
  return { texts, close: () => controller.abort() };
}

// ---------------------------------------------------------------------------------------------
// Browser and app

const suite = browserSuite({
  setup: async (app) => {
    await app.staffAccounts.add(AGENT);
    await app.staffAccounts.add(SECOND_AGENT);
  },
});
const running = suite.app;
const newConsolePage = () => suite.openConsole();

const queue = (page: Page) => page.getByRole("region", { name: "Pieteikumu rinda" });
const queueItem = (page: Page, text: string) => queue(page).getByRole("link").filter({ hasText: text });
const conversation = (page: Page) => page.getByRole("region", { name: "Sarakste" });
const context = (page: Page) => page.getByRole("complementary", { name: "Par pieteikumu" });
const tabCount = (page: Page, name: RegExp) => page.getByRole("tab", { name }).locator(".tab-count");
/** Who holds the open ticket ("Pieņēma: …"). */
const holder = (page: Page) => page.locator("#ticket-holder");
const claimButton = (page: Page) => page.getByRole("button", { name: "Pieņemt", exact: true });

/** The value shown next to a label in the ticket's context ("Par pieteikumu"). */
async function contextValue(page: Page, label: string): Promise<string> {
  const row = context(page).locator(".context-row").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
  return (await row.locator("dd").innerText()).trim();
}

// ---------------------------------------------------------------------------------------------

describe("the staff console", () => {
  let consoleContext: BrowserContext;
  let page: Page;
  let navigations = 0;
  let resident: ChatSession;
  let residentStream: ResidentStream | undefined;
  let ticketNumber = "";

  const residentQuestion = "Kā pieteikt e-rēķinu par atkritumu izvešanu? Mans personas kods ir 010190-12345.";
  const ticketQuestion = "Kā pieteikt e-rēķinu par atkritumu izvešanu, ja man nav internetbankas?";
  const reply = "Labdien! E-rēķinu var pieteikt arī pa e-pastu – uzrakstiet, lūdzu, savu klienta numuru.";
  const note = "Iekšēji: iedzīvotājs jau zvanīja vakar, pārbaudīt līgumu ar apsaimniekotāju.";
  const closeReason = "Atbildēts sarakstē";

  beforeAll(async () => {
    ({ context: consoleContext, page } = await newConsolePage());
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
  });
  afterAll(async () => {
    residentStream?.close();
    await ifAssigned(consoleContext)?.close();
  });

  it("refuses a wrong password with a plain message and stays on the login form", async () => {
    await logIn(page, { username: AGENT.username, password: "nepareiza-parole" });
    const alert = page.getByRole("alert").filter({ hasText: "Nepareizs lietotājvārds vai parole" });
    await alert.waitFor();
    await page.getByLabel("Parole", { exact: true }).waitFor();
    expect(await page.getByRole("tab", { name: /Gaida/ }).count()).toBe(0);
    // axe-core: the login form with its alert.
    expect(await axeViolations(page)).toEqual([]);
  });

  it("logs an agent in to the queue of their centre, with the tabs Gaida, Mani and Visi atvērtie", async () => {
    await logIn(page, AGENT);
    const waiting = page.getByRole("tab", { name: /Gaida/ });
    await waiting.waitFor();
    expect(await waiting.getAttribute("aria-selected")).toBe("true");
    await page.getByRole("tab", { name: /Mani/ }).waitFor();
    await page.getByRole("tab", { name: /Visi atvērtie/ }).waitFor();
    const centre = page.getByLabel("Centrs", { exact: true });
    expect(await centre.locator("option:checked").innerText()).toMatch(CENTRE_NAME);
    await page.getByRole("banner").getByText(AGENT.displayName).waitFor();
    await page.getByRole("button", { name: "Iziet" }).waitFor();
    expect(await page.getByRole("main").count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
    // axe-core: the empty queue and the empty ticket pane.
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows a ticket created after the console opened in Gaida without a reload, highlighted and announced", async () => {
    const app = running();
    const before = navigations;
    resident = await startChat(app.url, residentQuestion);
    residentStream = await listenAsResident(app.url, resident);
    const created = await app.desk.createTicket({
      channel: "web",
      chatId: resident.id,
      lang: "lv",
      parish: "ozolnieku",
      contact: "chat",
      question: ticketQuestion,
      context: { reason: "askedForPerson" },
    });
    ticketNumber = created.number;

    const item = queueItem(page, ticketQuestion);
    await item.waitFor();
    expect(navigations).toBe(before);
    expect(await item.innerText()).toContain(ticketNumber);
    expect(await item.innerText()).toContain("Jauns");
    expect(await item.innerText()).toContain("Ozolnieku pagasts");
    const announcer = page.locator("#announcer[aria-live]");
    await expect.poll(() => announcer.textContent(), { timeout: STEP_MS }).toContain(ticketNumber);
    expect(await announcer.textContent()).toContain("Jauns pieteikums");
    expect(await page.title()).toMatch(/^\(1 gaida\)/);
    expect(await tabCount(page, /Gaida/).innerText()).toBe("1");
    await suite.screenshot(page, "staff-console-queue");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("opens the ticket with its context and the masked bot conversation before it", async () => {
    await queueItem(page, ticketQuestion).click();
    await page.getByRole("heading", { level: 2, name: `Pieteikums ${ticketNumber}` }).waitFor();
    expect(await contextValue(page, "Numurs")).toBe(ticketNumber);
    expect(await contextValue(page, "Jautājums")).toBe(ticketQuestion);
    expect(await contextValue(page, "Pagasts")).toBe("Ozolnieku pagasts");
    expect(await contextValue(page, "Centrs")).toMatch(CENTRE_NAME);
    expect(await contextValue(page, "Valoda")).toBe("latviešu");
    expect(await contextValue(page, "Kanāls")).toBe("Tīmekļa čats");
    expect(await contextValue(page, "Kā sazināties")).toBe("Atbildēt rakstiski");
    expect(await contextValue(page, "Kāpēc nodots darbiniekam")).toBe("Iedzīvotājs lūdza runāt ar cilvēku");

    // The bot conversation: the resident's question (personal code masked) and the bot's answer.
    const residentLines = await conversation(page).locator(".msg-resident").allInnerTexts();
    const asked = residentLines.find((line) => line.includes("Kā pieteikt e-rēķinu par atkritumu izvešanu?"));
    expect(asked).toBeDefined();
    expect(asked).toContain("[personas kods]");
    expect(await conversation(page).innerText()).not.toContain("010190-12345");
    expect(await conversation(page).locator(".msg-bot").count()).toBeGreaterThan(0);
    expect(await page.locator(".badge", { hasText: "Gaida" }).count()).toBeGreaterThan(0);
    await claimButton(page).waitFor();
    // axe-core: the ticket open, before it is claimed (its context column scrolls on its own).
    expect(await axeViolations(page)).toEqual([]);
  });

  it("claims the ticket: the console says who holds it and moves it to Mani", async () => {
    await claimButton(page).click();
    await expect.poll(() => holder(page).innerText(), { timeout: STEP_MS }).toMatch(/^Pieņēma: Jūs\b/);
    await claimButton(page).waitFor({ state: "hidden" });
    await expect.poll(() => tabCount(page, /Mani/).innerText(), { timeout: STEP_MS }).toBe("1");
    await expect.poll(() => tabCount(page, /Gaida/).innerText(), { timeout: STEP_MS }).toBe("0");
    expect(await page.title()).not.toMatch(/gaida\)/);
    // After claiming, the reply field has the focus.
    await page.locator("#reply-text:focus").waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("sends a reply that reaches the resident's web chat", async () => {
    await page.getByLabel("Atbilde iedzīvotājam", { exact: true }).fill(reply);
    await page.getByRole("button", { name: "Sūtīt iedzīvotājam" }).click();
    await conversation(page).locator(".msg-staff", { hasText: reply }).waitFor();
    await page.getByText("Atbilde nosūtīta iedzīvotājam.").waitFor();
    expect(await page.getByLabel("Atbilde iedzīvotājam", { exact: true }).inputValue()).toBe("");
    await expect.poll(() => residentStream?.texts.join("\n") ?? "", { timeout: STEP_MS }).toContain(reply);
  });

  it("keeps an internal note in the console, marked as not seen by the resident", async () => {
    await page.getByRole("tab", { name: "Iekšēja piezīme" }).click();
    await page.getByLabel("Iekšēja piezīme kolēģiem").fill(note);
    await page.getByRole("button", { name: "Saglabāt piezīmi" }).click();
    const shown = conversation(page).locator(".msg-note", { hasText: note });
    await shown.waitFor();
    expect(await shown.innerText()).toMatch(/Iekšēja piezīme/);
    expect(await shown.innerText()).toMatch(/iedzīvotājs neredz/);
    await suite.screenshot(page, "staff-console-ticket");
    // axe-core: the note tab selected, and the transfer panel open.
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Nodot citam centram" }).click();
    await page.getByRole("heading", { name: "Nodot pieteikumu citam centram" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#transfer-panel").getByRole("button", { name: "Atcelt" }).click();
  });

  it("closes the ticket only with a reason, and the resident never got the note", async () => {
    const before = residentStream?.texts.length ?? 0;
    await page.getByRole("button", { name: "Slēgt pieteikumu" }).click();
    await page.getByRole("button", { name: "Apstiprināt slēgšanu" }).click();
    await page.getByRole("alert").filter({ hasText: "Ierakstiet slēgšanas iemeslu" }).waitFor();
    // axe-core: the close panel open, with its alert.
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel(/Slēgšanas iemesls/).fill(closeReason);
    await page.getByRole("button", { name: "Apstiprināt slēgšanu" }).click();
    await page.locator("#ticket-status", { hasText: "Slēgts" }).waitFor();
    await page.getByText(`Iemesls: ${closeReason}`).waitFor();
    await page.getByLabel("Atbilde iedzīvotājam", { exact: true }).waitFor({ state: "hidden" });
    await expect.poll(() => tabCount(page, /Mani/).innerText(), { timeout: STEP_MS }).toBe("0");
    // axe-core: the closed ticket.
    expect(await axeViolations(page)).toEqual([]);

    // Closing asks the resident for a rating: once that has arrived, everything sent before it
    // has too — and the note was not among it.
    await expect.poll(() => residentStream?.texts.length ?? 0, { timeout: STEP_MS }).toBeGreaterThan(before);
    expect(residentStream?.texts.join("\n")).not.toContain(note);
    const history = await chatHistory(running().url, resident);
    expect(history.join("\n")).not.toContain(note);
  });

  it("finds the closed ticket under Slēgtie and by its number or words of the question", async () => {
    await page.getByRole("tab", { name: "Slēgtie" }).click();
    const closedItem = queueItem(page, ticketQuestion);
    await closedItem.waitFor();
    expect(await closedItem.innerText()).toContain("Slēgts");
    expect(await page.getByRole("tabpanel").innerText()).toContain("Pēdējie slēgtie");
    expect(await axeViolations(page)).toEqual([]);

    const search = page.getByRole("searchbox", { name: "Meklēt pieteikumu" });
    const results = page.getByRole("region", { name: "Meklēšanas rezultāti" });
    // Words without diacritics find the question "… atkritumu izvešanu …".
    await search.fill("atkritumu izvesana");
    await search.press("Enter");
    await results.getByRole("link").filter({ hasText: ticketNumber }).waitFor();
    expect(await page.getByRole("tab", { name: "Slēgtie" }).isVisible()).toBe(false);
    await expect.poll(() => results.getByRole("status").innerText(), { timeout: STEP_MS }).toMatch(/^Atrasts 1 pieteikums pēc «atkritumu izvesana»/);
    await suite.screenshot(page, "staff-console-search");
    expect(await axeViolations(page)).toEqual([]);

    await search.fill(ticketNumber);
    await page.getByRole("button", { name: "Meklēt", exact: true }).click();
    await expect.poll(() => results.getByRole("status").innerText(), { timeout: STEP_MS }).toContain(`pēc «${ticketNumber}»`);
    expect(await results.getByRole("link").allInnerTexts()).toHaveLength(1);

    await search.fill("laiva");
    await search.press("Enter");
    await expect.poll(() => results.getByRole("status").innerText(), { timeout: STEP_MS }).toMatch(/^Nekas neatrasts pēc «laiva»/);
    expect(await results.getByRole("link").count()).toBe(0);

    await page.getByRole("button", { name: "Notīrīt meklēšanu" }).click();
    await results.waitFor({ state: "hidden" });
    await page.getByRole("tab", { name: "Gaida" }).click();
    expect(pageErrors(page)).toEqual([]);
  });

  it("restores the session after a reload, with the same ticket open", async () => {
    await page.reload();
    await page.getByRole("heading", { level: 2, name: `Pieteikums ${ticketNumber}` }).waitFor();
    await page.getByRole("banner").getByText(AGENT.displayName).waitFor();
    expect(await page.getByLabel("Parole", { exact: true }).isVisible()).toBe(false);
    expect(pageErrors(page)).toEqual([]);
  });

  it("tells an agent plainly when another agent claimed the ticket first", async () => {
    const app = running();
    const question = "Vai varu nodot iesniegumu pašvaldībai e-pastā?";
    const chat = await startChat(app.url, question);
    await app.desk.createTicket({ channel: "web", chatId: chat.id, lang: "lv", parish: "ozolnieku", contact: "chat", question, context: { reason: "askedForPerson" } });

    // The second agent's console gets no live events, so it still shows the ticket as waiting.
    const second = await newConsolePage();
    try {
      await second.context.route("**/api/staff/events", (route) => route.abort());
      await logIn(second.page, SECOND_AGENT);
      await queueItem(second.page, question).click();
      await claimButton(second.page).waitFor();

      await queueItem(page, question).click();
      await claimButton(page).click();
      await expect.poll(() => holder(page).innerText(), { timeout: STEP_MS }).toMatch(/^Pieņēma: Jūs\b/);

      await claimButton(second.page).click();
      await second.page.getByRole("alert").filter({ hasText: "Šo pieteikumu jau pieņēma cits darbinieks" }).waitFor();
      await expect.poll(() => holder(second.page).innerText(), { timeout: STEP_MS }).toContain(`Pieņēma: ${AGENT.displayName}`);
      expect(pageErrors(second.page)).toEqual([]);
    } finally {
      await second.context.close();
    }
  });

  it("opens at /staff/ too, with its styles and script", async () => {
    const other = await suite.browser().newContext({ viewport: LAPTOP });
    try {
      const page = await other.newPage();
      await page.goto(`${running().url}/staff/`);
      const button = page.getByRole("button", { name: "Ienākt" });
      await button.waitFor({ timeout: STEP_MS });
      const look = await button.evaluate((node) => ({ background: getComputedStyle(node).backgroundColor, font: parseFloat(getComputedStyle(node).fontSize) }));
      expect(look.background).toBe("rgb(22, 101, 52)");
      expect(look.font).toBeGreaterThanOrEqual(16);
    } finally {
      await other.close();
    }
  });

  it("logs out: the login form is back, also after a reload", async () => {
    await page.getByRole("button", { name: "Iziet" }).click();
    await page.getByText("Jūs izgājāt no darbinieku pults.").waitFor();
    await page.getByLabel("Lietotājvārds", { exact: true }).waitFor();
    await page.reload();
    await page.getByLabel("Parole", { exact: true }).waitFor();
    expect(await page.getByRole("tab", { name: /Gaida/ }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
