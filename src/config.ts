/**
 * Configuration from the environment, parsed once with zod. A bad value stops the start with a
 * message that names the setting and says what to put there.
 * @module
 */
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./core/errors.js";

const Schema = z.object({
  KNOWLEDGE_DIR: z.string().min(1).default("knowledge").describe("folder with the guides (knowledge/<lang>/<id>.md)"),
  FLOWS_DIR: z.string().min(1).default("flows").describe("folder with the scripted flows"),
  DEFAULT_LANG: z.enum(["lv", "ru", "en"]).default("lv").describe("language used when a message shows none: lv, ru or en"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info").describe("debug, info, warn or error"),
});

/** The parsed configuration. */
export interface Config {
  readonly knowledgeDir: string;
  readonly flowsDir: string;
  readonly defaultLang: "lv" | "ru" | "en";
  readonly logLevel: "debug" | "info" | "warn" | "error";
}

/**
 * Parses settings from `env` (default `process.env`).
 * @throws {ConfigError} naming every bad setting and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = Schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const field = Schema.shape[key as keyof typeof Schema.shape];
      return `  ${key}=${JSON.stringify(env[key] ?? "")}: ${issue.message}; set it to ${field?.description ?? "a valid value"}`;
    });
    throw new ConfigError(`Invalid settings:\n${lines.join("\n")}`);
  }
  const c = result.data;
  return {
    knowledgeDir: path.resolve(c.KNOWLEDGE_DIR),
    flowsDir: path.resolve(c.FLOWS_DIR),
    defaultLang: c.DEFAULT_LANG,
    logLevel: c.LOG_LEVEL,
  };
}
