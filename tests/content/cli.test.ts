import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { ContentStore } from "../../src/content/store.js";
import { openDatabase } from "../../src/store/database.js";
import { LocalNotifier } from "../../src/store/notifier.js";
import { ROOT } from "../helpers.js";
import { must } from "../support/must.js";

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk: Buffer | string, _enc, done) { chunks.push(chunk.toString()); done(); } });
  return Object.assign(stream, { text: () => chunks.join("") });
}

describe("cli content export and import", () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const stdout = sink();
    const stderr = sink();
    const code = await runCli(args, { stdin: Readable.from([]), stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "digipaligs-content-cli-"));
    env = { DATA_DIR: path.join(tmp, "data"), KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows") };
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it("imports a folder after the full check, refuses one with errors, and exports the published content as the same files", async () => {
    const repo = path.join(tmp, "repo");
    await cp(path.join(ROOT, "knowledge"), path.join(repo, "knowledge"), { recursive: true });
    await cp(path.join(ROOT, "flows"), path.join(repo, "flows"), { recursive: true });
    const empty = await cli(["content", "export", path.join(tmp, "nothing")]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no content yet/);

    const imported = await cli(["content", "import", repo]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Published \d+ file\(s\)/);
    expect((await cli(["content", "import", repo])).stdout).toMatch(/Nothing to import/);

    const file = path.join(repo, "knowledge", "lv", "meter-readings.md");
    const good = await readFile(file, "utf8");
    await writeFile(file, good.replace(/^id: meter-readings$/m, "id: Not Valid!"));
    const refused = await cli(["content", "import", repo]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/knowledge\/lv\/meter-readings\.md:\d+: /);
    expect(refused.stderr).toMatch(/nothing was imported/);

    await writeFile(file, good.replace("keywords:\n", "keywords:\n  - no komandrindas\n"));
    expect((await cli(["content", "import", repo])).stdout).toMatch(/Published 1 file\(s\): knowledge\/lv\/meter-readings\.md/);

    const out = path.join(tmp, "export");
    const exported = await cli(["content", "export", out]);
    expect(exported.code).toBe(0);
    expect(await readFile(path.join(out, "knowledge", "lv", "meter-readings.md"), "utf8")).toMatch(/no komandrindas/);
    expect(await readFile(path.join(out, "flows", "main-menu.yaml"), "utf8")).toBe(await readFile(path.join(ROOT, "flows", "main-menu.yaml"), "utf8"));

    const db = await openDatabase({ kind: "pglite", dataDir: must(env.DATA_DIR, "DATA_DIR") });
    try {
      const history = await new ContentStore(db.pool, new LocalNotifier()).history("knowledge/lv/meter-readings.md");
      expect(history.map((h) => [h.source, h.author])).toEqual([["import", "command line"], ["import", "command line"]]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
