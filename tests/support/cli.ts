/**
 * The CLI in this process, as `npm run cli` runs it: its own environment (none of the caller's
 * STAFF_*, DATA_DIR or DATABASE_URL unless given) and its output collected.
 * @module
 */
import { Readable, Writable } from "node:stream";
import { runCli } from "../../src/cli/main.js";

/** A writable stream that keeps what was written. */
export function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join("") });
}

/** Runs a CLI command in this process; returns its exit code and output. */
export async function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("STAFF_") && k !== "DATA_DIR" && k !== "DATABASE_URL"));
  const code = await runCli(args, { stdin: Readable.from([]), stdout, stderr, env: { ...base, ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
