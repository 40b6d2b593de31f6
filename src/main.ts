/**
 * `npm start` (and the container's `node --import tsx src/main.ts`): checks the settings and the
 * content, opens the database (embedded PGlite in ./data unless DATABASE_URL is set), and serves
 * the web chat — plus Telegram when TELEGRAM_BOT_TOKEN is set. Bad settings or content errors stop
 * the start with a message saying what to fix.
 *
 * SIGTERM and SIGINT stop it cleanly within {@link STOP_DEADLINE_MS}: no new requests or updates,
 * running turns finish, outbox leases are given back, the database is closed.
 * @module
 */
import { startApp, type RunningApp } from "./app.js";
import { loadConfig } from "./config.js";
import { asAppError } from "./core/errors.js";
import { createLogger, registerSecret, type Logger } from "./log.js";
import { guardProcess } from "./process-guard.js";

/** The stop must be done by then; whatever still runs is cut off (Docker's default grace is 10 s). */
const STOP_DEADLINE_MS = 9000;

let log: Logger = createLogger("info");
let app: RunningApp | undefined;
let stopping = false;

let stopRequested: { reason: string; exitCode: number } | undefined;

function stop(reason: string, exitCode: number): void {
  if (!app) {
    // Still starting: stop as soon as there is something to stop.
    stopRequested ??= { reason, exitCode };
    return;
  }
  if (stopping) return;
  stopping = true;
  log.info(`${reason}: stopping (no new messages; running turns finish)`);
  const deadline = setTimeout(() => {
    log.error(`stop took longer than ${STOP_DEADLINE_MS / 1000} s; exiting now`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  app.close().then(() => {
    log.info("stopped");
    process.exit(exitCode);
  }, (error: unknown) => {
    log.error("stop failed", { error });
    process.exit(1);
  });
}

async function start(): Promise<void> {
  for (const key of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "STAFF_PASSWORD"]) registerSecret(process.env[key]);
  const config = loadConfig();
  log = createLogger(config.logLevel);
  guardProcess(log, { onFatal: (why) => stop(`too many unexpected errors (${why})`, 1) });
  process.on("SIGINT", () => stop("SIGINT", 0));
  process.on("SIGTERM", () => stop("SIGTERM", 0));
  log.info(config.databaseUrl ? "database: PostgreSQL server (DATABASE_URL)" : `database: embedded PGlite in ${config.dataDir} (set DATABASE_URL to use a PostgreSQL server)`);
  const started = await startApp(config, log, { purpose: "npm start" });
  app = started;
  if (stopRequested) {
    stop(stopRequested.reason, stopRequested.exitCode);
    return;
  }
  log.info(`web chat: ${started.url}/ (embed on a site with <script src="${started.url}/widget.js" defer></script>)`);
  if (started.telegram) {
    log.info(started.telegram.mode === "webhook"
      ? `telegram: webhook at ${config.telegram?.webhookUrl} (Telegram must reach it; the path served here is /telegram/webhook)`
      : "telegram: long polling");
  } else {
    log.info("telegram: off (set TELEGRAM_BOT_TOKEN to the token from @BotFather to turn it on)");
  }
  log.info(`channels running: ${started.channels.join(", ")}`);
}

start().catch((error: unknown) => {
  const e = asAppError(error);
  // Config and content errors say what to fix; anything else is logged with its name and code.
  if (e.code === "unknown") log.error("could not start", { error });
  else log.error(e.message);
  process.exitCode = 1;
  // Whatever was opened before the failure must not keep the process alive.
  setTimeout(() => process.exit(1), 2000).unref();
});
