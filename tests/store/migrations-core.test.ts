/**
 * The core's data migrations (030–039) turn rows written by earlier versions into the new
 * shapes: escalation reasons as codes, transcript lines with their kind instead of a prefix.
 */
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/store/conversation-store.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { ROOT } from "../helpers.js";
import { databaseTargets } from "../support/databases.js";
import { ifAssigned } from "../support/must.js";

const MIGRATIONS = path.join(ROOT, "src/store/migrations");

describe("the core's migrations", async () => {
  const [target] = (await databaseTargets("core_migrations")).reverse();
  let db: Database;
  let before: string;

  beforeAll(async () => {
    if (!target) throw new Error("no database target");
    db = await target.open();
    // The schema as it was before 030, with rows in the old shapes.
    before = await mkdtemp(path.join(tmpdir(), "digipaligs-migrations-"));
    for (const file of await readdir(MIGRATIONS)) if (file < "030") await cp(path.join(MIGRATIONS, file), path.join(before, file));
    await migrate(db.pool, before);
  });
  afterAll(async () => {
    if (target && ifAssigned(db)) await target.drop(db);
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("turn transcript prefixes into kinds and reasons into codes, keeping what they said", async () => {
    const store = new ConversationStore(db.pool);
    const resident = await store.resident("web", "old");
    const lines = ["/start", "🔘 👎 Nē", "✏️ kā saņemt rēķinu", "📞 [tālruņa numurs]", "[photo]", "kā iesniegt iesniegumu?"];
    for (const text of lines) await db.pool.query("INSERT INTO turns (resident_id, direction, text) VALUES ($1, 'in', $2)", [resident.id, text]);
    await db.pool.query("INSERT INTO turns (resident_id, direction, text) VALUES ($1, 'out', 'Labdien!')", [resident.id]);
    for (const reason of ["resident asked for a person", 'pressed "🙋 Talk to a person" in online-application/attach', "Neizdodas pieteikt e-rēķinu (veids nav zināms)."]) {
      await db.pool.query("INSERT INTO tickets (resident_id, channel, centre_id, lang, question, context) VALUES ($1, 'web', 'jelgava', 'lv', 'q', $2::jsonb)",
        [resident.id, JSON.stringify({ reason, lastQuestion: "q" })]);
    }

    await migrate(db.pool, MIGRATIONS);

    expect((await store.transcript(resident.id)).map((l) => [l.direction, l.kind, l.text])).toEqual([
      ["in", "command", "/start"],
      ["in", "button", "👎 Nē"],
      ["in", "edited", "kā saņemt rēķinu"],
      ["in", "contact", ""],
      ["in", "media", "photo"],
      ["in", "text", "kā iesniegt iesniegumu?"],
      ["out", "bot", "Labdien!"],
    ]);
    const { rows } = await db.pool.query<{ context: unknown }>("SELECT context FROM tickets ORDER BY id");
    expect(rows.map((r) => r.context)).toEqual([
      { reason: "askedForPerson", lastQuestion: "q" },
      { reason: "flowChoice", note: "🙋 Talk to a person", lastQuestion: "q" },
      { reason: "flowStep", note: "Neizdodas pieteikt e-rēķinu (veids nav zināms).", lastQuestion: "q" },
    ]);
  });
});
