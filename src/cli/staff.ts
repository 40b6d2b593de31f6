/**
 * `cli staff add <username> --role agent|editor|admin [--centre <id>]… [--name "<display name>"]
 * [--slack <Slack user id>]`: creates or updates a staff account. The password comes from
 * STAFF_PASSWORD or is asked for without echo. Uses the configured database (PGlite in DATA_DIR
 * — stop the app first, PGlite allows one process — or DATABASE_URL).
 * @module
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { loadConfig } from "../config.js";
import { UsageError } from "../core/errors.js";
import { loadKnowledge } from "../knowledge/load.js";
import { StaffAccounts } from "../staff/accounts.js";
import type { Role } from "../staff/types.js";
import { openDatabase } from "../store/database.js";
import { migrate } from "../store/migrate.js";

/** How `staff` is used. */
export const STAFF_USAGE = `  staff add <username> --role agent|editor|admin [--centre <id>]… [--name "<display name>"] [--slack <user id>]
                                            create or update a staff account (password from STAFF_PASSWORD or asked)`;

/** Asks for a password without showing it. */
async function askPassword(input: Readable, output: Writable, prompt: string): Promise<string> {
  const rl = createInterface({ input, output, terminal: true });
  const write = (output as Writable & { write: (s: string) => boolean }).write.bind(output);
  let muted = false;
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (!muted) write(s);
  };
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

/** Runs `staff …`; returns the exit code. */
export async function staffCommand(argv: readonly string[], io: { input: Readable; output: Writable; env?: NodeJS.ProcessEnv } = { input: process.stdin, output: process.stdout }): Promise<number> {
  const [sub, username, ...rest] = argv;
  if (sub !== "add" || !username || username.startsWith("--")) throw new UsageError(`Usage:\n${STAFF_USAGE}`);
  let role: Role | undefined;
  const centres: string[] = [];
  let name: string | undefined;
  let slack: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value\nUsage:\n${STAFF_USAGE}`);
    i++;
    if (flag === "--role" && (value === "agent" || value === "editor" || value === "admin")) role = value;
    else if (flag === "--role") throw new UsageError("--role must be agent, editor or admin");
    else if (flag === "--centre") centres.push(value);
    else if (flag === "--name") name = value;
    else if (flag === "--slack") slack = value;
    else throw new UsageError(`unknown option ${flag}\nUsage:\n${STAFF_USAGE}`);
  }
  if (!role) throw new UsageError(`--role is required\nUsage:\n${STAFF_USAGE}`);
  const env = io.env ?? process.env;
  const config = loadConfig(env);
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const known = new Set(knowledge.centres?.centres.map((c) => c.id) ?? []);
  const unknown = centres.filter((c) => !known.has(c));
  if (unknown.length > 0) throw new UsageError(`unknown centre ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  if (role === "agent" && centres.length === 0) throw new UsageError("an agent needs at least one --centre <id>");
  const password = env.STAFF_PASSWORD ?? await askPassword(io.input, io.output, `Password for ${username}: `);
  if (password.length < 10) throw new UsageError("the password must have at least 10 characters");
  const db = await openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: config.dataDir }, { purpose: "cli staff add" });
  try {
    await migrate(db.pool);
    const staff = await new StaffAccounts(db.pool).add({ username, password, role, centres, ...(name ? { displayName: name } : {}), ...(slack ? { slackUserId: slack } : {}) });
    io.output.write(`Staff account '${staff.username}' (${staff.role}${staff.centres.length ? `, centres: ${staff.centres.join(", ")}` : ""}) is ready. Log in at /staff.\n`);
  } finally {
    await db.close();
  }
  return 0;
}
