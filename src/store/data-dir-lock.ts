/**
 * One process per embedded database folder. PGlite keeps the database in memory and writes the
 * folder back; two processes on one folder each see only their own writes and one of them loses
 * everything. So the folder holds a lock file with the owner's process id: a second app or CLI
 * process refuses at once with a message naming the owner, and a lock left by a process that no
 * longer runs (`kill -9`, a power cut, a container restart) is taken over.
 * @module
 */
import { existsSync, unlinkSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { DatabaseLockedError, type LockOwner } from "../core/errors.js";

export type { LockOwner } from "../core/errors.js";

/** The lock file inside the data folder. */
export const LOCK_FILE = ".digipaligs.lock";

/** Locks held by this process (released on exit, and seen as "held" by a second open here). */
const held = new Set<string>();
let exitHook = false;

/** True when a process with this id runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const owner: Partial<Record<keyof LockOwner, unknown>> = parsed;
    if (typeof owner.pid !== "number") return undefined;
    const text = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);
    return { pid: owner.pid, host: text(owner.host, ""), purpose: text(owner.purpose, "a DigiPalīgs process"), startedAt: text(owner.startedAt, "") };
  } catch {
    return undefined;
  }
}

/** An acquired lock on a data folder. */
export class DataDirLock {
  private constructor(readonly file: string) {}

  /**
   * Takes the lock of `dir` for this process.
   * @throws {DatabaseLockedError} when another running process holds it.
   */
  static async acquire(dir: string, purpose = describeProcess()): Promise<DataDirLock> {
    const file = path.join(path.resolve(dir), LOCK_FILE);
    if (held.has(file)) throw new DatabaseLockedError(file, { pid: process.pid, host: hostname(), purpose: "this same process", startedAt: "" });
    const owner: LockOwner = { pid: process.pid, host: hostname(), purpose, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, "wx", 0o644);
        await handle.writeFile(`${JSON.stringify(owner)}\n`);
        await handle.close();
        held.add(file);
        if (!exitHook) {
          exitHook = true;
          process.once("exit", () => {
            for (const f of held) {
              try {
                unlinkSync(f);
              } catch {
                /* already gone */
              }
            }
          });
        }
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = await readOwner(file);
      // A lock from another machine (a shared network folder) cannot be checked: it holds.
      const stale = current === undefined
        ? await unreadableForLong(file)
        : current.host === hostname() && (current.pid === process.pid || !alive(current.pid));
      if (!stale) throw new DatabaseLockedError(file, current ?? { pid: 0, host: "", purpose: "an unknown process", startedAt: "" });
      // Move the stale lock aside (only one process wins the rename), then try again.
      await rename(file, `${file}.stale-${process.pid}`).then(() => unlink(`${file}.stale-${process.pid}`)).catch(() => undefined);
    }
    throw new DatabaseLockedError(file, (await readOwner(file)) ?? { pid: 0, host: "", purpose: "an unknown process", startedAt: "" });
  }

  /** True when `dir` holds no database yet (the first start prepares one). */
  static isEmpty(dir: string): Promise<boolean> {
    return Promise.resolve(!existsSync(path.join(dir, "PG_VERSION")));
  }

  /** Gives the folder free again. */
  async release(): Promise<void> {
    if (!held.delete(this.file)) return;
    await unlink(this.file).catch(() => undefined);
  }
}

/** A lock file being written right now is briefly empty; one that stays unreadable is debris. */
async function unreadableForLong(file: string): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return (await readOwner(file)) === undefined;
}

/** "npm start", "cli staff add" …: what this process is, for the message a second one shows. */
function describeProcess(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : "node";
  const args = process.argv.slice(2).filter((a) => !a.startsWith("-")).slice(0, 2).join(" ");
  return `${script}${args ? ` ${args}` : ""}`;
}
