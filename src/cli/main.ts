/**
 * The command line for developers, editors and acceptance checks:
 *   ask [--json] "<question>"      what the bot would answer
 *   eval <file.jsonl> [--json] [--stemmer light|none]   retrieval figures on a question set
 *   check                          validate guides, centres and flows (exit 1 on errors)
 *   chat                           a terminal conversation through the same core
 *   indicators --from … --to …     the assistant's figures for a period, or what went unanswered
 * @module
 */
import { readFile } from "node:fs/promises";
import { loadContent } from "../content.js";
import { Assistant } from "../core/assistant.js";
import { Conversation } from "../core/conversation.js";
import { loadFlows } from "../flows/load.js";
import { STAFF_USAGE, staffCommand } from "./staff.js";
import { INDICATORS_USAGE, indicatorsCommand } from "./indicators.js";
import { asAppError, UsageError } from "../core/errors.js";
import { renderReply, runTerminalChat } from "../channels/terminal.js";
import { loadConfig } from "../config.js";
import { formatDiagnostic, hasErrors } from "../knowledge/diagnostics.js";
import { loadKnowledge } from "../knowledge/load.js";
import type { StemMode } from "../nlp/stem.js";
import { evaluate, formatReport, jsonSummary, parseEvalFile } from "./eval.js";

const USAGE = `Usage: npm run --silent cli -- <command>
  ask [--json] "<question>"                 show what the bot answers
  eval <file.jsonl> [--json] [--stemmer light|none]   retrieval figures on a question set
  check                                     validate guides, centres and flows
  chat                                      talk to the bot in this terminal
${STAFF_USAGE}
${INDICATORS_USAGE}`;

/** Splits argv into flags (--name [value]) and positional words. */
function parseArgs(argv: readonly string[], valued: readonly string[] = []): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (valued.includes(name)) {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
        flags.set(name, value);
      } else {
        flags.set(name, "true");
      }
    } else {
      words.push(arg);
    }
  }
  return { flags, words };
}

async function makeAssistant(stem: StemMode = "light"): Promise<Assistant> {
  const config = loadConfig();
  const knowledge = await loadKnowledge(config.knowledgeDir);
  if (hasErrors(knowledge.diagnostics)) {
    for (const d of knowledge.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write("Answering from the guides that passed the check. Run `npm run cli -- check` for details.\n");
  }
  return new Assistant({ knowledge, stem });
}

async function ask(argv: readonly string[]): Promise<number> {
  const { flags, words } = parseArgs(argv);
  const question = words.join(" ");
  if (question.trim() === "" && words.length === 0) throw new UsageError(`ask needs a question\n${USAGE}`);
  const assistant = await makeAssistant();
  const out = assistant.ask(question);
  if (flags.has("json")) {
    const reply = out.replies.map((r) => r.text).join("\n\n");
    const json = {
      lang: out.lang,
      intent: out.intent,
      ...(out.intent === "flow" && "flow" in out ? { flow: (out as { flow?: string }).flow } : {}),
      guides: out.guides.map((g) => ({ id: g.id, score: g.score })),
      reply,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    process.stdout.write(`[${out.lang}] ${out.intent}: ${out.guides.map((g) => `${g.id} ${g.score} (${g.coverage})`).join(", ")}\n\n`);
    process.stdout.write(`${out.replies.map(renderReply).join("\n\n")}\n`);
  }
  return 0;
}

async function runEval(argv: readonly string[]): Promise<number> {
  const { flags, words } = parseArgs(argv, ["stemmer"]);
  const file = words[0];
  if (!file) throw new UsageError(`eval needs a file\n${USAGE}`);
  const stem = flags.get("stemmer") ?? "light";
  if (stem !== "light" && stem !== "none") throw new UsageError("--stemmer must be light or none");
  const cases = parseEvalFile(await readFile(file, "utf8"), file);
  const assistant = await makeAssistant(stem);
  const results = evaluate(assistant, cases);
  process.stdout.write(`${formatReport(results)}\n`);
  if (flags.has("json")) process.stdout.write(`${JSON.stringify(jsonSummary(results))}\n`);
  return 0;
}

async function check(): Promise<number> {
  const config = loadConfig();
  const { knowledge, flows, diagnostics } = await loadContent(config.knowledgeDir, config.flowsDir);
  for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const guides = [...knowledge.guides.values()].reduce((n, m) => n + m.size, 0);
  process.stdout.write(`Checked ${guides} guide files (${knowledge.ids.length} guides) and ${flows.all.length} flows: ${errors} error(s), ${warnings} warning(s).\n`);
  return errors > 0 ? 1 : 0;
}

async function chat(): Promise<number> {
  const config = loadConfig();
  const assistant = await makeAssistant();
  const flows = await loadFlows(config.flowsDir, assistant.knowledge);
  for (const d of flows.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  await runTerminalChat({ conversation: new Conversation({ assistant, flows }), input: process.stdin, output: process.stdout, lang: config.defaultLang });
  return 0;
}

/** Runs one CLI command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "ask":
      return ask(rest);
    case "eval":
      return runEval(rest);
    case "check":
      return check();
    case "chat":
      return chat();
    case "staff":
      return staffCommand(rest);
    case "indicators":
      return indicatorsCommand(rest);
    default:
      throw new UsageError(USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = asAppError(error);
    process.stderr.write(`${e.message}\n`);
    process.exitCode = e.code === "usage" ? 2 : 1;
  },
);
