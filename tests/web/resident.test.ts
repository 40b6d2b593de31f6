/**
 * The web chat as residents met it in a first real use (issue 12): typing inside a flow step,
 * quieter buttons of earlier messages, ending and deleting the conversation, long pastes, the
 * parish typed in words and a member of staff's message. Real Chromium against the in-process
 * app; every state is checked with axe-core, and screenshots for a look by eye are written to
 * test-artifacts/resident-*.png.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { browserSuite, PHONE } from "../support/app-and-browser.js";
import { answerTo, bots, chatReady, openChat as openChatAt } from "../support/chat-page.js";
import { ifAssigned, must } from "../support/must.js";

// What the callbacks given to page.evaluate() use of the DOM (the project has no DOM types).
interface DomNode {
  readonly hidden: boolean;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  readonly documentElement: { readonly dataset: Readonly<Record<string, string | undefined>> };
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
};
declare const localStorage: { getItem(key: string): string | null };

const suite = browserSuite();
const newContext = () => suite.newContext(PHONE);
const openChat = (context: BrowserContext) => openChatAt(context, `${suite.app().url}/?lang=lv`);

const type = (page: Page, text: string) => answerTo(page, async () => {
  await page.locator("#message-input").fill(text);
  await page.keyboard.press("Enter");
});

/** Presses the button with this label on the newest message that has it. */
const press = (page: Page, label: string | RegExp) => answerTo(page, () => page.locator("#messages .choices:not(.choices-older) .choice").filter({ hasText: label }).first().click());

