import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { ROOT } from "../helpers.js";
import { startTestApp } from "../support/app.js";
import { ifAssigned, must } from "../support/must.js";

const GUIDE = "knowledge/lv/meter-readings.md";

describe("content at start: the repository's folders and the published revisions", () => {
  let dir: string;
  let db: Database;
  const lines: string[] = [];
  const log = createLogger("info", (l) => lines.push(l));
  const start = () => startTestApp({ database: db, log, env: { KNOWLEDGE_DIR: path.join(dir, "knowledge"), FLOWS_DIR: path.join(dir, "flows") } });
  const ask = async (app: Awaited<ReturnType<typeof start>>, text: string): Promise<string> => {
    const chat = (await (await fetch(`${app.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
    const res = await fetch(`${app.url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
    return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "digipaligs-start-"));
    await cp(path.join(ROOT, "knowledge"), path.join(dir, "knowledge"), { recursive: true });
    await cp(path.join(ROOT, "flows"), path.join(dir, "flows"), { recursive: true });
    db = await openDatabase({ kind: "pglite" });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(db)?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("imports the repository on the first start, a changed file on a later start, and never silently overwrites an editor's revision", async () => {
    let app = await start();
    const first = await app.contentStore.published();
    expect(first.texts.size).toBeGreaterThan(50);
    expect((await app.contentStore.history(GUIDE)).map((r) => r.source)).toEqual(["repository"]);
    await app.close();

    // A deploy with a changed guide: imported on the next start and answering.
    const file = path.join(dir, GUIDE);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("keywords:\n", "keywords:\n  - zilonis ūdensvads\n"));
    app = await start();
    expect((await app.contentStore.history(GUIDE)).map((r) => r.source)).toEqual(["repository", "repository"]);
    expect(await ask(app, "zilonis ūdensvads")).toMatch(/📘/);

    // An editor publishes; then the repository changes the same file again.
    const latest = await app.contentStore.latest(GUIDE);
    await app.contentStore.publish([{ path: GUIDE, text: must(latest?.text, `the latest text of ${GUIDE}`).replace("keywords:\n", "keywords:\n  - redaktora vārds\n"), baseRevision: latest?.id ?? null }], { author: { name: "Ieva" }, source: "editor" });
    await app.close();
    await writeFile(file, text.replace("keywords:\n", "keywords:\n  - cits repozitorija vārds\n"));
    lines.length = 0;
    app = await start();
    const served = await app.contentStore.latest(GUIDE);
    expect(served?.source).toBe("editor");
    expect(served?.text).toMatch(/redaktora vārds/);
    expect(lines.join("")).toMatch(/repository has a newer version of knowledge\/lv\/meter-readings\.md/);
    expect(app.content.status.reviews).toEqual([{ path: GUIDE, since: expect.any(String) as unknown, publishedRevision: served?.id }]);
    await app.close();
  }, 120_000);
});
