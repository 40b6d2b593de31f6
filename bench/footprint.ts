/**
 * The footprint benchmark: starts the real app (`node --import tsx src/main.ts`, no tokens) as a
 * child process on an empty data folder, measures the time until it answers a web chat message,
 * its resident memory when idle (VmRSS of the node process from /proc), then stops it with
 * SIGTERM and measures the same for a restart on the same folder.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { containerStart } from "./start-command.js";
import { must } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** One start of the app. */
export interface StartMeasure {
  /** From spawning the process until a web chat message got its reply. */
  readonly answerMs: number;
  /** VmRSS after the start, once the process has been idle for a while. */
  readonly idleRssMb: number;
  /** The highest VmRSS seen while starting (VmHWM). */
  readonly startPeakRssMb: number;
  /** CPU time (user + system, all threads) the process used until it answered: less noisy than the wall time on a busy machine. */
  readonly startCpuMs: number;
}

/** How to start the app: the program, its arguments and extra environment. */
export interface StartCommand {
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** What {@link runFootprint} measured. */
export interface FootprintResult {
  readonly first: StartMeasure;
  readonly restart: StartMeasure;
  /** More restarts, so that the start time has a median on a loaded machine. */
  readonly restarts: readonly StartMeasure[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** VmRSS and VmHWM of a process in MB (Linux). */
export async function procMemory(pid: number): Promise<{ rssMb: number; hwmMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) of a process so far, in ms (Linux: /proc/<pid>/stat, clock ticks of 10 ms). */
export async function procCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // The fields after the command name (which may hold spaces) in parentheses: utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Sends one web chat message and resolves when it got a reply; rejects while the app is not up. */
async function chatOnce(base: string): Promise<void> {
  const created = await fetch(`${base}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{\"lang\":\"lv\"}" });
  if (created.status !== 201) throw new Error(`session: ${created.status}`);
  const { id, token } = await created.json() as { id: string; token: string };
  const answered = await fetch(`${base}/api/chat/sessions/${id}/messages`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ text: "kā deklarēt dzīvesvietu" }),
  });
  const body = await answered.json() as { replies?: unknown[] };
  if (answered.status !== 200 || !body.replies?.length) throw new Error(`message: ${answered.status}`);
}

async function startOnce(dataDir: string, idleMs: number, start: StartCommand): Promise<StartMeasure> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...start.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  const [program, ...args] = start.command;
  if (program === undefined) throw new Error("the start command is empty");
  const child = spawn(program === "node" ? process.execPath : program, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  // Read through a function: the flag is set by the listener, which TypeScript's narrowing does not see.
  const hasExited = (): boolean => exited;
  try {
    for (;;) {
      if (hasExited()) throw new Error(`the app exited while starting: ${stderr}`);
      if (performance.now() - t0 > 120_000) throw new Error("the app did not answer within 120 s");
      try {
        await chatOnce(base);
        break;
      } catch {
        await sleep(25);
      }
    }
    const answerMs = performance.now() - t0;
    const pid = must(child.pid, "the app's process id");
    const startCpuMs = await procCpuMs(pid);
    await sleep(idleMs);
    const { rssMb, hwmMb } = await procMemory(pid);
    return { answerMs, idleRssMb: rssMb, startPeakRssMb: hwmMb, startCpuMs };
  } finally {
    await stopChild(child, hasExited);
  }
}

async function stopChild(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const done = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await done;
  clearTimeout(timer);
}

/**
 * Starts the app on a new empty data folder, then `restarts` more times on the same folder.
 * `idleMs` is how long it idles before its memory is read.
 */
export async function runFootprint(restarts = 3, idleMs = 3000, start: StartCommand = containerStart()): Promise<FootprintResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "digipaligs-footprint-"));
  try {
    const first = await startOnce(dataDir, idleMs, start);
    const later: StartMeasure[] = [];
    for (let i = 0; i < Math.max(1, restarts); i++) later.push(await startOnce(dataDir, idleMs, start));
    return { first, restart: must(later[0], "the first restart"), restarts: later };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
