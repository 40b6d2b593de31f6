/**
 * "Konti" in the staff console (system Chromium through playwright-core): an admin adds an agent
 * and sees the one-time password once; the agent logs in with it and must choose their own
 * password before the queue opens; the admin unlocks the agent's locked username and deactivates
 * the account. axe-core finds no violations on the page, in its dialogs and on the password form.
 * Screenshots: test-artifacts/accounts-list.png, accounts-password.png, accounts-first-login.png.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FAILURES } from "../../src/staff/accounts.js";
import { axeViolations } from "../support/axe.js";
import { browserSuite } from "../support/app-and-browser.js";
import { logIn, pageErrors } from "../support/console.js";
import { StaffClient } from "../support/staff-client.js";
import { ifAssigned } from "../support/must.js";

const ADMIN = { username: "ilze.admin", password: "Pirma-admina-parole", displayName: "Ilze Ozola", role: "admin" } as const;

// The first admin, as `cli staff add` creates it.
const suite = browserSuite({ setup: (app) => app.staffAccounts.add(ADMIN) });
const running = suite.app;
const newPage = () => suite.openConsole();
const row = (page: Page, username: string) => page.locator("#accounts-body tr").filter({ hasText: username });

describe("accounts in the staff console", () => {
  let admin: { context: BrowserContext; page: Page };
  let oneTime = "";

  beforeAll(async () => {
    admin = await newPage();
    await logIn(admin.page, ADMIN);
    await admin.page.getByRole("link", { name: /Konti/ }).click();
    await admin.page.getByRole("heading", { level: 2, name: "Konti" }).waitFor();
  });
  afterAll(async () => {
    await ifAssigned(admin)?.context.close();
  });

  it("lists the accounts, the admin's own first, without violations", async () => {
    const { page } = admin;
    await row(page, ADMIN.username).waitFor();
    expect(await row(page, ADMIN.username).innerText()).toMatch(/Administrators/);
    // The admin cannot deactivate themselves from here.
    expect(await row(page, ADMIN.username).getByRole("button", { name: /Deaktivizēt/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("adds an agent and shows the one-time password once", async () => {
    const { page } = admin;
    await page.getByRole("button", { name: "Pievienot kontu" }).click();
    const dialog = page.getByRole("dialog", { name: "Jauns konts" });
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByLabel("Konta lietotājvārds").fill("anna.berzina");
    await dialog.getByLabel("Vārds un uzvārds").fill("Anna Bērziņa");
    await dialog.getByLabel("Loma").selectOption("agent");
    // An agent without a centre is refused in the form.
    await dialog.getByRole("button", { name: "Izveidot kontu" }).click();
    await dialog.getByRole("alert").filter({ hasText: "vismaz vienu centru" }).waitFor();
    await dialog.getByLabel(/Cenu un Ozolnieku/).check();
    await dialog.getByRole("button", { name: "Izveidot kontu" }).click();

    const shown = page.getByRole("dialog", { name: "Vienreizējā parole" });
    await shown.waitFor();
    oneTime = (await shown.locator("code").innerText()).trim();
    expect(oneTime).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(await shown.innerText()).toContain("Anna Bērziņa (anna.berzina)");
    expect(await axeViolations(page)).toEqual([]);
    await suite.screenshot(page, "accounts-password");
    await shown.getByRole("button", { name: "Aizvērt" }).click();
    await shown.waitFor({ state: "hidden" });
    // Shown once: gone from the page (the dialog's close event, which clears it, comes after it is hidden).
    await expect.poll(() => page.content()).not.toContain(oneTime);

    await row(page, "anna.berzina").waitFor();
    expect(await row(page, "anna.berzina").innerText()).toMatch(/Darbinieks[\s\S]*Cenu un Ozolnieku[\s\S]*Vēl nav izvēlējies savu paroli/);
    await page.getByRole("status").filter({ hasText: "Konts anna.berzina izveidots." }).waitFor();
    await page.locator("#accounts-log li").filter({ hasText: "Ilze Ozola izveidoja kontu anna.berzina" }).waitFor();
    await suite.screenshot(page, "accounts-list");
  });

  it("makes the new agent choose their own password at the first login", async () => {
    const agent = await newPage();
    try {
      await logIn(agent.page, { username: "anna.berzina", password: oneTime });
      await agent.page.getByRole("heading", { name: "Izvēlieties savu paroli" }).waitFor();
      expect(await agent.page.getByRole("tab", { name: /Gaida/ }).count()).toBe(0);
      expect(await axeViolations(agent.page)).toEqual([]);
      await agent.page.getByLabel("Jaunā parole", { exact: true }).fill("Annas-pasas-parole");
      await agent.page.getByLabel("Jaunā parole vēlreiz").fill("Annas-pasas-parolE");
      await agent.page.getByRole("button", { name: "Saglabāt paroli" }).click();
      await agent.page.getByRole("alert").filter({ hasText: "nesakrīt" }).waitFor();
      await agent.page.getByLabel("Jaunā parole vēlreiz").fill("Annas-pasas-parole");
      await suite.screenshot(agent.page, "accounts-first-login");
      await agent.page.getByRole("button", { name: "Saglabāt paroli" }).click();
      await agent.page.getByRole("tab", { name: /Gaida/ }).waitFor();
      expect(pageErrors(agent.page)).toEqual([]);
    } finally {
      await agent.context.close();
    }
    await StaffClient.login(running().url, "anna.berzina", "Annas-pasas-parole");
  });

  it("unlocks a locked username and deactivates an account", async () => {
    const { page } = admin;
    for (let i = 0; i < MAX_FAILURES; i++) await StaffClient.tryLogin(running().url, "anna.berzina", "nepareizi");
    expect((await StaffClient.tryLogin(running().url, "anna.berzina", "Annas-pasas-parole")).status).toBe(429);
    await page.reload();
    await row(page, "anna.berzina").filter({ hasText: "Bloķēts" }).waitFor();
    await row(page, "anna.berzina").getByRole("button", { name: /Atbloķēt/ }).click();
    await page.getByRole("status").filter({ hasText: "Konts anna.berzina atbloķēts" }).waitFor();
    expect(await row(page, "anna.berzina").innerText()).not.toContain("Bloķēts");
    expect((await StaffClient.tryLogin(running().url, "anna.berzina", "Annas-pasas-parole")).status).toBe(200);

    page.once("dialog", (d) => void d.accept());
    await row(page, "anna.berzina").getByRole("button", { name: /Deaktivizēt/ }).click();
    await row(page, "anna.berzina").filter({ hasText: "Deaktivizēts" }).waitFor();
    expect((await StaffClient.tryLogin(running().url, "anna.berzina", "Annas-pasas-parole")).status).toBe(401);
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });
});
