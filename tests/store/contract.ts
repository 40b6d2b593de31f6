import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/store/conversation-store.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { withTransaction } from "../../src/store/transaction.js";
import type { DatabaseTarget } from "../support/databases.js";
import { commitTurn, eventsOf } from "../support/store-inspect.js";
import { ifAssigned } from "../support/must.js";

/** The storage contract, run against every database implementation. */
export function runStoreContract(target: DatabaseTarget): void {
  describe(`ConversationStore on ${target.name}`, () => {
    let db: Database;
    let store: ConversationStore;
    beforeAll(async () => {
      db = await target.open();
      await migrate(db.pool);
      store = new ConversationStore(db.pool);
    }, 60_000);
    afterAll(async () => {
      if (ifAssigned(db)) await target.drop(db);
    });

    it("runs migrations once, also when asked again", async () => {
      expect(await migrate(db.pool)).toEqual([]);
    });

    it("creates a resident once per channel and chat, remembering language and consent", async () => {
      const a = await store.resident("telegram", "100", "ru");
      const b = await store.resident("telegram", "100", "en");
      expect(b.id).toBe(a.id);
      expect(b.lang).toBe("ru");
      await store.setConsent(a.id, true);
      const c = await store.resident("telegram", "100");
      expect(c.consentAt).toBeInstanceOf(Date);
      expect((await store.residentById(a.id))?.consentAt).toBeInstanceOf(Date);
      await store.setConsent(a.id, false);
      expect((await store.residentById(a.id))?.consentAt).toBeNull();
      expect((await store.resident("web", "100")).id).not.toBe(a.id);
    });

    it("masks personal codes, IBANs and card numbers before storing the transcript", async () => {
      const r = await store.resident("web", "mask");
      await store.appendTurns(r.id, [
        { direction: "in", text: "mans kods ir 010190-12345, jaunais 32123456789" },
        { direction: "in", text: "konts LV80BANK0000435195001, karte 4111 1111 1111 1111" },
        { direction: "out", text: "Labi", intent: "guide", guideId: "e-invoices" },
      ]);
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

    it("writes through a transaction's connection and rolls everything back on an error", async () => {
      const r = await store.resident("web", "tx");
      await withTransaction(db.pool, async (client) => {
        await store.on(client).appendTurns(r.id, [{ direction: "in", text: "a" }, { direction: "out", text: "b", flowId: "f", stepId: "s", lang: "ru" }]);
      });
      await expect(withTransaction(db.pool, async (client) => {
        await store.on(client).appendTurns(r.id, [{ direction: "in", text: "lost" }]);
        throw new Error("boom");
      })).rejects.toThrow("boom");
      expect(await store.transcript(r.id)).toEqual([
        { direction: "in", kind: "text", text: "a" },
        { direction: "out", kind: "bot", text: "b", flowId: "f", stepId: "s", lang: "ru" },
      ]);
    });

    it("keeps each line's kind, a message's buttons in their order and who of the staff wrote it", async () => {
      const r = await store.resident("web", "kinds");
      const buttons = [{ id: "f:x:y:1", label: "👎 Nē", inline: true }, { id: "f:x:y:0", label: "👍 Jā", inline: true }, { id: "menu", label: "🏠 Galvenā izvēlne" }];
      await store.appendTurns(r.id, [
        { direction: "in", kind: "button", text: "👍 Jā" },
        { direction: "out", text: "Vai tas palīdzēja?", buttons },
        { direction: "out", kind: "staff", text: "Labdien!", author: { name: "Anna", centre: "Ozolnieku centrs" } },
      ]);
      await store.commitTurns([{ residentId: r.id, expectedVersion: 0, state: {}, turns: [{ direction: "in", kind: "edited", text: "labots" }, { direction: "out", text: "ok", buttons: buttons.slice(2) }] }]);
      expect(await store.transcript(r.id)).toEqual([
        { direction: "in", kind: "button", text: "👍 Jā" },
        { direction: "out", kind: "bot", text: "Vai tas palīdzēja?", buttons },
        { direction: "out", kind: "staff", text: "Labdien!", author: { name: "Anna", centre: "Ozolnieku centrs" } },
        { direction: "in", kind: "edited", text: "labots" },
        { direction: "out", kind: "bot", text: "ok", buttons: buttons.slice(2) },
      ]);
    });

    it("keeps web chat sessions with a token hash and queues their messages in order, masked", async () => {
      const resident = await store.createWebSession("websess1", "hash1", "en");
      expect(resident).toMatchObject({ channel: "web", chatId: "websess1", lang: "en" });
      expect(await store.webSession("websess1")).toEqual({ tokenHash: "hash1", residentId: resident.id });
      expect(await store.webSession("nope")).toBeUndefined();
      expect(await store.lastWebEventId(resident.id)).toBe(0);
      const a = await store.pushWebEvent(resident.id, [{ text: "one", buttons: [] }]);
      const b = await store.pushWebEvent(resident.id, [{ text: "konts LV80BANK0000435195001\u0000", buttons: [{ id: "ticket:end", label: "Beigt" }] }]);
      expect(b).toBeGreaterThan(a);
      expect((await store.webEvents(resident.id, 0)).map((e) => e.payload)).toEqual([
        { replies: [{ text: "one", buttons: [] }] },
        { replies: [{ text: "konts [IBAN]", buttons: [{ id: "ticket:end", label: "Beigt" }] }] },
      ]);
      expect((await store.webEvents(resident.id, a)).map((e) => e.id)).toEqual([b]);
      expect(await store.lastWebEventId(resident.id)).toBe(b);
    });

    it("creates a new resident while opening their first turn, once even when many open it at once", async () => {
      const opened = await Promise.all(Array.from({ length: 8 }, () => store.openTurn("telegram", "first-contact", "ru")));
      const ids = new Set(opened.map((o) => o.resident.id));
      expect(ids.size).toBe(1);
      for (const o of opened) {
        expect(o).toMatchObject({ resident: { channel: "telegram", chatId: "first-contact", lang: "ru" }, seen: false });
        expect(o.session).toBeUndefined();
      }
      const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM residents WHERE channel = 'telegram' AND chat_id = 'first-contact'");
      expect(rows[0]?.n).toBe("1");
      // A known resident keeps their language, whatever the turn's hint.
      expect((await store.openTurn("telegram", "first-contact", "en")).resident).toMatchObject({ id: [...ids][0], lang: "ru" });
    });

    // Two connections at once: only a server has them (PGlite runs one statement at a time).
    it.skipIf(target.name === "PGlite")("opens the first turn of a resident another connection is creating at that moment", async () => {
      const other = await db.pool.connect();
      try {
        await other.query("BEGIN");
        await other.query("INSERT INTO residents (channel, chat_id, lang) VALUES ('telegram', 'raced', 'en')");
        const opening = store.openTurn("telegram", "raced", "lv");
        // The turn's insert waits on the other's uncommitted row; its snapshot does not show that row.
        for (;;) {
          const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH created AS%'");
          if (rows[0]?.n === "1") break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await other.query("COMMIT");
        const opened = await opening;
        expect(opened.resident).toMatchObject({ chatId: "raced", lang: "en" });
        expect(opened.session).toBeUndefined();
      } finally {
        other.release();
      }
    });

    it("opens a turn in one read and commits it atomically, once per update, losing to a newer writer", async () => {
      const first = await store.openTurn<{ step: number }>("telegram", "turn", "ru", "u-1");
      expect(first).toMatchObject({ resident: { channel: "telegram", chatId: "turn", lang: "ru" }, seen: false });
      expect(first.session).toBeUndefined();
      const id = first.resident.id;
      const commit = { state: { step: 1 }, turns: [{ direction: "in" as const, text: "kods 010190-12345" }, { direction: "out" as const, text: "ok", lang: "ru" as const }], events: [{ kind: "flow-started", flowId: "f" }], lang: "en" as const, update: { channel: "telegram", id: "u-1" } };
      expect(await commitTurn(store, id, 0, commit)).toBe(true);
      // A second writer that read the same (empty) session loses, and writes nothing at all.
      expect(await commitTurn(store, id, 0, { ...commit, update: { channel: "telegram", id: "u-2" } })).toBe(false);
      const again = await store.openTurn<{ step: number }>("telegram", "turn", "lv", "u-1");
      expect(again.seen).toBe(true);
      expect(again.resident.lang).toBe("en");
      expect(again.session).toEqual({ state: { step: 1 }, version: 1 });
      expect((await store.openTurn("telegram", "turn", "lv", "u-2")).seen).toBe(false);
      expect(await store.transcript(id)).toEqual([{ direction: "in", kind: "text", text: "kods [personas kods]" }, { direction: "out", kind: "bot", text: "ok", lang: "ru" }]);
      expect(await eventsOf(db.pool, id)).toEqual([{ kind: "flow-started", flowId: "f" }]);
      // The same update again, even with the current version, is not stored twice.
      expect(await commitTurn(store, id, 1, { ...commit, state: { step: 9 } })).toBe(false);
      expect(await commitTurn(store, id, 1, { state: { step: 2 }, turns: [] })).toBe(true);
      expect(await commitTurn(store, id, 1, { state: { step: 3 }, turns: [{ direction: "in", text: "lost" }] })).toBe(false);
      expect((await store.loadSession(id))?.state).toEqual({ step: 2 });
      expect((await store.transcript(id)).map((t) => t.text)).not.toContain("lost");
    });

    it("commits a batch of residents' turns in one statement, each succeeding or failing on its own", async () => {
      const fresh = await store.openTurn("web", "batch-fresh", "lv");
      const stale = await store.openTurn("web", "batch-stale", "lv");
      const repeat = await store.openTurn("web", "batch-repeat", "lv", "batch-repeat:m1");
      expect(await commitTurn(store, stale.resident.id, 0, { state: { v: "first" }, turns: [] })).toBe(true);
      expect(await commitTurn(store, repeat.resident.id, 0, { state: { v: "first" }, turns: [{ direction: "in", text: "once" }], update: { channel: "web", id: "batch-repeat:m1", replies: [{ text: "answer 010190-12345", buttons: [{ id: "menu", label: "Izvēlne" }] }] } })).toBe(true);
      const saved = await store.commitTurns([
        { residentId: fresh.resident.id, expectedVersion: 0, state: { v: "new", note: "kods 010190-12345" }, turns: [{ direction: "in", text: "hello\u0000 \ud800world" }], events: [{ kind: "menu" }] },
        { residentId: stale.resident.id, expectedVersion: 0, state: { v: "stale" }, turns: [{ direction: "in", text: "stale write" }] },
        { residentId: repeat.resident.id, expectedVersion: 1, state: { v: "again" }, turns: [{ direction: "in", text: "twice" }], update: { channel: "web", id: "batch-repeat:m1" } },
      ]);
      expect(saved).toEqual([true, false, false]);
      // Sanitized (NUL gone, the lone surrogate replaced) and masked, also inside the session state.
      expect((await store.transcript(fresh.resident.id)).map((t) => t.text)).toEqual(["hello \uFFFDworld"]);
      expect((await store.loadSession(fresh.resident.id))?.state).toEqual({ v: "new", note: "kods [personas kods]" });
      expect(await eventsOf(db.pool, fresh.resident.id)).toEqual([{ kind: "menu" }]);
      expect(await store.transcript(stale.resident.id)).toEqual([]);
      expect((await store.loadSession(stale.resident.id))?.state).toEqual({ v: "first" });
      expect((await store.transcript(repeat.resident.id)).map((t) => t.text)).toEqual(["once"]);
      // A repeated update id gives back the replies it got the first time (masked).
      const seen = await store.openTurn("web", "batch-repeat", "lv", "batch-repeat:m1");
      expect(seen).toMatchObject({ seen: true, replies: [{ text: "answer [personas kods]", buttons: [{ id: "menu", label: "Izvēlne" }] }] });
    });

    it("forgets a resident with everything stored about them", async () => {
      const r = await store.resident("web", "forget");
      await commitTurn(store, r.id, 0, { state: { a: 1 }, turns: [{ direction: "in", text: "x" }], update: { channel: "web", id: "forget:1" } });
      await store.pushWebEvent(r.id, [{ text: "y", buttons: [] }]);
      await store.forget(r.id);
      expect(await store.loadSession(r.id)).toBeUndefined();
      expect(await store.transcript(r.id)).toEqual([]);
      expect(await store.residentById(r.id)).toBeUndefined();
      expect((await db.pool.query("SELECT 1 FROM processed_updates WHERE update_id = 'forget:1'")).rowCount).toBe(0);
    });
  });
}
