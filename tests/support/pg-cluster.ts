/**
 * A throwaway PostgreSQL server for fault tests: Debian's initdb and pg_ctl on a free loopback
 * port, in a temporary folder, so a test can stop, crash and restart it. As root the server runs
 * as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.js";

const run = promisify(execFile);

/** Where Debian installs the server binaries (the newest version present). */
export function postgresBinDir(): string | undefined {
  for (const v of ["17", "16", "15", "14", "13"]) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  return undefined;
}


/** A PostgreSQL server of its own. */
export class PgCluster {
  private constructor(private readonly bin: string, private readonly dir: string, readonly port: number, private readonly asPostgres: boolean) {}

  /** Creates and starts a cluster (about 2 s). */
  static async start(): Promise<PgCluster> {
    const bin = postgresBinDir();
    if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
    const dir = await mkdtemp(path.join(tmpdir(), "dp-pgcluster-"));
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      const { stdout } = await run("id", ["-u", "postgres"]);
      const { stdout: gid } = await run("id", ["-g", "postgres"]);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    const cluster = new PgCluster(bin, dir, await freePort(), asPostgres);
    await cluster.exec("initdb", ["-D", cluster.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
    await cluster.startServer();
    return cluster;
  }

  private get data(): string {
    return path.join(this.dir, "data");
  }

  /** The connection string of a database on this server. */
  url(database = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private async exec(tool: string, args: readonly string[]): Promise<string> {
    const file = path.join(this.bin, tool);
    const { stdout } = this.asPostgres
      ? await run("runuser", ["-u", "postgres", "--", file, ...args], { cwd: this.dir })
      : await run(file, [...args], { cwd: this.dir });
    return stdout;
  }

  /** Starts the server (after {@link stop}). */
  async startServer(): Promise<void> {
    await this.exec("pg_ctl", ["-D", this.data, "-w", "-t", "30", "-l", path.join(this.dir, "server.log"),
      "-o", `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`, "start"]);
  }

  /**
   * Stops the server: `fast` ends every session (open transactions roll back), `immediate` is a
   * crash (no shutdown at all; recovery on the next start).
   */
  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    await this.exec("pg_ctl", ["-D", this.data, "-w", "-t", "30", "-m", mode, "stop"]);
  }

  /** Stops, waits `downMs`, starts again. */
  async restart(mode: "fast" | "immediate" = "fast", downMs = 0): Promise<void> {
    await this.stop(mode);
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startServer();
  }

  /** Stops the server for good and deletes its folder. */
  async destroy(): Promise<void> {
    await this.stop("immediate").catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
