/**
 * The staff console's pages for content editors and the municipality (/staff, roles `editor`
 * and `admin`) in a real browser (system Chromium through playwright-core), against the
 * in-process app.
 *
 * A few residents talk to the bot first (a question the guides answer, one they do not, asked
 * twice). Then an editor logs in and, in order: tries a question as a resident would ask it
 * ("Izmēģināt jautājumu"), looks through the guides ("Instrukcijas"), finds the question the bot
 * could not answer ("Neatbildētie") and reads the indicators with their charts ("Rādītāji").
 * An agent sees none of these pages; an admin sees them next to the queue. Screenshots for a
 * look by eye (1366×900): test-artifacts/editor-try.png, editor-guides.png, editor-unanswered.png
 * and editor-dashboard.png.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { browserSuite, STEP_MS } from "../support/app-and-browser.js";
import { consoleLog, logIn } from "../support/console.js";
import { ifAssigned } from "../support/must.js";

/** Reports run several queries over the stored turns. */
const REPORT_MS = 20_000;

const EDITOR = { username: "ilze.ozola", password: "Saturs-2026-redaktors", displayName: "Ilze Ozola", role: "editor", centres: [] as string[] } as const;
const AGENT = { username: "anna.berzina", password: "Ozolnieki-2026-pults", displayName: "Anna Bērziņa", role: "agent", centres: ["cenu-ozolnieku"] } as const;
const ADMIN = { username: "maris.admins", password: "Novads-2026-admins", displayName: "Māris Admins", role: "admin", centres: [] as string[] } as const;

/** What residents asked before the editor logged in: one answered, one not (asked twice). */
const ANSWERED = "Kā pieteikt e-rēķinu par ūdeni?";
const UNANSWERED = "Kur var nodot vecās riepas?";
const UNANSWERED_AGAIN = "kur var nodot vecas riepas";

/** The header's links to the editors' pages. */
const CONTENT_PAGES = ["Izmēģināt jautājumu", "Instrukcijas", "Neatbildētie", "Rādītāji"] as const;

const suite = browserSuite({ setup: async (app) => {
  await app.staffAccounts.add(EDITOR);
  await app.staffAccounts.add(AGENT);
  await app.staffAccounts.add(ADMIN);
  for (const [chatId, text] of [["editor-web-1", ANSWERED], ["editor-web-2", UNANSWERED], ["editor-web-3", UNANSWERED_AGAIN]] as const) {
    await app.store.resident("web", chatId);
    await app.service.handle("web", chatId, { kind: "text", text });
  }
  // The second resident then asked for a person: a ticket for the Ozolnieku centre.
  await app.desk.createTicket({
    channel: "web", chatId: "editor-web-2", lang: "lv", parish: "ozolnieku", contact: "chat", question: UNANSWERED,
    context: { reason: "askedForPerson", lastQuestion: UNANSWERED },
  });
} });
const running = suite.app;
const newConsolePage = () => suite.openConsole();

/** Page errors and anything the browser refused (the page's Content-Security-Policy). */
const problems = (page: Page) => consoleLog(page).filter((line) => line.startsWith("page error") || /Content Security Policy|Refused to/i.test(line));
const nav = (page: Page) => page.getByRole("navigation", { name: "Pults sadaļas" });
const pageLink = (page: Page, name: string) => nav(page).getByRole("link", { name, exact: true });

/** The big number of a headline figure on "Rādītāji". */
async function headline(page: Page, label: string): Promise<string> {
  const card = page.locator(".figure-card").filter({ has: page.locator(".figure-label", { hasText: new RegExp(`^${label}$`) }) });
  return (await card.locator(".figure-value").innerText()).trim();
}

// ---------------------------------------------------------------------------------------------

