/**
 * What keeps the process up and its output clean: uncaught exceptions and unhandled rejections
 * are logged through the masking logger and the app keeps serving (a burst of them means
 * something is truly broken: then it shuts down cleanly so the supervisor restarts it);
 * `console.*` and process warnings go through the logger too, so nothing reaches stdout or
 * stderr unmasked.
 * @module
 */
/* eslint-disable no-console -- this module is where console.* is taken over by the logger */
import { formatArgs, type Logger } from "./log.js";

/** More uncaught errors than this within {@link BURST_WINDOW_MS} end the process (cleanly). */
const BURST_LIMIT = 20;
const BURST_WINDOW_MS = 60_000;

/** Options for {@link guardProcess}. */
export interface GuardOptions {
  /** Called once when errors keep coming: stop cleanly and exit. */
  readonly onFatal: (reason: string) => void;
}

/** Installs the process-wide handlers; returns a function removing them (tests). */
export function guardProcess(log: Logger, options: GuardOptions): () => void {
  let recent: number[] = [];
  let fatal = false;
  const count = (what: string): void => {
    const now = Date.now();
    recent = [...recent.filter((t) => now - t < BURST_WINDOW_MS), now];
    if (recent.length > BURST_LIMIT && !fatal) {
      fatal = true;
      options.onFatal(`${recent.length} ${what}s within a minute`);
    }
  };
  const onException = (error: unknown): void => {
    log.error("uncaught exception (the app keeps serving)", { error });
    count("uncaught exception");
  };
  const onRejection = (reason: unknown): void => {
    log.error("unhandled promise rejection (the app keeps serving)", { error: reason });
    count("unhandled rejection");
  };
  const onWarning = (warning: Error): void => log.warn(`process warning: ${warning.name}: ${warning.message}`);
  // Node prints warnings through its own listener: replace it with the logger.
  const previousWarning = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  process.on("warning", onWarning);

  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug, trace: console.trace };
  // Libraries that print (and any forgotten console call) go through the masking logger.
  console.log = (...args: unknown[]) => log.info(formatArgs(args));
  console.info = (...args: unknown[]) => log.info(formatArgs(args));
  console.debug = (...args: unknown[]) => log.debug(formatArgs(args));
  console.warn = (...args: unknown[]) => log.warn(formatArgs(args));
  console.error = (...args: unknown[]) => log.error(formatArgs(args));
  console.trace = (...args: unknown[]) => log.debug(formatArgs(args));

  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
    process.off("warning", onWarning);
    for (const l of previousWarning) process.on("warning", l);
    Object.assign(console, original);
  };
}
