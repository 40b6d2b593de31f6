/**
 * What can be checked of the container without a Docker engine: the image starts node itself
 * (so SIGTERM reaches the app — the SIGTERM test in process-lifecycle.test.ts runs this very
 * command), the health check is node-based, the entrypoint gives a root-owned data folder to the
 * `node` user before dropping privileges, and compose.yaml runs PostgreSQL with two instances
 * behind one port.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dockerCommand } from "../support/app-process.js";
import { ROOT } from "../helpers.js";

const run = promisify(execFile);

describe("the container", () => {
  it("starts node directly (not npm), with a node-based health check", async () => {
    const command = dockerCommand();
    expect(command[0]).toBe("node");
    expect(command).toContain("src/main.ts");
    const dockerfile = await readFile(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", /m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["docker-entrypoint.sh"\]/m);
    expect(dockerfile).not.toMatch(/CMD \["npm"/);
  });

  it("gives a root-owned data folder to the node user, then runs the command as node", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dp-entrypoint-"));
    try {
      // Stand-ins for id, stat, chown and setpriv record what the entrypoint does as root.
      const bin = path.join(dir, "bin");
      await mkdir(bin);
      const log = path.join(dir, "calls.log");
      const stub = async (name: string, body: string): Promise<void> => {
        await writeFile(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
        await chmod(path.join(bin, name), 0o755);
      };
      await stub("id", "echo 0");
      await stub("stat", "echo root");
      await stub("chown", "exit 0");
      await stub("setpriv", "exit 0");
      const data = path.join(dir, "data");
      await run("sh", [path.join(ROOT, "deploy/docker-entrypoint.sh"), "node", "--import", "tsx", "src/main.ts"], { env: { PATH: `${bin}:/usr/bin:/bin`, DATA_DIR: data } });
      const calls = await readFile(log, "utf8");
      expect(calls).toContain(`chown -R node:node ${data}`);
      expect(calls).toMatch(/setpriv --reuid=node --regid=node --init-groups -- node --import tsx src\/main.ts/);
      // Not root (docker run --user …): the command runs as it is.
      await stub("id", "echo 1000");
      const { stdout } = await run("sh", [path.join(ROOT, "deploy/docker-entrypoint.sh"), "echo", "as-is"], { env: { PATH: `${bin}:/usr/bin:/bin`, DATA_DIR: data } });
      expect(stdout.trim()).toBe("as-is");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("composes PostgreSQL and two app instances behind one published port", async () => {
    const compose = parse(await readFile(path.join(ROOT, "compose.yaml"), "utf8"), { merge: true }) as {
      services: Record<string, { image?: string; build?: unknown; ports?: string[]; environment?: Record<string, string>; depends_on?: unknown; volumes?: string[] }>;
    };
    const services = compose.services;
    const apps = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(apps.map(([name]) => name)).toEqual(["app1", "app2"]);
    for (const [, app] of apps) {
      expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@db:5432\//);
      expect(app.environment?.TRUST_PROXY).toBe("1");
      expect(app.ports).toBeUndefined();
    }
    expect(services.db?.image).toMatch(/^postgres:/);
    const published = Object.entries(services).filter(([, s]) => s.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(["proxy"]);
    const nginx = await readFile(path.join(ROOT, "deploy/nginx.conf"), "utf8");
    expect(nginx).toMatch(/server app1:3000/);
    expect(nginx).toMatch(/server app2:3000/);
    expect(nginx).toMatch(/proxy_buffering off/);
  });
});
