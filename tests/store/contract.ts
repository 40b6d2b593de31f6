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

    it("commits a transaction's writes together and rolls them all back on an error", async () => {
      const r = await store.resident("web", "tx");
      await store.transaction(async (tx) => {
        await tx.putSession(r.id, { step: 1 });
        await tx.appendTurns(r.id, [{ direction: "in", text: "a" }, { direction: "out", text: "b", flowId: "f", stepId: "s", lang: "ru" }]);
      });
      await expect(store.transaction(async (tx) => {
        await tx.putSession(r.id, { step: 2 });
        await tx.appendTurns(r.id, [{ direction: "in", text: "lost" }]);
        throw new Error("boom");
      })).rejects.toThrow("boom");
      expect((await store.loadSession(r.id))?.state).toEqual({ step: 1 });
      expect(await store.transcript(r.id)).toEqual([
        { direction: "in", text: "a" },
        { direction: "out", text: "b", flowId: "f", stepId: "s", lang: "ru" },
      ]);
    });

    it("serialises concurrent transactions of one resident through the resident lock", async () => {
      const order: string[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        await tx.lockResident("web", "lock");
        order.push("first locked");
        await held;
        await tx.putSession((await tx.lockResident("web", "lock")).id, { by: "first" });
        order.push("first done");
      });
      await new Promise((r) => setTimeout(r, 50));
      const second = store.transaction(async (tx) => {
        const r = await tx.lockResident("web", "lock");
        order.push("second locked");
        await tx.putSession(r.id, { by: "second" });
      });
      await new Promise((r) => setTimeout(r, 100));
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(["first locked", "first done", "second locked"]);
      const r = await store.resident("web", "lock");
      expect(await store.loadSession(r.id)).toMatchObject({ state: { by: "second" }, version: 2 });
    });

    it("records counted events per resident", async () => {
      const r = await store.resident("telegram", "events");
      await store.recordEvents(r.id, [{ kind: "feedback-up", guideId: "e-invoices", lang: "lv" }, { kind: "flow-completed", flowId: "e-invoice-setup", stepId: "done" }]);
      expect(await store.events(r.id)).toEqual([
        { kind: "feedback-up", guideId: "e-invoices", lang: "lv" },
        { kind: "flow-completed", flowId: "e-invoice-setup", stepId: "done" },
      ]);
    });

    it("keeps web chat sessions with a token hash and queues their messages in order", async () => {
      const resident = await store.createWebSession("websess1", "hash1", "en");
      expect(resident).toMatchObject({ channel: "web", chatId: "websess1", lang: "en" });
      expect(await store.webSession("websess1")).toEqual({ tokenHash: "hash1", residentId: resident.id });
      expect(await store.webSession("nope")).toBeUndefined();
      expect(await store.lastWebEventId(resident.id)).toBe(0);
      const a = await store.pushWebEvent(resident.id, { replies: [{ text: "one" }] });
      const b = await store.pushWebEvent(resident.id, { replies: [{ text: "two" }] });
      expect(b).toBeGreaterThan(a);
      expect((await store.webEvents(resident.id, 0)).map((e) => e.payload)).toEqual([{ replies: [{ text: "one" }] }, { replies: [{ text: "two" }] }]);
      expect((await store.webEvents(resident.id, a)).map((e) => e.id)).toEqual([b]);
      expect(await store.lastWebEventId(resident.id)).toBe(b);
    });

    it("opens a turn in one read and commits it atomically, once per update, losing to a newer writer", async () => {
      const first = await store.openTurn<{ step: number }>("telegram", "turn", "ru", "u-1");
      expect(first).toMatchObject({ resident: { channel: "telegram", chatId: "turn", lang: "ru" }, seen: false });
      expect(first.session).toBeUndefined();
      const id = first.resident.id;
      const commit = { state: { step: 1 }, turns: [{ direction: "in" as const, text: "kods 010190-12345" }, { direction: "out" as const, text: "ok", lang: "ru" as const }], events: [{ kind: "flow-started", flowId: "f" }], lang: "en" as const, update: { channel: "telegram", id: "u-1" } };
      expect(await store.commitTurn(id, 0, commit)).toBe(true);
      // A second writer that read the same (empty) session loses, and writes nothing at all.
      expect(await store.commitTurn(id, 0, { ...commit, update: { channel: "telegram", id: "u-2" } })).toBe(false);
      const again = await store.openTurn<{ step: number }>("telegram", "turn", "lv", "u-1");
      expect(again.seen).toBe(true);
      expect(again.resident.lang).toBe("en");
      expect(again.session).toEqual({ state: { step: 1 }, version: 1 });
      expect((await store.openTurn("telegram", "turn", "lv", "u-2")).seen).toBe(false);
      expect(await store.transcript(id)).toEqual([{ direction: "in", text: "kods [personas kods]" }, { direction: "out", text: "ok", lang: "ru" }]);
      expect(await store.events(id)).toEqual([{ kind: "flow-started", flowId: "f" }]);
      // The same update again, even with the current version, is not stored twice.
      expect(await store.commitTurn(id, 1, { ...commit, state: { step: 9 } })).toBe(false);
      expect(await store.commitTurn(id, 1, { state: { step: 2 }, turns: [] })).toBe(true);
      expect(await store.commitTurn(id, 1, { state: { step: 3 }, turns: [{ direction: "in", text: "lost" }] })).toBe(false);
      expect((await store.loadSession(id))?.state).toEqual({ step: 2 });
      expect((await store.transcript(id)).map((t) => t.text)).not.toContain("lost");
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
