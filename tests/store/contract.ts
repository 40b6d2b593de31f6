import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/store/conversation-store.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";

/** The storage contract, run against every database implementation. */
export function runStoreContract(name: string, open: () => Promise<Database>): void {
  describe(`ConversationStore on ${name}`, () => {
    let db: Database;
    let store: ConversationStore;
    beforeAll(async () => {
      db = await open();
      await migrate(db.pool);
      store = new ConversationStore(db.pool);
    }, 60_000);
    afterAll(async () => db?.close());

    it("runs migrations once, also when asked again", async () => {
      expect(await migrate(db.pool)).toEqual([]);
    });

    it("creates a resident once per channel and chat, remembering language and consent", async () => {
      const a = await store.resident("telegram", "100", "ru");
      const b = await store.resident("telegram", "100", "en");
      expect(b.id).toBe(a.id);
      expect(b.lang).toBe("ru");
      await store.setLanguage(a.id, "en");
      await store.setConsent(a.id, true);
      const c = await store.resident("telegram", "100");
      expect(c.lang).toBe("en");
      expect(c.consentAt).toBeInstanceOf(Date);
      expect((await store.resident("web", "100")).id).not.toBe(a.id);
    });

    it("saves session state with compare-and-set so a stale writer loses", async () => {
      const r = await store.resident("web", "cas");
      expect(await store.loadSession(r.id)).toBeUndefined();
      expect(await store.saveSession(r.id, { flow: "main-menu", step: "start" }, 0)).toBe(1);
      expect(await store.saveSession(r.id, { flow: "x" }, 0)).toBeUndefined();
      expect(await store.saveSession(r.id, { flow: "e-invoice-setup", step: "which" }, 1)).toBe(2);
      expect(await store.saveSession(r.id, { flow: "stale" }, 1)).toBeUndefined();
      expect(await store.loadSession(r.id)).toEqual({ state: { flow: "e-invoice-setup", step: "which" }, version: 2 });
    });

    it("masks personal codes, IBANs and card numbers before storing the transcript", async () => {
      const r = await store.resident("web", "mask");
      await store.appendTurn(r.id, { direction: "in", text: "mans kods ir 010190-12345, jaunais 32123456789" });
      await store.appendTurn(r.id, { direction: "in", text: "konts LV80BANK0000435195001, karte 4111 1111 1111 1111" });
      await store.appendTurn(r.id, { direction: "out", text: "Labi", intent: "guide", guideId: "e-invoices" });
      const t = await store.transcript(r.id);
      expect(t.map((x) => x.text)).toEqual([
        "mans kods ir [personas kods], jaunais [personas kods]",
        "konts [IBAN], karte [kartes numurs]",
        "Labi",
      ]);
      expect(t[2]).toMatchObject({ direction: "out", intent: "guide", guideId: "e-invoices" });
      const raw = await db.pool.query("SELECT text FROM turns WHERE resident_id = $1", [r.id]);
      expect(JSON.stringify(raw.rows)).not.toMatch(/010190|32123456789|4111/);
    });

    it("claims each update id once", async () => {
      expect(await store.claimUpdate("telegram", "555")).toBe(true);
      expect(await store.claimUpdate("telegram", "555")).toBe(false);
      expect(await store.claimUpdate("web", "555")).toBe(true);
    });

    it("forgets a resident with their session and transcript", async () => {
      const r = await store.resident("web", "forget");
      await store.saveSession(r.id, { a: 1 }, 0);
      await store.appendTurn(r.id, { direction: "in", text: "x" });
      await store.forget(r.id);
      expect(await store.loadSession(r.id)).toBeUndefined();
      expect(await store.transcript(r.id)).toEqual([]);
    });
  });
}
