/**
 * `npm start`: checks the settings and the content, then runs DigiPalīgs with the embedded
 * defaults. Bad settings or content errors stop the start with a message saying what to fix.
 * @module
 */
import { runTerminalChat } from "./channels/terminal.js";
import { loadConfig } from "./config.js";
import { Assistant } from "./core/assistant.js";
import { asAppError, ContentError } from "./core/errors.js";
import { formatDiagnostic, hasErrors } from "./knowledge/diagnostics.js";
import { loadKnowledge } from "./knowledge/load.js";

async function start(): Promise<void> {
  const config = loadConfig();
  const knowledge = await loadKnowledge(config.knowledgeDir);
  for (const d of knowledge.diagnostics.filter((x) => x.severity === "warning")) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(knowledge.diagnostics)) {
    throw new ContentError(knowledge.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic));
  }
  const assistant = new Assistant({ knowledge });
  process.stderr.write(`DigiPalīgs: ${knowledge.ids.length} guides in lv/ru/en loaded from ${config.knowledgeDir}.\n`);
  process.stderr.write("Channel: terminal (type your question; /quit to leave).\n");
  await runTerminalChat({ assistant, input: process.stdin, output: process.stdout, lang: config.defaultLang });
}

start().catch((error: unknown) => {
  process.stderr.write(`${asAppError(error).message}\n`);
  process.exitCode = 1;
});
