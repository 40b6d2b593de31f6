/**
 * The app as its own process, started the way the Dockerfile starts it (`node --import tsx
 * src/main.ts`), with its stdout and stderr captured: for tests of what only a real process shows
 * (crashes, signals, what reaches the terminal).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers.js";
import { must } from "./must.js";

/** The command of the Dockerfile's CMD (JSON form), e.g. ["node", "--import", "tsx", "src/main.ts"]. */
export function dockerCommand(): string[] {
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const line = dockerfile.split("\n").find((l) => /^CMD\s+\[/.test(l));
  if (!line) throw new Error("the Dockerfile has no CMD [...] line");
  return JSON.parse(line.replace(/^CMD\s+/, "")) as string[];
}

/** The command of the Dockerfile's HEALTHCHECK (`CMD [...]` after it). */
export function dockerHealthcheck(): string[] {
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const match = /^HEALTHCHECK .*?CMD (\[.*\])$/m.exec(dockerfile);
  if (!match) throw new Error("the Dockerfile has no HEALTHCHECK … CMD [...]");
  return JSON.parse(must(match[1], "the HEALTHCHECK command")) as string[];
}

/** A running app process. */
export interface AppProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts the app's process with these settings (on top of a minimal environment). */
export function startAppProcess(env: Record<string, string>, command = dockerCommand()): AppProcess {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString("utf8");
    for (const w of waiters) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters) w();
    });
  });
  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs = 30_000) => new Promise((resolve, reject) => {
      const check = (): void => {
        const match = text.match(pattern);
        if (match) {
          cleanup();
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`the app exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    }),
    exited: () => exit,
    kill: (signal = "SIGTERM") => {
      child.kill(signal);
    },
  };
}