describe("the editors' pages of the staff console", () => {
  let consoleContext: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context: consoleContext, page } = await newConsolePage());
  });
  afterAll(async () => {
    await ifAssigned(consoleContext)?.close();
  });

  it("logs an editor in to the content pages, without the queue", async () => {
    await logIn(page, EDITOR);
    await page.getByRole("heading", { level: 2, name: "Izmēģināt jautājumu" }).waitFor();
    for (const name of CONTENT_PAGES) await pageLink(page, name).waitFor();
    expect(await pageLink(page, "Izmēģināt jautājumu").getAttribute("aria-current")).toBe("page");
    expect(await pageLink(page, "Pieteikumu rinda").count()).toBe(0);
    expect(await page.getByRole("tab", { name: /Gaida/ }).count()).toBe(0);
    await page.getByRole("banner").getByText(EDITOR.displayName).waitFor();
    expect(await page.getByRole("banner").innerText()).toContain("satura redaktors");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });

  it("tries a question: the resident's answer, the guides ranked with matched words, the language and what the bot does", async () => {
    await page.getByLabel("Iedzīvotāja jautājums").fill("ka sanemt e-rekinu");
    await page.getByRole("button", { name: "Izmēģināt", exact: true }).click();
    const why = page.getByRole("region", { name: "Kāpēc tāda atbilde" });
    await why.waitFor();

    // The best guide first, marked as the one that answered, with the words it matched.
    const rows = why.getByRole("table").locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    const first = rows.first();
    expect(await first.innerText()).toContain("e-invoices");
    expect(await first.innerText()).toContain("Atbildēja");
    expect(await first.locator(".tag").count()).toBeGreaterThan(0);
    expect(await first.locator(".coverage").innerText()).toMatch(/\d+ %/);

    // In plain words: which guide answered and why; the language and the intent.
    const explained = await why.locator(".explain").innerText();
    expect(explained).toMatch(/^Atbildēja instrukcija «E-rēķini/);
    expect(explained).toMatch(/jo sakrita \d+ no \d+ jautājuma vārd/);
    const facts = await why.locator(".facts").innerText();
    expect(facts).toContain("latviešu");
    expect(facts).toContain("Atbild ar instrukciju");

    // The reply exactly as the resident would see it: the guide's text and its buttons as chips.
    const preview = page.getByRole("region", { name: "Ko iedzīvotājs saņemtu" });
    expect(await preview.locator(".pv-user").innerText()).toContain("ka sanemt e-rekinu");
    expect(await preview.locator(".pv-bot").first().innerText()).toContain("📘 E-rēķini");
    expect(await preview.locator(".chip").count()).toBeGreaterThan(0);
    await suite.screenshot(page, "editor-try");

    // A question no guide can answer is explained as such.
    await page.getByLabel("Iedzīvotāja jautājums").fill("kāds laiks būs rīt");
    await page.getByLabel("Valoda", { exact: true }).selectOption("lv");
    await page.getByRole("button", { name: "Izmēģināt", exact: true }).click();
    await expect.poll(() => why.locator(".explain").innerText(), { timeout: STEP_MS }).toMatch(/Nav pietiekami drošas atbildes|Neviena instrukcija/);
    expect(await why.locator(".facts").innerText()).toContain("Nezina atbildi");
    expect(await why.locator(".facts").innerText()).toContain("(izvēlēta)");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });

  it("lists the 18 guides with their review dates, the flows, and that the content loaded", async () => {
    await pageLink(page, "Instrukcijas").click();
    await page.getByRole("heading", { level: 2, name: "Instrukcijas" }).waitFor();
    expect(await pageLink(page, "Instrukcijas").getAttribute("aria-current")).toBe("page");
    const status = page.locator("#content-status");
    await expect.poll(() => status.innerText(), { timeout: STEP_MS }).toContain("Saturs ielādēts");
    expect(await status.getAttribute("class")).toContain("status-ok");

    const guides = page.locator(".guides-table tbody tr");
    await expect.poll(() => guides.count(), { timeout: STEP_MS }).toBe(18);
    expect(await page.locator("#guides-summary").innerText()).toMatch(/^18 instrukcijas/);
    const invoices = guides.filter({ hasText: "e-invoices" });
    const text = await invoices.innerText();
    expect(text).toContain("E-rēķini");
    expect(text).toMatch(/Pārbaudīts: \d{2}\.\d{2}\.\d{4}\./);
    expect(text).toMatch(/Pārskatīt līdz: \d{2}\.\d{2}\.\d{4}\./);
    // Guides to review come first.
    const overdue = await guides.evaluateAll((rows) => rows.map((row) => (row as unknown as { className: string }).className.includes("is-overdue")));
    expect(!overdue.includes(true) || overdue.lastIndexOf(true) < overdue.indexOf(false)).toBe(true);

    const flows = page.getByRole("table", { name: /Soli-pa-solim ceļveži/ }).locator("tbody tr");
    expect(await flows.count()).toBeGreaterThan(0);
    expect(await flows.filter({ hasText: "e-invoice-setup" }).count()).toBe(1);
    await suite.screenshot(page, "editor-guides");

    // The page is in the address: a reload comes back to it.
    expect(new URL(page.url()).hash).toBe("#instrukcijas");
    await page.reload();
    await page.getByRole("heading", { level: 2, name: "Instrukcijas" }).waitFor();
    await expect.poll(() => guides.count(), { timeout: STEP_MS }).toBe(18);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });

  it("shows the question the bot could not answer, grouped, with its reasons and a CSV download", async () => {
    await pageLink(page, "Neatbildētie").click();
    await page.getByRole("heading", { level: 2, name: "Neatbildētie jautājumi" }).waitFor();
    const row = page.locator(".unanswered-table tbody tr").filter({ hasText: /riepas/ });
    await row.first().waitFor({ timeout: REPORT_MS });
    expect(await row.count()).toBe(1);
    expect((await row.locator(".count-cell").innerText()).trim()).toBe("2");
    expect(await row.innerText()).toContain("Nezināja atbildi");
    // The answered question is not there.
    expect(await page.locator(".unanswered-table").innerText()).not.toContain("ūdeni");
    await suite.screenshot(page, "editor-unanswered");

    // The default period is the last 30 days, and the CSV link downloads that period.
    const period = page.locator("#page-unanswered");
    const from = await period.getByLabel("No", { exact: true }).inputValue();
    const to = await period.getByLabel("Līdz", { exact: true }).inputValue();
    expect(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)).toBe(29);
    const csv = page.getByRole("link", { name: "Lejupielādēt CSV" });
    const href = await csv.getAttribute("href");
    expect(href).toContain(`from=${from}`);
    expect(href).toContain("format=csv");
    const download = await page.request.get(href ?? "");
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toMatch(/text\/csv/);
    expect(await download.text()).toMatch(/riepas/);

    // "Izmēģināt" opens the question on the try page, already tried.
    await row.getByRole("button", { name: /^Izmēģināt/ }).click();
    await page.getByRole("heading", { level: 2, name: "Izmēģināt jautājumu" }).waitFor();
    expect(await page.getByLabel("Iedzīvotāja jautājums").inputValue()).toMatch(/riepas/);
    await expect.poll(() => page.locator("#try-explain").innerText(), { timeout: STEP_MS }).toMatch(/„nezinu”/);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });

  it("shows the indicators: headline figures, charts with a table each, and CSV and JSON downloads", async () => {
    await pageLink(page, "Rādītāji").click();
    await page.getByRole("heading", { level: 2, name: "Rādītāji" }).waitFor();
    await page.locator("#headline .figure-card").first().waitFor({ timeout: REPORT_MS });
    expect(Number(await headline(page, "Sarunas"))).toBe(3);
    expect(Number(await headline(page, "Iedzīvotāji"))).toBe(3);
    // One of three conversations was answered from a guide; the other two got "I don't know".
    expect(await headline(page, "Bots atrisināja pats")).toMatch(/^33\s%$/u);
    expect(await headline(page, "Pieteikumi")).toBe("1");
    expect(await headline(page, "Vidējais vērtējums")).toBeTruthy();

    // Chart.js drew the charts: each canvas has a size, pixels and a text for screen readers.
    const canvases = page.locator("#charts canvas");
    expect(await canvases.count()).toBeGreaterThanOrEqual(3);
    const drawn = await canvases.evaluateAll((nodes) => nodes.map((node) => {
      const canvas = node as unknown as { width: number; height: number; toDataURL(): string; getAttribute(name: string): string | null };
      return { width: canvas.width, height: canvas.height, png: canvas.toDataURL().length, label: canvas.getAttribute("aria-label") ?? "" };
    }));
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.height).toBeGreaterThan(100);
      expect(chart.png).toBeGreaterThan(3000);
      expect(chart.label.length).toBeGreaterThan(10);
    }
    const weeks = page.locator('figure[data-chart="weeks"]');
    expect(await weeks.locator("canvas").getAttribute("aria-label")).toMatch(/Sarunas un iedzīvotāji pa nedēļām/);
    // Every chart has its numbers as a table too.
    expect(await page.locator("#charts figure .chart-table table").count()).toBe(await page.locator("#charts figure").count());
    await weeks.getByText("Skaitļi tabulā").click();
    await weeks.getByRole("table").waitFor();
    expect(await weeks.getByRole("table").innerText()).toMatch(/Sarunas/);
    await weeks.getByText("Skaitļi tabulā").click();
    // The e-invoice answer counts as guided to that e-service (without the step-by-step flow).
    const guided = page.locator('figure[data-chart="guided"]');
    await guided.getByText("Skaitļi tabulā").click();
    expect(await guided.getByRole("table").locator("thead").innerText()).toMatch(/Novirzīti\s+Izdarīja paši/u);
    expect(await guided.getByRole("row").filter({ hasText: "E-rēķini" }).innerText()).toMatch(/E-rēķini\s+1\s+0/u);
    await guided.getByText("Skaitļi tabulā").click();
    await page.getByText("Kā rādītāji skaitīti").click();
    await page.locator(".definitions dd").filter({ hasText: /vai kuri sāka tā soli-pa-solim ceļvedi/ }).waitFor();

    for (const [name, format] of [["Lejupielādēt CSV", /text\/csv/], ["Lejupielādēt JSON", /application\/json/]] as const) {
      const href = await page.getByRole("link", { name }).getAttribute("href");
      const res = await page.request.get(href ?? "");
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toMatch(format);
    }
    await page.locator("#page-dashboard").evaluate((node) => {
      (node as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await suite.screenshot(page, "editor-dashboard");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });

  it("logs out from a content page back to the login form", async () => {
    await page.getByRole("button", { name: "Iziet" }).click();
    await page.getByText("Jūs izgājāt no darbinieku pults.").waitFor();
    expect(await nav(page).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
  });
});

