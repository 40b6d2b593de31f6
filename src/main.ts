/**
 * `npm start`: checks the settings and the content, opens the database (embedded PGlite in
 * ./data unless DATABASE_URL is set), and serves the web chat — plus Telegram when
 * TELEGRAM_BOT_TOKEN is set. Bad settings or content errors stop the start with a message
 * saying what to fix.
 * @module
 */
import { startApp } from "./app.js";
import { loadConfig } from "./config.js";
import { asAppError } from "./core/errors.js";
import { createLogger } from "./log.js";

async function start(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  log.info(config.databaseUrl ? "database: PostgreSQL server (DATABASE_URL)" : `database: embedded PGlite in ${config.dataDir} (set DATABASE_URL to use a PostgreSQL server)`);
  const app = await startApp(config, log);
  log.info(`web chat: ${app.url}/ (embed on a site with <script src="${app.url}/widget.js" defer></script>)`);
  if (app.telegram) {
    log.info(app.telegram.mode === "webhook"
      ? `telegram: webhook at ${config.telegram?.webhookUrl} (Telegram must reach it; the path served here is /telegram/webhook)`
      : "telegram: long polling");
  } else {
    log.info("telegram: off (set TELEGRAM_BOT_TOKEN to the token from @BotFather to turn it on)");
  }
  log.info(`channels running: ${app.channels.join(", ")}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    app.close().then(() => process.exit(0), (error: unknown) => {
      log.error("stop failed", { error });
      process.exit(1);
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

start().catch((error: unknown) => {
  process.stderr.write(`${asAppError(error).message}\n`);
  process.exitCode = 1;
});