/** axe-core on the page as it is now: no violations at all. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  expect(await axeViolations(page), `axe-core violations ${state}`).toEqual([]);
}

const shot = (page: Page, name: string) => suite.screenshot(page, `resident-${name}`);

describe("the web chat inside a flow step", () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext();
    page = await openChat(context);
  });
  afterAll(async () => {
    await ifAssigned(context)?.close();
  });

  it("says where to type, explains a number typed into the chat and keeps only the newest buttons active", async () => {
    await type(page, "/start e-invoices");
    await press(page, /Ūdens, siltums, atkritumi/);
    await press(page, /E-pastā/);
    await press(page, "Izdevās ✅");
    const step = await press(page, "Izdevās ✅");
    expect(step).toContain("Ierakstiet savu klienta numuru.");
    expect(step).toContain("✍️ To rakstiet JNKU veidlapā, nevis šeit sarunā.");

    const explained = await type(page, "123456");
    expect(explained).toMatch(/Šo numuru ierakstiet JNKU veidlapā.*«Izdevās ✅»/);
    const where = await type(page, "nesaprotu, kur man jāieraksta klienta numurs?");
    expect(where).toMatch(/Šajā solī jāraksta JNKU veidlapā/);
    expect(where).not.toMatch(/izvēlieties kādu no pogām/);

    // One group of buttons is current; every earlier one is quieter and says it is older.
    const groups = await page.evaluate(() => [...Array.from(document.querySelectorAll("#messages .choices"))].map((g) => g.getAttribute("aria-label")));
    expect(groups.length).toBeGreaterThan(3);
    expect(groups.at(-1)).toBe("Izvēlieties");
    expect(groups.slice(0, -1).every((label) => label === "Agrākas ziņas pogas")).toBe(true);
    expect(await page.locator("#messages .choices:not(.choices-older)").count()).toBe(1);
    const [older, current] = await Promise.all([
      page.locator(".choices-older .choice").last().evaluate((node) => getComputedStyle(node).backgroundColor),
      page.locator(".choices:not(.choices-older) .choice").first().evaluate((node) => getComputedStyle(node).backgroundColor),
    ]);
    expect(older).not.toBe(current);
    await shot(page, "flow-step");
    await expectAccessible(page, "inside a flow step");

    // An older button still works: "Atkārtot" of the client-number step shows it again.
    const again = await answerTo(page, () => page.locator(".choices-older .choice").filter({ hasText: "🔁 Atkārtot" }).last().click());
    expect(again).toContain("Ierakstiet savu klienta numuru.");
  });
});

describe("the web chat's long pastes", () => {
  it("shows a counter and says the text is too long before sending, without cutting it", async () => {
    const context = await newContext();
    try {
      const page = await openChat(context);
      await expectAccessible(page, "when the chat opens");
      const box = page.getByRole("textbox", { name: "Jūsu jautājums" });
      await box.fill("a".repeat(1900));
      expect(await page.locator("#char-count").textContent()).toBe("Atlikušas 100 rakstzīmes");
      expect(await page.locator("#length-notice").isVisible()).toBe(false);
      const long = "Labdien! Man ir jautājums par rēķiniem. ".repeat(55).trim();
      await box.fill(long);
      expect((await box.inputValue()).length).toBe(long.length);
      expect(await page.locator("#char-count").textContent()).toBe(`Par ${long.length - 2000} rakstzīmēm par daudz`);
      const notice = page.getByRole("status").filter({ hasText: "rakstzīmes garš" });
      await notice.waitFor();
      expect(await notice.textContent()).toContain(`Jūsu teksts ir ${long.length} rakstzīmes garš`);
      const sent = await page.locator("#messages .msg-user").count();
      await page.keyboard.press("Enter");
      expect(await page.locator("#messages .msg-user").count()).toBe(sent);
      expect((await box.inputValue()).length).toBe(long.length);
      await shot(page, "long-paste");
      await expectAccessible(page, "with a too long text");
      await box.fill("Kā saņemt e-rēķinu?");
      expect(await page.locator("#length-notice").isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe("the web chat on a shared computer", () => {
  it("ends and deletes the conversation after a confirmation, also from this browser", async () => {
    const context = await newContext();
    try {
      const page = await openChat(context);
      await type(page, "Kā saņemt e-rēķinu par ūdeni?");
      const confirm = await answerTo(page, () => page.getByRole("button", { name: "Beigt un dzēst sarunu" }).click());
      expect(confirm).toMatch(/Vai dzēst visu, ko esmu saglabājis par Jums/);
      await shot(page, "forget-confirm");
      await expectAccessible(page, "asking to delete");
      await page.locator("#messages .choices:not(.choices-older) .choice").filter({ hasText: "🗑️ Jā, dzēst" }).click();
      // The conversation leaves the screen too: only the "deleted" messages stay.
      await page.locator("#messages .msg-bot").filter({ hasText: "Saruna ir dzēsta arī no šīs ierīces." }).waitFor();
      expect(await bots(page).allTextContents()).toEqual([
        expect.stringContaining("Jūsu dati ir dzēsti"),
        expect.stringContaining("Saruna ir dzēsta arī no šīs ierīces."),
      ]);
      await shot(page, "forget-done");
      expect(await page.evaluate(() => localStorage.getItem("digipaligs.session"))).toBeNull();
      expect(await page.locator("#messages .msg-user").count()).toBe(0);
      await page.reload();
      await chatReady(page);
      await bots(page).first().waitFor();
      expect(await page.locator("#messages").textContent()).not.toContain("e-rēķinu par ūdeni");
      // Typed in words, in any of the three languages, it asks the same confirmation.
      expect(await type(page, "izdzēsiet manus datus")).toMatch(/Vai dzēst visu/);
      expect(await type(page, "удалите мои данные")).toMatch(/Удалить всё/);
      expect(await type(page, "delete my data")).toMatch(/Delete everything/);
    } finally {
      await context.close();
    }
  });
});

describe("the web chat's hand-over", () => {
  it("takes the parish typed in words, and shows a member of staff's message apart from the bot's", async () => {
    const context = await newContext();
    try {
      const page = await openChat(context);
      await type(page, "Kā saņemt e-rēķinu par ūdeni?");
      await answerTo(page, () => page.getByRole("button", { name: "Runāt ar cilvēku", exact: true }).click());
      const parish = await press(page, /Jā, nodot darbiniekam/);
      expect(parish).toMatch(/Kurā pagastā Jūs dzīvojat/);
      expect(await page.locator(".choices:not(.choices-older) .choice").count()).toBe(17);
      const contact = await type(page, "dzīvoju Ozolniekos");
      expect(contact).toMatch(/Kā Jums labāk atbildēt/);
      await press(page, /Šeit sarunā/);
      const question = await press(page, /Piekrītu/);
      // The question handed over is the last real one, ready to send as it is.
      expect(question).toContain("«Kā saņemt e-rēķinu par ūdeni?»");
      const created = await press(page, "Sūtīt tā, kā ir");
      expect(created).toMatch(/Cenu un Ozolnieku pagasta apvienības pārvalde/);

      const app = suite.app();
      const session = JSON.parse((await page.evaluate(() => localStorage.getItem("digipaligs.session"))) ?? "{}") as { id: string };
      const resident = await app.store.resident("web", session.id);
      const ticket = await app.desk.openTicketOf(resident.id);
      const anna = await app.staffAccounts.add({ username: "anna-web", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
      await app.desk.reply(anna, must(ticket, "the resident's open ticket").id, "Labdien! Klienta numurs ir rēķina augšā.");
      const staff = page.locator("#messages .msg-staff").filter({ hasText: "Klienta numurs ir rēķina augšā" });
      await staff.waitFor();
      expect(await staff.locator(".staff-name").textContent()).toBe("👤 Anna");
      expect(await staff.locator(".staff-centre").textContent()).toBe("Cenu un Ozolnieku pagasta apvienības pārvalde");
      expect(await staff.locator(".bubble").textContent()).toBe("Labdien! Klienta numurs ir rēķina augšā.");
      const [staffColour, botColour] = await Promise.all([
        staff.locator(".bubble").evaluate((node) => getComputedStyle(node).backgroundColor),
        page.locator("#messages .msg-bot:not(.msg-staff) .bubble").first().evaluate((node) => getComputedStyle(node).backgroundColor),
      ]);
      expect(staffColour).not.toBe(botColour);
      await staff.scrollIntoViewIfNeeded();
      await shot(page, "staff-message");
      await expectAccessible(page, "with a member of staff's message");
      // After a reload the staff message keeps its badge.
      await page.reload();
      await chatReady(page);
      await page.locator("#messages .msg-staff .staff-centre").first().waitFor();
    } finally {
      await context.close();
    }
  });
});

declare function getComputedStyle(node: unknown): { readonly backgroundColor: string };