describe("who sees which pages", () => {
  it("an agent sees only the queue, also when the address asks for an editor's page", async () => {
    const { context, page } = await newConsolePage();
    try {
      await logIn(page, AGENT);
      await page.getByRole("tab", { name: /Gaida/ }).waitFor();
      expect(await nav(page).count()).toBe(0);
      for (const name of CONTENT_PAGES) expect(await page.getByRole("link", { name, exact: true }).count()).toBe(0);
      await page.goto(`${running().url}/staff#raditaji`);
      await page.getByRole("tab", { name: /Gaida/ }).waitFor();
      expect(await page.getByRole("heading", { name: "Rādītāji" }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("an admin sees the queue and the editors' pages", async () => {
    const { context, page } = await newConsolePage();
    try {
      await logIn(page, ADMIN);
      await page.getByRole("tab", { name: /Gaida/ }).waitFor();
      expect(await pageLink(page, "Pieteikumu rinda").getAttribute("aria-current")).toBe("page");
      for (const name of CONTENT_PAGES) await pageLink(page, name).waitFor();
      await pageLink(page, "Instrukcijas").click();
      await expect.poll(() => page.locator(".guides-table tbody tr").count(), { timeout: STEP_MS }).toBe(18);
      expect(await page.getByRole("tab", { name: /Gaida/ }).isVisible()).toBe(false);
      await pageLink(page, "Pieteikumu rinda").click();
      await page.getByRole("tab", { name: /Gaida/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
    expect(problems(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
