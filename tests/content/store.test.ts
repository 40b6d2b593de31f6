import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentEditError } from "../../src/core/errors.js";
import { ContentStore } from "../../src/content/store.js";
import { readContentDirs } from "../../src/content/texts.js";
import { LocalNotifier } from "../../src/store/notifier.js";
import { migrate } from "../../src/store/migrate.js";
import type { Database } from "../../src/store/database.js";
import { databaseTargets } from "../support/databases.js";
import { ROOT } from "../helpers.js";
import { must } from "../support/must.js";

const targets = await databaseTargets("content_store");
const repository = await readContentDirs(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
const GUIDE = "knowledge/lv/meter-readings.md";

const refused = async (p: Promise<unknown>): Promise<ContentEditError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof ContentEditError) return error;
    throw error;
  }
  throw new Error("the change was accepted");
};

describe.each(targets)("content store on $name", (target) => {
  let db: Database;
  let store: ContentStore;
  const notifier = new LocalNotifier();
  const announced: unknown[] = [];
  const editor = { name: "Ieva", staffId: 0 };

  beforeAll(async () => {
    db = await target.open();
    await migrate(db.pool);
    const { rows } = await db.pool.query<{ id: string }>("INSERT INTO staff (username, display_name, password_hash, role) VALUES ('ieva', 'Ieva', 'x', 'editor') RETURNING id");
    editor.staffId = Number(rows[0]?.id);
    store = new ContentStore(db.pool, notifier);
    notifier.subscribe("content", (p) => announced.push(p));
  }, 60_000);
  afterAll(async () => {
    await notifier.close();
    await target.drop(db);
  });

  it("imports the repository's content on the first start and nothing on a start without changes", async () => {
    const first = await store.importRepository(repository);
    expect(first.errors).toEqual([]);
    expect(first.imported.length).toBe(repository.size);
    const published = await store.published();
    expect(published.texts).toEqual(repository);
    const again = await store.importRepository(repository);
    expect(again).toMatchObject({ imported: [], notices: [], errors: [] });
    expect((await store.history(GUIDE)).map((r) => r.source)).toEqual(["repository"]);
  });

  it("imports a repository file that changed since the last import as a new revision", async () => {
    const changed = new Map(repository);
    const text = must(repository.get(GUIDE), GUIDE).replace("keywords:\n", "keywords:\n  - ūdens pulkstenis\n");
    changed.set(GUIDE, text);
    const report = await store.importRepository(changed);
    expect(report.imported).toEqual([GUIDE]);
    expect((await store.published()).texts.get(GUIDE)).toBe(text);
    expect(await store.history(GUIDE)).toHaveLength(2);
  });

  it("publishes an edit that passes the check, announces it and writes the audit log", async () => {
    const base = await store.latest(GUIDE);
    const text = must(base?.text, `the text of ${GUIDE}`).replace("keywords:\n", "keywords:\n  - skaitītāja bilde\n");
    announced.length = 0;
    const result = await store.publish([{ path: GUIDE, text, baseRevision: base?.id ?? null }], { author: editor, source: "editor" });
    const revision = result.revisions[0];
    expect(revision).toMatchObject({ path: GUIDE, text, author: "Ieva", staffId: editor.staffId, source: "editor" });
    expect(revision?.id).toBeGreaterThan(base?.id ?? 0);
    await new Promise((r) => setImmediate(r));
    expect(announced).toContainEqual({ revision: revision?.id });
    const audit = await db.pool.query("SELECT action, detail FROM audit_log WHERE staff_id = $1 ORDER BY id DESC LIMIT 1", [editor.staffId]);
    expect(audit.rows[0]).toMatchObject({ action: "content-editor", detail: { path: GUIDE, revision: revision?.id } });
  });

  it("refuses an edit based on an older revision", async () => {
    const history = await store.history(GUIDE);
    const old = history[1];
    const error = await refused(store.publish([{ path: GUIDE, text: "anything", baseRevision: old?.id ?? null }], { author: editor, source: "editor" }));
    expect(error.code).toBe("stale_revision");
    expect(error.current).toBe(history[0]?.id);
  });

  it("refuses an edit that fails the check, with the error's line, and keeps the published text", async () => {
    const base = await store.latest(GUIDE);
    const lines = must(base?.text, `the text of ${GUIDE}`).split("\n");
    const idLine = lines.findIndex((l) => l.startsWith("id:")) + 1;
    const bad = must(base?.text, `the text of ${GUIDE}`).replace(/^id: meter-readings$/m, "id: Not Valid!");
    const error = await refused(store.publish([{ path: GUIDE, text: bad, baseRevision: base?.id ?? null }], { author: editor, source: "editor" }));
    expect(error.code).toBe("content_rejected");
    expect(error.problems.some((p) => p.file === GUIDE && p.line === idLine)).toBe(true);
    expect((await store.latest(GUIDE))?.id).toBe(base?.id);
  });

  it("refuses to delete a guide that a flow or another guide links to", async () => {
    const changes = ["lv", "ru", "en"].map((lang) => ({ path: `knowledge/${lang}/e-invoices.md`, text: null }));
    const error = await refused(store.publish(changes, { author: editor, source: "editor" }));
    expect(error.code).toBe("content_rejected");
    expect(error.problems.some((p) => p.file.startsWith("flows/") && p.message.includes("e-invoices"))).toBe(true);
  });

  it("never overwrites an editor's newer revision with a changed repository file, and keeps it for review", async () => {
    const published = must(await store.latest(GUIDE), `the published revision of ${GUIDE}`);
    const changed = new Map(repository);
    const repoText = must(repository.get(GUIDE), GUIDE).replace("keywords:\n", "keywords:\n  - no repozitorija\n");
    changed.set(GUIDE, repoText);
    const report = await store.importRepository(changed);
    expect(report).toMatchObject({ imported: [], notices: [GUIDE] });
    expect((await store.latest(GUIDE))?.id).toBe(published.id);
    const notices = await store.notices();
    expect(notices).toEqual([{ path: GUIDE, text: repoText, since: expect.any(String) as unknown, publishedRevision: published.id }]);
    // The next start with the same repository says nothing new and still imports nothing.
    expect(await store.importRepository(changed)).toMatchObject({ imported: [], notices: [] });
    // The editor reviews it: accepting publishes the repository's version.
    const accepted = await store.resolveNotice(GUIDE, "accept", editor);
    expect(accepted?.text).toBe(repoText);
    expect(await store.notices()).toEqual([]);
    expect(await store.importRepository(changed)).toMatchObject({ imported: [], notices: [] });
  });

  it("imports nothing from a repository whose change fails the check, and says where", async () => {
    const changed = new Map(repository);
    changed.set("flows/main-menu.yaml", `${must(repository.get("flows/main-menu.yaml"), "flows/main-menu.yaml")}\nsteps: [}\n`);
    const report = await store.importRepository(changed);
    expect(report.imported).toEqual([]);
    expect(report.errors.some((d) => d.file === "flows/main-menu.yaml" && d.line > 1)).toBe(true);
  });
});
