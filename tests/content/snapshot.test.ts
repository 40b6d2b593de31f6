/**
 * The built content kept between starts (src/content/snapshot.ts): a restart reads it instead of
 * parsing the guides and flows again, and gets exactly the content a build gives.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Content } from "../../src/content.js";
import { LiveContent } from "../../src/content/live.js";
import { ContentSnapshot, SNAPSHOT_FILE } from "../../src/content/snapshot.js";
import { ContentStore } from "../../src/content/store.js";
import { buildContent, readContentDirs } from "../../src/content/texts.js";
import { createLogger } from "../../src/log.js";
import { migrate } from "../../src/store/migrate.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { LocalNotifier } from "../../src/store/notifier.js";
import { ROOT } from "../helpers.js";
import { must } from "../support/must.js";

const TODAY = { today: new Date("2026-12-02T10:00:00Z") };

/** A build that counts its calls. */
function countingBuild(): { build: typeof buildContent; calls: () => number } {
  let calls = 0;
  return {
    build: (texts, options) => {
      calls += 1;
      return buildContent(texts, options);
    },
    calls: () => calls,
  };
}

/** What a served content is made of, comparable with toEqual (the holiday lookups are functions). */
function comparable(content: Content): unknown {
  const { holidays, ...knowledge } = content.knowledge;
  return {
    knowledge,
    holidays: holidays && { list: holidays.list, from: holidays.coversFrom, until: holidays.coversUntil, source: holidays.source, checked: holidays.checked },
    flows: content.flows.all,
    flowDiagnostics: content.flows.diagnostics,
    diagnostics: content.diagnostics,
  };
}

describe("the content snapshot", () => {
  let dir: string;
  let texts: Map<string, string>;
  let built: Content;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "digipaligs-snapshot-"));
    texts = await readContentDirs(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
    built = buildContent(texts, TODAY);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives a restart the same content a build gives, without building", async () => {
    const file = path.join(dir, "same");
    await new ContentSnapshot(file).save(texts, built, TODAY);
    const counter = countingBuild();
    const restored = await new ContentSnapshot(file, counter.build).build(texts, TODAY);
    expect(counter.calls()).toBe(0);
    expect(comparable(restored)).toEqual(comparable(built));
    // What is rebuilt rather than stored answers like the original.
    const holiday = built.knowledge.holidays?.list[0];
    expect(holiday).toBeDefined();
    expect(restored.knowledge.holidays?.isHoliday(holiday?.date ?? "")).toBe(built.knowledge.holidays?.isHoliday(holiday?.date ?? ""));
    expect(restored.knowledge.holidays?.isHoliday("2026-12-03")).toBeUndefined();
    expect(restored.flows.forEvent("menu")?.id).toBe(built.flows.forEvent("menu")?.id);
    for (const flow of built.flows.all) {
      for (const g of flow.triggers.guides) expect(restored.flows.forGuide(g)?.id).toBe(built.flows.forGuide(g)?.id);
      for (const d of flow.triggers.deepLinks) expect(restored.flows.forDeepLink(d)?.id).toBe(built.flows.forDeepLink(d)?.id);
    }
  });

  it("builds again when a text changed, on another day, and when the file is damaged or missing", async () => {
    const file = path.join(dir, "changes");
    await new ContentSnapshot(file).save(texts, built, TODAY);
    const counter = countingBuild();
    const snapshot = new ContentSnapshot(file, counter.build);

    const [guidePath, guideText] = [...texts].find(([p]) => p.startsWith("knowledge/lv/")) ?? ["", ""];
    const edited = new Map(texts).set(guidePath, guideText.replace("keywords:\n", "keywords:\n  - zilonis\n"));
    const fromEdit = await snapshot.build(edited, TODAY);
    expect(counter.calls()).toBe(1);
    expect(JSON.stringify(fromEdit.knowledge.guides.get("lv")?.get(path.basename(guidePath, ".md"))?.keywords)).toMatch(/zilonis/);

    await snapshot.build(texts, { today: new Date("2026-12-03T10:00:00Z") });
    expect(counter.calls()).toBe(2);

    await writeFile(file, "not a snapshot \u0000\u00ff");
    expect(comparable(await snapshot.build(texts, TODAY))).toEqual(comparable(built));
    expect(counter.calls()).toBe(3);

    await expect(new ContentSnapshot(path.join(dir, "missing"), counter.build).build(texts, TODAY)).resolves.toBeDefined();
    expect(counter.calls()).toBe(4);
  });

  it("does not keep content with errors, and a folder it cannot write to only costs the next start a build", async () => {
    const broken = new Map(texts).set("flows/broken.yaml", "id: broken\nsteps: [");
    const withErrors = buildContent(broken, TODAY);
    expect(withErrors.diagnostics.some((d) => d.severity === "error")).toBe(true);
    const file = path.join(dir, "errors");
    await new ContentSnapshot(file).save(broken, withErrors, TODAY);
    const counter = countingBuild();
    await new ContentSnapshot(file, counter.build).build(broken, TODAY);
    expect(counter.calls()).toBe(1);

    await expect(new ContentSnapshot(path.join(dir, "no-such-folder", "file")).save(texts, built, TODAY)).resolves.toBeUndefined();
  });
});

describe("content served from the snapshot at a restart", () => {
  let db: Database;
  let dir: string;
  const log = createLogger("error", () => undefined);

  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite" });
    await migrate(db.pool);
    dir = await mkdtemp(path.join(tmpdir(), "digipaligs-snapshot-live-"));
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the snapshot after the first start and serves a restart from it", async () => {
    const file = path.join(dir, SNAPSHOT_FILE);
    const start = async (snapshot: ContentSnapshot): Promise<{ live: LiveContent; loaded: Content[] }> => {
      const loaded: Content[] = [];
      const live = await LiveContent.start({
        store: new ContentStore(db.pool, new LocalNotifier()), pool: db.pool, notifier: new LocalNotifier(), log, watch: false,
        knowledgeDir: path.join(ROOT, "knowledge"), flowsDir: path.join(ROOT, "flows"), snapshot,
        onLoad: (content) => loaded.push(content),
      });
      return { live, loaded };
    };
    const first = await start(new ContentSnapshot(file));
    // stop() waits for the snapshot being written.
    await first.live.stop();

    const counter = countingBuild();
    const restart = await start(new ContentSnapshot(file, counter.build));
    await restart.live.stop();
    expect(counter.calls()).toBe(0);
    expect(restart.loaded).toHaveLength(1);
    const texts = await readContentDirs(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
    expect(comparable(must(restart.loaded[0], "the content a restart served"))).toEqual(comparable(buildContent(texts)));
  });
});
